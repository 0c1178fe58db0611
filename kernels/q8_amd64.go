//go:build gc && !purego && !noasm

package kernels

import (
	"unsafe"

	"github.com/ppbench/ppbench/internal/isa"
)

// q8Table lists the amd64 Q8_0 tiers, narrowest first.
var q8Table = q8TableFor(amxUsable())

// q8TableFor returns the amd64 Q8_0 tiers, with the amx tier last when
// amxOK (AMXStatus: the OS grants the tile state).
func q8TableFor(amxOK bool) []simdQ8 {
	t := []simdQ8{
		{needs: isa.AVX2, t: q8Tier{nr: q8GemmAVX2.nr, prep: q8PrepAVX2, matvec: q8MatVecAVX2Go, gemm: q8GemmAVX2.run}},
		{needs: isa.AVX512VNNI, t: q8Tier{nr: q8GemmVNNI.nr, prep: q8PrepVNNI, matvec: q8MatVecVNNIGo, gemm: q8GemmVNNI.run}},
	}
	if amxOK {
		// Decode is the vnni tier's: a single token gains nothing from
		// the tiles.
		t = append(t, simdQ8{needs: isa.AMXInt8, t: q8Tier{nr: q8GemmAMX.nr, prep: q8PrepAMX, matvec: q8MatVecVNNIGo, gemm: q8GemmAMX.run}})
	}
	return t
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
// core that issues two 512-bit operations a cycle: 20-25 bytes a cycle
// (about 60 GB/s measured on weights in L2), several times what one
// core's share of memory bandwidth delivers. The rows are read as two
// streams (Q8_SECOND_STREAM in q8_amd64.s).
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
// the VPDPBUSD peak; GemmInt8, which scales nothing, reaches about 80%.
// 12 int32 and 12 float32 accumulators take 24 of the 32 registers, which
// is what bounds the tile at 6×32. Measured on a host that issues two
// 512-bit VPDPBUSD a cycle, the tile alone runs at about 61% of the peak
// (its loads and the scaling do not overlap perfectly), the whole prefill
// at 60-70% of GemmInt8's rate. The tile prefetches the next tile's codes
// and outputs, and its share of the next sliver's weights.
//
// The blocking is q8Gemm's; the sliver is 18 KiB.
const q8SliverVNNI = 8*128 + 128 // bytes a block of a 32-row sliver: 8 groups, then the scales

var q8GemmVNNI = &q8Gemm{
	mr: 6, nr: 32, xBytes: 6 * q8KBlocks * Q8BlockLen, sliverBlock: q8SliverVNNI, corr: true,
	pack: q8PackVNNI, tile: q8TileVNNIGo, x: func(c *q8Call) []byte { return q8AsBytes(c.xq) },
}

//go:noescape
func q8CorrAVX2(q *int8, blocks int, corr *int32)

//go:noescape
func q8MatVecVNNI(rows, nb int, w *int8, ws *F16, x *int8, xs *float32, corr *int32, tail *[9]uint64, y *float32)

//go:noescape
func q8PackBVNNI(dst *byte, codes *[16]*int8, scales *[16]*F16, blocks, lanes int, bias uint32)

//go:noescape
func q8TileVNNI(blocks int, x *int8, ldx int, xs *float32, corr *int32, ldp int, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch)

// q8PrepVNNI lays the activations out as q8Gemm describes (for one
// token, the matvec, that is its codes, scales and corrections, padded to
// 16 blocks): codes in c.xq, corrections in c.corr. A tile reads its
// tokens' 512 codes at a stride of 512 bytes, whatever cols is; a stride
// of cols would put every token's codes in the same few L2 sets when cols
// is a large power of two.
func q8PrepVNNI(c *q8Call, x *Q8Matrix, gemm bool) {
	mr := 1
	if gemm {
		mr = q8GemmVNNI.mr
	}
	q8PrepCodes(c, x, mr, true)
}

// q8PrepCodes lays the codes out for tiles of mr tokens, with their
// scales and, when corr, corrections.
func q8PrepCodes(c *q8Call, x *Q8Matrix, mr int, corr bool) {
	q8LayoutScales(c, x, mr)
	k := x.Cols
	c.xq = lowpGrow(c.xq, c.rows*c.nbp*Q8BlockLen)
	c.corr = lowpGrow(c.corr, c.rows*c.nbp)
	const kq = q8KBlocks * Q8BlockLen
	for kb := range c.nbp / q8KBlocks {
		for t := range c.rows {
			p := kb*c.rows + t
			xq := c.xq[p*kq : (p+1)*kq]
			n := 0
			if t < x.Rows {
				n = copy(xq, x.Quants[t*k+kb*kq:t*k+min((kb+1)*kq, k)])
			}
			clear(xq[n:])
			if corr {
				q8CorrAVX2(&xq[0], q8KBlocks, &c.corr[p*q8KBlocks])
			}
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

// q8TileVNNIGo runs q8TileVNNI on a tile laid out by q8PrepVNNI.
func q8TileVNNIGo(blocks int, x *byte, xs *float32, corr *int32, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch) {
	q8TileVNNI(blocks, (*int8)(unsafe.Pointer(x)), q8KBlocks*Q8BlockLen, xs, corr, q8KBlocks, b, y, ldy, rows, cols, load, pf)
}

// q8PackVNNI packs rows [jr, jr+rows) of w, blocks [pc, pc+blocks), into
// the sliver, in two halves of 16 rows, codes plus 128 (xor 0x80).
func q8PackVNNI(buf *q8GemmBuf, sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int) {
	q8PackSliver32(buf, sliver, w, jr, rows, pc, blocks, 0x80808080)
}

// q8PackAMX packs as q8PackVNNI does, the codes as they are.
func q8PackAMX(buf *q8GemmBuf, sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int) {
	q8PackSliver32(buf, sliver, w, jr, rows, pc, blocks, 0)
}

func q8PackSliver32(buf *q8GemmBuf, sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int, bias uint32) {
	buf.pointers(w, jr, rows, pc, 32)
	for h := range 2 {
		valid := min(max(rows-16*h, 0), 16)
		q8PackBVNNI(&sliver[64*h], (*[16]*int8)(buf.codes[16*h:]), (*[16]*F16)(buf.scales[16*h:]), blocks, 1<<valid-1, bias)
	}
}

// The amx tier's prefill: 16 tokens by 32 weight rows a tile (the vnni
// sliver's layout, codes not offset: TDPBSSD is signed by signed), in two
// passes of 16 rows, one block of 32 codes a step: a 16×32 by 32×16
// TDPBSSD (8192 multiply-adds, 16 cycles of the AMX unit) into a 16×16
// int32 tile, stored and scaled by AVX-512 as the vnni tile scales its
// sums, 48 operations (24 cycles at two a cycle), which bound the tile;
// see q8TilesAMX for how the blocks overlap. On this host it runs at about
// 1.3 times the vnni tier's rate: the tile products are not what bound it.
var q8GemmAMX = &q8Gemm{
	mr: 16, nr: 32, xBytes: 16 * q8KBlocks * Q8BlockLen, sliverBlock: q8SliverVNNI, scratch: 2048,
	pack: q8PackAMX, tiles: q8TilesAMXGo, x: func(c *q8Call) []byte { return q8AsBytes(c.xq) },
}

// q8AMXConfig is the tile configuration the amx tile loads (LDTILECFG):
// palette 1 and two sets of three tiles, TMM0-2 and TMM3-5: 16 rows of 32
// bytes (16 tokens' codes of a block), 8 rows of 64 (a block's 8 groups of
// 4 codes of 16 weight rows) and 16 rows of 64 (16×16 int32).
var q8AMXConfig = func() (cfg [64]byte) {
	cfg[0] = 1
	for t, shape := range [][2]int{{16, 32}, {8, 64}, {16, 64}, {16, 32}, {8, 64}, {16, 64}} {
		cfg[48+t] = byte(shape[0])
		cfg[16+2*t] = byte(shape[1])
	}
	return cfg
}()

//go:noescape
func q8TilesAMX(cfg *[64]byte, blocks int, x *int8, xs *float32, b *byte, y *float32, ldy, m, cols, load int, scratch *byte, pf *q8Prefetches)

// q8PrepAMX lays the activations out for tiles of 16 tokens (no
// corrections: TDPBSSD takes the codes signed).
func q8PrepAMX(c *q8Call, x *Q8Matrix, gemm bool) {
	if !gemm {
		q8PrepVNNI(c, x, false)
		return
	}
	q8PrepCodes(c, x, q8GemmAMX.mr, false)
}

// q8TilesAMXGo runs q8TilesAMX; its scratch (the stored int32 tiles)
// follows the sliver.
func q8TilesAMXGo(blocks int, x *byte, xs *float32, b *byte, y *float32, ldy, m, cols, load int, pf *q8Prefetches) {
	scratch := unsafe.Add(unsafe.Pointer(b), q8KBlocks*q8SliverVNNI)
	q8TilesAMX(&q8AMXConfig, blocks, (*int8)(unsafe.Pointer(x)), xs, b, y, ldy, m, cols, load, (*byte)(scratch), pf)
}

// The avx2 tier. AVX2 has no int8 dot product that is exact for every
// pair of int8 codes: VPMADDUBSW takes one operand unsigned and saturates
// its int16 pair sums (the usual sign trick, |w| times x·sign(w), is exact
// only without -128, which QuantizeQ8 never writes but a Q8Matrix may
// hold). So both operands are widened to int16 (VPMOVSXBW) and VPMADDWD
// multiplies pairs into exact int32 lanes (2·128² < 2³¹).
//
// Decode (q8MatVecAVX2): per block of a weight row, two widening loads,
// two VPMADDWD against the widened codes (L1), an add, a conversion and
// one fused multiply-add of the 8 lane partials by the block's S, into
// four accumulators (blocks in turn: the adds' latency is then hidden).
// Without F16C in the tier's set the scales are converted eight at a time
// with integer operations (Q8_HALF_TO_FLOAT). About 8 operations a block
// of 32 bytes, two of them VPMOVSXBW on the one shuffle port: 16 bytes a
// cycle at most, above memory's rate.
//
// Prefill: a 3×16 tile, C in 6 int32 and 6 float32 accumulators, the 16
// registers all used. Per pair of codes: two loads of the 16 rows' pairs,
// three broadcasts of a token's pair, six VPMADDWD and six VPADDD; per
// block (16 pairs), 192 such operations and 18 for the scaling (convert,
// S, fused multiply-add), against GemmInt8's 6×16 tile, which does the
// same VPMADDWD and VPADDD without the scaling: about 90% of its rate.
var q8GemmAVX2 = &q8Gemm{
	mr: 3, nr: 16, xBytes: 3 * q8KBlocks * Q8BlockLen * 2, sliverBlock: 16*64 + 64,
	pack: q8PackAVX2, tile: q8TileAVX2, x: func(c *q8Call) []byte { return q8AsBytes(c.x16) },
}

//go:noescape
func q8WidenAVX2(dst *int16, src *int8, n int)

//go:noescape
func q8MatVecAVX2(rows, nb int, w *int8, ws *F16, x *int16, xs *float32, y *float32)

//go:noescape
func q8PackBAVX2(dst *byte, codes *[8]*int8, blocks, lanes int)

//go:noescape
func q8TileAVX2(blocks int, x *byte, xs *float32, corr *int32, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch)

// q8PrepAVX2 lays the activations out as q8Gemm describes, codes widened
// to int16 in c.x16 (for one token, its codes and scales padded to 16
// blocks).
func q8PrepAVX2(c *q8Call, x *Q8Matrix, gemm bool) {
	mr := 1
	if gemm {
		mr = q8GemmAVX2.mr
	}
	q8LayoutScales(c, x, mr)
	k := x.Cols
	const kq = q8KBlocks * Q8BlockLen
	c.x16 = lowpGrow(c.x16, c.rows*c.nbp*Q8BlockLen)
	for kb := range c.nbp / q8KBlocks {
		for t := range c.rows {
			p := kb*c.rows + t
			x16 := c.x16[p*kq : (p+1)*kq]
			n := 0
			if t < x.Rows {
				n = min((kb+1)*kq, k) - kb*kq
				q8WidenAVX2(&x16[0], &x.Quants[t*k+kb*kq], n)
			}
			clear(x16[n:])
		}
	}
}

// q8MatVecAVX2Go runs q8MatVecAVX2 on rows [r0, r1).
func q8MatVecAVX2Go(c *q8Call, _, w *Q8Matrix, r0, r1 int, y []float32) {
	nb := w.Cols / Q8BlockLen
	_ = y[r1-1]
	q8MatVecAVX2(r1-r0, nb, &w.Quants[r0*w.Cols], &w.Scales[r0*nb], &c.x16[0], &c.xs[0], &y[r0])
}

// q8PackAVX2 packs rows [jr, jr+rows) of w, blocks [pc, pc+blocks), into
// the sliver: per block, 16 groups of a pair of codes, each the 16 rows'
// pairs as int16 (rows 0-7, then 8-15: two halves that q8PackBAVX2 packs
// apart), then the 16 rows' scales as float32, which are converted here.
func q8PackAVX2(buf *q8GemmBuf, sliver []byte, w *Q8Matrix, jr, rows, pc, blocks int) {
	const sb = 16*64 + 64
	buf.pointers(w, jr, rows, pc, 16)
	for h := range 2 {
		valid := min(max(rows-8*h, 0), 8)
		q8PackBAVX2(&sliver[32*h], (*[8]*int8)(buf.codes[8*h:]), blocks, 1<<valid-1)
	}
	ws := unsafe.Slice((*float32)(unsafe.Pointer(&sliver[0])), len(sliver)/4)
	for b := range blocks {
		s := ws[(b*sb+16*64)/4 : (b*sb+16*64)/4+16]
		for r := range s {
			s[r] = 0
			if r < rows {
				s[r] = unsafe.Slice(buf.scales[r], blocks)[b].Float32()
			}
		}
	}
}
