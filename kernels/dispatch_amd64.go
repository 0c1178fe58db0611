//go:build gc && !purego && !noasm

package kernels

import (
	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// simdTable lists the amd64 SIMD tiers, narrowest first. isa.AVX512 holds
// all of isa.AVX2, so a CPU that runs the avx512 tier runs avx2 too.
var simdTable = []simdTier{
	{isa.AVX2, tier{
		gemm:            &avx2Gemm,
		rowMax:          avx2Softmax.max,
		expSubSum:       avx2Softmax.expSum,
		scaleRow:        avx2Softmax.scale,
		swiGLU:          avx2Softmax.swiGLU,
		triad:           avx2Triad.triad,
		fmaLoop:         fmaLoopAVX2,
		fmaFlopsPerIter: 12 * 8 * 2,
	}},
	{isa.AVX512, tier{
		gemm:            &avx512Gemm,
		rowMax:          avx512Softmax.max,
		expSubSum:       avx512Softmax.expSum,
		scaleRow:        avx512Softmax.scale,
		swiGLU:          avx512Softmax.swiGLU,
		triad:           avx512Triad.triad,
		fmaLoop:         fmaLoopAVX512,
		fmaFlopsPerIter: 24 * 16 * 2,
	}},
}

// cacheSizes returns the L1 data and L2 cache sizes of one core in bytes,
// as CPUID reports them; -1 where it does not.
func cacheSizes() (l1d, l2 int) { return cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2 }
