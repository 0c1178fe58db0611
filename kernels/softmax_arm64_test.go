//go:build gc && !purego && !noasm

package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestExpNEON sweeps the NEON exponential densely over expf's normal range
// and measures its largest relative error against math.Exp, in ulps of the
// result; the figure is quoted in expSubSumNEON's doc comment. It also
// checks the values bit for bit against expf: both do the same fused
// operations in the same order (Go fuses a*b+c on arm64), so a difference
// means a wrong constant or step in the assembly.
func TestExpNEON(t *testing.T) {
	step := float32(1e-4)
	if testing.Short() {
		step = 1e-2
	}
	var xs []float32
	for x := float32(-87.3); x < 88.7; x += step {
		xs = append(xs, x)
	}
	got := append([]float32(nil), xs...)
	expSubSumNEON(got, 0)
	var worst float64
	var worstX float32
	for i, x := range xs {
		want := math.Exp(float64(x))
		ulp := float64(math.Nextafter32(float32(want), float32(math.Inf(1)))) - float64(float32(want))
		if e := math.Abs(float64(got[i])-want) / ulp; e > worst {
			worst, worstX = e, x
		}
		if e := expf(x); math.Float32bits(got[i]) != math.Float32bits(e) {
			t.Fatalf("exp(%g) = %g, expf gives %g", x, got[i], e)
		}
	}
	t.Logf("%d points: max error %.3f ulp at x = %g", len(xs), worst, worstX)
	if worst > 1 {
		t.Errorf("max error %.3f ulp at x = %g, want <= 1", worst, worstX)
	}
}

// TestExpNEONEdges checks the special cases in every lane position and
// that nothing comes out denormal near the flush point.
func TestExpNEONEdges(t *testing.T) {
	inf := float32(math.Inf(1))
	cases := []struct{ x, want float32 }{
		{0, 1},
		{-inf, 0},
		{-87.5, 0}, // would be denormal: flushed
		{-200, 0},
		{-1e30, 0}, // no overflow in the reduction
		{-math.MaxFloat32, 0},
		{inf, inf},
		{89, inf},
		{math.MaxFloat32, inf},
	}
	for lane := range 8 {
		for _, c := range cases {
			x := make([]float32, 8)
			x[lane] = c.x
			expSubSumNEON(x, 0)
			if x[lane] != c.want {
				t.Errorf("lane %d: exp(%g) = %g, want %g", lane, c.x, x[lane], c.want)
			}
		}
		x := make([]float32, 8)
		x[lane] = float32(math.NaN())
		if expSubSumNEON(x, 0) == expSubSumNEON(x, 0) || x[lane] == x[lane] {
			t.Errorf("lane %d: exp(NaN) = %g, want NaN", lane, x[lane])
		}
	}
	// Subtracting m: exp(x - m) with a large m underflows to 0.
	x := []float32{0, 1, 2, 3, -inf, 5, 6, 7}
	expSubSumNEON(x, 100)
	for i, v := range x {
		if v != 0 {
			t.Errorf("exp(x[%d]-100) = %g, want 0", i, v)
		}
	}
	var xs []float32
	for v := float32(-88); v < -86; v += 1e-5 {
		xs = append(xs, v)
	}
	expSubSumNEON(xs, 0)
	for i, y := range xs {
		if y != 0 && y < 0x1p-126 {
			t.Fatalf("exp(%g) = %g is denormal", -88+float32(i)*1e-5, y)
		}
	}
}

// TestSoftmaxNEONLengths compares the three NEON softmax steps with the
// portable ones on every length around the vector widths: rowMax and
// scaleRow exactly, exp values bit for bit, the sum (taken in lanes)
// within rounding, and the same bits on every call.
func TestSoftmaxNEONLengths(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for n := range 70 {
		x := randSlice(r, n)
		for i := range x {
			x[i] *= 20
		}
		if n > 3 {
			x[n/3] = float32(math.NaN()) // ignored by both maxima
		}
		if got, want := rowMaxNEON(x), rowMaxGo(x); got != want {
			t.Fatalf("n=%d: rowMax = %g, portable %g", n, got, want)
		}
		if n > 3 {
			x[n/3] = -5
		}
		m := rowMaxGo(x)

		want := append([]float32(nil), x...)
		wantSum := expSubSumGo(want, m)
		got := append([]float32(nil), x...)
		sum := expSubSumNEON(got, m)
		if i, ok := bitsEqual(got, want); !ok {
			t.Fatalf("n=%d: exp value %d = %g, portable %g", n, i, got[i], want[i])
		}
		var exact float64
		for _, v := range want {
			exact += float64(v)
		}
		if d := math.Abs(float64(sum) - exact); d > float64(n)*unitRoundoff*exact {
			t.Fatalf("n=%d: sum %g, exact %g (portable %g)", n, sum, exact, wantSum)
		}
		again := append([]float32(nil), x...)
		if s2 := expSubSumNEON(again, m); math.Float32bits(s2) != math.Float32bits(sum) {
			t.Fatalf("n=%d: sum %g then %g", n, sum, s2)
		}

		s := float32(-0.37)
		a, b := append([]float32(nil), x...), append([]float32(nil), x...)
		scaleRowNEON(a, s)
		scaleRowGo(b, s)
		if i, ok := bitsEqual(a, b); !ok {
			t.Fatalf("n=%d: scaleRow[%d] = %g, portable %g", n, i, a[i], b[i])
		}
	}
	if m := rowMaxNEON(nil); !math.IsInf(float64(m), -1) {
		t.Errorf("rowMax(empty) = %g, want -Inf", m)
	}
	if s := expSubSumNEON(nil, 0); s != 0 {
		t.Errorf("expSubSum(empty) = %g, want 0", s)
	}
	scaleRowNEON(nil, 2)
	// Only the slice is touched: a subslice's neighbours stay put.
	x := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	scaleRowNEON(x[1:6], 10)
	expSubSumNEON(x[6:8], 0)
	if x[0] != 1 || x[5] != 60 || x[8] != 9 {
		t.Errorf("neighbours changed: %v", x)
	}
}
