//go:build unix

package host

import "golang.org/x/sys/unix"

// unameRelease returns the kernel release from uname(2), for systems that
// have no /proc/sys/kernel/osrelease.
func unameRelease() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return ""
	}
	return unix.ByteSliceToString(u.Release[:])
}
