package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// awkward are sizes that are multiples of no register tile.
var awkward = []int{0, 1, 2, 7, 13, 33, 65, 257}

// forEachAwkward calls f for every m, n and k of awkward (a few of them
// with -short).
func forEachAwkward(f func(m, n, k int)) {
	sizes := awkward
	if testing.Short() {
		sizes = []int{0, 1, 7, 33, 65}
	}
	for _, m := range sizes {
		for _, n := range sizes {
			for _, k := range sizes {
				f(m, n, k)
			}
		}
	}
}

// bf16Ref returns C[i][j] of A·B (strides lda, ldb) summed exactly enough
// in float64, and the bound a float32 result must be within: each product
// is exact in float32 and each of at most k additions rounds once, so
// (k+2)·u·Σ|a||b| with u = 2⁻²⁴.
func bf16Ref(a []BF16, lda int, b []BF16, ldb int, i, j, k int) (want, tol float64) {
	var mag float64
	for p := range k {
		x := float64(a[i*lda+p].Float32()) * float64(b[p*ldb+j].Float32())
		want += x
		mag += math.Abs(x)
	}
	return want, float64(k+2) / (1 << 24) * mag
}

// lowpTierNames returns the names of the tiers, portable and of table,
// that c can run.
func lowpTierNames[In, Out any](portable *lowpTier[In, Out], table []simdLowp[In, Out], c *cpuid.CPUInfo) []string {
	var names []string
	for _, t := range lowpTiers(portable, table, c) {
		names = append(names, t.name)
	}
	return names
}

// A tierCase is a feature set a CPU may report and the tiers it unlocks.
type tierCase struct {
	name string
	ids  []cpuid.FeatureID
	want []string
}

// checkTierCases fails t for each case whose features unlock other kind
// (int8, bf16) tiers than it wants.
func checkTierCases[In, Out any](t *testing.T, kind string, portable *lowpTier[In, Out], table []simdLowp[In, Out], cases []tierCase) {
	t.Helper()
	for _, tc := range cases {
		var c cpuid.CPUInfo
		c.Enable(tc.ids...)
		if got := lowpTierNames(portable, table, &c); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %s tiers = %v, want %v", tc.name, kind, got, tc.want)
		}
	}
}

// checkGemmNoAlloc runs gemm once on zero m×k and k×n inputs, so that it
// has its buffers, and fails t if later calls allocate.
func checkGemmNoAlloc[In, Out any](t *testing.T, kernel string, m, n, k int, gemm func(m, n, k int, a []In, lda int, b []In, ldb int, c []Out, ldc int, threads int)) {
	t.Helper()
	a, b, c := make([]In, m*k), make([]In, k*n), make([]Out, m*n)
	gemm(m, n, k, a, k, b, n, c, n, 1)
	if allocs := testing.AllocsPerRun(20, func() { gemm(m, n, k, a, k, b, n, c, n, 1) }); allocs > 0 {
		t.Errorf("%s allocates %v times per call in steady state", kernel, allocs)
	}
}

func randInt8(r *rand.Rand, n int) []int8 {
	x := make([]int8, n)
	for i := range x {
		x[i] = int8(r.IntN(256) - 128)
	}
	return x
}

func randBF16(r *rand.Rand, n int) []BF16 {
	x := make([]BF16, n)
	for i := range x {
		x[i] = ToBF16(2*r.Float32() - 1)
	}
	return x
}

// forEachInt8Tier runs f on every int8 tier this CPU has.
func forEachInt8Tier(t *testing.T, f func(t *testing.T, ti Int8Tier)) {
	for _, ti := range Int8Tiers() {
		t.Run("tier="+ti.Name(), func(t *testing.T) { f(t, ti) })
	}
}

func forEachBF16Tier(t *testing.T, f func(t *testing.T, ti BF16Tier)) {
	for _, ti := range BF16Tiers() {
		t.Run("tier="+ti.Name(), func(t *testing.T) { f(t, ti) })
	}
}

