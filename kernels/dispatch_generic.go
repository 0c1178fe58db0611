//go:build purego || noasm || !(amd64 || arm64)

package kernels

// Builds without assembly (the purego or noasm tags, or an architecture
// without SIMD tiers) have the portable tier alone.
var simdTable []simdTier

func cacheSizes() (l1d, l2 int) { return 0, 0 }
