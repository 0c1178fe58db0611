//go:build gc && !purego && !noasm

package kernels

import "unsafe"

// The amd64 register tiles, in gemm_amd64.s. Each implements the
// gemmTier.tile contract on raw pointers, reading element (i, p) of the
// A sliver at a[i*lda + p*ka]: packed slivers pass lda=1, ka=mr; rows of
// A read in place pass their row stride and ka=1.

//go:noescape
func gemmTile6x16AVX2(kc int, a *float32, lda, ka int, b, c *float32, ldc int, alpha, beta float32)

//go:noescape
func gemmTile12x32AVX512(kc int, a *float32, lda, ka int, b, c *float32, ldc int, alpha, beta float32)

// asmTile is the signature of the assembly tiles.
type asmTile func(kc int, a *float32, lda, ka int, b, c *float32, ldc int, alpha, beta float32)

// tilesFor wraps an mr×nr assembly tile as gemmTier's tile (packed A:
// lda=1, ka=mr) and tileRows (A in place: ka=1). The slices' lengths were
// checked by Sgemm and the packing; the bounds checks here are what keeps a
// packing bug from writing out of bounds.
func tilesFor(mr, nr int, asm asmTile) (tile func(kc int, a, b, c []float32, ldc int, alpha, beta float32), tileRows func(kc int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32)) {
	tile = func(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
		_, _, _ = a[kc*mr-1], b[kc*nr-1], c[(mr-1)*ldc+nr-1]
		asm(kc, unsafe.SliceData(a), 1, mr, unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
	}
	tileRows = func(kc int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32) {
		_, _, _ = a[(mr-1)*lda+kc-1], b[kc*nr-1], c[(mr-1)*ldc+nr-1]
		asm(kc, unsafe.SliceData(a), lda, 1, unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
	}
	return tile, tileRows
}

// Blocking: an mr×kc sliver of A and a kc×nr sliver of B share L1 (48 KiB
// on Sapphire Rapids, 32 KiB on Zen 4), an mc×kc block of A sits in L2 and
// a kc×nc panel of B in L3.
var (
	avx2Gemm   = asmGemmTier(6, 16, gemmTile6x16AVX2)
	avx512Gemm = streamingB(asmGemmTier(12, 32, gemmTile12x32AVX512))
)

// streamingB returns g keeping its A slivers in L1 and streaming B (see
// gemmTier.streamB), with nc=1024 where fitCaches finds no L2 size,
// packing A with AVX-512, and with the AVX-512 small-m kernels.
func streamingB(g gemmTier) gemmTier {
	g.streamB = true
	g.gather12 = gather12AVX512
	g.small = smallAVX512
	g.nc = 1024
	return g
}

// asmGemmTier returns the tier of an mr×nr assembly tile with the default
// blocking (kc=256, mc=192, nc=4096), which fitCaches then adjusts.
func asmGemmTier(mr, nr int, asm asmTile) gemmTier {
	g := gemmTier{mr: mr, nr: nr, kc: 256, mc: 192, nc: 4096}
	g.tile, g.tileRows = tilesFor(mr, nr, asm)
	return g
}
