package kernels

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
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

// q8Tolerance is the bound every tier's y[t,r] is within of the exact dot
// product of the dequantised values: each block's int32 dot product D and
// scale product S are exact, so only the nb products D·S (when not fused)
// and the additions of the terms round, each by at most u = 2⁻²⁴ of what
// it rounds. A tier adds its terms in chains and trees at most nb+4 deep
// (a chain over the blocks, or lane chains of nb/16 blocks or 8·nb lane
// partials of nb/8... then a tree of at most 4 levels), every term's
// magnitude is at most that of its block's share of Σⱼ|x(t,j)·w(r,j)|,
// so the error is at most (nb+8)·u·Σⱼ|x(t,j)·w(r,j)|, with room for the
// second-order terms.
func q8Tolerance(nb int, mag float64) float64 { return float64(nb+8) * 0x1p-24 * mag }

// q8Ref returns the exact (float64) y[t,r] of the dequantised values and
// Σⱼ|x(t,j)·w(r,j)|.
func q8Ref(x, w *Q8Matrix, t, r int) (want, mag float64) {
	for j := range x.Cols {
		p := q8Value(x, t, j) * q8Value(w, r, j)
		want += p
		mag += math.Abs(p)
	}
	return want, mag
}

// randQ8 returns a rows×cols Q8Matrix of random codes over the whole int8
// range, -128 included, which QuantizeQ8 never writes but a tier must take,
// and scales spread over 2⁻¹⁴..2⁴ (subnormal halves among them), with one
// block in seven zero.
func randQ8(r *rand.Rand, rows, cols int) *Q8Matrix {
	m := NewQ8Matrix(rows, cols)
	for i := range m.Quants {
		m.Quants[i] = int8(r.IntN(256) - 128)
	}
	for i := range m.Scales {
		switch r.IntN(7) {
		case 0:
			m.Scales[i] = 0
		case 1:
			m.Scales[i] = F16(1 + r.IntN(0x3ff)) // subnormal
		default:
			m.Scales[i] = ToF16(float32(math.Ldexp(1+r.Float64(), r.IntN(18)-14)))
		}
	}
	return m
}

// quantQ8 returns a rows×cols Q8Matrix quantised from random values, as a
// model's weights and activations are.
func quantQ8(r *rand.Rand, rows, cols int) *Q8Matrix {
	m := NewQ8Matrix(rows, cols)
	QuantizeQ8(m, randSlice(r, rows*cols), cols)
	return m
}

func forEachQ8Tier(t *testing.T, f func(t *testing.T, ti Q8Tier)) {
	for _, ti := range Q8Tiers() {
		t.Run("tier="+ti.Name(), func(t *testing.T) { f(t, ti) })
	}
}

// q8Shapes are awkward sizes: rows that are multiples of no tile, cols of
// 1, 2, 3 and 65 blocks (one past a multiple of 16 and 4), and token
// counts on either side of q8GemmMin and of the tiles' heights (3, 6, 16).
var q8Shapes = func() (s []struct{ m, rows, cols int }) {
	for _, m := range []int{1, 3, 7, 13, 19} {
		for _, rows := range []int{1, 7, 33, 257} {
			for _, cols := range []int{32, 64, 96, 2048 + 32} {
				s = append(s, struct{ m, rows, cols int }{m, rows, cols})
			}
		}
	}
	return append(s, struct{ m, rows, cols int }{512, 33, 96}, struct{ m, rows, cols int }{512, 7, 544})
}()

// TestQ8MatMulReference checks every tier on awkward shapes against the
// float64 reference within q8Tolerance, with a padded ldy whose padding
// must stay untouched, and every thread count from 1 to 5 bit for bit.
func TestQ8MatMulReference(t *testing.T) {
	forEachQ8Tier(t, func(t *testing.T, ti Q8Tier) {
		r := rand.New(rand.NewPCG(7, 8))
		for i, sh := range q8Shapes {
			if testing.Short() && sh.m*sh.rows*sh.cols > 1<<20 && i%3 != 0 {
				continue
			}
			mk := randQ8
			if i%2 == 1 {
				mk = quantQ8
			}
			x, w := mk(r, sh.m, sh.cols), mk(r, sh.rows, sh.cols)
			ldy := sh.rows + 3
			const canary = -1.5
			y := make([]float32, sh.m*ldy)
			for j := range y {
				y[j] = canary
			}
			ti.Q8MatMul(x, w, y, ldy, 1)
			nb := sh.cols / Q8BlockLen
			for tk := range sh.m {
				for j := range ldy - sh.rows {
					if v := y[tk*ldy+sh.rows+j]; v != canary {
						t.Fatalf("%v: y[%d, %d] past the rows was written: %g", sh, tk, sh.rows+j, v)
					}
				}
				for i := range sh.rows {
					want, mag := q8Ref(x, w, tk, i)
					got := float64(y[tk*ldy+i])
					if d := math.Abs(got - want); !(d <= q8Tolerance(nb, mag)) {
						t.Fatalf("%v: y[%d,%d] = %g, want %g ± %g", sh, tk, i, got, want, q8Tolerance(nb, mag))
					}
				}
			}
			for threads := 2; threads <= 5; threads++ {
				y2 := make([]float32, len(y))
				for j := range y2 {
					y2[j] = canary
				}
				ti.Q8MatMul(x, w, y2, ldy, threads)
				if j, ok := bitsEqual(y2, y); !ok {
					t.Fatalf("%v threads=%d: y[%d] = %g, one thread %g", sh, threads, j, y2[j], y[j])
				}
			}
		}
	})
}

