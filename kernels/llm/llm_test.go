package llm

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ppbench/ppbench/kernels"
)

// tinyUntied is Tiny with a separate vocabulary projection, the layout
// of llama-3.1-8b, so that the tests cover both embedding paths.
var tinyUntied = func() Shape {
	s := Tiny
	s.Name, s.Tied = "tiny-untied", false
	return s
}()

// testShapes are the shapes the model tests run, quick enough for -short
// and for emulation.
var testShapes = []Shape{Tiny, tinyUntied}

// testPrompt is a short prompt of arbitrary tokens below Tiny's
// vocabulary.
var testPrompt = []int{17, 42, 3, 250, 99, 7, 128}

func newModel(t testing.TB, s Shape, format string, opts ...Option) *Model {
	t.Helper()
	m, err := New(s, format, 20240601, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// unitRoundoff is float32's unit roundoff, 2⁻²⁴.
const unitRoundoff = 0x1p-24

// logitBound returns how far the Model's logits may be from the float64
// reference's, at context ctx, when the largest reference logit has
// magnitude maxAbs and both convert activations alike (see refModel.act).
//
// What is left are float32 roundings. A float32 sum of K terms is within
// γ_K ≈ K·u (u the unit roundoff) of the exact sum, relative to the sum
// of the terms' magnitudes; an error early in the pass is carried to the
// logits through products whose gains are of order one (RMSNorm rescales
// every layer's input to unit size). So the error of a logit is at most
// about u times K, the lengths of all the sums it depends on in sequence
// — per layer the q/k/v product (Hidden), a score (HeadDim), the softmax
// sum and the weighted sum of values (ctx each), the output product
// (QDim), gate/up (Hidden) and down (MLP); then the vocabulary product
// (Hidden) — times the ratio of the magnitudes' sum to the largest logit,
// which for sums of n normal-like terms is about sqrt(n) and for these
// shapes below 8; elementwise roundings (norm, rotary, exp, SiLU) add a
// few u per layer, inside the margin. For Tiny at ctx 40 that is
// 8·u·960 ≈ 4.6e-4 of the largest logit; measured differences are near
// 1e-7 of it. A wrong model (a missing residual, a mis-rotated key, the
// wrong key/value head) is off by tens of percent, and one activation
// rounded the other way unnoticed by about a percent.
func logitBound(s Shape, ctx int, maxAbs float64) float64 {
	perLayer := s.Hidden + s.HeadDim + 2*ctx + s.QDim() + s.Hidden + s.MLP
	k := s.Layers*perLayer + s.Hidden
	return 8 * float64(k) * unitRoundoff * maxAbs
}

// A recorder keeps the activation rows a Model gives its matrix products,
// call by call, by wrapping the Model's product functions, so that the
// reference can resolve rounding ties as the Model did (refModel.act).
type recorder struct {
	calls [][]actRow // per product call, a row per token
}

func record(m *Model) *recorder {
	rec := &recorder{}
	q8, vec, gemm, packed := m.cfg.q8, m.bf16Vec, m.cfg.bf16Gemm, m.packedProduct
	m.cfg.q8 = func(x, w *kernels.Q8Matrix, y []float32, ldy, threads int) {
		nb := x.Cols / q8Block
		call := make([]actRow, x.Rows)
		for t := range call {
			call[t] = actRow{q: slices.Clone(x.Quants[t*x.Cols : (t+1)*x.Cols]), sc: slices.Clone(x.Scales[t*nb : (t+1)*nb])}
		}
		rec.calls = append(rec.calls, call)
		q8(x, w, y, ldy, threads)
	}
	addBF := func(rows, k int, a []kernels.BF16, lda int) {
		call := make([]actRow, rows)
		for t := range call {
			call[t] = actRow{bf: slices.Clone(a[t*lda : t*lda+k])}
		}
		rec.calls = append(rec.calls, call)
	}
	m.bf16Vec = func(rows, n, k int, a []kernels.BF16, lda int, b []kernels.BF16, ldb int, c []float32, ldc int, threads int) {
		addBF(rows, k, a, lda)
		vec(rows, n, k, a, lda, b, ldb, c, ldc, threads)
	}
	// The default decode product calls the GEMM a band at a time with
	// m = 1: those calls are the mat-vec's, recorded above.
	m.cfg.bf16Gemm = func(rows, n, k int, a []kernels.BF16, lda int, b []kernels.BF16, ldb int, c []float32, ldc int, threads int) {
		if rows > 1 {
			addBF(rows, k, a, lda)
		}
		gemm(rows, n, k, a, lda, b, ldb, c, ldc, threads)
	}
	m.packedProduct = func(p *kernels.PackedBF16, rows int, a []kernels.BF16, c []float32, threads int) {
		k, _ := p.Dims()
		addBF(rows, k, a, k)
		packed(p, rows, a, c, threads)
	}
	return rec
}

// take returns the rows recorded since the last take, for a Prefill or
// Decode of n tokens: each token's rows in the order of its products,
// the vocabulary projection's (one row) going to the last token.
func (rec *recorder) take(n int) [][]actRow {
	out := make([][]actRow, n)
	for _, call := range rec.calls {
		if len(call) == n {
			for t := range out {
				out[t] = append(out[t], call[t])
			}
		} else {
			out[n-1] = append(out[n-1], call...)
		}
	}
	rec.calls = nil
	return out
}

// refCompare runs tokens through the reference as the Model ran them in
// one Prefill or Decode, and returns the last token's logits.
func refCompare(t *testing.T, r *refModel, rec *recorder, tokens []int) []float64 {
	t.Helper()
	var logits []float64
	for i, row := range rec.take(len(tokens)) {
		r.next = func() actRow {
			if len(row) == 0 {
				t.Fatalf("reference computes more products than the Model ran")
			}
			a := row[0]
			row = row[1:]
			return a
		}
		logits = r.step(tokens[i], i == len(tokens)-1)
		if len(row) != 0 {
			t.Fatalf("the Model ran %d more products than the reference", len(row))
		}
	}
	r.next = nil
	return logits
}

// TestMatchesReference runs a prompt and 32 greedy decode steps through
// the Model and the float64 reference, for each format and test shape,
// with the prompt decoded token by token and prefilled: the argmax tokens
// must agree at every step and the logits stay within logitBound.
func TestMatchesReference(t *testing.T) {
	for _, s := range testShapes {
		for _, f := range Formats() {
			for _, prefill := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/prefill=%v", s.Name, f, prefill), func(t *testing.T) {
					checkReference(t, s, f, prefill)
				})
			}
		}
	}
}

