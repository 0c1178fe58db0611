package llm

import (
	"fmt"
	"sort"
	"strings"
)

// A Shape is the architecture of a Llama-family decoder: the numbers of a
// Hugging Face config.json that set the work and the bytes of a forward
// pass. Speed does not depend on the weights' values, so a Shape and a
// seed are all a benchmark needs.
type Shape struct {
	Name         string  // lookup key, lower case, e.g. "llama-3.2-1b"
	Hidden       int     // hidden_size: width of the residual stream
	Layers       int     // num_hidden_layers
	Heads        int     // num_attention_heads: query heads
	KVHeads      int     // num_key_value_heads: key/value heads, shared by Heads/KVHeads query heads each (grouped-query attention)
	HeadDim      int     // head_dim: width of one head
	MLP          int     // intermediate_size: width of the SwiGLU MLP
	Vocab        int     // vocab_size
	Tied         bool    // tie_word_embeddings: the vocabulary projection is the embedding matrix
	NormEps      float64 // rms_norm_eps
	RopeTheta    float64 // rope_theta: base of the rotary frequencies
	MaxPositions int     // max_position_embeddings: the longest context the model was made for
	Source       string  // the config.json the numbers come from
}

// shapes are the published models, from their config.json files on
// Hugging Face (the repositories are gated; the numbers are public and
// match the parameter totals Meta states, which TestShapes checks),
// and Tiny for tests. Llama 3.1 and 3.2 also set rope_scaling
// (rope_type "llama3"); this package leaves it out, see Model.
var shapes = []Shape{
	{
		Name: "llama-3.2-1b", Hidden: 2048, Layers: 16, Heads: 32, KVHeads: 8, HeadDim: 64,
		MLP: 8192, Vocab: 128256, Tied: true, NormEps: 1e-5, RopeTheta: 500000, MaxPositions: 131072,
		Source: "https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/config.json",
	},
	{
		Name: "llama-3.2-3b", Hidden: 3072, Layers: 28, Heads: 24, KVHeads: 8, HeadDim: 128,
		MLP: 8192, Vocab: 128256, Tied: true, NormEps: 1e-5, RopeTheta: 500000, MaxPositions: 131072,
		Source: "https://huggingface.co/meta-llama/Llama-3.2-3B/blob/main/config.json",
	},
	{
		Name: "llama-3.1-8b", Hidden: 4096, Layers: 32, Heads: 32, KVHeads: 8, HeadDim: 128,
		MLP: 14336, Vocab: 128256, Tied: false, NormEps: 1e-5, RopeTheta: 500000, MaxPositions: 131072,
		Source: "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json",
	},
	Tiny,
}

// Tiny is a two-layer model of the same architecture for tests: every
// path of the big ones (grouped-query attention with two query heads per
// key/value head, tied embeddings, several Q8 blocks a row) in about
// 90 000 parameters.
var Tiny = Shape{
	Name: "tiny", Hidden: 64, Layers: 2, Heads: 4, KVHeads: 2, HeadDim: 16,
	MLP: 128, Vocab: 256, Tied: true, NormEps: 1e-5, RopeTheta: 10000, MaxPositions: 4096,
	Source: "made up for tests",
}

