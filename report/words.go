package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/seeds"
)

// Words: the English of the verdicts, the comparisons and the ranking.
// The stages hand values forward (a Rule, an Edge, a Level, Reasons, a
// PricePair); this file alone turns them into the sentences the
// markdown, CSV and JSON writers print.

// Detail says why c's verdict is what it is, in one sentence: what the
// judged pair measured and where its interval lies, then what keeps the
// verdict provisional or how the pair was picked. For a proxy claim it
// ends with ProxyNote.
func (c *ClaimResult) Detail() string {
	var parts []string
	switch {
	case c.Judged != nil:
		parts = append(parts, c.Judged.facts())
	case len(c.Pairs) > 0:
		parts = append(parts, c.Pairs[0].facts())
	}
	for _, r := range c.Reasons {
		parts = append(parts, r.words())
	}
	return withProxyNote(strings.Join(parts, "; "), c.Claim)
}

// Detail says what p measured and where its interval lies against the
// claim, or why it could not be judged.
func (p *PairResult) Detail() string { return withProxyNote(p.facts(), *p.claim) }

func withProxyNote(detail string, c seeds.Claim) string {
	if c.TestableBy == seeds.ByProxy {
		return strings.TrimSpace(detail + " " + ProxyNote)
	}
	return detail
}

// facts is p's detail without the proxy note.
func (p *PairResult) facts() string {
	if p.Judged == nil {
		if p.Blocked == nil {
			return ""
		}
		return p.Blocked.words()
	}
	var what string
	if p.Judged.Kernel != geomeanColumn {
		t := p.Judged.Tiers
		what = fmt.Sprintf("best kernel %s (%s vs %s)", p.Judged.Kernel, tierName(t[0]), tierName(t[1]))
	} else {
		// Name what the mean is over and the tiers each side ran, so
		// that a verdict from portable kernels says so in its line.
		var ks []string
		var tiers [2][]string
		for _, k := range p.Kernels {
			ks = append(ks, k.Kernel)
			for i, t := range k.Tiers {
				if name := tierName(t); !slices.Contains(tiers[i], name) {
					tiers[i] = append(tiers[i], name)
				}
			}
		}
		what = fmt.Sprintf("geomean of %s (%s vs %s)", strings.Join(ks, ", "), strings.Join(tiers[0], "/"), strings.Join(tiers[1], "/"))
	}
	rule := ruleOf(p.claim.Bound, p.claim.WorkPerDollarRatio())
	d := fmt.Sprintf("%s on %s vs %s: %s %s (%s) %s", what, p.Subject, p.Baseline,
		p.measuredAs(p.claim.Metric), formatRatioInterval(p.Judged.Ratio), p.Level.words(), edgeWords(rule, p.Edge))
	if len(p.NotComparable) > 0 {
		d += "; left out as not comparable: " + sizesWords(p.NotComparable)
	}
	if p.PerVCPU {
		d += "; sizes differ, compared per vCPU"
	}
	return d
}

// edgeWords says where an interval lies against rule's region.
func edgeWords(rule Rule, e Edge) string {
	switch e {
	case NoInterval:
		return fmt.Sprintf("has no interval (fewer than %d samples on a side)", MinSamples)
	case Worse:
		return fmt.Sprintf("is below %.2f: the subject is worse", 1/(1+MinEffect))
	case NotWorse:
		return fmt.Sprintf("is above %.2f: the subject is better, not worse", 1+MinEffect)
	case Within:
		return "lies within " + rule.regionWords()
	case Below:
		return "is below " + rule.regionWords()
	case Above:
		return "is above " + rule.regionWords()
	}
	return "straddles the edge of " + rule.regionWords()
}

// regionWords names a rule's region: "≥ 1.30x", "1.13 to 1.38 (1.25x
// ±10%)".
func (r Rule) regionWords() string {
	switch r.Bound {
	case seeds.Approx:
		return fmt.Sprintf("%.2f to %.2f (%s ±10%%)", r.Lo, r.Hi, fx((r.Lo+r.Hi)/2))
	case seeds.Better:
		return fmt.Sprintf("≥ %s (better by the %s minimum effect)", fx(r.Lo), pct(MinEffect))
	}
	return "≥ " + fx(r.Lo)
}

// words says what level an interval is at: "95% interval", or for a
// claim judged on the best of m comparisons, the Bonferroni level that
// keeps the claim's own error at 5%.
func (l Level) words() string {
	if l.Comparisons <= 1 {
		return pct(l.Confidence) + " interval"
	}
	return fmt.Sprintf("%s interval, %s over the %d compared", pct(1-l.alpha()), pct(l.Confidence), l.Comparisons)
}

// PriceNote says what the price list alone implies for claim c.
func (c *ClaimResult) PriceNote() string { return priceWords(c.Claim, c.Target, c.Prices) }

// PriceNote says what the price list alone implies for the claim on p's
// two instances.
func (p *PairResult) PriceNote() string {
	return priceWords(*p.claim, p.claim.WorkPerDollarRatio(), p.Prices)
}

// priceWords states what prices pp imply for claim c of target: a
// performance claim of c at a price ratio q is at most c/q per dollar; a
// per-dollar claim of c needs c×q the performance. Empty without prices.
//
// With pp.PerVCPU, the pair's performance is compared per vCPU
// (instances of different sizes), and so is the price: a 64-vCPU
// instance at 17.6 times a 4-vCPU one's price is 1.10 times the price
// per vCPU.
func priceWords(c seeds.Claim, target float64, pp *PricePair) string {
	if pp == nil {
		return ""
	}
	s, b := pp.Subject, pp.Baseline
	ps, pb := s.price.PricePerHour, b.price.PricePerHour
	q := ps / pb
	priceRatio := fmt.Sprintf("%s lists at %s, %s at %s (%s the price)", s.instance, formatPrice(ps), b.instance, formatPrice(pb), fx(q))
	if pp.PerVCPU && s.vcpus > 0 && b.vcpus > 0 {
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
	word := "at most"
	if c.Bound == seeds.Approx {
		word = "about"
	}
	return fmt.Sprintf("%s: %s the performance is %s %s per dollar", priceRatio, fx(target), word, fx(target/q))
}

// Note says why c has nothing to compare; "" when it has.
func (c *Comparison) Note() string {
	switch m := c.Missing.(type) {
	case nil:
		return ""
	case TiersApart:
		return "not comparable: " + sizesWords(m.Sizes)
	default:
		return m.words()
	}
}

// Note says why an instance has no place in the ranking; "" when it has.
func (r *RankRow) Note() string {
	if r.Missing == nil {
		return ""
	}
	return r.Missing.words()
}

func (q QuotaShort) words() string {
	var why []string
	for _, s := range q.Sides {
		why = append(why, fmt.Sprintf("%s ran with gomaxprocs %d of its %d vCPUs", s.Instance, s.Procs, s.VCPUs))
	}
	return strings.Join(why, "; ") + ": its whole-instance figures are not what its price buys, so it is not compared (run it on every vCPU)"
}

func (n NoPrice) words() string {
	d := fmt.Sprintf("no %s price for %s in %s in %s", n.PriceType, n.Instance, orNone(n.Region), n.File)
	switch {
	case len(n.Regions) > 0:
		d += fmt.Sprintf(" (it has %s; a region: line in the results chooses)", strings.Join(n.Regions, ", "))
	case len(n.Types) > 0:
		d += fmt.Sprintf(" (it has %s prices; -price-type chooses)", strings.Join(n.Types, ", "))
	}
	return d + "; `ppbench prices update` fetches the providers' current lists"
}

func (ns NoPrices) words() string {
	var why []string
	for _, n := range ns {
		why = append(why, n.words())
	}
	return strings.Join(why, "; ")
}

func (u Unpriced) words() string {
	if len(u.Instances) == 0 {
		return "no price"
	}
	return "no price for " + strings.Join(u.Instances, " and ")
}

func (t TiersApart) words() string {
	return "portable (pure Go) and SIMD kernel results are never compared: " + sizesWords(t.Sizes)
}

// sizesWords lists kernel sizes run at tiers of different classes.
func sizesWords(ms []TierMismatch) string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s: %s ran %s, %s ran %s",
			m.Bench, m.Subject, tiersWords(m.SubjectTiers), m.Baseline, tiersWords(m.BaselineTiers)))
	}
	return strings.Join(out, "; ")
}

