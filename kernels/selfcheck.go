package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// SelfCheck runs the kernels of tier t against those of Portable() on small
// shapes that are not multiples of any register tile, and returns an error
// naming the first kernel and shape that disagrees beyond rounding; nil for
// the portable tier itself, which is the reference. It takes milliseconds.
// ppbench runs it on the real host before timing anything, since SIMD code
// is tested elsewhere only under emulation.
//
// The tolerances are the same as the tests': for Sgemm (k+3)·u·2 relative
// to |alpha|·|A||B| + |beta·C|, u = 2⁻²⁴; for Attention an absolute bound
// from dim and seq (inputs in [-1, 1]).
func SelfCheck(t Tier) error {
	p := Portable()
	if t.get() == p.t {
		return nil
	}
	r := rand.New(rand.NewPCG(7, 11))
	for _, s := range []struct {
		tA, tB      Transpose
		m, n, k     int
		alpha, beta float32
	}{
		{NoTrans, NoTrans, 7, 33, 65, 1, 0},
		{NoTrans, NoTrans, 13, 35, 1, 1, 0},
		{NoTrans, NoTrans, 37, 70, 300, -0.5, 2},
		{Trans, NoTrans, 25, 17, 9, 2, 1},
		{NoTrans, Trans, 12, 32, 64, 0.125, 0},
		{Trans, Trans, 50, 49, 257, 1, -1},
	} {
		if err := checkSgemm(t, p, r, s.tA, s.tB, s.m, s.n, s.k, s.alpha, s.beta); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		seq, dim int
		causal   bool
	}{{1, 64, false}, {77, 64, true}, {200, 33, false}, {130, 8, true}} {
		if err := checkAttention(t, p, r, s.seq, s.dim, s.causal); err != nil {
			return err
		}
	}
	return checkTriad(t)
}

func randRange(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*r.Float32() - 1
	}
	return x
}

// checkSgemm compares t's Sgemm, on two threads, with the reference tier
// ref's on one.
func checkSgemm(t, ref Tier, r *rand.Rand, tA, tB Transpose, m, n, k int, alpha, beta float32) error {
	aRows, aCols := tA.stored(m, k)
	bRows, bCols := tB.stored(k, n)
	a, b := randRange(r, aRows*aCols), randRange(r, bRows*bCols)
	c := randRange(r, m*n)
	want := append([]float32(nil), c...)
	ref.Sgemm(tA, tB, m, n, k, alpha, a, aCols, b, bCols, beta, want, n, 1)
	t.Sgemm(tA, tB, m, n, k, alpha, a, aCols, b, bCols, beta, c, n, 2)
	// |A||B| <= k for entries in [-1, 1]; |C| <= 1.
	tol := 2 * float64(k+3) / (1 << 24) * (math.Abs(float64(alpha))*float64(k) + math.Abs(float64(beta)))
	for i := range m {
		for j := range n {
			if d := math.Abs(float64(c[i*n+j] - want[i*n+j])); !(d <= tol) {
				return fmt.Errorf("kernels: %s Sgemm %s m=%d n=%d k=%d alpha=%g beta=%g: C[%d][%d] = %g, %s gives %g",
					t.Name(), transNames(tA, tB), m, n, k, alpha, beta, i, j, c[i*n+j], ref.Name(), want[i*n+j])
			}
		}
	}
	return nil
}

func transNames(tA, tB Transpose) string {
	s := []byte("NN")
	if tA {
		s[0] = 'T'
	}
	if tB {
		s[1] = 'T'
	}
	return string(s)
}

// checkAttention compares t's Attention, on two threads, with the
// reference tier ref's on one.
func checkAttention(t, ref Tier, r *rand.Rand, seq, dim int, causal bool) error {
	const heads = 2
	q, k, v := randRange(r, heads*seq*dim), randRange(r, heads*seq*dim), randRange(r, heads*seq*dim)
	want := make([]float32, len(q))
	got := make([]float32, len(q))
	ref.Attention(q, k, v, want, heads, seq, dim, causal, 1)
	t.Attention(q, k, v, got, heads, seq, dim, causal, 2)
	tol := 4 * (float64(dim+2)*math.Sqrt(float64(dim)) + 4*float64(seq) + 16) / (1 << 24)
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); !(d <= tol) {
			return fmt.Errorf("kernels: %s Attention seq=%d dim=%d heads=%d causal=%v: out[%d] = %g, %s gives %g",
				t.Name(), seq, dim, heads, causal, i, got[i], ref.Name(), want[i])
		}
	}
	return nil
}

// checkTriad checks t's Triad against b + s·c to within a rounding (fused
// or not), and that its FMAPeak runs and counts its flops.
func checkTriad(t Tier) error {
	const n = 1000
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range b {
		b[i], c[i] = float64(i)/7, float64(n-i)/3
	}
	t.Triad(a, b, c, 1.5, 3)
	for i := range a {
		want := b[i] + 1.5*c[i]
		if d := math.Abs(a[i] - want); d > 1e-15*math.Abs(want) {
			return fmt.Errorf("kernels: %s Triad n=%d: a[%d] = %g, want %g", t.Name(), n, i, a[i], want)
		}
	}
	if f := t.FMAPeak(100); f != t.FMAPeakFLOPs(100) || math.IsNaN(float64(math.Float32frombits(fmaSink.Load()))) {
		return fmt.Errorf("kernels: %s FMAPeak: %g flops for 100 steps, result %g", t.Name(), f, math.Float32frombits(fmaSink.Load()))
	}
	return nil
}

