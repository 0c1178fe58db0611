package seeds

import "github.com/ppbench/ppbench/internal/schema"

// Instance type names follow one rule, schema.ParseInstance (see
// docs/design.md), shared with the host probe that writes the instance
// line of a results file; a second rule here would let the catalog and
// the results disagree on what family or provider an instance is.

// DefaultRegion is the region whose prices are used when a result does not
// name one: us-east-1 for AWS, us-central1 for GCP, eastus for Azure.
func DefaultRegion(provider string) string {
	switch provider {
	case schema.AWS:
		return "us-east-1"
	case schema.GCP:
		return "us-central1"
	case schema.Azure:
		return "eastus"
	}
	return ""
}

// Matches reports whether instance is named by one of names, each an exact
// instance type or an exact family. There is no prefix matching: c4 does
// not match c4a-standard-4. An Azure size is also matched by its series
// as Azure names it (Standard_D4ps_v6 by Dpsv6, see Family).
func Matches(instance string, names []string) bool {
	fam, series := schema.Family(instance), azureSeries(instance)
	for _, n := range names {
		if n == instance || n == fam || series != "" && n == series {
			return true
		}
	}
	return false
}

// Family is the instance family the catalog filters by: schema.Family,
// except that an Azure size belongs to its series as Azure names it
// (Standard_D4ps_v6 is in Dpsv6, Standard_E8-4ds_v5 in Edsv5), since
// schema compares Azure types only whole.
func Family(instance string) string {
	if s := azureSeries(instance); s != "" {
		return s
	}
	return schema.Family(instance)
}

func azureSeries(instance string) string {
	if schema.Provider(instance) != schema.Azure {
		return ""
	}
	if s, ok := ParseAzureSize(instance); ok {
		return s.SeriesName()
	}
	return ""
}
