package kernels

import "github.com/klauspost/cpuid/v2"

// A BF16Tier is one implementation of GemmBF16 and DotPeakBF16: the
// portable pure-Go code, a bf16 instruction (VDPBF16PS, BFDOT, BFMMLA,
// the AMX tile product TDPBF16PS) or, on a chip without one, the fp32 path
// it would really use (widen to fp32, fused multiply-add), named as such.
// BF16Tiers lists those this CPU can run. Products of two bfloat16 are
// exact in float32; tiers differ only in the order and rounding of the
// sums, within the bound the tests state.
//
// A BF16Tier is a small comparable value; the zero BF16Tier has no kernels
// and its methods panic.
type BF16Tier struct{ t *lowpTier[BF16, float32] }

// bf16Tiers is detected once, as the package loads; bf16Table is each
// architecture's list of SIMD tiers, narrowest first (none without
// assembly).
var bf16Tiers = lowpTiers(&portableBF16, bf16Table, &cpuid.CPU)

// portableBF16 is the pure-Go bf16 tier.
var portableBF16 = lowpTier[BF16, float32]{
	name: "portable", mr: 4, gemm: gemmBF16Go,
	dotLoop: dotLoopBF16Go, dotOpsPerIter: dotBF16GoOpsPerIter,
}

// BF16Tiers returns the bf16 tiers this CPU can run, portable first and
// the widest last.
func BF16Tiers() []BF16Tier { return lowpHandles[BF16Tier](bf16Tiers) }

// WidestBF16 returns the last of BF16Tiers, the one to time unless asked
// otherwise.
func WidestBF16() BF16Tier { return lowpWidest[BF16Tier](bf16Tiers) }

// PortableBF16 returns the pure-Go bf16 tier.
func PortableBF16() BF16Tier { return BF16Tier{&portableBF16} }

// LookupBF16Tier returns the bf16 tier called name, or WidestBF16 for "".
func LookupBF16Tier(name string) (BF16Tier, error) { return lookupLowp[BF16Tier](bf16Tiers, name) }

func (t BF16Tier) get() *lowpTier[BF16, float32] { return lowpGet(t, "BF16") }

// Name returns the tier's name, e.g. "portable", "avx512bf16", "amx" or
// "fp32-avx512" (a chip without bf16 instructions, widening to fp32).
func (t BF16Tier) Name() string { return t.get().name }

// GemmBF16 computes C = A·B for row-major A (m×k), B (k×n) and C (m×n)
// with strides lda, ldb and ldc: bfloat16 inputs, products and sums in
// float32. C is overwritten. The work is split over threads goroutines by
// rows; the result does not depend on threads.
func (t BF16Tier) GemmBF16(m, n, k int, a []BF16, lda int, b []BF16, ldb int, c []float32, ldc int, threads int) {
	t.get().run("GemmBF16", m, n, k, a, lda, b, ldb, c, ldc, threads)
}

// DotPeakBF16 runs iters steps of the tier's bf16 dot-product instruction
// (or fp32 FMA, for the fp32 tiers) on registers only, and returns the
// floating-point operations done: flops/second is the core's bf16 peak
// with this tier.
func (t BF16Tier) DotPeakBF16(iters int) (flops float64) {
	return t.get().dotPeak("DotPeakBF16", iters)
}

// DotPeakBF16FLOPs returns the operations DotPeakBF16(iters) does.
func (t BF16Tier) DotPeakBF16FLOPs(iters int) float64 {
	return float64(iters) * float64(t.get().dotOpsPerIter)
}

// gemmBF16Go computes rows [i0, i1) of C four at a time, each sum in
// increasing k, one rounding per multiply-add (Go does not fuse on amd64,
// does on arm64; either is within the stated bound).
func gemmBF16Go(i0, i1, n, k int, a []BF16, lda int, b []BF16, ldb int, c []float32, ldc int) {
	i := i0
	for ; i+4 <= i1; i += 4 {
		c0, c1, c2, c3 := c[i*ldc:i*ldc+n], c[(i+1)*ldc:(i+1)*ldc+n], c[(i+2)*ldc:(i+2)*ldc+n], c[(i+3)*ldc:(i+3)*ldc+n]
		clear(c0)
		clear(c1)
		clear(c2)
		clear(c3)
		for p := range k {
			a0, a1, a2, a3 := a[i*lda+p].Float32(), a[(i+1)*lda+p].Float32(), a[(i+2)*lda+p].Float32(), a[(i+3)*lda+p].Float32()
			for j, bv := range b[p*ldb : p*ldb+n] {
				v := bv.Float32()
				c0[j] += a0 * v
				c1[j] += a1 * v
				c2[j] += a2 * v
				c3[j] += a3 * v
			}
		}
	}
	for ; i < i1; i++ {
		ci := c[i*ldc : i*ldc+n]
		clear(ci)
		for p := range k {
			av := a[i*lda+p].Float32()
			for j, bv := range b[p*ldb : p*ldb+n] {
				ci[j] += av * bv.Float32()
			}
		}
	}
}

// dotBF16GoOpsPerIter: twelve independent float32 multiply-add chains, as
// the portable FMA loop.
const dotBF16GoOpsPerIter = 12 * 2

// dotLoopBF16Go is the portable bf16 peak: without bf16 instructions Go
// widens to float32, so its peak is the portable FMA loop's.
func dotLoopBF16Go(iters int) int64 { return int64(fmaLoopGo(iters)) }
