package report

import (
	"math"
	"testing"

	"github.com/ppbench/ppbench/seeds"
)

// The one rule, every bound against every verdict it can give, with the
// interval on each side of each edge (docs/design.md, "Claim verdicts").
// Findings 3 and 10 of the verdicts review: approx straddling an edge of
// its band is consistent, not decisive; up_to and better agree below 1.
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
		{seeds.UpTo, 1.3, 0.95, 0.9, 0.99, FallsShort}, // worse, but by less than δ
		{seeds.UpTo, 1.3, 0.9, 0.85, 0.95, Contradicted},
		{seeds.UpTo, 1.25, 1.2, nan, nan, Consistent},       // no interval: never decisive
		{seeds.UpTo, 1.0, 0.97, 0.965, 0.975, Contradicted}, // finding 10: agrees with better below
		{seeds.UpTo, 1.03, 1.04, 1.035, 1.045, Holds},
		{seeds.Approx, 1.5, 1.5, 1.4, 1.6, Holds},
		{seeds.Approx, 1.25, 1.25, 1.12, 1.30, Consistent}, // finding 3: was falls short
		{seeds.Approx, 1.0, 1.0, 0.93, 1.07, Holds},        // finding 3: was exceeds
		{seeds.Approx, 1.5, 1.5, 1.3, 1.6, Consistent},
		{seeds.Approx, 1.5, 1.2, 1.1, 1.3, FallsShort},
		{seeds.Approx, 1.5, 1.9, 1.8, 2.0, Exceeds},
		{seeds.Approx, 1.5, 0.8, 0.7, 0.9, Contradicted},
		{seeds.Approx, 0.8, 1.2, 1.1, 1.3, Contradicted},
		{seeds.Approx, 1.0, 1.3, 1.25, 1.35, Exceeds}, // c == 1: no other side
		{seeds.Better, 1, 1.1, 1.06, 1.15, Holds},
		{seeds.Better, 1, 1.04, 1.021, 1.06, Holds},
		{seeds.Better, 1, 1.04, 1.01, 1.06, Consistent}, // lo below 1+δ
		{seeds.Better, 1, 1.0, 0.95, 1.05, Consistent},
		{seeds.Better, 1, 0.97, 0.965, 0.975, Contradicted}, // finding 10: was consistent while up_to 1.0 was contradicted
		{seeds.Better, 1, 0.985, 0.981, 0.99, FallsShort},   // worse by less than δ: not better, not contradicted
		{seeds.Better, 1, 1.04, 1.035, 1.045, Holds},        // finding 10: agrees with up_to 1.03 above
		{seeds.Better, 1, 0.9, 0.85, 0.95, Contradicted},
		{seeds.Better, 1, 1.06, nan, nan, Consistent}, // finding 6: no interval, never decisive
	}
	for _, tt := range tests {
		r := Ratio{Value: tt.value, Lo: tt.lo, Hi: tt.hi}
		rule := ruleOf(tt.bound, tt.claim)
		got, edge := decide(rule, r)
		if got != tt.want {
			t.Errorf("%s %v with %v [%v, %v] = %s (%s), want %s", tt.bound, tt.claim, tt.value, tt.lo, tt.hi, got, edgeWords(rule, edge), tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{4513541, "4.51M"}, {1e6, "1.00M"}, {1234.5, "1.23k"}, {999.5, "1.00k"}, {999.4, "999"},
		{178.5, "179"}, {-178.5, "-179"}, {123.4, "123"}, {39.25, "39.3"}, {1.005, "1.01"},
		{3.14159, "3.14"}, {0.0362, "0.0362"}, {0.00123, "0.00123"}, {0.000123, "1.23e-4"}, {0, "0"},
		{1e16, "10.0P"}, {math.Pow(2, 63), "9.22E"}, {1e20, "100E"}, {1.5e300, "1.50e300"},
		{math.MaxFloat64, "1.80e308"}, {1e-300, "1.00e-300"}, {math.NaN(), "—"}, {math.Inf(1), "∞"},
	} {
		if got := formatNumber(tt.v); got != tt.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestFormatPrice checks that every price is written one way: five
// significant digits, half away from zero, trailing zeros dropped down
// to whole cents.
func TestFormatPrice(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0.201608, "$0.20161/h"}, {0.144, "$0.144/h"}, {21.96, "$21.96/h"}, {0.2, "$0.20/h"}, {21.5, "$21.50/h"}, {2, "$2.00/h"},
		{0.0362500, "$0.03625/h"}, {98.32, "$98.32/h"}, {1e-300, "$1e-300/h"}, {1e20, "$1e20/h"},
	} {
		if got := formatPrice(tt.v); got != tt.want {
			t.Errorf("formatPrice(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
