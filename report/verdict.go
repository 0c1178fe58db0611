package report

import (
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

// A Rule is what a verdict applies: the region [Lo, Hi] a claim of
// Bound and Target (higher-is-better terms) states for the ratio.
type Rule struct {
	Bound  string
	Target float64
	Lo, Hi float64
}

// ruleOf returns the rule of a claim of bound and target.
func ruleOf(bound string, target float64) Rule {
	r := Rule{Bound: bound, Target: target, Lo: 1 + MinEffect, Hi: math.Inf(1)}
	switch bound {
	case seeds.UpTo:
		r.Lo = target
	case seeds.Approx:
		r.Lo, r.Hi = target*(1-approxBand), target*(1+approxBand)
	}
	return r
}

// An Edge is where a ratio's interval lies against a rule's region,
// what decide reads a verdict from.
type Edge int

const (
	NoInterval Edge = iota // fewer than MinSamples on a side
	Worse                  // wholly below 1/(1+δ), for a claim that the subject is better
	NotWorse               // wholly above 1+δ, for a claim that the subject is worse
	Within                 // inside the region
	Below                  // wholly below it
	Above                  // wholly above it
	Straddles              // across one of its edges
)

// decide applies rule to ratio r, whose interval [Lo, Hi] is NaN when
// there is none: the verdict, and where the interval lies.
func decide(rule Rule, r Ratio) (string, Edge) {
	if math.IsNaN(r.Lo) || math.IsNaN(r.Hi) {
		return Consistent, NoInterval
	}
	better := rule.Bound == seeds.Better || rule.Target >= 1
	worse := rule.Bound != seeds.Better && rule.Target < 1
	switch {
	case better && r.Hi < 1/(1+MinEffect):
		return Contradicted, Worse
	case worse && r.Lo > 1+MinEffect:
		return Contradicted, NotWorse
	case r.Lo >= rule.Lo && r.Hi <= rule.Hi:
		return Holds, Within
	case r.Hi < rule.Lo:
		return FallsShort, Below
	case r.Lo > rule.Hi:
		return Exceeds, Above
	}
	return Consistent, Straddles
}

// A Level is the confidence of a claim's intervals: each of the
// Comparisons it picks from is at 1−(1−Confidence)/Comparisons, so that
// the claim's own error stays at 1−Confidence (Bonferroni).
type Level struct {
	Confidence  float64
	Comparisons int
}

// alpha is the error each comparison's interval is allowed.
func (l Level) alpha() float64 { return (1 - l.Confidence) / float64(l.Comparisons) }

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
