package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestMatVecBF16 checks every bf16 tier on awkward shapes: the same bits
// as the portable tier (every tier sums each column in the same order, of
// products exact in float32), within (k+2)·2⁻²⁴·Σ|x||b| of a float64
// reference (bf16Ref: the chunked sum has at most k additions too), y
// overwritten, and the same bits at every thread count from 1 to 5.
func TestMatVecBF16(t *testing.T) {
	ns := []int{1, 7, 8, 16, 33, 64, 100, 257}
	ks := []int{0, 1, 3, 4, 5, 33, 130, matVecBF16Chunk, matVecBF16Chunk + 3}
	if !testing.Short() {
		ns = append(ns, 1000, 2048+24)
		ks = append(ks, 3*matVecBF16Chunk+1)
	}
	forEachBF16Tier(t, func(t *testing.T, ti BF16Tier) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, n := range ns {
			for _, k := range ks {
				ldb := n + r.IntN(9)
				x, b := randBF16(r, max(k, 1)), randBF16(r, max(0, (k-1)*ldb+n))
				want := make([]float32, n)
				PortableBF16().MatVecBF16(n, k, x, b, ldb, want, 1)
				y := make([]float32, n+1)
				for i := range y {
					y[i] = float32(math.NaN())
				}
				ti.MatVecBF16(n, k, x, b, ldb, y, 1)
				if !math.IsNaN(float64(y[n])) {
					t.Fatalf("n=%d k=%d: y[n] written", n, k)
				}
				if j, ok := bitsEqual(y[:n], want); !ok {
					t.Fatalf("n=%d k=%d: y[%d] = %g, portable %g", n, k, j, y[j], want[j])
				}
				for j := range n {
					ref, tol := bf16Ref(x, k, b, ldb, 0, j, k)
					if d := math.Abs(float64(y[j]) - ref); !(d <= tol) {
						t.Fatalf("n=%d k=%d: y[%d] = %g, want %g ± %g", n, k, j, y[j], ref, tol)
					}
				}
				for threads := 2; threads <= 5; threads++ {
					y2 := make([]float32, n)
					ti.MatVecBF16(n, k, x, b, ldb, y2, threads)
					if j, ok := bitsEqual(y2, y[:n]); !ok {
						t.Fatalf("n=%d k=%d threads=%d: y[%d] = %g, one thread %g", n, k, threads, j, y2[j], y[j])
					}
				}
			}
		}
	})
}

func TestMatVecBF16NoAlloc(t *testing.T) {
	forEachBF16Tier(t, func(t *testing.T, ti BF16Tier) {
		n, k := 300, matVecBF16Chunk+70
		x, b, y := make([]BF16, k), make([]BF16, k*n), make([]float32, n)
		ti.MatVecBF16(n, k, x, b, n, y, 1)
		if allocs := testing.AllocsPerRun(20, func() { ti.MatVecBF16(n, k, x, b, n, y, 1) }); allocs > 0 {
			t.Errorf("MatVecBF16 allocates %v times per call", allocs)
		}
	})
}

func TestMatVecBF16Panics(t *testing.T) {
	ti := WidestBF16()
	x, b, y := make([]BF16, 4), make([]BF16, 4*8), make([]float32, 8)
	for _, tc := range []struct {
		want string
		f    func()
	}{
		{"kernels: MatVecBF16: n = -1 < 0", func() { ti.MatVecBF16(-1, 4, x, b, 8, y, 1) }},
		{"kernels: MatVecBF16: k = -1 < 0", func() { ti.MatVecBF16(8, -1, x, b, 8, y, 1) }},
		{"kernels: MatVecBF16: ldb = 7 < max(1, 8)", func() { ti.MatVecBF16(8, 4, x, b, 7, y, 1) }},
		{"kernels: MatVecBF16: len(x) = 3 < 4", func() { ti.MatVecBF16(8, 4, x[:3], b, 8, y, 1) }},
		{"kernels: MatVecBF16: len(b) = 31 < 32", func() { ti.MatVecBF16(8, 4, x, b[:31], 8, y, 1) }},
		{"kernels: MatVecBF16: len(y) = 7 < 8", func() { ti.MatVecBF16(8, 4, x, b, 8, y[:7], 1) }},
		{"kernels: method called on the zero BF16Tier; get a tier from BF16Tiers, WidestBF16 or LookupBF16Tier", func() {
			BF16Tier{}.MatVecBF16(8, 4, x, b, 8, y, 1)
		}},
	} {
		mustPanic(t, tc.want, tc.f)
	}
}

// BenchmarkMatVecBF16 times a decode step through bf16 weights of
// Llama-3.2-1B's shapes (k×n: FFN up and gate, FFN down, the head), input-
// major as GemmBF16's B, cycling through copies that span 1 GiB, and
// reports the weight bytes read a second.
func BenchmarkMatVecBF16(b *testing.B) {
	for _, sh := range []struct{ k, n int }{{2048, 8192}, {8192, 2048}, {2048, 128256}} {
		var ws [][]BF16
		for len(ws) == 0 || float64(len(ws))*MatVecBF16Bytes(sh.n, sh.k) < 1<<30 {
			w := make([]BF16, sh.k*sh.n)
			for i := range w {
				w[i] = BF16(0x3c00 + i%251)
			}
			ws = append(ws, w)
		}
		x := make([]BF16, sh.k)
		for i := range x {
			x[i] = ToBF16(float32(i%7) - 3)
		}
		y := make([]float32, sh.n)
		for _, ti := range BF16Tiers() {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("k=%d/n=%d/threads=%d/impl=%s", sh.k, sh.n, threads, ti.Name()), func(b *testing.B) {
					i := 0
					for b.Loop() {
						ti.MatVecBF16(sh.n, sh.k, x, ws[i%len(ws)], sh.n, y, threads)
						i++
					}
					b.ReportMetric(MatVecBF16Bytes(sh.n, sh.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
				})
			}
		}
	}
}
