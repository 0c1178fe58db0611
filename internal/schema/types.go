package schema

import (
	"fmt"
	"slices"
	"strings"
)

// Data types of the suite's kernels: each has tiers of its own, chosen
// apart from the others' (one host can run fp32 on avx512, int8 on
// avx512vnni and bf16 on avx512bf16).
const (
	FP32 = "fp32"
	BF16 = "bf16"
	Int8 = "int8"
	// Q8 is int8 in blocks of 32 with one fp16 scale each, llama.cpp's
	// Q8_0: the weights of the LLM passes.
	Q8 = "q8_0"
)

// A DataType is one row of the data-type table: what names its kernel
// tier in a results file and in the environment.
type DataType struct {
	Name string
	// ConfigKey is the configuration line that names the tier the type's
	// kernels ran with.
	ConfigKey string
	// Env is the environment variable that picks a tier below the widest
	// for `go test -bench ./bench` and `ppbench run`.
	Env string
	// Gemm is the matrix multiply of the type's tier, whose rate bounds
	// a GEMM-bound pass in this type (Bound).
	Gemm string
}

// dataTypes is the table, fp32 first: its key came first, and results
// written before the others existed name only it.
var dataTypes = []DataType{
	{FP32, ConfigKernelImpl, "PPBENCH_IMPL", Sgemm},
	{BF16, ConfigKernelImplBF16, "PPBENCH_IMPL_BF16", GemmBF16},
	{Int8, ConfigKernelImplInt8, "PPBENCH_IMPL_INT8", GemmInt8},
	// Q8_0's blocks are int8 products scaled per block: the int8 GEMM
	// is their ceiling.
	{Q8, ConfigKernelImplQ8, "PPBENCH_IMPL_Q8_0", GemmInt8},
}

// DataTypes returns the data-type table in order.
func DataTypes() []DataType { return slices.Clone(dataTypes) }

// LookupDataType returns the data type named name.
func LookupDataType(name string) (DataType, bool) {
	return find(dataTypes, func(d DataType) bool { return d.Name == name })
}

// find returns the first row of table that is, and whether there is one.
func find[T any](table []T, is func(T) bool) (T, bool) {
	if i := slices.IndexFunc(table, is); i >= 0 {
		return table[i], true
	}
	var zero T
	return zero, false
}

// TierKeys returns the data types' configuration keys in table order.
func TierKeys() []string {
	keys := make([]string, len(dataTypes))
	for i, d := range dataTypes {
		keys[i] = d.ConfigKey
	}
	return keys
}

// mustDataType returns the data type named name; the tables are built
// from constants, so a missing one is a programming error (TestTables).
func mustDataType(name string) DataType {
	d, ok := LookupDataType(name)
	if !ok {
		panic(fmt.Sprintf("schema: data type %q is not in the data-type table", name))
	}
	return d
}

// Claim metrics: what a claim says is better (seeds/claims.csv's metric
// column). Higher is better for all but MetricCost.
const (
	MetricPricePerformance = "price_performance"     // work per dollar
	MetricPerformance      = "performance"           // general throughput
	MetricPerformanceFP    = "performance_fp"        // floating point
	MetricPerformanceML    = "performance_ml"        // ML on the CPU
	MetricLLMInference     = "llm_inference"         // LLM tokens per second on the CPU
	MetricLLMPerDollar     = "llm_price_performance" // LLM tokens per dollar
	MetricMemoryBandwidth  = "memory_bandwidth"
	MetricCost             = "cost" // cost for the same work: 0.80 is 20% cheaper
)

// A Metric is one row of the claim-metric table. Its kernels are those
// whose Kernel.Metrics list it, in suite order: the kernel table is the one
// owner of that fact.
type Metric struct {
	Name string
	// Meaning says what the metric compares, for the docs; Words names
	// it in a claim's one-line summary ("ML performance").
	Meaning, Words string
	// PerDollar metrics divide throughput by the hourly price.
	PerDollar bool
}

var metrics = []Metric{
	{MetricPricePerformance, "work per dollar", "price-performance", true},
	{MetricPerformance, "throughput", "performance", false},
	{MetricPerformanceFP, "floating-point throughput", "floating-point performance", false},
	{MetricPerformanceML, "machine-learning throughput on the CPU", "ML performance", false},
	{MetricLLMInference, "LLM inference tokens per second on the CPU", "LLM inference performance", false},
	{MetricLLMPerDollar, "LLM inference tokens per dollar on the CPU", "LLM inference price-performance", true},
	{MetricMemoryBandwidth, "memory bandwidth", "memory bandwidth", false},
	{MetricCost, "cost of the same work (0.80 is 20% cheaper)", "cost", true},
}

// Metrics returns the claim-metric table in order.
func Metrics() []Metric { return slices.Clone(metrics) }

// LookupMetric returns the metric named name.
func LookupMetric(name string) (Metric, bool) {
	return find(metrics, func(m Metric) bool { return m.Name == name })
}

// MetricKernels returns the kernels a claim of metric is judged on, in
// suite order. A metric the table lacks, or one no kernel lists, is an
// error: a claim must never turn "not measured" because a row was
// forgotten.
func MetricKernels(metric string) ([]string, error) {
	if _, ok := LookupMetric(metric); !ok {
		return nil, fmt.Errorf("metric %q is not one of the claim metrics", metric)
	}
	var out []string
	for _, k := range kernels {
		if slices.Contains(k.Metrics, metric) {
			out = append(out, k.Name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("metric %q: no kernel of the suite judges it", metric)
	}
	return out, nil
}

// KernelTable returns the kernel table as markdown, one row a kernel in
// suite order, for README.md and docs/design.md (a test keeps both in
// step with it).
func KernelTable() string {
	var b strings.Builder
	b.WriteString("| kernel | what it measures | unit | data type | peak probe or bound | claim metrics |\n")
	b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
	for _, k := range kernels {
		peak, metrics := "-", "none: "+k.Why
		switch {
		case k.Peak != "":
			peak = "`" + k.Peak + "`"
		case k.Bound != nil && k.Bound.Kernel != "":
			peak = "bound: `" + k.Bound.Kernel + "` at " + k.Bound.Fact
		case k.Bound != nil:
			peak = "bound: the weights' GEMM at " + k.Bound.Fact
		}
		if len(k.Metrics) > 0 {
			metrics = "`" + strings.Join(k.Metrics, "`, `") + "`"
		}
		if k.Probe {
			peak = "(a probe)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", k.Name, k.Title, k.Unit, k.DataType, peak, metrics)
	}
	return b.String()
}

// MetricTable returns the claim-metric table as markdown: each metric, what
// it compares and the kernels that judge it, from the kernel table.
func MetricTable() string {
	var b strings.Builder
	b.WriteString("| claim metric | compares | judged on |\n")
	b.WriteString("| --- | --- | --- |\n")
	for _, m := range metrics {
		ks, _ := MetricKernels(m.Name)
		fmt.Fprintf(&b, "| `%s` | %s | `%s` |\n", m.Name, m.Meaning, strings.Join(ks, "`, `"))
	}
	return b.String()
}
