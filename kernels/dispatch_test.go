package kernels

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestLookupTier checks, on every host, the names a caller may pass: ""
// for the default, each tier's own name, and a name the CPU lacks, whose
// error must list what it has.
func TestLookupTier(t *testing.T) {
	ts := Tiers()
	if ts[0] != Portable() || ts[0].Name() != "portable" {
		t.Errorf("Tiers()[0] = %s, want portable", ts[0].Name())
	}
	if Widest() != ts[len(ts)-1] {
		t.Errorf("Widest() = %s, want the last of Tiers(), %s", Widest().Name(), ts[len(ts)-1].Name())
	}
	if ti, err := LookupTier(""); err != nil || ti != Widest() {
		t.Errorf(`LookupTier("") = %v, %v; want Widest(), %s`, ti.t, err, Widest().Name())
	}
	var names []string
	for _, want := range ts {
		names = append(names, want.Name())
		if ti, err := LookupTier(want.Name()); err != nil || ti != want {
			t.Errorf("LookupTier(%q) = %v, %v; want that tier", want.Name(), ti.t, err)
		}
	}
	wantErr := fmt.Sprintf(`tier "avx1024" is not available on this CPU (have %s)`, strings.Join(names, ", "))
	ti, err := LookupTier("avx1024")
	if err == nil || err.Error() != wantErr {
		t.Errorf("LookupTier(avx1024) error = %v, want %s", err, wantErr)
	}
	if ti != (Tier{}) {
		t.Errorf("LookupTier(avx1024) returned tier %s with its error", ti.Name())
	}
	// A tier this CPU or this build lacks is refused, not replaced by
	// another: a benchmark asked for avx512 must not time avx2.
	for _, name := range []string{"avx2", "avx512", "neon", "Portable"} {
		if slices.Contains(names, name) {
			continue
		}
		if _, err := LookupTier(name); err == nil {
			t.Errorf("LookupTier(%q) succeeded; this CPU has %v", name, names)
		}
	}
	// The tiers skipped here are exactly those of the build that Tiers
	// lacks.
	skipped := 0
	for _, s := range simdTable {
		if !slices.Contains(names, s.needs.Name) {
			skipped++
		}
	}
	if msgs := skippedTiers(&cpuid.CPU); len(simdTable) > 0 && len(msgs) != skipped {
		t.Errorf("skippedTiers = %q, but Tiers has %v of the build's %d SIMD tiers", msgs, names, len(simdTable))
	}
	// The slice is the caller's to change.
	ts[0] = Tier{}
	if Tiers()[0] != Portable() {
		t.Errorf("changing the result of Tiers() changed the tiers")
	}
}

// TestZeroTier checks that every method of the zero Tier panics with a
// message that says where a real tier comes from, rather than with a nil
// dereference somewhere inside a kernel.
func TestZeroTier(t *testing.T) {
	var z Tier
	x := make([]float32, 4)
	for name, f := range map[string]func(){
		"Name":         func() { z.Name() },
		"Sgemm":        func() { z.Sgemm(NoTrans, NoTrans, 2, 2, 1, 1, x, 1, x, 2, 0, x, 2, 1) },
		"Attention":    func() { z.Attention(x, x, x, x, 1, 2, 2, false, 1) },
		"Triad":        func() { z.Triad(nil, nil, nil, 1, 1) },
		"FMAPeak":      func() { z.FMAPeak(1) },
		"FMAPeakFLOPs": func() { z.FMAPeakFLOPs(1) },
		"SelfCheck":    func() { _ = SelfCheck(z) },
	} {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "kernels: ") || !strings.Contains(msg, "Tiers, Widest or LookupTier") {
					t.Errorf("%s on the zero Tier: panic %q, want a kernels: message naming Tiers, Widest or LookupTier", name, msg)
				}
			}()
			f()
		}()
	}
}

// TestTiersComplete checks that no tier leaves a kernel unset. Its -v
// output names the tiers tested here and, from forEachTier, those skipped.
func TestTiersComplete(t *testing.T) {
	var names []string
	for _, ti := range Tiers() {
		names = append(names, ti.Name())
	}
	t.Logf("testing tiers %s", strings.Join(names, ", "))
	forEachTier(t, func(t *testing.T, ti Tier) {
		if ti.t.gemm == nil || ti.t.rowMax == nil || ti.t.expSubSum == nil || ti.t.scaleRow == nil ||
			ti.t.triad == nil || ti.t.fmaLoop == nil || ti.t.fmaFlopsPerIter <= 0 {
			t.Errorf("tier %s leaves a kernel unset", ti.Name())
		}
	})
}
