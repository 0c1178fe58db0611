package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// SelfCheck runs the kernels of the tier in use against the portable tier
// on small shapes that are not multiples of any register tile, and returns
// an error naming the first kernel and shape that disagrees beyond rounding.
// It takes milliseconds. ppbench runs it on the real host before timing
// anything, since SIMD code is tested elsewhere only under emulation.
//
// The tolerances are the same as the tests': for Sgemm (k+3)·u·2 relative
// to |alpha|·|A||B| + |beta·C|, u = 2⁻²⁴; for Attention an absolute bound
// from dim and seq (inputs in [-1, 1]).
func SelfCheck() error {
	if impl.name == portable.name {
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
		if err := checkSgemm(r, s.tA, s.tB, s.m, s.n, s.k, s.alpha, s.beta); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		seq, dim int
		causal   bool
	}{{1, 64, false}, {77, 64, true}, {200, 33, false}, {130, 8, true}} {
		if err := checkAttention(r, s.seq, s.dim, s.causal); err != nil {
			return err
		}
	}
	return checkTriad()
}

// onPortable runs f with the portable tier, then restores the tier in use.
func onPortable(f func()) {
	saved := impl
	impl = portable
	defer func() { impl = saved }()
	f()
}

func randRange(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*r.Float32() - 1
	}
	return x
}

func checkSgemm(r *rand.Rand, tA, tB Transpose, m, n, k int, alpha, beta float32) error {
	aRows, aCols := tA.stored(m, k)
	bRows, bCols := tB.stored(k, n)
	a, b := randRange(r, aRows*aCols), randRange(r, bRows*bCols)
	c := randRange(r, m*n)
	want := append([]float32(nil), c...)
	onPortable(func() { Sgemm(tA, tB, m, n, k, alpha, a, aCols, b, bCols, beta, want, n, 1) })
	Sgemm(tA, tB, m, n, k, alpha, a, aCols, b, bCols, beta, c, n, 2)
	// |A||B| <= k for entries in [-1, 1]; |C| <= 1.
	tol := 2 * float64(k+3) / (1 << 24) * (math.Abs(float64(alpha))*float64(k) + math.Abs(float64(beta)))
	for i := range m {
		for j := range n {
			if d := math.Abs(float64(c[i*n+j] - want[i*n+j])); !(d <= tol) {
				return fmt.Errorf("kernels: %s Sgemm %s m=%d n=%d k=%d alpha=%g beta=%g: C[%d][%d] = %g, portable gives %g",
					impl.name, transNames(tA, tB), m, n, k, alpha, beta, i, j, c[i*n+j], want[i*n+j])
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

func checkAttention(r *rand.Rand, seq, dim int, causal bool) error {
	const heads = 2
	q, k, v := randRange(r, heads*seq*dim), randRange(r, heads*seq*dim), randRange(r, heads*seq*dim)
	want := make([]float32, len(q))
	got := make([]float32, len(q))
	onPortable(func() { Attention(q, k, v, want, heads, seq, dim, causal, 1) })
	Attention(q, k, v, got, heads, seq, dim, causal, 2)
	tol := 4 * (float64(dim+2)*math.Sqrt(float64(dim)) + 4*float64(seq) + 16) / (1 << 24)
	for i := range got {
		if d := math.Abs(float64(got[i] - want[i])); !(d <= tol) {
			return fmt.Errorf("kernels: %s Attention seq=%d dim=%d heads=%d causal=%v: out[%d] = %g, portable gives %g",
				impl.name, seq, dim, heads, causal, i, got[i], want[i])
		}
	}
	return nil
}

func checkTriad() error {
	const n = 1000
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range b {
		b[i], c[i] = float64(i)/7, float64(n-i)/3
	}
	Triad(a, b, c, 1.5, 3)
	for i := range a {
		want := b[i] + 1.5*c[i]
		if d := math.Abs(a[i] - want); d > 1e-15*math.Abs(want) {
			return fmt.Errorf("kernels: %s Triad n=%d: a[%d] = %g, want %g", impl.name, n, i, a[i], want)
		}
	}
	if f := FMAPeak(100); f != FMAPeakFLOPs(100) || math.IsNaN(float64(math.Float32frombits(fmaSink.Load()))) {
		return fmt.Errorf("kernels: %s FMAPeak: %g flops for 100 steps, result %g", impl.name, f, math.Float32frombits(fmaSink.Load()))
	}
	return nil
}
