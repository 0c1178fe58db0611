package report

import (
	"math"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/schema"
)

// The files in testdata/lowp are synthetic Graviton-like hosts with the
// bf16 and int8 kernels, medians known by hand (±1% noise):
//
//	c7g.xlarge  bf16 tier "bf16", int8 "i8mm":      GemmBF16 900, GemmInt8 1800, Attention 120, DotPeakBF16 1200, DotPeakInt8 2400
//	c6g.xlarge  bf16 tier "fp32-neon", int8 "dotprod": GemmBF16 110, GemmInt8 480, Attention 60, DotPeakBF16 150, DotPeakInt8 600
func buildLowpReport(t *testing.T) *Report {
	t.Helper()
	return buildReport(t, dirInputs("lowp", "c7g.txt", "c6g.txt"), "testdata/lowp/claims.csv")
}

// TestPerformanceMLOnReducedPrecision: an ML claim is judged on the bf16
// and int8 GEMMs, each host on the best tier it has for each data type,
// and a host without bf16 instructions is said to have run fp32.
func TestPerformanceMLOnReducedPrecision(t *testing.T) {
	r := buildLowpReport(t)
	var c *ClaimResult
	for _, cr := range r.Claims {
		if cr.Claim.ID == "LP1" {
			c = cr
		}
	}
	if c == nil || c.Judged == nil || c.Judged.Judged == nil {
		t.Fatalf("LP1 not judged: %+v", c)
	}
	if c.Verdict != Holds || c.Judged.Judged.Kernel != schema.GemmBF16 {
		t.Errorf("LP1: %s on %s, want holds on GemmBF16 (900/110)", c.Verdict, c.Judged.Judged.Kernel)
	}
	if got := c.Judged.Judged.Value; math.Abs(got-900.0/110) > 0.2 {
		t.Errorf("LP1 judged ratio %.2f, want about %.2f", got, 900.0/110)
	}
	var kernels []string
	for _, k := range c.Judged.Kernels {
		kernels = append(kernels, k.Kernel)
	}
	// In suite order, the kernel table's (schema.MetricKernels).
	if got := strings.Join(kernels, " "); got != "Attention GemmBF16 GemmInt8" {
		t.Errorf("LP1 judged on %q, want Attention GemmBF16 GemmInt8", got)
	}
	found := false
	for _, w := range r.Warnings {
		if w.Instance == "c6g.xlarge" && strings.Contains(w.Text, "no bf16 instruction") && strings.Contains(w.Text, "fp32-neon") {
			found = true
		}
		if w.Instance == "c7g.xlarge" && strings.Contains(w.Text, "no bf16 instruction") {
			t.Errorf("c7g.xlarge has bf16 instructions, yet: %s", w)
		}
	}
	if !found {
		t.Errorf("no warning that c6g.xlarge ran bf16 on the fp32 path: %v", r.Warnings)
	}
}

// TestReducedPrecisionPeaks: the bf16 and int8 GEMMs are shown against
// the dot-product probe of their own tier, and against the catalog's
// figure for that tier (BFMMLA on c7g, the fp32 peak for fp32-neon).
func TestReducedPrecisionPeaks(t *testing.T) {
	r := buildLowpReport(t)
	for _, tt := range []struct {
		instance, kernel, tier string
		measured               float64 // percent of the tier's probe
	}{
		{"c7g.xlarge", schema.GemmBF16, "bf16", 75},
		{"c7g.xlarge", schema.GemmInt8, "i8mm", 75},
		{"c6g.xlarge", schema.GemmBF16, "fp32-neon", 110.0 / 150 * 100},
		{"c6g.xlarge", schema.GemmInt8, "dotprod", 80},
	} {
		row := findRow(r, tt.instance, tt.kernel, "n=1024", tt.tier)
		if row == nil {
			t.Errorf("no %s %s row at tier %s", tt.instance, tt.kernel, tt.tier)
			continue
		}
		if math.Abs(row.PctMeasuredPeak-tt.measured) > 2 {
			t.Errorf("%s %s: %.1f%% of the measured peak, want about %.1f%%", tt.instance, tt.kernel, row.PctMeasuredPeak, tt.measured)
		}
		if math.IsNaN(row.PctPublishedPeak) || row.PctPublishedPeak <= 0 || row.PctPublishedPeak > 100 {
			t.Errorf("%s %s: %% of published peak %v", tt.instance, tt.kernel, row.PctPublishedPeak)
		}
	}
	// c6g's fp32 path is judged against Graviton2's fp32 peak: 16 FLOP
	// per cycle, 2.5 GHz, 4 cores.
	if row := findRow(r, "c6g.xlarge", schema.GemmBF16, "n=1024", "fp32-neon"); row != nil && math.Abs(row.PctPublishedPeak-110.0/160*100) > 2 {
		t.Errorf("c6g GemmBF16 on fp32-neon: %.1f%% of the published peak, want about %.1f%%", row.PctPublishedPeak, 110.0/160*100)
	}
}