// SelfCheckInt8 runs t's GemmInt8 against the portable tier on shapes that
// are multiples of no register tile, threaded, and returns an error naming
// the first element that differs: int8 GEMM is exact, so any difference is
// a bug.
func SelfCheckInt8(t Int8Tier) error {
	r := rand.New(rand.NewPCG(13, 17))
	for _, s := range [][3]int{{7, 33, 65}, {13, 35, 1}, {37, 70, 300}, {50, 49, 257}} {
		m, n, k := s[0], s[1], s[2]
		a, b := make([]int8, m*k), make([]int8, k*n)
		for i := range a {
			a[i] = int8(r.IntN(256) - 128)
		}
		for i := range b {
			b[i] = int8(r.IntN(256) - 128)
		}
		got, want := make([]int32, m*n), make([]int32, m*n)
		PortableInt8().GemmInt8(m, n, k, a, k, b, n, want, n, 1)
		t.GemmInt8(m, n, k, a, k, b, n, got, n, 2)
		for i := range got {
			if got[i] != want[i] {
				return fmt.Errorf("kernels: %s GemmInt8 m=%d n=%d k=%d: C[%d][%d] = %d, portable gives %d", t.Name(), m, n, k, i/n, i%n, got[i], want[i])
			}
		}
	}
	return nil
}

// SelfCheckBF16 runs t's GemmBF16 against the portable tier on awkward
// shapes, threaded, within the bound the tests use: each product is exact
// in float32, so two orders of summation differ by at most
// 2·(k+2)·u·Σ|a||b| with u = 2⁻²⁴, and Σ|a||b| <= k for inputs in [-1, 1].
func SelfCheckBF16(t BF16Tier) error {
	r := rand.New(rand.NewPCG(19, 23))
	for _, s := range [][3]int{{7, 33, 65}, {13, 35, 1}, {37, 70, 300}, {50, 49, 257}} {
		m, n, k := s[0], s[1], s[2]
		a, b := make([]BF16, m*k), make([]BF16, k*n)
		for i := range a {
			a[i] = ToBF16(2*r.Float32() - 1)
		}
		for i := range b {
			b[i] = ToBF16(2*r.Float32() - 1)
		}
		got, want := make([]float32, m*n), make([]float32, m*n)
		PortableBF16().GemmBF16(m, n, k, a, k, b, n, want, n, 1)
		t.GemmBF16(m, n, k, a, k, b, n, got, n, 2)
		tol := 2 * float64(k+2) / (1 << 24) * float64(k)
		for i := range got {
			if d := math.Abs(float64(got[i] - want[i])); !(d <= tol) {
				return fmt.Errorf("kernels: %s GemmBF16 m=%d n=%d k=%d: C[%d][%d] = %g, portable gives %g", t.Name(), m, n, k, i/n, i%n, got[i], want[i])
			}
		}
	}
	return nil
}

// SelfCheckQ8 runs t's Q8MatMul against the portable tier on awkward
// shapes, decode (one token) and prefill (several), threaded, within the
// bound the tests use: each block's integer dot product is exact, and
// each output sums nb block terms in float32, so two tiers differ by at
// most 2·(nb+2)·u·Σ|term| with u = 2⁻²⁴.
func SelfCheckQ8(t Q8Tier) error {
	r := rand.New(rand.NewPCG(29, 31))
	for _, s := range [][3]int{{1, 33, 96}, {1, 257, 64}, {7, 35, 32}, {13, 70, 288}} {
		m, rows, cols := s[0], s[1], s[2]
		x, w := NewQ8Matrix(m, cols), NewQ8Matrix(rows, cols)
		for _, q := range []*Q8Matrix{x, w} {
			v := make([]float32, q.Rows*q.Cols)
			for i := range v {
				v[i] = float32(r.NormFloat64())
			}
			QuantizeQ8(q, v, q.Cols)
		}
		got, want := make([]float32, m*rows), make([]float32, m*rows)
		PortableQ8().Q8MatMul(x, w, want, rows, 1)
		t.Q8MatMul(x, w, got, rows, 2)
		nb := cols / Q8BlockLen
		for i := range got {
			tk, row := i/rows, i%rows
			var mag float64
			for b := range nb {
				var dot int64
				for j := b * Q8BlockLen; j < (b+1)*Q8BlockLen; j++ {
					dot += int64(x.Quants[tk*cols+j]) * int64(w.Quants[row*cols+j])
				}
				mag += math.Abs(float64(dot) * float64(x.Scales[tk*nb+b].Float32()) * float64(w.Scales[row*nb+b].Float32()))
			}
			if d := math.Abs(float64(got[i]) - float64(want[i])); d > 2*float64(nb+2)*0x1p-24*mag {
				return fmt.Errorf("kernels: %s Q8MatMul m=%d rows=%d cols=%d: y[%d][%d] = %g, portable gives %g", t.Name(), m, rows, cols, tk, row, got[i], want[i])
			}
		}
	}
	return nil
}
