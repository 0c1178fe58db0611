//go:build gc && !purego && !noasm

package kernels

import (
	"unsafe"

	"github.com/ppbench/ppbench/internal/isa"
)

// q8Table lists the amd64 Q8_0 tiers, narrowest first.
var q8Table = []simdQ8{
	{needs: isa.AVX512VNNI, t: q8Tier{nr: 32, prep: q8PrepVNNI, matvec: q8MatVecVNNIGo, gemm: q8GemmVNNI}},
}

// The avx512vnni tier.
//
// VPDPBUSD multiplies unsigned bytes by signed ones. The weights are made
// the unsigned operand, w+128 (w xor 0x80), so that the activations go in
// signed as they are; each block's dot product then carries 128·Σx too,
// which a per-token, per-block correction corr = -128·Σx takes off. The
// correction depends on the activations alone, so it is computed once per
// call (q8CorrAVX2) and costs the weight loops a load, not an operation.
// Every int32 sum is exact: |Σ(w+128)·x| <= 32·255·128 < 2²⁰.
//
// Decode (q8MatVecVNNI) reads each weight row once, 64 bytes (two blocks)
// a load, as memory delivers it: the load is folded into the xor, and
// VPDPBUSD takes the codes from memory (L1: a token is a few KiB). The 16
// dword lanes of a chunk hold 4-product partials of two blocks; eight
// chunks (16 blocks) are reduced to their 16 block sums by a tree of
// shuffles and adds (VNNI_TREE), so that every block sum is exact before
// it is scaled: one conversion and one fused multiply-add by S = ws·xs per
// 16 blocks, into 16 float32 chains that are added in a fixed tree at the
// end of the row. Per 64 bytes that is about 5.5 vector operations, on a
// core that issues two 512-bit operations a cycle: 20-25 bytes a cycle,
// several times what one core's share of memory bandwidth delivers.
//
// Prefill (q8GemmVNNI) is a GEMM of register tiles of 6 tokens by 32
// weight rows. The weights are packed (q8PackBVNNI), a sliver of 32 rows
// by 16 blocks at a time, into the layout VPDPBUSD wants: per group of 4
// codes, the 32 rows' dwords in two vectors, then the 32 rows' scales as
// float32. A token's 4 codes are broadcast straight from the activations.
// Per block the tile does 96 VPDPBUSD (8 groups × 6 tokens × 2 vectors)
// into int32 accumulators started from corr, then per accumulator one
// conversion, one multiply for S and one fused multiply-add into a
// float32 accumulator: 132 operations for 96 VPDPBUSD, so at most 73% of
// the VPDPBUSD peak (GemmInt8's 12×32 tile reaches about 76% of it). 12
// int32 and 12 float32 accumulators take 24 of the 32 registers, which is
// what bounds the tile at 6×32.
//
// Blocking: the sliver (18 KiB) stays in L1 while every token tile runs
// through it; the tokens' 16 blocks (512 codes each, 256 KiB for 512
// tokens) stay in L2 while a panel of q8PanelVNNI weight rows (8 slivers)
// runs, and so does the panel's part of y (512 KiB), which each k block
// adds to; y starts from zero in the first k block and is loaded after, so
// that every output is one chain of fused multiply-adds in block order,
// whatever the blocking or the split over threads.
const (
	q8SliverBlock = 1152 // bytes of one block of a packed sliver: 8·128 + 128
	q8KBlocks     = 16   // blocks a packed sliver holds: a k block of 512 codes
	q8PanelVNNI   = 256  // weight rows whose outputs a k block updates in turn
	q8TileTokens  = 6
)

//go:noescape
func q8CorrAVX2(q *int8, blocks int, corr *int32)

//go:noescape
func q8MatVecVNNI(rows, nb int, w *int8, ws *F16, x *int8, xs *float32, corr *int32, tail *[9]uint64, y *float32)

//go:noescape
func q8PackBVNNI(dst *byte, codes *[16]*int8, scales *[16]*F16, blocks, lanes int)

