//go:build gc && !purego && !noasm

package kernels

import (
	"math"
	"unsafe"
)

// The arm64 bf16 tiers: fp32-neon for chips without bf16 instructions,
// bf16 (BFMMLA) for those with FEAT_BF16. See lowpTile for the packing and
// blocking they share.
//
// fp32-neon widens bf16 to float32 as it packs (a 16-bit shift, exact)
// and runs the NEON SGEMM's 12×8 FMLA tile (tile12x8, gemm_arm64.s) on
// the widened slivers, with alpha = 1 and beta 0 or 1: that is the fp32
// path such a chip really takes, and its peak is the FMLA peak. kc = 256
// as for SGEMM: the widened slivers are twice the bytes of bf16 ones.
//
// bf16: BFMMLA Vd.4S, Vn.8H, Vm.8H adds a 2×4 by 4×2 bf16 product to the
// 2×2 float32 block in Vd. The tile is the SMMLA tile (int8_arm64.go) with
// groups of 4 bf16 for 8 int8: 16 bytes a row pair or column pair either
// way, so the packing, the registers and the loads are the same; per k
// group 24 BFMMLA, 384 multiply-adds, against 3 loads. kc = 512: 20 KiB of
// slivers in L1, a 512 KiB panel of B in L2.
//
// Rounding. Without FEAT_EBF16 (or with FPCR.EBF clear, as Linux leaves
// it), BFMMLA is, for each of its 2×2 sums and as the Arm ARM's
// pseudocode has it, two steps of BFDOT's BFDotAdd: the pair of products (exact: 8-bit significands) is added and
// rounded, then added to the accumulator and rounded, both with round to
// odd, which errs by less than one ulp (2u, u = 2⁻²⁴) where round to
// nearest errs by half. Denormal inputs and results are flushed to zero.
// The tile starts each accumulator from C for a later k block, so each
// element of C is one chain: a product goes through its pair's rounding
// and at most k/2 accumulations, at most k/2+1 roundings of 2u: to first
// order in u that is the (k+2)·u·Σ|a||b| the tests allow for a chain of k
// roundings of u, exactly, with nothing to spare for the worst case (a
// random sum errs by some √k roundings, far inside it).
// Flushing loses products under 2⁻¹²⁶ in magnitude and bf16 denormal
// inputs, an absolute error of at most k·2⁻¹²⁶ that the relative bound
// does not cover; the tests' and benchmarks' inputs (zero or at least
// 2⁻²⁴ in magnitude) never come near it.
var (
	fp32BF16Tile = &lowpTile[BF16, float32, float32]{
		mr: 12, nr: 8, kg: 1, kc: 256, nc: 512,
		packA: packAWiden, packB: packBWiden, blockB: blockBWiden, bStep: 8,
		tile: tileFP32BF16,
		bufs: new(freeList[lowpBuf[float32, float32]]),
	}
	bfmmlaTile = &lowpTile[BF16, BF16, float32]{
		mr: 12, nr: 8, kg: 4, kc: 512, nc: 512,
		packA: packAG4[BF16], packB: packBBF16G4Sliver, blockB: blockBBF16G4, bStep: 4,
		tile: tileBFMMLA,
		bufs: new(freeList[lowpBuf[BF16, float32]]),
	}
)

// dotBFMMLAOpsPerIter: 24 BFMMLA a step, each 2×2 sums of 4 products.
const dotBFMMLAOpsPerIter = 24 * 16 * 2

// dotLoopFP32NEON is the fp32-neon peak: the NEON FMA loop.
func dotLoopFP32NEON(iters int) int64 { return int64(fmaLoopNEON(iters)) }

// dotLoopBFMMLA runs iters steps of 24 independent BFMMLA chains. Each
// accumulator starts in [1, 2) and gains 4·2⁻²⁰ or so a step until the
// gain falls below its ulp, so its values stay normal and bounded. It
// returns the bits of the float32 sum of all lanes.
//
//go:noescape
func dotLoopBFMMLA(iters int) int64

// tileFP32BF16 runs the SGEMM tile: beta = 1 adds the block's sums to C
// with one rounding, alpha = 1 scales by nothing.
func tileFP32BF16(kq int, a, b, c []float32, ldc int, acc bool) {
	beta := float32(0)
	if acc {
		beta = 1
	}
	tileNEON(kq, a, b, c, ldc, 1, beta)
}

func tileBFMMLA(kq int, a, b []BF16, c []float32, ldc int, acc bool) {
	checkTile("tileBFMMLA", kq, 4, len(a), len(b), len(c), ldc)
	tileBFMMLA12x8(kq/4, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, b2i(acc))
}

// tileBFMMLA12x8 computes the 12×8 tile of kq groups of 4 k (96 bytes of
// A, 64 of B each) into c, rows ldc elements apart, starting from c when
// acc is 1.
//
//go:noescape
func tileBFMMLA12x8(kq int, a, b *BF16, c *float32, ldc int, acc int)

// packAWiden packs an A sliver for the FMLA tile: k-major, 12 float32 a k.
func packAWiden(dst []float32, a []BF16, lda, rows, kc int) {
	dst = dst[:kc*12]
	for i := range rows {
		for p, v := range a[i*lda : i*lda+kc] {
			dst[p*12+i] = math.Float32frombits(uint32(v) << 16)
		}
	}
	for i := rows; i < 12; i++ {
		for p := range kc {
			dst[p*12+i] = 0
		}
	}
}

// packBWiden packs rows p0 to kc of a B sliver for the FMLA tile:
// k-major, 8 float32 a k.
func packBWiden(dst []float32, b []BF16, ldb, p0, kc, cols int) {
	dst = dst[:kc*8]
	for p := p0; p < kc; p++ {
		d := dst[p*8 : p*8+8 : p*8+8]
		s := b[p*ldb : p*ldb+cols]
		for j, v := range s {
			d[j] = math.Float32frombits(uint32(v) << 16)
		}
		clear(d[cols:])
	}
}

// blockBWiden packs 8 rows of a full B sliver for the FMLA tile.
func blockBWiden(d []float32, b []BF16, ldb int) {
	d = d[:64]
	for t := range 8 {
		s := b[t*ldb : t*ldb+8 : t*ldb+8]
		o := d[t*8 : t*8+8 : t*8+8]
		for j, v := range s {
			o[j] = math.Float32frombits(uint32(v) << 16)
		}
	}
}
