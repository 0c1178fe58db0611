package report

import (
	"math"
	"testing"

	"github.com/ppbench/ppbench/seeds"
)

// Every bound against every verdict it can give, with the interval placed
// on each side of each threshold (docs/design.md, "Claim verdicts"), from
// two or more launches per side (the interval as it is) and from one
// launch on a side (widened by the noise floor, except for better).
func TestVerdictRules(t *testing.T) {
	nan := math.NaN()
	const f = DefaultNoiseFloor
	tests := []struct {
		bound         string
		claim         float64
		value, lo, hi float64
		l1, l2        int // launches per side
		floor         float64
		want          string
	}{
		{seeds.UpTo, 1.3, 1.4, 1.35, 1.45, 3, 3, f, Holds},
		{seeds.UpTo, 1.3, 1.4, 1.30, 1.45, 3, 3, f, Holds}, // lo == c
		{seeds.UpTo, 1.3, 1.3, 1.25, 1.35, 3, 3, f, Consistent},
		{seeds.UpTo, 1.3, 1.25, 1.2, 1.30, 3, 3, f, Consistent}, // hi == c
		{seeds.UpTo, 1.3, 1.1, 1.05, 1.2, 3, 3, f, FallsShort},
		{seeds.UpTo, 1.3, 0.95, 0.9, 1.0, 3, 3, f, FallsShort}, // hi == 1 is not below 1
		{seeds.UpTo, 1.3, 0.9, 0.85, 0.95, 3, 3, f, Contradicted},
		{seeds.UpTo, 1.25, 1.2, nan, nan, 3, 3, f, FallsShort}, // no interval: the median alone
		// One launch on a side: [lo/1.05, hi*1.05].
		{seeds.UpTo, 1.3, 1.4, 1.35, 1.45, 1, 3, f, Consistent}, // 1.35/1.05 < 1.3
		{seeds.UpTo, 1.3, 1.45, 1.40, 1.5, 3, 1, f, Holds},      // 1.40/1.05 >= 1.3
		{seeds.UpTo, 1.3, 1.2, 1.15, 1.25, 1, 1, f, Consistent}, // 1.25*1.05 >= 1.3
		{seeds.UpTo, 1.3, 1.1, 1.05, 1.2, 1, 1, f, FallsShort},  // 1.2*1.05 < 1.3
		{seeds.UpTo, 1.3, 0.93, 0.9, 0.96, 1, 1, f, FallsShort}, // 0.96*1.05 > 1
		{seeds.UpTo, 1.3, 0.9, 0.85, 0.94, 1, 1, f, Contradicted},
		{seeds.UpTo, 1.25, 1.2, nan, nan, 1, 1, f, Consistent}, // the median widened: 1.2*1.05 >= 1.25
		{seeds.UpTo, 1.3, 1.4, 1.35, 1.45, 1, 1, 0, Holds},     // no floor
		{seeds.Approx, 1.5, 1.5, 1.4, 1.6, 3, 3, f, Holds},
		{seeds.Approx, 1.5, 1.5, 1.3, 1.6, 3, 3, f, FallsShort}, // interval leaves the band, median on target: not holds
		{seeds.Approx, 1.5, 1.2, 1.1, 1.3, 3, 3, f, FallsShort},
		{seeds.Approx, 1.5, 1.9, 1.8, 2.0, 3, 3, f, Exceeds},
		{seeds.Approx, 1.5, 0.8, 0.7, 0.9, 3, 3, f, Contradicted},
		{seeds.Approx, 0.8, 1.2, 1.1, 1.3, 3, 3, f, Contradicted},
		{seeds.Approx, 1.0, 1.3, 1.25, 1.35, 3, 3, f, Exceeds}, // c == 1: no other side
		{seeds.Approx, 1.5, 1.5, 1.45, 1.55, 1, 1, f, Holds},   // widened [1.38, 1.63] still in [1.35, 1.65]
		{seeds.Approx, 1.5, 1.6, 1.55, 1.6, 1, 3, f, Exceeds},  // 1.6*1.05 > 1.65
		{seeds.Approx, 1.5, 1.6, 1.55, 1.6, 3, 3, f, Holds},
		{seeds.Approx, 1.5, 0.97, 0.93, 1.0, 1, 1, f, FallsShort}, // 0.93/1.05 < 1: not the other side
		// Better means better by more than the floor, from any number
		// of launches, and one launch does not widen on top of it.
		{seeds.Better, 1, 1.1, 1.06, 1.15, 3, 3, f, Holds},
		{seeds.Better, 1, 1.1, 1.06, 1.15, 1, 1, f, Holds},
		{seeds.Better, 1, 1.08, 1.05, 1.12, 3, 3, f, Consistent}, // lo == 1.05 is not above it
		{seeds.Better, 1, 1.04, 1.01, 1.06, 1, 1, f, Consistent}, // a host against itself
		{seeds.Better, 1, 1.0, 0.95, 1.05, 3, 3, f, Consistent},
		{seeds.Better, 1, 0.96, 0.94, 0.97, 3, 3, f, Consistent},
		{seeds.Better, 1, 0.9, 0.85, 0.95, 3, 3, f, Contradicted}, // 0.95 < 1/1.05
		{seeds.Better, 1, 0.9, 0.85, 0.95, 1, 1, f, Contradicted},
		{seeds.Better, 1, 1.04, 1.01, 1.06, 1, 1, 0, Holds}, // no floor: above 1
		{seeds.Better, 1, 1.02, 1.0, 1.05, 3, 3, 0, Consistent},
		{seeds.Better, 1, 0.98, 0.96, 0.99, 3, 3, 0, Contradicted},
	}
	for _, tt := range tests {
		r := Ratio{Value: tt.value, Lo: tt.lo, Hi: tt.hi, L1: tt.l1, L2: tt.l2}
		got, why := verdict(tt.bound, tt.claim, r, tt.floor)
		if got != tt.want {
			t.Errorf("%s %v with %v [%v, %v], launches %d and %d, floor %v = %s (%s), want %s",
				tt.bound, tt.claim, tt.value, tt.lo, tt.hi, tt.l1, tt.l2, tt.floor, got, why, tt.want)
		}
	}
}

