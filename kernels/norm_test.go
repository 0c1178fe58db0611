package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// rmsNormGo is RMSNorm's definition, one element at a time.
func rmsNormGo(y, x, w []float32, eps float32) {
	var lanes [rmsNormLanes]float64
	for i, v := range x {
		lanes[i%rmsNormLanes] += float64(v) * float64(v)
	}
	ss := ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
	r := float32(1 / math.Sqrt(ss/float64(len(x))+float64(eps)))
	for i, v := range x {
		y[i] = v * r * w[i]
	}
}

// TestRMSNorm holds RMSNorm to its definition bit for bit, in place and
// not, on every length to 70 and some long ones, with values from tiny
// to huge, and to a float64 reference within a few float32 roundings.
func TestRMSNorm(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range append(makeRange(0, 70), 255, 257, 1000, 2048, 8192) {
		for _, scale := range []float64{1, 1e-20, 1e18} {
			x := make([]float32, n)
			w := make([]float32, n+1)
			for i := range x {
				x[i] = float32(r.NormFloat64() * scale)
				w[i] = float32(1 + r.NormFloat64()/4)
			}
			const eps = 1e-5
			got := make([]float32, n+1)
			got[n] = 7
			RMSNorm(got, x, w, eps)
			want := make([]float32, n)
			rmsNormGo(want, x, w, eps)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("n=%d scale=%g: y[%d] = %g, the definition %g", n, scale, i, got[i], want[i])
				}
			}
			if got[n] != 7 {
				t.Fatalf("n=%d: y[n] written", n)
			}
			in := append([]float32(nil), x...)
			RMSNorm(in, in, w, eps)
			for i := range want {
				if math.Float32bits(in[i]) != math.Float32bits(want[i]) {
					t.Fatalf("n=%d scale=%g, in place: y[%d] = %g, want %g", n, scale, i, in[i], want[i])
				}
			}
			var ss float64
			for _, v := range x {
				ss += float64(v) * float64(v)
			}
			ref := 1 / math.Sqrt(ss/float64(max(n, 1))+eps)
			for i, v := range x {
				exact := float64(v) * ref * float64(w[i])
				if d := math.Abs(float64(got[i]) - exact); d > 3*0x1p-24*math.Abs(exact) {
					t.Fatalf("n=%d scale=%g: y[%d] = %g, float64 %g", n, scale, i, got[i], exact)
				}
			}
		}
	}
	x, w := make([]float32, 2048), make([]float32, 2048)
	if a := testing.AllocsPerRun(10, func() { RMSNorm(x, x, w, 1e-5) }); a != 0 {
		t.Errorf("RMSNorm allocates %v times a call", a)
	}
	mustPanic(t, "kernels: RMSNorm: len(y) = 1, len(w) = 2 < len(x) = 2", func() { RMSNorm(make([]float32, 1), make([]float32, 2), make([]float32, 2), 0) })
}

func BenchmarkRMSNorm(b *testing.B) {
	x, w := make([]float32, 2048), make([]float32, 2048)
	for i := range x {
		x[i], w[i] = float32(i%13)-6, 1
	}
	b.SetBytes(int64(len(x) * 4))
	for b.Loop() {
		RMSNorm(x, x, w, 1e-5)
	}
}
