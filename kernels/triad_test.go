package kernels

import "testing"

func TestTriad(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		for _, n := range []int{0, 1, 7, 33, 257, 1000} {
			for _, th := range []int{1, 2, 3, 8} {
				a := make([]float64, n)
				b := make([]float64, n)
				c := make([]float64, n)
				for i := range a {
					a[i], b[i], c[i] = -1, float64(i), float64(2*i+1)
				}
				ti.Triad(a, b, c, 0.5, th)
				for i := range a {
					if want := float64(i) + 0.5*float64(2*i+1); a[i] != want {
						t.Fatalf("n=%d threads=%d: a[%d] = %g, want %g", n, th, i, a[i], want)
					}
				}
			}
		}
	})
	if got := TriadBytes(1000); got != 24000 {
		t.Errorf("TriadBytes(1000) = %g, want 24000", got)
	}
	mustPanic(t, "kernels: Triad: len(a) = 2, len(b) = 3, len(c) = 2 differ", func() {
		Widest().Triad(make([]float64, 2), make([]float64, 3), make([]float64, 2), 1, 1)
	})
}

// TestFMAPeak checks the FLOP count and that the loop really ran: its
// result must depend on the iteration count.
func TestFMAPeak(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		if got := ti.FMAPeak(0); got != 0 {
			t.Errorf("FMAPeak(0) = %g flops", got)
		}
		r0 := fmaSink.Load()
		flops := ti.FMAPeak(1000)
		if want := 1000 * float64(ti.t.fmaFlopsPerIter); flops != want || ti.FMAPeakFLOPs(1000) != want {
			t.Errorf("FMAPeak(1000) = %g flops, want %g", flops, want)
		}
		r1 := fmaSink.Load()
		ti.FMAPeak(2000)
		r2 := fmaSink.Load()
		if r0 == r1 || r1 == r2 {
			t.Errorf("FMAPeak results %#x, %#x, %#x do not follow the iterations", r0, r1, r2)
		}
		if ti.t.fmaFlopsPerIter < 24 {
			t.Errorf("%d flops per step: too few chains to fill the FMA pipes", ti.t.fmaFlopsPerIter)
		}
	})
	mustPanic(t, "kernels: FMAPeak: iters = -1 < 0", func() { Widest().FMAPeak(-1) })
}
