//go:build linux && amd64 && gc && !purego && !noasm

package kernels

import (
	"runtime"
	"testing"
	"unsafe"
)

// TestHugeGrow checks the packing memory: 2 MiB-aligned and zero when
// new, reused while large enough, replaced when not, and still mapped
// after collections while its owner is reachable.
func TestHugeGrow(t *testing.T) {
	var mem *hugeMem
	b := hugeGrow(&mem, 3<<20)
	if len(b) != 3<<20 {
		t.Fatalf("len %d, want %d", len(b), 3<<20)
	}
	if p := uintptr(unsafe.Pointer(&b[0])); p%hugePage != 0 {
		t.Errorf("starts at %#x, not on a 2 MiB boundary", p)
	}
	for i, v := range b {
		if v != 0 {
			t.Fatalf("new byte %d is %d", i, v)
		}
	}
	for i := range b {
		b[i] = byte(i)
	}
	runtime.GC()
	runtime.GC()
	if c := hugeGrow(&mem, 1<<20); &c[0] != &b[0] || c[7] != 7 {
		t.Error("a smaller size did not reuse the memory")
	}
	for i := range b {
		if b[i] != byte(i) {
			t.Fatalf("byte %d changed after a collection", i)
		}
	}
	old := mem
	if c := hugeGrow(&mem, 5<<20); mem == old || len(c) != 5<<20 || c[5<<20-1] != 0 {
		t.Error("a larger size did not give new, zero memory")
	}
	// Small sizes stay on the heap.
	var small *hugeMem
	if s := hugeGrow(&small, 4096); len(s) != 4096 || uintptr(unsafe.Pointer(&s[0]))%64 != 0 {
		t.Error("a small buffer is not 4096 bytes on a 64-byte boundary")
	}
	runtime.KeepAlive(mem)
}
