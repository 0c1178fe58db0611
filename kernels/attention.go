package kernels

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// Attention computes multi-head scaled dot-product attention in single
// precision:
//
//	out[h] = softmax(q[h]·k[h]ᵀ / sqrt(dim) + mask) · v[h]
//
// for every head h. q, k, v and out are laid out [heads][seq][dim],
// contiguous. With causal set, query i attends to keys 0..i only, and the
// key blocks wholly above the diagonal are skipped, not computed and masked.
//
// The kernel is fused and tiled: a block of queries walks the keys block by
// block, keeping a running maximum and running sum per query (online
// softmax), so memory is O(block·dim) per goroutine and no seq×seq matrix
// ever exists. Subtracting the running maximum keeps exp's argument <= 0, so
// large logits give no Inf or NaN, and exp flushes results below the normal
// range to zero, so no denormals slow the loop.
//
// The work is split over heads and blocks of queries; threads <= 1 runs on
// the calling goroutine. The query blocks do not depend on threads, so any
// thread count gives bitwise identical results within one kernel tier.
func (t Tier) Attention(q, k, v, out []float32, heads, seq, dim int, causal bool, threads int) {
	ti := t.get()
	switch {
	case heads < 0:
		panic(fmt.Sprintf("kernels: Attention: heads = %d < 0", heads))
	case seq < 0:
		panic(fmt.Sprintf("kernels: Attention: seq = %d < 0", seq))
	case dim < 0:
		panic(fmt.Sprintf("kernels: Attention: dim = %d < 0", dim))
	}
	size := heads * seq * dim
	for _, x := range []struct {
		name string
		s    []float32
	}{{"q", q}, {"k", k}, {"v", v}, {"out", out}} {
		if len(x.s) < size {
			panic(fmt.Sprintf("kernels: Attention: len(%s) = %d < heads*seq*dim = %d", x.name, len(x.s), size))
		}
	}
	if size == 0 {
		return
	}
	a := attnArgs{t: ti, q: q, k: k, v: v, out: out, heads: heads, seq: seq, dim: dim, causal: causal}
	a.br = attnQueryBlock(a.t.gemm)
	a.blocks = (seq + a.br - 1) / a.br
	tasks := heads * a.blocks
	if threads <= 1 || tasks == 1 {
		w := a.getBuf()
		for task := range tasks {
			a.task(w, task)
		}
		attnBufs.put(w)
		return
	}
	a.parallel(min(threads, tasks), tasks)
}

// attnArgs is one Attention call, cut into tasks: one query block of one
// head each.
type attnArgs struct {
	t               *tier
	q, k, v, out    []float32
	heads, seq, dim int
	causal          bool
	br, blocks      int // queries per task, tasks per head
}

// task computes one query block of one head with w, which packs each
// head's keys and values once and keeps them while its tasks stay on that
// head: tasks are numbered head by head, so a goroutine taking them in
// order repacks rarely.
func (a *attnArgs) task(w *attnBuf, task int) {
	h, qb := task/a.blocks, task%a.blocks
	lo, hi := h*a.seq*a.dim, (h+1)*a.seq*a.dim
	if w.head != h {
		w.packKV(a.t.gemm, a.k[lo:hi], a.v[lo:hi], a.seq, a.dim)
		w.head = h
	}
	i0 := qb * a.br
	w.block(a.t, a.q[lo:hi], a.out[lo:hi], a.seq, a.dim, i0, min(a.seq, i0+a.br), a.causal)
}

// parallel runs the tasks on workers goroutines. a is a copy so that only
// the multi-threaded path moves it to the heap.
func (a attnArgs) parallel(workers, tasks int) {
	// Tasks are handed out in order; with causal masks the later query
	// blocks cost more, so dynamic hand-out keeps the goroutines even.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := a.getBuf()
			defer attnBufs.put(w)
			for {
				task := int(next.Add(1)) - 1
				if task >= tasks {
					return
				}
				a.task(w, task)
			}
		}()
	}
	wg.Wait()
}

// AttentionFLOPs returns the floating-point operations one Attention call
// needs, counting the two matrix products only (2·dim per multiply-add
// pair): 4·heads·seq²·dim, or with causal the 4·heads·dim·seq·(seq+1)/2 the
// unmasked half needs.
func AttentionFLOPs(heads, seq, dim int, causal bool) float64 {
	h, s, d := float64(heads), float64(seq), float64(dim)
	if causal {
		return 4 * h * d * s * (s + 1) / 2
	}
	return 4 * h * s * s * d
}

// attnKeyBlock is the number of keys one step of the online softmax takes:
// a block of scores (query block × 128) stays in L1 beside the packed keys.
const attnKeyBlock = 128

// attnQueryBlock is the number of queries per task: about 64, rounded to
// the register tile, so the queries and the output block stay in L1.
func attnQueryBlock(t *gemmTier) int { return roundUp(64, t.mr) }

// attnBuf is one goroutine's working memory for Attention.
type attnBuf struct {
	head         int       // the head whose keys and values kp and vp hold; -1 for none
	kp, vp       []float32 // one head's keys (Bᵀ) and values (B), packed block by block
	qp           []float32 // the query block, packed (or copied, for tiles that read A in place)
	s, pp        []float32 // scores, block × attnKeyBlock, and them packed
	o            []float32 // unnormalised output, block × roundUp(dim, nr)
	rowMax, rowL []float32 // running maximum and sum per query
	corr         []float32 // per query, exp(old max - new max)
}

var attnBufs freeList[attnBuf]

func (a *attnArgs) getBuf() *attnBuf {
	w := attnBufs.get()
	t, dim := a.t.gemm, a.dim
	br := a.br
	bc := roundUp(attnKeyBlock, t.nr)
	keys := roundUp(a.seq, bc)
	w.head = -1
	w.kp = grow(w.kp, keys*dim)
	w.vp = grow(w.vp, keys*roundUp(dim, t.nr))
	w.qp = grow(w.qp, br*dim)
	w.s = grow(w.s, br*bc)
	w.pp = grow(w.pp, br*bc)
	w.o = grow(w.o, br*roundUp(dim, t.nr))
	w.rowMax = grow(w.rowMax, br)
	w.rowL = grow(w.rowL, br)
	w.corr = grow(w.corr, br)
	return w
}

// packKV packs one head's keys, transposed, and values as B operands, one
// key block at a time: block j0 starts at j0·dim in kp and j0·dimPad in vp.
func (w *attnBuf) packKV(g *gemmTier, k, v []float32, seq, dim int) {
	bc := roundUp(attnKeyBlock, g.nr)
	dimPad := roundUp(dim, g.nr)
	for j0 := 0; j0 < seq; j0 += bc {
		cols := min(bc, seq-j0)
		packB(g.nr, w.kp[j0*dim:], Trans, k, dim, 0, dim, j0, cols)
		packB(g.nr, w.vp[j0*dimPad:], NoTrans, v, dim, j0, cols, 0, dim)
	}
}

// block computes out rows [i0, i1) of one head from the keys and values
// packKV packed. q and out are that head's seq×dim matrices.
func (w *attnBuf) block(t *tier, q, out []float32, seq, dim, i0, i1 int, causal bool) {
	g := t.gemm
	bc := roundUp(attnKeyBlock, g.nr)
	dimPad := roundUp(dim, g.nr)
	rows := i1 - i0
	scale := float32(1 / math.Sqrt(float64(dim)))

	// Only whole register tiles are computed; the padding rows of the
	// queries are zero and their results are never stored.
	rowsPad := roundUp(rows, g.mr)
	inPlace := g.tileRows != nil
	if inPlace {
		copy(w.qp, q[i0*dim:i1*dim])
		clear(w.qp[rows*dim : rowsPad*dim])
	} else {
		g.packA(w.qp, NoTrans, q, dim, i0, rows, 0, dim)
	}
	clear(w.o[:rowsPad*dimPad])
	for i := range rows {
		w.rowMax[i] = float32(math.Inf(-1))
		w.rowL[i] = 0
	}

	keys := seq
	if causal {
		keys = i1 // keys past the last query are all masked
	}
	for j0 := 0; j0 < keys; j0 += bc {
		cols := min(bc, keys-j0)
		colsPad := roundUp(cols, g.nr)
		// S = scale · Q·Kᵀ over this key block.
		kp := w.kp[j0*dim:]
		for jr := 0; jr < colsPad; jr += g.nr {
			for ir := 0; ir < rowsPad; ir += g.mr {
				if inPlace {
					g.tileRows(dim, w.qp[ir*dim:], dim, kp[jr*dim:], w.s[ir*bc+jr:], bc, scale, 0)
				} else {
					g.tile(dim, w.qp[ir*dim:], kp[jr*dim:], w.s[ir*bc+jr:], bc, scale, 0)
				}
			}
		}
		w.foldSoftmax(t, rows, rowsPad, cols, bc, dim, dimPad, i0, j0, causal)
		// O += P·V over this key block. Its values were packed as
		// min(bc, seq-j0) rows, of which the causal mask may use fewer.
		vp := w.vp[j0*dimPad:]
		vStride := min(bc, seq-j0)
		if !inPlace {
			g.packA(w.pp, NoTrans, w.s, bc, 0, rowsPad, 0, cols)
		}
		for jr := 0; jr < dimPad; jr += g.nr {
			for ir := 0; ir < rowsPad; ir += g.mr {
				if inPlace {
					g.tileRows(cols, w.s[ir*bc:], bc, vp[jr*vStride:], w.o[ir*dimPad+jr:], dimPad, 1, 1)
				} else {
					g.tile(cols, w.pp[ir*cols:], vp[jr*vStride:], w.o[ir*dimPad+jr:], dimPad, 1, 1)
				}
			}
		}
	}
	for i := range rows {
		t.scaleRow(w.o[i*dimPad:i*dimPad+dim], 1/w.rowL[i])
		copy(out[(i0+i)*dim:(i0+i+1)*dim], w.o[i*dimPad:])
	}
}

// foldSoftmax turns the block of scores S at keys [j0, j0+cols) into P,
// unnormalised, and folds it into the running softmax of each query row:
// with causal, it masks the keys after each query first. The corrections
// exp(old max - new max) for the sums and the output rows come from one
// vector exp, so both use the same values. Padding rows of S are cleared
// for the P·V product.
func (w *attnBuf) foldSoftmax(t *tier, rows, rowsPad, cols, bc, dim, dimPad, i0, j0 int, causal bool) {
	for i := range rows {
		srow := w.s[i*bc : i*bc+cols]
		valid := cols
		if causal {
			valid = max(0, min(valid, i0+i+1-j0))
		}
		for j := valid; j < cols; j++ {
			srow[j] = float32(math.Inf(-1))
		}
		mOld := w.rowMax[i]
		mNew := max(mOld, t.rowMax(srow[:valid]))
		w.rowMax[i] = mNew
		w.corr[i] = mOld - mNew
	}
	t.expSubSum(w.corr[:rows], 0)
	for i := range rows {
		c := w.corr[i]
		w.rowL[i] = w.rowL[i]*c + t.expSubSum(w.s[i*bc:i*bc+cols], w.rowMax[i])
		if c != 1 && j0 > 0 {
			t.scaleRow(w.o[i*dimPad:i*dimPad+dim], c)
		}
	}
	for i := rows; i < rowsPad; i++ {
		clear(w.s[i*bc : i*bc+cols])
	}
}