func tiersWords(ts []string) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = tierName(t)
	}
	return strings.Join(names, " and ")
}

func (n NoCommonResults) words() string {
	if n.Subject == "" {
		return "no whole-instance benchmark in common at comparable kernel tiers"
	}
	kernels := "accelerator benchmarks"
	if n.Kernels != nil {
		kernels = strings.Join(n.Kernels, " and ")
	}
	return fmt.Sprintf("no whole-instance results of %s on both %s and %s", kernels, n.Subject, n.Baseline)
}

func (a AcceleratorNeeded) words() string {
	var missing []string
	for _, names := range a.Missing {
		missing = append(missing, strings.Join(names, " "))
	}
	d := "needs accelerator results for " + strings.Join(missing, " and ")
	if len(a.Missing) == 2 {
		return d + "; none given"
	}
	return d + "; given only for " + strings.Join(a.Given, ", ")
}

func (n NoResults) words() string {
	var run []string
	for _, s := range n.Run {
		run = append(run, s.words())
	}
	return "no results for " + strings.Join(n.Names, " ") + "; run " + strings.Join(run, " or ")
}

// words names the suggested instance with its price, or says why it has
// none: no price of this type (when the catalog has others), or nothing
// in the catalog at all.
func (s Suggestion) words() string {
	switch {
	case s.Priced:
		return fmt.Sprintf("%s (%s)", s.Instance, formatPrice(s.Price))
	case len(s.OtherTypes) > 0:
		return fmt.Sprintf("%s (no %s price in the catalog; it has %s)", s.Instance, s.PriceType, strings.Join(s.OtherTypes, ", "))
	}
	return s.Instance + " (no price in the catalog)"
}

func (s SameInstances) words() string {
	return fmt.Sprintf("only %s measured, on both sides of the claim; run another instance of %s",
		strings.Join(s.Measured, ", "), strings.Join(s.Baseline, " "))
}

func (d Drifted) words() string {
	return "provisional: a launch of " + d.Instance + " drifted during its run (see the warnings); run it again"
}

func (f FamilyCoverage) words() string {
	return fmt.Sprintf("provisional: %d of %d family pairs measured; the claim is about all of them", f.Measured, f.Of)
}

func (f FewLaunches) words() string {
	switch {
	case f.Subject != "" && f.Baseline != "":
		return fmt.Sprintf("provisional: %s of %s and %s of %s; run three or more of each to decide",
			plural(f.SubjectL, "launch"), f.Subject, plural(f.BaselineL, "launch"), f.Baseline)
	case f.Subject != "":
		return fmt.Sprintf("provisional: %s of %s; run three or more to decide", plural(f.SubjectL, "launch"), f.Subject)
	}
	return fmt.Sprintf("provisional: %s of %s; run three or more to decide", plural(f.BaselineL, "launch"), f.Baseline)
}

func (NearEdge) words() string {
	return "provisional: the ratio is too close to the claim's edge for these launches to decide"
}

func (p PairExceeds) words() string { return p.Subject + " vs " + p.Baseline + " exceeds it" }

func (s Selection) words() string {
	how := "the least favourable of"
	if s.Best {
		how = "the best of"
	}
	return fmt.Sprintf("%s %d instance pairs", how, s.Pairs)
}

func (BaselineAlone) words() string { return "the baseline: nothing else to compare with" }

func (NoComparableKernel) words() string {
	return "no whole-instance kernel comparable with the baseline's (portable against SIMD, or none in common)"
}

// plural formats a count of things: "1 launch", "3 launches": words
// ending in s, x, ch or sh take "es".
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
