package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPackedBF16 checks every tier that packs (amx) on awkward shapes,
// including k past one k block of the layout and n past one sliver: Gemm
// gives GemmBF16's bits and MatVec the portable MatVecBF16's, at every
// thread count, and neither writes past C's or y's columns. The tiers
// that do not pack return nil; amx, where this host has it, packs.
func TestPackedBF16(t *testing.T) {
	ms := []int{1, 7, 33, 65}
	ns := []int{1, 7, 32, 33, 65, 257}
	ks := []int{0, 1, 7, 33, 257, matVecBF16Chunk + 3}
	if !testing.Short() {
		ks = append(ks, 2048, 2048+31, 3*2048+600)
	}
	packers := 0
	for _, ti := range BF16Tiers() {
		if !ti.Packs() {
			if ti.Name() == "amx" {
				t.Fatal("amx: Packs = false")
			}
			if ti.PackBF16(1, 1, []BF16{1}, 1) != nil {
				t.Fatalf("%s: Packs = false, but PackBF16 packs", ti.Name())
			}
			continue
		}
		packers++
		t.Run(ti.Name(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(21, 22))
			for _, k := range ks {
				for _, n := range ns {
					ldb := n + r.IntN(5)
					b := randBF16(r, max(0, (k-1)*ldb+n))
					p := ti.PackBF16(k, n, b, ldb)
					if pk, pn := p.Dims(); pk != k || pn != n {
						t.Fatalf("k=%d n=%d: Dims = %d, %d", k, n, pk, pn)
					}
					checkPackedMatVec(t, p, r, b, ldb)
					for _, m := range ms {
						checkPackedGemm(t, ti, p, r, m, b, ldb)
					}
				}
			}
		})
	}
	if packers == 0 {
		t.Skip("no bf16 tier on this host packs (only amx does)")
	}
}

func checkPackedMatVec(t *testing.T, p *PackedBF16, r *rand.Rand, b []BF16, ldb int) {
	t.Helper()
	k, n := p.Dims()
	x := randBF16(r, max(k, 1))
	want := make([]float32, n)
	PortableBF16().MatVecBF16(n, k, x, b, ldb, want, 1)
	for threads := 1; threads <= 3; threads++ {
		y := make([]float32, n+1)
		y[n] = float32(math.NaN())
		p.MatVec(x[:k], y, threads)
		if !math.IsNaN(float64(y[n])) {
			t.Fatalf("MatVec k=%d n=%d threads=%d: y[n] written", k, n, threads)
		}
		if j, ok := bitsEqual(y[:n], want); !ok {
			t.Fatalf("MatVec k=%d n=%d threads=%d: y[%d] = %g, MatVecBF16 %g", k, n, threads, j, y[j], want[j])
		}
	}
}

func checkPackedGemm(t *testing.T, ti BF16Tier, p *PackedBF16, r *rand.Rand, m int, b []BF16, ldb int) {
	t.Helper()
	k, n := p.Dims()
	lda, ldc := max(1, k)+r.IntN(3), n+1
	a := randBF16(r, max(0, (m-1)*lda+k))
	want := make([]float32, m*ldc)
	ti.GemmBF16(m, n, k, a, lda, b, ldb, want, ldc, 1)
	for threads := 1; threads <= 3; threads += 2 {
		c := make([]float32, m*ldc)
		for i := range c {
			c[i] = float32(math.NaN())
		}
		p.Gemm(m, a, lda, c, ldc, threads)
		for i := range m {
			if !math.IsNaN(float64(c[i*ldc+n])) {
				t.Fatalf("Gemm m=%d k=%d n=%d threads=%d: C[%d][n] written", m, k, n, threads, i)
			}
			if j, ok := bitsEqual(c[i*ldc:i*ldc+n], want[i*ldc:i*ldc+n]); !ok {
				t.Fatalf("Gemm m=%d k=%d n=%d threads=%d: C[%d][%d] = %g, GemmBF16 %g", m, k, n, threads, i, j, c[i*ldc+j], want[i*ldc+j])
			}
		}
	}
}

