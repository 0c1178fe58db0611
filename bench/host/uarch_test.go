package host

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestX86Uarch looks up made-up CPUs at the edges of x86Uarches' ranges,
// where a wrong bound or a wrong order of overlapping ranges shows.
func TestX86Uarch(t *testing.T) {
	tests := []struct {
		vendor                  string
		family, model, stepping int
		want                    string
	}{
		{"AMD", 0x17, 0x01, 2, "zen1"},  // Naples
		{"AMD", 0x17, 0x08, 2, "zen1"},  // Pinnacle Ridge, Zen+
		{"AMD", 0x17, 0x31, 0, "zen2"},  // Rome
		{"AMD", 0x17, 0x4f, 0, "zen2"},  // last of the range
		{"AMD", 0x17, 0x50, 0, "zen1"},  // after a Zen 2 range, Zen 1 again
		{"AMD", 0x17, 0x8f, 0, ""},      // a hole in amd.c's table
		{"AMD", 0x19, 0x01, 1, "zen3"},  // Milan
		{"AMD", 0x19, 0x11, 1, "zen4"},  // Genoa, this guest's host
		{"AMD", 0x19, 0x1f, 15, "zen4"}, // last of Genoa's range
		{"AMD", 0x19, 0x21, 2, "zen3"},  // Vermeer
		{"AMD", 0x19, 0x61, 2, "zen4"},  // Raphael
		{"AMD", 0x19, 0x9f, 0, "zen4"},  // just below Bergamo
		{"AMD", 0x19, 0xa0, 1, "zen4c"}, // Bergamo, Siena
		{"AMD", 0x19, 0xaf, 0, "zen4c"},
		{"AMD", 0x19, 0xb0, 0, ""},
		{"AMD", 0x1a, 0x02, 1, "zen5"},  // Turin
		{"AMD", 0x1a, 0x0f, 0, "zen5"},  // last before Turin Dense
		{"AMD", 0x1a, 0x11, 1, "zen5c"}, // Turin Dense
		{"AMD", 0x1a, 0x20, 0, "zen5"},  // after Turin Dense, Zen 5 again
		{"AMD", 0x1a, 0x44, 0, "zen5"},  // Granite Ridge
		{"AMD", 0x1a, 0x30, 0, ""},
		{"AMD", 0x1a, 0x50, 0, ""}, // Zen 6, not listed
		{"AMD", 0x18, 0x00, 1, ""}, // Hygon's family, under AMD's name
		{"Hygon", 0x18, 0x00, 1, ""},

		{"Intel", 6, 0x55, 4, "skylake-sp"},
		{"Intel", 6, 0x55, 6, ""}, // between Skylake-SP and Cascade Lake's named stepping
		{"Intel", 6, 0x55, 7, "cascadelake"},
		{"Intel", 6, 0x55, 11, "cooperlake"},
		{"Intel", 6, 0x6a, 6, "icelake-sp"},
		{"Intel", 6, 0x6c, 1, "icelake-d"},
		{"Intel", 6, 0x8f, 8, "sapphirerapids"},
		{"Intel", 6, 0xcf, 2, "emeraldrapids"},
		{"Intel", 6, 0xad, 1, "graniterapids"},
		{"Intel", 6, 0xae, 1, "graniterapids-d"},
		{"Intel", 6, 0xaf, 3, "sierraforest"},
		{"Intel", 19, 0x01, 0, "diamondrapids"},
		{"Intel", 6, 0x9e, 9, "kabylake"},
		{"Intel", 6, 0x9e, 10, "coffeelake"},
		{"Intel", 6, 0x8e, 12, "whiskeylake"},
		{"Intel", 6, 0x97, 2, "alderlake"},
		{"Intel", 6, 0xb7, 1, "raptorlake"},
		{"Intel", 6, 0x3f, 2, ""}, // Haswell-EP: older than the table
		{"Intel", 15, 0x6b, 1, ""},

		// The same numbers under the other vendor name nothing.
		{"Intel", 0x19, 0x11, 1, ""},
		{"AMD", 6, 0x8f, 8, ""},
		{"", 0x19, 0x11, 1, ""},
	}
	for _, tt := range tests {
		if got := x86Uarch(tt.vendor, tt.family, tt.model, tt.stepping); got != tt.want {
			t.Errorf("x86Uarch(%q, %#x, %#x, %d) = %q, want %q", tt.vendor, tt.family, tt.model, tt.stepping, got, tt.want)
		}
	}
}

