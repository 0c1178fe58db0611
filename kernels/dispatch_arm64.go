//go:build gc && !purego && !noasm

package kernels

import "github.com/ppbench/ppbench/internal/isa"

// simdTable lists the arm64 SIMD tiers, narrowest first.
var simdTable = []simdTier{{isa.NEON, neon}}

// neon is the Advanced SIMD tier: 128-bit vectors, 4 float32 or 2 float64
// lanes, all in assembly.
var neon = tier{
	gemm:      &neonGemm,
	rowMax:    rowMaxNEON,
	expSubSum: expSubSumNEON,
	scaleRow:  scaleRowNEON,
	triad:     triadNEON,
	fmaLoop:   fmaLoopNEON,

	fmaFlopsPerIter: fmaFlopsPerIterNEON,
}
