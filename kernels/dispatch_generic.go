//go:build purego || noasm || !(amd64 || arm64)

package kernels

// cpuFeatures and simdTiers: builds without assembly have the portable
// tier alone.
type features struct{}

func cpuFeatures() features { return features{} }

func simdTiers(features) []tier { return nil }

func cacheSizes() (l1d, l2 int) { return 0, 0 }
