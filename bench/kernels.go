package bench

import (
	"math/rand/v2"
	"strconv"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/kernels"
)

// Sizes of the suite's kernels.
const (
	AttentionDim   = 64
	AttentionHeads = 8
	// TriadLen is 32 Mi float64 elements: 768 MiB over three arrays, far
	// beyond any last-level cache.
	TriadLen = 32 << 20
	// FMAItersPerOp is the number of FMA loop steps one FMAPeak op runs:
	// milliseconds on any core, so timer overhead does not count.
	FMAItersPerOp = 1 << 20
)

// A Size is one problem size of a kernel.
type Size struct {
	// Params are the name's size and variant keys ("n=1024", or
	// "seq=2048/dim=64/heads=8" and "causal=true"); schema.FormatName puts
	// them around the threads key.
	Params []schema.Param
	N      int  // the kernel's dimension: n for SGEMM and triad, seq for attention, context or prompt for the LLM passes
	Causal bool // attention only
	// Model and Weights are the LLM passes' model shape (kernels/llm)
	// and weight format, a schema data type.
	Model, Weights string
}

// A Kernel is one entry of the suite's kernel table: everything the suite,
// `go test -bench` and `ppbench run` need to know about one kernel. Adding
// a kernel to the suite is one entry here (its contract, name and unit,
// comes from internal/schema).
type Kernel struct {
	schema.Kernel
	// Sizes are the kernel's sizes in suite order; ShortSizes those that
	// -short keeps. A kernel without size keys has one Size with no Params.
	Sizes, ShortSizes []Size
	// ModelSizes, for the LLM passes, are the sizes of one model shape
	// (-short or not), for runs that name their models
	// (Options.LLMModels); Sizes and ShortSizes are LLMModel's.
	ModelSizes func(model string, short bool) []Size
	// Work is the operations (or bytes, for GB/s) of one op of one copy at
	// size s with tiers t.
	Work func(s Size, t Tiers) float64
	// DataBytes is the memory one copy's data takes at size s; the plan
	// uses it to guess set-up time.
	DataBytes func(s Size) float64
	// Setup allocates and fills one copy's data from seed and returns a
	// function that does iters ops on threads threads, with the tier of
	// the kernel's data type from t.
	Setup func(s Size, t Tiers, seed uint64, threads int) func(iters int)
	// Split kernels run threads=all as one op split over all threads, as
	// STREAM does, and have neither rate mode nor threads=cores; the
	// others run rate mode (one single-threaded copy per thread) and, when
	// Parallel is set, also one multi-threaded op (mode=parallel).
	Split, Parallel bool
	// Optional kernels' cases are skipped, each saying why, where their
	// data would not fit in the host's memory (Options.MemAvailable): an
	// LLM that small instances cannot hold. Other cases that do not fit
	// refuse the run (the sizes or thread keys asked for are too big).
	Optional bool
	// MemoryBound kernels are limited by memory bandwidth, not FLOPs; the
	// plan's time estimate needs to know.
	MemoryBound bool
	// Probe is a small size, a millisecond or so, that ProbeRates times to
	// guess the kernel's speed before a run; unused for MemoryBound
	// kernels, whose speed a cache-sized probe would overstate.
	Probe Size
	// ProbeAs names another kernel whose probe stands in for this one's
	// when a probe of its own would cost too much (an LLM pass would
	// build a model): the plan divides Ops by its rate.
	ProbeAs string
	// Ops, with ProbeAs, is the operations of one op of one copy, as the
	// ProbeAs kernel's Work counts them.
	Ops func(s Size) float64
	// Traffic, for a MemoryBound kernel, is the bytes one op of one copy
	// moves to and from memory: the plan divides it by a bandwidth.
	Traffic func(s Size) float64
	// Facts are the constants the kernel's results carry beside their
	// rate (schema.FactUnits), that the report bounds them with; nil for
	// none.
	Facts func(s Size) []Fact
}

// A Fact is one constant a result line carries: a value in a fact unit
// (schema.FactUnits).
type Fact struct {
	Unit  string
	Value float64
}

