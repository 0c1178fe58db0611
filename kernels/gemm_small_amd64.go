//go:build gc && !purego && !noasm

package kernels

import "unsafe"

// The small-m kernels of the avx512 tier (gemm_small_amd64.s), on raw
// pointers and byte strides.

//go:noescape
func sgemmSmallNN(m, n, kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

//go:noescape
func sgemmSmallNT(m, n, kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)

// smallAVX512 is the avx512 tier's gemmTier.small. The bounds checks
// are what keeps a caller's bug from reading or writing out of bounds.
func smallAVX512(tB Transpose, m, n, kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, alpha, beta float32) bool {
	if tB == Trans && 16*ldb*4 >= 1<<31 {
		return false // the gather's offsets are 32-bit
	}
	_, _ = a[(m-1)*lda+kc-1], c[(m-1)*ldc+n-1]
	if tB == Trans {
		_ = b[(n-1)*ldb+kc-1]
		sgemmSmallNT(m, n, kc, unsafe.SliceData(a), lda*4, unsafe.SliceData(b), ldb*4, unsafe.SliceData(c), ldc*4, alpha, beta)
	} else {
		_ = b[(kc-1)*ldb+n-1]
		sgemmSmallNN(m, n, kc, unsafe.SliceData(a), lda*4, unsafe.SliceData(b), ldb*4, unsafe.SliceData(c), ldc*4, alpha, beta)
	}
	return true
}
