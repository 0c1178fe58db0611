//go:build linux && amd64 && gc && !purego && !noasm

package kernels

import "syscall"

// arch_prctl's request for permission to use an extended state
// component, and the component of the AMX tile data (TILEDATA, XCR0 bit
// 18), from Linux's asm/prctl.h and asm/fpu/types.h.
const (
	archReqXcompPerm  = 0x1023
	xfeatureXtiledata = 18
)

// amxRequest asks Linux for the tile data state for the whole process
// (every thread, present and future; Linux 5.16 and later) and returns ""
// or why it was refused. Without it the first tile instruction would
// raise SIGILL: Linux keeps TILEDATA disabled through XFD until granted.
// The kernel refuses when a thread's sigaltstack is too small for the
// larger signal frame; Go's signal stacks are 32 KiB, which is enough.
func amxRequest() string {
	if _, _, e := syscall.RawSyscall(syscall.SYS_ARCH_PRCTL, archReqXcompPerm, xfeatureXtiledata, 0); e != 0 {
		return "denied by the kernel: " + e.Error()
	}
	return ""
}
