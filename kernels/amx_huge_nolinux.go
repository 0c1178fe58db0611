//go:build !linux && amd64 && gc && !purego && !noasm

package kernels

// newHugeMem: only Linux's huge pages are known here, so the packing
// memory stays on the heap (hugeGrow), where the AMX tiers do not run
// anyway.
func newHugeMem(n int) *hugeMem { return nil }
