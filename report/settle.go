package report

import (
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
		cr.Verdict, cr.Prices = cr.Pairs[0].Verdict, cr.Pairs[0].Prices
		return
	}
	level := Level{Confidence: j.confidence, Comparisons: m}
	for _, p := range judged {
		j.settlePair(p, cr.Rule, level)
	}
	cr.Judged, cr.Verdict = pickJudged(c.Bound, judged)
	var why []Reason
	if decisive(cr.Verdict) {
		for _, h := range j.sidesOf(cr.Judged) {
			if j.drifted[h] {
				cr.Verdict = Consistent
				why = append(why, Drifted{h.Instance})
			}
		}
	}
	if cr.Verdict == Holds && !exact {
		if k, n := familyCoverage(c, judged); k < n {
			cr.Verdict = Consistent
			why = append(why, FamilyCoverage{k, n})
		}
	}
	if cr.Verdict == Consistent && len(why) == 0 {
		why = append(why, provisional(cr.Judged))
	}
	if cr.Verdict == FallsShort && c.Bound == seeds.Approx {
		for _, p := range judged {
			if p.Verdict == Exceeds {
				why = append(why, PairExceeds{p.Subject, p.Baseline})
			}
		}
	}
	if n := len(cr.Pairs); n > 1 {
		why = append(why, Selection{Best: c.Bound == seeds.UpTo, Pairs: n})
	}
	cr.Reasons = why
	cr.Prices = cr.Judged.Prices
}

// settlePair sets p's ratios at level and its own verdict under rule: an
// up_to claim on its kernels (holds when any holds, falls short when all
// do), others on the geometric mean.
func (j *judge) settlePair(p *PairResult, rule Rule, level Level) {
	alpha := level.alpha()
	p.Level = level
	p.Kernels = make([]KernelRatio, len(p.effects))
	verdicts := make([]string, len(p.effects))
	for i, ke := range p.effects {
		p.Kernels[i] = KernelRatio{Kernel: ke.kernel, Tiers: ke.tiers, Ratio: ke.e.ratio(alpha)}
		verdicts[i], _ = decide(rule, p.Kernels[i].Ratio)
	}
	g := p.geomean.ratio(alpha)
	p.Geomean = &g
	if rule.Bound == seeds.UpTo {
		which := bestOf(p.Kernels, verdicts)
		p.Judged = &p.Kernels[which]
		p.Verdict = verdicts[which]
		if !allAgainst(verdicts) && !(p.Verdict == Holds) {
			p.Verdict = Consistent
		}
	} else {
		p.Judged = &KernelRatio{Kernel: geomeanColumn, Ratio: g}
		p.Verdict, _ = decide(rule, g)
	}
	_, p.Edge = decide(rule, p.Judged.Ratio)
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
func provisional(p *PairResult) Reason {
	l1, l2 := p.Judged.L1, p.Judged.L2
	if l1 >= 3 && l2 >= 3 {
		return NearEdge{}
	}
	r := FewLaunches{}
	if l1 < 3 {
		r.Subject, r.SubjectL = p.Subject, l1
	}
	if l2 < 3 {
		r.Baseline, r.BaselineL = p.Baseline, l2
	}
	return r
}