// q8PrefetchLine asks for the cache line at p (PREFETCHT1: into L2).
//
//go:noescape
func q8PrefetchLine(p unsafe.Pointer)

//go:noescape
func q8TileVNNI(blocks int, x *int8, ldx int, xs *float32, corr *int32, ldp int, b *byte, y *float32, ldy, rows, cols, load int)

// q8PrepVNNI lays the activations out in k blocks of 16 Q8 blocks (512
// codes), token by token within a k block, padded with zeros to whole k
// blocks and, for the gemm, to whole tiles of tokens: codes in xq, block
// scales as float32 in xs, corrections in corr. A tile then reads its
// tokens' 512 codes at a stride of 512 bytes, whatever cols is (a stride of
// cols would put every token's codes in the same few L2 sets when cols is
// a large power of two), and the last tile reads zero tokens, not past x.
// For one token (the matvec) the layout is simply the token's codes,
// scales and corrections padded to 16 blocks.
func q8PrepVNNI(c *q8Call, x *Q8Matrix, gemm bool) {
	k, nb := x.Cols, x.Cols/Q8BlockLen
	c.nbp = roundUp(nb, q8KBlocks)
	c.rows = 1
	if gemm {
		c.rows = roundUp(x.Rows, q8TileTokens)
	}
	c.xq = lowpGrow(c.xq, c.rows*c.nbp*Q8BlockLen)
	c.xs = lowpGrow(c.xs, c.rows*c.nbp)
	c.corr = lowpGrow(c.corr, c.rows*c.nbp)
	const kq = q8KBlocks * Q8BlockLen
	for kb := range c.nbp / q8KBlocks {
		for t := range c.rows {
			p := kb*c.rows + t
			xq := c.xq[p*kq : (p+1)*kq]
			xs := c.xs[p*q8KBlocks : (p+1)*q8KBlocks]
			if t >= x.Rows {
				clear(xq)
				clear(xs)
				clear(c.corr[p*q8KBlocks : (p+1)*q8KBlocks])
				continue
			}
			j0, j1 := kb*kq, min((kb+1)*kq, k)
			clear(xq[copy(xq, x.Quants[t*k+j0:t*k+j1]):])
			b0 := kb * q8KBlocks
			for b := range xs {
				xs[b] = 0
				if b0+b < nb {
					xs[b] = x.Scales[t*nb+b0+b].Float32()
				}
			}
			q8CorrAVX2(&xq[0], q8KBlocks, &c.corr[p*q8KBlocks])
		}
	}
}

// q8MatVecVNNIGo runs q8MatVecVNNI on rows [r0, r1).
func q8MatVecVNNIGo(c *q8Call, _, w *Q8Matrix, r0, r1 int, y []float32) {
	nb := w.Cols / Q8BlockLen
	// The masks of the last, partial group of 16 blocks: chunk i's bytes
	// and the group's scales.
	var tail [9]uint64
	rem := nb % 16
	for i := range 8 {
		if n := rem*Q8BlockLen - 64*i; n >= 64 {
			tail[i] = ^uint64(0)
		} else if n > 0 {
			tail[i] = 1<<n - 1
		}
	}
	tail[8] = 1<<rem - 1
	_ = y[r1-1]
	q8MatVecVNNI(r1-r0, nb, &w.Quants[r0*w.Cols], &w.Scales[r0*nb], &c.xq[0], &c.xs[0], &c.corr[0], &tail, &y[r0])
}

// q8VNNIBuf is one goroutine's packing space for the vnni gemm.
type q8VNNIBuf struct {
	raw    []byte
	codes  [16]*int8
	scales [16]*F16
}

var q8VNNIBufs freeList[q8VNNIBuf]

