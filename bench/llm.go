package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/kernels"
	"github.com/ppbench/ppbench/kernels/llm"
)

// The LLM passes: a Llama-architecture model (package kernels/llm) with
// generated weights, timed in the two phases inference is sold by. Both
// are Split kernels: threads=all is one model on every CPU, as inference
// servers run it, not one copy of the model per CPU, which few hosts
// could hold.
const (
	// LLMModel is the suite's model: Llama-3.2-1B, 1.3 GB in q8_0, which
	// every instance type worth comparing holds.
	LLMModel = "llama-3.2-1b"
	// LLMContext is the positions a decode step attends to besides its
	// own: a chat a few turns in.
	LLMContext = 512
	// LLMPrompt is the prompt tokens of one prefill op.
	LLMPrompt = 512
)

// llmSizes returns the sizes of an LLM pass on model in each weight
// format, key (context or prompt) set to n.
func llmSizes(model, key string, n int, formats ...string) []Size {
	var out []Size
	for _, f := range formats {
		out = append(out, Size{
			Params: []schema.Param{{Key: schema.KeyModel, Value: model}, {Key: schema.KeyWeights, Value: f}, {Key: key, Value: strconv.Itoa(n)}},
			N:      n, Model: model, Weights: f,
		})
	}
	return out
}

var llmDecode = Kernel{
	Kernel:     mustKernel(schema.LLMDecode),
	Sizes:      decodeSizes(LLMModel, false),
	ShortSizes: decodeSizes(LLMModel, true),
	ModelSizes: decodeSizes,
	Work:       func(Size, Tiers) float64 { return 1 },
	DataBytes:  llmDataBytes,
	Facts: func(s Size) []Fact {
		return []Fact{{schema.UnitBytesPerToken, decodeBytes(s)}}
	},
	Traffic:     decodeBytes,
	Setup:       setupLLMDecode,
	Split:       true,
	MemoryBound: true,
	Optional:    true,
}

// decodeSizes and prefillSizes are a model's sizes of each pass: both
// weight formats, or -short's q8_0 alone.
func decodeSizes(model string, short bool) []Size {
	return llmSizes(model, schema.KeyContext, LLMContext, llmFormats(short)...)
}

func prefillSizes(model string, short bool) []Size {
	return llmSizes(model, schema.KeyPrompt, LLMPrompt, llmFormats(short)...)
}

func llmFormats(short bool) []string {
	if short {
		return []string{llm.FormatQ8}
	}
	return llm.Formats()
}

// decodeBytes is the bytes a decode step of s reads: its bound's fact.
func decodeBytes(s Size) float64 {
	b, _ := mustShape(s).DecodeBytesPerToken(s.Weights, s.N+1)
	return float64(b)
}

var llmPrefill = Kernel{
	Kernel:     mustKernel(schema.LLMPrefill),
	Sizes:      prefillSizes(LLMModel, false),
	ShortSizes: prefillSizes(LLMModel, true),
	ModelSizes: prefillSizes,
	Work:       func(s Size, _ Tiers) float64 { return float64(s.N) },
	DataBytes:  llmDataBytes,
	// The operations a prompt token costs: every layer's matrices, and
	// a share of the vocabulary projection, which a prefill runs for the
	// last token alone (OpsPerToken, which counts it for every token,
	// would overstate a 512-token prefill's work by 27% for
	// llama-3.2-1b, and its share of the GEMM bound with it).
	Facts: func(s Size) []Fact {
		return []Fact{{schema.UnitOpsPerToken, mustShape(s).PrefillOps(s.N) / float64(s.N)}}
	},
	Setup:    setupLLMPrefill,
	Split:    true,
	Optional: true,
	// A probe of its own would build a model: the plan estimates
	// prefill from the int8 GEMM's probe instead.
	ProbeAs: schema.GemmInt8,
	Ops:     func(s Size) float64 { return mustShape(s).PrefillOps(s.N) },
}

// EnvLLMModels names, comma-separated, the models `go test -bench ./bench`
// runs the LLM passes on, as `ppbench run -llm-models` does; unset, the
// suite's LLMModel.
const EnvLLMModels = "PPBENCH_LLM_MODELS"

// ParseLLMModels splits a comma-separated list of model names, checking
// each; "" gives nil, the suite's default.
func ParseLLMModels(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var names []string
	for n := range strings.SplitSeq(list, ",") {
		names = append(names, strings.ToLower(strings.TrimSpace(n)))
	}
	return names, CheckLLMModels(names)
}

// LLMModels returns the model shapes the LLM passes can run, by name,
// the suite's own (LLMModel) first.
func LLMModels() []string {
	names := []string{LLMModel}
	for _, s := range llm.Shapes() {
		if s.Name != LLMModel {
			names = append(names, s.Name)
		}
	}
	return names
}

// CheckLLMModels returns an error naming the first of names that is not
// a model shape, and the shapes there are.
func CheckLLMModels(names []string) error {
	for _, n := range names {
		if _, err := llm.LookupShape(n); err != nil {
			return fmt.Errorf("LLM model %q: not one of %s", n, strings.Join(LLMModels(), ", "))
		}
	}
	return nil
}

// mustShape returns the model shape of an LLM size; the suite's sizes
// name shapes of the table (TestLLMSizes).
func mustShape(s Size) llm.Shape {
	sh, err := llm.LookupShape(s.Model)
	if err != nil {
		panic("bench: " + err.Error())
	}
	return sh
}

// llmMaxContext is the cache of the suite's models: a decode step at
// LLMContext, or a prompt of LLMPrompt, whichever is longer.
const llmMaxContext = max(LLMContext+1, LLMPrompt)