// TestX86UarchesTable checks every range: bounds in order, steppings in
// their four bits, a name fit for a config value, and at least one CPU
// that the range names, so that no range is hidden behind earlier ones.
func TestX86UarchesTable(t *testing.T) {
	for i, r := range x86Uarches {
		if r.modelLo > r.modelHi || r.steppingLo > r.steppingHi || r.steppingLo < 0 || r.steppingHi > maxStepping {
			t.Errorf("x86Uarches[%d] %+v: bad bounds", i, r)
		}
		if r.vendor != "AMD" && r.vendor != "Intel" {
			t.Errorf("x86Uarches[%d] %+v: vendor not as cpuFacts has it", i, r)
		}
		if r.name == "" || r.name != strings.ToLower(r.name) || strings.ContainsAny(r.name, " \t:,") {
			t.Errorf("x86Uarches[%d] %+v: name unfit for a config value", i, r)
		}
		reachable := false
		for m := r.modelLo; m <= r.modelHi && !reachable; m++ {
			for s := r.steppingLo; s <= r.steppingHi && !reachable; s++ {
				reachable = x86Uarch(r.vendor, r.family, m, s) == r.name
			}
		}
		if !reachable {
			t.Errorf("x86Uarches[%d] %+v: shadowed by earlier ranges", i, r)
		}
	}
}

// TestUarchFixtures detects each fixture host: the x86 ones get their
// microarchitecture from cpuinfo's family and model, printed right after
// cpu-model, and the arm64 ones, whose cpu-model is the core, no line.
// kvm-genoa is a KVM guest whose brand string is just "AMD EPYC", as on
// the machines this repository's numbers come from.
func TestUarchFixtures(t *testing.T) {
	for _, tt := range []struct{ fixture, model, want string }{
		{"kvm-genoa", "AMD EPYC", "zen4"},
		{"kvm-epyc", "AMD EPYC 7763 64-Core Processor", "zen3"},
		{"aws-c7a.xlarge", "AMD EPYC 9R14 96-Core Processor", "zen4"},
		{"aws-c7i.2xlarge", "Intel(R) Xeon(R) Platinum 8488C", "sapphirerapids"},
		{"aws-c7g.xlarge", "Neoverse-V1", ""},
		{"aws-c8g.xlarge", "Neoverse-V2", ""},
		{"bare-rpi5", "Cortex-A76", ""},
	} {
		f := detect(Options{}, fixture(tt.fixture, nil))
		if f.CPUModel != tt.model || f.CPUUarch != tt.want {
			t.Errorf("%s: cpu-model %q, cpu-uarch %q; want %q, %q", tt.fixture, f.CPUModel, f.CPUUarch, tt.model, tt.want)
		}
		lines := f.ConfigLines()
		i := slices.Index(lines, "cpu-model: "+tt.model)
		switch {
		case i < 0:
			t.Errorf("%s: no cpu-model line in %q", tt.fixture, lines)
		case tt.want == "":
			if slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "cpu-uarch:") }) {
				t.Errorf("%s: unknown uarch printed: %q", tt.fixture, lines)
			}
		case i+1 >= len(lines) || lines[i+1] != "cpu-uarch: "+tt.want:
			t.Errorf("%s: line after cpu-model is not cpu-uarch: %s: %q", tt.fixture, tt.want, lines)
		}
		checkConfigLines(t, lines)
	}
}

// TestDetectKVMGenoa pins the whole fingerprint of the kvm-genoa fixture,
// a 2-vCPU KVM guest without SMT, DMI or cloud.
func TestDetectKVMGenoa(t *testing.T) {
	got := detect(Options{Version: "v1.2.3"}, fixture("kvm-genoa", nil))
	want := Fingerprint{
		Instance: "unknown", InstanceSource: "unknown", Cloud: "unknown",
		CPUVendor: "AMD", CPUModel: "AMD EPYC", CPUUarch: "zen4", CPUFeatures: genoaFeatures,
		SIMDWidest: "avx512",
		VCPUs:      2, PhysicalCores: 2, ThreadsPerCore: 1, NUMANodes: 1,
		Caches:     Caches{L1D: 32 << 10, L2: 1 << 20, L3: 32 << 20},
		GOMAXPROCS: 3, Tiers: fp32Tier("unknown"), GoVersion: "go1.26.8",
		OSKernel: "6.18.44-fc-v669", THP: "madvise", Version: "v1.2.3",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("detect:\n got %+v\nwant %+v", got, want)
	}
}

// A guest that reports Rocket Lake's model but has AMX tiles is no Rocket
// Lake: its microarchitecture is unknown, not wrong; a Sapphire Rapids
// whose AMX the hypervisor hides keeps its name.
func TestPlausibleUarch(t *testing.T) {
	for _, tt := range []struct {
		uarch    string
		features []string
		want     string
	}{
		{"rocketlake", []string{"avx512f", "amxtile"}, ""},
		{"rocketlake", []string{"avx512f"}, "rocketlake"},
		{"sapphirerapids", []string{"avx512f", "amxtile"}, "sapphirerapids"},
		{"sapphirerapids", []string{"avx512f"}, "sapphirerapids"},
		{"zen4", []string{"avx512f"}, "zen4"},
	} {
		if got := plausibleUarch(tt.uarch, tt.features); got != tt.want {
			t.Errorf("plausibleUarch(%s, %v) = %q, want %q", tt.uarch, tt.features, got, tt.want)
		}
	}
}
