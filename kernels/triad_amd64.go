//go:build gc && !purego && !noasm

package kernels

import "unsafe"

// Triad and FMA loops, in triad_amd64.s.

//go:noescape
func triadAVX2(a, b, c *float64, n int, s float64)

//go:noescape
func triadAVX512(a, b, c *float64, n int, s float64)

func fmaLoopAVX2(iters int) float32

func fmaLoopAVX512(iters int) float32

// triadSteps adapts a triad loop that takes multiples of block elements.
type triadSteps struct {
	block int
	loop  func(a, b, c *float64, n int, s float64)
}

var (
	avx2Triad   = triadSteps{16, triadAVX2}
	avx512Triad = triadSteps{32, triadAVX512}
)

func (t triadSteps) triad(a, b, c []float64, s float64) {
	b, c = b[:len(a)], c[:len(a)]
	v := len(a) / t.block * t.block
	if v > 0 {
		t.loop(unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), v, s)
	}
	triadGo(a[v:], b[v:], c[v:], s)
}
