package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// The tests here are about noise between launches: two runs of one host
// differ by more than either run's interval shows (DefaultNoiseFloor).

// aaCatalog loads testdata/aa's prices, one price for c8a.large and
// m8a.large, with claims, when not empty, in place of testdata/aa's.
func aaCatalog(t *testing.T, claims string) *seeds.Catalog {
	t.Helper()
	cat, err := seeds.Load(seeds.Files{Prices: "testdata/aa/prices.csv", Claims: "testdata/aa/claims.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if claims != "" {
		header := "id,stated_by,subject,baseline,metric,claimed_ratio,bound,wording,source,testable_by\n"
		if cat.Claims, err = seeds.ParseClaims(strings.NewReader(header+claims), "claims.csv"); err != nil {
			t.Fatal(err)
		}
	}
	return cat
}

func buildAA(t *testing.T, cat *seeds.Catalog, floor float64, inputs ...results.Input) *Report {
	t.Helper()
	set, err := results.Read(inputs)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(set, Options{Catalog: cat, Now: asOf, NoiseFloor: floor})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Two real runs of ppbench run -short back to back on one 2-vCPU AMD
// EPYC guest, named as two instance types at one price: no claim that
// one is better than the other, or up to 3% better, may be settled, and
// each verdict says that one launch a side cannot settle it. (These two
// runs were noisy within themselves too, ±8% on some kernels, so they
// stay unsettled even without the floor: TestLaunchShift shows the floor
// at work.)
func TestSameHostTwice(t *testing.T) {
	r := buildAA(t, aaCatalog(t, ""), 0,
		results.Input{Path: "testdata/aa/run-a.txt", Instance: "c8a.large"},
		results.Input{Path: "testdata/aa/run-b.txt", Instance: "m8a.large"})
	if len(r.Claims) != 4 {
		t.Fatalf("%d claims judged, want testdata/aa/claims.csv's 4", len(r.Claims))
	}
	for _, c := range r.Claims {
		t.Logf("%s", c.SummaryLine())
		if decisive(c.Verdict) || c.Judged == nil {
			t.Errorf("%s: one host against itself: %s", c.Claim.ID, c.SummaryLine())
		}
		if want := "provisional: 1 launch of"; !strings.Contains(c.Detail(), want) {
			t.Errorf("%s: detail %q lacks %q", c.Claim.ID, c.Detail(), want)
		}
	}
}

// writeLaunches writes one results file per factor for instance: Sgemm
// and attention at base times the factor, over rounds rounds in round
// order, as ppbench run writes them, each sample within ±0.2% of its
// launch's level.
func writeLaunches(t *testing.T, dir, instance string, base float64, factors ...float64) []results.Input {
	t.Helper()
	jitter := []float64{0, 0.002, -0.001, 0.001, -0.002, 0.0005, -0.0005, 0.0015}
	var out []results.Input
	for i, f := range factors {
		var s strings.Builder
		fmt.Fprintf(&s, "# synthetic\ninstance: %s\nkernel-impl: avx512\nvcpus: 2\n", instance)
		for _, j := range jitter {
			v := base * f * (1 + j)
			fmt.Fprintf(&s, "BenchmarkSgemm/n=1024/threads=all-2 1 1 ns/op %.4f GFLOP/s\n", v)
			fmt.Fprintf(&s, "BenchmarkAttention/seq=2048/dim=64/heads=8/threads=all-2 1 1 ns/op %.4f GFLOP/s\n", v/2)
		}
		p := filepath.Join(dir, fmt.Sprintf("%s-%d.txt", instance, i))
		if err := os.WriteFile(p, []byte(s.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, results.Input{Path: p})
	}
	return out
}

// A better claim from one launch a side must not hold on a difference
// two launches of one host show (4%, with tight samples), and must hold
// on a real 10% difference seen across three launches a side that differ
// by ±1%.
func TestLaunchShift(t *testing.T) {
	dir := t.TempDir()
	cat := aaCatalog(t, "S1,vendor,m8a.large,c8a.large,price_performance,,better,synthetic,test,kernels\n")
	judge := func(floor float64, inputs ...[]results.Input) *ClaimResult {
		var all []results.Input
		for _, in := range inputs {
			all = append(all, in...)
		}
		return buildAA(t, cat, floor, all...).Claims[0]
	}

	one := judge(0, writeLaunches(t, dir, "c8a.large", 100, 1), writeLaunches(t, dir, "m8a.large", 100, 1.04))
	// Its interval allows for the floor's launch-to-launch spread, which
	// the tight samples of one launch cannot show.
	if one.Verdict == Holds || one.Judged.Judged.Lo > 1 {
		t.Errorf("one launch a side, 4%% apart: %s", one.SummaryLine())
	}
	if !strings.Contains(one.Detail(), "provisional: 1 launch of m8a.large and 1 launch of c8a.large") {
		t.Errorf("one launch a side: detail %q does not say it is provisional", one.Detail())
	}
	// The same launches without the floor: the interval alone says
	// holds, which is what the floor is for.
	if v := judge(-1, writeLaunches(t, dir, "c8a.large", 100, 1), writeLaunches(t, dir, "m8a.large", 100, 1.04)).Verdict; v != Holds {
		t.Errorf("without the floor, 1.04x with tight samples is %s, want holds", v)
	}

	t.Logf("one launch a side: %s", one.SummaryLine())
	three := judge(0, writeLaunches(t, dir, "c8a.large", 100, 0.99, 1.01, 1), writeLaunches(t, dir, "m8a.large", 110, 1, 0.99, 1.01))
	if r := three.Judged.Judged; three.Verdict != Holds || r.L1 != 3 || r.L2 != 3 {
		t.Errorf("three launches a side, 10%% apart: %s (launches %d and %d)", three.SummaryLine(), r.L1, r.L2)
	}
	t.Logf("three launches a side: %s", three.SummaryLine())
	r := buildAA(t, cat, 0, append(writeLaunches(t, dir, "c8a.large", 100, 0.99, 1.01, 1), writeLaunches(t, dir, "m8a.large", 110, 1, 0.99, 1.01)...)...)
	if method := strings.Join(r.methodLines(), "\n"); !strings.Contains(method, "two-stage over launches on both sides: m8a.large vs c8a.large. One launch on a side (verdicts allow for the 5% noise floor): none.") {
		t.Errorf("method section does not say the comparison was two-stage:\n%s", method)
	}
	if len(r.Launches) != 4 || r.Launches[1].Instance != "c8a.large" || r.Launches[1].Launch != 3 {
		t.Errorf("launch comparisons: want launches 2 and 3 of each instance against launch 1")
	}
	if lo := three.Judged.Judged.Lo; lo < 1+MinEffect+0.015 {
		t.Errorf("three launches a side: low end %.3f is within 1.5%% of the minimum effect: not a robust holds", lo)
	}
}
