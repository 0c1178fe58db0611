//go:build gc && !purego && !noasm

package kernels

// bf16Table lists the amd64 bf16 tiers, narrowest first.
var bf16Table []simdLowp[BF16, float32]
