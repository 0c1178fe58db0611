package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/ppbench/ppbench/seeds"
)

// The verdict rules of docs/design.md ("Claim verdicts"): a ratio and its
// interval against the claimed ratio.

// approxBand is the relative tolerance of an approx claim.
const approxBand = 0.10

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

// judge draws the pair's verdict from its kernel ratios: an up_to claim
// (a best case) on the best kernel, others on the geometric mean, with
// the noise floor floor. nc are the sizes left out as not comparable.
func (p *PairResult) judge(bound string, target float64, nc []string, floor float64) {
	if bound == seeds.UpTo {
		best := 0
		for i, k := range p.Kernels {
			if k.Value > p.Kernels[best].Value {
				best = i
			}
		}
		p.Judged = &p.Kernels[best]
	} else {
		p.Judged = &KernelRatio{Kernel: "geomean", Ratio: *p.Geomean}
	}
	r := p.Judged.Ratio
	p.Verdict, p.Detail = verdict(bound, target, r, floor)
	what := p.Judged.Kernel
	if bound == seeds.UpTo {
		what = "best kernel " + what
	}
	what += " " + formatRatioInterval(r)
	if lo, hi, widened := verdictInterval(bound, r, floor); widened {
		what += fmt.Sprintf(", widened by the %s noise floor to [%.2f, %.2f],", pct(floor), lo, hi)
	}
	p.Detail = what + " " + p.Detail
	if p.Verdict == Consistent {
		p.Detail += provisional(p.Subject, r.L1, p.Baseline, r.L2)
	}
	if len(nc) > 0 {
		p.Detail += "; left out as not comparable: " + strings.Join(nc, "; ")
	}
	if p.PerVCPU {
		p.Detail += "; sizes differ, compared per vCPU"
	}
	if math.IsNaN(p.Judged.Lo) {
		p.Detail += fmt.Sprintf("; fewer than %d samples: no interval, judged on the medians alone", MinSamples)
	}
}

// oneLaunch reports whether a side of r was measured in one launch, so
// that its interval knows only the noise within that run.
func oneLaunch(r Ratio) bool { return r.L1 < 2 || r.L2 < 2 }

// verdictInterval returns the interval a verdict on r is drawn from, and
// whether the noise floor widened it. It is r's bootstrap interval, or
// r's median for both ends without one (fewer than MinSamples on a
// side). When a side has one launch, that interval knows only the noise
// within one run, and two runs of one host differ by more
// (DefaultNoiseFloor): it is widened to [lo/(1+floor), hi·(1+floor)].
// Two or more launches on both sides need no floor: their two-stage
// interval has seen launches differ.
//
// A better claim is never widened: its verdict already demands that the
// ratio clear the floor (see verdict), and widening as well would count
// the floor twice.
func verdictInterval(bound string, r Ratio, floor float64) (lo, hi float64, widened bool) {
	lo, hi = r.Lo, r.Hi
	if math.IsNaN(lo) || math.IsNaN(hi) {
		lo, hi = r.Value, r.Value
	}
	if bound == seeds.Better || floor <= 0 || !oneLaunch(r) {
		return lo, hi, false
	}
	return lo / (1 + floor), hi * (1 + floor), true
}

// provisional is what a consistent verdict adds when a side had one
// launch: more launches could settle it.
func provisional(subject string, l1 int, baseline string, l2 int) string {
	switch {
	case l1 < 2 && l2 < 2:
		return fmt.Sprintf("; provisional: one launch each of %s and %s, run two more of each to decide", subject, baseline)
	case l1 < 2:
		return fmt.Sprintf("; provisional: one launch of %s, run two more of it to decide", subject)
	case l2 < 2:
		return fmt.Sprintf("; provisional: one launch of %s, run two more of it to decide", baseline)
	}
	return ""
}

// verdict applies the rules of docs/design.md ("Claim verdicts") to
// ratio r against target c, on the interval verdictInterval returns, with
// the noise floor floor.
func verdict(bound string, c float64, r Ratio, floor float64) (verdict, why string) {
	lo, hi, _ := verdictInterval(bound, r, floor)
	switch bound {
	case seeds.UpTo:
		switch {
		case lo >= c:
			return Holds, fmt.Sprintf("reaches %s even at its low end", fx(c))
		case hi >= c:
			return Consistent, fmt.Sprintf("straddles %s", fx(c))
		case hi < 1:
			return Contradicted, "is below 1: the subject is worse"
		default:
			return FallsShort, fmt.Sprintf("stays below %s", fx(c))
		}
	case seeds.Approx:
		bandLo, bandHi := c*(1-approxBand), c*(1+approxBand)
		switch {
		case lo >= bandLo && hi <= bandHi:
			return Holds, fmt.Sprintf("lies within %s ±10%% [%.2f, %.2f]", fx(c), bandLo, bandHi)
		case c > 1 && hi < 1, c < 1 && lo > 1:
			return Contradicted, "is on the other side of 1"
		}
		// Out of the band: say on which side. An interval wider than
		// the band on both sides goes by its median.
		why := fmt.Sprintf("is not within %s ±10%% [%.2f, %.2f]", fx(c), bandLo, bandHi)
		below, above := lo < bandLo, hi > bandHi
		if below && (!above || r.Value < c) {
			return FallsShort, why
		}
		return Exceeds, why
	default: // better
		// Better means better by more than two runs of one host can
		// differ: a host does not beat itself.
		up, down := 1+floor, 1/(1+floor)
		if floor <= 0 {
			switch {
			case lo > 1:
				return Holds, "is above 1"
			case hi < 1:
				return Contradicted, "is below 1"
			}
			return Consistent, "includes 1"
		}
		switch {
		case lo > up:
			return Holds, fmt.Sprintf("is above %s, better by more than the %s noise floor", onePlus(floor), pct(floor))
		case hi < down:
			return Contradicted, fmt.Sprintf("is below %.2f (1/%s), worse by more than the %s noise floor", down, onePlus(floor), pct(floor))
		}
		return Consistent, fmt.Sprintf("overlaps [%.2f, %s], the %s noise floor around 1", down, onePlus(floor), pct(floor))
	}
}
