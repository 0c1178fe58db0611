package isa

import (
	"slices"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// A Set is a SIMD level: code written for it may use every feature in
// Needs, so a CPU runs it only with all of them.
type Set struct {
	Name  string   // the tier's name, e.g. "avx512"
	Needs []string // printed feature names (see X86 and ARM64)
}

// The kernel tiers' sets. A wider set is built from a narrower one with
// Plus, so that it can never need less than the code it extends, and a new
// tier is one more line: an AVX512-VNNI tier would be
// AVX512.Plus("avx512vnni", "avx512vnni").
var (
	// AVX2 is AVX2 with FMA3: the avx2 tiles are built on VFMADD231PS,
	// which is FMA3, not AVX2, and a few CPUs (VIA's) have AVX2 alone.
	AVX2 = Set{Name: "avx2", Needs: []string{"avx2", "fma"}}

	// AVX512 is AVX-512 F, VL, BW and DQ, the Skylake-SP base that every
	// AVX-512 server chip since has and that the avx512 code is written
	// against: F alone is not enough (VXORPS on ZMM is DQ). Knights
	// Landing has F without VL, BW or DQ, so it counts as avx2. The set
	// keeps AVX2's features, which every AVX-512 chip has, so that a CPU
	// running the avx512 tier can always run avx2 as well.
	AVX512 = AVX2.Plus("avx512", "avx512f", "avx512vl", "avx512bw", "avx512dq")

	// NEON is Advanced SIMD, which every AArch64 Linux system has; its
	// FMLA is the fused multiply-add the neon tiles are built on.
	NEON = Set{Name: "neon", Needs: []string{"asimd"}}
)

// The reduced-precision tiers' sets (package kernels: Int8Tier, BF16Tier).
// A bf16 tier on a chip without bf16 instructions widens to fp32 and runs
// on the fp32 sets above, under the names Widened gives them.
var (
	// AVX512VNNI adds VPDPBUSD (u8×s8 dot products into int32) to AVX512.
	AVX512VNNI = AVX512.Plus("avx512vnni", "avx512vnni")
	// AVXVNNI is the VEX form of VPDPBUSD on 256-bit vectors (Alder Lake,
	// Sapphire Rapids, Zen 5), for chips without AVX-512.
	AVXVNNI = AVX2.Plus("avxvnni", "avxvnni")
	// AVX512BF16 adds VDPBF16PS (bf16 pairs into fp32) to AVX512.
	AVX512BF16 = AVX512.Plus("avx512bf16", "avx512bf16")
	// DOTPROD adds SDOT (int8 4-way dot products into int32) to NEON.
	DOTPROD = NEON.Plus("dotprod", "asimddp")
	// I8MM adds SMMLA (2×8 by 8×2 int8 matrix multiply-accumulate).
	I8MM = DOTPROD.Plus("i8mm", "i8mm")
	// BF16 adds BFDOT and BFMMLA to NEON.
	BF16 = NEON.Plus("bf16", "bf16")
	// AMXInt8 adds the AMX tiles and TDPBSSD (16×64 by 64×16 int8 tile
	// products into int32) to AVX512VNNI, whose packing code the tier
	// reuses; every AMX chip so far (Sapphire Rapids on) has AVX-512.
	// CPUID is not enough to run it: the OS must enable the tile state
	// in XCR0 and, on Linux, grant it to the process (kernels.AMXStatus).
	AMXInt8 = AVX512VNNI.Plus("amx", "amxtile", "amxint8")
	// AMXBF16 adds the AMX tiles and TDPBF16PS (bf16 pairs into fp32
	// tiles) to AVX512BF16, with the same caveat as AMXInt8.
	AMXBF16 = AVX512BF16.Plus("amx", "amxtile", "amxbf16")
)

// widenedPrefix starts the name of a bf16 tier that widens to fp32.
const widenedPrefix = "fp32-"

// Widened returns the set of a bf16 tier that widens bf16 to fp32 and runs
// s's fp32 code: s's features under the name "fp32-" + s.Name
// ("fp32-avx512"), so that results say the chip had no bf16 instruction.
func Widened(s Set) Set {
	return Set{Name: widenedPrefix + s.Name, Needs: s.Needs}
}

// WidenedFrom reports whether tier is one Widened names, and the name of
// the fp32 set it runs ("avx512" for "fp32-avx512").
func WidenedFrom(tier string) (fp32 string, ok bool) {
	return strings.CutPrefix(tier, widenedPrefix)
}

// SVE and SVE2 are arm64 SIMD levels that no kernel tier uses yet; they
// rank above NEON in WidestARM64 only. SVE2 ranks above SVE as an ISA, not
// as a width: Graviton4's SVE2 vectors are 128 bits, half of Graviton3's
// SVE.
var (
	SVE  = Set{Name: "sve", Needs: []string{"sve"}}
	SVE2 = Set{Name: "sve2", Needs: []string{"sve2"}}
)

// Plus returns the set named name that needs s's features and more. It
// copies s.Needs, so s is never changed.
func (s Set) Plus(name string, more ...string) Set {
	return Set{Name: name, Needs: slices.Concat(s.Needs, more)}
}

// In reports whether every feature s needs is in have, a list of printed
// names such as one parsed from /proc/cpuinfo.
func (s Set) In(have []string) bool {
	for _, n := range s.Needs {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}

// On reports whether cpuid found every feature s needs on c.
func (s Set) On(c *cpuid.CPUInfo) bool { return len(s.Missing(c)) == 0 }

// Missing returns, in s's order, the features s needs that cpuid did not
// find on c; nil when there are none. A feature cpuid cannot detect, or
// that neither table lists, is always missing: dispatching on a guess
// would run instructions the CPU may not have.
func (s Set) Missing(c *cpuid.CPUInfo) []string {
	var missing []string
	for _, n := range s.Needs {
		if f, ok := lookup(n); !ok || !f.On(c) {
			missing = append(missing, n)
		}
	}
	return missing
}

// x86Widest and arm64Widest rank the SIMD levels WidestX86 and WidestARM64
// report, widest first. Tiers that add instructions but no width (VNNI,
// BF16, AMX on x86; dot products and I8MM on arm64) do not belong here: a
// CPU with AVX512-VNNI is still "avx512" wide.
var (
	x86Widest   = []Set{AVX512, AVX2}
	arm64Widest = []Set{SVE2, SVE, NEON}
)

// WidestX86 names the widest x86 SIMD level among have (printed names):
// "avx512" with all of AVX512, else "avx2" with all of AVX2, else "sse2"
// when sse2 says the CPU has it, else "none". Like the kernels, it counts
// AVX-512 Foundation alone as no AVX-512.
func WidestX86(have []string, sse2 bool) string {
	for _, s := range x86Widest {
		if s.In(have) {
			return s.Name
		}
	}
	if sse2 {
		return "sse2"
	}
	return "none"
}

// WidestARM64 names the widest arm64 SIMD level among have (printed
// names): "sve2", "sve", "neon" or "none".
func WidestARM64(have []string) string {
	for _, s := range arm64Widest {
		if s.In(have) {
			return s.Name
		}
	}
	return "none"
}
