package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzSgemmTiers compares every SIMD tier with the portable one on random
// shapes, transposes, scalars and values (including large magnitudes).
func FuzzSgemmTiers(f *testing.F) {
	f.Add(uint8(7), uint8(33), uint8(65), uint8(0), uint64(1), float32(1), float32(0))
	f.Add(uint8(1), uint8(1), uint8(1), uint8(3), uint64(2), float32(-2), float32(0.5))
	f.Add(uint8(13), uint8(50), uint8(200), uint8(1), uint64(3), float32(1e3), float32(1))
	f.Fuzz(func(t *testing.T, m8, n8, k8, trans uint8, seed uint64, alpha, beta float32) {
		m, n, k := int(m8)%80, int(n8)%80, int(k8)
		if !isFinite(alpha) || !isFinite(beta) || math.Abs(float64(alpha)) > 1e6 || math.Abs(float64(beta)) > 1e6 {
			return
		}
		tA, tB := Transpose(trans&1 != 0), Transpose(trans&2 != 0)
		r := rand.New(rand.NewPCG(seed, 1))
		aRows, aCols := tA.stored(m, k)
		bRows, bCols := tB.stored(k, n)
		lda, ldb := max(1, aCols), max(1, bCols)
		a, b, c0 := randSlice(r, aRows*lda), randSlice(r, bRows*ldb), randSlice(r, m*max(1, n))
		ldc := max(1, n)
		_, scale := sgemmRef(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc)
		want := append([]float32(nil), c0...)
		Portable().Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, want, ldc, 1)
		for _, ti := range Tiers()[1:] {
			got := append([]float32(nil), c0...)
			ti.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc, 3)
			for i := range m {
				for j := range n {
					d := math.Abs(float64(got[i*ldc+j]) - float64(want[i*ldc+j]))
					if tol := 2 * float64(k+3) * unitRoundoff * scale[i*n+j]; !(d <= tol) {
						t.Fatalf("%s m=%d n=%d k=%d tA=%v tB=%v: C[%d][%d] = %g, portable %g", ti.Name(), m, n, k, tA, tB, i, j, got[i*ldc+j], want[i*ldc+j])
					}
				}
			}
		}
	})
}

func isFinite(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }
