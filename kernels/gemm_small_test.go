package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSgemmSmall holds every tier's small-m kernels (gemmTier.small) to
// the tiles' bits, bit for bit: the same products through the tier
// without them, on every m they take and awkward n and k (past the k
// block, past a 64-column chunk, not a multiple of 16), both op(B),
// padded strides, and beta zero (C not read: NaN there), one and other.
func TestSgemmSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	ran := false
	for _, ti := range Tiers() {
		gt := ti.get().gemm
		if gt.small == nil {
			continue
		}
		ran = true
		plain := *gt
		plain.small = nil
		for _, tB := range []Transpose{NoTrans, Trans} {
			for m := 1; m <= smallRows; m++ {
				for _, n := range []int{1, 7, 16, 33, 64, 65, 257} {
					for _, k := range []int{1, 13, 64, gt.kc, gt.kc + 7, 3*gt.kc + 1} {
						for _, beta := range []float32{0, 1, -0.5} {
							lda, ldb, ldc := k+3, n+5, n+2
							if tB == Trans {
								ldb = k + 5
							}
							bRows, bCols := tB.stored(k, n)
							a, b := randSlice(r, (m-1)*lda+k), randSlice(r, (bRows-1)*ldb+bCols)
							c0 := randSlice(r, (m-1)*ldc+n)
							if beta == 0 {
								for i := range c0 {
									c0[i] = float32(math.NaN())
								}
							}
							want, got := append([]float32(nil), c0...), append([]float32(nil), c0...)
							g := gemmArgs{tA: NoTrans, tB: tB, m: m, n: n, k: k, alpha: 0.75, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: want, ldc: ldc}
							g.run(&plain, 0, m, 0, n)
							ti.Sgemm(NoTrans, tB, m, n, k, 0.75, a, lda, b, ldb, beta, got, ldc, 1)
							for i := range got {
								if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
									t.Fatalf("%s tB=%v m=%d n=%d k=%d beta=%g: c[%d] = %g, the tiles %g", ti.Name(), tB, m, n, k, beta, i, got[i], want[i])
								}
							}
						}
					}
				}
			}
		}
		// Five rows go to the tiles.
		a, b, c := make([]float32, 5*8), make([]float32, 8*8), make([]float32, 5*8)
		called := false
		probe := *gt
		probe.small = func(Transpose, int, int, int, []float32, int, []float32, int, []float32, int, float32, float32) bool {
			called = true
			return false
		}
		g := gemmArgs{m: 5, n: 8, k: 8, alpha: 1, a: a, lda: 8, b: b, ldb: 8, c: c, ldc: 8}
		g.run(&probe, 0, 5, 0, 8)
		if called {
			t.Errorf("%s: small called for 5 rows", ti.Name())
		}
	}
	if !ran {
		t.Skip("no tier here has small-m kernels")
	}
}

// BenchmarkSgemmSmall times a decode step's attention products for one
// key/value head (4 query heads, head dimension 64) at 512 positions.
func BenchmarkSgemmSmall(b *testing.B) {
	const heads, hd, n = 4, 64, 512
	r := rand.New(rand.NewPCG(1, 2))
	q, keys, vals := randSlice(r, heads*hd), randSlice(r, n*hd), randSlice(r, n*hd)
	sc, out := make([]float32, heads*n), make([]float32, heads*hd)
	for _, ti := range Tiers() {
		b.Run(fmt.Sprintf("impl=%s", ti.Name()), func(b *testing.B) {
			for b.Loop() {
				ti.Sgemm(NoTrans, Trans, heads, n, hd, 0.125, q, hd, keys, hd, 0, sc, n, 1)
				ti.Sgemm(NoTrans, NoTrans, heads, hd, n, 1, sc, n, vals, hd, 0, out, hd, 1)
			}
		})
	}
}
