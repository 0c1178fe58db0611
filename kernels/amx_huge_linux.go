//go:build linux && amd64 && gc && !purego && !noasm

package kernels

import (
	"runtime"
	"syscall"
	"unsafe"
)

// hugePage is the size of an x86-64 transparent huge page.
const hugePage = 2 << 20

// madvHugepage is MADV_HUGEPAGE from Linux's asm-generic/mman-common.h.
const madvHugepage = 14

// newHugeMem maps memory outside the Go heap, 2 MiB-aligned and advised to
// Linux as huge pages before it is first touched, so that the AMX
// kernels' packed operands take one TLB entry per 2 MiB instead of one
// per 4 KiB. On the 2-vCPU KVM guest (family 6, model 167), where a TLB
// miss walks the guest's page tables and the host's, packing buffers in
// huge pages ran the AMX GEMMs at threads 1 10-14% faster (GemmBF16 n =
// 1024 and 2048 +10% and +14%, p = 0.009; GemmInt8 +11%, p = 0.065, and
// +12%, p = 0.026; 6 alternated runs of BenchmarkGemmBF16Tiers and
// BenchmarkGemmInt8Tiers), and BenchmarkAMXStreamBF16 with A streamed
// from 8 MiB (anew=8) 10-30%, where software prefetching of A had gained
// nothing. Linux unmaps it when the hugeMem is collected, so whoever
// uses its bytes keeps the hugeMem reachable.
//
// It returns n bytes, zero, starting on a 2 MiB boundary; nil
// where Linux refuses the mapping. Without transparent huge pages
// ("never" in /sys/kernel/mm/transparent_hugepage/enabled) the bytes are
// in 4 KiB pages, which the GEMMs run on all the same.
func newHugeMem(n int) *hugeMem {
	size := roundUp(n, hugePage)
	m, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	off := int((hugePage - uintptr(unsafe.Pointer(&m[0]))%hugePage) % hugePage)
	aligned := m[off : off+size : off+size]
	// The advice is only advice: where it is refused, the pages are 4 KiB.
	_ = syscall.Madvise(aligned, madvHugepage)
	h := &hugeMem{b: aligned[:n]}
	runtime.AddCleanup(h, func(m []byte) { _ = syscall.Munmap(m) }, m)
	return h
}
