package schema

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Instance type names. The providers' naming schemes do not overlap, so
// the shape of a name tells its provider:
//
//	AWS    family.size             c8g.xlarge, p6-b200.48xlarge, m7i.metal-24xl
//	GCP    family-class-size       c4a-standard-4, n2-custom-4-8192
//	       family-size (shared)    e2-medium, f1-micro, g1-small
//	Azure  Standard_<SERIES><vCPUs>[-<active>]<features>[_...][_v<N>]
//	                               Standard_D4ps_v6 (family Dpsv6, Azure's series name)
//
// Every AWS and GCP name in the providers' own instance lists has one of
// these shapes (tested on the catalog).
var (
	awsName       = regexp.MustCompile(`^([a-z][a-z0-9-]*)\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(?:-[0-9]+xl)?)$`)
	gcpName       = regexp.MustCompile(`^([a-z][a-z0-9]*)-([a-z0-9]+)-([0-9][a-z0-9-]*)$`)
	gcpSharedName = regexp.MustCompile(`^([a-z][a-z0-9]*)-(micro|small|medium)$`)
)

// Providers, as the cloud configuration line and the price catalog name
// them.
const (
	AWS   = "aws"
	GCP   = "gcp"
	Azure = "azure"
)

// GCPSharedClass is the class of GCP's shared-core machine types
// (e2-medium), whose names have no class word.
const GCPSharedClass = "shared-core"

// An InstanceName is an instance type split by its provider's scheme.
type InstanceName struct {
	Provider string // AWS, GCP, Azure, or "" when the name fits none
	// Family is the part before the first dot on AWS ("c8g", "p6-b200"),
	// before the first dash on GCP ("c4a"), Azure's series name on Azure
	// ("Dpsv6"), the whole name otherwise.
	Family string
	// Class is what the instance is balanced for: on AWS the letters that
	// start the family (c compute, m general, r memory, p, g, trn, inf
	// accelerated), on GCP the middle word (standard, highcpu, highmem, or
	// GCPSharedClass), on Azure the series letters (D, E, F, HB); ""
	// elsewhere.
	Class string
	// Size is "xlarge" for c8g.xlarge, "4" for c4a-standard-4, "medium"
	// for e2-medium, the vCPU count for Azure ("4" for Standard_D4ps_v6),
	// the whole name otherwise.
	Size string
}

// ParseInstance splits an instance type name. It never fails: a name of
// no known shape has no provider, and its family and size are the name.
func ParseInstance(name string) InstanceName {
	if m := awsName.FindStringSubmatch(name); m != nil {
		class := m[1]
		if i := strings.IndexAny(class, "0123456789"); i > 0 {
			class = class[:i]
		}
		return InstanceName{Provider: AWS, Family: m[1], Class: class, Size: m[2]}
	}
	if m := gcpName.FindStringSubmatch(name); m != nil {
		return InstanceName{Provider: GCP, Family: m[1], Class: m[2], Size: m[3]}
	}
	if m := gcpSharedName.FindStringSubmatch(name); m != nil {
		return InstanceName{Provider: GCP, Family: m[1], Class: GCPSharedClass, Size: m[2]}
	}
	in := InstanceName{Family: name, Size: name}
	if strings.HasPrefix(name, "Standard_") || strings.HasPrefix(name, "Basic_") {
		in.Provider = Azure
		if s, ok := ParseAzureSize(name); ok {
			in.Family, in.Class, in.Size = s.SeriesName(), s.Series, s.VCPUs
		}
	}
	return in
}

// azureSize matches the size word of an Azure VM size as Azure writes it,
// Standard_<SERIES><vCPUs>[-<active vCPUs>]<features>[_<token>...][_v<N>]
// (learn.microsoft.com, "Azure virtual machine sizes naming conventions"):
// Standard_D4ps_v6 is series D, 4 vCPUs, features "ps", version 6.
var (
	azureSize    = regexp.MustCompile(`^([A-Z]+)([0-9]+)(?:-([0-9]+))?([a-z]*)$`)
	azureVersion = regexp.MustCompile(`^v([0-9]+)$`)
)

// An AzureSize is an Azure VM size split by its naming convention.
type AzureSize struct {
	Series   string // D, E, FX, HB, ...
	VCPUs    string // "4" for Standard_D4ps_v6
	Features string // lower-case letters after the size: p Arm, a AMD, s premium storage, d local disk, ...
	Version  string // "6" for _v6; "" for the first version
}

// ParseAzureSize splits an Azure size name; ok is false for names of
// another shape (Basic_A0). Azure's own series name is Series + the
// features and version (Standard_D4ps_v6 is in the Dpsv6 series).
func ParseAzureSize(name string) (s AzureSize, ok bool) {
	rest, ok := strings.CutPrefix(strings.TrimSuffix(name, "_Promo"), "Standard_")
	if !ok {
		return AzureSize{}, false
	}
	tokens := strings.Split(rest, "_")
	m := azureSize.FindStringSubmatch(tokens[0])
	if m == nil {
		return AzureSize{}, false
	}
	s = AzureSize{Series: m[1], VCPUs: m[2], Features: m[4]}
	if v := azureVersion.FindStringSubmatch(tokens[len(tokens)-1]); len(tokens) > 1 && v != nil {
		s.Version = v[1]
	}
	return s, true
}

// SeriesName is Azure's name for the size's series: Dpsv6, HBrsv3, Fasv6.
func (s AzureSize) SeriesName() string {
	if s.Version == "" {
		return s.Series + s.Features
	}
	return s.Series + s.Features + "v" + s.Version
}

// Provider names the cloud of an instance type from its shape: AWS, GCP,
// Azure, or "" when the name fits none.
func Provider(instance string) string { return ParseInstance(instance).Provider }

// Family returns the instance family (see InstanceName.Family).
func Family(instance string) string { return ParseInstance(instance).Family }

// MaxNameLen is the longest instance or region name CheckName accepts.
const MaxNameLen = 128

// CheckName checks an instance type or region name as a user gives it
// (a flag, an environment variable, NAME=FILE on the report's command
// line, a catalog row): one word of letters, digits, '.', '-' and '_'.
// benchstat's -col instance groups by the exact value, so "c7g.xlarge "
// and "c7g.xlarge" must not both be possible, and a name must never be
// able to end a configuration line or start a benchmark line. A name is
// at most MaxNameLen bytes: the longest real ones (Azure's
// Standard_ND128isr_NDR_GB200_v6) are about 30, and an unbounded one made
// `run` write lines longer than `report` reads.
func CheckName(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("%.20q...: %d bytes; want at most %d", name, len(name), MaxNameLen)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return fmt.Errorf("%q: want letters, digits, '.', '-' and '_' only", name)
		}
	}
	return nil
}