// packer returns the bf16 tier that packs weights (amx) and whether this
// host has one.
func packer() (kernels.BF16Tier, bool) {
	for _, ti := range kernels.BF16Tiers() {
		if ti.Packs() {
			return ti, true
		}
	}
	return kernels.BF16Tier{}, false
}

// packingTier returns packer's tier, or skips t where this host has none.
func packingTier(t *testing.T) kernels.BF16Tier {
	t.Helper()
	ti, ok := packer()
	if !ok {
		t.Skip("no bf16 tier on this host packs weights (only amx does)")
	}
	return ti
}

// TestPackedMatchesReference is TestMatchesReference for bf16 weights
// packed by the tier that packs (WithBF16Pack), on its products.
func TestPackedMatchesReference(t *testing.T) {
	ti := packingTier(t)
	for _, s := range testShapes {
		for _, prefill := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/prefill=%v", s.Name, prefill), func(t *testing.T) {
				checkReference(t, s, FormatBF16, prefill, WithBF16Pack(ti.PackBF16), WithBF16Gemm(ti.GemmBF16))
			})
		}
	}
}

// TestPackedBitIdentical checks that packing changes no bit: a model on
// the packing tier's GemmBF16 and MatVecBF16 and one with its weights
// packed give the same logits over a prefill and greedy decode steps, at
// 1 and 3 threads, and the packed one holds no row-major layer matrix.
func TestPackedBitIdentical(t *testing.T) {
	ti := packingTier(t)
	matVec := WithBF16MatVec(func(_, n, k int, a []kernels.BF16, _ int, b []kernels.BF16, ldb int, c []float32, _ int, threads int) {
		ti.MatVecBF16(n, k, a, b, ldb, c, threads)
	})
	for _, s := range testShapes {
		plain := newModel(t, s, FormatBF16, WithMaxContext(64), WithBF16Gemm(ti.GemmBF16), matVec)
		packed := newModel(t, s, FormatBF16, WithMaxContext(64), WithBF16Gemm(ti.GemmBF16), matVec, WithBF16Pack(ti.PackBF16))
		for _, L := range packed.layers {
			for _, l := range []linear{L.qkv, L.o, L.gateUp, L.down} {
				if l.packed == nil || l.bf != nil {
					t.Fatalf("%s: a layer matrix is not packed alone", s.Name)
				}
			}
		}
		for _, threads := range []int{1, 3} {
			plain.Reset()
			packed.Reset()
			want, got := plain.Prefill(testPrompt, threads), packed.Prefill(testPrompt, threads)
			for step := 0; ; step++ {
				if !slices.Equal(got, want) {
					t.Fatalf("%s threads=%d step %d: logits differ", s.Name, threads, step)
				}
				if step == 8 {
					break
				}
				tok := Greedy(want)
				want, got = plain.Decode(tok, threads), packed.Decode(tok, threads)
			}
		}
	}
}

