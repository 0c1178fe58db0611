//go:build gc && !purego && !noasm

package kernels

// The arm64 reduced-precision tiers, narrowest first.
var (
	int8Table []simdLowp[int8, int32]
	bf16Table []simdLowp[BF16, float32]
)
