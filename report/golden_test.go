package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ppbench/ppbench/internal/goldentest"
	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// The synthetic results in testdata are built so that every median is
// exact (see the comment lines in each file), and testdata/prices.csv has
// round prices, so the figures below are known by hand:
//
//	c7g.xlarge $0.144/h  Sgemm 40  Attention 20 (causal 18)  Triad 50  FMAPeak 100  (two launches)
//	c8g.xlarge $0.16/h   Sgemm 60  Attention 24 (causal 21.6) Triad 75 FMAPeak 110
//	c6g.xlarge $0.072/h  Sgemm 20  Attention 10  Triad 25 (3 samples)  FMAPeak 50
//	c7i.xlarge $0.18/h   Sgemm 48  Attention 24  Triad 40  FMAPeak 160  (avx2, SMT)
//	c7a.xlarge $0.2/h    portable kernels only
//	c4a-standard-4       no price; named on the command line (file says unknown)

var asOf = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)

func testInputs() []results.Input {
	dir := "testdata"
	var in []results.Input
	for _, f := range []string{"c7g-launch-a.txt", "c7g-launch-b.txt", "c8g.txt", "c6g.txt", "c7i.txt", "c7a.txt"} {
		in = append(in, results.Input{Path: filepath.Join(dir, f)})
	}
	return append(in, results.Input{Path: filepath.Join(dir, "unknown.txt"), Instance: "c4a-standard-4"})
}

func buildTestReport(t testing.TB) *Report {
	t.Helper()
	return buildReport(t, testInputs(), "testdata/claims.csv")
}

// dirInputs is the results files of a testdata folder, named.
func dirInputs(dir string, files ...string) []results.Input {
	in := make([]results.Input, len(files))
	for i, f := range files {
		in[i] = results.Input{Path: filepath.Join("testdata", dir, f)}
	}
	return in
}

// buildReport reads in and builds its report with testdata/prices.csv and
// the claims file given, as of asOf.
func buildReport(t testing.TB, in []results.Input, claims string) *Report {
	t.Helper()
	set, err := results.Read(in)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := seeds.Load(seeds.Files{Prices: "testdata/prices.csv", Claims: claims})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(set, Options{Catalog: cat, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkContains reports each of wants that text (what is named in the
// failure) lacks.
func checkContains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, text)
		}
	}
}

func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

func findRow(r *Report, instance, kernel, params, tier string) *Row {
	for _, row := range r.Rows {
		if row.Instance == instance && row.Kernel == kernel && row.Params == params && row.Tier == tier {
			return row
		}
	}
	return nil
}

const (
	sgemm  = "n=1024"
	attn   = "seq=2048/dim=64/heads=8"
	causal = "seq=2048/dim=64/heads=8/causal=true"
	triad  = "n=33554432"
)