// llmDataBytes is the memory a model for s takes: its weights and its
// key/value cache (scratch is a few MB).
func llmDataBytes(s Size) float64 {
	sh := mustShape(s)
	w, _ := sh.WeightBytes(s.Weights)
	return float64(w + int64(llmMaxContext)*sh.KVBytesPerPosition())
}

// llmModels holds the last model built, so that the cases of one model
// (decode at each threads key, prefill) share its weights, each with a
// cache of its own (llm.Model.Fork), rather than each holding a copy:
// one model's weights at a time bound the memory the suite takes.
var llmModels struct {
	sync.Mutex
	key string
	m   *llm.Model
}

// llmModel returns a fork of the model of s run with tiers t, building
// it when the last one built is another. Weights come from a fixed
// seed: every copy and every host times the same model.
func llmModel(s Size, t Tiers) *llm.Model {
	key := fmt.Sprintf("%s/%s/%s/%s", s.Model, s.Weights, t.Name(schema.Q8), t.Name(schema.BF16))
	llmModels.Lock()
	defer llmModels.Unlock()
	if llmModels.key != key {
		llmModels.key, llmModels.m = "", nil // let the old weights go before the new ones are made
		m, err := llm.New(mustShape(s), s.Weights, 1, llmOptions(t, llmMaxContext, LLMPrompt)...)
		if err != nil {
			panic("bench: " + err.Error())
		}
		llmModels.key, llmModels.m = key, m
	}
	return llmModels.m.Fork()
}

// llmOptions runs a model's products on t's tiers.
func llmOptions(t Tiers, maxContext, maxBatch int) []llm.Option {
	t = t.orWidest()
	return []llm.Option{
		llm.WithMaxContext(maxContext), llm.WithMaxBatch(maxBatch),
		llm.WithQ8MatMul(t.Q8.Q8MatMul), llm.WithBF16Gemm(t.BF16.GemmBF16), llm.WithSgemm(t.FP32.Sgemm), llm.WithSoftmax(t.FP32.Softmax), llm.WithSwiGLU(t.FP32.SwiGLU),
		// Decode's one token reads the weights once, in place, rather
		// than packing them as the GEMM would.
		llm.WithBF16MatVec(func(_, n, k int, a []kernels.BF16, _ int, b []kernels.BF16, ldb int, c []float32, _ int, threads int) {
			t.BF16.MatVecBF16(n, k, a, b, ldb, c, threads)
		}),
		// A tier with a layout of its own (amx) gets the layers' weights
		// in it, laid out once, as an inference engine loading a model
		// for that engine would: not packed again on every prefill pass.
		llm.WithBF16Pack(t.BF16.PackBF16),
	}
}

// setupLLMDecode times one decode step at context s.N: the cache is
// filled with generated keys and values once, and every op decodes the
// same step again after it.
func setupLLMDecode(s Size, t Tiers, seed uint64, threads int) func(int) {
	m := llmModel(s, t)
	m.FillContext(s.N, seed)
	return func(iters int) {
		for i := range iters {
			m.Rewind(s.N)
			m.Decode(i%m.Shape().Vocab, threads)
		}
	}
}

// setupLLMPrefill times the prefill of an s.N-token prompt into an empty
// cache.
func setupLLMPrefill(s Size, t Tiers, seed uint64, threads int) func(int) {
	m := llmModel(s, t)
	prompt := make([]int, s.N)
	for i := range prompt {
		prompt[i] = int((seed + uint64(i)*2654435761) % uint64(m.Shape().Vocab))
	}
	return func(iters int) {
		for range iters {
			m.Reset()
			m.Prefill(prompt, threads)
		}
	}
}

// checkLLM runs the tiny model's forward pass in each weight format on
// t's tiers and on the portable ones, a prompt and eight greedy steps,
// and returns an error unless both pick the same tokens with logits
// within 2% of the largest: the tiers differ by rounding only, which can
// move an activation across a quantisation step (about 1% of a logit),
// while a wrong kernel gives other logits altogether.
func checkLLM(t Tiers) error { return checkLLMWith(t, llmOptions) }

// checkLLMWith is checkLLM with the options of a model on some tiers
// from options: the tests give it a wrong product.
func checkLLMWith(t Tiers, options func(t Tiers, maxContext, maxBatch int) []llm.Option) error {
	var portable Tiers
	for _, d := range schema.DataTypes() {
		if err := fieldOf(d.Name).lookup(&portable, "portable"); err != nil {
			return err
		}
	}
	for _, format := range llm.Formats() {
		var models [2]*llm.Model
		for i, tiers := range []Tiers{t, portable} {
			m, err := llm.New(llm.Tiny, format, 7, options(tiers, 64, 16)...)
			if err != nil {
				return err
			}
			models[i] = m
		}
		tok := []int{17, 42, 3, 250, 99, 7}
		logits := [2][]float32{models[0].Prefill(tok, 2), models[1].Prefill(tok, 1)}
		for step := range 8 {
			next, want := llm.Greedy(logits[0]), llm.Greedy(logits[1])
			var scale, diff float64
			for i := range logits[1] {
				scale = max(scale, math.Abs(float64(logits[1][i])))
				diff = max(diff, math.Abs(float64(logits[0][i]-logits[1][i])))
			}
			if next != want || diff > 0.02*scale {
				return fmt.Errorf("bench: the %s LLM forward pass on tiers %s differs from the portable one at step %d: token %d, want %d; logits %.3g apart, largest %.3g",
					format, t.orWidest().label(), step, next, want, diff, scale)
			}
			logits = [2][]float32{models[0].Decode(next, 2), models[1].Decode(want, 1)}
		}
	}
	return nil
}
