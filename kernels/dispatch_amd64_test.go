//go:build !purego && !noasm

package kernels

import "testing"

// TestAMD64Tiers checks which tiers each feature set unlocks: AVX-512 code
// must never run on a CPU that has only AVX2, nor AVX2 code without FMA.
func TestAMD64Tiers(t *testing.T) {
	for _, tc := range []struct {
		f    features
		want []string
	}{
		{features{}, nil},
		{features{avx2: true}, []string{"avx2"}},
		{features{avx2: true, avx512: true}, []string{"avx2", "avx512"}},
	} {
		var got []string
		for _, ti := range simdTiers(tc.f) {
			got = append(got, ti.name)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[len(got)-1] != tc.want[len(tc.want)-1]) {
			t.Errorf("simdTiers(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
}