// Table is the suite's kernels in suite order.
var Table = []Kernel{
	{
		Kernel:     mustKernel(schema.Sgemm),
		Sizes:      sizesN(256, 512, 1024, 2048),
		ShortSizes: sizesN(256, 512),
		Work:       func(s Size, _ Tiers) float64 { return kernels.SgemmFLOPs(s.N, s.N, s.N) },
		DataBytes:  func(s Size) float64 { return 3 * 4 * float64(s.N) * float64(s.N) },
		Setup:      setupSgemm,
		Parallel:   true,
		Probe:      sizesN(128)[0],
	},
	{
		Kernel:     mustKernel(schema.Attention),
		Sizes:      attentionSizes(512, 2048),
		ShortSizes: attentionSizes(512),
		Work: func(s Size, _ Tiers) float64 {
			return kernels.AttentionFLOPs(AttentionHeads, s.N, AttentionDim, s.Causal)
		},
		DataBytes: func(s Size) float64 { return 4 * 4 * AttentionHeads * float64(s.N) * AttentionDim },
		Setup:     setupAttention,
		Parallel:  true,
		Probe:     attentionSizes(128)[0],
	},
	{
		Kernel:      mustKernel(schema.Triad),
		Sizes:       sizesN(TriadLen),
		ShortSizes:  sizesN(TriadLen),
		Work:        func(s Size, _ Tiers) float64 { return kernels.TriadBytes(s.N) },
		DataBytes:   func(s Size) float64 { return kernels.TriadBytes(s.N) },
		Traffic:     func(s Size) float64 { return kernels.TriadBytes(s.N) },
		Setup:       setupTriad,
		Split:       true,
		MemoryBound: true,
	},
	peakProbe(schema.FMAPeak,
		func(t Tiers) float64 { return t.FP32.FMAPeakFLOPs(FMAItersPerOp) },
		func(t Tiers) { t.FP32.FMAPeak(FMAItersPerOp) }),
	{
		Kernel:     mustKernel(schema.GemmBF16),
		Sizes:      sizesN(256, 512, 1024, 2048),
		ShortSizes: sizesN(256, 512),
		Work:       func(s Size, _ Tiers) float64 { return kernels.GemmInt8Ops(s.N, s.N, s.N) },
		DataBytes:  func(s Size) float64 { return (2*2 + 4) * float64(s.N) * float64(s.N) },
		Setup:      setupGemmBF16,
		Parallel:   true,
		Probe:      sizesN(128)[0],
	},
	{
		Kernel:     mustKernel(schema.GemmInt8),
		Sizes:      sizesN(256, 512, 1024, 2048),
		ShortSizes: sizesN(256, 512),
		Work:       func(s Size, _ Tiers) float64 { return kernels.GemmInt8Ops(s.N, s.N, s.N) },
		DataBytes:  func(s Size) float64 { return (2*1 + 4) * float64(s.N) * float64(s.N) },
		Setup:      setupGemmInt8,
		Parallel:   true,
		Probe:      sizesN(128)[0],
	},
	peakProbe(schema.DotPeakBF16,
		func(t Tiers) float64 { return t.BF16.DotPeakBF16FLOPs(FMAItersPerOp) },
		func(t Tiers) { t.BF16.DotPeakBF16(FMAItersPerOp) }),
	peakProbe(schema.DotPeakInt8,
		func(t Tiers) float64 { return t.Int8.DotPeakInt8Ops(FMAItersPerOp) },
		func(t Tiers) { t.Int8.DotPeakInt8(FMAItersPerOp) }),
	llmDecode,
	llmPrefill,
}

// peakProbe is the entry of a register-only peak probe: one size, no
// data, and one call of op, which does work operations, per iteration.
func peakProbe(name string, work func(Tiers) float64, op func(Tiers)) Kernel {
	return Kernel{
		Kernel:     mustKernel(name),
		Sizes:      []Size{{}},
		ShortSizes: []Size{{}},
		Work:       func(_ Size, t Tiers) float64 { return work(t) },
		DataBytes:  func(Size) float64 { return 0 },
		Setup: func(_ Size, t Tiers, _ uint64, _ int) func(int) {
			return func(iters int) {
				for range iters {
					op(t)
				}
			}
		},
	}
}

// mustKernel returns the contract entry of a suite kernel; the table is
// checked against schema.Kernels by the tests as well.
func mustKernel(name string) schema.Kernel {
	k, ok := schema.LookupKernel(name)
	if !ok {
		panic("bench: kernel " + name + " is not in internal/schema")
	}
	return k
}

func sizesN(ns ...int) []Size {
	out := make([]Size, len(ns))
	for i, n := range ns {
		out[i] = Size{Params: []schema.Param{{Key: schema.KeyN, Value: strconv.Itoa(n)}}, N: n}
	}
	return out
}

