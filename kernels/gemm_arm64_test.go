//go:build gc && !purego && !noasm

package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// TestTileNEON runs the 12×8 assembly tile on its own against the portable
// 1×8 tile, row by row, on the awkward depths (0, 1, and k around the
// 4-step unroll and the kc block), strides and scalars.
//
// Go fuses a*b+c on arm64, so the portable tile accumulates with the same
// fused multiply-adds in the same order: with alpha = 1 and beta = 0 the
// two must agree bit for bit. Otherwise they may round the final
// alpha·acc + beta·c differently, by at most a couple of units in the last
// place of its terms.
func TestTileNEON(t *testing.T) {
	const mr, nr = 12, 8
	r := rand.New(rand.NewPCG(7, 8))
	for _, kc := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 255, 256, 257} {
		for _, ldc := range []int{8, 9, 21} {
			for _, s := range []struct{ alpha, beta float32 }{{1, 0}, {-0.5, 0}, {1, 1}, {2, -1.5}, {0.25, 3}, {0, 2}} {
				name := fmt.Sprintf("kc=%d/ldc=%d/alpha=%g/beta=%g", kc, ldc, s.alpha, s.beta)
				a := randSlice(r, kc*mr)
				b := randSlice(r, kc*nr)
				// One spare row: anything past the tile must stay NaN.
				c0 := randSlice(r, (mr+1)*ldc)
				for i := range c0 {
					if i%ldc >= nr || i >= mr*ldc || s.beta == 0 {
						c0[i] = float32(math.NaN())
					}
				}
				got := append([]float32(nil), c0...)
				tileNEON(kc, a, b, got, ldc, s.alpha, s.beta)

				want := append([]float32(nil), c0...)
				row := make([]float32, kc)
				for i := range mr {
					for p := range kc {
						row[p] = a[p*mr+i]
					}
					tilePortable1x8(kc, row, b, want[i*ldc:], ldc, s.alpha, s.beta)
				}

				for i := range got {
					g, w := got[i], want[i]
					if i%ldc >= nr || i >= mr*ldc {
						if !math.IsNaN(float64(g)) {
							t.Fatalf("%s: c[%d] outside the tile was written: %g", name, i, g)
						}
						continue
					}
					if math.IsNaN(float64(g)) {
						t.Fatalf("%s: c[%d] = NaN (C read with beta = 0?)", name, i)
					}
					if s.alpha == 1 && s.beta == 0 {
						if math.Float32bits(g) != math.Float32bits(w) {
							t.Fatalf("%s: c[%d] = %g, portable %g: accumulation differs", name, i, g, w)
						}
						continue
					}
					// Both sides are alpha·acc + beta·c with the same acc,
					// each rounded at most twice.
					scale := math.Abs(float64(w)) + math.Abs(float64(s.beta*c0[i]))
					if d := math.Abs(float64(g) - float64(w)); d > 4*unitRoundoff*scale {
						t.Fatalf("%s: c[%d] = %g, portable %g: differ by %.3g", name, i, g, w, d)
					}
				}
			}
		}
	}
}

// TestTileNEONBounds checks that the Go wrapper refuses slices the
// assembly would overrun.
func TestTileNEONBounds(t *testing.T) {
	a, b, c := make([]float32, 12*4), make([]float32, 8*4), make([]float32, 11*8+8)
	tileNEON(4, a, b, c, 8, 1, 0) // exactly large enough
	for _, f := range []func(){
		func() { tileNEON(4, a[:47], b, c, 8, 1, 0) },
		func() { tileNEON(4, a, b[:31], c, 8, 1, 0) },
		func() { tileNEON(4, a, b, c[:95], 8, 1, 0) },
		func() { tileNEON(4, a, b, c, 7, 1, 0) },
		func() { tileNEON(-1, a, b, c, 8, 1, 0) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			f()
		}()
	}
}

// TestSimdTiersNeedFeatures checks that a CPU without Advanced SIMD gets no
// SIMD tier, so it never reaches the assembly.
func TestSimdTiersNeedFeatures(t *testing.T) {
	var c cpuid.CPUInfo
	if ts := simdTiers(&c); len(ts) != 0 {
		t.Errorf("simdTiers(no features) = %d tiers, want none", len(ts))
	}
	c.Enable(cpuid.ASIMD)
	ts := simdTiers(&c)
	if len(ts) != 1 || ts[0].name != "neon" {
		t.Fatalf("simdTiers(neon) = %v, want the neon tier", ts)
	}
	n := ts[0]
	if n.gemm == nil || n.rowMax == nil || n.expSubSum == nil || n.scaleRow == nil || n.triad == nil || n.fmaLoop == nil || n.fmaFlopsPerIter <= 0 {
		t.Errorf("the neon tier leaves a kernel unset")
	}
}