// TestGemmInt8Exact checks every tier against an exact int64 reference on
// awkward shapes, with padded strides, the extremes -128 and 127 included,
// and every thread count from 1 to 5 bit for bit.
func TestGemmInt8Exact(t *testing.T) {
	forEachInt8Tier(t, func(t *testing.T, ti Int8Tier) {
		r := rand.New(rand.NewPCG(1, 2))
		forEachAwkward(func(m, n, k int) {
			lda, ldb, ldc := k+3, n+1, n+2
			a, b := randInt8(r, m*lda+1), randInt8(r, k*ldb+1)
			if len(a) > 2 {
				a[0], a[1] = -128, 127
			}
			c := make([]int32, m*ldc)
			for i := range c {
				c[i] = 0x5a5a5a5a // overwritten, never added to
			}
			ti.GemmInt8(m, n, k, a, lda, b, ldb, c, ldc, 1)
			for i := range m {
				for j := range n {
					var want int64
					for p := range k {
						want += int64(a[i*lda+p]) * int64(b[p*ldb+j])
					}
					if int64(c[i*ldc+j]) != want {
						t.Fatalf("m=%d n=%d k=%d: C[%d][%d] = %d, want %d", m, n, k, i, j, c[i*ldc+j], want)
					}
				}
			}
			for threads := 2; threads <= 5 && m > 0; threads++ {
				c2 := make([]int32, len(c))
				ti.GemmInt8(m, n, k, a, lda, b, ldb, c2, ldc, threads)
				for i := range m {
					for j := range n {
						if c2[i*ldc+j] != c[i*ldc+j] {
							t.Fatalf("m=%d n=%d k=%d threads=%d: C[%d][%d] = %d, one thread %d", m, n, k, threads, i, j, c2[i*ldc+j], c[i*ldc+j])
						}
					}
				}
			}
		})
	})
}

// TestGemmBF16 checks every tier against a float64 reference of the same
// bfloat16 inputs: |error| <= (k+2)·u·Σ|a||b| with u = 2⁻²⁴, since each
// product is exact in float32 and each of at most k additions rounds once.
// Thread counts must agree bit for bit.
func TestGemmBF16(t *testing.T) {
	forEachBF16Tier(t, func(t *testing.T, ti BF16Tier) {
		r := rand.New(rand.NewPCG(3, 4))
		forEachAwkward(func(m, n, k int) {
			lda, ldb, ldc := k+1, n+3, max(1, n)
			a, b := randBF16(r, m*lda+1), randBF16(r, k*ldb+1)
			c := make([]float32, m*ldc)
			for i := range c {
				c[i] = float32(math.NaN()) // overwritten, never added to
			}
			ti.GemmBF16(m, n, k, a, lda, b, ldb, c, ldc, 1)
			for i := range m {
				for j := range n {
					want, tol := bf16Ref(a, lda, b, ldb, i, j, k)
					if d := math.Abs(float64(c[i*ldc+j]) - want); !(d <= tol) {
						t.Fatalf("m=%d n=%d k=%d: C[%d][%d] = %g, want %g ± %g", m, n, k, i, j, c[i*ldc+j], want, tol)
					}
				}
			}
			for threads := 2; threads <= 5 && m > 0; threads++ {
				c2 := make([]float32, len(c))
				ti.GemmBF16(m, n, k, a, lda, b, ldb, c2, ldc, threads)
				for i := range m {
					if j, ok := bitsEqual(c2[i*ldc:i*ldc+n], c[i*ldc:i*ldc+n]); !ok {
						t.Fatalf("m=%d n=%d k=%d threads=%d: C[%d][%d] = %g, one thread %g", m, n, k, threads, i, j, c2[i*ldc+j], c[i*ldc+j])
					}
				}
			}
		})
	})
}

