package host

import (
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

func TestCPUInfoFacts(t *testing.T) {
	tests := []struct {
		name, cpuinfo string
		want          cpuFacts
	}{
		{"graviton2", "processor\t: 0\nBogoMIPS\t: 243.75\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x3\nCPU part\t: 0xd0c\nCPU revision\t: 1\n",
			cpuFacts{vendor: "ARM", model: "Neoverse-N1", features: []string{"asimd", "asimdhp", "asimddp"}, simd: "neon"}},
		{"cobalt100", "processor\t: 0\nFeatures\t: fp asimd sve sve2 bf16 i8mm\nCPU implementer\t: 0x6d\nCPU part\t: 0xd49\n",
			cpuFacts{vendor: "Microsoft", model: "Neoverse-N2", features: []string{"asimd", "bf16", "i8mm", "sve", "sve2"}, simd: "sve2"}},
		{"unlisted part", "CPU implementer\t: 0x41\nCPU part\t: 0xd99\nFeatures\t: fp\n",
			cpuFacts{vendor: "ARM", model: "part-0xd99", simd: "none"}},
		{"unlisted implementer", "CPU implementer\t: 0x99\nCPU part\t: 0x1\n",
			cpuFacts{vendor: "0x99", model: "part-0x001", simd: "none"}},
		{"no part", "CPU implementer\t: 0x41\n",
			cpuFacts{vendor: "ARM", simd: "none"}},
		// Old arm64 kernels: a "Processor" line before the blocks.
		{"old arm64", "Processor\t: AArch64 Processor rev 1 (aarch64)\nprocessor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n\nHardware\t: BCM2835\n",
			cpuFacts{vendor: "ARM", model: "Cortex-A72", features: []string{"asimd"}, simd: "neon"}},
		{"x86 sse2 only", "vendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Core(TM)2 Duo CPU     T7700  @ 2.40GHz\nflags\t\t: fpu sse sse2 ssse3\n",
			cpuFacts{vendor: "Intel", model: "Intel(R) Core(TM)2 Duo CPU T7700 @ 2.40GHz", simd: "sse2"}},
		// AVX2 without FMA is not the kernels' avx2 tier.
		{"x86 avx2 no fma", "vendor_id\t: CentaurHauls\nmodel name\t: VIA\nflags\t\t: sse2 avx avx2\n",
			cpuFacts{vendor: "CentaurHauls", model: "VIA", features: []string{"avx", "avx2"}, simd: "sse2"}},
		// AVX-512 Foundation without VL, BW and DQ (Knights Landing) is not
		// the kernels' avx512 tier, so it is not "avx512" here either.
		{"x86 avx512f alone", "vendor_id\t: GenuineIntel\nflags\t\t: sse2 avx avx2 fma avx512f avx512cd\n",
			cpuFacts{vendor: "Intel", features: []string{"avx", "avx2", "fma", "avx512f"}, simd: "avx2"}},
		{"hygon", "vendor_id\t: HygonGenuine\nflags\t\t: sse2 avx avx2 fma\n",
			cpuFacts{vendor: "Hygon", features: []string{"avx", "avx2", "fma"}, simd: "avx2"}},
		// A KVM guest on Genoa, whose brand string names no generation:
		// family, model and stepping do.
		{"genoa guest", "vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: AMD EPYC\nstepping\t: 1\nflags\t\t: sse2\n",
			cpuFacts{vendor: "AMD", model: "AMD EPYC", uarch: "zen4", simd: "sse2"}},
		{"cascade lake", "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz\nstepping\t: 7\n",
			cpuFacts{vendor: "Intel", model: "Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz", uarch: "cascadelake", simd: "none"}},
		// Without a stepping, or with a number that does not parse, the
		// family and model alone name nothing.
		{"no stepping", "vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n",
			cpuFacts{vendor: "AMD", simd: "none"}},
		{"hex model", "vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 0x11\nstepping\t: 1\n",
			cpuFacts{vendor: "AMD", simd: "none"}},
		{"negative model", "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: -113\nstepping\t: 8\n",
			cpuFacts{vendor: "Intel", simd: "none"}},
		// An arm64 part number is a core name already, in model.
		{"arm64 has no uarch", "CPU implementer\t: 0x41\nCPU part\t: 0xd40\ncpu family\t: 25\nmodel\t\t: 17\nstepping\t: 1\n",
			cpuFacts{vendor: "ARM", model: "Neoverse-V1", simd: "none"}},
		{"empty", "", cpuFacts{}},
		{"not cpuinfo", "hello: world\n\n:::\n", cpuFacts{}},
	}
	for _, tt := range tests {
		got := parseCPUInfo([]byte(tt.cpuinfo)).facts()
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestCPUInfoFirstValue: every processor block repeats the keys; the
// first processor's values are the ones kept.
func TestCPUInfoFirstValue(t *testing.T) {
	data, err := os.ReadFile("testdata/aws-c7i.2xlarge/proc/cpuinfo")
	if err != nil {
		t.Fatal(err)
	}
	info := parseCPUInfo(data)
	for k, want := range map[string]string{
		"processor": "0", "vendor_id": "GenuineIntel", "model name": "Intel(R) Xeon(R) Platinum 8488C",
		"core id": "0", "power management": "", "cpu family": "6",
	} {
		if got, ok := info[k]; !ok || got != want {
			t.Errorf("%q = %q, %v; want %q", k, got, ok, want)
		}
	}
}

// TestCPUIDFacts converts a cpuid.CPUInfo made up for each chip, so that
// the conversion is tested on hardware the tests do not run on.
func TestCPUIDFacts(t *testing.T) {
	mk := func(v cpuid.Vendor, brand string, ids ...cpuid.FeatureID) *cpuid.CPUInfo {
		c := &cpuid.CPUInfo{VendorID: v, BrandName: brand}
		c.Cache.L1D, c.Cache.L2, c.Cache.L3 = 48<<10, 2<<20, -1
		c.Enable(ids...)
		return c
	}
	spr := mk(cpuid.Intel, "Intel(R) Xeon(R) Platinum 8488C",
		cpuid.SSE2, cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.F16C, cpuid.AVX512F, cpuid.AVX512DQ,
		cpuid.AVX512BW, cpuid.AVX512VL, cpuid.AVX512VNNI, cpuid.AVX512BF16, cpuid.AVX512FP16,
		cpuid.AVXVNNI, cpuid.AMXTILE, cpuid.AMXBF16, cpuid.AMXINT8)
	got, ok := cpuidFacts(spr, "amd64")
	want := cpuFacts{vendor: "Intel", model: "Intel(R) Xeon(R) Platinum 8488C", features: sprFeatures,
		simd: "avx512", caches: Caches{L1D: 48 << 10, L2: 2 << 20}}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("Sapphire Rapids: got %+v, %v\nwant %+v", got, ok, want)
	}

	knl := mk(cpuid.Intel, "Intel(R) Xeon Phi(TM) CPU 7250", cpuid.SSE2, cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F, cpuid.AVX512CD)
	if got, _ := cpuidFacts(knl, "amd64"); got.simd != "avx2" || !slices.Equal(got.features, []string{"avx", "avx2", "fma", "avx512f"}) {
		t.Errorf("Knights Landing: got %+v, want avx2: AVX-512F alone is not the avx512 tier", got)
	}

	zen3 := mk(cpuid.AMD, "AMD EPYC 7R13 Processor", cpuid.SSE2, cpuid.AVX, cpuid.AVX2, cpuid.FMA3, cpuid.F16C)
	zen3.Family, zen3.Model, zen3.Stepping = 0x19, 0x01, 1
	if got, _ := cpuidFacts(zen3, "amd64"); got.simd != "avx2" || got.vendor != "AMD" || got.uarch != "zen3" {
		t.Errorf("Zen 3: got %+v", got)
	}

	// The family and model name the chip whatever the brand string says,
	// as in a KVM guest on Genoa, or on a Bergamo that did not shorten it.
	for _, tc := range []struct {
		vendor                  cpuid.Vendor
		brand                   string
		family, model, stepping int
		want                    string
	}{
		{cpuid.AMD, "AMD EPYC", 0x19, 0x11, 1, "zen4"},
		{cpuid.AMD, "AMD EPYC 9754 128-Core Processor", 0x19, 0xa0, 2, "zen4c"},
		{cpuid.AMD, "AMD EPYC 9R45", 0x1a, 0x02, 1, "zen5"},
		{cpuid.Intel, "Intel(R) Xeon(R) Platinum 8488C", 6, 0x8f, 8, "sapphirerapids"},
		{cpuid.Intel, "Intel(R) Xeon(R) Platinum 8581C", 6, 0xcf, 2, "emeraldrapids"},
		{cpuid.Intel, "Intel(R) Xeon(R) 6975P-C", 6, 0xad, 1, "graniterapids"},
		{cpuid.Intel, "Intel(R) Xeon(R) Platinum 8375C", 6, 0x6a, 6, "icelake-sp"},
		// A QEMU default CPU model, which names no real chip.
		{cpuid.AMD, "QEMU Virtual CPU version 2.5+", 15, 0x6b, 1, ""},
	} {
		c := mk(tc.vendor, tc.brand, cpuid.SSE2)
		c.Family, c.Model, c.Stepping = tc.family, tc.model, tc.stepping
		if got, _ := cpuidFacts(c, "amd64"); got.uarch != tc.want || got.model != tc.brand {
			t.Errorf("%s family %#x model %#x: uarch %q, model %q; want %q", tc.brand, tc.family, tc.model, got.uarch, got.model, tc.want)
		}
	}

	// The same feature bits mean nothing on the other architecture.
	v1 := mk(cpuid.ARM, "", cpuid.ASIMD, cpuid.ASIMDHP, cpuid.ASIMDDP, cpuid.FHM, cpuid.BF16, cpuid.I8MM, cpuid.SVE)
	v1.Family, v1.Model, v1.Stepping = 0x19, 0x11, 1 // Genoa's on x86, nothing on arm64
	got, ok = cpuidFacts(v1, "arm64")
	if wantF := []string{"asimd", "asimdhp", "asimddp", "asimdfhm", "bf16", "i8mm", "sve"}; !ok || got.vendor != "ARM" ||
		got.model != "" || got.uarch != "" || got.simd != "sve" || !slices.Equal(got.features, wantF) {
		t.Errorf("Neoverse-V1: got %+v, %v", got, ok)
	}

	if _, ok := cpuidFacts(&cpuid.CPUInfo{}, "riscv64"); ok {
		t.Errorf("cpuidFacts of nothing reports ok")
	}
}

// TestDetectCPUPreference: on x86 CPUID wins; elsewhere /proc/cpuinfo does,
// and each stands in when the other has nothing.
func TestDetectCPUPreference(t *testing.T) {
	fromCPUID := cpuFacts{vendor: "FromCPUID"}
	sys := fixture("aws-c7g.xlarge", nil)
	sys.cpuid = func() (cpuFacts, bool) { return fromCPUID, true }

	sys.preferCPUID = false
	if got := detectCPU(sys); got.model != "Neoverse-V1" {
		t.Errorf("arm64 with cpuinfo: got %+v", got)
	}
	sys.preferCPUID = true
	if got := detectCPU(sys); got.vendor != "FromCPUID" {
		t.Errorf("x86 with CPUID: got %+v", got)
	}
	sys = fakeSystem(os.DirFS("testdata/nonexistent"), nil)
	sys.cpuid = func() (cpuFacts, bool) { return fromCPUID, true }
	if got := detectCPU(sys); got.vendor != "FromCPUID" {
		t.Errorf("no cpuinfo: got %+v", got)
	}
	sys.cpuid = func() (cpuFacts, bool) { return cpuFacts{}, false }
	sys.preferCPUID = true
	if got := detectCPU(sys); got.vendor != "" {
		t.Errorf("nothing at all: got %+v", got)
	}
}

// FuzzParseCPUInfo: any bytes parse, and facts never panics and gives a
// SIMD name from the documented set.
func FuzzParseCPUInfo(f *testing.F) {
	for _, name := range []string{"aws-c7g.xlarge", "aws-c7i.2xlarge", "bare-rpi5"} {
		data, err := os.ReadFile("testdata/" + name + "/proc/cpuinfo")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("CPU implementer\t: 0x41\nCPU part\t: 0xfffff\n"))
	f.Add([]byte("vendor_id: \nflags: avx512f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := parseCPUInfo(data).facts()
		switch c.simd {
		case "", "avx512", "avx2", "sse2", "sve2", "sve", "neon", "none":
		default:
			t.Errorf("simd = %q", c.simd)
		}
		if c.vendor != sanitize(c.vendor) || c.model != sanitize(c.model) || c.uarch != sanitize(c.uarch) {
			t.Errorf("unsanitized: %+v", c)
		}
	})
}
