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
	return (f.Provider == "" || p.Provider == f.Provider) &&
		(f.Family == "" || schema.Family(p.Instance) == f.Family) &&
		(f.PriceType == "" || p.PriceType == f.PriceType) &&
		(f.Region == "" || p.Region == f.Region)
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
	var priced map[string]bool // families the provider prices
	if f.Provider != "" {
		priced = map[string]bool{}
		for _, p := range c.Prices {
			if p.Provider == f.Provider {
				priced[schema.Family(p.Instance)] = true
			}
		}
	}
	var out []Claim
	for _, cl := range c.Claims {
		if (f.Family == "" || cl.names(func(n string) bool { return n == f.Family || schema.Family(n) == f.Family })) &&
			(f.Provider == "" || cl.names(func(n string) bool { return schema.Provider(n) == f.Provider || priced[n] })) {
			out = append(out, cl)
		}
	}
	return out
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
