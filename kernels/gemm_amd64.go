//go:build !purego && !noasm

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

// The slices' lengths were checked by Sgemm and the packing; the bounds
// checks below are what keeps a packing bug from writing out of bounds.

func tileAVX2(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	_ = a[kc*6-1]
	_ = b[kc*16-1]
	_ = c[5*ldc+15]
	gemmTile6x16AVX2(kc, unsafe.SliceData(a), 1, 6, unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
}

func tileRowsAVX2(kc int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32) {
	_ = a[5*lda+kc-1]
	_ = b[kc*16-1]
	_ = c[5*ldc+15]
	gemmTile6x16AVX2(kc, unsafe.SliceData(a), lda, 1, unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
}

func tileAVX512(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	_ = a[kc*12-1]
	_ = b[kc*32-1]
	_ = c[11*ldc+31]
	gemmTile12x32AVX512(kc, unsafe.SliceData(a), 1, 12, unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
}

func tileRowsAVX512(kc int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32) {
	_ = a[11*lda+kc-1]
	_ = b[kc*32-1]
	_ = c[11*ldc+31]
	gemmTile12x32AVX512(kc, unsafe.SliceData(a), lda, 1, unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
}

// Blocking: an mr×kc sliver of A and a kc×nr sliver of B share L1 (48 KiB
// on Sapphire Rapids, 32 KiB on Zen 4), an mc×kc block of A sits in L2 and
// a kc×nc panel of B in L3.
var (
	avx2Gemm   = gemmTier{mr: 6, nr: 16, kc: 256, mc: 192, nc: 4096, tile: tileAVX2, tileRows: tileRowsAVX2}
	avx512Gemm = gemmTier{mr: 12, nr: 32, kc: 256, mc: 192, nc: 4096, tile: tileAVX512, tileRows: tileRowsAVX512}
)
