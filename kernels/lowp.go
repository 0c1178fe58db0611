package kernels

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// Reduced-precision kernels: GemmInt8 (int8 inputs, exact int32 sums) and
// GemmBF16 (bfloat16 inputs, float32 sums), with the register-only peak
// probes DotPeakInt8 and DotPeakBF16. Each data type has tiers of its own,
// chosen from the CPU's features apart from the fp32 Tier: one host can run
// fp32 on avx512, int8 on avx512vnni and bf16 on avx512bf16. A chip without
// a bf16 instruction runs the fp32 path it would really use (widen to
// fp32, fused multiply-add), under a tier name that says so.

// A BF16 is a bfloat16: the upper 16 bits of an IEEE float32.
type BF16 uint16

// ToBF16 rounds f to the nearest bfloat16, ties to even; a NaN stays a
// (quiet) NaN.
func ToBF16(f float32) BF16 {
	b := math.Float32bits(f)
	if f != f {
		return BF16(b>>16 | 0x40)
	}
	return BF16((b + 0x7fff + (b >> 16 & 1)) >> 16)
}

// ToBF16s sets dst[i] = ToBF16(src[i]) for every i of src, the same bits,
// on the widest vectors the CPU has: how a model rounds its activations
// before every bf16 product, millions of values a prompt.
func ToBF16s(dst []BF16, src []float32) {
	if len(dst) < len(src) {
		panic(fmt.Sprintf("kernels: ToBF16s: len(dst) = %d < len(src) = %d", len(dst), len(src)))
	}
	n := toBF16sVec(dst, src)
	for i, v := range src[n:] {
		dst[n+i] = ToBF16(v)
	}
}

// toBF16sVec converts the longest prefix of src that its vectors take
// and returns its length; 0 where there are none (set by an
// architecture's file).
var toBF16sVec = func(dst []BF16, src []float32) int { return 0 }

// Float32 returns b exactly as a float32.
func (b BF16) Float32() float32 { return math.Float32frombits(uint32(b) << 16) }

// GemmInt8Ops returns the operations of an m×n×k GemmInt8 (or GemmBF16):
// 2·m·n·k, a multiply-add counted as two, as for SGEMM.
func GemmInt8Ops(m, n, k int) float64 { return SgemmFLOPs(m, n, k) }

// A lowpTier is one implementation of a reduced-precision GEMM and its
// dot-product peak loop. The gemm function computes rows [i0, i1) of C
// whole; GemmInt8 and GemmBF16 split rows over threads in multiples of mr,
// so that every element of C is computed the same way whatever the thread
// count. A tier with gemmCols has them split the columns instead, in
// multiples of nr, when C has more columns than rows.
type lowpTier[In, Out any] struct {
	name string
	mr   int // rows a register tile computes: the threading split aligns to it
	gemm func(i0, i1, n, k int, a []In, lda int, b []In, ldb int, c []Out, ldc int)
	// gemmCols, where a tier has it, is gemm on columns [j0, j1) of rows
	// [i0, i1), with j0 a multiple of nr, giving the same bits. For a
	// wide C (a prompt's tokens times a layer's outputs) a column split
	// has each thread read a share of B, where a row split has each read
	// all of it: half the traffic in B on two threads.
	gemmCols func(i0, i1, j0, j1, n, k int, a []In, lda int, b []In, ldb int, c []Out, ldc int)
	nr       int // the column split's alignment, with gemmCols
	// dotLoop runs iters steps of the tier's dot-product instruction on
	// independent accumulators in registers, dotOpsPerIter operations a
	// step (a multiply-add counted as two), and returns a value that
	// depends on every accumulator.
	dotLoop       func(iters int) int64
	dotOpsPerIter int
	// The tier's own layout of B, for a B that many calls share (a
	// model's weights), where packing B on every call is a large share
	// of the work; nil for a tier without one. packB returns the layout
	// of a k×n B, and what owns its memory, to be kept as long as the
	// layout is used; gemmPacked is gemmCols on it, giving the same bits;
	// and matVecPacked sets y (n values) to x·B as MatVecBF16 does, giving
	// its bits, on threads goroutines.
	packB        func(k, n int, b []In, ldb int) (data []byte, owner any)
	gemmPacked   func(i0, i1, j0, j1, n, k int, a []In, lda int, b []byte, c []Out, ldc int)
	matVecPacked func(n, k int, x []In, b []byte, y []Out, threads int)
}

// A simd is one SIMD tier of type T (a lowpTier, a q8Tier) that this
// build has, with the CPU features its code needs; needs.Name names the
// tier.
type simd[T any] struct {
	needs isa.Set
	t     T // with its name unset
}

// tiersOn returns portable followed by copies of the tiers of table that c
// has, in table order (narrowest first), each named by named from its
// set: the one way every data type's tiers are chosen.
func tiersOn[T any](portable *T, table []simd[T], c *cpuid.CPUInfo, named func(t *T, name string)) []*T {
	ts := []*T{portable}
	for _, s := range table {
		if s.needs.On(c) {
			t := s.t
			named(&t, s.needs.Name)
			ts = append(ts, &t)
		}
	}
	return ts
}

// A simdLowp is one SIMD tier of a reduced-precision kernel.
type simdLowp[In, Out any] = simd[lowpTier[In, Out]]

// lowpTiers returns portable followed by the tiers of table that c has,
// in table order (narrowest first).
func lowpTiers[In, Out any](portable *lowpTier[In, Out], table []simdLowp[In, Out], c *cpuid.CPUInfo) []*lowpTier[In, Out] {
	return tiersOn(portable, table, c, func(t *lowpTier[In, Out], name string) { t.name = name })
}