func TestGoldenFigures(t *testing.T) {
	r := buildTestReport(t)
	tests := []struct {
		instance, kernel, params, tier string
		whole, single                  float64
		workPerDollar                  float64 // whole × 3600 / price
		vsBaseline                     float64 // 0: none
	}{
		{"c7g.xlarge", "Sgemm", sgemm, "neon", 40, 10, 40 * 3600 / 0.144, 0},
		{"c8g.xlarge", "Sgemm", sgemm, "neon", 60, 15, 60 * 3600 / 0.16, 1.35},
		{"c8g.xlarge", "Sgemm", sgemm, "portable", 12, math.NaN(), 12 * 3600 / 0.16, 0},
		{"c8g.xlarge", "Attention", attn, "neon", 24, 6, 24 * 3600 / 0.16, 1.08},
		{"c8g.xlarge", "Attention", causal, "neon", 21.6, math.NaN(), 21.6 * 3600 / 0.16, 1.08},
		{"c8g.xlarge", "Triad", triad, "neon", 75, 30, 75 * 3600 / 0.16, 1.35},
		{"c6g.xlarge", "Sgemm", sgemm, "neon", 20, 5, 1e6, 1},
		{"c6g.xlarge", "Triad", triad, "neon", 25, 12.5, 1.25e6, 1},
		{"c7i.xlarge", "Sgemm", sgemm, "avx2", 48, 20, 48 * 3600 / 0.18, 0.96},
		{"c7i.xlarge", "FMAPeak", "", "avx2", 160, 80, 160 * 3600 / 0.18, 1.28},
		{"c7a.xlarge", "Sgemm", sgemm, "portable", 8, 2, 8 * 3600 / 0.2, 0},
		{"c4a-standard-4", "Sgemm", sgemm, "neon", 50, 12.5, math.NaN(), 0},
	}
	for _, tt := range tests {
		row := findRow(r, tt.instance, tt.kernel, tt.params, tt.tier)
		if row == nil {
			t.Errorf("%s %s %s %s: no row", tt.instance, tt.kernel, tt.params, tt.tier)
			continue
		}
		if !near(row.Whole.Center, tt.whole) {
			t.Errorf("%s %s %s: whole median %v, want %v", tt.instance, tt.kernel, tt.params, row.Whole.Center, tt.whole)
		}
		if math.IsNaN(tt.single) != (row.Single == nil) || row.Single != nil && !near(row.Single.Center, tt.single) {
			t.Errorf("%s %s %s: single = %+v, want %v", tt.instance, tt.kernel, tt.params, row.Single, tt.single)
		}
		switch {
		case math.IsNaN(tt.workPerDollar):
			if row.WorkPerDollar != nil {
				t.Errorf("%s: work per dollar %v without a price", tt.instance, row.WorkPerDollar.Center)
			}
		case row.WorkPerDollar == nil || !near(row.WorkPerDollar.Center, tt.workPerDollar):
			t.Errorf("%s %s %s: work per dollar %+v, want %v", tt.instance, tt.kernel, tt.params, row.WorkPerDollar, tt.workPerDollar)
		}
		switch {
		case tt.vsBaseline == 0:
			if r.VsBaseline(row) != nil {
				t.Errorf("%s %s %s: unexpected ratio %v", tt.instance, tt.kernel, tt.params, r.VsBaseline(row).Value)
			}
		case r.VsBaseline(row) == nil || !near(r.VsBaseline(row).Value, tt.vsBaseline):
			t.Errorf("%s %s %s: vs baseline %+v, want %v", tt.instance, tt.kernel, tt.params, r.VsBaseline(row), tt.vsBaseline)
		case !(r.VsBaseline(row).Lo <= tt.vsBaseline && tt.vsBaseline <= r.VsBaseline(row).Hi) && !math.IsNaN(r.VsBaseline(row).Lo):
			t.Errorf("%s %s: interval [%v, %v] misses %v", tt.instance, tt.kernel, r.VsBaseline(row).Lo, r.VsBaseline(row).Hi, tt.vsBaseline)
		}
	}
}

// TestGoldenDerivedFigures checks the figures derived from the medians:
// SMT gain, shares of the peaks, launch spread, the comparisons with the
// baseline, and what each host resolved to.
func TestGoldenDerivedFigures(t *testing.T) {
	r := buildTestReport(t)
	// SMT gain on the SMT host: threads=all over threads=cores.
	if row := findRow(r, "c7i.xlarge", "Sgemm", sgemm, "avx2"); row.SMTGain == nil || !near(row.SMTGain.Value, 48.0/40) {
		t.Errorf("c7i SMT gain = %+v, want 1.2", row.SMTGain)
	}
	// Percent of the measured FMA peak and of the published peak
	// (Graviton3: 4 cores x 2.6 GHz x 32 FLOP/cycle = 332.8 GFLOP/s).
	row := findRow(r, "c7g.xlarge", "Sgemm", sgemm, "neon")
	if !near(row.PctMeasuredPeak, 40) || !near(row.PctPublishedPeak, 40/332.8*100) {
		t.Errorf("c7g Sgemm %% measured peak %v, %% published %v", row.PctMeasuredPeak, row.PctPublishedPeak)
	}
	// Two launches with medians 40.4 and 39.6: 2% apart.
	if !near(row.LaunchSpreadPct, 2) || len(row.LaunchMedians) != 2 {
		t.Errorf("c7g launch spread %v (%v)", row.LaunchSpreadPct, row.LaunchMedians)
	}
	// Fewer than 6 samples: no interval.
	if row := findRow(r, "c6g.xlarge", "Triad", triad, "neon"); row.Whole.HasInterval() || !math.IsNaN(r.VsBaseline(row).Lo) {
		t.Errorf("c6g triad (3 samples) has an interval: %+v %+v", row.Whole, r.VsBaseline(row))
	}

	// Per-kernel and geometric-mean ratios against the baseline.
	var c8g *Comparison
	for _, c := range r.Comparisons {
		if c.Instance == "c8g.xlarge" {
			c8g = c
		}
	}
	want := map[string]float64{"Sgemm": 1.35, "Attention": 1.08, "Triad": 1.35, "FMAPeak": 0.99}
	for _, k := range c8g.Kernels {
		if !near(k.Value, want[k.Kernel]) {
			t.Errorf("c8g %s ratio %v, want %v", k.Kernel, k.Value, want[k.Kernel])
		}
	}
	if g := math.Cbrt(1.35 * 1.08 * 1.35); !near(c8g.Geomean.Value, g) {
		t.Errorf("c8g geomean %v, want %v", c8g.Geomean.Value, g)
	}

	host := r.Host("c7i.xlarge")
	if !near(host.PricePerVCPUHour(), 0.045) || !near(host.PricePerCoreHour(), 0.09) || !host.TierBelowChip {
		t.Errorf("c7i host %+v", host)
	}
	if r.Host("c7g.xlarge").TierBelowChip {
		t.Error("Graviton3's SVE does no more FP32 per cycle than NEON: no flag")
	}
}

