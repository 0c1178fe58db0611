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
	if f.avx2 {
		ts = append(ts, tier{
			name:            "avx2",
			gemm:            &avx2Gemm,
			rowMax:          avx2Softmax.max,
			expSubSum:       avx2Softmax.expSum,
			scaleRow:        avx2Softmax.scale,
			triad:           avx2Triad.triad,
			fmaLoop:         fmaLoopAVX2,
			fmaFlopsPerIter: 12 * 8 * 2,
		})
	}
	if f.avx512 {
		ts = append(ts, tier{
			name:            "avx512",
			gemm:            &avx512Gemm,
			rowMax:          avx512Softmax.max,
			expSubSum:       avx512Softmax.expSum,
			scaleRow:        avx512Softmax.scale,
			triad:           avx512Triad.triad,
			fmaLoop:         fmaLoopAVX512,
			fmaFlopsPerIter: 24 * 16 * 2,
		})
	}
	return ts
}

// cacheSizes returns the L1 data and L2 cache sizes of one core in bytes,
// as CPUID reports them; -1 where it does not.
func cacheSizes() (l1d, l2 int) { return cpuid.CPU.Cache.L1D, cpuid.CPU.Cache.L2 }
