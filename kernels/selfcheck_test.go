package kernels

import (
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

func TestSelfCheck(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		if err := SelfCheck(ti); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSelfCheckCatchesBadTile plants a wrong register tile and checks that
// SelfCheck names it: this is what stands between a miscompiled SIMD
// kernel and a published number.
func TestSelfCheckCatchesBadTile(t *testing.T) {
	bad := portable
	bad.name = "broken"
	g := *portable.gemm
	g.tile = func(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
		tilePortable1x8(kc, a, b, c, ldc, alpha, beta)
		c[3] += 1e-3 // one lane off
	}
	bad.gemm = &g
	err := SelfCheck(Tier{&bad})
	if err == nil || !strings.HasPrefix(err.Error(), "kernels: broken Sgemm NN m=7 n=33 k=65") {
		t.Fatalf("SelfCheck(broken) = %v, want an Sgemm error", err)
	}
	if !strings.Contains(err.Error(), "portable gives") {
		t.Errorf("SelfCheck(broken) = %v, want the portable value beside", err)
	}
}

// TestNoFeaturesNoSIMD checks that a CPU without the features never gets a
// SIMD tier: dispatch depends only on the features it is given.
func TestNoFeaturesNoSIMD(t *testing.T) {
	if ts := simdTiers(&cpuid.CPUInfo{}); len(ts) != 0 {
		t.Errorf("simdTiers(no features) = %d tiers, want none", len(ts))
	}
	if ts := available(&cpuid.CPUInfo{}); len(ts) != 1 || ts[0] != &portable {
		t.Errorf("available(no features) = %d tiers, want the portable one alone", len(ts))
	}
}

func TestSelfCheckQ8(t *testing.T) {
	for _, tier := range Q8Tiers() {
		if err := SelfCheckQ8(tier); err != nil {
			t.Error(err)
		}
	}
}
