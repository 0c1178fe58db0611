package kernels

import (
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

func TestSelfCheck(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		if err := SelfCheck(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestSelfCheckCatchesBadTile plants a wrong register tile and checks that
// SelfCheck names it: this is what stands between a miscompiled SIMD
// kernel and a published number.
func TestSelfCheckCatchesBadTile(t *testing.T) {
	saved := impl
	defer func() { impl = saved }()
	bad := portable
	bad.name = "broken"
	g := *portable.gemm
	g.tile = func(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
		tilePortable1x8(kc, a, b, c, ldc, alpha, beta)
		c[3] += 1e-3 // one lane off
	}
	bad.gemm = &g
	impl = bad
	err := SelfCheck()
	if err == nil || !strings.HasPrefix(err.Error(), "kernels: broken Sgemm NN m=7 n=33 k=65") {
		t.Fatalf("SelfCheck() = %v, want an Sgemm error", err)
	}
}

// TestNoFeaturesNoSIMD checks that a CPU without the features never gets a
// SIMD tier: dispatch depends only on the features it is given.
func TestNoFeaturesNoSIMD(t *testing.T) {
	if ts := simdTiers(&cpuid.CPUInfo{}); len(ts) != 0 {
		t.Errorf("simdTiers(no features) = %d tiers, want none", len(ts))
	}
	if tiers[0].name != "portable" {
		t.Errorf("first tier %q, want portable", tiers[0].name)
	}
}
