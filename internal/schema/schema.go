// Package schema is ppbench's results contract, written once: the
// benchmark names, keys, units and configuration lines that `go test
// -bench ./bench` and `ppbench run` write, that benchstat groups by, and
// that `ppbench report` reads. The writing side (bench, bench/host,
// bench/runner) and the reading side (report/results) take every such
// string from here, so the two cannot drift apart.
//
// A suite result line looks like
//
//	BenchmarkAttention/seq=2048/dim=64/heads=8/threads=all/causal=true-16  ...  512.3 GFLOP/s  0.12 steal-percent
//
// that is, "Benchmark", a kernel name, the kernel's size keys, the threads
// key, the optional variant keys in the order of NameKeys, and go test's
// -GOMAXPROCS suffix. The file starts with configuration lines (ConfigKeys)
// describing the host and the unit lines (UnitLines), and a run of
// `ppbench run` ends with a ConfigSteal line for the whole run.
//
// The package is a leaf: it imports nothing of ppbench's.
package schema

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SuitePkg is the package `go test` names in the pkg configuration line of
// the suite's results; `ppbench run` writes the same. A result from this
// package whose kernel is not in Kernels was written by another version of
// ppbench and is never taken for some other tool's benchmark.
const SuitePkg = "github.com/ppbench/ppbench/bench"

// Units of the metrics. Throughputs are better when higher. UnitSteal is
// the share of the host's CPU time the hypervisor gave to other guests
// while a result was measured, in percent (host-wide): lower is quieter.
const (
	UnitGFLOPs = "GFLOP/s"
	UnitGOPs   = "GOP/s" // integer operations, a multiply-add counted as two
	UnitGBs    = "GB/s"
	UnitTokens = "tok/s" // tokens of an LLM forward pass
	UnitSteal  = "steal-percent"
)

// Units of the facts a result line may carry beside its throughput: what
// one unit of work takes, constant for a benchmark, that the report needs
// to bound the throughput by another kernel's (Kernel.Bound). They are
// not throughputs, and benchstat shows them as constant columns.
const (
	UnitBytesPerToken = "B/tok"  // bytes read from memory per token
	UnitOpsPerToken   = "op/tok" // arithmetic operations per token, a multiply-add counted as two
)

// FactUnits lists the fact units.
func FactUnits() []string { return []string{UnitBytesPerToken, UnitOpsPerToken} }

// A Unit is one row of the throughput-unit table.
type Unit struct {
	Name string
	// Scale is how many of a kernel's work units (operations, bytes,
	// tokens) one of Name counts per second: 1e9 for the G units.
	Scale float64
}

// units are the kernels' throughput units; every one is better higher.
var units = []Unit{
	{UnitGFLOPs, 1e9},
	{UnitGOPs, 1e9},
	{UnitGBs, 1e9},
	{UnitTokens, 1},
}

// UnitScale returns the work units per second that one of unit counts
// (Unit.Scale); it panics on a unit not in the table, which the suite
// never writes (TestTables).
func UnitScale(unit string) float64 {
	u, ok := find(units, func(u Unit) bool { return u.Name == unit })
	if !ok {
		panic(fmt.Sprintf("schema: unit %q is not in the unit table", unit))
	}
	return u.Scale
}

// UnitLines are the benchfmt unit lines that tell benchstat which direction
// is better for the suite's metrics.
func UnitLines() []string {
	var lines []string
	for _, u := range units {
		lines = append(lines, "Unit "+u.Name+" better=higher")
	}
	return append(lines, "Unit "+UnitSteal+" better=lower")
}

// Kernel names, as they follow "Benchmark" in a result line.
const (
	Sgemm       = "Sgemm"
	Attention   = "Attention"
	Triad       = "Triad"
	FMAPeak     = "FMAPeak"
	GemmBF16    = "GemmBF16"
	GemmInt8    = "GemmInt8"
	DotPeakBF16 = "DotPeakBF16"
	DotPeakInt8 = "DotPeakInt8"
	LLMDecode   = "LLMDecode"
	LLMPrefill  = "LLMPrefill"
)

// A Kernel is the contract part of one suite kernel, its one row in the
// kernel table: everything about it that the writing and the reading side
// share. The suite's own table (package bench) adds sizes, work and
// runners; the report reads titles, peaks and claim metrics from here.
type Kernel struct {
	Name string
	// Title says what the kernel measures, in a few lower-case words, as
	// chart panels, tables and docs name it.
	Title string
	Unit  string // the throughput metric every result of the kernel carries
	// DataType names the row of DataTypes whose tier ran the kernel: its
	// results carry that type's tier configuration line.
	DataType string
	// Peak names the kernel's register-only peak probe on the same tier,
	// what the kernel is shown as a percentage of; "" for the probes and
	// the triad.
	Peak string
	// Probe marks a peak probe: a ceiling, not work, so it is left out of
	// the geometric means that compare instances.
	Probe bool
	// Metrics are the claim metrics (Metrics) judged on this kernel; a
	// kernel that judges no claim lists none, and says why in Why.
	Metrics []string
	Why     string // why a kernel with no Metrics judges no claim
	// Bound, for a kernel without a peak probe, is what caps its rate on
	// the same host, the share the report shows in place of % of peak.
	Bound *Bound
	// TypeKey is set for a kernel run in several data types (the LLM
	// passes: weights=q8_0 or weights=bf16): the name key whose value is
	// a result's data type. DataType is then the type of the default
	// variant.
	TypeKey string
}

