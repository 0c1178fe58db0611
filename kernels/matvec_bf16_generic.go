//go:build !gc || purego || noasm || !(amd64 || arm64)

package kernels

// matVecBF16Table maps a bf16 tier's name to its MatVecBF16 loop; builds
// without assembly have none (the portable loop runs for every tier).
var matVecBF16Table = map[string]func(j0, j1, k int, x []BF16, b []BF16, ldb int, y []float32){}
