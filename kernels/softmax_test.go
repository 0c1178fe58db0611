package kernels

import (
	"math"
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