func TestToBF16(t *testing.T) {
	for _, tt := range []struct {
		in   uint32
		want BF16
	}{
		{0x3f800000, 0x3f80}, // 1
		{0x3f808000, 0x3f80}, // halfway, even stays
		{0x3f818000, 0x3f82}, // halfway, odd rounds up
		{0x3f807fff, 0x3f80},
		{0x3f808001, 0x3f81},
		{0x7f7fffff, 0x7f80}, // max float32 rounds to +Inf
		{0xff800000, 0xff80}, // -Inf
		{0x00000001, 0x0000}, // the smallest denormal rounds to zero
	} {
		if got := ToBF16(math.Float32frombits(tt.in)); got != tt.want {
			t.Errorf("ToBF16(%#08x) = %#04x, want %#04x", tt.in, got, tt.want)
		}
	}
	if nan := ToBF16(float32(math.NaN())); nan.Float32() == nan.Float32() {
		t.Errorf("ToBF16(NaN) = %#04x, not a NaN", nan)
	}
	if got := ToBF16(-2.5).Float32(); got != -2.5 {
		t.Errorf("-2.5 round trip: %g", got)
	}
}

func TestLowpTiers(t *testing.T) {
	if n := Int8Tiers()[0].Name(); n != "portable" || PortableInt8().Name() != "portable" {
		t.Errorf("first int8 tier %s", n)
	}
	if n := BF16Tiers()[0].Name(); n != "portable" || PortableBF16().Name() != "portable" {
		t.Errorf("first bf16 tier %s", n)
	}
	if w, _ := LookupInt8Tier(""); w != WidestInt8() {
		t.Errorf("LookupInt8Tier(\"\") is not WidestInt8")
	}
	if w, _ := LookupBF16Tier(""); w != WidestBF16() {
		t.Errorf("LookupBF16Tier(\"\") is not WidestBF16")
	}
	for _, ti := range Int8Tiers() {
		if got, err := LookupInt8Tier(ti.Name()); err != nil || got != ti {
			t.Errorf("LookupInt8Tier(%s) = %v, %v", ti.Name(), got, err)
		}
		if ops := ti.DotPeakInt8(1000); ops != ti.DotPeakInt8Ops(1000) || ops <= 0 {
			t.Errorf("%s DotPeakInt8(1000) = %g ops", ti.Name(), ops)
		}
	}
	for _, ti := range BF16Tiers() {
		if got, err := LookupBF16Tier(ti.Name()); err != nil || got != ti {
			t.Errorf("LookupBF16Tier(%s) = %v, %v", ti.Name(), got, err)
		}
		if flops := ti.DotPeakBF16(1000); flops != ti.DotPeakBF16FLOPs(1000) || flops <= 0 {
			t.Errorf("%s DotPeakBF16(1000) = %g flops", ti.Name(), flops)
		}
	}
	if _, err := LookupInt8Tier("amx9"); err == nil {
		t.Errorf("LookupInt8Tier(amx9) succeeded")
	}
	mustPanic(t, "kernels: GemmInt8: lda = 2 < max(1, 3)", func() {
		PortableInt8().GemmInt8(2, 2, 3, make([]int8, 6), 2, make([]int8, 6), 2, make([]int32, 4), 2, 1)
	})
	mustPanic(t, "kernels: GemmBF16: len(c) = 3 < 4", func() {
		PortableBF16().GemmBF16(2, 2, 1, make([]BF16, 2), 1, make([]BF16, 2), 2, make([]float32, 3), 2, 1)
	})
	mustPanic(t, "kernels: GemmInt8: m = -1 < 0", func() {
		PortableInt8().GemmInt8(-1, 2, 3, nil, 3, nil, 2, nil, 2, 1)
	})
	mustPanic(t, "kernels: method called on the zero Int8Tier; get a tier from Int8Tiers, WidestInt8 or LookupInt8Tier", func() {
		Int8Tier{}.Name()
	})
}

func TestSelfCheckLowp(t *testing.T) {
	forEachInt8Tier(t, func(t *testing.T, ti Int8Tier) {
		if err := SelfCheckInt8(ti); err != nil {
			t.Error(err)
		}
	})
	forEachBF16Tier(t, func(t *testing.T, ti BF16Tier) {
		if err := SelfCheckBF16(ti); err != nil {
			t.Error(err)
		}
	})
}
