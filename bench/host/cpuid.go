package host

import (
	"runtime"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

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
	// Features cpuid cannot detect (svebf16, svei8mm, sme, sme2) are
	// only ever found in /proc/cpuinfo.
	has := func(ft isa.Feature) bool { return ft.On(c) }
	switch goarch {
	case "amd64", "386":
		f.features = pick(isa.X86, has)
		f.simd = isa.WidestX86(f.features, c.Has(cpuid.SSE2))
		// cpuid folds the extended family and model into Family and Model
		// as Linux does for cpuinfo, so both paths name the same CPU.
		f.uarch = plausibleUarch(x86Uarch(f.vendor, c.Family, c.Model, c.Stepping), f.features)
	case "arm64":
		f.features = pick(isa.ARM64, has)
		f.simd = isa.WidestARM64(f.features)
	}
	f.caches = Caches{L1D: max(c.Cache.L1D, 0), L2: max(c.Cache.L2, 0), L3: max(c.Cache.L3, 0)}
	return f, true
}