// A lowpHandle is the exported wrapper of one data type's tier (Int8Tier,
// BF16Tier): a struct holding only the *lowpTier, so that the tier API
// below is written once for both.
type lowpHandle[In, Out any] interface {
	~struct{ t *lowpTier[In, Out] }
}

// lowpHandles wraps each of ts as a W, in order.
func lowpHandles[W lowpHandle[In, Out], In, Out any](ts []*lowpTier[In, Out]) []W {
	out := make([]W, len(ts))
	for i, t := range ts {
		out[i] = W{t}
	}
	return out
}

// lowpWidest wraps the last of ts, the widest tier.
func lowpWidest[W lowpHandle[In, Out], In, Out any](ts []*lowpTier[In, Out]) W {
	return W{ts[len(ts)-1]}
}

// lookupLowp returns the tier of ts called name, or the widest for "".
func lookupLowp[W lowpHandle[In, Out], In, Out any](ts []*lowpTier[In, Out], name string) (W, error) {
	if name == "" {
		return lowpWidest[W](ts), nil
	}
	names := make([]string, len(ts))
	for i, t := range ts {
		if t.name == name {
			return W{t}, nil
		}
		names[i] = t.name
	}
	return W{}, fmt.Errorf("tier %q is not available on this CPU (have %s)", name, strings.Join(names, ", "))
}

// lowpGet returns the tier w holds; typ ("Int8", "BF16") names the data
// type in the panic a zero W gets.
func lowpGet[W lowpHandle[In, Out], In, Out any](w W, typ string) *lowpTier[In, Out] {
	t := struct{ t *lowpTier[In, Out] }(w).t
	if t == nil {
		panic("kernels: method called on the zero " + typ + "Tier; get a tier from " + typ + "Tiers, Widest" + typ + " or Lookup" + typ + "Tier")
	}
	return t
}

// run computes C = A·B on threads goroutines, each a band of rows aligned
// to the tile height, or of columns (see lowpTier.gemmCols).
func (t *lowpTier[In, Out]) run(kernel string, m, n, k int, a []In, lda int, b []In, ldb int, c []Out, ldc int, threads int) {
	checkLowp(kernel, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	if m == 0 || n == 0 {
		return
	}
	if threads <= 1 {
		t.gemm(0, m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	if t.gemmCols == nil {
		bands(m, n, t.mr, 0, threads, func(i0, i1, _, _ int) { t.gemm(i0, i1, n, k, a, lda, b, ldb, c, ldc) })
		return
	}
	bands(m, n, t.mr, t.nr, threads, func(i0, i1, j0, j1 int) { t.gemmCols(i0, i1, j0, j1, n, k, a, lda, b, ldb, c, ldc) })
}

// bands runs f on threads goroutines, each on a band of an m×n C: rows
// [i0, i1) in multiples of mr, or, where nr > 0 (a tier with gemmCols)
// and C has more columns than rows, columns [j0, j1) in multiples of nr.
func bands(m, n, mr, nr, threads int, f func(i0, i1, j0, j1 int)) {
	var wg sync.WaitGroup
	if nr > 0 && n > m {
		for _, r := range split(n, nr, threads) {
			wg.Go(func() { f(0, m, r[0], r[1]) })
		}
	} else {
		for _, r := range split(m, mr, threads) {
			wg.Go(func() { f(r[0], r[1], 0, n) })
		}
	}
	wg.Wait()
}

func checkLowp(kernel string, m, n, k, lenA, lda, lenB, ldb, lenC, ldc int) {
	check := func(name, ldName string, rows, cols, length, ld int) {
		if ld < max(1, cols) {
			panic(fmt.Sprintf("kernels: %s: %s = %d < max(1, %d)", kernel, ldName, ld, cols))
		}
		if rows > 0 && cols > 0 {
			if need := (rows-1)*ld + cols; length < need {
				panic(fmt.Sprintf("kernels: %s: len(%s) = %d < %d", kernel, name, length, need))
			}
		}
	}
	switch {
	case m < 0:
		panic(fmt.Sprintf("kernels: %s: m = %d < 0", kernel, m))
	case n < 0:
		panic(fmt.Sprintf("kernels: %s: n = %d < 0", kernel, n))
	case k < 0:
		panic(fmt.Sprintf("kernels: %s: k = %d < 0", kernel, k))
	}
	check("a", "lda", m, k, lenA, lda)
	check("b", "ldb", k, n, lenB, ldb)
	check("c", "ldc", m, n, lenC, ldc)
}

// lowpBuf is one goroutine's packing space for a reduced-precision GEMM,
// reused across calls: P is the packed type, Out that of C.
type lowpBuf[P, Out any] struct {
	a, b []P
	edge []Out // an mr×nr tile for the edges of C
}

// lowpGrow returns x with length n, reallocated only when its capacity is
// short, so that a reused buffer allocates nothing in steady state.
func lowpGrow[T any](x []T, n int) []T {
	if cap(x) < n {
		return make([]T, n)
	}
	return x[:n]
}

// clearRows zeroes the first n elements of rows [i0, i1) of c, rows ldc
// apart: a GEMM's C for k = 0.
func clearRows[Out any](c []Out, ldc, i0, i1, n int) {
	for i := i0; i < i1; i++ {
		clear(c[i*ldc : i*ldc+n])
	}
}

// dotSink holds the last dot-peak result, so that the loop cannot be
// dropped; atomic because rate mode runs the loops on many goroutines.
var dotSink atomic.Int64

func (t *lowpTier[In, Out]) dotPeak(kernel string, iters int) float64 {
	if iters < 0 {
		panic(fmt.Sprintf("kernels: %s: iters = %d < 0", kernel, iters))
	}
	dotSink.Store(t.dotLoop(iters))
	return float64(iters) * float64(t.dotOpsPerIter)
}