// q8GemmVNNI computes weight rows [r0, r1) of y for every token (see the
// blocking above).
func q8GemmVNNI(c *q8Call, x, w *Q8Matrix, r0, r1 int, y []float32, ldy int) {
	nb, m := w.Cols/Q8BlockLen, x.Rows
	buf := q8VNNIBufs.get()
	defer q8VNNIBufs.put(buf)
	// The sliver, 64-byte aligned: its loads are whole cache lines.
	buf.raw = lowpGrow(buf.raw, q8KBlocks*q8SliverBlock+64)
	off := int((64 - uintptr(unsafe.Pointer(&buf.raw[0]))%64) % 64)
	sliver := buf.raw[off : off+q8KBlocks*q8SliverBlock]
	_ = y[(m-1)*ldy+r1-1]
	const kq = q8KBlocks * Q8BlockLen
	for jc := r0; jc < r1; jc += q8PanelVNNI {
		j1 := min(jc+q8PanelVNNI, r1)
		for pc := 0; pc < nb; pc += q8KBlocks {
			blocks := min(q8KBlocks, nb-pc)
			load := 0
			if pc > 0 {
				load = 1
			}
			kb := pc / q8KBlocks
			for jr := jc; jr < j1; jr += 32 {
				rows := min(32, j1-jr)
				buf.pack(sliver, w, jr, rows, pc, blocks)
				// The next sliver's weights, which the next pack reads
				// from memory: prefetched a few lines a tile, so that
				// they arrive while the tiles run.
				nr, npc := jr+32, pc
				if nr >= j1 {
					nr, npc = jc, pc+q8KBlocks
				}
				pf := q8Prefetch{}
				if npc < nb {
					pf = q8Prefetch{w: w, r0: nr, rows: min(32, j1-nr), col: npc * Q8BlockLen, tiles: (m + q8TileTokens - 1) / q8TileTokens}
				}
				for ir := 0; ir < m; ir += q8TileTokens {
					pf.step(ir / q8TileTokens)
					p := kb*c.rows + ir
					q8TileVNNI(blocks, &c.xq[p*kq], kq, &c.xs[p*q8KBlocks], &c.corr[p*q8KBlocks], q8KBlocks,
						&sliver[0], &y[ir*ldy+jr], ldy, min(q8TileTokens, m-ir), rows, load)
				}
			}
		}
	}
}

// A q8Prefetch spreads the prefetches of a sliver's weights, rows
// [r0, r0+rows) from column col (up to 512 codes and their scales each)
// over tiles calls of step.
type q8Prefetch struct {
	w                    *Q8Matrix
	r0, rows, col, tiles int
}

// step prefetches tile i's share of the lines: those of each row's codes
// and one of its scales.
func (p *q8Prefetch) step(i int) {
	if p.w == nil {
		return
	}
	per := (min(q8KBlocks*Q8BlockLen, p.w.Cols-p.col)+63)/64 + 1
	lines := p.rows * per
	for l := i * lines / p.tiles; l < (i+1)*lines/p.tiles; l++ {
		r, c := p.r0+l/per, l%per
		if c < per-1 {
			q8PrefetchLine(unsafe.Pointer(&p.w.Quants[r*p.w.Cols+p.col+64*c]))
		} else {
			q8PrefetchLine(unsafe.Pointer(&p.w.Scales[(r*p.w.Cols+p.col)/Q8BlockLen]))
		}
	}
}

// pack packs rows [jr, jr+rows) of w, blocks [pc, pc+blocks), into the
// sliver, in two halves of 16 rows. A row past rows takes the codes and
// scales of the half's first (so that every load is of valid memory) and
// is written as zeros.
func (buf *q8VNNIBuf) pack(sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int) {
	k, nb := w.Cols, w.Cols/Q8BlockLen
	for h := range 2 {
		valid := min(max(rows-16*h, 0), 16)
		for i := range 16 {
			r := jr + min(16*h+i, rows-1)
			if i >= valid {
				r = jr + min(16*h, rows-1)
			}
			buf.codes[i] = &w.Quants[r*k+pc*Q8BlockLen]
			buf.scales[i] = &w.Scales[r*nb+pc]
		}
		q8PackBVNNI(&sliver[64*h], &buf.codes, &buf.scales, blocks, 1<<valid-1)
	}
}