// TestQ8VsPortable checks each SIMD tier against the portable one on
// larger shapes than the reference test affords: both are within
// q8Tolerance of the exact result, so within twice it of each other.
func TestQ8VsPortable(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	shapes := []struct{ m, rows, cols int }{{1, 300, 4096 + 96}, {2, 97, 1024}, {40, 70, 512 + 64}}
	if !testing.Short() {
		shapes = append(shapes, struct{ m, rows, cols int }{130, 200, 2048 + 32})
	}
	for _, sh := range shapes {
		x, w := quantQ8(r, sh.m, sh.cols), quantQ8(r, sh.rows, sh.cols)
		want := make([]float32, sh.m*sh.rows)
		PortableQ8().Q8MatMul(x, w, want, sh.rows, 2)
		forEachQ8Tier(t, func(t *testing.T, ti Q8Tier) {
			got := make([]float32, len(want))
			ti.Q8MatMul(x, w, got, sh.rows, 3)
			for tk := range sh.m {
				for i := range sh.rows {
					var mag float64
					for j := range sh.cols {
						mag += math.Abs(q8Value(x, tk, j) * q8Value(w, i, j))
					}
					g, p := float64(got[tk*sh.rows+i]), float64(want[tk*sh.rows+i])
					if d := math.Abs(g - p); !(d <= 2*q8Tolerance(sh.cols/Q8BlockLen, mag)) {
						t.Fatalf("%v: y[%d,%d] = %g, portable %g", sh, tk, i, g, p)
					}
				}
			}
		})
	}
}

// TestQ8Zero checks the empty shapes: no tokens or no weight rows write
// nothing, and no columns write zeros.
func TestQ8Zero(t *testing.T) {
	forEachQ8Tier(t, func(t *testing.T, ti Q8Tier) {
		y := []float32{7, 7, 7, 7, 7, 7}
		ti.Q8MatMul(NewQ8Matrix(0, 32), NewQ8Matrix(3, 32), y, 3, 2)
		ti.Q8MatMul(NewQ8Matrix(2, 32), NewQ8Matrix(0, 32), y, 3, 2)
		if y[0] != 7 || y[5] != 7 {
			t.Errorf("empty product wrote y: %v", y)
		}
		ti.Q8MatMul(NewQ8Matrix(2, 0), NewQ8Matrix(2, 0), y, 3, 1)
		if want := []float32{0, 0, 7, 0, 0, 7}; !slices.Equal(y, want) {
			t.Errorf("cols = 0: y = %v, want %v", y, want)
		}
	})
}

// TestQ8NoAlloc checks that decode and prefill reuse their buffers.
func TestQ8NoAlloc(t *testing.T) {
	forEachQ8Tier(t, func(t *testing.T, ti Q8Tier) {
		w := NewQ8Matrix(70, 512+32)
		for _, m := range []int{1, 20} {
			x := NewQ8Matrix(m, w.Cols)
			y := make([]float32, m*w.Rows)
			ti.Q8MatMul(x, w, y, w.Rows, 1)
			if allocs := testing.AllocsPerRun(20, func() { ti.Q8MatMul(x, w, y, w.Rows, 1) }); allocs > 0 {
				t.Errorf("m=%d: Q8MatMul allocates %v times per call in steady state", m, allocs)
			}
		}
	})
}

