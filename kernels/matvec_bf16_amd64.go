//go:build gc && !purego && !noasm

package kernels

// matVecBF16Table maps a bf16 tier's name to its MatVecBF16 loop. The
// loops widen bf16 to float32 (a zero extension and a shift) and use
// fused multiply-adds, which every bf16 tier's features include: the
// avx512 loop needs AVX-512 F and BW, which the fp32-avx512, avx512bf16
// and amx sets all hold; the avx2 loop AVX2 and FMA. VDPBF16PS would need
// B's values paired along k, which B row-major does not give without a
// repacking, and would round differently (a fused pair, denormals
// flushed); the loop is bound by memory, not by its arithmetic.
var matVecBF16Table = map[string]func(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32){
	"fp32-avx2":   matVecBF16AVX2Go,
	"fp32-avx512": matVecBF16AVX512Go,
	"avx512bf16":  matVecBF16AVX512Go,
	"amx":         matVecBF16AVX512Go,
}

// matVecBF16AVX512 adds x·B to y for n columns (a multiple of 16) and k
// rows of B, ldb values apart; matVecBF16AVX2 for n a multiple of 8.
//
//go:noescape
func matVecBF16AVX512(k, n int, x *BF16, b *BF16, ldb int, y *float32)

//go:noescape
func matVecBF16AVX2(k, n int, x *BF16, b *BF16, ldb int, y *float32)

func matVecBF16AVX512Go(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	matVecBF16Asm(matVecBF16AVX512, 16, j0, j1, k, x, b, ldb, y)
}

func matVecBF16AVX2Go(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	matVecBF16Asm(matVecBF16AVX2, 8, j0, j1, k, x, b, ldb, y)
}
