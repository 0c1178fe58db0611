//go:build gc && !purego && !noasm

package kernels

// matVecBF16Table maps a bf16 tier's name to its MatVecBF16 loop: both
// arm64 bf16 tiers run the NEON loop, which widens bf16 to float32 (USHLL
// by 16) and uses FMLA; BFDOT and BFMMLA would need B's values paired
// along k, which B row-major does not give without a repacking. llvm-mca-19
// (-mcpu=neoverse-v1 and neoverse-v2) runs its inner loop, 16 columns of 4
// rows (128 bytes of B), in 9.1 cycles: 14 bytes a cycle, above a core's
// share of memory bandwidth.
var matVecBF16Table = map[string]func(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32){
	"fp32-neon": matVecBF16NEONGo,
	"bf16":      matVecBF16NEONGo,
}

// matVecBF16NEON adds x·B to y for n columns (a multiple of 8) and k rows
// of B, ldb values apart.
//
//go:noescape
func matVecBF16NEON(k, n int, x *BF16, b *BF16, ldb int, y *float32)

func matVecBF16NEONGo(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32) {
	matVecBF16Asm(matVecBF16NEON, 8, j0, j1, k, x, b, ldb, y)
}
