//go:build gc && !purego && !noasm

package kernels

import "fmt"

// triadNEON is tier.triad for NEON: a[i] = b[i] + s*c[i], 2 float64 lanes
// a vector, 8 elements (a 64-byte line of each array) an iteration, with
// ordinary stores, as STREAM counts them. It checks the lengths the
// assembly relies on.
func triadNEON(a, b, c []float64, s float64) {
	if len(b) < len(a) || len(c) < len(a) {
		panic(fmt.Sprintf("kernels: triadNEON: len(a) = %d, len(b) = %d, len(c) = %d", len(a), len(b), len(c)))
	}
	triad2(a, b, c, s)
}

// triad2 computes a[i] = b[i] + s*c[i] for i < len(a), fused; b and c
// must be at least as long as a.
//
//go:noescape
func triad2(a, b, c []float64, s float64)
