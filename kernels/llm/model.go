package llm

import (
	"fmt"
	"math"
	"runtime"

	"github.com/ppbench/ppbench/kernels"
)

// Q8MatMulFunc computes y = x·wᵀ for Q8_0 activations x (one row per
// token) and weights w (one row per output feature), y's rows ldy apart,
// on threads goroutines: the signature of kernels.Q8Tier's Q8MatMul, so
// that a Model runs any Q8 tier.
type Q8MatMulFunc func(x, w *kernels.Q8Matrix, y []float32, ldy, threads int)

// BF16GemmFunc computes C = A·B for bfloat16 A (m×k) and B (k×n), float32
// C, on threads goroutines: the signature of kernels.BF16Tier.GemmBF16.
type BF16GemmFunc func(m, n, k int, a []kernels.BF16, lda int, b []kernels.BF16, ldb int, c []float32, ldc int, threads int)

// BF16PackFunc lays a bf16 weight matrix (k×n, row-major, stride ldb)
// out once in a tier's own layout, or returns nil for a tier without
// one: the signature of kernels.BF16Tier.PackBF16.
type BF16PackFunc func(k, n int, b []kernels.BF16, ldb int) *kernels.PackedBF16

// SgemmFunc computes C = alpha·op(A)·op(B) + beta·C in float32 on
// threads goroutines: the signature of kernels.Tier.Sgemm. Attention's
// scores and weighted sums run on it: in decode a key/value head's query
// heads at once, in prefill a block of a query head's tokens.
type SgemmFunc func(tA, tB kernels.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, threads int)

// SoftmaxFunc replaces a row of attention scores with its softmax: the
// signature of kernels.Tier.Softmax.
type SoftmaxFunc func(x []float32)

// SwiGLUFunc sets dst[i] = SiLU(gate[i])·up[i], the MLP's gated
// activation: the signature of kernels.Tier.SwiGLU.
type SwiGLUFunc func(dst, gate, up []float32)

// An Option changes how New builds a Model.
type Option func(*config)

type config struct {
	maxContext   int
	maxBatch     int
	buildThreads int
	q8           Q8MatMulFunc
	bf16Gemm     BF16GemmFunc
	bf16Vec      BF16GemmFunc
	bf16Pack     BF16PackFunc
	sgemm        SgemmFunc
	softmax      SoftmaxFunc
	swiGLU       SwiGLUFunc
}

// DefaultMaxContext is the key/value cache length New allocates unless
// WithMaxContext says otherwise (capped at the shape's MaxPositions).
const DefaultMaxContext = 2048

// DefaultMaxBatch is the most prompt tokens one pass of Prefill takes
// unless WithMaxBatch says otherwise; longer prompts run in chunks.
const DefaultMaxBatch = 512

// WithMaxContext sets the positions the key/value cache holds (prompt and
// generated tokens together): 1 to the shape's MaxPositions.
func WithMaxContext(positions int) Option { return func(c *config) { c.maxContext = positions } }

// WithMaxBatch sets the most tokens one Prefill pass computes together,
// the rows of the activation scratch: at least 1; values above the
// context are cut to it.
func WithMaxBatch(tokens int) Option { return func(c *config) { c.maxBatch = tokens } }

// WithBuildThreads sets the goroutines New generates the weights on
// (default GOMAXPROCS). The weights do not depend on it.
func WithBuildThreads(n int) Option { return func(c *config) { c.buildThreads = n } }

// WithQ8MatMul sets the Q8_0 matrix product of every q8_0 layer, prefill
// and decode (default kernels.WidestQ8().Q8MatMul): the one place a Q8 tier plugs
// in.
func WithQ8MatMul(f Q8MatMulFunc) Option { return func(c *config) { c.q8 = f } }

// WithBF16Gemm sets the bf16 matrix product of bf16 prefill, called with
// m = the prompt tokens of a pass (default kernels.WidestBF16().GemmBF16).
// Unless WithBF16MatVec is given, decode runs it too.
func WithBF16Gemm(f BF16GemmFunc) Option { return func(c *config) { c.bf16Gemm = f } }

// WithBF16MatVec sets the bf16 product of one token (m = 1) for decode,
// where a dedicated matrix-vector kernel can go. By default decode calls
// the WithBF16Gemm function with m = 1 on fixed bands of 256 output
// columns, the bands spread over the threads: the GEMMs split work by
// rows of A, of which decode has one.
func WithBF16MatVec(f BF16GemmFunc) Option { return func(c *config) { c.bf16Vec = f } }

// WithBF16Pack sets how New lays out the layers' bf16 weight matrices.
// Where f returns a packed matrix, the layer keeps that alone (the
// row-major one is dropped) and prefill and decode run its products,
// PackedBF16.Gemm and PackedBF16.MatVec, instead of the WithBF16Gemm and
// WithBF16MatVec functions, which then serve the vocabulary projection
// only. Unset (the default), or where f returns nil, the weights stay
// row-major. A tier that packs B on every GEMM call (amx) spends about
// half as long packing as multiplying on a prompt of a few hundred
// tokens, the weights coming from memory each time; packed once, they
// are read in place.
func WithBF16Pack(f BF16PackFunc) Option { return func(c *config) { c.bf16Pack = f } }

// WithSgemm sets the float32 matrix product attention runs on (default
// kernels.Widest().Sgemm).
func WithSgemm(f SgemmFunc) Option { return func(c *config) { c.sgemm = f } }

// WithSoftmax sets attention's softmax of a row of scores (default
// kernels.Widest().Softmax).
func WithSoftmax(f SoftmaxFunc) Option { return func(c *config) { c.softmax = f } }

// WithSwiGLU sets the MLP's gated activation (default
// kernels.Widest().SwiGLU).
func WithSwiGLU(f SwiGLUFunc) Option { return func(c *config) { c.swiGLU = f } }

// vecBand is the output columns of one call of the default bf16 decode
// product. Fixed, not derived from threads, so that every output is
// computed by the same call whatever the thread count.
const vecBand = 256

// A linear is one weight matrix, in inputs to out outputs, in the Model's
// format.
type linear struct {
	in, out int
	q8      *kernels.Q8Matrix   // FormatQ8: out rows of in, one row per output
	bf      []kernels.BF16      // FormatBF16: in×out row-major, the B operand of GemmBF16; nil when packed
	packed  *kernels.PackedBF16 // FormatBF16 with WithBF16Pack: the same matrix in a tier's layout
}

// A layer is one transformer block's weights. Query, key and value
// projections are one matrix (outputs [q | k | v]), and so are the MLP's
// gate and up (outputs [gate | up]), so that each is one matrix product
// over the same input.
type layer struct {
	attnNorm, mlpNorm []float32 // RMSNorm weights, Hidden each
	qkv               linear    // Hidden → QDim + 2·KVDim
	o                 linear    // QDim → Hidden
	gateUp            linear    // Hidden → 2·MLP
	down              linear    // MLP → Hidden
}

// A Model is a Llama-architecture decoder with generated weights, a
// float32 key/value cache for MaxContext positions and scratch for
// MaxBatch tokens, all allocated by New: Prefill and Decode allocate
// nothing (beyond what a matrix-product function given as an option
// allocates; the Q8 tiers' Q8MatMul and GemmBF16 start goroutines per call when
// threads > 1).
//
// The forward pass of a token: embedding lookup; per layer RMSNorm, the
// fused query/key/value product, rotary position embedding of queries
// and keys (rotate-half pairs (i, i+HeadDim/2), frequencies
// RopeTheta^(−2i/HeadDim); the "llama3" rope_scaling of Llama 3.1/3.2,
// which only changes the frequencies, is left out: speed does not depend
// on it), grouped-query causal attention over the cache, the output
// product, residual add, RMSNorm, the fused gate/up product,
// SiLU(gate)·up, the down product, residual add; after the last layer
// the final RMSNorm and the vocabulary projection of the last token only.
// The matrix products run in the Model's format (activations quantised
// to Q8_0 per token, or rounded to bfloat16, before each); everything
// else is float32: norms, rotary embedding, attention, softmax, SiLU, the
// residual stream and the cache.
//
// Every matrix, the embedding table included, is held in the format; a
// tied model's vocabulary projection reads the embedding matrix itself,
// and a lookup dequantises one row of it. The norm vectors are float32,
// 0.02% of the bytes. The cache is float32, not bf16 or fp16: a decode
// step reads it once, 64 KiB a position for llama-3.2-1b, 5% of the step's
// bytes at 1024 positions, and float32 keeps a rounding out of attention
// that the tests' reference would have to copy.
//
// Results do not depend on threads: the matrix products split output
// rows (their functions' contract), attention splits heads, and each
// output is computed by one goroutine in a fixed order.
//
// A Model is not safe for concurrent use.
type Model struct {
	shape  Shape
	format string
	cfg    config

	layers    []layer
	finalNorm []float32
	output    linear // vocabulary projection, Hidden → Vocab
	// The embedding table, in the format: for FormatQ8 a Vocab×Hidden
	// Q8Matrix (output.q8 itself when tied); for FormatBF16 value (t, j)
	// is embedBF[t·embedTokStride + j·embedDimStride] (output.bf, read
	// down a column, when tied).
	embedQ8                        *kernels.Q8Matrix
	embedBF                        []kernels.BF16
	embedTokStride, embedDimStride int

	maxContext, maxBatch int
	pos                  int // positions in the cache

	ropeCos, ropeSin []float32 // [maxContext][HeadDim/2]
	kCache, vCache   []float32 // [Layers][KVHeads][maxContext][HeadDim]

	// Scratch, maxBatch tokens (rows) each.
	x      []float32 // residual stream, Hidden a token
	xn     []float32 // normalised input of a product, Hidden a token
	qkv    []float32 // [q | k | v] of a token, QDim + 2·KVDim
	attn   []float32 // attention output, QDim a token
	proj   []float32 // output of the o and down products, Hidden a token
	gu     []float32 // [gate | up], 2·MLP a token
	act    []float32 // SiLU(gate)·up, MLP a token
	logits []float32 // Vocab, of the last token
	scores []float32 // [Heads][attnRows][maxContext] attention weights
	// A prefill block's queries and outputs, a key/value head's query
	// heads stacked: [KVHeads][Heads/KVHeads][attnRows][HeadDim] each.
	attnQ, attnOut []float32

	xq       kernels.Q8Matrix // the quantised activations of the product running, a view of xqQuants/xqScales
	xqQuants []int8
	xqScales []kernels.F16
	xbf      []kernels.BF16 // bfloat16 activations
	one      [1]int         // Decode's token, as Prefill's slice

	pool    *pool
	bf16Vec BF16GemmFunc // cfg.bf16Vec or the banded default
	// packedProduct runs a packed layer's product of rows tokens (a, k
	// a row) into c (n a row).
	packedProduct func(p *kernels.PackedBF16, rows int, a []kernels.BF16, c []float32, threads int)
	attnFn        func(g0, g1 int) // attnPrefill, a prefill pass's attention
	groupFn       func(g0, g1 int) // attnGroups, a decode step's attention
	vecFn         func(b0, b1 int)
	rowFn         func(t0, t1 int) // rows, a token-wise step
	// Arguments of the parallel call running, for attnFn, rowFn and vecFn.
	cur struct{ layer, tokens, pos0 int }
	row struct {
		op    rowOp
		norm  []float32 // rowNorm's weights
		in    []float32 // rowQuantize's and rowToBF16's activations
		width int       // their length a token
	}
	vec struct {
		n, k, ldb int
		a, b      []kernels.BF16
		c         []float32
	}
}

// Tensor numbers seed the weight generators: each matrix and vector has
// its own, so that none repeats another's values.
const (
	tensorEmbed = iota + 1
	tensorOutput
	tensorFinalNorm
	tensorLayer0 = 16 // layer l's tensors are tensorLayer0 + 8·l + tensor*
)

const (
	tensorAttnNorm = iota
	tensorQKV
	tensorO
	tensorMLPNorm
	tensorGateUp
	tensorDown
)

// New builds a Model of shape in format (FormatQ8 or FormatBF16) with
// weights generated from seed: the same seed gives the same weights.
// It returns an error for an invalid shape, an unknown format or an
// option out of range.
func New(shape Shape, format string, seed uint64, opts ...Option) (*Model, error) {
	if err := shape.Validate(); err != nil {
		return nil, err
	}
	if _, err := matrixBytes(format, 0); err != nil {
		return nil, err
	}
	cfg := config{
		maxContext:   min(DefaultMaxContext, shape.MaxPositions),
		maxBatch:     DefaultMaxBatch,
		buildThreads: runtime.GOMAXPROCS(0),
		q8:           kernels.WidestQ8().Q8MatMul,
		bf16Gemm:     kernels.WidestBF16().GemmBF16,
		sgemm:        kernels.Widest().Sgemm,
		softmax:      kernels.Widest().Softmax,
		swiGLU:       kernels.Widest().SwiGLU,
	}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case cfg.maxContext < 1 || cfg.maxContext > shape.MaxPositions:
		return nil, fmt.Errorf("llm: max context %d is outside 1 to %d, the positions of %s", cfg.maxContext, shape.MaxPositions, shape.Name)
	case cfg.maxBatch < 1:
		return nil, fmt.Errorf("llm: max batch %d < 1", cfg.maxBatch)
	case cfg.buildThreads < 1:
		return nil, fmt.Errorf("llm: build threads %d < 1", cfg.buildThreads)
	case cfg.q8 == nil || cfg.bf16Gemm == nil || cfg.sgemm == nil || cfg.softmax == nil || cfg.swiGLU == nil:
		return nil, fmt.Errorf("llm: a kernel option is nil")
	}
	if format == FormatQ8 {
		for _, in := range []int{shape.Hidden, shape.QDim(), shape.MLP} {
			if err := checkScaleRange(in); err != nil {
				return nil, err
			}
		}
	}
	m := &Model{shape: shape, format: format, cfg: cfg, maxContext: cfg.maxContext, maxBatch: min(cfg.maxBatch, cfg.maxContext)}
	m.build(seed)
	m.start()
	return m, nil
}

// start readies a Model whose weights are in place: its cache, scratch,
// worker pool and the method values its parallel calls send.
func (m *Model) start() {
	m.allocate()
	m.pool = newPool()
	runtime.AddCleanup(m, func(jobs chan poolJob) { close(jobs) }, m.pool.jobs)
	m.attnFn = m.attnPrefill
	m.groupFn = m.attnGroups
	m.vecFn = m.vecBands
	m.rowFn = m.rows
	m.bf16Vec = m.cfg.bf16Vec
	if m.bf16Vec == nil {
		m.bf16Vec = m.bandedMatVec
	}
	m.packedProduct = packedProduct
}

// packedProduct is a packed layer's product: a decode step's MatVec or a
// prefill pass's Gemm.
func packedProduct(p *kernels.PackedBF16, rows int, a []kernels.BF16, c []float32, threads int) {
	k, n := p.Dims()
	if rows == 1 {
		p.MatVec(a[:k], c[:n], threads)
		return
	}
	p.Gemm(rows, a, k, c, n, threads)
}

// newLinear allocates an in→out matrix in format.
func newLinear(format string, in, out int) linear {
	l := linear{in: in, out: out}
	if format == FormatQ8 {
		l.q8 = kernels.NewQ8Matrix(out, in)
	} else {
		l.bf = make([]kernels.BF16, in*out)
	}
	return l
}

// build allocates and generates the weights, on cfg.buildThreads
// goroutines.
func (m *Model) build(seed uint64) {
	s := m.shape
	var jobs []fillJob
	var rowBytes []int
	// addLinear queues the generation of l, tensor number tensor.
	addLinear := func(l *linear, tensor int) {
		std := fanInStd(l.in)
		if m.format == FormatQ8 {
			w := l.q8
			jobs = append(jobs, fillJob{rows: w.Rows, fill: func(r0, r1 int) { fillQ8Rows(w, r0, r1, seed, tensor, std) }})
			rowBytes = append(rowBytes, w.Cols)
			return
		}
		w, cols, tab := l.bf, l.out, bf16Normals(std) // stored in×out: a stored row is one input's weights
		jobs = append(jobs, fillJob{rows: l.in, fill: func(r0, r1 int) { fillBF16Rows(w, cols, r0, r1, seed, tensor, tab) }})
		rowBytes = append(rowBytes, 2*cols)
	}
	m.layers = make([]layer, s.Layers)
	for i := range m.layers {
		L := &m.layers[i]
		base := tensorLayer0 + 8*i
		L.attnNorm = make([]float32, s.Hidden)
		L.mlpNorm = make([]float32, s.Hidden)
		fillNorm(L.attnNorm, seed, base+tensorAttnNorm)
		fillNorm(L.mlpNorm, seed, base+tensorMLPNorm)
		L.qkv = newLinear(m.format, s.Hidden, s.QDim()+2*s.KVDim())
		L.o = newLinear(m.format, s.QDim(), s.Hidden)
		L.gateUp = newLinear(m.format, s.Hidden, 2*s.MLP)
		L.down = newLinear(m.format, s.MLP, s.Hidden)
		addLinear(&L.qkv, base+tensorQKV)
		addLinear(&L.o, base+tensorO)
		addLinear(&L.gateUp, base+tensorGateUp)
		addLinear(&L.down, base+tensorDown)
	}
	m.finalNorm = make([]float32, s.Hidden)
	fillNorm(m.finalNorm, seed, tensorFinalNorm)
	m.output = newLinear(m.format, s.Hidden, s.Vocab)
	// Tied: the vocabulary projection is the embedding matrix, made under
	// the embedding's number.
	if s.Tied {
		addLinear(&m.output, tensorEmbed)
	} else {
		addLinear(&m.output, tensorOutput)
	}
	switch {
	case m.format == FormatQ8 && s.Tied:
		m.embedQ8 = m.output.q8
	case m.format == FormatQ8:
		m.embedQ8 = kernels.NewQ8Matrix(s.Vocab, s.Hidden)
		w, std := m.embedQ8, fanInStd(s.Hidden)
		jobs = append(jobs, fillJob{rows: s.Vocab, fill: func(r0, r1 int) { fillQ8Rows(w, r0, r1, seed, tensorEmbed, std) }})
		rowBytes = append(rowBytes, s.Hidden)
	case s.Tied: // bf16, Hidden×Vocab: token t is column t
		m.embedBF, m.embedTokStride, m.embedDimStride = m.output.bf, 1, s.Vocab
	default: // bf16, Vocab×Hidden: token t is row t
		m.embedBF, m.embedTokStride, m.embedDimStride = make([]kernels.BF16, s.Vocab*s.Hidden), s.Hidden, 1
		w, tab := m.embedBF, bf16Normals(fanInStd(s.Hidden))
		jobs = append(jobs, fillJob{rows: s.Vocab, fill: func(r0, r1 int) { fillBF16Rows(w, s.Hidden, r0, r1, seed, tensorEmbed, tab) }})
		rowBytes = append(rowBytes, 2*s.Hidden)
	}
	runFill(jobs, rowBytes, m.cfg.buildThreads)
	if m.format == FormatBF16 && m.cfg.bf16Pack != nil {
		m.pack()
	}
}

// pack lays the layers' matrices out with cfg.bf16Pack, one at a time,
// dropping each row-major matrix once packed. A collection after each
// layer gives its row-major bytes back before the next layer packs, so
// that the model never holds much more than one copy of its weights: the
// matrices hold no pointers, so a collection has little to mark.
func (m *Model) pack() {
	for i := range m.layers {
		L := &m.layers[i]
		for _, l := range []*linear{&L.qkv, &L.o, &L.gateUp, &L.down} {
			if p := m.cfg.bf16Pack(l.in, l.out, l.bf, l.out); p != nil {
				l.packed, l.bf = p, nil
			}
		}
		runtime.GC()
	}
}

// allocate makes the cache, the rotary tables and the scratch.
func (m *Model) allocate() {
	s := m.shape
	B, C := m.maxBatch, m.maxContext
	half := s.HeadDim / 2
	m.ropeCos = make([]float32, C*half)
	m.ropeSin = make([]float32, C*half)
	for i := range half {
		freq := math.Pow(s.RopeTheta, -2*float64(i)/float64(s.HeadDim))
		for p := range C {
			sin, cos := math.Sincos(float64(p) * freq)
			m.ropeCos[p*half+i] = float32(cos)
			m.ropeSin[p*half+i] = float32(sin)
		}
	}
	m.kCache = make([]float32, s.Layers*s.KVHeads*C*s.HeadDim)
	m.vCache = make([]float32, s.Layers*s.KVHeads*C*s.HeadDim)
	m.x = make([]float32, B*s.Hidden)
	m.xn = make([]float32, B*s.Hidden)
	m.qkv = make([]float32, B*(s.QDim()+2*s.KVDim()))
	m.attn = make([]float32, B*s.QDim())
	m.proj = make([]float32, B*s.Hidden)
	m.gu = make([]float32, B*2*s.MLP)
	m.act = make([]float32, B*s.MLP)
	m.logits = make([]float32, s.Vocab)
	m.scores = make([]float32, s.Heads*m.attnRows()*C)
	m.attnQ = make([]float32, s.Heads*m.attnRows()*s.HeadDim)
	m.attnOut = make([]float32, s.Heads*m.attnRows()*s.HeadDim)
	maxIn := max(s.Hidden, s.QDim(), s.MLP)
	if m.format == FormatQ8 {
		m.xqQuants = make([]int8, B*maxIn)
		m.xqScales = make([]kernels.F16, B*maxIn/q8Block)
	} else {
		m.xbf = make([]kernels.BF16, B*maxIn)
	}
}

// Shape returns the model's shape.
func (m *Model) Shape() Shape { return m.shape }

// Format returns the weight format, FormatQ8 or FormatBF16.
func (m *Model) Format() string { return m.format }

// MaxContext returns the positions the key/value cache holds.
func (m *Model) MaxContext() int { return m.maxContext }

// MaxBatch returns the most tokens one Prefill pass computes together.
func (m *Model) MaxBatch() int { return m.maxBatch }

// Pos returns the positions in the cache: the tokens given to Prefill
// and Decode since New or Reset.
func (m *Model) Pos() int { return m.pos }

// Reset empties the key/value cache, for a new sequence.
func (m *Model) Reset() { m.pos = 0 }

// Prefill appends tokens (a prompt) to the sequence, computing them
// MaxBatch at a time as matrix-matrix products, and returns the logits
// (Vocab of them) that predict the token after the last. The slice is
// the Model's and holds until the next Prefill or Decode. Prefill panics
// for no tokens, a token outside [0, Vocab) or tokens beyond MaxContext.
func (m *Model) Prefill(tokens []int, threads int) []float32 {
	if len(tokens) == 0 {
		panic("llm: Prefill: no tokens")
	}
	m.checkTokens("Prefill", tokens)
	var n int
	for len(tokens) > 0 {
		n = min(len(tokens), m.maxBatch)
		m.forward(tokens[:n], threads)
		tokens = tokens[n:]
	}
	m.head(n-1, threads)
	return m.logits
}

// Decode appends one token to the sequence and returns the logits that
// predict the next: one matrix-vector product per matrix, reading every
// weight once. The slice is the Model's and holds until the next Prefill
// or Decode. Decode panics for a token outside [0, Vocab) or a full
// cache.
func (m *Model) Decode(token int, threads int) []float32 {
	m.one[0] = token
	m.checkTokens("Decode", m.one[:])
	m.forward(m.one[:], threads)
	m.head(0, threads)
	return m.logits
}

func (m *Model) checkTokens(op string, tokens []int) {
	if m.pos+len(tokens) > m.maxContext {
		panic(fmt.Sprintf("llm: %s: %d tokens after %d in the cache exceed the max context %d", op, len(tokens), m.pos, m.maxContext))
	}
	for i, t := range tokens {
		if t < 0 || t >= m.shape.Vocab {
			panic(fmt.Sprintf("llm: %s: token %d is %d, outside [0, %d)", op, i, t, m.shape.Vocab))
		}
	}
}

// forward runs tokens (at most maxBatch) through every layer at
// positions pos, pos+1, …, leaving their residual streams in x, and
// advances pos.
func (m *Model) forward(tokens []int, threads int) {
	s := &m.shape
	T, H := len(tokens), s.Hidden
	m.embed(tokens, m.x[:T*H])
	for l := range m.layers {
		L := &m.layers[l]
		m.row.norm = L.attnNorm
		m.runRows(rowNorm, T, threads)
		m.matmul(&L.qkv, m.xn, T, m.qkv, threads)
		m.rope(T)
		m.storeKV(l, T)
		m.cur.layer, m.cur.tokens, m.cur.pos0 = l, T, m.pos
		if T == 1 {
			m.pool.run(threads, s.KVHeads, m.groupFn)
		} else {
			m.pool.run(threads, s.KVHeads, m.attnFn)
		}
		m.matmul(&L.o, m.attn, T, m.proj, threads)
		m.row.norm = L.mlpNorm
		m.runRows(rowAddNorm, T, threads)
		m.matmul(&L.gateUp, m.xn, T, m.gu, threads)
		m.runRows(rowSwiGLU, T, threads)
		m.matmul(&L.down, m.act, T, m.proj, threads)
		m.runRows(rowAdd, T, threads)
	}
	m.pos += T
}

// head computes the logits of token t of the last forward: final norm
// and vocabulary projection.
func (m *Model) head(t, threads int) {
	H := m.shape.Hidden
	rmsNormRows(m.xn, m.x[t*H:(t+1)*H], m.finalNorm, 1, H, float32(m.shape.NormEps))
	m.matmul(&m.output, m.xn, 1, m.logits, threads)
}

// embed sets row t of x (Hidden values) to token tokens[t]'s embedding.
// A bf16 table read down its columns (tied to the vocabulary projection)
// is read a table row at a time, for all the tokens: token by token, each
// of a token's values is a cache and TLB miss Vocab·2 bytes from the last,
// while a row's values for all the tokens lie within its Vocab·2 bytes
// (for a 512-token prompt of the 1B model on the development host, CPU
// profile: 34 ms token by token, 18 ms row by row).
func (m *Model) embed(tokens []int, x []float32) {
	H := m.shape.Hidden
	if m.embedQ8 != nil || m.embedDimStride == 1 || len(tokens) == 1 {
		for t, tok := range tokens {
			m.embedRow(tok, x[t*H:(t+1)*H])
		}
		return
	}
	for j := range H {
		row := m.embedBF[j*m.embedDimStride:]
		for t, tok := range tokens {
			x[t*H+j] = row[tok*m.embedTokStride].Float32()
		}
	}
}

// embedRow sets dst (Hidden) to token tok's embedding, dequantised.
func (m *Model) embedRow(tok int, dst []float32) {
	if m.embedQ8 != nil {
		w, H := m.embedQ8, m.shape.Hidden
		q := w.Quants[tok*H : (tok+1)*H]
		sc := w.Scales[tok*H/q8Block : (tok+1)*H/q8Block]
		for j := range dst {
			dst[j] = float32(q[j]) * sc[j/q8Block].Float32()
		}
		return
	}
	for j := range dst {
		dst[j] = m.embedBF[tok*m.embedTokStride+j*m.embedDimStride].Float32()
	}
}

// matmul sets y (T rows of w.out) to x (T rows of w.in) through w,
// converting x to the format first.
func (m *Model) matmul(w *linear, x []float32, T int, y []float32, threads int) {
	in, out := w.in, w.out
	m.row.in, m.row.width = x, in
	if m.format == FormatQ8 {
		m.runRows(rowQuantize, T, threads)
		nb := in / q8Block
		m.xq = kernels.Q8Matrix{Rows: T, Cols: in, Quants: m.xqQuants[:T*in], Scales: m.xqScales[:T*nb]}
		m.cfg.q8(&m.xq, w.q8, y, out, threads)
		return
	}
	m.runRows(rowToBF16, T, threads)
	if w.packed != nil {
		m.packedProduct(w.packed, T, m.xbf, y, threads)
		return
	}
	if T == 1 {
		m.bf16Vec(1, out, in, m.xbf, in, w.bf, out, y, out, threads)
		return
	}
	m.cfg.bf16Gemm(T, out, in, m.xbf, in, w.bf, out, y, out, threads)
}

// A rowOp is a token-wise step of the forward pass, which rows runs on
// a range of tokens: each token's result depends on that token's row
// alone, so the steps split tokens over threads with results that do not
// depend on the split.
type rowOp int

const (
	rowNorm     rowOp = iota // xn = RMSNorm(x)·row.norm
	rowAddNorm               // x += proj, then rowNorm
	rowAdd                   // x += proj
	rowSwiGLU                // act = SiLU(gate)·up from gu
	rowQuantize              // xq's codes and scales from row.in
	rowToBF16                // xbf from row.in
)

// runRows runs op on tokens [0, T) over threads.
func (m *Model) runRows(op rowOp, T, threads int) {
	m.row.op = op
	m.pool.run(threads, T, m.rowFn)
}

// rows runs the running rowOp on tokens [t0, t1).
func (m *Model) rows(t0, t1 int) {
	s := &m.shape
	H, f, w := s.Hidden, s.MLP, m.row.width
	switch m.row.op {
	case rowAdd, rowAddNorm:
		addTo(m.x[t0*H:t1*H], m.proj[t0*H:t1*H])
		if m.row.op == rowAdd {
			return
		}
		fallthrough
	case rowNorm:
		rmsNormRows(m.xn[t0*H:t1*H], m.x[t0*H:t1*H], m.row.norm, t1-t0, H, float32(s.NormEps))
	case rowSwiGLU:
		for t := t0; t < t1; t++ {
			m.cfg.swiGLU(m.act[t*f:(t+1)*f], m.gu[2*t*f:(2*t+1)*f], m.gu[(2*t+1)*f:(2*t+2)*f])
		}
	case rowQuantize:
		nb := w / q8Block
		for t := t0; t < t1; t++ {
			kernels.QuantizeQ8Row(m.xqQuants[t*w:(t+1)*w], m.xqScales[t*nb:(t+1)*nb], m.row.in[t*w:(t+1)*w])
		}
	case rowToBF16:
		kernels.ToBF16s(m.xbf[t0*w:t1*w], m.row.in[t0*w:t1*w])
	}
}

// bandedMatVec is the default bf16 decode product (m = 1): the GEMM on
// vecBand-column bands of B and C, bands spread over threads.
func (m *Model) bandedMatVec(rows, n, k int, a []kernels.BF16, lda int, b []kernels.BF16, ldb int, c []float32, ldc int, threads int) {
	if rows != 1 {
		panic(fmt.Sprintf("llm: bandedMatVec: m = %d, want 1", rows))
	}
	m.vec.n, m.vec.k, m.vec.ldb, m.vec.a, m.vec.b, m.vec.c = n, k, ldb, a[:k], b, c[:n]
	m.pool.run(threads, (n+vecBand-1)/vecBand, m.vecFn)
}

// vecBands computes bands [b0, b1) of the running bandedMatVec.
func (m *Model) vecBands(b0, b1 int) {
	v := &m.vec
	for band := b0; band < b1; band++ {
		j0, j1 := band*vecBand, min(v.n, (band+1)*vecBand)
		m.cfg.bf16Gemm(1, j1-j0, v.k, v.a, v.k, v.b[j0:], v.ldb, v.c[j0:j1], j1-j0, 1)
	}
}

// rmsNormRows sets row t of y to row t of x over its root mean square,
// times w, for T rows of n (kernels.RMSNorm, whose float64 sum of
// squares needs no care about order or overflow).
func rmsNormRows(y, x, w []float32, T, n int, eps float32) {
	for t := range T {
		kernels.RMSNorm(y[t*n:(t+1)*n], x[t*n:(t+1)*n], w, eps)
	}
}

// addTo adds d to x, the residual connection.
func addTo(x, d []float32) {
	for i, v := range d {
		x[i] += v
	}
}

// rope rotates the query and key heads of the T tokens in qkv, token t
// at position pos+t: rotate-half, pair (i, i+HeadDim/2) by the angle
// position·RopeTheta^(−2i/HeadDim).
func (m *Model) rope(T int) {
	s := &m.shape
	hd, half := s.HeadDim, s.HeadDim/2
	width := s.QDim() + 2*s.KVDim()
	for t := range T {
		p := m.pos + t
		cos, sin := m.ropeCos[p*half:(p+1)*half], m.ropeSin[p*half:(p+1)*half]
		row := m.qkv[t*width : t*width+s.QDim()+s.KVDim()] // query heads, then key heads
		for h := 0; h < len(row); h += hd {
			x := row[h : h+hd]
			for i := range half {
				a, b := x[i], x[i+half]
				x[i] = a*cos[i] - b*sin[i]
				x[i+half] = b*cos[i] + a*sin[i]
			}
		}
	}
}

// kvOffset is the index in kCache and vCache of layer l, key/value head
// g, position p.
func (m *Model) kvOffset(l, g, p int) int {
	return ((l*m.shape.KVHeads+g)*m.maxContext + p) * m.shape.HeadDim
}

// storeKV copies the keys and values of the T tokens in qkv into layer
// l's cache at positions pos, pos+1, ….
func (m *Model) storeKV(l, T int) {
	s := &m.shape
	hd, width := s.HeadDim, s.QDim()+2*s.KVDim()
	for t := range T {
		k := m.qkv[t*width+s.QDim() : t*width+s.QDim()+s.KVDim()]
		v := m.qkv[t*width+s.QDim()+s.KVDim() : (t+1)*width]
		for g := range s.KVHeads {
			o := m.kvOffset(l, g, m.pos+t)
			copy(m.kCache[o:o+hd], k[g*hd:(g+1)*hd])
			copy(m.vCache[o:o+hd], v[g*hd:(g+1)*hd])
		}
	}
}

// attnBlock is the most query tokens a prefill attention step takes, for
// each of a key/value head's query heads: its two Sgemm calls multiply
// Heads/KVHeads·attnBlock rows. Their scores (up to MaxContext a row) are
// 256 KiB a query head at 2048 positions. 64 tokens, which pack the keys
// and values half as often, made the 1B model's 512-token prefill no
// faster on the development host, at twice the scratch; 96 were 4%
// faster, within noise (n = 7, p = 0.05).
const attnBlock = 32

// attnRows is the scratch rows of scores a query head has: attnBlock, or
// the batch if smaller.
func (m *Model) attnRows() int { return min(attnBlock, m.maxBatch) }

// attnPrefill computes key/value heads [g0, g1) of causal attention for
// the running forward: token t (position pos0+t) attends to positions
// 0…pos0+t of its key/value head. A block of attnRows tokens of the
// head's Heads/KVHeads query heads goes through two Sgemm calls as one
// matrix, head after head (threads 1: the pool splits the key/value
// heads): the scores of the block's n = pos0+t1 keys and the weighted
// sum of the values, so that the keys and values are packed once for all
// the query heads that share them, as a decode step's are. Scores past a
// token's own position are computed and then zeroed, a triangle of at
// most attnRows²/2 a block and query head, so that every row takes the
// same product. Scores are scaled by 1/sqrt(HeadDim); the softmax
// subtracts the row's maximum, so exp never overflows. A token's result
// does not depend on how the pool splits the heads.
func (m *Model) attnPrefill(g0, g1 int) {
	s := &m.shape
	hd, group, width, qd := s.HeadDim, s.Heads/s.KVHeads, s.QDim()+2*s.KVDim(), s.QDim()
	l, T, pos0 := m.cur.layer, m.cur.tokens, m.cur.pos0
	scale := float32(1 / math.Sqrt(float64(hd)))
	C, R := m.maxContext, m.attnRows()
	for g := g0; g < g1; g++ {
		base := m.kvOffset(l, g, 0)
		sc := m.scores[g*group*R*C : (g+1)*group*R*C]
		q := m.attnQ[g*group*R*hd : (g+1)*group*R*hd]
		out := m.attnOut[g*group*R*hd : (g+1)*group*R*hd]
		for t0 := 0; t0 < T; t0 += R {
			rows := min(R, T-t0)
			n := pos0 + t0 + rows
			// Row j·rows+i is query head g·group+j of token t0+i.
			for j := range group {
				h := g*group + j
				for i := range rows {
					copy(q[(j*rows+i)*hd:(j*rows+i+1)*hd], m.qkv[(t0+i)*width+h*hd:])
				}
			}
			m.cfg.sgemm(kernels.NoTrans, kernels.Trans, group*rows, n, hd, scale, q, hd, m.kCache[base:base+n*hd], hd, 0, sc, C, 1)
			for r := range group * rows {
				row, seen := sc[r*C:r*C+n], pos0+t0+r%rows+1
				m.cfg.softmax(row[:seen])
				clear(row[seen:])
			}
			m.cfg.sgemm(kernels.NoTrans, kernels.NoTrans, group*rows, hd, n, 1, sc, C, m.vCache[base:base+n*hd], hd, 0, out, hd, 1)
			for j := range group {
				h := g*group + j
				for i := range rows {
					copy(m.attn[(t0+i)*qd+h*hd:(t0+i)*qd+(h+1)*hd], out[(j*rows+i)*hd:])
				}
			}
		}
	}
}

// attnGroups computes key/value heads [g0, g1) of a decode step's
// attention (one token at position pos0): each head's Heads/KVHeads query
// heads take their scores against the n = pos0+1 cached keys as one
// matrix product, their softmax, and the weighted sum of the values as
// another, on the float32 Sgemm (threads 1: the pool splits the heads).
// Sgemm's result does not depend on how the pool splits them.
func (m *Model) attnGroups(g0, g1 int) {
	s := &m.shape
	hd, group := s.HeadDim, s.Heads/s.KVHeads
	l, n := m.cur.layer, m.cur.pos0+1
	scale := float32(1 / math.Sqrt(float64(hd)))
	C := m.maxContext
	for g := g0; g < g1; g++ {
		base := m.kvOffset(l, g, 0)
		q := m.qkv[g*group*hd : (g+1)*group*hd]
		sc := m.scores[g*group*C : (g+1)*group*C]
		m.cfg.sgemm(kernels.NoTrans, kernels.Trans, group, n, hd, scale, q, hd, m.kCache[base:base+n*hd], hd, 0, sc, C, 1)
		for r := range group {
			m.cfg.softmax(sc[r*C : r*C+n])
		}
		out := m.attn[g*group*hd : (g+1)*group*hd]
		m.cfg.sgemm(kernels.NoTrans, kernels.NoTrans, group, hd, n, 1, sc, C, m.vCache[base:base+n*hd], hd, 0, out, hd, 1)
	}
}
