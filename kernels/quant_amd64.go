//go:build gc && !purego && !noasm

package kernels

import (
	"github.com/klauspost/cpuid/v2"

	"github.com/ppbench/ppbench/internal/isa"
)

// quantAVX512 says whether quantizeQ8Vec has its AVX-512 loop here.
var quantAVX512 = isa.AVX512.On(&cpuid.CPU)

// quantizeQ8Vec quantises len(d) blocks of x into q on AVX-512, as
// quantizeQ8RowGo does, bit for bit, leaving each block's scale in d as
// float32 for ToF16, and returns len(d); 0 on a CPU without AVX-512.
// A plain function, not a variable, so that d stays on its caller's
// stack.
func quantizeQ8Vec(q []int8, d []float32, x []float32) int {
	if !quantAVX512 || len(d) == 0 {
		return 0
	}
	_, _ = q[len(d)*Q8BlockLen-1], x[len(d)*Q8BlockLen-1]
	quantizeQ8AVX512(&q[0], &d[0], &x[0], len(d))
	return len(d)
}

// quantizeQ8AVX512 quantises blocks blocks of x into q, their scales into
// d.
//
//go:noescape
func quantizeQ8AVX512(q *int8, d *float32, x *float32, blocks int)
