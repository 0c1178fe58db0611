package kernels

import (
	"fmt"
	"math"
)

// RMSNorm sets y[i] = x[i]·r·w[i] for every i of x, where r =
// 1/√(mean of x[i]² + eps): the root-mean-square normalisation of a
// transformer's residual stream, with the weights w. y may be x.
//
// The sum of squares is taken in float64, each square exact, in
// rmsNormLanes lanes: lane l adds the x[i] with i ≡ l mod rmsNormLanes in
// increasing i, and the lanes are added pairwise (0+1, 2+3, ..., then the
// pairs' sums pairwise): an order vectors take as it is, so that every
// implementation gives the same bits. r is rounded to float32, and y[i]
// is (x[i]·r)·w[i], each product rounded to float32.
func RMSNorm(y, x, w []float32, eps float32) {
	n := len(x)
	if len(y) < n || len(w) < n {
		panic(fmt.Sprintf("kernels: RMSNorm: len(y) = %d, len(w) = %d < len(x) = %d", len(y), len(w), n))
	}
	if n == 0 {
		return
	}
	lanes, v := sumSquaresVec(x)
	for i := v; i < n; i++ {
		f := float64(x[i])
		lanes[i%rmsNormLanes] += f * f
	}
	for step := 1; step < rmsNormLanes; step *= 2 {
		for l := 0; l < rmsNormLanes; l += 2 * step {
			lanes[l] += lanes[l+step]
		}
	}
	r := float32(1 / math.Sqrt(lanes[0]/float64(n)+float64(eps)))
	v = scaleMulVec(y, x, w, r)
	for i := v; i < n; i++ {
		y[i] = x[i] * r * w[i]
	}
}

// rmsNormLanes is the number of float64 partial sums RMSNorm keeps: two
// 256-bit vectors.
const rmsNormLanes = 8

// sumSquaresVec returns the lanes' sums of x[i]² (lane i%rmsNormLanes,
// in increasing i) over the longest prefix of x its vectors take, and
// its length; 0 where there are none (set by an architecture's file).
var sumSquaresVec = func(x []float32) (lanes [rmsNormLanes]float64, n int) { return lanes, 0 }

// scaleMulVec sets y[i] = (x[i]·r)·w[i] for the longest prefix of x its
// vectors take and returns its length; 0 where there are none.
var scaleMulVec = func(y, x, w []float32, r float32) int { return 0 }
