package report

import (
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// Suggestions: for a claim not measured, which instances would settle it
// and what their prices alone imply, from the resolve stage's priceBook.

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

// notMeasured says, per side without results, which instances would
// settle a claim, with prices.
func (j *judge) notMeasured(c seeds.Claim, subj, base []*Host) []Reason {
	sizes := vcpusOf(subj, base)
	if len(subj) == 0 {
		// Suggest the baseline at the size of the subject suggested.
		if s, _ := j.representativePair(c, subj, base); s.vcpus > 0 {
			sizes = append(sizes, s.vcpus)
		}
	}
	var why []Reason
	for _, side := range []struct {
		names    []string
		provider string
		hosts    []*Host
	}{{c.Subject, c.SubjectProvider, subj}, {c.Baseline, c.BaselineProvider, base}} {
		if len(side.hosts) > 0 {
			continue
		}
		r := NoResults{Names: side.names}
		for _, n := range side.names {
			r.Run = append(r.Run, j.suggestion(n, j.suggest(n, side.provider, sizes)))
		}
		why = append(why, r)
	}
	return why
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

// suggestion is candidate s for name n with its price, or with the other
// price types the catalog has for it.
func (j *judge) suggestion(n string, s candidate) Suggestion {
	sg := Suggestion{Instance: s.instance, PriceType: j.priceType}
	if sg.Instance == "" {
		sg.Instance = n
	}
	if s.price != nil {
		sg.Priced, sg.Price = true, s.price.PricePerHour
	} else {
		sg.OtherTypes = j.book.otherPriceTypes(sg.Instance)
	}
	return sg
}

// suggest picks an instance to run for n, an instance type or a family:
// the type itself, or the family's priced instance with the first of
// vcpus the catalog has, else its first priced instance. Sizes are
// matched by vCPUs, not by name, because names do not line up across
// providers: c7g.large has 2 vCPUs, c4a-standard-4 four. The candidate is
// empty when the catalog prices nothing of the family. With provider set,
// only that cloud's instances are suggested: GCP's c4 is not AWS's.
func (j *judge) suggest(n, provider string, vcpus []int) candidate {
	if schema.Provider(n) != "" {
		if p, ok := j.book.price(n); ok {
			return priceCandidate(&p)
		}
		return candidate{instance: n}
	}
	of := func(p pricedInstance) bool {
		return p.name.Family == n && (provider == "" || p.price.Provider == provider)
	}
	for _, v := range vcpus {
		for i, p := range j.book.priced {
			if of(p) && p.price.VCPUs == v {
				return priceCandidate(&j.book.priced[i].price)
			}
		}
	}
	for i, p := range j.book.priced {
		if of(p) {
			return priceCandidate(&j.book.priced[i].price)
		}
	}
	return candidate{}
}

// familyCandidates returns the priced instances of n, a family or an
// instance type, of provider ("" for any), in catalog order.
func (j *judge) familyCandidates(n, provider string) []candidate {
	if schema.Provider(n) != "" {
		if s := j.suggest(n, provider, nil); s.price != nil {
			return []candidate{s}
		}
		return nil
	}
	var out []candidate
	for i, p := range j.book.priced {
		if p.name.Family == n && (provider == "" || p.price.Provider == provider) {
			out = append(out, priceCandidate(&j.book.priced[i].price))
		}
	}
	return out
}

// representativePair picks instances to quote prices for when a claim
// could not be measured: measured ones where there are, else suggestions.
func (j *judge) representativePair(c seeds.Claim, subj, base []*Host) (candidate, candidate) {
	sizes := vcpusOf(subj, base)
	pick := func(hs []*Host, names []string, provider string) candidate {
		if len(hs) > 0 {
			return hostCandidate(hs[0])
		}
		for _, n := range names {
			if s := j.suggest(n, provider, sizes); s.instance != "" {
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
			for _, s := range j.familyCandidates(sn, c.SubjectProvider) {
				for _, bn := range c.Baseline {
					if b := j.suggest(bn, c.BaselineProvider, []int{s.vcpus}); b.price != nil && b.vcpus == s.vcpus {
						return s, b
					}
				}
			}
		}
	}
	s := pick(subj, c.Subject, c.SubjectProvider)
	if s.vcpus > 0 && len(subj) == 0 {
		// Let the baseline suggestion match the suggested subject's size.
		sizes = append(sizes, s.vcpus)
	}
	return s, pick(base, c.Baseline, c.BaselineProvider)
}

// pricePair is the price note's pair, or nil without both prices.
func pricePair(s, b candidate, perVCPU bool) *PricePair {
	if s.price == nil || b.price == nil {
		return nil
	}
	return &PricePair{Subject: s, Baseline: b, PerVCPU: perVCPU}
}
