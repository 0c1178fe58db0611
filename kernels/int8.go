package kernels

import "github.com/klauspost/cpuid/v2"

// An Int8Tier is one implementation of GemmInt8 and DotPeakInt8: the
// portable pure-Go code or the code for one instruction (VPDPBUSD, SDOT,
// SMMLA, the AMX tile product TDPBSSD, ...). Int8Tiers lists those this
// CPU can run. Every tier gives exactly the same results: int32 sums of
// int8 products are exact.
//
// An Int8Tier is a small comparable value; the zero Int8Tier has no
// kernels and its methods panic.
type Int8Tier struct{ t *lowpTier[int8, int32] }

// int8Tiers is detected once, as the package loads; int8Table is each
// architecture's list of SIMD tiers, narrowest first (none without
// assembly).
var int8Tiers = lowpTiers(&portableInt8, int8Table, &cpuid.CPU)

// portableInt8 is the pure-Go int8 tier.
var portableInt8 = lowpTier[int8, int32]{
	name: "portable", mr: 4, gemm: gemmInt8Go,
	dotLoop: dotLoopInt8Go, dotOpsPerIter: dotInt8GoOpsPerIter,
}

// Int8Tiers returns the int8 tiers this CPU can run, portable first and
// the widest last.
func Int8Tiers() []Int8Tier { return lowpHandles[Int8Tier](int8Tiers) }

// WidestInt8 returns the last of Int8Tiers, the one to time unless asked
// otherwise.
func WidestInt8() Int8Tier { return lowpWidest[Int8Tier](int8Tiers) }

// PortableInt8 returns the pure-Go int8 tier.
func PortableInt8() Int8Tier { return Int8Tier{&portableInt8} }

// LookupInt8Tier returns the int8 tier called name, or WidestInt8 for "".
func LookupInt8Tier(name string) (Int8Tier, error) { return lookupLowp[Int8Tier](int8Tiers, name) }

func (t Int8Tier) get() *lowpTier[int8, int32] { return lowpGet(t, "Int8") }

// Name returns the tier's name, e.g. "portable", "avx512vnni" or "amx".
func (t Int8Tier) Name() string { return t.get().name }

// GemmInt8 computes C = A·B for row-major A (m×k), B (k×n) and C (m×n)
// with strides lda, ldb and ldc: int8 inputs, every product and sum exact
// in int32 for k below 2¹⁷ (128·128·(2¹⁷-1) < 2³¹; at k = 2¹⁷ a row and a
// column of -128 reach 2³¹, which wraps to -2³¹ on every tier alike). C is
// overwritten. The work is split over threads goroutines by rows.
func (t Int8Tier) GemmInt8(m, n, k int, a []int8, lda int, b []int8, ldb int, c []int32, ldc int, threads int) {
	t.get().run("GemmInt8", m, n, k, a, lda, b, ldb, c, ldc, threads)
}

// DotPeakInt8 runs iters steps of the tier's int8 dot-product instruction
// on accumulators in registers only, and returns the operations done (a
// multiply-add counted as two): ops/second is the core's int8 peak with
// this tier.
func (t Int8Tier) DotPeakInt8(iters int) (ops float64) { return t.get().dotPeak("DotPeakInt8", iters) }

// DotPeakInt8Ops returns the operations DotPeakInt8(iters) does.
func (t Int8Tier) DotPeakInt8Ops(iters int) float64 {
	return float64(iters) * float64(t.get().dotOpsPerIter)
}

// gemmInt8Go computes rows [i0, i1) of C: four rows at a time share each
// row of B, so B streams from cache once per four rows of A.
func gemmInt8Go(i0, i1, n, k int, a []int8, lda int, b []int8, ldb int, c []int32, ldc int) {
	i := i0
	for ; i+4 <= i1; i += 4 {
		c0, c1, c2, c3 := c[i*ldc:i*ldc+n], c[(i+1)*ldc:(i+1)*ldc+n], c[(i+2)*ldc:(i+2)*ldc+n], c[(i+3)*ldc:(i+3)*ldc+n]
		clear(c0)
		clear(c1)
		clear(c2)
		clear(c3)
		for p := range k {
			a0, a1, a2, a3 := int32(a[i*lda+p]), int32(a[(i+1)*lda+p]), int32(a[(i+2)*lda+p]), int32(a[(i+3)*lda+p])
			bp := b[p*ldb : p*ldb+n]
			for j, bv := range bp {
				v := int32(bv)
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
			av := int32(a[i*lda+p])
			for j, bv := range b[p*ldb : p*ldb+n] {
				ci[j] += av * int32(bv)
			}
		}
	}
}

// dotInt8GoOpsPerIter: eight independent int32 multiply-add chains.
const dotInt8GoOpsPerIter = 8 * 2

// dotLoopInt8Go is the portable dot-peak loop: scalar multiply-adds of
// int8-range values into int32 accumulators, as the portable GEMM does.
func dotLoopInt8Go(iters int) int64 {
	const y = 3
	x0, x1, x2, x3, x4, x5, x6, x7 := int32(1), int32(2), int32(3), int32(4), int32(5), int32(6), int32(7), int32(8)
	for range iters {
		x0 = x0*y + 1
		x1 = x1*y + 1
		x2 = x2*y + 1
		x3 = x3*y + 1
		x4 = x4*y + 1
		x5 = x5*y + 1
		x6 = x6*y + 1
		x7 = x7*y + 1
	}
	return int64(x0) + int64(x1) + int64(x2) + int64(x3) + int64(x4) + int64(x5) + int64(x6) + int64(x7)
}
