//go:build !gc || purego || noasm || !(amd64 || arm64)

package kernels

// Builds without assembly have the portable reduced-precision tiers alone.
var (
	int8Table []simdLowp[int8, int32]
	bf16Table []simdLowp[BF16, float32]
)
