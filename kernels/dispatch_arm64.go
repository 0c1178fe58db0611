//go:build !purego && !noasm

package kernels

import "github.com/klauspost/cpuid/v2"

// features are the CPU features the arm64 tiers need.
type features struct {
	neon bool // Advanced SIMD (ASIMD), with FMA
}

func cpuFeatures() features {
	return features{neon: cpuid.CPU.Supports(cpuid.ASIMD)}
}

// simdTiers returns the tiers f allows, narrowest first.
func simdTiers(f features) []tier {
	var ts []tier
	return ts
}