// checkReference runs a prompt and 32 greedy decode steps through a Model
// of shape s in format f (with opts) and the float64 reference, the
// prompt decoded token by token or prefilled: the argmax tokens must
// agree at every step and the logits stay within logitBound.
func checkReference(t *testing.T, s Shape, f string, prefill bool, opts ...Option) {
	t.Helper()
	m := newModel(t, s, f, append([]Option{WithMaxContext(64)}, opts...)...)
	rec := record(m)
	// The reference reads the weights row-major, as a model built with no
	// options holds them: the same, from the same seed.
	r := newRef(newModel(t, s, f))
	var lf []float32
	var lr []float64
	if prefill {
		lf = m.Prefill(testPrompt, 2)
		lr = refCompare(t, r, rec, testPrompt)
	} else {
		for _, tok := range testPrompt {
			lf = m.Decode(tok, 2)
			lr = refCompare(t, r, rec, []int{tok})
		}
	}
	var worst float64
	for step := 0; ; step++ {
		var maxAbs, diff float64
		for i, v := range lr {
			maxAbs = max(maxAbs, math.Abs(v))
			diff = max(diff, math.Abs(float64(lf[i])-v))
		}
		bound := logitBound(s, m.Pos(), maxAbs)
		if diff > bound {
			t.Fatalf("step %d: logits differ by %.3g, bound %.3g (largest logit %.3g)", step, diff, bound, maxAbs)
		}
		worst = max(worst, diff/bound)
		tok := Greedy(lr)
		if got := Greedy(lf); got != tok {
			t.Fatalf("step %d: argmax %d, reference %d", step, got, tok)
		}
		if step == 32 {
			break
		}
		lf = m.Decode(tok, 2)
		lr = refCompare(t, r, rec, []int{tok})
	}
	if len(r.errs) > 0 {
		t.Fatalf("%d activations differ from the reference's beyond a rounding tie, first: %s", len(r.errs), r.errs[0])
	}
	t.Logf("largest difference %.2g of the bound; %d activations rounded the other way on a tie", worst, r.flips)
}

