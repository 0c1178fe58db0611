package report

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// The findings of the verdicts review that no other test covers, each
// failing before its fix: results files written for the purpose, judged
// against the built-in prices and a claim of the test's own.

// synthFile writes a results file: config lines, then rounds of Sgemm and
// Attention at the levels given (GFLOP/s), ±0.5% from round to round.
func synthFile(t *testing.T, dir, name string, config []string, rounds int, sgemm, attention float64) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("pkg: github.com/ppbench/ppbench/bench\n")
	for _, c := range config {
		b.WriteString(c + "\n")
	}
	jitter := []float64{0, 0.005, -0.004, 0.003, -0.005, 0.002, -0.002, 0.004}
	for r := range rounds {
		j := 1 + jitter[r%len(jitter)]
		fmt.Fprintf(&b, "BenchmarkSgemm/n=1024/threads=all-4 1 1 ns/op %.4f GFLOP/s\n", sgemm*j)
		fmt.Fprintf(&b, "BenchmarkAttention/seq=2048/dim=64/heads=8/threads=all-4 1 1 ns/op %.4f GFLOP/s\n", attention*j)
	}
	return writeFile(t, dir, name, b.String())
}

// reviewReport builds a report of files against the built-in prices and
// the claims in claimRows (the claims file's rows, provider column last).
func reviewReport(t *testing.T, opt Options, claimRows string, files ...string) *Report {
	t.Helper()
	dir := t.TempDir()
	claims := writeFile(t, dir, "claims.csv",
		"id,stated_by,subject,baseline,metric,claimed_ratio,bound,workload,wording,source,date,testable_by,notes,provider\n"+claimRows)
	cat, err := seeds.Load(seeds.Files{Claims: claims, NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	var in []results.Input
	for _, f := range files {
		in = append(in, results.Input{Path: f})
	}
	set, err := results.Read(in)
	if err != nil {
		t.Fatal(err)
	}
	opt.Catalog, opt.Now = cat, asOf
	r, err := Build(set, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Finding 1: a launch that ran on spot is priced at spot in its tables,
// but a claim is judged at on-demand prices on both sides. The same
// throughput on c4a-standard-4 (spot) and c3-standard-4 made "up to
// 1.65x" hold at 2.60x, the spot against the on-demand price.
func TestSpotLaunchJudgedAtOnDemand(t *testing.T) {
	dir := t.TempDir()
	gcp := func(name string, extra ...string) []string {
		return append([]string{"instance: " + name, "cloud: gcp", "region: us-central1", "vcpus: 4", "kernel-impl: avx512"}, extra...)
	}
	r := reviewReport(t, Options{}, "V15,vendor,c4a,c3,price_performance,1.65,up_to,general,test,test,,kernels,,gcp\n",
		synthFile(t, dir, "c4a.txt", gcp("c4a-standard-4", "lifecycle: spot"), 6, 100, 50),
		synthFile(t, dir, "c3.txt", gcp("c3-standard-4"), 6, 100, 50))
	c := claimByID(t, r, "V15")
	if c.Judged == nil {
		t.Fatalf("V15 not judged: %s", c.Detail())
	}
	// On demand, c3-standard-4 $0.201608 and c4a-standard-4 $0.1796 an
	// hour: equal throughput is 1.12x the work per dollar.
	if got, want := c.Judged.Judged.Value, 0.201608/0.1796; math.Abs(got/want-1) > 0.01 || c.Verdict == Holds {
		t.Errorf("V15: %s at %.2fx, want not holds at about %.2fx (on demand both sides): %s", c.Verdict, got, want, c.Detail())
	}
	if h := r.Host("c4a-standard-4"); h.Price == nil || h.Price.PriceType != seeds.Spot || h.ListPrice == nil || h.ListPrice.PriceType != seeds.OnDemand {
		t.Errorf("c4a-standard-4: table price %+v, list price %+v; want spot and on_demand", h.Price, h.ListPrice)
	}
}

// Finding 2: a claim about GCP's C4 is never judged on AWS's c4, and its
// suggestion names a GCP instance.
func TestClaimKeepsToItsCloud(t *testing.T) {
	dir := t.TempDir()
	r := reviewReport(t, Options{}, "V16,vendor,c4,c3,price_performance,1.25,approx,general,test,test,,kernels,,gcp\n",
		synthFile(t, dir, "c4.txt", []string{"instance: c4.xlarge", "cloud: aws", "vcpus: 4", "kernel-impl: avx2"}, 6, 100, 50),
		synthFile(t, dir, "c3.txt", []string{"instance: c3-standard-4", "cloud: gcp", "region: us-central1", "vcpus: 4", "kernel-impl: avx512"}, 6, 100, 50))
	c := claimByID(t, r, "V16")
	if c.Verdict != NotMeasured || c.Judged != nil {
		t.Errorf("V16 judged on AWS's c4: %s: %s", c.Verdict, c.Detail())
	}
	if !strings.Contains(c.Detail(), "run c4-") || strings.Contains(c.Detail(), "c4.xlarge") {
		t.Errorf("V16 suggests %q, want a GCP c4 instance", c.Detail())
	}
}

// Finding 6: two launches of 2 samples each at 1.06x made "up to 1.05x"
// hold with no interval; fewer samples than an interval needs are never
// decisive.
func TestTooFewSamplesNeverDecide(t *testing.T) {
	dir := t.TempDir()
	aws := func(name string) []string { return []string{"instance: " + name, "vcpus: 4", "kernel-impl: neon"} }
	r := reviewReport(t, Options{}, "T6,vendor,c8g,c7g,performance,1.05,up_to,general,test,test,,kernels,,aws\nT7,vendor,c8g,c7g,performance,,better,general,test,test,,kernels,,aws\n",
		synthFile(t, dir, "a1.txt", aws("c8g.xlarge"), 2, 106, 53), synthFile(t, dir, "a2.txt", aws("c8g.xlarge"), 2, 106.1, 53.05),
		synthFile(t, dir, "b1.txt", aws("c7g.xlarge"), 2, 100, 50), synthFile(t, dir, "b2.txt", aws("c7g.xlarge"), 2, 100.1, 50.05))
	for _, id := range []string{"T6", "T7"} {
		if c := claimByID(t, r, id); decisive(c.Verdict) {
			t.Errorf("%s from 4 samples a side: %s: %s", id, c.Verdict, c.Detail())
		}
	}
}

// Finding 8: a side that ran on fewer CPUs than its instance has is not
// compared (it made P6 contradicted at 0.84x); the verdict says why.
func TestQuotaSideNotCompared(t *testing.T) {
	dir := t.TempDir()
	r := reviewReport(t, Options{}, "T8,vendor,c8g,c7i,price_performance,1.3,up_to,general,test,test,,kernels,,aws\n",
		synthFile(t, dir, "a.txt", []string{"instance: c8g.xlarge", "vcpus: 4", "gomaxprocs: 2", "kernel-impl: neon"}, 6, 100, 50),
		synthFile(t, dir, "b.txt", []string{"instance: c7i.xlarge", "vcpus: 4", "gomaxprocs: 4", "kernel-impl: avx512"}, 6, 100, 50))
	c := claimByID(t, r, "T8")
	if c.Verdict != NotComparable || !strings.Contains(c.Detail(), "c8g.xlarge ran with gomaxprocs 2 of its 4 vCPUs") {
		t.Errorf("T8: %s: %s", c.Verdict, c.Detail())
	}
}

// Finding 9: a claim about four families against four holds from one
// pair of them only provisionally, saying how much of it was measured.
func TestFamilyCoverage(t *testing.T) {
	dir := t.TempDir()
	aws := func(name, tier string) []string {
		return []string{"instance: " + name, "vcpus: 4", "kernel-impl: " + tier}
	}
	var files []string
	for l := range 3 {
		files = append(files,
			synthFile(t, dir, fmt.Sprintf("a%d.txt", l), aws("c8g.xlarge", "neon"), 6, 200*(1+0.002*float64(l)), 100),
			synthFile(t, dir, fmt.Sprintf("b%d.txt", l), aws("c7a.xlarge", "avx512"), 6, 100*(1-0.002*float64(l)), 50))
	}
	r := reviewReport(t, Options{}, "P6,press,c7g m7g c8g m8g,c7i m7i c7a m7a,price_performance,1.2,up_to,general,test,test,,kernels,,aws\n", files...)
	c := claimByID(t, r, "P6")
	if c.Judged == nil || c.Judged.Verdict != Holds || c.Verdict != Consistent || !strings.Contains(c.Detail(), "1 of 16 family pairs measured") {
		t.Errorf("P6 from one pair of 16: %s: %s", c.Verdict, c.Detail())
	}
}

// Finding 12: a launch that drifted during its run leaves a verdict that
// rests on it provisional.
func TestDriftedLaunchProvisional(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("pkg: github.com/ppbench/ppbench/bench\ninstance: c8g.xlarge\nvcpus: 4\nkernel-impl: neon\n")
	for r := range 10 {
		// Slower round after round, every kernel alike.
		f := 1 - 0.03*float64(r)
		fmt.Fprintf(&b, "BenchmarkSgemm/n=1024/threads=all-4 1 1 ns/op %.4f GFLOP/s\n", 300*f)
		fmt.Fprintf(&b, "BenchmarkAttention/seq=2048/dim=64/heads=8/threads=all-4 1 1 ns/op %.4f GFLOP/s\n", 150*f)
	}
	drifting := writeFile(t, dir, "a.txt", b.String())
	r := reviewReport(t, Options{NoiseFloor: -1}, "T12,vendor,c8g,c7g,performance,1.5,up_to,general,test,test,,kernels,,aws\n",
		drifting, synthFile(t, dir, "b.txt", []string{"instance: c7g.xlarge", "vcpus: 4", "kernel-impl: neon"}, 10, 100, 50))
	c := claimByID(t, r, "T12")
	if c.Verdict != Consistent || !strings.Contains(c.Detail(), "a launch of c8g.xlarge drifted") {
		t.Errorf("T12 on a drifting launch: %s: %s", c.Verdict, c.Detail())
	}
}

// Finding 12: with pairs on both sides of an approx claim's band, the
// verdict says so instead of letting one hide the other; and every launch
// weighs the same, however many samples it has.
func TestOppositePairsAndLaunchWeights(t *testing.T) {
	dir := t.TempDir()
	aws := func(name string) []string { return []string{"instance: " + name, "vcpus: 4", "kernel-impl: neon"} }
	var files []string
	for l := range 3 {
		f := 1 + 0.002*float64(l)
		files = append(files,
			synthFile(t, dir, fmt.Sprintf("s1-%d.txt", l), aws("c8g.xlarge"), 6, 100*f, 50*f),
			synthFile(t, dir, fmt.Sprintf("b1-%d.txt", l), aws("c7g.xlarge"), 6, 100/f, 50/f),
			synthFile(t, dir, fmt.Sprintf("s2-%d.txt", l), aws("c8g.2xlarge"), 6, 200*f, 100*f),
			synthFile(t, dir, fmt.Sprintf("b2-%d.txt", l), aws("c7g.2xlarge"), 6, 100/f, 50/f))
	}
	r := reviewReport(t, Options{}, "T12b,vendor,c8g,c7g,performance,1.5,approx,general,test,test,,kernels,,aws\n", files...)
	c := claimByID(t, r, "T12b")
	if c.Verdict != FallsShort || !strings.Contains(c.Detail(), "c8g.2xlarge vs c7g.2xlarge exceeds it") {
		t.Errorf("T12b, pairs at 1.0x and 2.0x of an approx 1.5x: %s: %s", c.Verdict, c.Detail())
	}

	// One launch of 2 samples at 120, one of 10 at 100: the side is the
	// geometric mean of the two launch medians, √(120·100), not the
	// pooled median of 12 samples (100).
	h := simHostFromLaunches(t, [][]float64{{120, 120}, {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}})
	ws := []weighted{{h.m.benches[0], 1}}
	if got, want := math.Exp(sideOf(h.m, ws, 0.05).mean), math.Sqrt(120*100); math.Abs(got/want-1) > 1e-9 {
		t.Errorf("side of launches at 120 (2 samples) and 100 (10) = %.2f, want %.2f", got, want)
	}
}

// simHostFromLaunches makes a host of one benchmark with the launches'
// samples.
func simHostFromLaunches(t *testing.T, launches [][]float64) *Host {
	t.Helper()
	in := &results.Instance{Name: "c8g.xlarge", Samples: map[results.Bench][]float64{}}
	b := results.Bench{Kernel: "Sgemm", Params: "n=1024", Threads: "all", Tier: "neon", Unit: "GFLOP/s"}
	for i, s := range launches {
		in.Launches = append(in.Launches, &results.Launch{File: fmt.Sprint(i), Config: map[string]string{}, Samples: map[results.Bench][]float64{b: s}})
		in.Samples[b] = append(in.Samples[b], s...)
	}
	h := &Host{Instance: in.Name, m: measuredOf(in)}
	resolveLaunches(h, in)
	return h
}

// Finding 7 of the first-hour review: asked for spot prices, AWS types,
// for which the catalog has only the spot average, are priced at that
// rather than left unpriced; and finding 8: a launch that names a region
// pooled with one that names none is priced in the region named, and
// the report says so.
func TestSpotAverageAndRegions(t *testing.T) {
	dir := t.TempDir()
	aws := func(name string, extra ...string) []string {
		return append([]string{"instance: " + name, "cloud: aws", "vcpus: 4", "kernel-impl: neon"}, extra...)
	}
	r := reviewReport(t, Options{PriceType: seeds.Spot}, "",
		synthFile(t, dir, "c7g.txt", aws("c7g.xlarge"), 6, 100, 50), synthFile(t, dir, "c6g.txt", aws("c6g.xlarge"), 6, 80, 40))
	if h := r.Host("c7g.xlarge"); h.Price == nil || h.Price.PriceType != seeds.SpotAverage {
		t.Errorf("c7g.xlarge at -price-type spot: price %+v, want the spot average", h.Price)
	}
	r = reviewReport(t, Options{}, "",
		synthFile(t, dir, "a.txt", aws("c7g.xlarge"), 6, 100, 50), synthFile(t, dir, "b.txt", aws("c7g.xlarge", "region: eu-west-1"), 6, 101, 50.5))
	if h := r.Host("c7g.xlarge"); h.Region != "eu-west-1" {
		t.Errorf("launches in eu-west-1 and unnamed priced in %s, want eu-west-1", h.Region)
	}
	if want := "name region eu-west-1 and " + filepath.Join(dir, "a.txt") + " none: all are priced in eu-west-1"; !strings.Contains(warningsText(r), want) {
		t.Errorf("no warning %q in\n%s", want, warningsText(r))
	}
}
