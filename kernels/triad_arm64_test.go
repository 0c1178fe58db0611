//go:build gc && !purego && !noasm

package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTriadNEON compares the NEON triad with the portable one bit for bit
// (both fuse b + s*c on arm64) on every length around the 8- and 2-element
// steps, at every start offset within a vector, and checks that nothing
// past len(a) is written.
func TestTriadNEON(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for n := range 40 {
		for off := range 2 {
			b := make([]float64, off+n)
			c := make([]float64, off+n)
			for i := range b {
				b[i], c[i] = r.NormFloat64(), r.NormFloat64()
			}
			s := r.NormFloat64()
			got := make([]float64, off+n+1)
			want := make([]float64, n)
			got[off+n] = math.Pi // a guard just past a
			triadNEON(got[off:off+n], b[off:], c[off:], s)
			triadGo(want, b[off:], c[off:], s)
			for i := range n {
				if math.Float64bits(got[off+i]) != math.Float64bits(want[i]) {
					t.Fatalf("n=%d off=%d: a[%d] = %g, portable %g", n, off, i, got[off+i], want[i])
				}
			}
			if got[off+n] != math.Pi {
				t.Fatalf("n=%d off=%d: wrote past len(a)", n, off)
			}
		}
	}
	mustPanic(t, "kernels: triadNEON: len(a) = 3, len(b) = 2, len(c) = 3", func() {
		triadNEON(make([]float64, 3), make([]float64, 2), make([]float64, 3), 1)
	})
}
