//go:build gc && !purego && !noasm

package kernels

import (
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestAMD64Q8Tiers checks which Q8_0 tiers each feature set unlocks:
// VPDPBUSD never without AVX512-VNNI and the AVX-512 base, the tiles never
// without the OS's grant (q8TableFor(false)) nor without AMX-INT8.
func TestAMD64Q8Tiers(t *testing.T) {
	avx2 := []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3}
	avx512 := append(slices.Clone(avx2), cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ)
	vnni := append(slices.Clone(avx512), cpuid.AVX512VNNI)
	amx := append(slices.Clone(vnni), cpuid.AMXTILE, cpuid.AMXINT8)
	checkQ8TierCases(t, q8TableFor(false), []tierCase{
		{"none", nil, []string{"portable"}},
		{"avx2 without fma", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2}, []string{"portable"}},
		{"avx2", avx2, []string{"portable", "avx2"}},
		{"avx512", avx512, []string{"portable", "avx2"}},
		{"avx512+vnni", vnni, []string{"portable", "avx2", "avx512vnni"}},
		{"amx, not granted", amx, []string{"portable", "avx2", "avx512vnni"}},
	})
	checkQ8TierCases(t, q8TableFor(true), []tierCase{
		{"amx", amx, []string{"portable", "avx2", "avx512vnni", "amx"}},
		{"amx-tile without amx-int8", append(slices.Clone(vnni), cpuid.AMXTILE), []string{"portable", "avx2", "avx512vnni"}},
		{"vnni without avx2", []cpuid.FeatureID{cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW,
			cpuid.AVX512DQ, cpuid.AVX512VNNI}, []string{"portable"}},
	})
}
