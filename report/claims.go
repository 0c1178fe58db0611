package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// Verdicts, as DESIGN.md names them.
const (
	Holds         = "holds"
	Consistent    = "consistent"
	FallsShort    = "falls short"
	Exceeds       = "exceeds" // approx claims only: measured above the ±10% band
	Contradicted  = "contradicted"
	NotMeasured   = "not measured"
	OutOfScope    = "out of scope"
	NotComparable = "not comparable"
)

// ProxyNote is attached to every verdict of a claim testable only by proxy.
const ProxyNote = "(proxy: AI-style kernels, not the claimed workload)"

// approxBand is the relative tolerance of an approx claim.
const approxBand = 0.10

// metricKernels lists the kernels each metric is judged on (DESIGN.md).
var metricKernels = map[string][]string{
	seeds.PricePerformance: {schema.Sgemm, schema.Attention},
	seeds.Performance:      {schema.Sgemm, schema.Attention},
	seeds.Cost:             {schema.Sgemm, schema.Attention},
	seeds.PerformanceFP:    {schema.Sgemm, schema.FMAPeak},
	seeds.PerformanceML:    {schema.Attention, schema.Sgemm},
	seeds.MemoryBandwidth:  {schema.Triad},
}

// A ClaimResult is one claim checked against the results.
type ClaimResult struct {
	Claim seeds.Claim
	// Target is the claimed ratio in higher-is-better terms: a cost claim
	// of 0.80 becomes 1.25 (work per dollar), a better claim 1.
	Target  float64
	Verdict string
	// Detail says why, in one sentence; for a proxy claim it ends with
	// ProxyNote.
	Detail string
	Pairs  []*PairResult
	// Judged is the pair the verdict comes from (the most favourable for
	// an up_to claim, the least favourable otherwise); nil when no pair
	// could be judged.
	Judged *PairResult
	// PriceNote says what the price list alone implies for the claim.
	PriceNote string
}

// A PairResult is a claim judged on one subject and baseline instance.
type PairResult struct {
	Subject, Baseline string
	// PerVCPU is set when a performance claim compares instances of
	// different sizes: throughput is then divided by vCPUs.
	PerVCPU bool
	// PerDollar is set for price-performance and cost claims.
	PerDollar bool
	Kernels   []KernelRatio
	Geomean   *Ratio
	// Judged is what the verdict is drawn from: the best kernel for
	// up_to, the geometric mean otherwise.
	Judged  *KernelRatio
	Verdict string
	Detail  string
	// PriceNote says what the two prices alone imply for the claim.
	PriceNote string
}

func (r *Report) judgeClaims() {
	for _, c := range r.Catalog.Claims {
		r.Claims = append(r.Claims, r.judge(c))
	}
}

func (r *Report) judge(c seeds.Claim) *ClaimResult {
	cr := &ClaimResult{Claim: c, Target: c.WorkPerDollarRatio()}
	defer func() {
		if c.TestableBy == seeds.ByProxy {
			cr.Detail = strings.TrimSpace(cr.Detail + " " + ProxyNote)
		}
	}()
	subj, base := r.side(c.Subject), r.side(c.Baseline)
	kernels := metricKernels[c.Metric]
	if c.TestableBy == seeds.ByAccelerator {
		// The CPU kernels say nothing about an accelerator; only other
		// benchmarks (an accelerator's throughput in Go benchmark
		// format) can settle it.
		kernels = nil
		subj, base = withOtherBenches(subj), withOtherBenches(base)
		if len(subj) == 0 || len(base) == 0 {
			cr.Verdict = OutOfScope
			cr.Detail = "needs accelerator results for " + strings.Join(c.Subject, " ") + " and " + strings.Join(c.Baseline, " ") + "; none given"
			cr.PriceNote = r.priceNote(c, cr.Target, "", "")
			return cr
		}
	}
	if len(subj) == 0 || len(base) == 0 {
		cr.Verdict = NotMeasured
		cr.Detail = r.notMeasured(c, subj, base)
		s, b := r.representativePair(c, subj, base)
		cr.PriceNote = r.priceNote(c, cr.Target, s, b)
		return cr
	}
	exact := allExact(c.Subject) && allExact(c.Baseline)
	for _, p := range pairUp(subj, base, exact) {
		pr := r.judgePair(c, cr.Target, p[0], p[1], kernels, exact)
		pr.PriceNote = r.priceNote(c, cr.Target, pr.Subject, pr.Baseline)
		cr.Pairs = append(cr.Pairs, pr)
	}
	cr.Judged = pickPair(c.Bound, cr.Pairs)
	if cr.Judged == nil {
		// Every pair lacked a price or comparable tiers: report the first.
		cr.Verdict, cr.Detail, cr.PriceNote = cr.Pairs[0].Verdict, cr.Pairs[0].Detail, cr.Pairs[0].PriceNote
		return cr
	}
	cr.Verdict, cr.Detail = cr.Judged.Verdict, cr.Judged.Detail
	if n := len(cr.Pairs); n > 1 {
		how := "least favourable"
		if c.Bound == seeds.UpTo {
			how = "most favourable (a best case needs one)"
		}
		cr.Detail += fmt.Sprintf("; %s of %d instance pairs", how, n)
	}
	cr.PriceNote = cr.Judged.PriceNote
	return cr
}

