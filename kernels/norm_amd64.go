//go:build gc && !purego && !noasm

package kernels

import (
	"github.com/klauspost/cpuid/v2"

	"github.com/ppbench/ppbench/internal/isa"
)

func init() {
	if isa.AVX2.On(&cpuid.CPU) {
		sumSquaresVec = sumSquaresAVX2Go
		scaleMulVec = scaleMulAVX2Go
	}
}

// sumSquaresAVX2 adds x[i]² to lanes[i%8] for i < n, n a positive
// multiple of 8, in increasing i.
//
//go:noescape
func sumSquaresAVX2(x *float32, n int, lanes *[rmsNormLanes]float64)

// scaleMulAVX2 sets y[i] = (x[i]·r)·w[i] for i < n, n a positive multiple
// of 8.
//
//go:noescape
func scaleMulAVX2(y, x, w *float32, r float32, n int)

func sumSquaresAVX2Go(x []float32) (lanes [rmsNormLanes]float64, n int) {
	n = len(x) &^ 7
	if n > 0 {
		sumSquaresAVX2(&x[0], n, &lanes)
	}
	return lanes, n
}

func scaleMulAVX2Go(y, x, w []float32, r float32) int {
	n := len(x) &^ 7
	if n > 0 {
		_, _ = y[n-1], w[n-1]
		scaleMulAVX2(&y[0], &x[0], &w[0], r, n)
	}
	return n
}
