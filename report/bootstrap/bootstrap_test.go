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

// sortedTwoStage is the direct implementation TwoStageMedians must agree
// with: the same launches and samples drawn the same way, each resample
// pooled and sorted.
func sortedTwoStage(launches [][]float64, n int, launchSeed, sampleSeed uint64) Replicates {
	var ls [][]float64
	var all []float64
	for _, l := range launches {
		ls = append(ls, slices.Sorted(slices.Values(l)))
		all = append(all, l...)
	}
	slices.Sort(all)
	lrng := rand.NewPCG(launchSeed, 0x6c61756e6368)
	srng := rand.NewPCG(sampleSeed, 0x9e3779b97f4a7c15)
	out := make(Replicates, n)
	for i := range out {
		var draw []float64
		for range ls {
			l := ls[(lrng.Uint64()&0xffffffff)*uint64(len(ls))>>32]
			m := uint64(len(l))
			for d := uint64(0); d < m; d += 2 {
				x := srng.Uint64()
				draw = append(draw, l[(x&0xffffffff)*m>>32])
				if d+1 < m {
					draw = append(draw, l[(x>>32)*m>>32])
				}
			}
		}
		if len(draw) == 0 {
			draw = all // every launch drawn was empty
		}
		slices.Sort(draw)
		out[i] = (draw[(len(draw)-1)/2] + draw[len(draw)/2]) / 2
	}
	return out
}

// Finding 11 of the verdicts review: a launch that lacks a benchmark
// keeps its place, so two benchmarks of one host given the same launch
// seed draw the same launches in every replicate. Launch levels far apart
// make the replicates of both move together; when the empty launch was
// left out, the draws of the two fell apart (correlation 0.03).
func TestTwoStageKeepsLaunchPlaces(t *testing.T) {
	a := [][]float64{{100, 101, 99}, {200, 201, 199}, {300, 301, 299}}
	b := [][]float64{{10, 10.1, 9.9}, {}, {30, 30.1, 29.9}}
	ra, rb := TwoStageMedians(a, 2000, 5, 6), TwoStageMedians(b, 2000, 5, 7)
	if c := correlation(ra, rb); c < 0.5 {
		t.Errorf("replicates of two benchmarks of one host correlate %.3f, want them to move together", c)
	}
}

func correlation(x, y []float64) float64 {
	mx, my := mean(x), mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	return sxy / math.Sqrt(sxx*syy)
}

func TestTwoStageMatchesSorting(t *testing.T) {
	for _, launches := range [][][]float64{
		{{3, 1, 2}, {5, 4}},                            // unsorted, of different sizes
		{{7}, {}, {8, 8, 9}, {6, 7, 7, 10}},            // an empty launch, ties across launches
		{{1, 2, 3, 4, 5, 6}, {11, 12, 13, 14, 15, 16}}, // launches apart
	} {
		got, want := TwoStageMedians(launches, 500, 7, 8), sortedTwoStage(launches, 500, 7, 8)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%v: replicate %d = %v, sorting the same resample gives %v", launches, i, got[i], want[i])
			}
		}
		if slices.Min(got) == slices.Max(got) {
			t.Errorf("%v: all 500 replicates are %v", launches, got[0])
		}
	}
	// The launches are read, not sorted in place.
	l := [][]float64{{3, 1, 2}, {5, 4}}
	TwoStageMedians(l, 10, 1, 2)
	if !slices.Equal(l[0], []float64{3, 1, 2}) || !slices.Equal(l[1], []float64{5, 4}) {
		t.Errorf("launches modified: %v", l)
	}
}

// One launch has no launches to resample: the ordinary bootstrap.
func TestTwoStageOneLaunch(t *testing.T) {
	got := TwoStageMedians([][]float64{{}, {4, 2, 3, 1, 6, 5}}, 300, 1, 2)
	if want := Medians([]float64{1, 2, 3, 4, 5, 6}, 300, 2); !slices.Equal(got, want) {
		t.Error("one launch: not Medians of its sorted samples")
	}
}

// The launches differ by far more than the noise within each: the
// pooled bootstrap sees only the latter, the two-stage bootstrap both.
func TestTwoStageCoversLaunchShift(t *testing.T) {
	// Three launches 4% apart (0.96, 1 and 1.04 times 100), as back-to-back
	// runs of one cloud host can differ, each tight (±0.1%) and of 20
	// samples: enough that the pooled median stays in the middle launch.
	var launches [][]float64
	for _, shift := range []float64{0.96, 1, 1.04} {
		var l []float64
		for i := range 20 {
			l = append(l, 100*shift*(1+float64(i%5-2)/2000))
		}
		launches = append(launches, l)
	}
	var pooled []float64
	for _, l := range launches {
		pooled = append(pooled, l...)
	}
	slices.Sort(pooled)
	plo, phi := Medians(pooled, DefaultResamples, 1).Interval(0.95)
	lo, hi := TwoStageMedians(launches, DefaultResamples, 2, 1).Interval(0.95)
	t.Logf("pooled [%.2f, %.2f], two-stage [%.2f, %.2f]", plo, phi, lo, hi)
	if lo > 96.5 || hi < 103.5 {
		t.Errorf("two-stage interval [%.2f, %.2f] does not cover the launches at 96, 100 and 104", lo, hi)
	}
	if hi-lo < 10*(phi-plo) {
		t.Errorf("two-stage interval [%.2f, %.2f] is not much wider than the pooled [%.2f, %.2f]", lo, hi, plo, phi)
	}
}

// Two benchmarks of one instance resampled with one launch seed draw the
// same launches replicate by replicate, so a launch that is fast on one is
// fast on both and their geometric mean keeps the spread between launches.
func TestTwoStageSharesLaunches(t *testing.T) {
	a := [][]float64{{10, 10}, {11, 11}, {12, 12}}
	b := [][]float64{{20, 20}, {22, 22}, {24, 24}} // twice a, launch by launch
	ra, rb := TwoStageMedians(a, 500, 5, 1), TwoStageMedians(b, 500, 5, 2)
	for i := range ra {
		if rb[i] != 2*ra[i] {
			t.Fatalf("replicate %d: %v and %v come from different launches", i, ra[i], rb[i])
		}
	}
	if other := TwoStageMedians(b, 500, 6, 2); slices.Equal(other, rb) {
		t.Error("another launch seed draws the same launches")
	}
	glo, ghi := Geomean(ra, Scale(rb, 0.5)).Interval(0.95)
	if glo > 10.01 || ghi < 11.99 {
		t.Errorf("geometric mean interval [%v, %v] lost the spread between launches 10 to 12", glo, ghi)
	}
}

func BenchmarkTwoStageMedians(b *testing.B) {
	var launches [][]float64
	for l := range 10 {
		s := make([]float64, 10)
		for i := range s {
			s[i] = float64(100 + l + i)
		}
		launches = append(launches, s)
	}
	for b.Loop() {
		TwoStageMedians(launches, DefaultResamples, 1, 2)
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

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