// TestPackedBF16NoAlloc checks that one-thread products allocate
// nothing in steady state: a decode step runs one per matrix.
func TestPackedBF16NoAlloc(t *testing.T) {
	for _, ti := range BF16Tiers() {
		p := ti.PackBF16(300, 70, make([]BF16, 300*70), 70)
		if p == nil {
			continue
		}
		x, y := make([]BF16, 3*300), make([]float32, 3*70)
		p.MatVec(x, y, 1)
		p.Gemm(3, x, 300, y, 70, 1)
		if n := testing.AllocsPerRun(10, func() { p.MatVec(x, y, 1) }); n != 0 {
			t.Errorf("%s: MatVec allocates %.1f times a call", ti.Name(), n)
		}
		if n := testing.AllocsPerRun(10, func() { p.Gemm(3, x, 300, y, 70, 1) }); n != 0 {
			t.Errorf("%s: Gemm allocates %.1f times a call", ti.Name(), n)
		}
	}
}

// TestPackedBF16Panics checks the one-line errors of bad shapes.
func TestPackedBF16Panics(t *testing.T) {
	var p *PackedBF16
	for _, ti := range BF16Tiers() {
		if p = ti.PackBF16(4, 3, make([]BF16, 12), 3); p != nil {
			mustPanic(t, "kernels: PackBF16: len(b) = 11 < 12", func() { ti.PackBF16(4, 3, make([]BF16, 11), 3) })
			mustPanic(t, "kernels: PackBF16: ldb = 2 < max(1, 3)", func() { ti.PackBF16(4, 3, make([]BF16, 12), 2) })
			break
		}
	}
	if p == nil {
		t.Skip("no bf16 tier on this host packs (only amx does)")
	}
	mustPanic(t, "kernels: PackedBF16.Gemm: len(a) = 7 < 8", func() { p.Gemm(2, make([]BF16, 7), 4, make([]float32, 6), 3, 1) })
	mustPanic(t, "kernels: PackedBF16.Gemm: ldc = 2 < max(1, 3)", func() { p.Gemm(2, make([]BF16, 8), 4, make([]float32, 6), 2, 1) })
	mustPanic(t, "kernels: PackedBF16.MatVec: len(x) = 3 < 4", func() { p.MatVec(make([]BF16, 3), make([]float32, 3), 1) })
	mustPanic(t, "kernels: PackedBF16.MatVec: len(y) = 2 < 3", func() { p.MatVec(make([]BF16, 4), make([]float32, 2), 1) })
}

// BenchmarkPackedBF16 times the packed products on a model's shapes
// against GemmBF16 and MatVecBF16 on the same B, many copies of B so that
// it comes from memory as a model's weights do.
func BenchmarkPackedBF16(b *testing.B) {
	for _, ti := range BF16Tiers() {
		if !ti.Packs() {
			continue
		}
		for _, sh := range []struct{ m, k, n int }{{512, 2048, 3072}, {512, 2048, 16384}, {512, 8192, 2048}, {1, 2048, 16384}} {
			var ws [][]BF16
			var ps []*PackedBF16
			for len(ws) == 0 || float64(len(ws))*MatVecBF16Bytes(sh.n, sh.k) < 1<<30 {
				w := make([]BF16, sh.k*sh.n)
				for i := range w {
					w[i] = BF16(0x3c00 + i%251)
				}
				ws, ps = append(ws, w), append(ps, ti.PackBF16(sh.k, sh.n, w, sh.n))
			}
			a := make([]BF16, sh.m*sh.k)
			for i := range a {
				a[i] = ToBF16(float32(i%7) - 3)
			}
			c := make([]float32, sh.m*sh.n)
			for _, packed := range []bool{false, true} {
				name := fmt.Sprintf("m=%d/k=%d/n=%d/packed=%t/impl=%s", sh.m, sh.k, sh.n, packed, ti.Name())
				b.Run(name, func(b *testing.B) {
					i := 0
					for b.Loop() {
						switch {
						case packed && sh.m == 1:
							ps[i%len(ps)].MatVec(a, c, 1)
						case packed:
							ps[i%len(ps)].Gemm(sh.m, a, sh.k, c, sh.n, 1)
						case sh.m == 1:
							ti.MatVecBF16(sh.n, sh.k, a, ws[i%len(ws)], sh.n, c, 1)
						default:
							ti.GemmBF16(sh.m, sh.n, sh.k, a, sh.k, ws[i%len(ws)], sh.n, c, sh.n, 1)
						}
						i++
					}
					b.ReportMetric(GemmInt8Ops(sh.m, sh.n, sh.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}
