package bootstrap

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sortedMedians is the direct implementation Medians must agree with: it
// draws the same resamples (the same generator, seed and mapping of
// random bits to indices) and takes each one's median by sorting it.
func sortedMedians(sample []float64, n int, seed uint64) Replicates {
	rng := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	m := len(sample)
	out := make(Replicates, n)
	draw := make([]float64, m)
	for i := range out {
		if m == 1 {
			// Medians draws nothing: every resample is the sample.
			out[i] = sample[0]
			continue
		}
		for d := 0; d < m; d += 2 {
			x := rng.Uint64()
			draw[d] = sample[(x&0xffffffff)*uint64(m)>>32]
			if d+1 < m {
				draw[d+1] = sample[(x>>32)*uint64(m)>>32]
			}
		}
		slices.Sort(draw)
		out[i] = (draw[(m-1)/2] + draw[m/2]) / 2
	}
	return out
}

func TestMediansMatchSorting(t *testing.T) {
	// The counting walk must give the same medians as sorting each
	// resample, replicate by replicate.
	long := make([]float64, 61)
	for i := range long {
		long[i] = float64(i*i%17) + float64(i)/8 // ties and gaps
	}
	slices.Sort(long)
	for _, sample := range [][]float64{{5}, {1, 2}, {1, 2, 3}, {1, 2, 2, 5, 9, 10}, {3, 4, 5, 6, 7, 8, 9}, {7, 7, 7, 8}, long} {
		for _, seed := range []uint64{42, Seed("c7g.xlarge", "Sgemm/n=1024/threads=all")} {
			got, want := Medians(sample, 500, seed), sortedMedians(sample, 500, seed)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%v, seed %d: replicate %d = %v, sorting the same resample gives %v", sample, seed, i, got[i], want[i])
				}
			}
			// The check means something only if resamples differ.
			if len(sample) > 1 && slices.Min(got) == slices.Max(got) {
				t.Errorf("%v: all 500 replicates are %v", sample, got[0])
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
