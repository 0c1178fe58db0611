//go:build gc && !purego && !noasm

package kernels

import (
	"unsafe"

	"github.com/ppbench/ppbench/internal/isa"
)

// q8Table lists the arm64 Q8_0 tiers, narrowest first.
var q8Table = []simdQ8{
	{needs: isa.DOTPROD, t: q8Tier{nr: q8GemmSDOT.nr, prep: q8PrepSDOT, matvec: q8MatVecSDOTGo, gemm: q8GemmSDOT.run}},
	{needs: isa.I8MM, t: q8Tier{nr: q8GemmSMMLA.nr, prep: q8PrepSMMLA, matvec: q8MatVecSDOTGo, gemm: q8GemmSMMLA.run}},
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
// matvec) as q8PrepMatVec; for the gemm, in k blocks of 16 blocks and
// tiles of 6 tokens, per block the 8 groups of the 6 tokens' 4 codes
// (c.xp) and the 6 tokens' scales as float32 (c.xs), zero padded, so that
// the tile loads each as it uses it.
func q8PrepSDOT(c *q8Call, x *Q8Matrix, gemm bool) {
	if !gemm {
		q8PrepMatVec(c, x)
		return
	}
	q8LayoutTiles[uint32](c, x, 6*Q8BlockLen)
}

// q8PrepMatVec lays out the one token of a matvec: its codes and scales
// padded with zeros to 16 blocks.
func q8PrepMatVec(c *q8Call, x *Q8Matrix) {
	q8LayoutScales(c, x, 1)
	c.xq = lowpGrow(c.xq, c.nbp*Q8BlockLen)
	clear(c.xq[copy(c.xq, x.Quants[:x.Cols]):])
}

// q8LayoutTiles lays the activations out for a gemm tile of 6 tokens, in
// k blocks of 16 blocks: block b of tile i of k block kb is block p =
// (kb·tiles + i)·16 + b of the layout, blockBytes bytes of c.xp from
// p·blockBytes, which start with the 6 tokens' codes in groups of a word
// W (4 or 8 codes), group g of token t at word 6g+t, and 6 float32 of
// c.xs from 6p, the tokens' scales. Tokens and blocks past x's are zeros.
func q8LayoutTiles[W uint32 | uint64](c *q8Call, x *Q8Matrix, blockBytes int) {
	const mr = 6
	size := int(unsafe.Sizeof(W(0)))
	groups := Q8BlockLen / size
	k, nb := x.Cols, x.Cols/Q8BlockLen
	c.nbp = roundUp(nb, q8KBlocks)
	c.rows = roundUp(x.Rows, mr)
	c.xs = lowpGrow(c.xs, c.rows*c.nbp)
	c.xp = lowpGrow(c.xp, c.rows/mr*c.nbp*blockBytes)
	src := unsafe.Slice((*W)(unsafe.Pointer(unsafe.SliceData(x.Quants))), len(x.Quants)/size)
	dst := unsafe.Slice((*W)(unsafe.Pointer(unsafe.SliceData(c.xp))), len(c.xp)/size)
	for i := range c.rows / mr {
		for b := range c.nbp {
			// Block b of tile i: k block b/16, block b%16 of it.
			p := ((b/q8KBlocks)*(c.rows/mr)+i)*q8KBlocks + b%q8KBlocks
			xs := c.xs[p*mr : (p+1)*mr]
			d := dst[p*blockBytes/size:][:groups*mr]
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
				s := src[(tok*k+b*Q8BlockLen)/size:][:groups]
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
	var e q8Edge
	t, ldt := e.in(y, ldy, rows, cols, load)
	q8TileSDOT6x8(blocks, a, xs, b, t, ldt, load, pf)
	e.out(y, ldy, rows, cols)
}

// A q8Edge is a 6×8 tile's full-size stand-in for the rows×cols corner
// of y that an edge tile has.
type q8Edge [6 * 8]float32

// in returns where the tile writes: y itself (rows ldy apart) when the
// tile is whole, else e, holding the corner's values when load != 0.
func (e *q8Edge) in(y *float32, ldy, rows, cols, load int) (*float32, int) {
	if rows == 6 && cols == 8 {
		return y, ldy
	}
	if load != 0 {
		ys := unsafe.Slice(y, (rows-1)*ldy+cols)
		for r := range rows {
			copy(e[r*8:r*8+cols], ys[r*ldy:])
		}
	}
	return &e[0], 8
}

// out copies e back to y's corner, for a tile that was not whole.
func (e *q8Edge) out(y *float32, ldy, rows, cols int) {
	if rows == 6 && cols == 8 {
		return
	}
	ys := unsafe.Slice(y, (rows-1)*ldy+cols)
	for r := range rows {
		copy(ys[r*ldy:r*ldy+cols], e[r*8:])
	}
}

// The i8mm tier. Decode is the dotprod tier's (q8MatVecSDOT): SMMLA
// multiplies two rows by two, and decode has one token. Prefill is a 6×8
// tile of SMMLA (see int8_arm64.go): Vd.4S += a 2×8 int8 matrix in Vn
// times the transpose of a 2×8 one in Vm, 32 multiply-adds in the issue
// slot where SDOT makes 16.
//
// Vn is a pair of weight rows and Vm a pair of tokens, so that each 2×2
// product holds the block sums [w0·t0, w0·t1, w1·t0, w1·t1]: 3 token pairs
// by 4 row pairs make 12 int32 accumulators (V8-V19) with 12 float32 ones
// beside them (V20-V31); a group of 8 codes takes V0-V2 (the token pairs)
// and V4-V7 (the row pairs), the conversion's constant (TD_START) V3: all
// 32 registers. Per block each accumulator takes 4 SMMLA and, as in the
// dotprod tile, a start, a conversion, a multiply for S and a fused
// multiply-add, so that SMMLA fills at most half the vector slots: 2
// operations an output and block, where the dotprod tile takes 3. Every
// tile shape costs that per output; this one, the largest that fits,
// loads the fewest codes an output (9.3 bytes a block; a 4×8 tile 12)
// and has the dotprod tile's 6 tokens.
//
// S is one multiply of two vectors that the layouts hold ready: the rows'
// scales as [w0, w0, w1, w1] in the sliver and the tokens' as [t0, t1,
// t0, t1] after each block's codes in the activations' layout. Made in
// the tile from the 6 scales of c.xs, the tokens' would take a vector
// operation a token pair and block (LD1R takes one too): 24.80 cycles a
// block in llvm-mca instead of 24.04.
//
// llvm-mca-19 (-mcpu=neoverse-v1 and neoverse-v2, the same to the cycle)
// on the block loop as disassembled from the test binary, 300 iterations:
// 24.04 cycles a block, 96 vector operations on 4 pipes, of which 48
// SMMLA, at 50% of SMMLA's 4 a cycle. That is 0.50 cycles an output and
// block against the dotprod tile's 0.75 (36.04 cycles for its 48 outputs),
// 1.5 times as fast; a 4×8 tile of the same loop ran 16.04 cycles for 32
// outputs, the same per output.
var q8GemmSMMLA = &q8Gemm{
	mr: 6, nr: 8, xBytes: q8KBlocks * q8SMMLABlock, sliverBlock: q8SMMLASliverBlock,
	pack: q8PackSMMLA, tile: q8TileSMMLAGo, x: func(c *q8Call) []byte { return q8AsBytes(c.xp) },
}

// q8SMMLABlock is the bytes of one block of a tile of the i8mm tier's
// activations: the codes of 4 groups of 3 token pairs, 16 bytes each,
// then the 3 pairs' scales as [t0, t1, t0, t1].
//
// q8SMMLASliverBlock is the bytes of one block of a sliver: the codes of
// 4 groups of 4 row pairs, 16 bytes each, then the 4 pairs' scales as
// [w0, w0, w1, w1].
const (
	q8SMMLABlock       = 4*3*16 + 3*16
	q8SMMLASliverBlock = 4*4*16 + 4*16
)

//go:noescape
func q8PackBSMMLA(dst *byte, codes *[8]*int8, blocks int)

//go:noescape
func q8TileSMMLA6x8(blocks int, a *byte, b *byte, y *float32, ldy, load int, pf q8Prefetch)

// q8PrepSMMLA lays the activations out for the tier: for the matvec as
// the dotprod tier does; for the gemm, as q8LayoutTiles with groups of 8
// codes, so that tokens 2q and 2q+1 make one 16-byte operand, and each
// block's scales in pairs after its codes (q8SMMLABlock).
func q8PrepSMMLA(c *q8Call, x *Q8Matrix, gemm bool) {
	if !gemm {
		q8PrepMatVec(c, x)
		return
	}
	const mr, codes = 6, 6 * Q8BlockLen
	q8LayoutTiles[uint64](c, x, q8SMMLABlock)
	v := unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(c.xp))), len(c.xp)/4)
	for p := range len(c.xs) / mr {
		xs := c.xs[p*mr : (p+1)*mr]
		d := v[(p*q8SMMLABlock+codes)/4:][:2*mr]
		for q := range mr / 2 {
			d[4*q], d[4*q+1], d[4*q+2], d[4*q+3] = xs[2*q], xs[2*q+1], xs[2*q], xs[2*q+1]
		}
	}
}

