package drift

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
)

// noisy returns benchmarks of rounds measurements around base, each with
// relative noise sd and a common linear trend of trendPct percent from the
// first round to the last.
func noisy(seed uint64, benchmarks, rounds int, sd, trendPct float64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float64, benchmarks)
	for b := range out {
		base := 10 + 90*r.Float64()
		for i := range rounds {
			trend := 1 + trendPct/100*float64(i)/float64(rounds-1)
			out[b] = append(out[b], base*trend*(1+sd*r.NormFloat64()))
		}
	}
	return out
}

func TestNoDriftIsNotFlagged(t *testing.T) {
	flagged := 0
	for seed := range uint64(40) {
		if res := Test(noisy(seed, 20, 6, 0.03, 0)); res.Drifted() {
			flagged++
		}
	}
	// At alpha 0.01, 40 honest runs should flag about 0.4; 3 is already
	// very unlikely (binomial tail under 0.1%).
	if flagged >= 3 {
		t.Errorf("%d of 40 runs without drift flagged", flagged)
	}
}

func TestDriftIsFound(t *testing.T) {
	res := Test(noisy(7, 20, 6, 0.02, -6))
	if !res.Drifted() || res.Tau >= 0 {
		t.Fatalf("6%% slowdown over 6 rounds: %+v, want a significant negative drift", res)
	}
	if math.Abs(res.Percent-(-6)) > 2 {
		t.Errorf("drift %.2f%%, want about -6%%", res.Percent)
	}
	up := Test(noisy(8, 20, 6, 0.02, 5))
	if !up.Drifted() || up.Percent <= 0 {
		t.Errorf("5%% speed-up: %+v", up)
	}
}

func TestExact(t *testing.T) {
	// Two strictly increasing series: tau 1; the permutation p-value is
	// the chance that shuffles of two series of 6 are both sorted.
	res := Test([][]float64{{1, 2, 3, 4, 5, 6}, {10, 11, 12, 13, 14, 15}})
	if res.Tau != 1 || res.Benchmarks != 2 || res.P > 0.01 {
		t.Errorf("sorted series: %+v", res)
	}
	// 5 steps of 1 around a median of 3.5: 5/3.5 = 142.86% from first to last.
	if math.Abs(res.Percent-(5/3.5*100+5/12.5*100)/2) > 1e-9 {
		t.Errorf("percent %v", res.Percent)
	}
	if k := kendallTau([]float64{3, 1, 2}); math.Abs(k-(-1.0/3)) > 1e-12 {
		t.Errorf("tau(3,1,2) = %v, want -1/3", k)
	}
	if ts := theilSen([]float64{0, 1, 2, 3, 100}); ts != 1 {
		t.Errorf("Theil-Sen of a line with one outlier: %v, want 1", ts)
	}
}

func TestTooShortOrBad(t *testing.T) {
	res := Test([][]float64{{1, 2}, {1, math.NaN(), 3}, nil})
	if res.Benchmarks != 0 || res.P != 1 || res.Drifted() {
		t.Errorf("nothing testable: %+v", res)
	}
	if a, b := Test(noisy(3, 10, 6, 0.03, 3)), Test(noisy(3, 10, 6, 0.03, 3)); a != b {
		t.Errorf("not deterministic: %+v vs %+v", a, b)
	}
}

func TestString(t *testing.T) {
	got := Result{Benchmarks: 28, Tau: -0.4, P: 0.0012, Percent: -4.14}.String()
	if want := "the host slowed down by 4.1% from the first round to the last (28 benchmarks, p=0.001)"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestOneBadRoundIsNotDrift: a shared host that slows every benchmark in
// one round (a neighbour's burst) has not drifted; the joint permutation
// of rounds keeps that in the null hypothesis.
func TestOneBadRoundIsNotDrift(t *testing.T) {
	for _, bad := range []int{0, 2, 5} {
		series := noisy(11, 20, 6, 0.005, 0)
		for _, s := range series {
			s[bad] *= 0.9
		}
		if res := Test(series); res.Drifted() || res.P < 0.05 {
			t.Errorf("round %d 10%% slow for all: %+v, want no drift", bad, res)
		}
	}
	// A partial last round (an interrupted run) is cut off.
	series := noisy(12, 5, 6, 0.01, -8)
	series[0] = series[0][:4]
	if res := Test(series); res.Benchmarks != 5 {
		t.Errorf("partial round: %+v", res)
	}
}

// Finding 3 of issue 23: a series of tens of thousands of rounds is
// tested in bounded memory and time (all pairs of 60,000 rounds took
// 14 GB); a trend in it is still found.
func TestLongSeriesBounded(t *testing.T) {
	const n = 60000
	s := make([]float64, n)
	for i := range s {
		s[i] = 100 + 10*float64(i)/n + float64(i%7)/10
	}
	// theilSen alone, above its bound, draws pairs: bounded, and the
	// same answer every time. Checked first, and fatal, so that code
	// without the bound stops here rather than at 60,000 rounds.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	a := theilSen(s[:5000])
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 16<<20 {
		t.Fatalf("theilSen of 5000 points allocated %d MiB", d>>20)
	}
	if b := theilSen(s[:5000]); a != b || math.Abs(a-10.0/n) > 1e-4 {
		t.Errorf("theilSen %v then %v, want %v", a, b, 10.0/n)
	}

	runtime.ReadMemStats(&before)
	start := time.Now()
	r := Test([][]float64{s})
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 64<<20 {
		t.Errorf("allocated %d MiB", d>>20)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	if !r.Drifted() || r.Percent < 8 || r.Percent > 12 {
		t.Errorf("result %+v, want about +10%%", r)
	}
}
