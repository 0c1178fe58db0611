package host

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/internal/isa"
)

// cpuFacts is what is known about the CPU model, from /proc/cpuinfo or
// from CPUID.
type cpuFacts struct {
	vendor, model string
	uarch         string   // x86Uarch of the family, model and stepping; "" when unknown
	features      []string // printed names, in the order of isa.X86 or isa.ARM64
	simd          string   // isa.WidestX86 or isa.WidestARM64 of features, "" when unknown
	caches        Caches   // from CPUID; /sys is preferred when it has them
}

func (c cpuFacts) has(feature string) bool { return slices.Contains(c.features, feature) }

// detectCPU takes CPUID where the kernels dispatch on it (x86), and
// /proc/cpuinfo elsewhere, since on arm64 Linux CPUID-style registers give
// no brand string; each falls back on the other.
func detectCPU(sys system) cpuFacts {
	if sys.preferCPUID && sys.cpuid != nil {
		if c, ok := sys.cpuid(); ok && c.vendor != "" {
			return c
		}
	}
	if data, err := fs.ReadFile(sys.fsys, "proc/cpuinfo"); err == nil {
		if c := parseCPUInfo(data).facts(); c.vendor != "" {
			return c
		}
	}
	if !sys.preferCPUID && sys.cpuid != nil {
		if c, ok := sys.cpuid(); ok {
			return c
		}
	}
	return cpuFacts{}
}

// cpuInfo is /proc/cpuinfo reduced to the first value of each key. All
// processors of a cloud instance are alike, and the keys that describe the
// chip sit in the first processor's block on x86 and arm64 alike (older
// arm64 kernels put "Processor" and "Hardware" outside the blocks, which
// first-value-wins also handles).
type cpuInfo map[string]string

// parseCPUInfo parses the "key\t: value" lines of /proc/cpuinfo. Lines
// without a colon are ignored, so any input parses.
func parseCPUInfo(data []byte) cpuInfo {
	info := cpuInfo{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20) // the x86 flags line is long, but not this long
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		key = strings.TrimSpace(key)
		if _, seen := info[key]; key == "" || seen {
			continue
		}
		info[key] = strings.TrimSpace(value)
	}
	return info
}

// facts interprets the parsed cpuinfo as x86 (it has "vendor_id") or
// arm64 (it has "CPU implementer").
func (info cpuInfo) facts() cpuFacts {
	if v, ok := info["vendor_id"]; ok {
		var c cpuFacts
		c.vendor = x86Vendor(v)
		c.model = sanitize(info["model name"])
		c.uarch = info.x86Uarch(c.vendor)
		flags := strings.Fields(info["flags"])
		c.features = pick(isa.X86, func(f isa.Feature) bool {
			return slices.Contains(flags, f.Flag)
		})
		c.simd = isa.WidestX86(c.features, slices.Contains(flags, "sse2"))
		c.uarch = plausibleUarch(c.uarch, c.features)
		return c
	}
	if imp, ok := parseHex(info["CPU implementer"]); ok {
		var c cpuFacts
		part, partOK := parseHex(info["CPU part"])
		c.vendor, c.model = armCore(imp, part, partOK)
		flags := strings.Fields(info["Features"])
		c.features = pick(isa.ARM64, func(f isa.Feature) bool {
			return slices.Contains(flags, f.Flag)
		})
		c.simd = isa.WidestARM64(c.features)
		return c
	}
	return cpuFacts{}
}

// x86Uarch names the microarchitecture by the decimal "cpu family",
// "model" and "stepping" of x86 cpuinfo, which Linux prints with the
// extended family and model already folded in, as CPUID's are in cpuid.go.
// A missing or malformed number leaves it unknown.
func (info cpuInfo) x86Uarch(vendor string) string {
	var n [3]int
	for i, key := range []string{"cpu family", "model", "stepping"} {
		v, err := strconv.Atoi(info[key])
		if err != nil || v < 0 {
			return ""
		}
		n[i] = v
	}
	return x86Uarch(vendor, n[0], n[1], n[2])
}

// parseHex parses "0x41" as cpuinfo prints implementer and part numbers.
func parseHex(s string) (int, bool) {
	s, ok := strings.CutPrefix(s, "0x")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 16, 16)
	return int(n), err == nil
}

