package kernels

import (
	"fmt"
	"math"
)

// Block-quantised int8 (Q8_0), the weight format of LLM inference on
// CPUs: every run of Q8BlockLen values along a row is int8 codes times one
// scale held as an IEEE half, 32 codes and 2 scale bytes for 32 values,
// 1.0625 bytes a value, as llama.cpp's Q8_0 stores them (QK8_0 = 32,
// ggml/src/ggml-common.h). Codes and scales are held in two arrays rather
// than interleaved 34-byte blocks: the bytes read are the same, and the
// SIMD loops load whole blocks aligned.

// Q8BlockLen is the number of values that share one scale.
const Q8BlockLen = 32

// An F16 is an IEEE 754 binary16 (half precision) value.
type F16 uint16

// ToF16 rounds f to the nearest half, ties to even; values beyond the
// half range become ±Inf and a NaN stays a NaN.
func ToF16(f float32) F16 {
	b := math.Float32bits(f)
	sign := F16(b >> 16 & 0x8000)
	exp := int(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case b&0x7fffffff > 0x7f800000: // NaN
		return sign | 0x7e00
	case exp >= 0x1f: // overflow or Inf
		return sign | 0x7c00
	case exp <= 0: // subnormal half or zero
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint(14 - exp)
		h := mant >> shift
		rem := mant & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || rem == half && h&1 == 1 {
			h++
		}
		return sign | F16(h)
	}
	h := uint32(exp)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++ // may carry into the exponent, up to Inf: still correct
	}
	return sign | F16(h)
}

// Float32 returns h exactly as a float32.
func (h F16) Float32() float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h >> 10 & 0x1f)
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		// Subnormal or zero: mant·2⁻²⁴, exact in float32.
		v := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// A Q8Matrix is a Rows×Cols matrix in Q8_0 blocks: value (i, j) is
// Quants[i·Cols+j] · Scales[i·Cols/Q8BlockLen + j/Q8BlockLen]. Cols is a
// multiple of Q8BlockLen. Weights are held with one row per output
// feature, activations with one row per token.
type Q8Matrix struct {
	Rows, Cols int
	Quants     []int8 // Rows·Cols codes, row-major
	Scales     []F16  // Rows·Cols/Q8BlockLen scales, row-major
}

// NewQ8Matrix returns a zero rows×cols Q8Matrix; cols must be a multiple
// of Q8BlockLen.
func NewQ8Matrix(rows, cols int) *Q8Matrix {
	checkQ8Shape("NewQ8Matrix", rows, cols)
	return &Q8Matrix{Rows: rows, Cols: cols,
		Quants: make([]int8, rows*cols), Scales: make([]F16, rows*cols/Q8BlockLen)}
}

func checkQ8Shape(kernel string, rows, cols int) {
	switch {
	case rows < 0:
		panic(fmt.Sprintf("kernels: %s: rows = %d < 0", kernel, rows))
	case cols < 0 || cols%Q8BlockLen != 0:
		panic(fmt.Sprintf("kernels: %s: cols = %d is not a non-negative multiple of %d", kernel, cols, Q8BlockLen))
	}
}

// check panics unless m's arrays hold its shape.
func (m *Q8Matrix) check(kernel, name string) {
	checkQ8Shape(kernel, m.Rows, m.Cols)
	if len(m.Quants) < m.Rows*m.Cols || len(m.Scales) < m.Rows*m.Cols/Q8BlockLen {
		panic(fmt.Sprintf("kernels: %s: %s holds %d codes and %d scales, short of %d×%d", kernel, name, len(m.Quants), len(m.Scales), m.Rows, m.Cols))
	}
}

// QuantizeQ8 sets row i of m from src[i·ld : i·ld+m.Cols] for every row:
// each block's scale is its largest magnitude over 127 (rounded to a
// half), and each code the value over the unrounded scale, rounded to
// nearest, as llama.cpp's quantize_row_q8_0 does. A block of zeros has
// scale 0.
func QuantizeQ8(m *Q8Matrix, src []float32, ld int) {
	m.check("QuantizeQ8", "m")
	if m.Rows > 0 && (ld < m.Cols || len(src) < (m.Rows-1)*ld+m.Cols) {
		panic(fmt.Sprintf("kernels: QuantizeQ8: len(src) = %d, ld = %d: short of %d rows of %d", len(src), ld, m.Rows, m.Cols))
	}
	for i := range m.Rows {
		QuantizeQ8Row(m.Quants[i*m.Cols:(i+1)*m.Cols], m.Scales[i*m.Cols/Q8BlockLen:(i+1)*m.Cols/Q8BlockLen], src[i*ld:i*ld+m.Cols])
	}
}

// QuantizeQ8Row quantises x, whose length is a multiple of Q8BlockLen,
// into codes q and scales s (len(x)/Q8BlockLen of them), as QuantizeQ8
// does a row. It allocates nothing: the forward pass calls it per token.
func QuantizeQ8Row(q []int8, s []F16, x []float32) {
	if len(x)%Q8BlockLen != 0 || len(q) < len(x) || len(s) < len(x)/Q8BlockLen {
		panic(fmt.Sprintf("kernels: QuantizeQ8Row: len(x) = %d, len(q) = %d, len(s) = %d", len(x), len(q), len(s)))
	}
	// The vector loop takes chunks of up to len(d) blocks, leaving each
	// block's float32 scale in d for ToF16.
	var d [64]float32
	for b := 0; b < len(x); {
		n := quantizeQ8Vec(q[b:], d[:min(len(d), (len(x)-b)/Q8BlockLen)], x[b:])
		if n == 0 {
			quantizeQ8RowGo(q[b:], s[b/Q8BlockLen:], x[b:])
			return
		}
		for i, v := range d[:n] {
			s[b/Q8BlockLen+i] = ToF16(v)
		}
		b += n * Q8BlockLen
	}
}

// quantizeQ8RowGo is QuantizeQ8Row one value at a time: the definition
// the vector loops give the bits of.
func quantizeQ8RowGo(q []int8, s []F16, x []float32) {
	for b := 0; b < len(x); b += Q8BlockLen {
		blk := x[b : b+Q8BlockLen]
		qb := q[b : b+Q8BlockLen]
		// The largest |v| by its bits: for floats with the sign
		// cleared, unsigned order is numeric order, with every NaN above
		// +Inf as math.Max would have it. Four chains of integer max
		// (conditional moves), where a float max branches on NaN and
		// signed zeros.
		var m0, m1, m2, m3 uint32
		for i := 0; i < len(blk); i += 4 {
			m0 = max(m0, math.Float32bits(blk[i])&^(1<<31))
			m1 = max(m1, math.Float32bits(blk[i+1])&^(1<<31))
			m2 = max(m2, math.Float32bits(blk[i+2])&^(1<<31))
			m3 = max(m3, math.Float32bits(blk[i+3])&^(1<<31))
		}
		d := math.Float32frombits(max(m0, m1, m2, m3)) / 127
		s[b/Q8BlockLen] = ToF16(d)
		var id float32
		if d != 0 {
			id = 1 / d
		}
		for i, v := range blk {
			// Rounding to nearest even in float32: |v·id| ≤ 127 (to
			// within an ulp), far below 2²², where adding and taking
			// away 1.5·2²³ leaves exactly the rounded integer. This is
			// math.RoundToEven's result without its float64 round trip
			// and branches. The conversion rounds the product first,
			// so that no compiler fuses it into the add.
			const magic = 0x1.8p23
			qb[i] = int8(float32(v*id) + magic - magic)
		}
	}
}