// c7g.xlarge's two launches are the report's own A/A test: every kernel
// of launch 2 (testdata/c7g-launch-b.txt) is 0.98 of launch 1's (39.6
// against 40.4 GFLOP/s for SGEMM, and so on), and the method section
// says so beside the noise floor and how each comparison's interval was
// made.
func TestGoldenLaunches(t *testing.T) {
	r := buildTestReport(t)
	if len(r.Launches) != 1 {
		t.Fatalf("%d launch comparisons, want c7g.xlarge's one", len(r.Launches))
	}
	lc := r.Launches[0]
	if lc.Instance != "c7g.xlarge" || lc.Launch != 2 || lc.File != "testdata/c7g-launch-b.txt" || lc.First != "testdata/c7g-launch-a.txt" {
		t.Errorf("launch comparison %+v", lc)
	}
	var kernels []string
	for _, k := range lc.Kernels {
		kernels = append(kernels, k.Kernel)
		if !near(k.Value, 39.6/40.4) || !(k.Lo <= k.Value && k.Value <= k.Hi) || k.L1 != 1 || k.L2 != 1 {
			t.Errorf("launch 2 / launch 1 %s = %+v, want %v inside its interval, one launch a side", k.Kernel, k.Ratio, 39.6/40.4)
		}
	}
	if got := strings.Join(kernels, " "); got != "Sgemm Attention Triad FMAPeak" {
		t.Errorf("kernels %s", got)
	}
	if lc.Geomean == nil || !near(lc.Geomean.Value, 39.6/40.4) {
		t.Errorf("geomean %+v", lc.Geomean)
	}
	// The comparisons with the baseline resample c7g.xlarge in two
	// stages and the others by their one launch.
	for _, c := range r.Comparisons {
		for _, k := range c.Kernels {
			if k.L1 != 1 || k.L2 != 2 {
				t.Errorf("%s vs %s %s: launches %d and %d, want 1 and 2", c.Instance, c.Baseline, k.Kernel, k.L1, k.L2)
			}
		}
	}
	method := strings.Join(r.methodLines(), "\n")
	checkContains(t, "method section", method,
		"c7g.xlarge launch 2 / launch 1 (testdata/c7g-launch-b.txt / testdata/c7g-launch-a.txt), whole instance, each launch's samples alone: Sgemm 0.98x [",
		"c7g.xlarge: 2 launches, pooled (testdata/c7g-launch-a.txt, testdata/c7g-launch-b.txt), 12 samples per benchmark; resampled in two stages",
		"c8g.xlarge: 1 launch (testdata/c8g.txt), 6 samples per benchmark; its intervals know only the noise within that run.",
		"Noise floor 5%: ",
		"is taken to differ from the next by a standard deviation of 5%",
		"Interval method per comparison: two-stage over launches on both sides: none. One launch on a side (verdicts allow for the 5% noise floor): c8g.xlarge vs c7g.xlarge, ",
	)
}

