//go:build gc && !purego && !noasm

package kernels

import (
	"math"
	"testing"
)

// fmaModelY and fmaModelZ are the NEON loop's constants, in variables so
// that the compiler does not fold y*z: x + y*z must fuse as FMLA does.
var fmaModelY, fmaModelZ float32 = 0.999999, 1e-6

// TestFMALoopNEON checks the NEON FMA loop against a scalar model of its
// chains (x += y*z from 1 + k/32), and that after many steps every chain
// has settled at 32, bounded and normal.
func TestFMALoopNEON(t *testing.T) {
	model := func(iters int) float64 {
		var sum float64
		for k := range fmaChainsNEON {
			x := 1 + float32(k)/32
			for range iters {
				x += fmaModelY * fmaModelZ
			}
			sum += 4 * float64(x)
		}
		return sum
	}
	for _, iters := range []int{-1, 0, 1, 2, 3, 100, 1000, 12345} {
		got := float64(fmaLoopNEON(iters))
		want := model(max(0, iters))
		if d := math.Abs(got - want); d > 1e-6*want {
			t.Errorf("fmaLoopNEON(%d) = %g, model %g", iters, got, want)
		}
	}
	if fmaFlopsPerIterNEON != 28*4*2 {
		t.Errorf("fmaFlopsPerIterNEON = %d", fmaFlopsPerIterNEON)
	}
	if testing.Short() {
		return
	}
	// 2.4e7 steps take every chain to 32; past that nothing changes.
	if got := fmaLoopNEON(30_000_000); got != fmaChainsNEON*4*32 {
		t.Errorf("fmaLoopNEON(3e7) = %g, want every lane at 32: %d", got, fmaChainsNEON*4*32)
	}
}
