//go:build gc && !purego && !noasm

package kernels

import "unsafe"

// q8Table lists this architecture's Q8_0 tiers, narrowest first.
var q8Table []simdQ8

// q8PrefetchLine asks for the cache line at p (PRFM PLDL2KEEP: into L2).
//
//go:noescape
func q8PrefetchLine(p unsafe.Pointer)
