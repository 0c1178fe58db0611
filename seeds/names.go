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
// instance type or an exact family (schema.Family: an Azure size's family
// is its series, Standard_D4ps_v6 is in Dpsv6). There is no prefix
// matching: c4 does not match c4a-standard-4.
func Matches(instance string, names []string) bool {
	fam := schema.Family(instance)
	for _, n := range names {
		if n == instance || n == fam {
			return true
		}
	}
	return false
}