// side returns the measured hosts a claim's names select, in input order.
func (r *Report) side(names []string) []*Host {
	var out []*Host
	for _, h := range r.Hosts {
		if seeds.Matches(h.Instance, names) {
			out = append(out, h)
		}
	}
	return out
}

func withOtherBenches(hs []*Host) []*Host {
	var out []*Host
	for _, h := range hs {
		if slices.ContainsFunc(h.inst.Benches(), func(b results.Bench) bool { return !b.Suite() }) {
			out = append(out, h)
		}
	}
	return out
}

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
	size := func(s, b *Host) bool {
		return schema.ParseInstance(s.Instance).Size == schema.ParseInstance(b.Instance).Size
	}
	class := func(s, b *Host) bool {
		return schema.ParseInstance(s.Instance).Class == schema.ParseInstance(b.Instance).Class
	}
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

func (r *Report) judgePair(c seeds.Claim, target float64, s, b *Host, kernels []string, exact bool) *PairResult {
	p := &PairResult{Subject: s.Instance, Baseline: b.Instance, PerDollar: c.PerDollar()}
	scale := 1.0
	if p.PerDollar {
		if s.Price == nil || b.Price == nil {
			p.Verdict = NotMeasured
			p.Detail = fmt.Sprintf("no %s price for %s in %s", r.PriceType, noPrice(s, b), r.Catalog.PricesFile)
			return p
		}
		scale = b.Price.PricePerHour / s.Price.PricePerHour
	} else if !exact && s.VCPUs != b.VCPUs && s.VCPUs > 0 && b.VCPUs > 0 {
		// Performance of different sizes: compare per vCPU.
		p.PerVCPU = true
		scale = float64(b.VCPUs) / float64(s.VCPUs)
	}
	threads := schema.ThreadsAll
	ms, nc := matchBenches(s.inst, b.inst, kernels, threads)
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
	ks, reps := r.kernelRatios(s.Instance, b.Instance, ms, scale, nil)
	p.Kernels = ks
	values := make([]Ratio, len(ks))
	for i, k := range ks {
		values[i] = k.Ratio
	}
	g, _ := r.geomean(values, reps)
	p.Geomean = &g

	if c.Bound == seeds.UpTo {
		// A best case: judged on the best kernel.
		best := 0
		for i, k := range ks {
			if k.Value > ks[best].Value {
				best = i
			}
		}
		p.Judged = &ks[best]
	} else {
		p.Judged = &KernelRatio{Kernel: "geomean", Ratio: g}
	}
	p.Verdict, p.Detail = verdict(c.Bound, target, p.Judged.Ratio)
	what := p.Judged.Kernel
	if c.Bound == seeds.UpTo {
		what = "best kernel " + what
	}
	p.Detail = fmt.Sprintf("%s %s %s", what, formatRatioInterval(p.Judged.Ratio), p.Detail)
	if len(nc) > 0 {
		p.Detail += "; left out as not comparable: " + strings.Join(nc, "; ")
	}
	if p.PerVCPU {
		p.Detail += "; sizes differ, compared per vCPU"
	}
	if math.IsNaN(p.Judged.Lo) {
		p.Detail += fmt.Sprintf("; fewer than %d samples: no interval, judged on the medians alone", MinSamples)
	}
	return p
}

// verdict applies DESIGN.md's rules to ratio r against target c.
//
// Without an interval (fewer than MinSamples on a side) the median ratio
// stands for both ends, and the caller says so.
func verdict(bound string, c float64, r Ratio) (verdict, why string) {
	lo, hi := r.Lo, r.Hi
	if math.IsNaN(lo) || math.IsNaN(hi) {
		lo, hi = r.Value, r.Value
	}
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
		switch {
		case lo > 1:
			return Holds, "is above 1"
		case hi < 1:
			return Contradicted, "is below 1"
		default:
			return Consistent, "includes 1"
		}
	}
}

func kernelList(ks []string) string {
	if ks == nil {
		return "accelerator benchmarks"
	}
	return strings.Join(ks, " and ")
}

