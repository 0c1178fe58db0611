package report

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/report/results"
)

// TestRanking checks the first table: instances by work per dollar, each
// column relative to the baseline, c7g.xlarge, as the overview chart is
// (one scale on the first screen: finding 3 of the first-hour review).
// c8g.xlarge has the most of every kernel (SGEMM 1.35x, attention 1.08x
// and triad 1.35x c7g.xlarge's per dollar), clearly; c7a.xlarge ran only
// portable kernels and has no place.
func TestRanking(t *testing.T) {
	r := buildTestReport(t)
	rk := r.Ranking
	if got := strings.Join(rk.Kernels, " "); got != "Sgemm Attention Triad" || rk.Baseline != "c7g.xlarge" {
		t.Errorf("ranked kernels %q against %s, want the non-probe kernels against c7g.xlarge", got, rk.Baseline)
	}
	for col, want := range map[string]string{"geomean": "c8g.xlarge", "Sgemm": "c8g.xlarge", "Triad": "c8g.xlarge"} {
		if rk.Best[col] != want {
			t.Errorf("best %s: %s, want %s", col, rk.Best[col], want)
		}
	}
	var order []string
	for _, row := range rk.Rows {
		order = append(order, row.Instance)
	}
	if order[0] != "c8g.xlarge" || order[len(order)-2] != "c7a.xlarge" && order[len(order)-1] != "c7a.xlarge" {
		t.Errorf("order %v", order)
	}
	for _, row := range rk.Rows {
		switch row.Instance {
		case "c7g.xlarge":
			if row.Geomean.Value != 1 {
				t.Errorf("the baseline's geomean %v", row.Geomean.Value)
			}
		case "c8g.xlarge":
			want := []float64{1.35, 1.08, 1.35}
			for i, k := range row.Kernels {
				if math.Abs(k.Value/want[i]-1) > 1e-4 || !(k.Lo <= k.Value && k.Value <= k.Hi) {
					t.Errorf("c8g %s %+v, want %v inside its interval", rk.Kernels[i], k, want[i])
				}
			}
			if g := math.Cbrt(want[0] * want[1] * want[2]); math.Abs(row.Geomean.Value/g-1) > 1e-4 {
				t.Errorf("c8g geomean %v, want %v", row.Geomean.Value, g)
			}
		case "c7a.xlarge", "c4a-standard-4":
			if row.Geomean != nil || row.Note() == "" {
				t.Errorf("%s ranked: %+v", row.Instance, row)
			}
		}
	}
	var md bytes.Buffer
	r.WriteMarkdown(&md, []string{"report-overview.svg", "report-sgemm-n1024.svg"})
	out := md.String()
	ranked, claims, hosts := strings.Index(out, "## Work per dollar, ranked"), strings.Index(out, "| **C1** |"), strings.Index(out, "## Hosts")
	if ranked < 0 || claims < ranked || hosts < claims || strings.Index(out, "(report-overview.svg)") > claims {
		t.Errorf("first screen out of order: ranking at %d, claims table at %d, overview at %d, hosts at %d",
			ranked, claims, strings.Index(out, "(report-overview.svg)"), hosts)
	}
}

// TestClaimedMeansOneThing checks that claimed is the ratio as stated in
// both machine tables, and target the higher-is-better figure verdicts
// use: C6 claims 0.70 of the cost, 1/0.70 work per dollar. The summary
// table once put 1.43 under claimed and the claims table 0.7.
func TestClaimedMeansOneThing(t *testing.T) {
	r := buildTestReport(t)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(&buf)
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	seen := 0
	for _, rec := range recs {
		if rec[0] == "table" {
			header = rec
			continue
		}
		if (rec[0] != "summary" && rec[0] != "claims") || rec[1] != "C6" {
			continue
		}
		seen++
		claimed, _ := strconv.ParseFloat(rec[slices.Index(header, "claimed")], 64)
		target, _ := strconv.ParseFloat(rec[slices.Index(header, "target")], 64)
		if claimed != 0.7 || !near(target, 1/0.7) {
			t.Errorf("%s C6: claimed %v, target %v; want 0.7 and %v", rec[0], claimed, target, 1/0.7)
		}
	}
	if seen != 2 {
		t.Errorf("C6 in %d tables, want summary and claims", seen)
	}
}

// TestWarningSummary checks one line per kind, with a count out of what
// was checked and the worst case, against the full list.
func TestWarningSummary(t *testing.T) {
	r := buildTestReport(t)
	lines := r.WarningSummary()
	text := strings.Join(lines, "\n")
	checkContains(t, "summary", text,
		"8 of 55 benchmarks spread over 5%, worst Sgemm n=1024 threads=1 on c7a.xlarge ±10%",
		"2 of 55 benchmarks have fewer than 6 samples (no interval), fewest Triad n=33554432 threads=1 on c6g.xlarge (3)",
		"1 of 5 prices older than 180 days, oldest c6g.xlarge's (577 days)",
		"1 of 6 instances had no price, so no per-dollar figures, e.g. c4a-standard-4 (no on_demand price in us-central1; `ppbench prices update` fetches the providers' current lists)",
	)
	if len(lines) >= len(r.Warnings) {
		t.Errorf("%d summary lines for %d warnings", len(lines), len(r.Warnings))
	}
	for _, l := range lines {
		if strings.Count(text, l) > 1 {
			t.Errorf("line %q repeated", l)
		}
	}
}

// With nothing priced there is nothing to rank, and the first screen
// says why instead of an empty table, and the right why (finding 8 of
// the first-hour review: one instance was told "portable against SIMD").
func TestRankingNothingToRank(t *testing.T) {
	dir := t.TempDir()
	r := mustBuild(t, dir, "", "", Options{}, results.Input{Path: "testdata/unknown.txt", Instance: "c4a-standard-4"})
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md, nil); err != nil {
		t.Fatal(err)
	}
	if want := "Nothing to rank: 0 instances priced, and a ranking needs two"; !strings.Contains(md.String(), want) {
		t.Errorf("markdown lacks %q", want)
	}
}

// TestRankingTies: two runs of one host named as two instance types are
// not ranked one above the other; the first screen calls them tied
// (finding 5 of the first-hour review: it bolded "1.00x (best)").
func TestRankingTies(t *testing.T) {
	r := buildAA(t, aaCatalog(t, ""), 0,
		results.Input{Path: "testdata/aa/run-a.txt", Instance: "c8a.large"},
		results.Input{Path: "testdata/aa/run-b.txt", Instance: "m8a.large"})
	if b := r.Ranking.Best[geomeanColumn]; b != "" {
		t.Errorf("%s is best on geomean against itself", b)
	}
	if tied := r.Ranking.Tied[geomeanColumn]; len(tied) != 2 {
		t.Errorf("tied on geomean: %v, want both", tied)
	}
	var md bytes.Buffer
	r.WriteMarkdown(&md, nil)
	if out := md.String(); strings.Contains(out, "(best)") || !strings.Contains(out, "tied (intervals overlap): geomean") {
		t.Errorf("first screen ranks a host above itself:\n%s", out[:min(len(out), 1500)])
	}
}