// The interval a verdict uses: widened by the floor when a side has one
// launch, never for better claims, which demand the floor instead.
func TestVerdictInterval(t *testing.T) {
	r := Ratio{Value: 1.05, Lo: 1.0, Hi: 1.1, L1: 1, L2: 2}
	if lo, hi, w := verdictInterval(seeds.UpTo, r, 0.05); !w || !near(lo, 1/1.05) || !near(hi, 1.1*1.05) {
		t.Errorf("one launch: [%v, %v] widened %v, want [%v, %v]", lo, hi, w, 1/1.05, 1.1*1.05)
	}
	if lo, hi, w := verdictInterval(seeds.Better, r, 0.05); w || lo != 1.0 || hi != 1.1 {
		t.Errorf("better: [%v, %v] widened %v, want the interval as it is", lo, hi, w)
	}
	r.L1 = 2
	if lo, hi, w := verdictInterval(seeds.Approx, r, 0.05); w || lo != 1.0 || hi != 1.1 {
		t.Errorf("two launches a side: [%v, %v] widened %v", lo, hi, w)
	}
	r = Ratio{Value: 1.2, Lo: math.NaN(), Hi: math.NaN(), L1: 1, L2: 1}
	if lo, hi, _ := verdictInterval(seeds.UpTo, r, 0.05); !near(lo, 1.2/1.05) || !near(hi, 1.2*1.05) {
		t.Errorf("no interval: [%v, %v], want the median widened", lo, hi)
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

// TestFormatNumber checks three significant digits, rounded half away
// from zero, with SI prefixes from 1000 on, at every magnitude a float64
// has: the figures once went through int64 and wrapped above 2^63.
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
