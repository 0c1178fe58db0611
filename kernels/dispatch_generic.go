//go:build !gc || purego || noasm || !(amd64 || arm64)

package kernels

// Builds without assembly have the portable tier alone: those tagged
// purego or noasm, those for an architecture without SIMD tiers, and those
// by another compiler than gc (gccgo cannot assemble Go assembly). The tag
// above is the exact complement of the one on the assembly files and their
// Go declarations, so every build has one of the two.
var simdTable []simdTier

func cacheSizes() (l1d, l2 int) { return 0, 0 }
