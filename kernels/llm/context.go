package llm

import (
	"fmt"
	"math/rand/v2"
)

// Contexts for timing: a decode step's cost grows with the positions it
// attends to, not with what they hold, so a benchmark of decoding at
// context n fills the cache with generated keys and values instead of
// running a prompt of n tokens through the model (which would take
// longer than the measurement), and steps back to n before every step.

// FillContext sets the cache to n positions of keys and values drawn from
// seed, roughly normal with unit variance like a trained model's, and
// positions the sequence after them: the next Decode attends to n+1
// positions. It panics for n outside [0, MaxContext).
func (m *Model) FillContext(n int, seed uint64) {
	if n < 0 || n >= m.maxContext {
		panic(fmt.Sprintf("llm: FillContext: n = %d outside [0, %d)", n, m.maxContext))
	}
	r := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	hd := m.shape.HeadDim
	for l := range m.shape.Layers {
		for g := range m.shape.KVHeads {
			o := m.kvOffset(l, g, 0)
			for i := o; i < o+n*hd; i++ {
				m.kCache[i] = float32(r.NormFloat64())
				m.vCache[i] = float32(r.NormFloat64())
			}
		}
	}
	m.pos = n
}

// Rewind positions the sequence after its first n positions, dropping
// the rest from the cache: a benchmark decodes the same step again. It
// panics for n outside [0, Pos()].
func (m *Model) Rewind(n int) {
	if n < 0 || n > m.pos {
		panic(fmt.Sprintf("llm: Rewind: n = %d outside [0, %d]", n, m.pos))
	}
	m.pos = n
}

// Fork returns a Model with m's weights, shared and never written, and
// options, but a cache, scratch and position of its own (empty): two
// benchmarks of one model, decode at a filled context and prefill into
// an empty one, each keep their state without a second copy of the
// weights. A Fork and m may not run at once (Model is not safe for
// concurrent use, and they share no lock).
func (m *Model) Fork() *Model {
	f := &Model{
		shape: m.shape, format: m.format, cfg: m.cfg,
		layers: m.layers, finalNorm: m.finalNorm, output: m.output,
		embedQ8: m.embedQ8, embedBF: m.embedBF, embedTokStride: m.embedTokStride, embedDimStride: m.embedDimStride,
		maxContext: m.maxContext, maxBatch: m.maxBatch,
	}
	f.start()
	return f
}

// Greedy returns the token greedy decoding picks from logits: the index
// of the largest, the first of equals.
func Greedy[F float32 | float64](logits []F) int {
	best := 0
	for i, v := range logits {
		if v > logits[best] {
			best = i
		}
	}
	return best
}
