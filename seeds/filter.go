package seeds

import (
	"strconv"
	"strings"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
)

// A PriceFilter selects prices; each empty field matches every price.
type PriceFilter struct {
	Provider  string // aws, gcp, azure
	Family    string // exact instance family: c4 is not c4a
	PriceType string // OnDemand, Spot, ...
	Region    string
}

func (f PriceFilter) match(p Price) bool {
	// The family, a regular expression's work, last.
	return (f.Provider == "" || p.Provider == f.Provider) &&
		(f.PriceType == "" || p.PriceType == f.PriceType) &&
		(f.Region == "" || p.Region == f.Region) &&
		(f.Family == "" || familyIs(p, f.Family))
}

func familyIs(p Price, family string) bool {
	if p.Provider == schema.Azure {
		return p.Instance == family || schema.Family(p.Instance) == family
	}
	return strings.HasPrefix(p.Instance, family) && schema.Family(p.Instance) == family
}

// FilterPrices returns the prices f selects, in catalog order.
func (c *Catalog) FilterPrices(f PriceFilter) []Price {
	var out []Price
	for _, p := range c.Prices {
		if f.match(p) {
			out = append(out, p)
		}
	}
	return out
}

// PriceTypes lists the price types the catalog has, in the order they
// first appear, so that a listing of them reads like the file.
func (c *Catalog) PriceTypes() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range c.Prices {
		if !seen[p.PriceType] {
			seen[p.PriceType] = true
			out = append(out, p.PriceType)
		}
	}
	return out
}

// A ClaimFilter selects claims by what either side of them names; each
// empty field matches every claim.
type ClaimFilter struct {
	// Provider selects claims naming an instance of that cloud: an
	// instance type by the shape of its name, a bare family (c8g, which
	// has no shape of its own) by the provider that prices it.
	Provider string
	// Family selects claims naming the exact family or an instance type
	// of it: c8g selects claims on c8g and on c8g.24xlarge, c4 none on
	// c4a. An instance type given here selects the claims naming it.
	Family string
}

// FilterClaims returns the claims f selects, in catalog order.
func (c *Catalog) FilterClaims(f ClaimFilter) []Claim {
	var pricedBy map[string]map[string]int // family -> provider -> instance types priced
	if f.Provider != "" {
		pricedBy = map[string]map[string]int{}
		seen := map[[2]string]bool{}
		for _, p := range c.Prices {
			if k := [2]string{p.Provider, p.Instance}; !seen[k] {
				seen[k] = true
				fam := schema.Family(p.Instance)
				if pricedBy[fam] == nil {
					pricedBy[fam] = map[string]int{}
				}
				pricedBy[fam][p.Provider]++
			}
		}
	}
	var out []Claim
	for _, cl := range c.Claims {
		if (f.Family == "" || cl.names(func(n string) bool { return n == f.Family || schema.Family(n) == f.Family })) &&
			(f.Provider == "" || contains(cl.providers(pricedBy), f.Provider)) {
			out = append(out, cl)
		}
	}
	return out
}

// providers lists the clouds a claim is about: those of the names that
// belong to one cloud only (an instance type by its shape, a family priced
// by one provider). A bare family priced on two clouds (c4 is an AWS and a
// GCP family) goes with the claim's other names: V15 (c4a against c3 n2
// c4) is GCP's. Where every name is on two clouds (V16: c4 against c3),
// each goes with the cloud that prices more types of it.
func (c Claim) providers(pricedBy map[string]map[string]int) []string {
	var sure, most []string
	for _, side := range [][]string{c.Subject, c.Baseline} {
		for _, n := range side {
			if p := schema.Provider(n); p != "" {
				if !contains(sure, p) {
					sure = append(sure, p)
				}
				continue
			}
			best, bestN := "", 0
			for p, k := range pricedBy[n] {
				if k > bestN || k == bestN && p < best {
					best, bestN = p, k
				}
			}
			if len(pricedBy[n]) == 1 && !contains(sure, best) {
				sure = append(sure, best)
			}
			if best != "" && !contains(most, best) {
				most = append(most, best)
			}
		}
	}
	if len(sure) > 0 {
		return sure
	}
	return most
}

// names reports whether match holds for one of the names on either side
// of the claim.
func (c Claim) names(match func(name string) bool) bool {
	for _, side := range [][]string{c.Subject, c.Baseline} {
		for _, n := range side {
			if match(n) {
				return true
			}
		}
	}
	return false
}

// PriceColumns returns the columns of prices.csv in the order Price.Record
// writes them.
func PriceColumns() []string { return columnNames(priceColumns) }

// Record returns p as a prices.csv row in PriceColumns order, in the form
// ParsePrices reads back to p.
func (p Price) Record() []string {
	return record(priceColumns, func(name string) string {
		switch name {
		case "provider":
			return p.Provider
		case "region":
			return p.Region
		case "instance":
			return p.Instance
		case "vcpus":
			return strconv.Itoa(p.VCPUs)
		case "physical_cores":
			return strconv.Itoa(p.Cores)
		case "memory_gib":
			if p.MemoryGiB == 0 {
				return "" // unknown
			}
			return formatFloat(p.MemoryGiB)
		case "arch":
			return p.Arch
		case "cpu":
			return p.CPU
		case "price_usd_hour":
			return formatFloat(p.PricePerHour)
		case "price_type":
			return p.PriceType
		case "source":
			return p.Source
		case "source_date":
			return p.SourceDate.Format(time.DateOnly)
		}
		panic("seeds: Price.Record: no field for column " + name)
	})
}

// ClaimColumns returns the columns of claims.csv in the order
// Claim.Record writes them.
func ClaimColumns() []string { return columnNames(claimColumns) }

// Record returns c as a claims.csv row in ClaimColumns order, in the form
// ParseClaims reads back to c.
func (c Claim) Record() []string {
	return record(claimColumns, func(name string) string {
		switch name {
		case "id":
			return c.ID
		case "stated_by":
			return c.StatedBy
		case "subject":
			return strings.Join(c.Subject, " ")
		case "baseline":
			return strings.Join(c.Baseline, " ")
		case "metric":
			return c.Metric
		case "claimed_ratio":
			if c.ClaimedRatio == 0 {
				return "" // a Better claim stating no ratio
			}
			return formatFloat(c.ClaimedRatio)
		case "bound":
			return c.Bound
		case "workload":
			return c.Workload
		case "wording":
			return c.Wording
		case "source":
			return c.Source
		case "date":
			return c.Date
		case "testable_by":
			return c.TestableBy
		case "provider":
			if c.SubjectProvider == c.BaselineProvider {
				return c.SubjectProvider
			}
			return c.SubjectProvider + " " + c.BaselineProvider
		case "notes":
			return c.Notes
		}
		panic("seeds: Claim.Record: no field for column " + name)
	})
}

// record lays out one row by the column list, so that the order of the
// columns is written down once, in the list the parser checks headers
// against.
func record(cols []column, field func(name string) string) []string {
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = field(c.name)
	}
	return rec
}

func columnNames(cols []column) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names
}

// formatFloat writes the shortest decimal that parses back to v.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