func TestQ8Panics(t *testing.T) {
	x, w := NewQ8Matrix(2, 64), NewQ8Matrix(3, 64)
	y := make([]float32, 6)
	ti := WidestQ8()
	mustPanic(t, "kernels: Q8MatMul: x has 64 columns, w 32", func() { ti.Q8MatMul(x, NewQ8Matrix(3, 32), y, 3, 1) })
	mustPanic(t, "kernels: Q8MatMul: ldy = 2 < 3 weight rows", func() { ti.Q8MatMul(x, w, y, 2, 1) })
	mustPanic(t, "kernels: Q8MatMul: len(y) = 5 < 6", func() { ti.Q8MatMul(x, w, y[:5], 3, 1) })
	short := &Q8Matrix{Rows: 3, Cols: 64, Quants: make([]int8, 64*3), Scales: make([]F16, 5)}
	mustPanic(t, "kernels: Q8MatMul: w holds 192 codes and 5 scales, short of 3×64", func() { ti.Q8MatMul(x, short, y, 3, 1) })
	mustPanic(t, "kernels: Q8MatMul: cols = 48 is not a non-negative multiple of 32", func() {
		ti.Q8MatMul(&Q8Matrix{Rows: 1, Cols: 48}, w, y, 3, 1)
	})
	mustPanic(t, "kernels: method called on the zero Q8Tier; get a tier from Q8Tiers, WidestQ8 or LookupQ8Tier", func() {
		Q8Tier{}.Q8MatMul(x, w, y, 3, 1)
	})
}

func TestLookupQ8Tier(t *testing.T) {
	for _, ti := range Q8Tiers() {
		if got, err := LookupQ8Tier(ti.Name()); err != nil || got != ti {
			t.Errorf("LookupQ8Tier(%q) = %v, %v", ti.Name(), got, err)
		}
	}
	if got, err := LookupQ8Tier(""); err != nil || got != WidestQ8() {
		t.Errorf(`LookupQ8Tier("") = %v, %v, want the widest`, got, err)
	}
	if _, err := LookupQ8Tier("avx1024"); err == nil || !strings.Contains(err.Error(), "portable") {
		t.Errorf("LookupQ8Tier(avx1024): err = %v, want one listing the tiers", err)
	}
	if PortableQ8().Name() != "portable" || Q8Tiers()[0] != PortableQ8() {
		t.Errorf("portable tier: %q, first of Q8Tiers %q", PortableQ8().Name(), Q8Tiers()[0].Name())
	}
}

// TestQ8TiersInTheTable: every Q8_0 tier this build can dispatch, whatever
// this CPU has, is a row of isa's tier table of data type q8_0 with the
// same architecture and features.
func TestQ8TiersInTheTable(t *testing.T) {
	check := func(name string, needs isa.Set) {
		t.Helper()
		row, ok := isa.LookupTier("q8_0", name)
		switch {
		case !ok:
			t.Errorf("q8_0 tier %q is not in isa's tier table", name)
		case row.Arch != "" && row.Arch != runtime.GOARCH:
			t.Errorf("q8_0 tier %q: table says %s, built for %s", name, row.Arch, runtime.GOARCH)
		case needs.Name != "" && (row.Set.Name != needs.Name || !slices.Equal(row.Set.Needs, needs.Needs)):
			t.Errorf("q8_0 tier %q: table's set %+v, dispatch's %+v", name, row.Set, needs)
		}
	}
	check(portableQ8.name, isa.Set{})
	for _, s := range q8Table {
		check(s.needs.Name, s.needs)
	}
}