// pick returns, in table order, the printed names of the features has
// finds.
func pick(table []isa.Feature, has func(isa.Feature) bool) []string {
	var names []string
	for _, f := range table {
		if has(f) {
			names = append(names, f.Name)
		}
	}
	return names
}

func x86Vendor(id string) string {
	switch id {
	case "GenuineIntel":
		return "Intel"
	case "AuthenticAMD":
		return "AMD"
	case "HygonGenuine":
		return "Hygon"
	}
	return sanitize(id)
}

// armImplementers maps the MIDR implementer code to a vendor name, as
// Linux's arch/arm64/include/asm/cputype.h and util-linux's lscpu do.
var armImplementers = map[int]string{
	0x41: "ARM",
	0x42: "Broadcom",
	0x43: "Cavium",
	0x46: "Fujitsu",
	0x48: "HiSilicon",
	0x4e: "NVIDIA",
	0x50: "APM",
	0x51: "Qualcomm",
	0x61: "Apple",
	0x6d: "Microsoft",
	0xc0: "Ampere",
}

// armParts maps (implementer, part) to a core name. Cloud chips are
// licensed Arm cores and report implementer 0x41: AWS Graviton2 is
// Neoverse-N1, Graviton3 Neoverse-V1, Graviton4 Neoverse-V2, as are
// Google Axion and NVIDIA Grace (V2) and Ampere Altra (N1).
var armParts = map[[2]int]string{
	{0x41, 0xd03}: "Cortex-A53",
	{0x41, 0xd04}: "Cortex-A35",
	{0x41, 0xd05}: "Cortex-A55",
	{0x41, 0xd07}: "Cortex-A57",
	{0x41, 0xd08}: "Cortex-A72",
	{0x41, 0xd09}: "Cortex-A73",
	{0x41, 0xd0a}: "Cortex-A75",
	{0x41, 0xd0b}: "Cortex-A76",
	{0x41, 0xd0c}: "Neoverse-N1",
	{0x41, 0xd0d}: "Cortex-A77",
	{0x41, 0xd40}: "Neoverse-V1",
	{0x41, 0xd41}: "Cortex-A78",
	{0x41, 0xd44}: "Cortex-X1",
	{0x41, 0xd46}: "Cortex-A510",
	{0x41, 0xd47}: "Cortex-A710",
	{0x41, 0xd48}: "Cortex-X2",
	{0x41, 0xd49}: "Neoverse-N2",
	{0x41, 0xd4a}: "Neoverse-E1",
	{0x41, 0xd4b}: "Cortex-A78C",
	{0x41, 0xd4d}: "Cortex-A715",
	{0x41, 0xd4e}: "Cortex-X3",
	{0x41, 0xd4f}: "Neoverse-V2",
	{0x41, 0xd80}: "Cortex-A520",
	{0x41, 0xd81}: "Cortex-A720",
	{0x41, 0xd82}: "Cortex-X4",
	{0x41, 0xd83}: "Neoverse-V3AE",
	{0x41, 0xd84}: "Neoverse-V3",
	{0x41, 0xd85}: "Cortex-X925",
	{0x41, 0xd87}: "Cortex-A725",
	{0x41, 0xd8e}: "Neoverse-N3",
	{0x46, 0x001}: "A64FX",
	{0x48, 0xd01}: "TaiShan-v110",
	{0x4e, 0x004}: "Carmel",
	{0x61, 0x022}: "M1-Icestorm",
	{0x61, 0x023}: "M1-Firestorm",
	{0x61, 0x032}: "M2-Blizzard",
	{0x61, 0x033}: "M2-Avalanche",
	{0x6d, 0xd49}: "Neoverse-N2", // Azure Cobalt 100
	{0xc0, 0xac3}: "AmpereOne",
}

// armCore names the vendor and core of a MIDR implementer and part. An
// unlisted code is printed as its numbers rather than dropped, so that the
// results still tell two unknown chips apart.
func armCore(imp, part int, partOK bool) (vendor, model string) {
	vendor, ok := armImplementers[imp]
	if !ok {
		vendor = fmt.Sprintf("0x%02x", imp)
	}
	if !partOK {
		return vendor, ""
	}
	if m, ok := armParts[[2]int{imp, part}]; ok {
		return vendor, m
	}
	return vendor, fmt.Sprintf("part-0x%03x", part)
}
