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
	if f.neon {
		ts = append(ts, neon)
	}
	return ts
}

// neon is the Advanced SIMD tier: 128-bit vectors, 4 float32 or 2 float64
// lanes, all in assembly.
var neon = tier{
	name:      "neon",
	gemm:      &neonGemm,
	rowMax:    rowMaxNEON,
	expSubSum: expSubSumNEON,
	scaleRow:  scaleRowNEON,
	triad:     triadNEON,
	fmaLoop:   fmaLoopNEON,

	fmaFlopsPerIter: fmaFlopsPerIterNEON,
}
