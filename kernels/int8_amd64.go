//go:build gc && !purego && !noasm

package kernels

// int8Table lists the amd64 int8 tiers, narrowest first.
var int8Table []simdLowp[int8, int32]
