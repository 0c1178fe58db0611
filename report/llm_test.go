package report

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/schema"
)

// The files in testdata/llm are synthetic Graviton-like hosts, three
// launches each, with the LLM passes and the kernels that bound them,
// medians known by hand (±1% noise a sample, ±1% a launch):
//
//	            decode tok/s (1, all)  prefill tok/s  triad GB/s  GemmInt8 GOP/s
//	c8g.xlarge  8, 24                  60, 200        20, 40      220, 800
//	c7g.xlarge  6, 17                  40, 130        16, 30      160, 600
//
// Decode reads 1.347e9 B/tok and prefill costs 2.471e9 op/tok (the 1B
// model in q8_0), so c8g's whole-instance decode runs at 24 × 1.347 / 40
// = 81% of its triad bound and its prefill at 200 × 2.471 / 800 = 62% of
// its GEMM bound.
func buildLLMReport(t *testing.T) *Report {
	t.Helper()
	in := dirInputs("llm", "c8g-1.txt", "c8g-2.txt", "c8g-3.txt", "c7g-1.txt", "c7g-2.txt", "c7g-3.txt")
	return buildReport(t, in, "testdata/llm/claims.csv")
}

// TestLLMBoundShares: each LLM row's % measured peak is its share of the
// bound measured on the same host at the same threads key, and its work
// per dollar is tokens per dollar.
func TestLLMBoundShares(t *testing.T) {
	r := buildLLMReport(t)
	want := map[string]float64{
		"c8g.xlarge " + schema.LLMDecode:  24 * 1.346873472 / 40 * 100,
		"c8g.xlarge " + schema.LLMPrefill: 200 * 2.471493632 / 800 * 100,
		"c7g.xlarge " + schema.LLMDecode:  17 * 1.346873472 / 30 * 100,
		"c7g.xlarge " + schema.LLMPrefill: 130 * 2.471493632 / 600 * 100,
	}
	seen := 0
	for _, row := range r.Rows {
		w, ok := want[row.Instance+" "+row.Kernel]
		if !ok {
			continue
		}
		seen++
		if math.Abs(row.PctMeasuredPeak-w) > 0.04*w {
			t.Errorf("%s %s: %.1f%% of its bound, want about %.1f%%", row.Instance, row.Kernel, row.PctMeasuredPeak, w)
		}
		if !math.IsNaN(row.PctPublishedPeak) && row.PctPublishedPeak != 0 {
			t.Errorf("%s %s: a published peak %.1f%% for a kernel measured in tokens", row.Instance, row.Kernel, row.PctPublishedPeak)
		}
		if row.WorkUnit() != "tok per $" || row.WorkPerDollar == nil {
			t.Errorf("%s %s: work per dollar %v in %q, want tokens per dollar", row.Instance, row.Kernel, row.WorkPerDollar, row.WorkUnit())
		}
	}
	if seen != len(want) {
		t.Errorf("%d LLM rows, want %d", seen, len(want))
	}
}

// TestLLMClaimVerdicts: an llm_inference claim is judged on the LLM
// passes alone (up to 1.3x, measured 1.41x decode and 1.54x prefill:
// holds), a tokens-per-dollar claim of 2x, which the prices cap at
// 1.54 × 0.144 / 0.16 = 1.39x, falls short, and a performance_ml claim
// takes the LLM passes among its kernels.
func TestLLMClaimVerdicts(t *testing.T) {
	r := buildLLMReport(t)
	byID := map[string]*ClaimResult{}
	for _, c := range r.Claims {
		byID[c.Claim.ID] = c
	}
	c := byID["LL1"]
	if c == nil || c.Judged == nil {
		t.Fatalf("LL1 not judged: %+v", c)
	}
	if k := c.Judged.Judged.Kernel; k != schema.LLMPrefill || c.Judged.Verdict != Holds {
		t.Errorf("LL1: pair verdict %s on %s, want holds on %s: %s", c.Judged.Verdict, k, schema.LLMPrefill, c.Detail())
	}
	for _, k := range c.Judged.Kernels {
		if k.Kernel != schema.LLMDecode && k.Kernel != schema.LLMPrefill {
			t.Errorf("LL1 judged on %s, not an LLM pass", k.Kernel)
		}
	}
	c = byID["LL2"]
	if c == nil || c.Verdict != FallsShort {
		t.Errorf("LL2: %v, want falls short: %s", c.Verdict, c.Detail())
	}
	if got := c.Judged.Judged.Value; math.Abs(got-1.386) > 0.04 {
		t.Errorf("LL2 measured %.3f tokens per dollar over the baseline, want about 1.39", got)
	}
	// A performance_ml claim about inference is judged on the LLM passes
	// too: the best of its kernels is prefill's 1.54x.
	c = byID["LL3"]
	if c == nil || c.Judged == nil || c.Judged.Judged.Kernel != schema.LLMPrefill || c.Verdict != Holds {
		t.Errorf("LL3: %v: %s, want holds on %s", c.Verdict, c.Detail(), schema.LLMPrefill)
	}
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"### LLMDecode model=llama-3.2-1b weights=q8_0 context=512 (tok/s; work per $ in tok per $)", "LL1"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
