//go:build !purego && !noasm

package kernels

import "github.com/klauspost/cpuid/v2"

// features are the CPU features the amd64 tiers need.
type features struct {
	avx2   bool // AVX2 and FMA3
	avx512 bool // AVX-512 F, VL, BW and DQ
}

func cpuFeatures() features {
	return features{
		avx2:   cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3),
		avx512: cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3, cpuid.AVX512F, cpuid.AVX512VL, cpuid.AVX512BW, cpuid.AVX512DQ),
	}
}

// simdTiers returns the tiers f allows, narrowest first.
func simdTiers(f features) []tier {
	var ts []tier
	return ts
}
