package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// unitRoundoff is u for float32: the largest relative error of one rounding.
const unitRoundoff = 1.0 / (1 << 24)

// randSlice returns n values uniform in [-1, 1) from a fixed seed, so every
// run tests the same inputs.
func randSlice(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*r.Float32() - 1
	}
	return x
}

// forEachTier runs f once per kernel tier this CPU has, restoring the
// default tier afterwards.
func forEachTier(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	saved := impl
	defer func() { impl = saved }()
	for _, ti := range tiers {
		impl = ti
		t.Run("impl="+ti.name, f)
	}
}

// mustPanic checks that f panics with exactly want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic, want %q", want)
			return
		}
		if msg, _ := r.(string); msg != want {
			t.Errorf("panic %q, want %q", r, want)
		}
	}()
	f()
}

func bitsEqual(a, b []float32) (int, bool) {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i, false
		}
	}
	return -1, true
}
