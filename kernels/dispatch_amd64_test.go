//go:build gc && !purego && !noasm

package kernels

import (
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestAMD64Tiers checks exactly which tiers each feature combination
// unlocks: AVX-512 code must never run on a CPU that has only AVX2, nor on
// one with AVX-512 Foundation but not VL, BW and DQ, nor AVX2 code without
// FMA.
func TestAMD64Tiers(t *testing.T) {
	for _, tc := range []struct {
		name string
		ids  []cpuid.FeatureID
		want []string
	}{
		{"none", nil, nil},
		{"sse2", []cpuid.FeatureID{cpuid.SSE2, cpuid.AVX}, nil},
		{"avx2 without fma", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2}, nil},
		{"avx2", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3}, []string{"avx2"}},
		{"avx2+avx512", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3,
			cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ}, []string{"avx2", "avx512"}},
		{"avx512f alone", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F, cpuid.AVX512CD}, []string{"avx2"}},
		{"avx512 without dq", []cpuid.FeatureID{cpuid.AVX, cpuid.AVX2, cpuid.FMA3,
			cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW}, []string{"avx2"}},
		// No such CPU exists, but the avx512 set holds avx2's, so a
		// masked-off AVX2 (a hypervisor's doing) disables both.
		{"avx512 without avx2", []cpuid.FeatureID{cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ}, nil},
	} {
		var c cpuid.CPUInfo
		c.Enable(tc.ids...)
		var got []string
		for _, ti := range simdTiers(&c) {
			got = append(got, ti.name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: simdTiers = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSkippedTiersAMD64 checks what forEachTier logs on a CPU with AVX2
// alone: the tier it cannot test, and why.
func TestSkippedTiersAMD64(t *testing.T) {
	var c cpuid.CPUInfo
	c.Enable(cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F)
	want := []string{"skipped avx512: not supported by this CPU (lacks avx512vl, avx512bw, avx512dq)"}
	if got := skippedTiers(&c); !slices.Equal(got, want) {
		t.Errorf("skippedTiers(AVX-512F alone) = %q, want %q", got, want)
	}
}
