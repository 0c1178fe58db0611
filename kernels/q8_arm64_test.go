//go:build gc && !purego && !noasm

package kernels

import (
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestARM64Q8Tiers checks that SDOT runs only with the dot-product
// extension.
func TestARM64Q8Tiers(t *testing.T) {
	checkQ8TierCases(t, q8Table, []tierCase{
		{"none", nil, []string{"portable"}},
		{"asimd", []cpuid.FeatureID{cpuid.ASIMD}, []string{"portable"}},
		{"asimd+asimddp", []cpuid.FeatureID{cpuid.ASIMD, cpuid.ASIMDDP}, []string{"portable", "dotprod"}},
	})
}
