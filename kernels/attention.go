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
func Attention(q, k, v, out []float32, heads, seq, dim int, causal bool, threads int) {
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
	a := attnArgs{t: impl, q: q, k: k, v: v, out: out, heads: heads, seq: seq, dim: dim, causal: causal}
	a.br = attnQueryBlock(a.t.gemm)
	a.blocks = (seq + a.br - 1) / a.br
	tasks := heads * a.blocks
	if threads <= 1 || tasks == 1 {
		for task := range tasks {
			a.task(task)
		}
		return
	}
	a.parallel(min(threads, tasks), tasks)
}

// attnArgs is one Attention call, cut into tasks: one query block of one
// head each.
type attnArgs struct {
	t               tier
	q, k, v, out    []float32
	heads, seq, dim int
	causal          bool
	br, blocks      int // queries per task, tasks per head
}

func (a *attnArgs) task(task int) {
	h, qb := task/a.blocks, task%a.blocks
	w := getAttnBuf(a.t.gemm, a.dim)
	defer attnBufs.Put(w)
	lo, hi := h*a.seq*a.dim, (h+1)*a.seq*a.dim
	i0 := qb * a.br
	w.block(a.t, a.q[lo:hi], a.k[lo:hi], a.v[lo:hi], a.out[lo:hi], a.seq, a.dim, i0, min(a.seq, i0+a.br), a.causal)
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
			for {
				task := int(next.Add(1)) - 1
				if task >= tasks {
					return
				}
				a.task(task)
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
// the register tile, so the packed queries and the output block stay in L1.
func attnQueryBlock(t *gemmTier) int { return roundUp(64, t.mr) }

// attnBuf is one goroutine's working memory for Attention.
type attnBuf struct {
	qp, kp, vp   []float32 // packed queries (A), keys (Bᵀ), values (B)
	s, pp        []float32 // scores, block × attnKeyBlock, and them packed
	o            []float32 // unnormalised output, block × roundUp(dim, nr)
	rowMax, rowL []float32 // running maximum and sum per query
}

var attnBufs sync.Pool

func getAttnBuf(t *gemmTier, dim int) *attnBuf {
	w, _ := attnBufs.Get().(*attnBuf)
	if w == nil {
		w = new(attnBuf)
	}
	br := attnQueryBlock(t)
	bc := roundUp(attnKeyBlock, t.nr)
	w.qp = grow(w.qp, br*dim)
	w.kp = grow(w.kp, dim*bc)
	w.vp = grow(w.vp, bc*roundUp(dim, t.nr))
	w.s = grow(w.s, br*bc)
	w.pp = grow(w.pp, br*bc)
	w.o = grow(w.o, br*roundUp(dim, t.nr))
	w.rowMax = grow(w.rowMax, br)
	w.rowL = grow(w.rowL, br)
	return w
}

// block computes out rows [i0, i1) of one head. q, k, v and out are that
// head's seq×dim matrices.
func (w *attnBuf) block(t tier, q, k, v, out []float32, seq, dim, i0, i1 int, causal bool) {
	g := t.gemm
	bc := roundUp(attnKeyBlock, g.nr)
	dimPad := roundUp(dim, g.nr)
	rows := i1 - i0
	scale := float32(1 / math.Sqrt(float64(dim)))

	// Only whole register tiles are computed; the padding rows of the
	// packed queries are zero and their results are never stored.
	rowsPad := roundUp(rows, g.mr)
	packA(g.mr, w.qp, NoTrans, q, dim, i0, rows, 0, dim)
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
		packB(g.nr, w.kp, Trans, k, dim, 0, dim, j0, cols)
		for jr := 0; jr < colsPad; jr += g.nr {
			for ir := 0; ir < rowsPad; ir += g.mr {
				g.tile(dim, w.qp[ir*dim:], w.kp[jr*dim:], w.s[ir*bc+jr:], bc, scale, 0)
			}
		}
		// With causal, mask the keys after each query; then fold the
		// block into the running softmax. S becomes P, unnormalised.
		for i := range rowsPad {
			srow := w.s[i*bc : i*bc+cols]
			if i >= rows {
				clear(srow)
				continue
			}
			valid := cols
			if causal {
				valid = max(0, min(valid, i0+i+1-j0))
			}
			for j := valid; j < cols; j++ {
				srow[j] = float32(math.Inf(-1))
			}
			mOld := w.rowMax[i]
			mNew := max(mOld, t.rowMax(srow[:valid]))
			corr := expf(mOld - mNew)
			w.rowL[i] = w.rowL[i]*corr + t.expSubSum(srow, mNew)
			w.rowMax[i] = mNew
			if corr != 1 {
				t.scaleRow(w.o[i*dimPad:i*dimPad+dim], corr)
			}
		}
		// O += P·V over this key block.
		packA(g.mr, w.pp, NoTrans, w.s, bc, 0, rowsPad, 0, cols)
		packB(g.nr, w.vp, NoTrans, v, dim, j0, cols, 0, dim)
		for jr := 0; jr < dimPad; jr += g.nr {
			for ir := 0; ir < rowsPad; ir += g.mr {
				g.tile(cols, w.pp[ir*cols:], w.vp[jr*cols:], w.o[ir*dimPad+jr:], dimPad, 1, 1)
			}
		}
	}
	for i := range rows {
		t.scaleRow(w.o[i*dimPad:i*dimPad+dim], 1/w.rowL[i])
		copy(out[(i0+i)*dim:(i0+i+1)*dim], w.o[i*dimPad:])
	}
}
