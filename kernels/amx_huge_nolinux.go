//go:build !linux && amd64 && gc && !purego && !noasm

package kernels

// A hugeMem is the AMX kernels' packing memory: on Linux, huge pages
// (amx_huge_linux.go); elsewhere, where the AMX tiers do not run, the
// heap.
type hugeMem struct {
	b []byte
}

// hugeGrow returns n bytes of *mem, replacing it when it holds fewer.
func hugeGrow(mem **hugeMem, n int) []byte {
	if *mem == nil || cap((*mem).b) < n {
		*mem = &hugeMem{b: alignedBytes(n)}
	}
	return (*mem).b[:n]
}