// notMeasured says which instances would settle a claim, with prices.
func (r *Report) notMeasured(c seeds.Claim, subj, base []*Host) string {
	var parts []string
	var measured []*Host
	measured = append(measured, subj...)
	measured = append(measured, base...)
	for _, side := range []struct {
		names []string
		hosts []*Host
	}{{c.Subject, subj}, {c.Baseline, base}} {
		if len(side.hosts) > 0 {
			continue
		}
		var run []string
		for _, n := range side.names {
			run = append(run, r.suggest(n, measured))
		}
		parts = append(parts, "no results for "+strings.Join(side.names, " ")+"; run "+strings.Join(run, " or "))
	}
	return strings.Join(parts, "; ")
}

// suggest names an instance of family-or-type n with its price, the same
// size as a measured instance where the catalog has one.
func (r *Report) suggest(n string, measured []*Host) string {
	if inst := r.suggestInstance(n, measured); inst != "" {
		if p, ok := r.Catalog.Price(inst, "", r.PriceType); ok {
			return fmt.Sprintf("%s (%s)", inst, formatPrice(p.PricePerHour))
		}
		return inst + " (no price in the catalog)"
	}
	return n + " (no price in the catalog)"
}

func (r *Report) suggestInstance(n string, measured []*Host) string {
	if schema.Provider(n) != "" {
		return n
	}
	var first string
	for _, want := range append(measured, nil) {
		for _, p := range r.Catalog.Prices {
			if p.PriceType != r.PriceType || schema.Family(p.Instance) != n || p.Region != seeds.DefaultRegion(p.Provider) {
				continue
			}
			if want == nil {
				if first == "" {
					first = p.Instance
				}
				continue
			}
			if schema.ParseInstance(p.Instance).Size == schema.ParseInstance(want.Instance).Size {
				return p.Instance
			}
		}
	}
	return first
}

// representativePair picks instances to quote prices for when a claim
// could not be measured: measured ones where there are, else suggestions.
func (r *Report) representativePair(c seeds.Claim, subj, base []*Host) (string, string) {
	var measured []*Host
	measured = append(measured, subj...)
	measured = append(measured, base...)
	pick := func(hs []*Host, names []string) string {
		if len(hs) > 0 {
			return hs[0].Instance
		}
		for _, n := range names {
			if s := r.suggestInstance(n, measured); s != "" {
				return s
			}
		}
		return ""
	}
	s := pick(subj, c.Subject)
	if s != "" && len(subj) == 0 {
		// Let the baseline suggestion match the suggested subject's size.
		measured = append(measured, &Host{Instance: s})
	}
	return s, pick(base, c.Baseline)
}

// priceNote states what the price list alone implies: a performance claim
// of c at a price ratio q is at most c/q per dollar; a per-dollar claim of
// c needs c×q the performance.
func (r *Report) priceNote(c seeds.Claim, target float64, s, b string) string {
	if s == "" || b == "" {
		return ""
	}
	ps, okS := r.Catalog.Price(s, r.regionOf(s), r.PriceType)
	pb, okB := r.Catalog.Price(b, r.regionOf(b), r.PriceType)
	if !okS || !okB {
		return ""
	}
	q := ps.PricePerHour / pb.PricePerHour
	priceRatio := fmt.Sprintf("%s lists at %s, %s at %s (%s the price)", s, formatPrice(ps.PricePerHour), b, formatPrice(pb.PricePerHour), fx(q))
	if c.PerDollar() {
		if c.Bound == seeds.Better {
			return fmt.Sprintf("%s: better per dollar needs more than %s the performance", priceRatio, fx(q))
		}
		return fmt.Sprintf("%s: %s per dollar needs %s the performance", priceRatio, fx(target), fx(target*q))
	}
	if c.Bound == seeds.Better {
		return priceRatio
	}
	if c.Metric == seeds.Performance || c.Metric == seeds.PerformanceFP || c.Metric == seeds.PerformanceML || c.Metric == seeds.MemoryBandwidth {
		word := "at most"
		if c.Bound == seeds.Approx {
			word = "about"
		}
		return fmt.Sprintf("%s: %s the performance is %s %s per dollar", priceRatio, fx(target), word, fx(target/q))
	}
	return priceRatio
}

func (r *Report) regionOf(instance string) string {
	if h := r.Host(instance); h != nil {
		return h.Region
	}
	return ""
}

// fx formats a ratio as "1.30x".
func fx(v float64) string { return fmt.Sprintf("%.2fx", v) }

func formatRatioInterval(r Ratio) string {
	if math.IsNaN(r.Lo) {
		return fmt.Sprintf("%.2fx", r.Value)
	}
	return fmt.Sprintf("%.2fx [%.2f, %.2f]", r.Value, r.Lo, r.Hi)
}

func formatPrice(perHour float64) string {
	return "$" + trimFloat(perHour) + "/h"
}
