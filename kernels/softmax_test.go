package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpfAccuracy measures expf's largest relative error, in ulps of the
// result, over a dense sweep of its normal range and checks the documented
// 2 ulp; it also checks the edges.
func TestExpfAccuracy(t *testing.T) {
	step := float32(1e-3)
	if testing.Short() {
		step = 1e-2
	}
	var worst float64
	var worstX float32
	for x := float32(-87.3); x < 88.7; x += step {
		got := float64(expf(x))
		want := math.Exp(float64(x))
		ulp := float64(math.Nextafter32(float32(want), float32(math.Inf(1)))) - float64(float32(want))
		if e := math.Abs(got-want) / ulp; e > worst {
			worst, worstX = e, x
		}
	}
	t.Logf("max error %.3f ulp at x = %g", worst, worstX)
	if worst > 2 {
		t.Errorf("max error %.3f ulp at x = %g, want <= 2", worst, worstX)
	}
	for _, c := range []struct{ x, want float32 }{
		{0, 1},
		{float32(math.Inf(-1)), 0},
		{-87.5, 0}, // result would be denormal: flushed
		{-200, 0},  // far below
		{-1e30, 0}, // no overflow in the reduction
		{float32(math.Inf(1)), float32(math.Inf(1))},
		{89, float32(math.Inf(1))},
	} {
		if got := expf(c.x); got != c.want {
			t.Errorf("expf(%g) = %g, want %g", c.x, got, c.want)
		}
	}
	if got := expf(float32(math.NaN())); got == got {
		t.Errorf("expf(NaN) = %g, want NaN", got)
	}
	// Nothing below the normal range: every output is 0 or normal.
	for x := float32(-88); x < -86; x += 1e-4 {
		if y := expf(x); y != 0 && y < math.SmallestNonzeroFloat32*(1<<23) {
			t.Fatalf("expf(%g) = %g is denormal", x, y)
		}
	}
}

// TestSoftmaxSteps checks each tier's softmax steps against float64: the
// vector exp has expf's 2 ulp bound, flushes to zero below the normal
// range, and max and scale are exact.
func TestSoftmaxSteps(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		var xs []float32
		step := float32(1e-3)
		if testing.Short() {
			step = 1e-2
		}
		for x := float32(-90); x < 88.7; x += step {
			xs = append(xs, x)
		}
		// -Inf (a masked score) and values around the flush point.
		xs = append(xs, float32(math.Inf(-1)), -87.33, -87.34, -87.35, -100, -1e30)
		got := append([]float32(nil), xs...)
		sum := ti.t.expSubSum(got, 0)
		var worst float64
		for i, x := range xs {
			want := math.Exp(float64(x))

			if want < 0x1p-126 {
				if got[i] != 0 && !(got[i] >= 0x1p-126) {
					t.Fatalf("exp(%g) = %g: denormal", x, got[i])
				}
				continue
			}
			ulp := float64(math.Nextafter32(float32(want), float32(math.Inf(1)))) - float64(float32(want))
			worst = max(worst, math.Abs(float64(got[i])-want)/ulp)
		}
		t.Logf("%s: max exp error %.3f ulp", ti.Name(), worst)
		if worst > 2 {
			t.Errorf("%s: exp error %.3f ulp > 2", ti.Name(), worst)
		}
		if got[len(got)-6] != 0 {
			t.Errorf("exp(-Inf) = %g", got[len(got)-6])
		}
		if !math.IsInf(float64(sum), 1) {
			t.Errorf("sum of exp up to e**88 = %g, want +Inf in float32", sum)
		}
		// Softmax arguments are <= 0: there the sum is finite and must
		// match the values' sum closely.
		neg := make([]float32, 1001)
		for i := range neg {
			neg[i] = -float32(i) / 50
		}
		sum = ti.t.expSubSum(neg, 0)
		var want64 float64
		for _, v := range neg {
			want64 += float64(v)
		}
		if d := math.Abs(float64(sum)-want64) / want64; d > 1e-5 {
			t.Errorf("sum %g, want %g", sum, want64)
		}

		for _, n := range []int{1, 7, 8, 15, 16, 17, 33, 100} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32((i*37)%n) - 3
			}
			x[n/2] = 1000
			if m := ti.t.rowMax(x); m != 1000 {
				t.Errorf("n=%d: rowMax = %g, want 1000", n, m)
			}
			ti.t.scaleRow(x, 0.5)
			if x[n/2] != 500 || (n > 1 && x[0] != -1.5) {
				t.Errorf("n=%d: scaleRow gave %v", n, x)
			}
		}
		if m := ti.t.rowMax(nil); !math.IsInf(float64(m), -1) {
			t.Errorf("rowMax(empty) = %g, want -Inf", m)
		}
	})
}

