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

// Verdicts, as docs/design.md names them ("Claim verdicts").
const (
	Holds         = "holds"
	Consistent    = "consistent"
	FallsShort    = "falls short"
	Exceeds       = "exceeds" // approx claims only: measured above the ±10% band
	Contradicted  = "contradicted"
	NotMeasured   = "not measured"
	OutOfScope    = "out of scope"
	NotComparable = "not comparable"
	// NotPriced: results on both sides, but a per-dollar claim and no
	// price of the type asked for on a side, in its region. Not "not
	// measured", which means no results.
	NotPriced = "not priced"
)

// ProxyNote is attached to every verdict of a claim testable only by proxy.
const ProxyNote = "(proxy: AI-style kernels, not the claimed workload)"

// approxBand is the relative tolerance of an approx claim.
const approxBand = 0.10

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

// The verdict stage judges each claim on the resolved hosts its names
// select (docs/design.md, "Claim verdicts"). What it needs of the
// catalog beyond the hosts' own prices, the prices of instances a claim
// names that were not measured, comes from the resolve stage's priceBook.

// A judge draws the verdicts of one report's claims.
type judge struct {
	priceType string
	book      *priceBook
	hosts     []*Host
	st        *statistics
	floor     float64 // Report.NoiseFloor
}

// A candidate is an instance a claim's side could be judged or priced on:
// a measured host, or an instance type suggested for a side without
// results. price is nil when the catalog has none.
type candidate struct {
	instance string
	price    *seeds.Price
	vcpus    int // 0 when unknown
}

func hostCandidate(h *Host) candidate { return candidate{h.Instance, h.Price, h.VCPUs} }

func priceCandidate(p *seeds.Price) candidate { return candidate{p.Instance, p, p.VCPUs} }

// judgeClaims judges the claims of book on hosts, with the noise floor
// floor.
func judgeClaims(book *priceBook, hosts []*Host, st *statistics, floor float64) []*ClaimResult {
	j := &judge{priceType: book.priceType, book: book, hosts: hosts, st: st, floor: floor}
	var out []*ClaimResult
	for _, c := range book.claims {
		out = append(out, j.claim(c))
	}
	return out
}

