package seeds

import (
	"regexp"
	"strings"
)

// Instance type names, as DESIGN.md fixes them:
//
//	AWS    family.size           c8g.xlarge, p6-b200.48xlarge (family c8g, p6-b200)
//	GCP    family-class-size     c4a-standard-4 (family c4a, class standard, size 4)
//	Azure  Standard_...          compared as exact types only

var gcpName = regexp.MustCompile(`^([a-z][a-z0-9]*)-([a-z0-9]+)-([0-9]+[a-z0-9-]*)$`)

// Provider infers the cloud from the shape of an instance type name: aws,
// gcp, azure, or "" when the name fits none.
func Provider(instance string) string {
	switch {
	case strings.HasPrefix(instance, "Standard_"):
		return "azure"
	case strings.Contains(instance, "."):
		return "aws"
	case gcpName.MatchString(instance):
		return "gcp"
	}
	return ""
}

// DefaultRegion is the region whose prices are used when a result does not
// name one: us-east-1 for AWS, us-central1 for GCP, eastus for Azure.
func DefaultRegion(provider string) string {
	switch provider {
	case "aws":
		return "us-east-1"
	case "gcp":
		return "us-central1"
	case "azure":
		return "eastus"
	}
	return ""
}

// Family returns the instance family: the part before the first dot on
// AWS, the part before the first dash on GCP, and the whole name otherwise.
func Family(instance string) string {
	if f, _, ok := splitName(instance); ok {
		return f
	}
	return instance
}

// Size returns the size part of an instance type: "xlarge" for c8g.xlarge,
// "4" for c4a-standard-4, the whole name otherwise.
func Size(instance string) string {
	if _, s, ok := splitName(instance); ok {
		return s
	}
	return instance
}

// splitName splits an AWS or GCP instance type into family and size; ok
// is false for other names.
func splitName(instance string) (family, size string, ok bool) {
	switch Provider(instance) {
	case "aws":
		family, size, _ = strings.Cut(instance, ".")
		return family, size, true
	case "gcp":
		m := gcpName.FindStringSubmatch(instance)
		return m[1], m[3], true
	}
	return "", "", false
}

// Class returns what an instance is balanced for: on AWS the letters that
// start the family (c compute, m general, r memory, p, g, trn, inf
// accelerated), on GCP the middle word (standard, highcpu, highmem).
// Claims pair instances of the same class and size first.
func Class(instance string) string {
	switch Provider(instance) {
	case "aws":
		f := Family(instance)
		i := strings.IndexFunc(f, func(r rune) bool { return r >= '0' && r <= '9' })
		if i > 0 {
			return f[:i]
		}
		return f
	case "gcp":
		return gcpName.FindStringSubmatch(instance)[2]
	}
	return ""
}

// Matches reports whether instance is named by one of names, each an exact
// instance type or an exact family. There is no prefix matching: c4 does
// not match c4a-standard-4.
func Matches(instance string, names []string) bool {
	fam := Family(instance)
	for _, n := range names {
		if n == instance || n == fam {
			return true
		}
	}
	return false
}
