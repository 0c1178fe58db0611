package report

import (
	"math"
	"testing"

	"github.com/ppbench/ppbench/seeds"
)

// Every bound against every verdict it can give, with the interval placed
// on each side of each threshold (docs/design.md, "Claim verdicts").
func TestVerdictRules(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		bound         string
		claim         float64
		value, lo, hi float64
		want          string
	}{
		{seeds.UpTo, 1.3, 1.4, 1.35, 1.45, Holds},
		{seeds.UpTo, 1.3, 1.4, 1.30, 1.45, Holds}, // lo == c
		{seeds.UpTo, 1.3, 1.3, 1.25, 1.35, Consistent},
		{seeds.UpTo, 1.3, 1.25, 1.2, 1.30, Consistent}, // hi == c
		{seeds.UpTo, 1.3, 1.1, 1.05, 1.2, FallsShort},
		{seeds.UpTo, 1.3, 0.95, 0.9, 1.0, FallsShort}, // hi == 1 is not below 1
		{seeds.UpTo, 1.3, 0.9, 0.85, 0.95, Contradicted},
		{seeds.UpTo, 1.25, 1.2, nan, nan, FallsShort}, // no interval: the median alone
		{seeds.Approx, 1.5, 1.5, 1.4, 1.6, Holds},
		{seeds.Approx, 1.5, 1.5, 1.3, 1.6, FallsShort}, // interval leaves the band, median on target: not holds
		{seeds.Approx, 1.5, 1.2, 1.1, 1.3, FallsShort},
		{seeds.Approx, 1.5, 1.9, 1.8, 2.0, Exceeds},
		{seeds.Approx, 1.5, 0.8, 0.7, 0.9, Contradicted},
		{seeds.Approx, 0.8, 1.2, 1.1, 1.3, Contradicted},
		{seeds.Approx, 1.0, 1.3, 1.25, 1.35, Exceeds}, // c == 1: no other side
		{seeds.Better, 1, 1.1, 1.05, 1.15, Holds},
		{seeds.Better, 1, 1.0, 0.95, 1.05, Consistent},
		{seeds.Better, 1, 1.02, 1.0, 1.05, Consistent}, // lo == 1 is not above 1
		{seeds.Better, 1, 0.9, 0.85, 0.95, Contradicted},
	}
	for _, tt := range tests {
		got, why := verdict(tt.bound, tt.claim, Ratio{Value: tt.value, Lo: tt.lo, Hi: tt.hi})
		if got != tt.want {
			t.Errorf("%s %v with %v [%v, %v] = %s (%s), want %s", tt.bound, tt.claim, tt.value, tt.lo, tt.hi, got, why, tt.want)
		}
	}
}

func TestPickPair(t *testing.T) {
	pairs := []*PairResult{{Verdict: FallsShort}, {Verdict: NotComparable}, {Verdict: Holds}, {Verdict: Contradicted}}
	if p := pickPair(seeds.UpTo, pairs); p != pairs[2] {
		t.Errorf("up_to picked %s, want the most favourable", p.Verdict)
	}
	if p := pickPair(seeds.Better, pairs); p != pairs[3] {
		t.Errorf("better picked %s, want the least favourable", p.Verdict)
	}
	if p := pickPair(seeds.Better, pairs[1:2]); p != nil {
		t.Errorf("picked %s from pairs that judge nothing", p.Verdict)
	}
}

func TestFormatNumber(t *testing.T) {
	for v, want := range map[float64]string{1e6: "1,000,000", 1234.5: "1,235", 123.4: "123", 39.25: "39.2", 3.14159: "3.14", 0.0362: "0.0362", 0: "0.00"} {
		if got := formatNumber(v); got != want {
			t.Errorf("formatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}