func (j *judge) claim(c seeds.Claim) *ClaimResult {
	cr := &ClaimResult{Claim: c, Target: c.WorkPerDollarRatio()}
	defer func() {
		if c.TestableBy == seeds.ByProxy {
			// Every row that states a verdict says it is by proxy:
			// the claim's and each pair's.
			cr.Detail = strings.TrimSpace(cr.Detail + " " + ProxyNote)
			for _, p := range cr.Pairs {
				if !strings.HasSuffix(p.Detail, ProxyNote) {
					p.Detail = strings.TrimSpace(p.Detail + " " + ProxyNote)
				}
			}
		}
	}()
	subj, base := j.side(c.Subject), j.side(c.Baseline)
	// The claims loader has checked that every metric has kernels.
	kernels, _ := schema.MetricKernels(c.Metric)
	if c.TestableBy == seeds.ByAccelerator {
		// The CPU kernels say nothing about an accelerator; only other
		// benchmarks (an accelerator's throughput in Go benchmark
		// format) can settle it.
		kernels = acceleratorBenches
		subj, base = withOtherBenches(subj), withOtherBenches(base)
		if len(subj) == 0 || len(base) == 0 {
			cr.Verdict = OutOfScope
			cr.Detail = accelNeeded(c, subj, base)
			s, b := j.representativePair(c, subj, base)
			cr.PriceNote = priceNote(c, cr.Target, s, b, false)
			return cr
		}
	}
	if len(subj) == 0 || len(base) == 0 {
		cr.Verdict = NotMeasured
		cr.Detail = j.notMeasured(c, subj, base)
		s, b := j.representativePair(c, subj, base)
		cr.PriceNote = priceNote(c, cr.Target, s, b, false)
		return cr
	}
	exact := allExact(c.Subject) && allExact(c.Baseline)
	for _, p := range pairUp(subj, base, exact) {
		pr := j.pair(c, cr.Target, p[0], p[1], kernels, exact)
		pr.PriceNote = priceNote(c, cr.Target, hostCandidate(p[0]), hostCandidate(p[1]), pr.PerVCPU)
		cr.Pairs = append(cr.Pairs, pr)
	}
	if len(cr.Pairs) == 0 {
		// The names of both sides select the same measured instances
		// (c7g.metal against the family c7g, with only c7g.metal
		// measured): an instance is never compared with itself.
		cr.Verdict = NotMeasured
		cr.Detail = fmt.Sprintf("only %s measured, on both sides of the claim; run another instance of %s",
			hostNames(subj), strings.Join(c.Baseline, " "))
		return cr
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
func (j *judge) side(names []string) []*Host {
	var out []*Host
	for _, h := range j.hosts {
		if seeds.Matches(h.Instance, names) {
			out = append(out, h)
		}
	}
	return out
}

// accelNeeded says which side of an accelerator claim lacks
// accelerator results.
func accelNeeded(c seeds.Claim, subj, base []*Host) string {
	var missing []string
	for _, side := range []struct {
		names []string
		hosts []*Host
	}{{c.Subject, subj}, {c.Baseline, base}} {
		if len(side.hosts) == 0 {
			missing = append(missing, strings.Join(side.names, " "))
		}
	}
	d := "needs accelerator results for " + strings.Join(missing, " and ")
	switch {
	case len(missing) == 2:
		d += "; none given"
	case len(subj) > 0:
		d += "; given only for " + hostNames(subj)
	default:
		d += "; given only for " + hostNames(base)
	}
	return d
}

func hostNames(hs []*Host) string {
	var names []string
	for _, h := range hs {
		names = append(names, h.Instance)
	}
	return strings.Join(names, ", ")
}

func withOtherBenches(hs []*Host) []*Host {
	var out []*Host
	for _, h := range hs {
		if slices.ContainsFunc(h.benches, func(b results.Bench) bool { return !b.Suite() }) {
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

// pct formats a fraction as a percentage: 0.05 as "5%".
func pct(f float64) string { return trimFloat(math.Round(f*1e4)/100) + "%" }

// onePlus formats 1 plus the fraction f: 0.05 as "1.05", 0.025 as
// "1.025", so that a threshold reads as the one applied.
func onePlus(f float64) string { return trimFloat(math.Round((1+f)*1e4) / 1e4) }

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

// acceleratorBenches is the kernel list of an accelerator claim: nil,
// which matchBenches takes as every benchmark that is not the suite's.
var acceleratorBenches []string

func kernelList(ks []string) string {
	if ks == nil {
		return "accelerator benchmarks"
	}
	return strings.Join(ks, " and ")
}

// notMeasured says which instances would settle a claim, with prices.
func (j *judge) notMeasured(c seeds.Claim, subj, base []*Host) string {
	sizes := vcpusOf(subj, base)
	if len(subj) == 0 {
		// Suggest the baseline at the size of the subject suggested.
		if s, _ := j.representativePair(c, subj, base); s.vcpus > 0 {
			sizes = append(sizes, s.vcpus)
		}
	}
	var parts []string
	for _, side := range []struct {
		names []string
		hosts []*Host
	}{{c.Subject, subj}, {c.Baseline, base}} {
		if len(side.hosts) > 0 {
			continue
		}
		var run []string
		for _, n := range side.names {
			run = append(run, j.suggestion(n, j.suggest(n, sizes)))
		}
		parts = append(parts, "no results for "+strings.Join(side.names, " ")+"; run "+strings.Join(run, " or "))
	}
	return strings.Join(parts, "; ")
}

// vcpusOf returns the vCPUs of the hosts, in order.
func vcpusOf(sides ...[]*Host) []int {
	var vcpus []int
	for _, hs := range sides {
		for _, h := range hs {
			vcpus = append(vcpus, h.VCPUs)
		}
	}
	return vcpus
}

// suggestion names candidate s for name n with its price, or says why
// it has none: no price of this type (when the catalog has others), or
// nothing in the catalog at all.
func (j *judge) suggestion(n string, s candidate) string {
	name := s.instance
	if name == "" {
		name = n
	}
	if s.price != nil {
		return fmt.Sprintf("%s (%s)", name, formatPrice(s.price.PricePerHour))
	}
	if types := j.book.otherPriceTypes(name); len(types) > 0 {
		return fmt.Sprintf("%s (no %s price in the catalog; it has %s)", name, j.priceType, strings.Join(types, ", "))
	}
	return name + " (no price in the catalog)"
}

// suggest picks an instance to run for n, an instance type or a family:
// the type itself, or the family's priced instance with the first of
// vcpus the catalog has, else its first priced instance. Sizes are
// matched by vCPUs, not by name, because names do not line up across
// providers: c7g.large has 2 vCPUs, c4a-standard-4 four. The candidate is
// empty when the catalog prices nothing of the family.
func (j *judge) suggest(n string, vcpus []int) candidate {
	if schema.Provider(n) != "" {
		if p, ok := j.book.price(n); ok {
			return priceCandidate(&p)
		}
		return candidate{instance: n}
	}
	for _, v := range vcpus {
		for i, p := range j.book.priced {
			if p.name.Family == n && p.price.VCPUs == v {
				return priceCandidate(&j.book.priced[i].price)
			}
		}
	}
	for i, p := range j.book.priced {
		if p.name.Family == n {
			return priceCandidate(&j.book.priced[i].price)
		}
	}
	return candidate{}
}

// familyCandidates returns the priced instances of n, a family or an
// instance type, in catalog order.
func (j *judge) familyCandidates(n string) []candidate {
	if schema.Provider(n) != "" {
		if s := j.suggest(n, nil); s.price != nil {
			return []candidate{s}
		}
		return nil
	}
	var out []candidate
	for i, p := range j.book.priced {
		if p.name.Family == n {
			out = append(out, priceCandidate(&j.book.priced[i].price))
		}
	}
	return out
}

// representativePair picks instances to quote prices for when a claim
// could not be measured: measured ones where there are, else suggestions.
func (j *judge) representativePair(c seeds.Claim, subj, base []*Host) (candidate, candidate) {
	sizes := vcpusOf(subj, base)
	pick := func(hs []*Host, names []string) candidate {
		if len(hs) > 0 {
			return hostCandidate(hs[0])
		}
		for _, n := range names {
			if s := j.suggest(n, sizes); s.instance != "" {
				return s
			}
		}
		return candidate{}
	}
	if len(subj) == 0 && len(base) == 0 {
		// Neither side measured: the first pair of one size the
		// catalog prices, so that the price note compares like with
		// like.
		for _, sn := range c.Subject {
			for _, s := range j.familyCandidates(sn) {
				for _, bn := range c.Baseline {
					if b := j.suggest(bn, []int{s.vcpus}); b.price != nil && b.vcpus == s.vcpus {
						return s, b
					}
				}
			}
		}
	}
	s := pick(subj, c.Subject)
	if s.vcpus > 0 && len(subj) == 0 {
		// Let the baseline suggestion match the suggested subject's size.
		sizes = append(sizes, s.vcpus)
	}
	return s, pick(base, c.Baseline)
}

// priceNote states what the price list alone implies for claim c of
// target on subject s and baseline b: a performance claim of c at a
// price ratio q is at most c/q per dollar; a per-dollar claim of c needs
// c×q the performance. It is empty without both prices.
//
// With perVCPU, the pair's performance is compared per vCPU (instances
// of different sizes), and so is the price: a 64-vCPU instance at 17.6
// times a 4-vCPU one's price is 1.10 times the price per vCPU.
func priceNote(c seeds.Claim, target float64, s, b candidate, perVCPU bool) string {
	if s.price == nil || b.price == nil {
		return ""
	}
	ps, pb := s.price.PricePerHour, b.price.PricePerHour
	q := ps / pb
	priceRatio := fmt.Sprintf("%s lists at %s, %s at %s (%s the price)", s.instance, formatPrice(ps), b.instance, formatPrice(pb), fx(q))
	if perVCPU && s.vcpus > 0 && b.vcpus > 0 {
		vs, vb := ps/float64(s.vcpus), pb/float64(b.vcpus)
		q = vs / vb
		priceRatio = fmt.Sprintf("%s lists at %s per vCPU, %s at %s (%s the price per vCPU)",
			s.instance, dollars(vs)+"/vCPU-h", b.instance, dollars(vb)+"/vCPU-h", fx(q))
	}
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

// fx formats a ratio as "1.30x".
func fx(v float64) string { return fmt.Sprintf("%.2fx", v) }

func formatRatioInterval(r Ratio) string {
	if math.IsNaN(r.Lo) {
		return fmt.Sprintf("%.2fx", r.Value)
	}
	return fmt.Sprintf("%.2fx [%.2f, %.2f]", r.Value, r.Lo, r.Hi)
}
