package kernels

import (
	"fmt"
	"math"
)

// expf returns e**x in single precision, for Attention's softmax.
//
// It reduces x to r = x - n·ln2 with |r| <= ln2/2 (ln2 split in two so the
// product n·ln2 is exact), approximates e**r with a degree-7 polynomial and
// scales by 2**n through the exponent bits. The maximum relative error over
// [-87.3, 88.7] is 2 ulp (measured by TestExpfAccuracy). Arguments whose
// result would not be a normal float32 (x < ln(2**-126), about -87.34) give
// exactly 0 rather than a denormal; x > 88.72 gives +Inf; NaN gives NaN.
func expf(x float32) float32 {
	const (
		log2e   = 1.44269504088896341
		ln2Hi   = 0.693359375 // exact in 9 bits, so n*ln2Hi is exact
		ln2Lo   = -2.12194440e-4
		minArg  = -87.33654475 // ln(2**-126)
		maxArg  = 88.72283905  // ln(MaxFloat32)
		minBits = 0x00800000   // smallest normal float32
	)
	switch {
	case x != x:
		return x
	case x < minArg:
		return 0
	case x > maxArg:
		return float32(math.Inf(1))
	}
	n := float32(math.Floor(float64(x*log2e + 0.5)))
	r := x - n*ln2Hi
	r -= n * ln2Lo
	// Horner form of the Taylor series; terms past r**7/7! are below
	// float32 precision for |r| <= 0.35.
	p := float32(1.0 / 5040)
	p = p*r + 1.0/720
	p = p*r + 1.0/120
	p = p*r + 1.0/24
	p = p*r + 1.0/6
	p = p*r + 0.5
	p = p*r + 1
	p = p*r + 1
	bits := math.Float32bits(p) + uint32(int32(n))<<23
	if bits < minBits || int32(n) < -126 {
		return 0
	}
	return math.Float32frombits(bits)
}

func rowMaxGo(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v > m {
			m = v
		}
	}
	return m
}

func expSubSumGo(x []float32, m float32) float32 {
	var sum float32
	for i, v := range x {
		e := expf(v - m)
		x[i] = e
		sum += e
	}
	return sum
}

func scaleRowGo(x []float32, s float32) {
	for i := range x {
		x[i] *= s
	}
}

// Softmax replaces x with its softmax, exp(x[i] − max x) / Σ exp(x[j] −
// max x), on the tier's vector steps: the exp is expf's (2 ulp, results
// below the normal range flushed to zero), the sum runs in index order,
// and the last step multiplies by the sum's reciprocal, so the weights
// sum to 1 within a few ulp. Subtracting the maximum keeps every exp
// argument at most 0: no overflow for any finite x, and −Inf entries (a
// masked score) get weight 0, unless all are: a row with no finite entry
// has no softmax and becomes NaN. An empty x is left as it is.
func (t Tier) Softmax(x []float32) {
	if len(x) == 0 {
		return
	}
	ti := t.get()
	m := ti.rowMax(x)
	ti.scaleRow(x, 1/ti.expSubSum(x, m))
}

// SwiGLU sets dst[i] = SiLU(gate[i])·up[i], SiLU(v) = v·σ(v) and σ(v) =
// 1/(1+e^−v): the gated activation of SwiGLU layers. dst, gate and up
// have one length, and dst overlaps neither input: dst holds the exps
// first. The exp runs on the tier's vector steps, always of −|gate[i]| ≤
// 0 (σ(v) = e^v/(1+e^v) for v < 0), so it never overflows: a large
// negative gate gives a result within a few ulp of −0, a large positive
// one gate·up, NaN gives NaN.
func (t Tier) SwiGLU(dst, gate, up []float32) {
	if len(gate) != len(dst) || len(up) != len(dst) {
		panic(fmt.Sprintf("kernels: SwiGLU: len(dst), len(gate), len(up) = %d, %d, %d, want one length", len(dst), len(gate), len(up)))
	}
	if len(dst) == 0 {
		return
	}
	if ti := t.get(); ti.swiGLU != nil {
		ti.swiGLU(dst, gate, up)
	} else {
		swiGLUWith(ti.expSubSum, dst, gate, up)
	}
}

// swiGLUWith is SwiGLU with the exp steps expSubSum, in three passes:
// dst = −|gate|, its exps, the products.
func swiGLUWith(expSubSum func(x []float32, m float32) float32, dst, gate, up []float32) {
	for i, v := range gate {
		dst[i] = -abs32(v)
	}
	expSubSum(dst, 0)
	for i, v := range gate {
		// σ(v)·(1+e) is 1 for v ≥ 0 and e below, chosen by the sign bit
		// in arithmetic (both terms exact): a branch on the sign of
		// activations mispredicts half the time.
		e, neg := dst[i], float32(math.Float32bits(v)>>31)
		dst[i] = v * (neg*e + (1 - neg)) / (1 + e) * up[i]
	}
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }
