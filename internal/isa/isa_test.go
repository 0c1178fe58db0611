package isa

import (
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestTables checks that each name, flag and cpuid identifier means one
// feature: a duplicate would make lookup or a /proc/cpuinfo match pick the
// wrong entry.
func TestTables(t *testing.T) {
	names := map[string]bool{}
	for _, table := range [][]Feature{X86, ARM64} {
		flags := map[string]bool{}
		ids := map[cpuid.FeatureID]string{}
		for _, f := range table {
			if f.Name == "" || f.Flag == "" {
				t.Errorf("%+v: empty name or flag", f)
			}
			if names[f.Name] {
				t.Errorf("name %q listed twice", f.Name)
			}
			names[f.Name] = true
			if flags[f.Flag] {
				t.Errorf("flag %q listed twice", f.Flag)
			}
			flags[f.Flag] = true
			if f.ID == NoID {
				continue
			}
			if other, ok := ids[f.ID]; ok {
				t.Errorf("%s and %s share cpuid's %v", other, f.Name, f.ID)
			}
			ids[f.ID] = f.Name
		}
	}
}

// TestSetsDetectable checks that every set names features of one table,
// and that cpuid detects each of them: a kernel tier whose set held a
// feature cpuid cannot see would never be chosen.
func TestSetsDetectable(t *testing.T) {
	for _, tc := range []struct {
		table []Feature
		sets  []Set
	}{
		{X86, []Set{AVX2, AVX512, AVX512VNNI, AVXVNNI, AVX512BF16, AMXInt8, AMXBF16}},
		{ARM64, []Set{NEON, DOTPROD, I8MM, BF16, SVE, SVE2}},
	} {
		for _, s := range tc.sets {
			if s.Name == "" || len(s.Needs) == 0 {
				t.Errorf("%+v: empty name or no features", s)
			}
			for _, n := range s.Needs {
				i := slices.IndexFunc(tc.table, func(f Feature) bool { return f.Name == n })
				if i < 0 {
					t.Errorf("%s needs %q, which its table does not list", s.Name, n)
					continue
				}
				if tc.table[i].ID == NoID {
					t.Errorf("%s needs %q, which cpuid cannot detect", s.Name, n)
				}
			}
		}
	}
}

// TestSets pins down the sets themselves: they are the contract between
// the kernels' dispatch and what a results file calls "avx512".
func TestSets(t *testing.T) {
	for _, tc := range []struct {
		s    Set
		name string
		want []string
	}{
		{AVX2, "avx2", []string{"avx2", "fma"}},
		{AVX512, "avx512", []string{"avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq"}},
		{NEON, "neon", []string{"asimd"}},
	} {
		if tc.s.Name != tc.name || !slices.Equal(tc.s.Needs, tc.want) {
			t.Errorf("%s = %+v, want needs %v", tc.name, tc.s, tc.want)
		}
	}
}

// TestPlusCopies checks that sets built from one base do not share its
// backing array, where one append would overwrite another's feature.
func TestPlusCopies(t *testing.T) {
	base := Set{Name: "base", Needs: make([]string, 1, 8)}
	base.Needs[0] = "avx2"
	a, b := base.Plus("a", "fma"), base.Plus("b", "avx512f")
	if a.Needs[1] != "fma" || b.Needs[1] != "avx512f" || len(base.Needs) != 1 {
		t.Errorf("Plus shares storage: base %v, a %v, b %v", base.Needs, a.Needs, b.Needs)
	}
}

func TestSetMissing(t *testing.T) {
	var c cpuid.CPUInfo
	c.Enable(cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F)
	if m := AVX512.Missing(&c); !slices.Equal(m, []string{"avx512vl", "avx512bw", "avx512dq"}) {
		t.Errorf("AVX512 missing %v on AVX-512F alone", m)
	}
	if !AVX2.On(&c) || AVX512.On(&c) {
		t.Errorf("AVX2.On = %v, AVX512.On = %v, want true, false", AVX2.On(&c), AVX512.On(&c))
	}
	// Features cpuid cannot detect, or that no table lists, are missing
	// rather than a panic or a guess.
	for _, s := range []Set{{"sme", []string{"sme"}}, {"nonsense", []string{"avx1024"}}} {
		if m := s.Missing(&c); !slices.Equal(m, s.Needs) {
			t.Errorf("%s: missing %v, want %v", s.Name, m, s.Needs)
		}
	}
	if m := AVX2.Missing(&c); m != nil {
		t.Errorf("AVX2 missing %v", m)
	}
}

func TestWidestX86(t *testing.T) {
	for _, tc := range []struct {
		have []string
		sse2 bool
		want string
	}{
		{nil, false, "none"},
		{nil, true, "sse2"},
		{[]string{"avx", "avx2"}, true, "sse2"}, // AVX2 without FMA (VIA)
		{[]string{"avx", "avx2", "fma"}, true, "avx2"},
		// AVX-512 Foundation alone (Knights Landing) is no avx512 tier.
		{[]string{"avx2", "fma", "avx512f"}, true, "avx2"},
		{[]string{"avx2", "fma", "avx512f", "avx512vl", "avx512bw"}, true, "avx2"},
		{[]string{"avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512vnni"}, true, "avx512"},
	} {
		if got := WidestX86(tc.have, tc.sse2); got != tc.want {
			t.Errorf("WidestX86(%v, %v) = %q, want %q", tc.have, tc.sse2, got, tc.want)
		}
	}
}

func TestWidestARM64(t *testing.T) {
	for _, tc := range []struct {
		have []string
		want string
	}{
		{nil, "none"},
		{[]string{"asimd", "asimddp"}, "neon"},
		{[]string{"asimd", "sve", "svebf16"}, "sve"},
		{[]string{"asimd", "sve", "sve2"}, "sve2"},
	} {
		if got := WidestARM64(tc.have); got != tc.want {
			t.Errorf("WidestARM64(%v) = %q, want %q", tc.have, got, tc.want)
		}
	}
}

func TestWidened(t *testing.T) {
	w := Widened(AVX512)
	if w.Name != "fp32-avx512" || !slices.Equal(w.Needs, AVX512.Needs) {
		t.Errorf("Widened(AVX512) = %+v", w)
	}
	if fp32, ok := WidenedFrom(w.Name); !ok || fp32 != AVX512.Name {
		t.Errorf("WidenedFrom(%s) = %q, %v", w.Name, fp32, ok)
	}
	if _, ok := WidenedFrom(AVX512BF16.Name); ok {
		t.Errorf("avx512bf16 read as a widened tier")
	}
}

// TestAMXSets checks that the AMX tiers need the AVX-512 tiers whose
// packing code they run, and the tile features themselves.
func TestAMXSets(t *testing.T) {
	for _, tc := range []struct {
		amx, base Set
		more      []string
	}{
		{AMXInt8, AVX512VNNI, []string{"amxtile", "amxint8"}},
		{AMXBF16, AVX512BF16, []string{"amxtile", "amxbf16"}},
	} {
		if tc.amx.Name != "amx" {
			t.Errorf("%v: name %q, want amx", tc.amx.Needs, tc.amx.Name)
		}
		for _, n := range append(slices.Clone(tc.base.Needs), tc.more...) {
			if !slices.Contains(tc.amx.Needs, n) {
				t.Errorf("amx over %s does not need %s", tc.base.Name, n)
			}
		}
		if tc.amx.In(tc.base.Needs) {
			t.Errorf("%s's features alone unlock amx", tc.base.Name)
		}
	}
}
