package host

import (
	"runtime"

	"github.com/klauspost/cpuid/v2"
)

// cpuidFeatures maps the printed feature names to cpuid's identifiers.
// Features cpuid does not know (svebf16, svei8mm, sme, sme2) are only
// ever found in /proc/cpuinfo.
var cpuidFeatures = map[string]cpuid.FeatureID{
	"avx":        cpuid.AVX,
	"avx2":       cpuid.AVX2,
	"fma":        cpuid.FMA3,
	"f16c":       cpuid.F16C,
	"avx512f":    cpuid.AVX512F,
	"avx512dq":   cpuid.AVX512DQ,
	"avx512bw":   cpuid.AVX512BW,
	"avx512vl":   cpuid.AVX512VL,
	"avx512vnni": cpuid.AVX512VNNI,
	"avx512bf16": cpuid.AVX512BF16,
	"avx512fp16": cpuid.AVX512FP16,
	"avxvnni":    cpuid.AVXVNNI,
	"amxtile":    cpuid.AMXTILE,
	"amxbf16":    cpuid.AMXBF16,
	"amxint8":    cpuid.AMXINT8,
	"amxfp16":    cpuid.AMXFP16,

	"asimd":    cpuid.ASIMD,
	"asimdhp":  cpuid.ASIMDHP,
	"asimddp":  cpuid.ASIMDDP,
	"asimdfhm": cpuid.FHM,
	"bf16":     cpuid.BF16,
	"i8mm":     cpuid.I8MM,
	"sve":      cpuid.SVE,
	"sve2":     cpuid.SVE2,
}

func liveCPUID() (cpuFacts, bool) {
	return cpuidFacts(&cpuid.CPU, runtime.GOARCH)
}

// cpuidFacts converts what cpuid found on a goarch machine. It reports
// false when cpuid recognised nothing, as on an architecture it does not
// support.
func cpuidFacts(c *cpuid.CPUInfo, goarch string) (cpuFacts, bool) {
	if c.VendorID == cpuid.VendorUnknown && c.BrandName == "" {
		return cpuFacts{}, false
	}
	var f cpuFacts
	if c.VendorID != cpuid.VendorUnknown {
		f.vendor = c.VendorID.String()
	} else {
		f.vendor = sanitize(c.VendorString)
	}
	f.model = sanitize(c.BrandName)
	has := func(ft feature) bool {
		id, ok := cpuidFeatures[ft.name]
		return ok && c.Has(id)
	}
	switch goarch {
	case "amd64", "386":
		f.features = pick(x86Features, has)
		f.simd = x86SIMD(f.features, c.Has(cpuid.SSE2))
	case "arm64":
		f.features = pick(armFeatures, has)
		f.simd = armSIMD(f.features)
	}
	f.caches = Caches{L1D: max(c.Cache.L1D, 0), L2: max(c.Cache.L2, 0), L3: max(c.Cache.L3, 0)}
	return f, true
}