// A Bound caps a kernel's rate by another kernel's rate measured on the
// same host at the same threads key: rate ≤ Kernel's rate × Scale / the
// result's Fact value, where Fact is one of FactUnits. Decoding a token
// reads its bytes (Fact B/tok) at most at the triad's bandwidth; a
// prompt's tokens cost their operations (op/tok) at most at the GEMM rate
// of the weights' data type.
type Bound struct {
	// Kernel is the bounding kernel; "" for the GEMM of the result's
	// data type (DataType.Gemm).
	Kernel string
	Fact   string
}

// BoundKernel returns the kernel that bounds a result of k of data type
// dt, or "" when k has no Bound.
func (k Kernel) BoundKernel(dt string) string {
	switch {
	case k.Bound == nil:
		return ""
	case k.Bound.Kernel != "":
		return k.Bound.Kernel
	}
	return mustDataType(dt).Gemm
}

// TierKeyOf returns the configuration key that names the tier of a result
// of k whose TypeKey has value typeValue: its data type's (DataTypeOf).
func (k Kernel) TierKeyOf(typeValue string) string {
	return mustDataType(k.DataTypeOf(typeValue)).ConfigKey
}

// DataTypeOf returns the data type of a result of k whose TypeKey has
// value typeValue ("" when the name has none): the value itself for a
// kernel with a TypeKey, when it names a data type; else k.DataType.
func (k Kernel) DataTypeOf(typeValue string) string {
	if k.TypeKey != "" {
		if _, ok := LookupDataType(typeValue); ok {
			return typeValue
		}
	}
	return k.DataType
}

// kernels is the suite's kernels in suite order.
var kernels = []Kernel{
	{Name: Sgemm, Title: "fp32 matrix multiply", Unit: UnitGFLOPs, DataType: FP32, Peak: FMAPeak,
		Metrics: []string{MetricPricePerformance, MetricPerformance, MetricCost, MetricPerformanceFP}},
	{Name: Attention, Title: "fp32 multi-head attention", Unit: UnitGFLOPs, DataType: FP32, Peak: FMAPeak,
		Metrics: []string{MetricPricePerformance, MetricPerformance, MetricCost, MetricPerformanceML}},
	{Name: Triad, Title: "memory bandwidth", Unit: UnitGBs, DataType: FP32,
		Metrics: []string{MetricMemoryBandwidth}},
	{Name: FMAPeak, Title: "fp32 FMA peak", Unit: UnitGFLOPs, DataType: FP32, Probe: true,
		Metrics: []string{MetricPerformanceFP}},
	{Name: GemmBF16, Title: "bf16 matrix multiply", Unit: UnitGFLOPs, DataType: BF16, Peak: DotPeakBF16,
		Metrics: []string{MetricPerformanceML}},
	{Name: GemmInt8, Title: "int8 matrix multiply", Unit: UnitGOPs, DataType: Int8, Peak: DotPeakInt8,
		Metrics: []string{MetricPerformanceML}},
	{Name: DotPeakBF16, Title: "bf16 dot-product peak", Unit: UnitGFLOPs, DataType: BF16, Probe: true,
		Why: "a register-only ceiling: the bf16 GEMM's % of peak"},
	{Name: DotPeakInt8, Title: "int8 dot-product peak", Unit: UnitGOPs, DataType: Int8, Probe: true,
		Why: "a register-only ceiling: the int8 GEMM's % of peak"},
	{Name: LLMDecode, Title: "LLM decode, token generation", Unit: UnitTokens, DataType: Q8, TypeKey: KeyWeights,
		Bound:   &Bound{Kernel: Triad, Fact: UnitBytesPerToken},
		Metrics: []string{MetricPerformanceML, MetricLLMInference, MetricLLMPerDollar}},
	{Name: LLMPrefill, Title: "LLM prefill, prompt processing", Unit: UnitTokens, DataType: Q8, TypeKey: KeyWeights,
		Bound:   &Bound{Fact: UnitOpsPerToken},
		Metrics: []string{MetricPerformanceML, MetricLLMInference, MetricLLMPerDollar}},
}

// Kernels returns the suite's kernels in suite order.
func Kernels() []Kernel { return slices.Clone(kernels) }

// LookupKernel returns the kernel named name; ok is false when the suite
// has no such kernel.
func LookupKernel(name string) (k Kernel, ok bool) {
	return find(kernels, func(k Kernel) bool { return k.Name == name })
}

// IsProbe reports whether name is a suite peak probe (Kernel.Probe).
func IsProbe(name string) bool {
	k, ok := LookupKernel(name)
	return ok && k.Probe
}

// KernelRank orders kernels as the suite runs them; names that are not
// suite kernels rank after all of them.
func KernelRank(name string) int {
	if i := slices.IndexFunc(kernels, func(k Kernel) bool { return k.Name == name }); i >= 0 {
		return i
	}
	return len(kernels)
}

