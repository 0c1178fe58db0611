//go:build gc && !purego && !noasm

package kernels

// cacheSizes returns unknown sizes: on arm64 Linux the cache sizes live in
// sysfs, not in any register a user process may read, and the kernels do no
// I/O, so the NEON tier keeps its default blocking.
func cacheSizes() (l1d, l2 int) { return 0, 0 }