// attentionSizes returns each sequence length without and with the causal
// mask, in that order.
func attentionSizes(seqs ...int) []Size {
	var out []Size
	for _, seq := range seqs {
		for _, causal := range []bool{false, true} {
			p := []schema.Param{
				{Key: schema.KeySeq, Value: strconv.Itoa(seq)},
				{Key: schema.KeyDim, Value: strconv.Itoa(AttentionDim)},
				{Key: schema.KeyHeads, Value: strconv.Itoa(AttentionHeads)},
			}
			if causal {
				p = append(p, schema.Param{Key: schema.KeyCausal, Value: schema.CausalTrue})
			}
			out = append(out, Size{Params: p, N: seq, Causal: causal})
		}
	}
	return out
}

// fill returns n values in [-0.5, 0.5) from a seed, so every copy has its
// own data and every run the same.
func fill(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	x := make([]float32, n)
	for i := range x {
		x[i] = r.Float32() - 0.5
	}
	return x
}

func setupSgemm(s Size, t Tiers, seed uint64, threads int) func(int) {
	n := s.N
	a, b, c := fill(3*seed+1, n*n), fill(3*seed+2, n*n), make([]float32, n*n)
	return func(iters int) {
		for range iters {
			t.FP32.Sgemm(kernels.NoTrans, kernels.NoTrans, n, n, n, 1, a, n, b, n, 0, c, n, threads)
		}
	}
}

func setupAttention(s Size, t Tiers, seed uint64, threads int) func(int) {
	size := AttentionHeads * s.N * AttentionDim
	q, k, v := fill(4*seed+1, size), fill(4*seed+2, size), fill(4*seed+3, size)
	out := make([]float32, size)
	return func(iters int) {
		for range iters {
			t.FP32.Attention(q, k, v, out, AttentionHeads, s.N, AttentionDim, s.Causal, threads)
		}
	}
}

// setupTriad has each thread write the part of the arrays it will stream,
// so that on a NUMA host the pages live near the core that reads them
// (first touch).
func setupTriad(s Size, t Tiers, _ uint64, threads int) func(int) {
	n := s.N
	a, b, c := make([]float64, n), make([]float64, n), make([]float64, n)
	chunk := (n + threads - 1) / threads
	together(threads, func(th int) {
		lo, hi := min(n, th*chunk), min(n, (th+1)*chunk)
		for i := lo; i < hi; i++ {
			a[i], b[i], c[i] = 0, 1, 2
		}
	})
	return func(iters int) {
		for range iters {
			t.FP32.Triad(a, b, c, 3, threads)
		}
	}
}

// setupGemmBF16 multiplies n×n bfloat16 matrices of values in [-0.5, 0.5).
func setupGemmBF16(s Size, t Tiers, seed uint64, threads int) func(int) {
	n := s.N
	toBF16 := func(x []float32) []kernels.BF16 {
		out := make([]kernels.BF16, len(x))
		kernels.ToBF16s(out, x)
		return out
	}
	a, b, c := toBF16(fill(3*seed+1, n*n)), toBF16(fill(3*seed+2, n*n)), make([]float32, n*n)
	return func(iters int) {
		for range iters {
			t.BF16.GemmBF16(n, n, n, a, n, b, n, c, n, threads)
		}
	}
}

// setupGemmInt8 multiplies n×n int8 matrices spanning the whole int8 range.
func setupGemmInt8(s Size, t Tiers, seed uint64, threads int) func(int) {
	n := s.N
	toInt8 := func(x []float32) []int8 {
		out := make([]int8, len(x))
		for i, v := range x {
			out[i] = int8(v * 255) // [-0.5, 0.5) to [-127, 127]
		}
		return out
	}
	a, b, c := toInt8(fill(3*seed+1, n*n)), toInt8(fill(3*seed+2, n*n)), make([]int32, n*n)
	return func(iters int) {
		for range iters {
			t.Int8.GemmInt8(n, n, n, a, n, b, n, c, n, threads)
		}
	}
}

// dataType returns the data type of k at size s: its Weights where k's
// names carry one (schema.Kernel.TypeKey), else k's own.
func (k Kernel) dataType(s Size) string { return k.DataTypeOf(s.Weights) }

// Lookup returns the entry of Table for the kernel named name.
func Lookup(name string) (Kernel, bool) {
	for _, k := range Table {
		if k.Name == name {
			return k, true
		}
	}
	return Kernel{}, false
}