// TestPrefillMatchesDecode checks that a prompt prefilled in chunks and
// then a decode step give the logits of the same tokens decoded one at a
// time, within twice logitBound (each is within it of the exact values):
// the short prompt in chunks of 4, across chunk boundaries, and a long one
// in chunks of 40, so that a chunk at a later position takes attention's
// query blocks (attnBlock tokens) whole and in part.
func TestPrefillMatchesDecode(t *testing.T) {
	long := make([]int, 75)
	for i := range long {
		long[i] = (i*89 + 11) % Tiny.Vocab
	}
	for _, s := range testShapes {
		for _, f := range Formats() {
			for _, c := range []struct {
				prompt []int
				batch  int
			}{{testPrompt, 4}, {long, 40}} {
				t.Run(fmt.Sprintf("%s/%s/prompt=%d/batch=%d", s.Name, f, len(c.prompt), c.batch), func(t *testing.T) {
					one := newModel(t, s, f, WithMaxContext(96))
					chunked := newModel(t, s, f, WithMaxContext(96), WithMaxBatch(c.batch))
					var want []float32
					for _, tok := range c.prompt {
						want = slices.Clone(one.Decode(tok, 1))
					}
					compare := func(what string, got, want []float32) {
						var maxAbs, diff float64
						for i, v := range want {
							maxAbs = max(maxAbs, math.Abs(float64(v)))
							diff = max(diff, math.Abs(float64(got[i]-v)))
						}
						if bound := 2 * logitBound(s, one.Pos(), maxAbs); diff > bound {
							t.Errorf("%s: logits differ by %.3g, bound %.3g", what, diff, bound)
						}
					}
					compare("prefill", chunked.Prefill(c.prompt, 1), want)
					if chunked.Pos() != len(c.prompt) {
						t.Fatalf("Pos = %d after prefilling %d tokens", chunked.Pos(), len(c.prompt))
					}
					compare("decode after prefill", chunked.Decode(5, 1), one.Decode(5, 1))
				})
			}
		}
	}
}

// TestThreadsIdentical checks that logits do not depend on the thread
// count, bit for bit: prefill, then greedy decode steps.
func TestThreadsIdentical(t *testing.T) {
	for _, f := range Formats() {
		m := newModel(t, Tiny, f, WithMaxContext(64))
		run := func(threads int) []float32 {
			m.Reset()
			l := m.Prefill(testPrompt, threads)
			all := slices.Clone(l)
			for range 6 {
				l = m.Decode(Greedy(l), threads)
				all = append(all, l...)
			}
			return all
		}
		want := run(1)
		for _, threads := range []int{2, 3, 8} {
			if got := run(threads); !slices.Equal(got, want) {
				t.Errorf("%s: logits with %d threads differ from 1 thread", f, threads)
			}
		}
	}
}

// TestResetRepeats checks that Reset starts a sequence afresh.
func TestResetRepeats(t *testing.T) {
	m := newModel(t, Tiny, FormatQ8, WithMaxContext(32))
	want := slices.Clone(m.Prefill(testPrompt, 1))
	m.Decode(1, 1)
	m.Reset()
	if m.Pos() != 0 {
		t.Fatalf("Pos = %d after Reset", m.Pos())
	}
	if got := m.Prefill(testPrompt, 1); !slices.Equal(got, want) {
		t.Error("Prefill after Reset differs from the first")
	}
}

// singleThreadOptions wraps the kernels' products to run on the calling
// goroutine: they start goroutines per call when threads > 1, which
// allocates, and TestNoAllocs tests the Model's own code.
func singleThreadOptions() []Option {
	return []Option{
		WithQ8MatMul(func(x, w *kernels.Q8Matrix, y []float32, ldy, _ int) { kernels.WidestQ8().Q8MatMul(x, w, y, ldy, 1) }),
		WithBF16Gemm(func(m, n, k int, a []kernels.BF16, lda int, b []kernels.BF16, ldb int, c []float32, ldc int, _ int) {
			kernels.WidestBF16().GemmBF16(m, n, k, a, lda, b, ldb, c, ldc, 1)
		}),
	}
}

// packOptions packs bf16 weights with the tier that packs, nil where no
// tier here does.
func packOptions() []Option {
	if ti, ok := packer(); ok {
		return []Option{WithBF16Pack(ti.PackBF16)}
	}
	return nil
}

