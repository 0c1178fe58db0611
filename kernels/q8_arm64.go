//go:build gc && !purego && !noasm

package kernels

// q8Table lists this architecture's Q8_0 tiers, narrowest first.
var q8Table []simdQ8
