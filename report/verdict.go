package report

import (
	"fmt"
	"math"

	"github.com/ppbench/ppbench/seeds"
)

// The verdict rule of docs/design.md ("Claim verdicts"), one for every
// bound: a claim states a region the ratio must lie in, and its interval
// decides.
//
//   - up_to c: the ratio reaches c, [c, ∞)
//   - better: the ratio exceeds 1 by the minimum effect, [1+δ, ∞)
//   - approx c: the ratio lies within c ±10%
//
// holds when the whole interval is inside the region; falls short when
// it is wholly below it, exceeds (approx) when wholly above; contradicted
// when, for a claim that the subject is better, the interval lies wholly
// below 1/(1+δ) (the subject is worse); consistent, provisional, when the
// interval straddles a boundary or there is none. Cost claims are judged
// as the work-per-dollar claims they imply.

// approxBand is the relative tolerance of an approx claim.
const approxBand = 0.10

// MinEffect (δ) is the smallest difference a verdict calls real: better
// means better by at least 2%, and a subject is contradicted as worse only
// when it is worse by more than 2%. Below that, differences between builds,
// tiers and hosts of one type blur into the measurement.
const MinEffect = 0.02

// claimRegion returns the region [lo, hi] of the ratio a claim states.
func claimRegion(bound string, target float64) (lo, hi float64) {
	switch bound {
	case seeds.UpTo:
		return target, math.Inf(1)
	case seeds.Approx:
		return target * (1 - approxBand), target * (1 + approxBand)
	}
	return 1 + MinEffect, math.Inf(1)
}

// decide applies the rule to ratio r, whose interval [Lo, Hi] is NaN when
// there is none, against a claim of bound and target (higher is better
// terms). why says what the interval does, for the detail line.
func decide(bound string, target float64, r Ratio) (verdict, why string) {
	rlo, rhi := claimRegion(bound, target)
	if math.IsNaN(r.Lo) || math.IsNaN(r.Hi) {
		return Consistent, fmt.Sprintf("has no interval (fewer than %d samples on a side)", MinSamples)
	}
	better := bound == seeds.Better || target >= 1
	worse := bound != seeds.Better && target < 1
	switch {
	case better && r.Hi < 1/(1+MinEffect):
		return Contradicted, fmt.Sprintf("is below %.2f: the subject is worse", 1/(1+MinEffect))
	case worse && r.Lo > 1+MinEffect:
		return Contradicted, fmt.Sprintf("is above %.2f: the subject is better, not worse", 1+MinEffect)
	case r.Lo >= rlo && r.Hi <= rhi:
		return Holds, "lies within " + regionText(bound, rlo, rhi)
	case r.Hi < rlo:
		return FallsShort, "is below " + regionText(bound, rlo, rhi)
	case r.Lo > rhi:
		return Exceeds, "is above " + regionText(bound, rlo, rhi)
	}
	return Consistent, "straddles the edge of " + regionText(bound, rlo, rhi)
}

// regionText names a claim's region: "≥ 1.30x", "1.13 to 1.38 (1.25x
// ±10%)".
func regionText(bound string, lo, hi float64) string {
	switch bound {
	case seeds.Approx:
		return fmt.Sprintf("%.2f to %.2f (%s ±10%%)", lo, hi, fx((lo+hi)/2))
	case seeds.Better:
		return fmt.Sprintf("≥ %s (better by the %s minimum effect)", fx(lo), pct(MinEffect))
	}
	return "≥ " + fx(lo)
}

// verdictRank orders verdicts from least to most favourable to a claim;
// -1 for verdicts that do not judge it.
func verdictRank(v string) int {
	switch v {
	case Contradicted:
		return 0
	case FallsShort, Exceeds:
		return 1
	case Consistent:
		return 2
	case Holds:
		return 3
	}
	return -1
}

// decisive reports whether v settles a claim one way or the other.
func decisive(v string) bool {
	return v == Holds || v == FallsShort || v == Exceeds || v == Contradicted
}

// intervalText says what level an interval is at: "95%", or for a claim
// judged on the best of m comparisons, the Bonferroni level that keeps
// the claim's own error at 5%.
func intervalText(confidence float64, m int) string {
	if m <= 1 {
		return pct(confidence) + " interval"
	}
	return fmt.Sprintf("%s interval, %s over the %d compared", pct(1-(1-confidence)/float64(m)), pct(confidence), m)
}
