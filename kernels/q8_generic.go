//go:build !gc || purego || noasm || !(amd64 || arm64)

package kernels

// Builds without assembly have the portable Q8_0 tier alone.
var q8Table []simdQ8
