//go:build gc && !purego && !noasm

package kernels

import (
	"math"
	"unsafe"
)

// rowMaxNEON is tier.rowMax: the maximum of x, -Inf when x is empty,
// exactly the portable result.
//
//go:noescape
func rowMaxNEON(x []float32) float32

// scaleRowNEON is tier.scaleRow: x[i] *= s, exactly the portable result.
//
//go:noescape
func scaleRowNEON(x []float32, s float32)

// expSubSumNEON is tier.expSubSum: x[i] = exp(x[i]-m), returning the sum.
//
// The exponential is expf's algorithm, 4 lanes at a time in assembly, with
// the same contract: for x-m below ln(2**-126) (about -87.34), -Inf
// included, the result is exactly 0, never a denormal; above 88.72 it is
// +Inf; NaN stays NaN. Each multiply-add is fused, as Go fuses expf's on
// arm64, so the values equal expf's bit for bit. The largest relative
// error against math.Exp, over a sweep of [-87.3, 88.7] in steps of 1e-4
// (1.77 million points), is 0.92 ulp, a relative error under 1.1e-7
// (TestExpNEON).
//
// The sum is not in index order, unlike the portable tier: the first
// len(x) &^ 3 values are summed in 8 float32 lanes (see expSubSum4) and the
// last len(x)%4 are then added one by one in index order. The order
// depends only on len(x), so a given input always gives the same bits.
func expSubSumNEON(x []float32, m float32) float32 {
	n := len(x) &^ 3
	sum := expSubSum4(unsafe.SliceData(x), n, m, &expConsts[0])
	for i := n; i < len(x); i++ {
		e := expf(x[i] - m)
		x[i] = e
		sum += e
	}
	return sum
}

// expSubSum4 sets x[i] = exp(x[i]-m) for i < n, n a multiple of 4, and
// returns their sum in lanes. consts is expConsts.
//
//go:noescape
func expSubSum4(x *float32, n int, m float32, consts *uint32) float32

// expConsts are expf's constants as float32 bits (and two integers), in
// the order expSubSum4 loads them into V17-V31. The values are expf's,
// converted to float32 as expf's arithmetic converts them.
var expConsts = [...]uint32{
	math.Float32bits(1.44269504088896341), // log2e
	math.Float32bits(0.5),
	math.Float32bits(0.693359375),    // ln2Hi, exact in 9 bits
	math.Float32bits(-2.12194440e-4), // ln2Lo
	math.Float32bits(1.0 / 5040),
	math.Float32bits(1.0 / 720),
	math.Float32bits(1.0 / 120),
	math.Float32bits(1.0 / 24),
	math.Float32bits(1.0 / 6),
	math.Float32bits(1),
	math.Float32bits(-87.33654475), // minArg = ln(2**-126)
	math.Float32bits(88.72283905),  // maxArg = ln(MaxFloat32)
	0x00800000,                     // smallest normal float32, as bits
	1<<32 - 126,                    // -126 as int32 bits: least normal exponent
	0x7F800000,                     // +Inf
}
