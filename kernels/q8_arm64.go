//go:build gc && !purego && !noasm

package kernels

import (
	"unsafe"

	"github.com/ppbench/ppbench/internal/isa"
)

// q8Table lists the arm64 Q8_0 tiers, narrowest first.
var q8Table = []simdQ8{
	{needs: isa.DOTPROD, t: q8Tier{nr: q8GemmSDOT.nr, prep: q8PrepSDOT, matvec: q8MatVecSDOTGo, gemm: q8GemmSDOT.run}},
}

// The dotprod tier. SDOT multiplies signed bytes by signed bytes, four
// into each int32 lane, exactly, so the codes go in as they are. The
// throughputs below are llvm-mca-19's (-mcpu=neoverse-v1 and neoverse-v2,
// the same to the cycle) on the loops as disassembled from the test
// binary, 300 iterations.
//
// Decode (q8MatVecSDOT): per group of 4 blocks of a weight row (128
// bytes), 8 SDOT (vector form) of the row's codes against the
// activations' (L1), pairwise adds (ADDP) to the 4 block sums in block
// order, then one conversion, one fused multiply-add by S = ws·xs (FCVTL
// turns the 4 halves into float32 exactly): 6.75 cycles a group, bound by
// the loads of weights and codes, 19 bytes of weights a cycle, several
// times a core's share of memory bandwidth. The rows are read as two
// streams, as on amd64 (q8_amd64.s, Q8_SECOND_STREAM).
//
// Prefill: a 6×8 tile of SDOT by element, the int8 GEMM's 12×8 tile
// halved, since its 12 int32 block sums need 12 float32 sums beside them:
// 24 accumulators, A in V0-V1, B in V2-V3, the tokens' scales in V4-V5,
// S in V6 and a constant in V7. A group of 4 codes (3 loads, 12 SDOT)
// runs in 3.03 cycles, 99% of SDOT's 4 a cycle; but each block adds, per
// accumulator, the start of its sum, a conversion, a multiply for S and
// a fused multiply-add, 48 vector operations beside 96 SDOT: 36.0 cycles
// a block, SDOT at 67% of its peak. The conversion is a subtraction (see
// TD_START in q8_arm64.s) because SCVTF takes two vector slots; with it
// and EOR zeroing (which waits on the last use) a block took 39.
var q8GemmSDOT = &q8Gemm{
	mr: 6, nr: 8, xBytes: 6 * q8KBlocks * Q8BlockLen, sliverBlock: 8*32 + 32,
	pack: q8PackSDOT, tile: q8TileSDOTGo, x: func(c *q8Call) []byte { return q8AsBytes(c.xp) },
}

//go:noescape
func q8MatVecSDOT(rows, nb int, w *int8, ws *F16, x *int8, xs *float32, y *float32)

//go:noescape
func q8PackBSDOT(dst *byte, codes *[8]*int8, blocks int, mask *[8]uint32)

//go:noescape
func q8TileSDOT6x8(blocks int, a *byte, xs *float32, b *byte, y *float32, ldy, load int, pf q8Prefetch)

// q8PrepSDOT lays the activations out for the tier: for one token (the
// matvec), its codes and scales padded with zeros to 16 blocks; for the
// gemm, in k blocks of 16 blocks and tiles of 6 tokens, per block the 8
// groups of the 6 tokens' 4 codes (c.xp) and the 6 tokens' scales as
// float32 (c.xs), zero padded, so that the tile loads each as it uses it.
func q8PrepSDOT(c *q8Call, x *Q8Matrix, gemm bool) {
	if !gemm {
		q8LayoutScales(c, x, 1)
		c.xq = lowpGrow(c.xq, c.nbp*Q8BlockLen)
		clear(c.xq[copy(c.xq, x.Quants[:x.Cols]):])
		return
	}
	const mr, groups = 6, Q8BlockLen / 4
	k, nb := x.Cols, x.Cols/Q8BlockLen
	c.nbp = roundUp(nb, q8KBlocks)
	c.rows = roundUp(x.Rows, mr)
	c.xs = lowpGrow(c.xs, c.rows*c.nbp)
	c.xp = lowpGrow(c.xp, c.rows*c.nbp*Q8BlockLen)
	src := unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(x.Quants))), len(x.Quants)/4)
	dst := unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(c.xp))), len(c.xp)/4)
	for i := range c.rows / mr {
		for b := range c.nbp {
			// Block b of tile i: k block b/16, block b%16 of it.
			p := ((b/q8KBlocks)*(c.rows/mr)+i)*q8KBlocks + b%q8KBlocks
			xs := c.xs[p*mr : (p+1)*mr]
			d := dst[p*groups*mr : (p+1)*groups*mr]
			for t := range mr {
				tok := i*mr + t
				if tok >= x.Rows || b >= nb {
					xs[t] = 0
					for g := range groups {
						d[g*mr+t] = 0
					}
					continue
				}
				xs[t] = x.Scales[tok*nb+b].Float32()
				s := src[(tok*k+b*Q8BlockLen)/4:][:groups]
				for g, v := range s {
					d[g*mr+t] = v
				}
			}
		}
	}
}

// q8MatVecSDOTGo runs q8MatVecSDOT on rows [r0, r1).
func q8MatVecSDOTGo(c *q8Call, _, w *Q8Matrix, r0, r1 int, y []float32) {
	nb := w.Cols / Q8BlockLen
	_ = y[r1-1]
	q8MatVecSDOT(r1-r0, nb, &w.Quants[r0*w.Cols], &w.Scales[r0*nb], &c.xq[0], &c.xs[0], &y[r0])
}

// q8PackSDOT packs rows [jr, jr+rows) of w, blocks [pc, pc+blocks), into
// the sliver: the codes by q8PackBSDOT, then each block's 8 scales as
// float32, zero for the rows past rows.
func q8PackSDOT(buf *q8GemmBuf, sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int) {
	const sb = 8*32 + 32
	buf.pointers(w, jr, rows, pc, 8)
	var mask [8]uint32
	for i := range rows {
		mask[i] = ^uint32(0)
	}
	q8PackBSDOT(&sliver[0], (*[8]*int8)(buf.codes[:8]), blocks, &mask)
	ws := unsafe.Slice((*float32)(unsafe.Pointer(&sliver[0])), len(sliver)/4)
	for b := range blocks {
		s := ws[(b*sb+8*32)/4 : (b*sb+8*32)/4+8]
		for r := range s {
			s[r] = 0
			if r < rows {
				s[r] = unsafe.Slice(buf.scales[r], blocks)[b].Float32()
			}
		}
	}
}

// q8TileSDOTGo runs the 6×8 tile; a tile at the edge of y runs on a
// full-size copy, as NEON has no masked loads and stores.
func q8TileSDOTGo(blocks int, a *byte, xs *float32, _ *int32, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch) {
	if rows == 6 && cols == 8 {
		q8TileSDOT6x8(blocks, a, xs, b, y, ldy, load, pf)
		return
	}
	var e [6 * 8]float32
	ys := unsafe.Slice(y, (rows-1)*ldy+cols)
	if load != 0 {
		for r := range rows {
			copy(e[r*8:r*8+cols], ys[r*ldy:])
		}
	}
	q8TileSDOT6x8(blocks, a, xs, b, &e[0], 8, load, pf)
	for r := range rows {
		copy(ys[r*ldy:r*ldy+cols], e[r*8:])
	}
}