// TestSoftmax checks Tier.Softmax against float64 on awkward lengths,
// with a masked (−Inf) entry and scores large enough to overflow exp
// without the maximum's subtraction.
func TestSoftmax(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		ti.Softmax(nil)
		for _, n := range []int{1, 7, 16, 33, 257} {
			x := make([]float32, n)
			for i := range x {
				x[i] = float32((i*37)%23) * 9.5 // up to 209: exp overflows float32
			}
			if n > 1 {
				x[n/2] = float32(math.Inf(-1))
			}
			want := make([]float64, n)
			mx := math.Inf(-1)
			for _, v := range x {
				mx = math.Max(mx, float64(v))
			}
			var sum float64
			for i, v := range x {
				want[i] = math.Exp(float64(v) - mx)
				sum += want[i]
			}
			ti.Softmax(x)
			for i := range x {
				w := want[i] / sum
				// expf's 2 ulp, the float32 sum's n·ε, and the
				// reciprocal's and the product's roundings.
				if d := math.Abs(float64(x[i]) - w); d > (float64(n)+8)*0x1p-24*w+1e-30 {
					t.Errorf("n=%d: softmax[%d] = %g, want %g", n, i, x[i], w)
				}
			}
			if n > 1 && x[n/2] != 0 {
				t.Errorf("n=%d: masked entry's weight %g, want 0", n, x[n/2])
			}
		}
		masked := []float32{float32(math.Inf(-1)), float32(math.Inf(-1))}
		if ti.Softmax(masked); masked[0] == masked[0] || masked[1] == masked[1] {
			t.Errorf("softmax of a fully masked row = %v, want NaN", masked)
		}
	})
}

// TestSwiGLU checks Tier.SwiGLU against float64 on awkward lengths, the
// vector body and the Go remainder both, with gates far past exp's range
// on both sides.
func TestSwiGLU(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		ti.SwiGLU(nil, nil, nil)
		for _, n := range []int{1, 7, 16, 33, 257} {
			gate, up, dst := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range gate {
				gate[i] = float32(i%45)*4.5 - 100 // −100 … 98
				up[i] = float32(i%7) - 2.5
			}
			gate[0] = -1000
			ti.SwiGLU(dst, gate, up)
			for i, v := range gate {
				want := float64(v) / (1 + math.Exp(-float64(v))) * float64(up[i])
				// expf's 2 ulp and five roundings, relative to the
				// result; near −0 an absolute floor.
				if d := math.Abs(float64(dst[i]) - want); d > 7*0x1p-24*math.Abs(want)+1e-37 {
					t.Errorf("n=%d: swiglu(%g, %g) = %g, want %g", n, v, up[i], dst[i], want)
				}
			}
		}
		dst := make([]float32, 1)
		if ti.SwiGLU(dst, []float32{float32(math.NaN())}, []float32{1}); dst[0] == dst[0] {
			t.Errorf("swiglu(NaN, 1) = %g, want NaN", dst[0])
		}
		defer func() {
			if recover() == nil {
				t.Errorf("SwiGLU with lengths 1, 2, 1 did not panic")
			}
		}()
		ti.SwiGLU(dst, make([]float32, 2), dst)
	})
}

// TestSwiGLUOnePass checks a tier's one-pass SwiGLU against swiGLUWith on
// its own exp steps, bit for bit (any NaN for a NaN), on lengths that
// leave every remainder and on signed zeros, infinities, NaNs, gates
// whose exp underflows and random ones.
func TestSwiGLUOnePass(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		tt := ti.get()
		if tt.swiGLU == nil {
			t.Skip("no one-pass SwiGLU: swiGLUWith is the tier's")
		}
		r := rand.New(rand.NewPCG(5, 6))
		special := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), -float32(math.NaN()), -87.5, -88.8, -104, 1e-40, -1e-40, 3e38}
		for _, n := range []int{1, 7, 15, 16, 17, 33, 100, 1000} {
			gate, up := make([]float32, n), make([]float32, n)
			for i := range gate {
				gate[i] = float32(r.NormFloat64() * 20)
				if r.IntN(4) == 0 {
					gate[i] = special[r.IntN(len(special))]
				}
				up[i] = float32(r.NormFloat64())
			}
			got, want := make([]float32, n), make([]float32, n)
			ti.SwiGLU(got, gate, up)
			swiGLUWith(tt.expSubSum, want, gate, up)
			for i := range got {
				if g, w := got[i], want[i]; math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
					t.Fatalf("n=%d: swiglu(%g, %g) = %g (%#x), swiGLUWith %g (%#x)", n, gate[i], up[i], g, math.Float32bits(g), w, math.Float32bits(w))
				}
			}
		}
	})
}