// Shapes returns the known shapes, sorted by name.
func Shapes() []Shape {
	out := append([]Shape(nil), shapes...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupShape returns the shape called name, ignoring case, e.g.
// "llama-3.2-1b" or "Llama-3.2-1B".
func LookupShape(name string) (Shape, error) {
	for _, s := range shapes {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
	}
	names := make([]string, 0, len(shapes))
	for _, s := range Shapes() {
		names = append(names, s.Name)
	}
	return Shape{}, fmt.Errorf("llm: unknown model %q (have %s)", name, strings.Join(names, ", "))
}

// QDim is the width of the queries of one token, Heads·HeadDim: the
// output of the query projection and the input of the output projection.
func (s Shape) QDim() int { return s.Heads * s.HeadDim }

// KVDim is the width of the keys (and of the values) of one token,
// KVHeads·HeadDim.
func (s Shape) KVDim() int { return s.KVHeads * s.HeadDim }

// Validate reports the first field of s that this package cannot run:
// every size positive, Heads a multiple of KVHeads, HeadDim even (rotary
// pairs), and every matrix input width (Hidden, QDim, MLP) a multiple of
// the Q8 block.
func (s Shape) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"Hidden", s.Hidden}, {"Layers", s.Layers}, {"Heads", s.Heads}, {"KVHeads", s.KVHeads},
		{"HeadDim", s.HeadDim}, {"MLP", s.MLP}, {"Vocab", s.Vocab}, {"MaxPositions", s.MaxPositions}} {
		if f.v <= 0 {
			return fmt.Errorf("llm: shape %q: %s = %d, want > 0", s.Name, f.name, f.v)
		}
	}
	switch {
	case s.Heads%s.KVHeads != 0:
		return fmt.Errorf("llm: shape %q: Heads = %d is not a multiple of KVHeads = %d", s.Name, s.Heads, s.KVHeads)
	case s.HeadDim%2 != 0:
		return fmt.Errorf("llm: shape %q: HeadDim = %d is odd; rotary embedding rotates pairs", s.Name, s.HeadDim)
	case s.Hidden%q8Block != 0 || s.QDim()%q8Block != 0 || s.MLP%q8Block != 0:
		return fmt.Errorf("llm: shape %q: Hidden = %d, Heads·HeadDim = %d and MLP = %d must be multiples of %d (Q8 blocks)",
			s.Name, s.Hidden, s.QDim(), s.MLP, q8Block)
	case !(s.NormEps > 0):
		return fmt.Errorf("llm: shape %q: NormEps = %g, want > 0", s.Name, s.NormEps)
	case !(s.RopeTheta > 1):
		return fmt.Errorf("llm: shape %q: RopeTheta = %g, want > 1", s.Name, s.RopeTheta)
	}
	return nil
}

// layerMatMulParams is the weights of one layer's matrices: the query,
// key, value and output projections and the MLP's gate, up and down.
func (s Shape) layerMatMulParams() int64 {
	h, q, kv, f := int64(s.Hidden), int64(s.QDim()), int64(s.KVDim()), int64(s.MLP)
	return h*(q+2*kv) + q*h + 3*h*f
}

// Params returns the parameters of the checkpoint: embedding, every
// layer's matrices and two norm vectors, the final norm, and the
// vocabulary projection when it is not tied to the embedding (so
// llama-3.2-1b has 1 235 814 400, as Meta states 1.23B).
func (s Shape) Params() int64 {
	vh := int64(s.Vocab) * int64(s.Hidden)
	p := vh + int64(s.Layers)*(s.layerMatMulParams()+2*int64(s.Hidden)) + int64(s.Hidden)
	if !s.Tied {
		p += vh
	}
	return p
}

// MatMulParams returns the weights one token is multiplied by: every
// layer's matrices and the vocabulary projection. It leaves out the norm
// vectors (elementwise, not a matrix product) and the embedding lookup,
// which copies one row and multiplies nothing: for a tied model the
// embedding matrix counts once, as the vocabulary projection; for an
// untied one the embedding table does not count.
func (s Shape) MatMulParams() int64 {
	return int64(s.Layers)*s.layerMatMulParams() + int64(s.Vocab)*int64(s.Hidden)
}

// OpsPerToken returns the operations of the matrix products of one token,
// 2·MatMulParams (a multiply-add counted as two), the usual 2·N estimate
// of a forward pass and the count a compute bound uses. It leaves out
// attention's scores and weighted sum, which grow with the context (see
// AttentionOpsPerToken), and the elementwise work (norms, rotary
// embedding, softmax, SiLU), a few operations per activation.
func (s Shape) OpsPerToken() float64 { return 2 * float64(s.MatMulParams()) }

