//go:build gc && !purego && !noasm

package kernels

import "unsafe"

// Vector softmax steps, in softmax_amd64.s. Each takes n, a positive
// multiple of its lane count (8 for AVX2, 16 for AVX-512); the wrappers
// below run the remainder in Go.

//go:noescape
func rowMaxAVX2(x *float32, n int) float32

//go:noescape
func scaleRowAVX2(x *float32, n int, s float32)

//go:noescape
func expSubSumAVX2(x *float32, n int, m float32) float32

//go:noescape
func rowMaxAVX512(x *float32, n int) float32

//go:noescape
func scaleRowAVX512(x *float32, n int, s float32)

//go:noescape
func expSubSumAVX512(x *float32, n int, m float32) float32

//go:noescape
func swiGLUAVX2(dst, gate, up *float32, n int)

//go:noescape
func swiGLUAVX512(dst, gate, up *float32, n int)

// softmaxSteps adapts the assembly to the tier's slice signatures for a
// vector of lanes float32s.
type softmaxSteps struct {
	lanes     int
	rowMax    func(*float32, int) float32
	scaleRow  func(*float32, int, float32)
	expSubSum func(*float32, int, float32) float32
	// swiGLUVec is SwiGLU on vectors: the exp of expSubSum (with m = 0,
	// which subtracts nothing) and then swiGLUWith's operations in its
	// order, in registers, so that the three passes over dst are one.
	swiGLUVec func(dst, gate, up *float32, n int)
}

var (
	avx2Softmax   = softmaxSteps{8, rowMaxAVX2, scaleRowAVX2, expSubSumAVX2, swiGLUAVX2}
	avx512Softmax = softmaxSteps{16, rowMaxAVX512, scaleRowAVX512, expSubSumAVX512, swiGLUAVX512}
)

func (s softmaxSteps) swiGLU(dst, gate, up []float32) {
	v := len(dst) &^ (s.lanes - 1)
	if v > 0 {
		s.swiGLUVec(unsafe.SliceData(dst), unsafe.SliceData(gate), unsafe.SliceData(up), v)
	}
	swiGLUWith(s.expSum, dst[v:], gate[v:], up[v:])
}

func (s softmaxSteps) max(x []float32) float32 {
	v := len(x) &^ (s.lanes - 1)
	m := rowMaxGo(x[v:])
	if v > 0 {
		m = max(m, s.rowMax(unsafe.SliceData(x), v))
	}
	return m
}

func (s softmaxSteps) scale(x []float32, f float32) {
	v := len(x) &^ (s.lanes - 1)
	if v > 0 {
		s.scaleRow(unsafe.SliceData(x), v, f)
	}
	scaleRowGo(x[v:], f)
}

func (s softmaxSteps) expSum(x []float32, m float32) float32 {
	v := len(x) &^ (s.lanes - 1)
	var sum float32
	if v > 0 {
		sum = s.expSubSum(unsafe.SliceData(x), v, m)
	}
	return sum + expSubSumGo(x[v:], m)
}
