package report

import (
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// Pairing: which measured instances a claim compares, and the pair a
// claim with several is judged on.

// allExact reports whether every name is an instance type, not a family.
func allExact(names []string) bool {
	for _, n := range names {
		if schema.Provider(n) == "" {
			return false
		}
	}
	return true
}

// pairUp pairs subject and baseline instances: claims naming exact types
// compare them as named; otherwise pairs of the same size and class come
// first, then the same size, then the same class, then any.
func pairUp(subj, base []*Host, exact bool) [][2]*Host {
	all := func(ok func(s, b *Host) bool) [][2]*Host {
		var out [][2]*Host
		for _, s := range subj {
			for _, b := range base {
				if s != b && ok(s, b) {
					out = append(out, [2]*Host{s, b})
				}
			}
		}
		return out
	}
	if exact {
		return all(func(s, b *Host) bool { return true })
	}
	size := func(s, b *Host) bool { return s.Size == b.Size }
	class := func(s, b *Host) bool { return s.Class == b.Class }
	for _, ok := range []func(s, b *Host) bool{
		func(s, b *Host) bool { return size(s, b) && class(s, b) },
		size, class,
		func(s, b *Host) bool { return true },
	} {
		if ps := all(ok); len(ps) > 0 {
			return ps
		}
	}
	return nil
}

// pair measures claim c on subject s and baseline b: the effect of each
// kernel of kernels and of their geometric mean, or, when the pair cannot
// be judged, its verdict (not priced, not comparable, not measured) and
// why. The claim's verdict and the pair's come later, from the claim's
// level (settle), once it is known how many comparisons it rests on.
func (j *judge) pair(c *seeds.Claim, s, b *Host, kernels []string, exact bool) *PairResult {
	p := &PairResult{Subject: s.Instance, Baseline: b.Instance, PerDollar: c.PerDollar(), claim: c}
	if q := quotaShort(s, b); len(q.Sides) > 0 {
		p.Verdict, p.Blocked = NotComparable, q
		return p
	}
	scale := 1.0
	if p.PerDollar {
		sp, bp := s.ListPrice, b.ListPrice
		if sp == nil || bp == nil {
			var why NoPrices
			for _, h := range []*Host{s, b} {
				if h.ListPrice == nil {
					why = append(why, j.book.whyNoPrice(h))
				}
			}
			p.Verdict, p.Blocked = NotPriced, why
			return p
		}
		scale = bp.PricePerHour / sp.PricePerHour
	} else if !exact && s.VCPUs != b.VCPUs && s.VCPUs > 0 && b.VCPUs > 0 {
		// Performance of different sizes: compare per vCPU.
		p.PerVCPU = true
		scale = float64(b.VCPUs) / float64(s.VCPUs)
	}
	ms, nc := matchBenches(s.m, b.m, kernels, schema.ThreadsAll)
	if len(ms) == 0 {
		if len(nc) > 0 {
			p.Verdict, p.Blocked = NotComparable, TiersApart{Sizes: nc}
		} else {
			p.Verdict, p.Blocked = NotMeasured, NoCommonResults{Kernels: kernels, Subject: s.Instance, Baseline: b.Instance}
		}
		return p
	}
	p.NotComparable = nc
	var all [2][]weighted
	groups := 0
	for i := 0; i < len(ms); {
		j0 := i
		for i < len(ms) && ms[i].kernel == ms[j0].kernel {
			i++
		}
		groups++
		var ws [2][]weighted
		for _, m := range ms[j0:i] {
			w := 1 / float64(i-j0)
			ws[0] = append(ws[0], weighted{m.a, w})
			ws[1] = append(ws[1], weighted{m.b, w})
		}
		p.effects = append(p.effects, kernelEffect{
			kernel: ms[j0].kernel, tiers: [2]string{ms[j0].a.Tier, ms[j0].b.Tier},
			e: effectOf(j.sideStatOf(s.m, ws[0]), j.sideStatOf(b.m, ws[1]), scale),
		})
		for k := range ws {
			all[k] = append(all[k], ws[k]...)
		}
	}
	for k := range all {
		for i := range all[k] {
			all[k][i].weight /= float64(groups)
		}
	}
	p.geomean = effectOf(j.sideStatOf(s.m, all[0]), j.sideStatOf(b.m, all[1]), scale)
	return p
}

// A kernelEffect is one kernel's effect in a pair, with the tiers each
// side ran it on.
type kernelEffect struct {
	kernel string
	tiers  [2]string
	e      effect
}

// quotaShort returns the sides of a pair that ran on fewer CPUs than
// their instance has (a CPU quota, a container, GOMAXPROCS set low):
// their whole-instance figures understate what the price buys, so a
// verdict on them would blame the chip. No sides when both ran on all.
func quotaShort(hs ...*Host) QuotaShort {
	var q QuotaShort
	for _, h := range hs {
		if procs := h.m.fewestProcs(); procs > 0 && h.VCPUs > 0 && procs < h.VCPUs {
			q.Sides = append(q.Sides, QuotaSide{h.Instance, procs, h.VCPUs})
		}
	}
	return q
}
