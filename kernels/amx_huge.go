//go:build amd64 && gc && !purego && !noasm

package kernels

// A hugeMem is the AMX kernels' packing memory: on Linux outside the Go
// heap, in huge pages (newHugeMem in amx_huge_linux.go); elsewhere, and
// for small sizes, the heap.
type hugeMem struct {
	b []byte // len the size asked for
}

// hugeMin is the smallest buffer worth a huge page: below it the packed
// operands fit the L1 TLB's reach of 4 KiB pages anyway.
const hugeMin = 256 << 10

// hugeGrow returns n bytes of *mem, replacing it with a larger hugeMem
// (newHugeMem's, or heap memory for small or refused sizes) when it holds
// fewer. The bytes are zero only when new; the caller keeps *mem
// reachable for as long as it uses them.
func hugeGrow(mem **hugeMem, n int) []byte {
	if *mem != nil && cap((*mem).b) >= n {
		return (*mem).b[:n]
	}
	if n >= hugeMin {
		if h := newHugeMem(n); h != nil {
			*mem = h
			return h.b
		}
	}
	*mem = &hugeMem{b: alignedBytes(n)}
	return (*mem).b
}
