package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// tile1x8Ref is the gemmTier.tile contract for a 1×8 tile written as
// plainly as it reads, for tilePortable1x8 to match bit for bit: the
// unrolled loop must not change a single operation or its order.
func tile1x8Ref(kc int, a, b, c []float32, alpha, beta float32) {
	var acc [8]float32
	for p := range kc {
		for j := range acc {
			acc[j] += a[p] * b[p*8+j]
		}
	}
	for j, s := range acc {
		if beta == 0 {
			c[j] = alpha * s
		} else {
			c[j] = alpha*s + beta*c[j]
		}
	}
}

// TestTilePortable checks tilePortable1x8 against tile1x8Ref for every
// remainder of kc modulo the unrolling, around the block sizes Sgemm uses.
// A and B carry NaN past kc steps and C past its eight values, so a read
// or write beyond the tile shows, as does reading C when beta is zero.
func TestTilePortable(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	nan := float32(math.NaN())
	for _, kc := range []int{0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 63, 64, 65, 255, 256, 257, 384} {
		for _, s := range []struct{ alpha, beta float32 }{{1, 0}, {-0.5, 0}, {1, 1}, {2, -1.5}, {0.25, 3}} {
			name := fmt.Sprintf("kc=%d/alpha=%g/beta=%g", kc, s.alpha, s.beta)
			a := append(randSlice(r, kc), nan, nan)
			b := append(randSlice(r, kc*8), nan, nan, nan, nan, nan, nan, nan, nan)
			c0 := append(randSlice(r, 8), nan)
			if s.beta == 0 {
				for j := range 8 {
					c0[j] = nan
				}
			}
			want := append([]float32(nil), c0...)
			tile1x8Ref(kc, a, b, want, s.alpha, s.beta)
			got := append([]float32(nil), c0...)
			tilePortable1x8(kc, a, b, got, 8, s.alpha, s.beta)
			if !math.IsNaN(float64(got[8])) {
				t.Fatalf("%s: c[8] past the tile was written: %g", name, got[8])
			}
			for j := range 8 {
				if math.IsNaN(float64(got[j])) {
					t.Fatalf("%s: c[%d] = NaN (read past kc, or C read with beta = 0?)", name, j)
				}
			}
			if i, ok := bitsEqual(got, want); !ok {
				t.Fatalf("%s: c[%d] = %g, want %g bit for bit", name, i, got[i], want[i])
			}
		}
	}
}

// BenchmarkTilePortable times the portable tile alone, its B sliver in L1
// and its A slivers in L2 as in Sgemm's inner loop, to show what changes
// to the k loop's code cost or gain without Sgemm's packing around it.
func BenchmarkTilePortable(b *testing.B) {
	const kc, rows = 256, 64
	r := rand.New(rand.NewPCG(11, 12))
	a, bs, c := randSlice(r, rows*kc), randSlice(r, kc*8), make([]float32, rows*8)
	for b.Loop() {
		for i := range rows {
			tilePortable1x8(kc, a[i*kc:], bs, c[i*8:], 8, 1, 1)
		}
	}
	b.ReportMetric(SgemmFLOPs(rows, 8, kc)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