// TestResolvedHosts checks that each host is resolved once into what the
// later stages read: its name's parts, price, peak, vCPUs and cores.
func TestResolvedHosts(t *testing.T) {
	r := buildTestReport(t)
	for _, tt := range []struct {
		instance, provider, family, class, size, region string
		price                                           float64 // 0: none
		peak                                            bool
		vcpus, cores                                    int
	}{
		{"c7g.xlarge", "aws", "c7g", "c", "xlarge", "us-east-1", 0.144, true, 4, 4},
		{"c7i.xlarge", "aws", "c7i", "c", "xlarge", "us-east-1", 0.18, true, 4, 2},
		{"c4a-standard-4", "gcp", "c4a", "standard", "4", "us-central1", 0, true, 4, 4},
	} {
		h := r.Host(tt.instance)
		if h == nil {
			t.Errorf("%s: no host", tt.instance)
			continue
		}
		got := []any{h.Provider, h.Family, h.Class, h.Size, h.Region, h.PricePerHour(), h.Peak != nil, h.VCPUs, h.Cores}
		want := []any{tt.provider, tt.family, tt.class, tt.size, tt.region, tt.price, tt.peak, tt.vcpus, tt.cores}
		if tt.price == 0 {
			want[5] = got[5] // NaN
			if h.Price != nil {
				t.Errorf("%s: price %+v, want none", tt.instance, h.Price)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s resolved to %v, want %v", tt.instance, got, want)
		}
	}
}

func TestGoldenVerdicts(t *testing.T) {
	r := buildTestReport(t)
	tests := []struct {
		id, verdict, pair, kernel string
		measured                  float64 // 0: none
	}{
		// c8g.xlarge, c6g.xlarge and c7i.xlarge have one launch each:
		// verdicts on them allow for the noise floor's launch-to-launch
		// spread they cannot see, and C1, C2, C4, C5, C6 and C17 are left
		// consistent (see TestGoldenVerdictsWithoutNoiseFloor). C4 and C5
		// were holds and exceeds on the within-run interval alone, which
		// the verdicts review found too narrow (its findings 4 and 7).
		{"C1", Consistent, "c8g.xlarge c7g.xlarge", "Sgemm", 1.35},
		{"C2", Consistent, "c8g.xlarge c7g.xlarge", "Sgemm", 1.5},
		{"C3", Consistent, "c8g.xlarge c7g.xlarge", "Sgemm", 1.5},
		{"C4", Consistent, "c8g.xlarge c7g.xlarge", "geomean", 1.5},
		{"C5", Consistent, "c8g.xlarge c7g.xlarge", "geomean", 1.2}, // performance_ml: attention alone, the fixtures have no bf16 or int8 GEMM
		{"C6", Consistent, "c8g.xlarge c7g.xlarge", "Sgemm", 1.35},
		{"C7", Contradicted, "c7g.xlarge c8g.xlarge", "geomean", 1 / math.Sqrt(1.35*1.08)},
		{"C8", Holds, "c8g.xlarge c7g.xlarge", "geomean", math.Sqrt(1.35 * 1.08)},
		{"C9", Contradicted, "c7g.xlarge c8g.xlarge", "Attention", 1 / 1.2},
		{"C10", Consistent, "c6g.xlarge c7g.xlarge", "geomean", 1},
		{"C11", FallsShort, "c8g.xlarge c7g.xlarge", "geomean", 1.5},
		{"C12", NotMeasured, "", "", 0},
		{"C13", OutOfScope, "", "", 0},
		{"C14", NotComparable, "", "", 0},
		{"C15", NotPriced, "", "", 0},
		{"C16", Contradicted, "c7g.xlarge c8g.xlarge", "geomean", 1 / math.Sqrt(1.2*1.5)},
		{"C17", Consistent, "c7i.xlarge c8g.xlarge", "FMAPeak", 160.0 / 110},
	}
	byID := map[string]*ClaimResult{}
	for _, c := range r.Claims {
		byID[c.Claim.ID] = c
	}
	for _, tt := range tests {
		c := byID[tt.id]
		if c == nil {
			t.Errorf("%s: not judged", tt.id)
			continue
		}
		if c.Verdict != tt.verdict {
			t.Errorf("%s: verdict %q, want %q (%s)", tt.id, c.Verdict, tt.verdict, c.Detail())
		}
		proxy := strings.HasSuffix(c.Detail(), ProxyNote)
		if proxy != (c.Claim.TestableBy == seeds.ByProxy) {
			t.Errorf("%s: detail %q: proxy note present = %v", tt.id, c.Detail(), proxy)
		}
		if tt.measured == 0 {
			if c.Judged != nil {
				t.Errorf("%s: judged on %s/%s", tt.id, c.Judged.Subject, c.Judged.Baseline)
			}
			continue
		}
		if c.Judged == nil {
			t.Errorf("%s: no judged pair", tt.id)
			continue
		}
		if pair := c.Judged.Subject + " " + c.Judged.Baseline; pair != tt.pair {
			t.Errorf("%s: pair %s, want %s", tt.id, pair, tt.pair)
		}
		// Each launch weighs the same: c7g.xlarge's two launches differ
		// a little, so its side is their geometric mean, within 0.01% of
		// the hand figures.
		if k := c.Judged.Judged; k.Kernel != tt.kernel || math.Abs(k.Value/tt.measured-1) > 1e-4 {
			t.Errorf("%s: judged %s %v, want %s %v", tt.id, k.Kernel, k.Value, tt.kernel, tt.measured)
		}
	}
	for id, want := range map[string]string{
		"C12": "run m7i.xlarge ($0.2016/h)",
		"C13": "needs accelerator results",
		"C14": "c7a.xlarge ran portable, c7i.xlarge ran avx2",
		"C15": "no on_demand price for c4a-standard-4 in us-central1",
		"C1":  "best kernel Sgemm (neon vs neon) on c8g.xlarge vs c7g.xlarge: work per dollar 1.35x [1.20, 1.51] (97.5% interval, 95% over the 2 compared) straddles the edge of ≥ 1.30x; provisional: 1 launch of c8g.xlarge and 2 launches of c7g.xlarge; run three or more of each to decide",
		"C17": "provisional: 1 launch of c7i.xlarge and 1 launch of c8g.xlarge; run three or more of each to decide",
		"C8":  "lies within ≥ 1.02x (better by the 2% minimum effect)",
	} {
		if !strings.Contains(byID[id].Detail(), want) {
			t.Errorf("%s: detail %q lacks %q", id, byID[id].Detail(), want)
		}
	}
	// What the price list alone implies: c8g costs 0.16/0.144 = 1.11x c7g.
	if want := "1.60x the performance is at most 1.44x per dollar"; !strings.Contains(byID["C2"].PriceNote(), want) {
		t.Errorf("C2 price note %q lacks %q", byID["C2"].PriceNote(), want)
	}
	if want := "1.43x per dollar needs 1.59x the performance"; !strings.Contains(byID["C6"].PriceNote(), want) {
		t.Errorf("C6 price note %q lacks %q", byID["C6"].PriceNote(), want)
	}
}

// Without the noise floor, one launch per side is judged on its
// within-run spread alone: verdicts the floor made provisional are
// decisive again where the rounds themselves were steady (C2, C17), and
// stay provisional where the best of two kernels and c7g.xlarge's two
// launches leave the interval across the claim (C1, C3, C6).
func TestGoldenVerdictsWithoutNoiseFloor(t *testing.T) {
	set, err := results.Read(testInputs())
	if err != nil {
		t.Fatal(err)
	}
	cat, err := seeds.Load(seeds.Files{Prices: "testdata/prices.csv", Claims: "testdata/claims.csv"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(set, Options{Catalog: cat, Now: asOf, NoiseFloor: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"C1": Consistent, "C2": FallsShort, "C3": Consistent, "C4": Holds, "C5": Exceeds, "C6": Consistent, "C8": Holds, "C10": Consistent, "C17": FallsShort}
	for _, c := range r.Claims {
		if w, ok := want[c.Claim.ID]; ok && c.Verdict != w {
			t.Errorf("%s without a noise floor: %s (%s), want %s", c.Claim.ID, c.Verdict, c.Detail(), w)
		}
		if strings.Contains(c.Detail(), "noise floor") {
			t.Errorf("%s: detail %q mentions a noise floor there is none of", c.Claim.ID, c.Detail())
		}
	}
	if r.NoiseFloor != 0 {
		t.Errorf("NoiseFloor %v, want 0 for none", r.NoiseFloor)
	}
	for _, bad := range []float64{1, math.NaN(), math.Inf(1)} {
		if _, err := Build(set, Options{Catalog: cat, NoiseFloor: bad}); err == nil {
			t.Errorf("noise floor %v accepted", bad)
		}
	}
}

func TestGoldenWarnings(t *testing.T) {
	r := buildTestReport(t)
	var all []string
	for _, w := range r.Warnings {
		all = append(all, w.String())
	}
	text := strings.Join(all, "\n")
	checkContains(t, "warnings", text,
		"c6g.xlarge: BenchmarkTriad/n=33554432/threads=all (neon) has 3 samples, fewer than 6: no interval",
		"c7a.xlarge: BenchmarkSgemm/n=1024/threads=all (portable) spreads ±10.0% (over 5%)",
		"c6g.xlarge: CPU steal time reached 3.1%",
		"different Go versions across compared instances: go1.26.0 (c7a.xlarge)",
		"different kernel tiers across compared instances",
		"c6g.xlarge: price dated 2025-01-01 is 577 days old (over 180)",
		"c4a-standard-4: no on_demand price",
		"c7i.xlarge: the chip's widest SIMD is avx512 but the kernels ran at tier avx2",
		"c7a.xlarge: not comparable with the baseline: Sgemm n=1024: c7a.xlarge ran portable, c7g.xlarge ran neon",
	)
	if strings.Contains(text, "c8g.xlarge: CPU steal") {
		t.Error("0.2% steal must not warn")
	}
}

// TestGoldenOutput pins the rendered formats. Run with -update after a
// deliberate change and review the diff.
func TestGoldenOutput(t *testing.T) {
	r := buildTestReport(t)
	var md, cs, js bytes.Buffer
	if err := r.WriteMarkdown(&md, []string{"report-overview.svg", "report-sgemm-n1024.svg"}); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteCSV(&cs); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	const rerun = "go test ./report -run TestGoldenOutput -update"
	goldentest.Check(t, "report.md", md.Bytes(), rerun)
	goldentest.Check(t, "report.csv", cs.Bytes(), rerun)
	goldentest.Check(t, "report.json", js.Bytes(), rerun)
	// The machine formats must parse and carry the same tables.
	recs, err := (&csvReader{bytes.NewReader(cs.Bytes())}).readAll()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tables []struct {
			Name    string
			Columns []string
			Rows    [][]any
		}
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	csvRows := map[string]int{}
	for _, rec := range recs {
		if rec[0] != "table" {
			csvRows[rec[0]]++
		}
	}
	for _, tb := range doc.Tables {
		if csvRows[tb.Name] != len(tb.Rows) {
			t.Errorf("table %s: %d CSV rows, %d JSON rows", tb.Name, csvRows[tb.Name], len(tb.Rows))
		}
		for _, row := range tb.Rows {
			if len(row) != len(tb.Columns) {
				t.Errorf("table %s: row of %d values for %d columns", tb.Name, len(row), len(tb.Columns))
			}
		}
	}
}

type csvReader struct{ r *bytes.Reader }

func (c *csvReader) readAll() ([][]string, error) {
	cr := csv.NewReader(c.r)
	cr.FieldsPerRecord = -1
	return cr.ReadAll()
}

func TestCharts(t *testing.T) {
	r := buildTestReport(t)
	dir := t.TempDir()
	names, err := r.WriteCharts(dir, "report")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 2 || names[0] != "report-overview.svg" || names[1] != "report-sgemm-n1024.svg" {
		t.Fatalf("charts %v, want the overview first, then per kernel", names)
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Contains(data, []byte("<svg")) || !bytes.Contains(data, []byte("c8g.xlarge")) {
			t.Errorf("chart %s: %v, %d bytes", name, err, len(data))
			continue
		}
		checkChartLegible(t, name, string(data))
	}
	overview, _ := os.ReadFile(filepath.Join(dir, names[0]))
	for _, want := range []string{"Work per dollar relative to c7g.xlarge", "c7g.xlarge (baseline)", "c7i.xlarge", "#0072b2", "#d55e00", "1.35x", "Not shown: c7a.xlarge (not comparable), c4a-standard-4 (no price)"} {
		if !bytes.Contains(overview, []byte(want)) {
			t.Errorf("overview lacks %q", want)
		}
	}
}

// checkChartLegible checks what a chart at GitHub's width needs: every
// text inside the canvas by its estimated width, and no axis tick of
// more than four digits (1.5M, not 1500000).
func checkChartLegible(t *testing.T, name, svg string) {
	t.Helper()
	width := 0.0
	fmt.Sscanf(svg[strings.Index(svg, `width="`)+len(`width="`):], "%g", &width)
	if width == 0 || width > 1000 {
		t.Errorf("%s: width %v, want at most GitHub's ~900 px", name, width)
	}
	long := regexp.MustCompile(`>[0-9]{5,}<`)
	if m := long.FindString(svg); m != "" {
		t.Errorf("%s: label %s: use SI or relative units", name, m)
	}
	re := regexp.MustCompile(`<text x="([0-9.]+)" y="[0-9.]+" font-size="([0-9]+)"([^>]*)>([^<]*)</text>`)
	for _, m := range re.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.ParseFloat(m[1], 64)
		size, _ := strconv.ParseFloat(m[2], 64)
		w := textWidth(html.UnescapeString(m[4]), size)
		lo, hi := x, x+w
		switch {
		case strings.Contains(m[3], `text-anchor="end"`):
			lo, hi = x-w, x
		case strings.Contains(m[3], `text-anchor="middle"`):
			lo, hi = x-w/2, x+w/2
		}
		if lo < 0 || hi > width {
			t.Errorf("%s: %q spans [%.0f, %.0f], outside the canvas of %.0f", name, m[4], lo, hi, width)
		}
	}
}

func TestBaselineOption(t *testing.T) {
	set, err := results.Read(testInputs())
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := seeds.Load(seeds.Files{Prices: "testdata/prices.csv", Claims: "testdata/claims.csv"})
	r, err := Build(set, Options{Catalog: cat, Now: asOf, Baseline: "c8g.xlarge", PriceType: seeds.Spot})
	if err != nil {
		t.Fatal(err)
	}
	if r.Baseline != "c8g.xlarge" || r.Host("c7g.xlarge").PricePerHour() != 0.072 || r.Host("c8g.xlarge").Price != nil {
		t.Errorf("baseline %s, spot prices %v %v", r.Baseline, r.Host("c7g.xlarge").PricePerHour(), r.Host("c8g.xlarge").Price)
	}
	// An unknown baseline is the command line's mistake, which the
	// command tells by ErrUnknownBaseline.
	_, err = Build(set, Options{Catalog: cat, Baseline: "m9g.xlarge"})
	want := "-baseline m9g.xlarge: no results for it (have c7g.xlarge, c8g.xlarge, c6g.xlarge, c7i.xlarge, c7a.xlarge, c4a-standard-4)"
	if !errors.Is(err, ErrUnknownBaseline) || err.Error() != want {
		t.Errorf("unknown baseline: err = %v\nwant %s, wrapping ErrUnknownBaseline", err, want)
	}
}

// An accelerator claim is out of scope without accelerator results, and
// judged on them when both sides have some: any benchmark that is not one
// of the suite's, in Go benchmark format with a rate unit.
func TestAcceleratorClaim(t *testing.T) {
	dir := t.TempDir()
	write := func(instance string, tokens float64) results.Input {
		var s strings.Builder
		fmt.Fprintf(&s, "# synthetic accelerator results\ninstance: %s\n", instance)
		for _, f := range []float64{0.99, 0.995, 1, 1, 1.005, 1.01} {
			fmt.Fprintf(&s, "BenchmarkLlamaDecode/batch=8-192 1 1000 ns/op %g tokens/s\n", tokens*f)
		}
		p := filepath.Join(dir, instance+".txt")
		os.WriteFile(p, []byte(s.String()), 0o644)
		return results.Input{Path: p}
	}
	set, err := results.Read([]results.Input{write("p5.48xlarge", 1000), write("p6-b200.48xlarge", 3000)})
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := seeds.Default()
	claims := "id,stated_by,subject,baseline,metric,claimed_ratio,bound,wording,source,testable_by\n" +
		"A1,vendor,p6-b200,p5,performance,2.5,up_to,synthetic,test,accelerator\n" +
		"A2,vendor,trn2,p5,performance,2.5,up_to,synthetic,test,accelerator\n"
	if cat.Claims, err = seeds.ParseClaims(strings.NewReader(claims), "a.csv"); err != nil {
		t.Fatal(err)
	}
	r, err := Build(set, Options{Catalog: cat, Now: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if a1 := r.Claims[0]; a1.Verdict != Holds || a1.Judged.Judged.Kernel != "LlamaDecode" || !near(a1.Judged.Judged.Value, 3) {
		t.Errorf("A1: %s %s", a1.Verdict, a1.Detail())
	}
	if a2 := r.Claims[1]; a2.Verdict != OutOfScope {
		t.Errorf("A2: %s %s", a2.Verdict, a2.Detail())
	}
	if row := findRow(r, "p6-b200.48xlarge", "LlamaDecode", "batch=8", ""); row == nil || row.Whole == nil || row.Unit != "tokens/s" {
		t.Errorf("accelerator row %+v", row)
	}
}
