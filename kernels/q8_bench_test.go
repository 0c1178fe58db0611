package kernels

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// The weight shapes of Llama-3.2-1B's largest matrix products (rows ×
// cols: one row per output feature, cols inputs):
//
//	2048×8192	FFN down: 8192 hidden in, 2048 out
//	8192×2048	FFN gate and up: 2048 in, 8192 out
//	128256×2048	the output head: 2048 in, a logit per vocabulary entry
var q8BenchShapes = []struct{ rows, cols int }{{2048, 8192}, {8192, 2048}, {128256, 2048}}

// q8BenchDRAM is the least weight memory a decode benchmark cycles
// through, so that each call reads its weights from memory and not from a
// last-level cache (as the Triad's 768 MiB arrays do).
const q8BenchDRAM = 1 << 30

var q8BenchWeights sync.Map // "rows×cols" → []*Q8Matrix

// q8BenchSet returns copies of one random rows×cols weight matrix, enough
// of them to span q8BenchDRAM (at least one), built once per shape.
func q8BenchSet(rows, cols int) []*Q8Matrix {
	key := fmt.Sprint(rows, "×", cols)
	if ws, ok := q8BenchWeights.Load(key); ok {
		return ws.([]*Q8Matrix)
	}
	r := rand.New(rand.NewPCG(uint64(rows), uint64(cols)))
	w := NewQ8Matrix(rows, cols)
	for i := 0; i+8 <= len(w.Quants); i += 8 {
		v := r.Uint64()
		for j := range 8 {
			w.Quants[i+j] = int8(v >> (8 * j))
		}
	}
	for i := range w.Scales {
		w.Scales[i] = ToF16(0.001 + r.Float32()/64)
	}
	n := max(1, int(q8BenchDRAM/Q8Bytes(rows, cols)+0.5))
	ws := []*Q8Matrix{w}
	for range n - 1 {
		c := NewQ8Matrix(rows, cols)
		copy(c.Quants, w.Quants)
		copy(c.Scales, w.Scales)
		ws = append(ws, c)
	}
	q8BenchWeights.Store(key, ws)
	return ws
}

func q8BenchActivations(m, cols int) *Q8Matrix {
	x := NewQ8Matrix(m, cols)
	QuantizeQ8(x, randSlice(rand.New(rand.NewPCG(1, uint64(m))), m*cols), cols)
	return x
}

// BenchmarkQ8Decode times one token through each weight shape, cycling
// through copies of the weights that span 1 GiB, at 1 and 2 threads, and
// reports the weight bytes read a second (Q8Bytes per call) in GB/s.
func BenchmarkQ8Decode(b *testing.B) {
	for _, sh := range q8BenchShapes {
		for _, ti := range Q8Tiers() {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("w=%dx%d/threads=%d/impl=%s", sh.rows, sh.cols, threads, ti.Name()), func(b *testing.B) {
					ws := q8BenchSet(sh.rows, sh.cols)
					x := q8BenchActivations(1, sh.cols)
					y := make([]float32, sh.rows)
					ti.Q8MatMul(x, ws[0], y, sh.rows, threads)
					b.ResetTimer()
					i := 0
					for b.Loop() {
						ti.Q8MatMul(x, ws[i%len(ws)], y, sh.rows, threads)
						i++
					}
					b.ReportMetric(Q8Bytes(sh.rows, sh.cols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
				})
			}
		}
	}
}

// BenchmarkQ8Prefill times 512 tokens through each weight shape at 1 and
// 2 threads and reports GOP/s (Q8MatMulOps). The portable tier is left
// out: at a few GOP/s one call would take minutes.
func BenchmarkQ8Prefill(b *testing.B) {
	const m = 512
	for _, sh := range q8BenchShapes {
		for _, ti := range Q8Tiers()[1:] {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("w=%dx%d/m=%d/threads=%d/impl=%s", sh.rows, sh.cols, m, threads, ti.Name()), func(b *testing.B) {
					w := q8BenchSet(sh.rows, sh.cols)[0]
					x := q8BenchActivations(m, sh.cols)
					y := make([]float32, m*sh.rows)
					ti.Q8MatMul(x, w, y, sh.rows, threads)
					b.ResetTimer()
					for b.Loop() {
						ti.Q8MatMul(x, w, y, sh.rows, threads)
					}
					b.ReportMetric(Q8MatMulOps(m, sh.rows, sh.cols)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GOP/s")
				})
			}
		}
	}
}