// PrefillOps returns the operations of the matrix products of a Prefill
// of tokens tokens: every layer's matrices for each token, and the
// vocabulary projection for the last token only, the one whose logits
// Prefill returns. Attention is left out, as in OpsPerToken.
func (s Shape) PrefillOps(tokens int) float64 {
	vocab := 2 * float64(s.Vocab) * float64(s.Hidden)
	return float64(tokens)*(s.OpsPerToken()-vocab) + vocab
}

// AttentionOpsPerToken returns the operations of attention for one token
// attending to ctx positions (itself included): q·k and the weighted sum
// of v, each HeadDim multiply-adds per head per position,
// 4·Layers·Heads·HeadDim·ctx.
func (s Shape) AttentionOpsPerToken(ctx int) float64 {
	return 4 * float64(s.Layers) * float64(s.Heads) * float64(s.HeadDim) * float64(ctx)
}

// Weight formats: the storage of every matrix, the embedding included.
const (
	// FormatQ8 is Q8_0 (kernels.Q8Matrix): 32 int8 codes and an fp16
	// scale per 32 values, 34 bytes; activations are quantised the same
	// way, per token, before every matrix product.
	FormatQ8 = "q8_0"
	// FormatBF16 is bfloat16 weights and activations with float32 sums
	// (kernels.BF16Tier.GemmBF16), 2 bytes a value.
	FormatBF16 = "bf16"
)

// Formats returns the weight formats New accepts.
func Formats() []string { return []string{FormatQ8, FormatBF16} }

// q8Block is the Q8_0 block length, kernels.Q8BlockLen.
const q8Block = 32

// matrixBytes returns the bytes that n values of a matrix take in format,
// scales included: n a multiple of q8Block for FormatQ8.
func matrixBytes(format string, n int64) (int64, error) {
	switch format {
	case FormatQ8:
		return n + n/q8Block*2, nil // codes, and an fp16 scale a block
	case FormatBF16:
		return 2 * n, nil
	}
	return 0, fmt.Errorf("llm: unknown weight format %q (have %s)", format, strings.Join(Formats(), ", "))
}

// normBytes is the bytes of the norm vectors, float32: two a layer and
// the final one.
func (s Shape) normBytes() int64 { return int64(2*s.Layers+1) * int64(s.Hidden) * 4 }

// WeightBytes returns the bytes of the weights a Model of shape s holds
// in format: every matrix in the format (with its scales), the embedding
// table in the format too (once, for a tied model), and the norm vectors
// as float32.
func (s Shape) WeightBytes(format string) (int64, error) {
	n := s.MatMulParams()
	if !s.Tied {
		n += int64(s.Vocab) * int64(s.Hidden)
	}
	b, err := matrixBytes(format, n)
	return b + s.normBytes(), err
}

// KVBytesPerPosition is the bytes the key/value cache holds for one
// position: a float32 key and value per layer per key/value head.
func (s Shape) KVBytesPerPosition() int64 {
	return 2 * int64(s.Layers) * int64(s.KVDim()) * 4
}

// DecodeBytesPerToken returns the bytes one decode step reads from memory
// at context ctx (the positions the new token attends to, itself
// included): every matrix the token is multiplied by in format (each read
// once, the vocabulary projection included, scales included), the norm
// vectors, the one embedding row looked up, and the keys and values of
// ctx positions (KVBytesPerPosition each). It counts no activations
// (they stay in cache) and no writes (one position of keys and values).
// Decode is bound by these bytes: tokens/s ≤ bandwidth / DecodeBytesPerToken.
func (s Shape) DecodeBytesPerToken(format string, ctx int) (int64, error) {
	if ctx < 1 {
		return 0, fmt.Errorf("llm: DecodeBytesPerToken: ctx = %d < 1", ctx)
	}
	w, err := matrixBytes(format, s.MatMulParams())
	if err != nil {
		return 0, err
	}
	row, _ := matrixBytes(format, int64(s.Hidden))
	return w + s.normBytes() + row + int64(ctx)*s.KVBytesPerPosition(), nil
}