// TestNoAllocs checks that Prefill and Decode allocate nothing in steady
// state: with the default products at one thread, at two threads with
// products that start no goroutines, so that the Model's own parallel
// work (attention, bf16 decode bands) is covered, and with bf16 weights
// packed (where a tier packs), at one thread.
func TestNoAllocs(t *testing.T) {
	for _, f := range Formats() {
		for _, c := range []struct {
			name    string
			threads int
			opts    []Option
		}{{"default", 1, nil}, {"own-threads", 2, singleThreadOptions()}, {"packed", 1, packOptions()}} {
			if c.opts == nil && c.name == "packed" {
				continue // no tier here packs
			}
			m := newModel(t, Tiny, f, append(c.opts, WithMaxContext(256))...)
			m.Prefill(testPrompt, c.threads) // starts the pool's goroutines
			if n := testing.AllocsPerRun(20, func() { m.Decode(3, c.threads) }); n != 0 {
				t.Errorf("%s/%s: Decode allocates %.1f times a token", f, c.name, n)
			}
			if n := testing.AllocsPerRun(5, func() { m.Reset(); m.Prefill(testPrompt, c.threads) }); n != 0 {
				t.Errorf("%s/%s: Prefill allocates %.1f times a call", f, c.name, n)
			}
		}
	}
}

// TestPoolExits checks that a dropped Model's goroutines end.
func TestPoolExits(t *testing.T) {
	// Earlier tests' dropped Models end their goroutines when collected:
	// let them, so that they are not counted before and gone after.
	before := runtime.NumGoroutine()
	for range 50 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if n := runtime.NumGoroutine(); n < before {
			before = n
		}
	}
	func() {
		m := newModel(t, Tiny, FormatQ8, WithMaxContext(16))
		m.Decode(1, 4)
		if runtime.NumGoroutine() <= before {
			t.Fatalf("%d goroutines with 4 threads, %d before", runtime.NumGoroutine(), before)
		}
	}()
	for range 200 {
		runtime.GC()
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines 2 s after the Model was dropped, %d before", runtime.NumGoroutine(), before)
}

func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if s, _ := r.(string); !strings.HasPrefix(s, "llm: ") || !strings.Contains(s, want) {
			t.Errorf("panic %v, want an llm: panic containing %q", r, want)
		}
	}()
	f()
}

func TestPanics(t *testing.T) {
	m := newModel(t, Tiny, FormatQ8, WithMaxContext(8))
	mustPanic(t, "token 0 is -1", func() { m.Decode(-1, 1) })
	mustPanic(t, "token 0 is 256", func() { m.Decode(Tiny.Vocab, 1) })
	mustPanic(t, "token 2 is 300", func() { m.Prefill([]int{1, 2, 300}, 1) })
	mustPanic(t, "no tokens", func() { m.Prefill(nil, 1) })
	mustPanic(t, "exceed the max context 8", func() { m.Prefill(make([]int, 9), 1) })
	if m.Pos() != 0 {
		t.Fatalf("Pos = %d after refused calls", m.Pos())
	}
	m.Prefill(make([]int, 8), 1)
	mustPanic(t, "1 tokens after 8 in the cache exceed the max context 8", func() { m.Decode(0, 1) })
}

