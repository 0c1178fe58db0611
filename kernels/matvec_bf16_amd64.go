//go:build gc && !purego && !noasm

package kernels

// matVecBF16Table maps a bf16 tier's name to its MatVecBF16 loop: every
// amd64 bf16 tier runs the AVX2 loop, which widens bf16 to float32 (a zero
// extension and a shift) and uses fused multiply-adds, both in every bf16
// tier's set. The loop is bound by memory, not by its arithmetic: an
// AVX-512 version, twice as wide, streamed as fast or, on the 128256-
// column head, a fifth slower (10 against 12 GB/s a core, measured), so it
// is not kept. VDPBF16PS would need B's values paired along k, which B
// row-major does not give without a repacking, and would round
// differently (a fused pair, denormals flushed).
var matVecBF16Table = map[string]func(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32){
	"fp32-avx2":   matVecBF16AVX2Go,
	"fp32-avx512": matVecBF16AVX2Go,
	"avx512bf16":  matVecBF16AVX2Go,
	"amx":         matVecBF16AVX2Go,
}

// matVecBF16AVX2 adds x·B to y for n columns (a multiple of 8) and k rows
// of B, ldb values apart.
//
//go:noescape
func matVecBF16AVX2(k, n int, x *BF16, b *BF16, ldb int, y *float32)

func matVecBF16AVX2Go(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	matVecBF16Asm(matVecBF16AVX2, 8, j0, j1, k, x, b, ldb, y)
}
