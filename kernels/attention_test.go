package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// attentionRef computes attention in float64 with the softmax matrix
// materialised, the textbook way.
func attentionRef(q, k, v []float32, heads, seq, dim int, causal bool) []float64 {
	out := make([]float64, heads*seq*dim)
	scale := 1 / math.Sqrt(float64(dim))
	s := make([]float64, seq)
	for h := range heads {
		off := h * seq * dim
		for i := range seq {
			keys := seq
			if causal {
				keys = i + 1
			}
			m := math.Inf(-1)
			for j := range keys {
				var dot float64
				for d := range dim {
					dot += float64(q[off+i*dim+d]) * float64(k[off+j*dim+d])
				}
				s[j] = dot * scale
				m = math.Max(m, s[j])
			}
			var sum float64
			for j := range keys {
				s[j] = math.Exp(s[j] - m)
				sum += s[j]
			}
			for d := range dim {
				var o float64
				for j := range keys {
					o += s[j] * float64(v[off+j*dim+d])
				}
				out[off+i*dim+d] = o / sum
			}
		}
	}
	return out
}

// TestAttention checks every tier against the float64 reference, causal
// and not, on sequence lengths around the block sizes, and with logits
// large enough that an unshifted exp would overflow. The output is a convex
// combination of rows of v (|v| <= 1), so the error is bounded absolutely:
// the scores carry (dim+2)·u relative error each, which exp turns into an
// absolute error of (dim+2)·u·|score| in the weights, plus rounding of the
// sums over seq keys.
func TestAttention(t *testing.T) {
	seqs := []int{1, 2, 7, 33, 63, 64, 65, 127, 128, 129, 200, 257, 300}
	dims := []int{1, 7, 64}
	if testing.Short() {
		seqs = []int{1, 7, 65, 129, 300}
		dims = []int{7, 64}
	}
	forEachTier(t, func(t *testing.T, ti Tier) {
		r := rand.New(rand.NewPCG(5, 6))
		for _, seq := range seqs {
			for _, dim := range dims {
				for _, causal := range []bool{false, true} {
					for _, mag := range []float32{1, 30} {
						heads := 2
						q := randSlice(r, heads*seq*dim)
						k := randSlice(r, heads*seq*dim)
						v := randSlice(r, heads*seq*dim)
						for i := range q {
							q[i] *= mag
							k[i] *= mag
						}
						name := fmt.Sprintf("seq=%d/dim=%d/causal=%v/mag=%g", seq, dim, causal, mag)
						want := attentionRef(q, k, v, heads, seq, dim, causal)
						// Largest |score| is mag²·sqrt(dim) for inputs in [-1, 1].
						maxScore := float64(mag*mag) * math.Sqrt(float64(dim))
						tol := (float64(dim+2)*maxScore + 4*float64(seq) + 16) * unitRoundoff * 2
						var first []float32
						for _, th := range []int{1, 3, 8} {
							out := make([]float32, len(q))
							ti.Attention(q, k, v, out, heads, seq, dim, causal, th)
							if th == 1 {
								first = out
								for i := range out {
									if d := math.Abs(float64(out[i]) - want[i]); !(d <= tol) {
										t.Fatalf("%s: out[%d] = %g, want %g: error %.3g > %.3g", name, i, out[i], want[i], d, tol)
									}
								}
								continue
							}
							if i, ok := bitsEqual(out, first); !ok {
								t.Fatalf("%s: threads=%d differs from threads=1 at %d", name, th, i)
							}
						}
					}
				}
			}
		}
	})
}

// TestAttentionHugeLogits feeds scores far beyond exp's range: the running
// maximum must keep every value finite.
func TestAttentionHugeLogits(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		seq, dim := 150, 8
		q := make([]float32, seq*dim)
		k := make([]float32, seq*dim)
		v := make([]float32, seq*dim)
		for i := range q {
			q[i] = 1e4 * float32(i%3-1)
			k[i] = 1e4 * float32(i%5-2)
			v[i] = float32(i % 7)
		}
		out := make([]float32, seq*dim)
		ti.Attention(q, k, v, out, 1, seq, dim, false, 1)
		for i, o := range out {
			if math.IsNaN(float64(o)) || math.IsInf(float64(o), 0) || o < 0 || o > 6 {
				t.Fatalf("out[%d] = %g, want a finite value in [0, 6]", i, o)
			}
		}
	})
}

func TestAttentionPanics(t *testing.T) {
	x := make([]float32, 8)
	w := Widest()
	mustPanic(t, "kernels: Attention: heads = -1 < 0", func() { w.Attention(x, x, x, x, -1, 2, 2, false, 1) })
	mustPanic(t, "kernels: Attention: seq = -2 < 0", func() { w.Attention(x, x, x, x, 1, -2, 2, false, 1) })
	mustPanic(t, "kernels: Attention: dim = -3 < 0", func() { w.Attention(x, x, x, x, 1, 2, -3, false, 1) })
	mustPanic(t, "kernels: Attention: len(v) = 7 < heads*seq*dim = 8", func() { w.Attention(x, x, x[:7], x, 2, 2, 2, false, 1) })
	w.Attention(nil, nil, nil, nil, 0, 5, 5, true, 4) // empty: nothing to do
}

func TestAttentionFLOPs(t *testing.T) {
	if got := AttentionFLOPs(8, 2048, 64, false); got != 4*8*2048*2048*64 {
		t.Errorf("non-causal: %g", got)
	}
	if got := AttentionFLOPs(1, 3, 2, true); got != 4*2*3*4/2 {
		t.Errorf("causal: %g", got)
	}
}

func TestAttentionNoAlloc(t *testing.T) {
	forEachTier(t, func(t *testing.T, ti Tier) {
		seq, dim := 100, 16
		x := make([]float32, 2*seq*dim)
		out := make([]float32, len(x))
		ti.Attention(x, x, x, out, 2, seq, dim, true, 1)
		if allocs := testing.AllocsPerRun(10, func() { ti.Attention(x, x, x, out, 2, seq, dim, true, 1) }); allocs > 0 {
			t.Errorf("Attention allocates %v times per call in steady state", allocs)
		}
	})
}
