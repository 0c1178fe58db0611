// Package isa names the instruction-set extensions that ppbench reports and
// dispatches on, in one place. Package host prints a host's features and
// its widest SIMD level, package kernels picks the tiers it may run; both
// read the tables and sets here, so that "avx512" in a results file means
// what the avx512 kernels need and not merely AVX-512 Foundation.
//
// A feature has three names: the one ppbench prints, the flag Linux lists
// in /proc/cpuinfo, and the identifier github.com/klauspost/cpuid/v2
// detects it by, where cpuid knows it.
//
// The package does no I/O and keeps no state: callers pass in what they
// detected, a feature list parsed from /proc/cpuinfo or a *cpuid.CPUInfo.
package isa

import (
	"slices"

	"github.com/klauspost/cpuid/v2"
)

// A Feature is one ISA extension that matters to the kernels.
type Feature struct {
	Name string          // as ppbench prints it, e.g. "avx512vnni"
	Flag string          // as /proc/cpuinfo lists it, e.g. "avx512_vnni"
	ID   cpuid.FeatureID // cpuid's identifier, NoID where cpuid cannot detect it
}

// NoID is the ID of a Feature that cpuid does not detect; such a feature is
// found in /proc/cpuinfo only. It is cpuid.UNKNOWN, which cpuid.CPUInfo.Has
// must not be given (it indexes its bit set with it).
const NoID cpuid.FeatureID = cpuid.UNKNOWN

// On reports whether cpuid found f on c. A feature cpuid does not detect is
// never on.
func (f Feature) On(c *cpuid.CPUInfo) bool { return f.ID != NoID && c.Has(f.ID) }

// X86 lists, in print order, the x86 features that matter to FP32 matrix
// and attention kernels: vector width, FMA, and the reduced-precision dot
// products (VNNI, BF16, FP16, AMX). SSE2 is not listed: every amd64 CPU has
// it, so printing it says nothing; WidestX86 takes it apart.
var X86 = []Feature{
	{"avx", "avx", cpuid.AVX},
	{"avx2", "avx2", cpuid.AVX2},
	{"fma", "fma", cpuid.FMA3},
	{"f16c", "f16c", cpuid.F16C},
	{"avx512f", "avx512f", cpuid.AVX512F},
	{"avx512dq", "avx512dq", cpuid.AVX512DQ},
	{"avx512bw", "avx512bw", cpuid.AVX512BW},
	{"avx512vl", "avx512vl", cpuid.AVX512VL},
	{"avx512vnni", "avx512_vnni", cpuid.AVX512VNNI},
	{"avx512bf16", "avx512_bf16", cpuid.AVX512BF16},
	{"avx512fp16", "avx512_fp16", cpuid.AVX512FP16},
	{"avxvnni", "avx_vnni", cpuid.AVXVNNI},
	{"amxtile", "amx_tile", cpuid.AMXTILE},
	{"amxbf16", "amx_bf16", cpuid.AMXBF16},
	{"amxint8", "amx_int8", cpuid.AMXINT8},
	{"amxfp16", "amx_fp16", cpuid.AMXFP16},
}

// ARM64 lists, in print order, the arm64 features that matter to the
// kernels, under the names of the arm64 "Features" line (HWCAP names).
// cpuid detects neither the SVE forms of BF16 and I8MM nor SME; its SME
// identifier is AMD's Secure Memory Encryption, not the Scalable Matrix
// Extension, hence NoID there.
var ARM64 = []Feature{
	{"asimd", "asimd", cpuid.ASIMD},
	{"asimdhp", "asimdhp", cpuid.ASIMDHP},
	{"asimddp", "asimddp", cpuid.ASIMDDP},
	{"asimdfhm", "asimdfhm", cpuid.FHM},
	{"bf16", "bf16", cpuid.BF16},
	{"i8mm", "i8mm", cpuid.I8MM},
	{"sve", "sve", cpuid.SVE},
	{"sve2", "sve2", cpuid.SVE2},
	{"svebf16", "svebf16", NoID},
	{"svei8mm", "svei8mm", NoID},
	{"sme", "sme", NoID},
	{"sme2", "sme2", NoID},
}

// lookup finds a feature by its printed name in either table; the names
// are distinct across them (TestTables checks).
func lookup(name string) (Feature, bool) {
	for _, table := range [][]Feature{X86, ARM64} {
		if i := slices.IndexFunc(table, func(f Feature) bool { return f.Name == name }); i >= 0 {
			return table[i], true
		}
	}
	return Feature{}, false
}
