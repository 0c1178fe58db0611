//go:build gc && !purego && !noasm && (amd64 || arm64)

package kernels

// matVecBF16Asm runs a MatVecBF16 loop of width-column vectors on the
// whole vectors of columns [j0, j1) and the portable loop on the rest,
// which sums each column in the same order, so that the result is the
// same whatever the width or the split.
func matVecBF16Asm(f func(k, n int, x *BF16, b *BF16, ldb int, y *float32), width, j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	n := (j1 - j0) / width * width
	if n > 0 {
		_ = x[k-1]
		_ = b[(k-1)*ldb+j0+n-1]
		_ = y[j0+n-1]
		f(k, n, &x[0], &b[j0], ldb, &y[j0])
	}
	if j0+n < j1 {
		matVecBF16Go(j0+n, j1, k, x, b, ldb, y)
	}
}
