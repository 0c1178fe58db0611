package report

import (
	"slices"

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

// A ClaimResult is one claim checked against the results: its verdict and
// what the verdict rests on, as values (Detail and PriceNote word them).
type ClaimResult struct {
	Claim seeds.Claim
	// Target is the claimed ratio in higher-is-better terms: a cost claim
	// of 0.80 becomes 1.25 (work per dollar), a better claim 1.
	Target  float64
	Rule    Rule
	Verdict string
	Pairs   []*PairResult
	// Judged is the pair the verdict comes from (the most favourable for
	// an up_to claim, the least favourable otherwise); nil when no pair
	// could be judged.
	Judged *PairResult
	// Reasons are what keeps the verdict provisional or from being drawn
	// at all, and how the judged pair was picked, in the order Detail
	// states them after the judged pair's own.
	Reasons []Reason
	// Prices are the two instances the price note quotes; nil without a
	// price for both.
	Prices *PricePair
}

// A PairResult is a claim judged on one subject and baseline instance.
type PairResult struct {
	Subject, Baseline string
	// PerVCPU is set when a performance claim compares instances of
	// different sizes: throughput is then divided by vCPUs.
	PerVCPU bool
	// PerDollar is set for price-performance and cost claims.
	PerDollar bool
	// Kernels are each kernel's ratio, with the tiers each side ran.
	Kernels []KernelRatio
	Geomean *Ratio
	// Judged is what the verdict is drawn from: the best kernel for
	// up_to, the geometric mean otherwise (Kernel is geomeanColumn).
	Judged *KernelRatio
	// Level is the confidence of the pair's intervals.
	Level   Level
	Verdict string
	// Edge is where Judged's interval lies against the claim's rule.
	Edge Edge
	// Blocked says why the pair was not judged (Judged is nil).
	Blocked Reason
	// NotComparable are the sizes left out of a judged pair: portable
	// against SIMD.
	NotComparable []TierMismatch
	// Prices are the pair's two instances for the price note; nil
	// without both prices.
	Prices *PricePair

	claim   *seeds.Claim   // the claim the pair was judged for, for its wording
	effects []kernelEffect // per kernel, in suite order; nil when not judged
	geomean effect         // over effects' kernels
}

// A PricePair is what the price list says of a claim's two instances:
// their prices per hour (and vCPUs), from which the price note derives
// what a claim needs of the performance.
type PricePair struct {
	Subject, Baseline candidate
	PerVCPU           bool
}

// The verdict stage judges each claim on the resolved hosts its names
// select (docs/design.md, "Claim verdicts"). What it needs of the
// catalog beyond the hosts' own prices, the prices of instances a claim
// names that were not measured, comes from the resolve stage's priceBook.

// A judge draws the verdicts of one report's claims.
type judge struct {
	priceType  string
	book       *priceBook
	hosts      []*Host
	confidence float64
	// launchSD is the launch-to-launch standard deviation (log) a side
	// measured in one launch is assumed to have at least: the noise
	// floor.
	launchSD float64
	drifted  map[*Host]bool      // hosts with a launch that drifted
	sides    map[string]sideStat // sideStatOf's, by host and benchmarks
}

// judgeClaims judges the claims of book on hosts at confidence, with the
// noise floor floor (a fraction; 0 for none) and the hosts with a
// drifted launch.
func judgeClaims(book *priceBook, hosts []*Host, confidence, floor float64, drifted map[*Host]bool) []*ClaimResult {
	j := &judge{priceType: book.priceType, book: book, hosts: hosts, confidence: confidence, launchSD: floor, drifted: drifted}
	var out []*ClaimResult
	for _, c := range book.claims {
		out = append(out, j.claim(c))
	}
	return out
}

// claim draws claim c's verdict.
func (j *judge) claim(c seeds.Claim) *ClaimResult {
	cr := &ClaimResult{Claim: c, Target: c.WorkPerDollarRatio()}
	cr.Rule = ruleOf(c.Bound, cr.Target)
	subj, base := j.side(c.Subject, c.SubjectProvider), j.side(c.Baseline, c.BaselineProvider)
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
			cr.Reasons = []Reason{accelNeeded(c, subj, base)}
			s, b := j.representativePair(c, subj, base)
			cr.Prices = pricePair(s, b, false)
			return cr
		}
	}
	if len(subj) == 0 || len(base) == 0 {
		cr.Verdict = NotMeasured
		cr.Reasons = j.notMeasured(c, subj, base)
		s, b := j.representativePair(c, subj, base)
		cr.Prices = pricePair(s, b, false)
		return cr
	}
	exact := allExact(c.Subject) && allExact(c.Baseline)
	for _, p := range pairUp(subj, base, exact) {
		pr := j.pair(&cr.Claim, p[0], p[1], kernels, exact)
		pr.Prices = pricePair(hostCandidate(p[0]), hostCandidate(p[1]), pr.PerVCPU)
		cr.Pairs = append(cr.Pairs, pr)
	}
	if len(cr.Pairs) == 0 {
		// The names of both sides select the same measured instances
		// (c7g.metal against the family c7g, with only c7g.metal
		// measured): an instance is never compared with itself.
		cr.Verdict = NotMeasured
		cr.Reasons = []Reason{SameInstances{Measured: hostNames(subj), Baseline: c.Baseline}}
		return cr
	}
	j.settle(cr, exact)
	return cr
}

// side returns the measured hosts a claim's names of provider ("" for
// any) select, in input order.
func (j *judge) side(names []string, provider string) []*Host {
	var out []*Host
	for _, h := range j.hosts {
		if seeds.MatchesSide(h.Instance, h.Provider, names, provider) {
			out = append(out, h)
		}
	}
	return out
}

// accelNeeded says which side of an accelerator claim lacks
// accelerator results.
func accelNeeded(c seeds.Claim, subj, base []*Host) AcceleratorNeeded {
	var r AcceleratorNeeded
	for _, side := range []struct {
		names []string
		hosts []*Host
	}{{c.Subject, subj}, {c.Baseline, base}} {
		if len(side.hosts) == 0 {
			r.Missing = append(r.Missing, side.names)
		}
	}
	if len(subj) > 0 {
		r.Given = hostNames(subj)
	} else {
		r.Given = hostNames(base)
	}
	return r
}

func hostNames(hs []*Host) []string {
	var names []string
	for _, h := range hs {
		names = append(names, h.Instance)
	}
	return names
}

func withOtherBenches(hs []*Host) []*Host {
	var out []*Host
	for _, h := range hs {
		if slices.ContainsFunc(h.m.benches, func(b results.Bench) bool { return !b.Suite() }) {
			out = append(out, h)
		}
	}
	return out
}

// acceleratorBenches is the kernel list of an accelerator claim: nil,
// which matchBenches takes as every benchmark that is not the suite's.
var acceleratorBenches []string