// Keys of a benchmark name, "key=value" elements after the kernel name.
const (
	KeyN       = "n"       // matrix or array size
	KeySeq     = "seq"     // attention sequence length
	KeyDim     = "dim"     // attention head size
	KeyHeads   = "heads"   // attention heads
	KeyModel   = "model"   // LLM model shape, "llama-3.2-1b"
	KeyWeights = "weights" // LLM weight format, a data type: "q8_0", "bf16"
	KeyContext = "context" // LLM decode: tokens in the KV cache
	KeyPrompt  = "prompt"  // LLM prefill: prompt tokens
	KeyThreads = "threads" // ThreadsOne, ThreadsAll, ThreadsCores or a count
	KeyCausal  = "causal"  // "true" for causal attention; absent otherwise
	KeyMode    = "mode"    // ModeParallel; absent for rate mode
	KeyImpl    = "impl"    // kernel tier, when not the widest the CPU has
)

// NameKeys is the order of the keys in a name: the size keys, the threads
// key, then the variant keys. A name lists a subset of them, in this order.
var NameKeys = []string{KeyN, KeySeq, KeyDim, KeyHeads, KeyModel, KeyWeights, KeyContext, KeyPrompt, KeyThreads, KeyCausal, KeyMode, KeyImpl}

// ModeParallel is the mode key's value for one multi-threaded kernel
// instead of rate mode's single-threaded copies.
const ModeParallel = "parallel"

// CausalTrue is the causal key's value for causal attention.
const CausalTrue = "true"

// A Param is one key=value element of a name.
type Param struct{ Key, Value string }

// FormatName returns the benchmark name of kernel with params, without
// "Benchmark" or a -GOMAXPROCS suffix: the kernel, then "/key=value" for
// each param with a non-empty value, in NameKeys order whatever the order
// given. It panics on a key that is not in NameKeys or given twice: names
// are built by the suite from constants, so that is a programming error.
func FormatName(kernel string, params ...Param) string {
	var b strings.Builder
	b.WriteString(kernel)
	seen := map[string]bool{}
	for _, p := range params {
		if !slices.Contains(NameKeys, p.Key) || seen[p.Key] {
			panic(fmt.Sprintf("schema: FormatName(%s): key %q unknown or repeated", kernel, p.Key))
		}
		seen[p.Key] = true
	}
	for _, k := range NameKeys {
		for _, p := range params {
			if p.Key == k && p.Value != "" {
				b.WriteString("/" + k + "=" + p.Value)
			}
		}
	}
	return b.String()
}

// Thread keys: the value of the threads key names how much of the host a
// result used, symbolically, so that rows line up across instance sizes.
const (
	ThreadsOne   = "1"     // one goroutine
	ThreadsAll   = "all"   // one copy (or thread) per CPU the process may use
	ThreadsCores = "cores" // one copy per physical core; SMT hosts only
)

// MaxCopies bounds a numeric thread key: more copies than any cloud
// instance has CPUs is a typo, and each copy allocates its own data.
const MaxCopies = 4096

// ParseThreadKey checks one thread key and returns it in canonical form
// ("01" becomes "1"): ThreadsOne, ThreadsAll, ThreadsCores or a number of
// copies from 1 to MaxCopies.
func ParseThreadKey(k string) (string, error) {
	k = strings.TrimSpace(k)
	switch k {
	case ThreadsAll, ThreadsCores:
		return k, nil
	}
	n, err := strconv.Atoi(k)
	if err != nil {
		return "", fmt.Errorf("%q is not %s, %s, %s or a number of copies", k, ThreadsOne, ThreadsAll, ThreadsCores)
	}
	if n < 1 || n > MaxCopies {
		return "", fmt.Errorf("%d copies: want 1 to %d", n, MaxCopies)
	}
	return strconv.Itoa(n), nil
}

// ParseThreads parses a comma-separated list of thread keys, as -threads
// takes it. An empty list means the default and returns nil. A key listed
// twice is an error.
func ParseThreads(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	var keys []string
	for _, k := range strings.Split(list, ",") {
		key, err := ParseThreadKey(k)
		if err != nil {
			return nil, err
		}
		if slices.Contains(keys, key) {
			return nil, fmt.Errorf("%s listed twice", key)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// DefaultThreads are the thread keys of a run that names none.
// ThreadsCores is dropped on hosts without SMT (see SMT).
func DefaultThreads() []string { return []string{ThreadsOne, ThreadsAll, ThreadsCores} }

// SMT reports whether a host with cpus CPUs and cores physical cores (0
// when unknown) runs more than one hardware thread per core: only then is
// threads=cores different from threads=all.
func SMT(cores, cpus int) bool { return cores > 0 && cores < cpus }

// ThreadsRank orders thread keys from the least of the host to the most:
// 1, cores, all, then counts and anything else.
func ThreadsRank(k string) int {
	switch k {
	case ThreadsOne:
		return 0
	case ThreadsCores:
		return 1
	case ThreadsAll:
		return 2
	}
	return 3
}
