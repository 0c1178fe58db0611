package report

import (
	"fmt"
	"strings"

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

// pickPair returns the pair an up_to claim (a best case) is judged on, the
// most favourable, or for other bounds the least favourable: a claim that
// one family is better than another should hold for every pair measured.
func pickPair(bound string, pairs []*PairResult) *PairResult {
	var best *PairResult
	for _, p := range pairs {
		rank := verdictRank(p.Verdict)
		if rank < 0 {
			continue
		}
		switch {
		case best == nil:
			best = p
		case bound == seeds.UpTo && rank > verdictRank(best.Verdict):
			best = p
		case bound != seeds.UpTo && rank < verdictRank(best.Verdict):
			best = p
		}
	}
	return best
}

// pair judges claim c, of target in higher-is-better terms, on subject s
// and baseline b.
func (j *judge) pair(c seeds.Claim, target float64, s, b *Host, kernels []string, exact bool) *PairResult {
	p := &PairResult{Subject: s.Instance, Baseline: b.Instance, PerDollar: c.PerDollar()}
	scale := 1.0
	if p.PerDollar {
		if s.Price == nil || b.Price == nil {
			p.Verdict = NotPriced
			var why []string
			for _, h := range []*Host{s, b} {
				if h.Price == nil {
					why = append(why, j.book.whyNoPrice(h))
				}
			}
			p.Detail = strings.Join(why, "; ")
			return p
		}
		scale = b.Price.PricePerHour / s.Price.PricePerHour
	} else if !exact && s.VCPUs != b.VCPUs && s.VCPUs > 0 && b.VCPUs > 0 {
		// Performance of different sizes: compare per vCPU.
		p.PerVCPU = true
		scale = float64(b.VCPUs) / float64(s.VCPUs)
	}
	ms, nc := matchBenches(s, b, kernels, schema.ThreadsAll)
	if len(ms) == 0 {
		if len(nc) > 0 {
			p.Verdict = NotComparable
			p.Detail = "portable (pure Go) and SIMD kernel results are never compared: " + strings.Join(nc, "; ")
		} else {
			p.Verdict = NotMeasured
			p.Detail = fmt.Sprintf("no whole-instance results of %s on both %s and %s", kernelList(kernels), s.Instance, b.Instance)
		}
		return p
	}
	ks, reps := j.st.kernelRatios(s, b, ms, scale, nil)
	p.Kernels = ks
	values := make([]Ratio, len(ks))
	for i, k := range ks {
		values[i] = k.Ratio
	}
	g, _ := j.st.geomean(values, reps)
	p.Geomean = &g
	p.judge(c.Bound, target, nc, j.floor)
	return p
}