// q8PackSMMLA packs rows [jr, jr+rows) of w, blocks [pc, pc+blocks), into
// the sliver: the codes by q8PackBSMMLA, then each block's scales as
// float32, zero for the rows past rows. Those rows' codes repeat the last
// row (q8GemmBuf.pointers): times a zero scale they add nothing to
// outputs that are never stored.
func q8PackSMMLA(buf *q8GemmBuf, sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int) {
	buf.pointers(w, jr, rows, pc, 8)
	q8PackBSMMLA(&sliver[0], (*[8]*int8)(buf.codes[:8]), blocks)
	ws := unsafe.Slice((*float32)(unsafe.Pointer(&sliver[0])), len(sliver)/4)
	for b := range blocks {
		s := ws[(b*q8SMMLASliverBlock+4*4*16)/4:][:16]
		for r := range 8 {
			var v float32
			if r < rows {
				v = unsafe.Slice(buf.scales[r], blocks)[b].Float32()
			}
			i := r/2*4 + r%2*2
			s[i], s[i+1] = v, v
		}
	}
}

// q8TileSMMLAGo runs the 6×8 tile, at the edge of y on a full-size copy
// as q8TileSDOTGo does; the tokens' scales are in a, not xs.
func q8TileSMMLAGo(blocks int, a *byte, _ *float32, _ *int32, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch) {
	var e q8Edge
	t, ldt := e.in(y, ldy, rows, cols, load)
	q8TileSMMLA6x8(blocks, a, b, t, ldt, load, pf)
	e.out(y, ldy, rows, cols)
}
