//go:build gc && !purego && !noasm

package kernels

import "unsafe"

// The bf16 tiers' packing, in pack_bf16_amd64.s. Done in Go it took a
// fifth of the avx512bf16 GemmBF16 n=1024 on a Zen 4 core, and a sixth of
// the fp32 tiers': packing is O(n²) work beside O(n³), but the tiles do
// 32-64 flops a cycle.

//go:noescape
func pack12x16PairsAVX512(dst *uint32, a *BF16, stride, blocks int)

//go:noescape
func interleaveRowsAVX512(dst *uint32, r0, r1 *BF16, slivers, step int)

// The fp32 tiers' widening, each in its own instruction set.

//go:noescape
func widen32AVX512(dst *uint32, src *BF16, chunks, step int)

//go:noescape
func widen16AVX2(dst *uint32, src *BF16, chunks, step int)

// gather12Pairs packs k [0, kc) of 12 rows of a, lda apart, into a
// 12-row sliver of pairs, whole blocks of 32 k in assembly and the rest
// (an odd k padded with zero) in Go.
func gather12Pairs(dst []uint32, a []BF16, lda, kc int) {
	blocks := kc / 32
	if blocks > 0 {
		// The bounds the assembly touches.
		_, _ = dst[blocks*16*12-1], a[11*lda+blocks*32-1]
		pack12x16PairsAVX512(unsafe.SliceData(dst), unsafe.SliceData(a), 2*lda, blocks)
	}
	done := blocks * 32
	if done == kc {
		return
	}
	for i := range 12 {
		scatterPairs(dst[done/2*12+i:], 12, a[i*lda+done:i*lda+kc])
	}
}

// scatterPairs sets dst[q*stride] to the pair (row[2q], row[2q+1]), the
// last padded with zero when len(row) is odd.
func scatterPairs(dst []uint32, stride int, row []BF16) {
	q := 0
	for p := 0; p+1 < len(row); p += 2 {
		dst[q*stride] = uint32(row[p]) | uint32(row[p+1])<<16
		q++
	}
	if len(row)&1 != 0 {
		dst[q*stride] = uint32(row[len(row)-1])
	}
}

// interleave32 packs one k step (rows r0, r1 of B, cols columns) into
// the 32-column slivers at dst, kw steps apart, whole slivers in assembly
// and returns the columns it did.
func interleave32(dst []uint32, kw int, r0, r1 []BF16, cols int) int {
	full := cols / 32
	if full == 0 {
		return 0
	}
	_, _, _ = dst[(full-1)*32*kw+31], r0[full*32-1], r1[full*32-1]
	interleaveRowsAVX512(unsafe.SliceData(dst), unsafe.SliceData(r0), unsafe.SliceData(r1), full, 32*kw*4)
	return full * 32
}