// checkQ8TierCases fails t for each case whose features unlock other
// tiers of table than it wants.
func checkQ8TierCases(t *testing.T, table []simdQ8, cases []tierCase) {
	t.Helper()
	for _, tc := range cases {
		var c cpuid.CPUInfo
		c.Enable(tc.ids...)
		var got []string
		for _, ti := range q8TiersFor(table, &c) {
			got = append(got, ti.name)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: q8_0 tiers = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestQ8Specials checks that infinite and NaN scales come through every
// tier as they do through the arithmetic: weight row r has the scale of
// its first block +Inf, NaN, -Inf or the largest half, all codes 1, so
// that the block's dot product (32) times it is +Inf, NaN, -Inf or
// finite; the activations' scales are 1.
func TestQ8Specials(t *testing.T) {
	for _, m := range []int{1, 5} {
		x, w := NewQ8Matrix(m, 96), NewQ8Matrix(4, 96)
		for i := range x.Quants {
			x.Quants[i] = 1
		}
		for i := range w.Quants {
			w.Quants[i] = 1
		}
		for i := range x.Scales {
			x.Scales[i] = ToF16(1)
		}
		for i := range w.Scales {
			w.Scales[i] = ToF16(0.5)
		}
		for r, h := range []F16{0x7c00, 0x7e00, 0xfc00, 0x7bff} {
			w.Scales[r*3] = h
		}
		want := []float64{math.Inf(1), math.NaN(), math.Inf(-1), 65504*32 + 32}
		forEachQ8Tier(t, func(t *testing.T, ti Q8Tier) {
			y := make([]float32, m*4)
			ti.Q8MatMul(x, w, y, 4, 1)
			for tk := range m {
				for r, v := range want {
					got := float64(y[tk*4+r])
					if got != v && !(math.IsNaN(v) && math.IsNaN(got)) {
						t.Errorf("m=%d: y[%d,%d] = %g, want %g", m, tk, r, got, v)
					}
				}
			}
		})
	}
}

// TestQuantizeQ8RowRounding checks QuantizeQ8Row's codes and scales
// against the definition, round(v/d) to nearest even in float64 after
// the float32 product v·(1/d), on random blocks and on the ties and
// special values that tell roundings apart: exact halves, NaN, ±Inf,
// zeros and subnormals.
func TestQuantizeQ8RowRounding(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 64 * Q8BlockLen
	x := randSlice(r, n)
	for i := range x {
		switch i % 97 {
		case 0:
			x[i] *= 1e-40 // subnormal
		case 1:
			x[i] = 0
		}
	}
	// A block whose codes fall on halves: amax 127, values k+0.5.
	for i := range Q8BlockLen {
		x[i] = float32(i-16) + 0.5
	}
	x[0] = 127
	x[Q8BlockLen] = float32(math.NaN())
	x[2*Q8BlockLen+3] = float32(math.Inf(-1))
	q, s := make([]int8, n), make([]F16, n/Q8BlockLen)
	QuantizeQ8Row(q, s, x)
	for b := 0; b < n; b += Q8BlockLen {
		var amax float32
		for _, v := range x[b : b+Q8BlockLen] {
			amax = max(amax, float32(math.Abs(float64(v))))
		}
		d := amax / 127
		if s[b/Q8BlockLen] != ToF16(d) {
			t.Errorf("block %d: scale %#04x, want %#04x", b/Q8BlockLen, s[b/Q8BlockLen], ToF16(d))
		}
		var id float32
		if d != 0 {
			id = 1 / d
		}
		for i, v := range x[b : b+Q8BlockLen] {
			if want := int8(math.RoundToEven(float64(float32(v * id)))); q[b+i] != want {
				t.Errorf("x[%d] = %g (block scale %g): code %d, want %d", b+i, v, d, q[b+i], want)
			}
		}
	}
}

// TestQuantizeQ8RowVector holds QuantizeQ8Row (on the CPU's vector loop,
// where it has one) to quantizeQ8RowGo bit for bit, codes and scales, on
// rows of 1 to 200 blocks (past the vector loop's chunk of 64) of values
// of every class: NaN, ±Inf, zeros, subnormals, the largest finite, and
// blocks all zero. It allocates nothing.
func TestQuantizeQ8RowVector(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40, -1e-45, math.MaxFloat32, -math.MaxFloat32, 127, 0.5}
	for _, blocks := range []int{1, 2, 7, 63, 64, 65, 129, 200} {
		n := blocks * Q8BlockLen
		x := make([]float32, n)
		for i := range x {
			switch r.IntN(8) {
			case 0:
				x[i] = special[r.IntN(len(special))]
			default:
				x[i] = float32(r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10)))
			}
		}
		clear(x[:Q8BlockLen]) // an all-zero block: d = 0, id = 0
		q, s := make([]int8, n), make([]F16, blocks)
		wq, ws := make([]int8, n), make([]F16, blocks)
		QuantizeQ8Row(q, s, x)
		quantizeQ8RowGo(wq, ws, x)
		for i := range wq {
			if q[i] != wq[i] {
				t.Fatalf("blocks=%d: code %d of x = %g is %d, the Go loop's %d", blocks, i, x[i], q[i], wq[i])
			}
		}
		for b := range ws {
			if s[b] != ws[b] {
				t.Fatalf("blocks=%d: scale %d is %#04x, the Go loop's %#04x", blocks, b, s[b], ws[b])
			}
		}
	}
	x, q, s := make([]float32, 4096), make([]int8, 4096), make([]F16, 128)
	if a := testing.AllocsPerRun(10, func() { QuantizeQ8Row(q, s, x) }); a != 0 {
		t.Errorf("QuantizeQ8Row allocates %v times a call", a)
	}
}

func BenchmarkQuantizeQ8Row(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x := randSlice(r, 8192)
	q, s := make([]int8, len(x)), make([]F16, len(x)/Q8BlockLen)
	b.SetBytes(int64(4 * len(x)))
	for b.Loop() {
		QuantizeQ8Row(q, s, x)
	}
}
