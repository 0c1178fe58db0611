package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestF16RoundTrip checks every half: Float32 is exact and ToF16 returns
// the same half, NaNs staying NaNs.
func TestF16RoundTrip(t *testing.T) {
	for i := range 1 << 16 {
		h := F16(i)
		f := h.Float32()
		if f != f {
			if g := ToF16(f); g&0x7c00 != 0x7c00 || g&0x3ff == 0 {
				t.Errorf("ToF16(NaN from %#04x) = %#04x, not a NaN", i, g)
			}
			continue
		}
		if g := ToF16(f); g != h {
			t.Errorf("ToF16(%g) = %#04x, want %#04x", f, g, h)
		}
	}
}

// TestF16Rounding checks ToF16 against float64 rounding to the nearest of
// the two neighbouring halves, ties to even, on values between halves.
func TestF16Rounding(t *testing.T) {
	for i := range 0x7bff { // every finite positive half but the largest
		lo, hi := F16(i), F16(i+1)
		a, b := float64(lo.Float32()), float64(hi.Float32())
		for _, frac := range []float64{0.25, 0.5, 0.75} {
			f := float32(a + (b-a)*frac)
			want := lo
			if frac > 0.5 || frac == 0.5 && i&1 == 1 {
				want = hi
			}
			if float64(f) != a+(b-a)*frac {
				continue // not representable: not a test of ToF16
			}
			if g := ToF16(f); g != want {
				t.Errorf("ToF16(%g) = %#04x, want %#04x", f, g, want)
			}
			if g := ToF16(-f); g != want|0x8000 {
				t.Errorf("ToF16(%g) = %#04x, want %#04x", -f, g, want|0x8000)
			}
		}
	}
	if g := ToF16(70000); g != 0x7c00 {
		t.Errorf("ToF16(70000) = %#04x, want +Inf", g)
	}
	if g := ToF16(float32(math.Inf(-1))); g != 0xfc00 {
		t.Errorf("ToF16(-Inf) = %#04x", g)
	}
}

// TestQ8MatMulReference checks Q8MatMul on awkward shapes against a
// float64 sum of the dequantised values, at every thread count.
func TestQ8MatMulReference(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, sh := range []struct{ m, rows, cols int }{
		{1, 1, 32}, {1, 7, 64}, {3, 33, 96}, {7, 257, 32}, {13, 65, 256}, {0, 5, 32}, {2, 0, 32},
	} {
		x, w := NewQ8Matrix(sh.m, sh.cols), NewQ8Matrix(sh.rows, sh.cols)
		xf, wf := randSlice(r, sh.m*sh.cols), randSlice(r, sh.rows*sh.cols)
		QuantizeQ8(x, xf, sh.cols)
		QuantizeQ8(w, wf, sh.cols)
		ldy := sh.rows + 3
		var first []float32
		for _, threads := range []int{1, 2, 5} {
			y := make([]float32, max(0, sh.m*ldy))
			Q8MatMul(x, w, y, ldy, threads)
			for tk := range sh.m {
				for i := range sh.rows {
					var want, mag float64
					for j := range sh.cols {
						p := q8Value(x, tk, j) * q8Value(w, i, j)
						want += p
						mag += math.Abs(p)
					}
					got := float64(y[tk*ldy+i])
					if bound := 2 * float64(sh.cols/Q8BlockLen+2) * 0x1p-24 * mag; math.Abs(got-want) > bound {
						t.Fatalf("%v threads=%d: y[%d,%d] = %g, want %g ±%g", sh, threads, tk, i, got, want, bound)
					}
				}
			}
			if first == nil {
				first = y
			} else {
				for i := range y {
					if y[i] != first[i] {
						t.Fatalf("%v: threads=%d differs from threads=1 at %d", sh, threads, i)
					}
				}
			}
		}
	}
}

// TestQuantizeQ8 checks that dequantising gives back each value to
// within half a step of its block plus the scale's own rounding to a half
// (codes up to 127, relative error up to 2⁻¹¹), and that zeros stay zero.
func TestQuantizeQ8(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := randSlice(r, 4*64)
	clear(x[64:96])
	m := NewQ8Matrix(4, 64)
	QuantizeQ8(m, x, 64)
	for i := range 4 {
		for j := range 64 {
			v := float64(x[i*64+j])
			step := float64(m.Scales[(i*64+j)/Q8BlockLen].Float32())
			if got := q8Value(m, i, j); math.Abs(got-v) > step*(0.5+127*0x1p-11)*1.0001 {
				t.Errorf("(%d,%d): %g dequantises to %g, step %g", i, j, v, got, step)
			}
		}
	}
}

func q8Value(m *Q8Matrix, i, j int) float64 {
	return float64(m.Quants[i*m.Cols+j]) * float64(m.Scales[(i*m.Cols+j)/Q8BlockLen].Float32())
}