func TestNewErrors(t *testing.T) {
	bad := Tiny
	bad.KVHeads = 3
	for _, c := range []struct {
		name   string
		shape  Shape
		format string
		opts   []Option
		want   string
	}{
		{"format", Tiny, "q4_0", nil, `unknown weight format "q4_0"`},
		{"shape", bad, FormatQ8, nil, "not a multiple of KVHeads"},
		{"context 0", Tiny, FormatQ8, []Option{WithMaxContext(0)}, "max context 0 is outside 1 to 4096"},
		{"context long", Tiny, FormatBF16, []Option{WithMaxContext(Tiny.MaxPositions + 1)}, "max context 4097"},
		{"batch", Tiny, FormatQ8, []Option{WithMaxBatch(0)}, "max batch 0"},
		{"build threads", Tiny, FormatQ8, []Option{WithBuildThreads(0)}, "build threads 0"},
		{"nil product", Tiny, FormatQ8, []Option{WithQ8MatMul(nil)}, "nil"},
	} {
		_, err := New(c.shape, c.format, 1, c.opts...)
		if err == nil || !strings.HasPrefix(err.Error(), "llm: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	m := newModel(t, Tiny, FormatQ8, WithMaxContext(100), WithMaxBatch(1000))
	if m.MaxContext() != 100 || m.MaxBatch() != 100 {
		t.Errorf("MaxContext %d, MaxBatch %d, want 100 and 100 (batch cut to the context)", m.MaxContext(), m.MaxBatch())
	}
}

// weightArrays returns every weight array of m once (a tied embedding is
// the output matrix), for comparing and counting.
func weightArrays(m *Model) []any {
	lin := func(l *linear) any {
		if l.q8 != nil {
			return []any{l.q8.Quants, l.q8.Scales}
		}
		return l.bf
	}
	out := []any{m.finalNorm, lin(&m.output)}
	switch {
	case m.shape.Tied:
	case m.embedQ8 != nil:
		out = append(out, m.embedQ8.Quants, m.embedQ8.Scales)
	default:
		out = append(out, m.embedBF)
	}
	for i := range m.layers {
		L := &m.layers[i]
		out = append(out, L.attnNorm, L.mlpNorm, lin(&L.qkv), lin(&L.o), lin(&L.gateUp), lin(&L.down))
	}
	return out
}

// TestWeightsDeterministic checks that the weights depend on the seed and
// not on the goroutines that made them.
func TestWeightsDeterministic(t *testing.T) {
	for _, s := range testShapes {
		for _, f := range Formats() {
			a := weightArrays(newModel(t, s, f, WithBuildThreads(1)))
			if b := weightArrays(newModel(t, s, f, WithBuildThreads(5))); !reflect.DeepEqual(a, b) {
				t.Errorf("%s/%s: weights differ between 1 and 5 build goroutines", s.Name, f)
			}
			m, err := New(s, f, 1)
			if err != nil {
				t.Fatal(err)
			}
			if reflect.DeepEqual(a, weightArrays(m)) {
				t.Errorf("%s/%s: weights equal for two seeds", s.Name, f)
			}
		}
	}
}

// TestWeightBytesHeld checks WeightBytes against the arrays New made.
func TestWeightBytesHeld(t *testing.T) {
	for _, s := range testShapes {
		for _, f := range Formats() {
			m := newModel(t, s, f)
			var held int64
			for _, a := range weightArrays(m) {
				switch a := a.(type) {
				case []float32:
					held += 4 * int64(len(a))
				case []int8:
					held += int64(len(a))
				case []kernels.F16:
					held += 2 * int64(len(a))
				case []kernels.BF16:
					held += 2 * int64(len(a))
				case []any:
					for _, b := range a {
						switch b := b.(type) {
						case []int8:
							held += int64(len(b))
						case []kernels.F16:
							held += 2 * int64(len(b))
						}
					}
				}
			}
			want, err := s.WeightBytes(f)
			if err != nil {
				t.Fatal(err)
			}
			if held != want {
				t.Errorf("%s/%s: the Model holds %d weight bytes, WeightBytes says %d", s.Name, f, held, want)
			}
		}
	}
}

// TestWeightStats checks the generated distribution: mean near 0,
// standard deviation near the one asked, no zero or denormal value or
// scale, and the Q8 blocks using their full code range as quantising a
// normal block does.
func TestWeightStats(t *testing.T) {
	const rows, cols, std = 64, 4096, 0.02
	stats := func(name string, n int, at func(i int) float64, zeroOK bool) {
		var sum, sq float64
		for i := range n {
			v := at(i)
			if !zeroOK && (v == 0 || math.Abs(v) < 0x1p-126) {
				t.Fatalf("%s: value %d is %g", name, i, v)
			}
			sum += v
			sq += v * v
		}
		mean := sum / float64(n)
		sd := math.Sqrt(sq/float64(n) - mean*mean)
		if math.Abs(mean) > 0.01*std || math.Abs(sd/std-1) > 0.02 {
			t.Errorf("%s: mean %.3g, standard deviation %.4g, want 0 and %g", name, mean, sd, std)
		}
	}
	stats("table", normalLevels, func(i int) float64 { return std * float64(normalTable[i]) }, false)

	w := kernels.NewQ8Matrix(rows, cols)
	fillQ8Rows(w, 0, rows, 1, 1, std)
	full := 0
	for b, s := range w.Scales {
		if e := s >> 10 & 0x1f; e == 0 || e == 0x1f {
			t.Fatalf("q8: scale %d is %#04x, not a normal half", b, uint16(s))
		}
		var amax int8
		for _, q := range w.Quants[b*q8Block : (b+1)*q8Block] {
			amax = max(amax, q, -q)
		}
		if amax == 127 {
			full++
		}
	}
	// A block whose values are all below std in magnitude (one in 200 000)
	// keeps the scale std/127 and a smaller largest code.
	if full < len(w.Scales)*999/1000 {
		t.Errorf("q8: %d of %d blocks have a code ±127, want nearly all", full, len(w.Scales))
	}
	// Codes may be zero (small values round to 0, as in any Q8 model).
	stats("q8", rows*cols, func(i int) float64 { return float64(w.Quants[i]) * float64(w.Scales[i/q8Block].Float32()) }, true)

	bf := make([]kernels.BF16, rows*cols)
	fillBF16Rows(bf, cols, 0, rows, 1, 1, bf16Normals(std))
	stats("bf16", rows*cols, func(i int) float64 { return float64(bf[i].Float32()) }, false)
}

func TestShapes(t *testing.T) {
	// Parameter totals as Meta and Hugging Face state them.
	for name, want := range map[string]int64{
		"llama-3.2-1b": 1_235_814_400,
		"llama-3.2-3b": 3_212_749_824,
		"llama-3.1-8b": 8_030_261_248,
	} {
		s, err := LookupShape(strings.ToUpper(name))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(); err != nil {
			t.Error(err)
		}
		if got := s.Params(); got != want {
			t.Errorf("%s: %d parameters, want %d", name, got, want)
		}
	}
	if _, err := LookupShape("llama-2-7b"); err == nil || !strings.Contains(err.Error(), "llama-3.2-1b") {
		t.Errorf("unknown model: error %v, want one listing the known models", err)
	}
	if err := Tiny.Validate(); err != nil {
		t.Error(err)
	}
	if len(Shapes()) != len(shapes) {
		t.Errorf("Shapes returns %d, want %d", len(Shapes()), len(shapes))
	}
	s, _ := LookupShape("llama-3.2-1b")
	// Per layer 2048·(2048+2·512) + 2048·2048 + 3·2048·8192 = 60 817 408
	// multiplied weights; 16 layers and the 128256×2048 tied projection.
	const mm = 16*60_817_408 + 128256*2048
	if got := s.MatMulParams(); got != mm {
		t.Errorf("llama-3.2-1b: MatMulParams %d, want %d", got, mm)
	}
	if got := s.OpsPerToken(); got != 2*mm {
		t.Errorf("OpsPerToken %g, want %d", got, 2*mm)
	}
	if got, want := s.PrefillOps(10), 2*float64(10*16*60_817_408+128256*2048); got != want {
		t.Errorf("PrefillOps(10) = %g, want %g", got, want)
	}
	// q8_0: 34 bytes per 32 weights; 33 float32 norm vectors of 2048; one
	// embedding row (2048·34/32); keys and values of 16 layers × 8 heads
	// × 64, float32, for each of 100 positions.
	want := int64(mm/32*34 + 33*2048*4 + 2048/32*34 + 100*2*16*8*64*4)
	if got, err := s.DecodeBytesPerToken(FormatQ8, 100); err != nil || got != want {
		t.Errorf("DecodeBytesPerToken(q8_0, 100) = %d, %v, want %d", got, err, want)
	}
	wantBF := int64(mm*2 + 33*2048*4 + 2048*2 + 100*2*16*8*64*4)
	if got, err := s.DecodeBytesPerToken(FormatBF16, 100); err != nil || got != wantBF {
		t.Errorf("DecodeBytesPerToken(bf16, 100) = %d, %v, want %d", got, err, wantBF)
	}
	if _, err := s.DecodeBytesPerToken("f32", 1); err == nil {
		t.Error("DecodeBytesPerToken accepts format f32")
	}
	if _, err := s.DecodeBytesPerToken(FormatQ8, 0); err == nil {
		t.Error("DecodeBytesPerToken accepts ctx 0")
	}
	if got, want := s.AttentionOpsPerToken(10), 4.0*16*32*64*10; got != want {
		t.Errorf("AttentionOpsPerToken(10) = %g, want %g", got, want)
	}
}
