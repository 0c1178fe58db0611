package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/seeds"
)

// settle draws the verdicts of cr's measured pairs and of the claim from
// their effects. Every interval is at the level that keeps the claim's
// own error at 1−confidence however many comparisons it rests on
// (Bonferroni): an up_to claim takes the best of every kernel of every
// pair, so each of those m comparisons gets (1−confidence)/m; a claim on
// the geometric mean must hold for every pair, so each pair gets
// (1−confidence)/pairs, which keeps one unlucky pair from sinking it.
func (j *judge) settle(cr *ClaimResult, exact bool) {
	c := cr.Claim
	var judged []*PairResult
	m := 0
	for _, p := range cr.Pairs {
		if p.Verdict != "" {
			continue
		}
		judged = append(judged, p)
		if c.Bound == seeds.UpTo {
			m += len(p.effects)
		} else {
			m++
		}
	}
	if len(judged) == 0 {
		// Every pair lacked a price or comparable tiers: report the first.
		cr.Verdict, cr.Detail, cr.PriceNote = cr.Pairs[0].Verdict, cr.Pairs[0].Detail, cr.Pairs[0].PriceNote
		return
	}
	for _, p := range judged {
		j.settlePair(p, c.Bound, c.Metric, cr.Target, m)
	}
	cr.Judged, cr.Verdict = pickJudged(c.Bound, judged)
	var notes []string
	if decisive(cr.Verdict) {
		for _, h := range j.sidesOf(cr.Judged) {
			if j.drifted[h] {
				cr.Verdict = Consistent
				notes = append(notes, "provisional: a launch of "+h.Instance+" drifted during its run (see the warnings); run it again")
			}
		}
	}
	if cr.Verdict == Holds && !exact {
		if k, n := familyCoverage(c, judged); k < n {
			cr.Verdict = Consistent
			notes = append(notes, fmt.Sprintf("provisional: %d of %d family pairs measured; the claim is about all of them", k, n))
		}
	}
	cr.Detail = cr.Judged.Detail
	if cr.Verdict == Consistent && len(notes) == 0 {
		notes = append(notes, provisional(cr.Judged))
	}
	if cr.Verdict == FallsShort && c.Bound == seeds.Approx {
		for _, p := range judged {
			if p.Verdict == Exceeds {
				notes = append(notes, p.Subject+" vs "+p.Baseline+" exceeds it")
			}
		}
	}
	if n := len(cr.Pairs); n > 1 {
		how := "the least favourable of"
		if c.Bound == seeds.UpTo {
			how = "the best of"
		}
		notes = append(notes, fmt.Sprintf("%s %d instance pairs", how, n))
	}
	if len(notes) > 0 {
		cr.Detail += "; " + strings.Join(notes, "; ")
	}
	cr.PriceNote = cr.Judged.PriceNote
}

// settlePair sets p's ratios, at the level of a claim that picks from m
// comparisons, and its own verdict: an up_to claim on its kernels (holds
// when any holds, falls short when all do), others on the geometric mean.
func (j *judge) settlePair(p *PairResult, bound, metric string, target float64, m int) {
	alpha := (1 - j.confidence) / float64(m)
	p.Kernels = make([]KernelRatio, len(p.effects))
	verdicts := make([]string, len(p.effects))
	for i, ke := range p.effects {
		p.Kernels[i] = KernelRatio{Kernel: ke.kernel, Ratio: ke.e.ratio(alpha)}
		verdicts[i], _ = decide(bound, target, p.Kernels[i].Ratio)
	}
	g := p.geomean.ratio(alpha)
	p.Geomean = &g
	which := -1
	if bound == seeds.UpTo {
		which = bestOf(p.Kernels, verdicts)
		p.Judged = &p.Kernels[which]
		p.Verdict = verdicts[which]
		if !allAgainst(verdicts) && !(p.Verdict == Holds) {
			p.Verdict = Consistent
		}
	} else {
		p.Judged = &KernelRatio{Kernel: geomeanColumn, Ratio: g}
		p.Verdict, _ = decide(bound, target, g)
	}
	_, why := decide(bound, target, p.Judged.Ratio)
	var what string
	if which >= 0 {
		t := p.effects[which].tiers
		what = fmt.Sprintf("best kernel %s (%s vs %s)", p.Judged.Kernel, tierName(t[0]), tierName(t[1]))
	} else {
		// Name what the mean is over and the tiers each side ran, so
		// that a verdict from portable kernels says so in its line.
		var ks []string
		var tiers [2][]string
		for _, ke := range p.effects {
			ks = append(ks, ke.kernel)
			for i, t := range ke.tiers {
				if !slices.Contains(tiers[i], tierName(t)) {
					tiers[i] = append(tiers[i], tierName(t))
				}
			}
		}
		what = fmt.Sprintf("geomean of %s (%s vs %s)", strings.Join(ks, ", "), strings.Join(tiers[0], "/"), strings.Join(tiers[1], "/"))
	}
	p.Detail = fmt.Sprintf("%s on %s vs %s: %s %s (%s) %s", what, p.Subject, p.Baseline,
		p.measuredAs(metric), formatRatioInterval(p.Judged.Ratio), intervalText(j.confidence, m), why)
	if len(p.notComparable) > 0 {
		p.Detail += "; left out as not comparable: " + strings.Join(p.notComparable, "; ")
	}
	if p.PerVCPU {
		p.Detail += "; sizes differ, compared per vCPU"
	}
}

// bestOf returns the kernel an up_to claim rests on: among those that
// hold, the one with the highest low end; else the highest ratio.
func bestOf(ks []KernelRatio, verdicts []string) int {
	best := -1
	for i, v := range verdicts {
		if v == Holds && (best < 0 || ks[i].Lo > ks[best].Lo) {
			best = i
		}
	}
	if best >= 0 {
		return best
	}
	best = 0
	for i := range ks {
		if ks[i].Value > ks[best].Value {
			best = i
		}
	}
	return best
}

// allAgainst reports whether every verdict decides against the claim.
func allAgainst(vs []string) bool {
	for _, v := range vs {
		if v != FallsShort && v != Contradicted && v != Exceeds {
			return false
		}
	}
	return true
}

// pickJudged returns the pair a claim's verdict rests on and that verdict.
// up_to (a best case) holds when any pair holds, on the pair with the
// highest low end, and goes against only when every pair does; the other
// bounds must hold for every pair, so they go against when any pair
// does, on the least favourable, and hold only when all hold.
func pickJudged(bound string, ps []*PairResult) (*PairResult, string) {
	vs := make([]string, len(ps))
	for i, p := range ps {
		vs[i] = p.Verdict
	}
	if bound == seeds.UpTo {
		var best *PairResult
		for _, p := range ps {
			if p.Verdict == Holds && (best == nil || p.Judged.Lo > best.Judged.Lo) {
				best = p
			}
		}
		if best != nil {
			return best, Holds
		}
		best = ps[0]
		for _, p := range ps {
			if p.Judged.Value > best.Judged.Value {
				best = p
			}
		}
		if allAgainst(vs) {
			return best, best.Verdict
		}
		return best, Consistent
	}
	worst := ps[0]
	for _, p := range ps {
		if verdictRank(p.Verdict) < verdictRank(worst.Verdict) {
			worst = p
		}
	}
	return worst, worst.Verdict
}

// sidesOf returns the hosts of a pair.
func (j *judge) sidesOf(p *PairResult) []*Host {
	var hs []*Host
	for _, name := range []string{p.Subject, p.Baseline} {
		if h := hostNamed(j.hosts, name); h != nil {
			hs = append(hs, h)
		}
	}
	return hs
}

// familyCoverage counts the subject-baseline name pairs of claim c that
// some judged pair measured, of all its name pairs.
func familyCoverage(c seeds.Claim, judged []*PairResult) (k, n int) {
	for _, sn := range c.Subject {
		for _, bn := range c.Baseline {
			n++
			for _, p := range judged {
				if seeds.Matches(p.Subject, []string{sn}) && seeds.Matches(p.Baseline, []string{bn}) {
					k++
					break
				}
			}
		}
	}
	return k, n
}

// provisional says what would settle a consistent pair: more launches,
// while a side has fewer than three, else the interval straddles an edge
// by less than the launches can resolve.
func provisional(p *PairResult) string {
	l1, l2 := p.Judged.L1, p.Judged.L2
	switch {
	case l1 < 3 && l2 < 3:
		return fmt.Sprintf("provisional: %s of %s and %s of %s; run three or more of each to decide", plural(l1, "launch"), p.Subject, plural(l2, "launch"), p.Baseline)
	case l1 < 3:
		return fmt.Sprintf("provisional: %s of %s; run three or more to decide", plural(l1, "launch"), p.Subject)
	case l2 < 3:
		return fmt.Sprintf("provisional: %s of %s; run three or more to decide", plural(l2, "launch"), p.Baseline)
	}
	return "provisional: the ratio is too close to the claim's edge for these launches to decide"
}

// plural formats a count of things: "1 launch", "3 launchs" is wrong, so
// words ending in s, x, ch or sh take "es".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	for _, end := range []string{"s", "x", "ch", "sh"} {
		if strings.HasSuffix(thing, end) {
			return fmt.Sprintf("%d %ses", n, thing)
		}
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
