package bench

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/kernels"
	"github.com/ppbench/ppbench/kernels/llm"
)

// envLLMModels are the LLM passes' models, from $PPBENCH_LLM_MODELS.
var envLLMModels []string

// tiers are the kernel tiers of this test binary: $PPBENCH_IMPL,
// $PPBENCH_IMPL_BF16 and $PPBENCH_IMPL_INT8, else the widest this CPU has.
var tiers Tiers

// fingerprint is this host, detected once: on a cloud host detection asks
// the metadata service, which every Benchmark function would otherwise
// ask again.
var fingerprint = sync.OnceValue(func() host.Fingerprint { return Fingerprint(host.Options{}, tiers) })

// TestMain picks the tier and prints the host fingerprint before the first
// benchmark when benchmarks run; a plain `go test` prints nothing extra.
// Steal time rides on each result as a metric: a closing config line would
// become the configuration of every result after it when runs are
// appended to one file, as the anchor recipe does, and benchstat would
// split on it.
func TestMain(m *testing.M) {
	flag.Parse()
	if err := host.CheckEnv(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	var err error
	if tiers, err = TiersFromEnv(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if envLLMModels, err = ParseLLMModels(os.Getenv(EnvLLMModels)); err != nil {
		fmt.Fprintf(os.Stderr, "bench: $%s: %v\n", EnvLLMModels, err)
		os.Exit(2)
	}
	if flag.Lookup("test.bench").Value.String() != "" {
		if err := WriteHeader(os.Stdout, fingerprint(), false); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// suite returns the cases for this run, honouring -short.
func suite(tb testing.TB) []Case {
	cases, err := Suite(Options{Short: testing.Short(), AllThreads: runtime.GOMAXPROCS(0), Cores: fingerprint().PhysicalCores,
		Tiers: tiers, MemAvailable: host.MemAvailable(), LLMModels: envLLMModels})
	if err != nil {
		tb.Fatal(err)
	}
	return cases
}

// runKernel runs every case of one kernel as a sub-benchmark named by its
// keys. The slashes in the keys make -bench patterns match key by key, as
// nested sub-benchmarks would; nesting itself cannot express a case whose
// keys extend another's (threads=all and threads=all/mode=parallel).
func runKernel(b *testing.B, kernel string) {
	for _, c := range suite(b) {
		if c.Kernel != kernel {
			continue
		}
		b.Run(c.Keys, func(b *testing.B) {
			if c.Skip != "" {
				b.Skip(c.Skip)
			}
			r := c.Setup()
			b.ResetTimer()
			m := c.Measure(r, b.N)
			b.ReportMetric(m.Rate, c.Unit)
			for _, f := range c.Facts {
				b.ReportMetric(f.Value, f.Unit)
			}
			if m.StealPercent >= 0 {
				b.ReportMetric(m.StealPercent, schema.UnitSteal)
			}
		})
	}
}

// One function per entry of Table: go test finds benchmarks by their
// function names only. TestEveryKernelHasABenchmark keeps the two lists
// in step.
func BenchmarkSgemm(b *testing.B)       { runKernel(b, schema.Sgemm) }
func BenchmarkAttention(b *testing.B)   { runKernel(b, schema.Attention) }
func BenchmarkTriad(b *testing.B)       { runKernel(b, schema.Triad) }
func BenchmarkFMAPeak(b *testing.B)     { runKernel(b, schema.FMAPeak) }
func BenchmarkGemmBF16(b *testing.B)    { runKernel(b, schema.GemmBF16) }
func BenchmarkGemmInt8(b *testing.B)    { runKernel(b, schema.GemmInt8) }
func BenchmarkDotPeakBF16(b *testing.B) { runKernel(b, schema.DotPeakBF16) }
func BenchmarkDotPeakInt8(b *testing.B) { runKernel(b, schema.DotPeakInt8) }
func BenchmarkLLMDecode(b *testing.B)   { runKernel(b, schema.LLMDecode) }
func BenchmarkLLMPrefill(b *testing.B)  { runKernel(b, schema.LLMPrefill) }

// TestEveryKernelHasABenchmark checks that Table, schema.Kernels and this
// file's Benchmark functions name the same kernels, in the same order.
func TestEveryKernelHasABenchmark(t *testing.T) {
	var table, contract []string
	for _, k := range Table {
		table = append(table, k.Name)
	}
	for _, k := range schema.Kernels() {
		contract = append(contract, k.Name)
	}
	if !slices.Equal(table, contract) {
		t.Errorf("bench.Table has %v, internal/schema %v", table, contract)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "bench_test.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var funcs []string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && strings.HasPrefix(fd.Name.Name, "Benchmark") && fd.Recv == nil {
			funcs = append(funcs, strings.TrimPrefix(fd.Name.Name, "Benchmark"))
		}
	}
	if !slices.Equal(funcs, table) {
		t.Errorf("bench_test.go has Benchmark functions for %v, Table has %v", funcs, table)
	}
}

func names(cases []Case) []string {
	var out []string
	for _, c := range cases {
		out = append(out, c.Name())
	}
	return out
}

func mustSuite(t *testing.T, opts Options) []Case {
	t.Helper()
	cases, err := Suite(opts)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestSuiteNames pins the whole suite of a 4-CPU SMT host, in order: the
// names are the contract benchstat and the anchors line results up by.
func TestSuiteNames(t *testing.T) {
	got := names(mustSuite(t, Options{AllThreads: 4, Cores: 2, Short: true}))
	want := []string{
		"Sgemm/n=256/threads=1", "Sgemm/n=256/threads=all", "Sgemm/n=256/threads=all/mode=parallel", "Sgemm/n=256/threads=cores",
		"Sgemm/n=512/threads=1", "Sgemm/n=512/threads=all", "Sgemm/n=512/threads=all/mode=parallel", "Sgemm/n=512/threads=cores",
		"Attention/seq=512/dim=64/heads=8/threads=1",
		"Attention/seq=512/dim=64/heads=8/threads=all",
		"Attention/seq=512/dim=64/heads=8/threads=all/mode=parallel",
		"Attention/seq=512/dim=64/heads=8/threads=cores",
		"Attention/seq=512/dim=64/heads=8/threads=1/causal=true",
		"Attention/seq=512/dim=64/heads=8/threads=all/causal=true",
		"Attention/seq=512/dim=64/heads=8/threads=all/causal=true/mode=parallel",
		"Attention/seq=512/dim=64/heads=8/threads=cores/causal=true",
		"Triad/n=33554432/threads=1", "Triad/n=33554432/threads=all",
		"FMAPeak/threads=1", "FMAPeak/threads=all", "FMAPeak/threads=cores",
		"GemmBF16/n=256/threads=1", "GemmBF16/n=256/threads=all", "GemmBF16/n=256/threads=all/mode=parallel", "GemmBF16/n=256/threads=cores",
		"GemmBF16/n=512/threads=1", "GemmBF16/n=512/threads=all", "GemmBF16/n=512/threads=all/mode=parallel", "GemmBF16/n=512/threads=cores",
		"GemmInt8/n=256/threads=1", "GemmInt8/n=256/threads=all", "GemmInt8/n=256/threads=all/mode=parallel", "GemmInt8/n=256/threads=cores",
		"GemmInt8/n=512/threads=1", "GemmInt8/n=512/threads=all", "GemmInt8/n=512/threads=all/mode=parallel", "GemmInt8/n=512/threads=cores",
		"DotPeakBF16/threads=1", "DotPeakBF16/threads=all", "DotPeakBF16/threads=cores",
		"DotPeakInt8/threads=1", "DotPeakInt8/threads=all", "DotPeakInt8/threads=cores",
		"LLMDecode/model=llama-3.2-1b/weights=q8_0/context=512/threads=1",
		"LLMDecode/model=llama-3.2-1b/weights=q8_0/context=512/threads=all",
		"LLMPrefill/model=llama-3.2-1b/weights=q8_0/prompt=512/threads=1",
		"LLMPrefill/model=llama-3.2-1b/weights=q8_0/prompt=512/threads=all",
	}
	if !slices.Equal(got, want) {
		t.Errorf("suite:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	full := strings.Join(names(mustSuite(t, Options{AllThreads: 4, Cores: 2})), "\n")
	for _, w := range []string{"Sgemm/n=2048/threads=all", "Sgemm/n=1024/threads=all/mode=parallel", "Attention/seq=2048/dim=64/heads=8/threads=all/causal=true/mode=parallel"} {
		if !strings.Contains(full+"\n", w+"\n") {
			t.Errorf("full suite lacks %s", w)
		}
	}
	// One CPU: no SMT, nothing parallel.
	for _, n := range names(mustSuite(t, Options{Short: true, AllThreads: 1, Cores: 1})) {
		if strings.Contains(n, "threads=cores") || strings.Contains(n, "mode=parallel") {
			t.Errorf("-short suite on one CPU has %s", n)
		}
	}
	// A numeric key runs rate mode and one parallel kernel; a lower tier
	// is named.
	low := mustSuite(t, Options{Short: true, AllThreads: 2, Threads: []string{"3"}, Tiers: Tiers{FP32: kernels.Portable(), Int8: kernels.PortableInt8()}})
	if kernels.Widest() != kernels.Portable() {
		if n := low[0].Name(); n != "Sgemm/n=256/threads=3/impl=portable" {
			t.Errorf("first case %s, want Sgemm/n=256/threads=3/impl=portable", n)
		}
	}
	if low[0].Copies != 3 || !strings.Contains(low[1].Name(), "threads=3/mode=parallel") {
		t.Errorf("threads=3: %s with %d copies, then %s", low[0].Name(), low[0].Copies, low[1].Name())
	}
	// Each kernel is named by the tier of its own data type: bf16 ran its
	// widest here, int8 the portable tier.
	for _, c := range low {
		_, hasImpl := strings.CutSuffix(c.Name(), "/impl=portable")
		switch c.Kernel {
		case schema.GemmBF16, schema.DotPeakBF16:
			if hasImpl {
				t.Errorf("%s: the bf16 tier is the widest, yet named", c.Name())
			}
		case schema.GemmInt8, schema.DotPeakInt8:
			if hasImpl != (kernels.WidestInt8() != kernels.PortableInt8()) {
				t.Errorf("%s: impl key wrong for the portable int8 tier", c.Name())
			}
		}
	}
}

// TestSuiteRejectsBadThreadKeys: a key outside the grammar is an error,
// never silently dropped.
func TestSuiteRejectsBadThreadKeys(t *testing.T) {
	for _, keys := range [][]string{{"0"}, {"bogus"}, {"1", "-2"}, {"100000"}} {
		if _, err := Suite(Options{Threads: keys}); err == nil {
			t.Errorf("Suite(Threads: %q) gave no error", keys)
		}
	}
}

// TestSuiteWork checks the FLOP and byte counts docs/design.md fixes.
func TestSuiteWork(t *testing.T) {
	byName := map[string]Case{}
	for _, c := range mustSuite(t, Options{AllThreads: 3}) {
		byName[c.Name()] = c
	}
	for name, want := range map[string]float64{
		"Sgemm/n=1024/threads=1":                                   2 * 1024 * 1024 * 1024,
		"Sgemm/n=1024/threads=all":                                 3 * 2 * 1024 * 1024 * 1024,
		"Sgemm/n=1024/threads=all/mode=parallel":                   2 * 1024 * 1024 * 1024,
		"Attention/seq=512/dim=64/heads=8/threads=1":               4 * 8 * 512 * 512 * 64,
		"Attention/seq=512/dim=64/heads=8/threads=all/causal=true": 3 * 4 * 8 * 64 * 512 * 513 / 2,
		"Triad/n=33554432/threads=all":                             24 * 33554432,
		"FMAPeak/threads=all":                                      3 * kernels.Widest().FMAPeakFLOPs(FMAItersPerOp),
		"GemmInt8/n=1024/threads=1":                                2 * 1024 * 1024 * 1024,
		"GemmBF16/n=2048/threads=all/mode=parallel":                2 * 2048 * 2048 * 2048,
		"DotPeakInt8/threads=1":                                    kernels.WidestInt8().DotPeakInt8Ops(FMAItersPerOp),
		"DotPeakBF16/threads=all":                                  3 * kernels.WidestBF16().DotPeakBF16FLOPs(FMAItersPerOp),
	} {
		c, ok := byName[name]
		if !ok {
			t.Errorf("no case %s", name)
			continue
		}
		if c.Work != want {
			t.Errorf("%s: work %g per op, want %g", name, c.Work, want)
		}
	}
	if c := byName["Triad/n=33554432/threads=1"]; c.Unit != schema.UnitGBs || !c.MemoryBound {
		t.Errorf("triad unit %q, memory bound %v", c.Unit, c.MemoryBound)
	}
	if c := byName["GemmInt8/n=256/threads=1"]; c.Unit != schema.UnitGOPs {
		t.Errorf("int8 unit %q", c.Unit)
	}
}

// TestLLMSkippedWhereItDoesNotFit: on a host with too little memory for
// the model, the LLM cases are skipped, saying why, and nothing else is;
// with memory enough, or unknown, none is.
func TestLLMSkippedWhereItDoesNotFit(t *testing.T) {
	for _, tt := range []struct {
		avail uint64
		skip  bool
	}{{1 << 30, true}, {64 << 30, false}, {0, false}} {
		for _, c := range mustSuite(t, Options{AllThreads: 2, Cores: 2, Short: true, MemAvailable: tt.avail}) {
			llmCase := c.Kernel == schema.LLMDecode || c.Kernel == schema.LLMPrefill
			if got := c.Skip != ""; got != (tt.skip && llmCase) {
				t.Errorf("%d bytes available: %s skip %q", tt.avail, c.Name(), c.Skip)
			}
			if c.Skip != "" && !strings.Contains(c.Skip, "GB available") {
				t.Errorf("%s: skip reason %q does not say what is available", c.Name(), c.Skip)
			}
		}
	}
}

// TestLLMSizes: every LLM size names a model shape of the table, and
// its facts are positive.
func TestLLMSizes(t *testing.T) {
	for _, k := range []Kernel{llmDecode, llmPrefill} {
		for _, s := range k.Sizes {
			if _, err := llm.LookupShape(s.Model); err != nil {
				t.Error(err)
			}
			for _, f := range k.Facts(s) {
				if !(f.Value > 0) || !slices.Contains(schema.FactUnits(), f.Unit) {
					t.Errorf("%s %v: fact %+v", k.Name, s.Params, f)
				}
			}
		}
	}
	// A prefill's op/tok counts the vocabulary projection once per
	// prompt, as the model runs it, not once per token.
	s := llmPrefill.Sizes[0]
	sh := mustShape(s)
	vocab := 2 * float64(sh.Vocab) * float64(sh.Hidden)
	want := sh.OpsPerToken() - vocab + vocab/float64(s.N)
	if f := llmPrefill.Facts(s); len(f) != 1 || math.Abs(f[0].Value-want) > 1e-9*want {
		t.Errorf("LLMPrefill %v: facts %+v, want op/tok %g", s.Params, f, want)
	}
}

// TestRunners runs each small case once: the runners must do their work
// without panicking, on every thread key.
func TestRunners(t *testing.T) {
	for _, c := range mustSuite(t, Options{Short: true, AllThreads: 2, Cores: 1}) {
		switch {
		case c.MemoryBound, c.Kernel == schema.LLMPrefill:
			continue // the 768 MiB triad and the 1B-parameter model are for benchmarks
		case testing.Short() && c.Kernel != schema.FMAPeak && !strings.Contains(c.Name(), "=256"):
			continue
		}
		c.Setup().Run(1)
	}
	// The triad's split setup and run on a small array, and the LLM
	// passes on the tiny model in every format.
	setupTriad(Size{N: 1000}, WidestTiers(), 0, 3)(2)
	for _, k := range []Kernel{llmDecode, llmPrefill} {
		for _, s := range llmSizes("tiny", schema.KeyContext, 16, schema.Q8, schema.BF16) {
			for _, threads := range []int{1, 3} {
				k.Setup(s, WidestTiers(), 1, threads)(2)
			}
		}
	}
}

// TestTiersName: each data type's tier is its own field. Lowering one
// type to portable changes that type's name alone, so a binding to the
// wrong field (or a fallback to the fp32 label) fails here on any host
// with a SIMD tier of every type; every kernel names its own type's tier.
func TestTiersName(t *testing.T) {
	w := WidestTiers()
	for _, d := range schema.DataTypes() {
		var low Tiers
		if err := fieldOf(d.Name).lookup(&low, "portable"); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		for _, o := range schema.DataTypes() {
			want := w.Name(o.Name)
			if o.Name == d.Name {
				want = "portable"
			}
			if got := low.Name(o.Name); got != want {
				t.Errorf("%s lowered to portable: %s tier %q, want %q", d.Name, o.Name, got, want)
			}
		}
		if got := low.Names()[d.Name]; got != "portable" {
			t.Errorf("Names()[%s] = %q, want portable", d.Name, got)
		}
	}
	var low Tiers
	for _, d := range schema.DataTypes() {
		if err := fieldOf(d.Name).lookup(&low, "portable"); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range schema.Kernels() {
		if got := low.Name(k.DataType); got != "portable" {
			t.Errorf("%s (%s): tier %q, want portable", k.Name, k.DataType, got)
		}
	}
	if w.Name(schema.Int8) != kernels.WidestInt8().Name() || w.Name(schema.BF16) != kernels.WidestBF16().Name() || w.Name(schema.FP32) != kernels.Widest().Name() {
		t.Errorf("zero Tiers do not name the widest tiers")
	}
	if err := low.SelfCheck(); err != nil {
		t.Errorf("portable tiers fail their own self-check: %v", err)
	}
}

// TestCheckLLMCatchesAWrongKernel: the forward-pass self-check passes on
// this host's tiers and fails when a product is wrong, here one that
// drops the last block of every row.
func TestCheckLLMCatchesAWrongKernel(t *testing.T) {
	if err := checkLLM(WidestTiers()); err != nil {
		t.Fatal(err)
	}
	// checkLLMWith builds the model under test before the portable one
	// it is held against, in each format: the first of each pair gets the
	// wrong product.
	calls := 0
	wrong := func(tiers Tiers, maxContext, maxBatch int) []llm.Option {
		opts := llmOptions(tiers, maxContext, maxBatch)
		if calls++; calls%2 == 0 {
			return opts
		}
		return append(opts, llm.WithQ8MatMul(func(x, w *kernels.Q8Matrix, y []float32, ldy, threads int) {
			short := func(m *kernels.Q8Matrix) *kernels.Q8Matrix {
				c := m.Cols - kernels.Q8BlockLen
				q := kernels.NewQ8Matrix(m.Rows, c)
				for i := range m.Rows {
					copy(q.Quants[i*c:(i+1)*c], m.Quants[i*m.Cols:])
					copy(q.Scales[i*c/kernels.Q8BlockLen:(i+1)*c/kernels.Q8BlockLen], m.Scales[i*m.Cols/kernels.Q8BlockLen:])
				}
				return q
			}
			kernels.PortableQ8().Q8MatMul(short(x), short(w), y, ldy, threads)
		}))
	}
	if err := checkLLMWith(WidestTiers(), wrong); err == nil || !strings.Contains(err.Error(), "q8_0 LLM forward pass") {
		t.Errorf("a product that drops a block passed the check: %v", err)
	}
}

// TestEveryDataTypeHasTiers: every row of the data-type table is bound to
// a field of Tiers, and a data type schema does not list panics rather
// than take another type's tier.
func TestEveryDataTypeHasTiers(t *testing.T) {
	for _, d := range schema.DataTypes() {
		if _, ok := tierFields[d.Name]; !ok {
			t.Errorf("data type %s has no tierFields entry", d.Name)
		}
	}
	if len(tierFields) != len(schema.DataTypes()) {
		t.Errorf("tierFields has %d entries, schema %d data types", len(tierFields), len(schema.DataTypes()))
	}
	defer func() {
		if recover() == nil {
			t.Error("Tiers.Name of an unknown data type did not panic")
		}
	}()
	Tiers{}.Name("fp16")
}

// TestProbeRates probes every kernel of the table: the compute-bound ones
// with a probe of their own get a positive rate, and the memory-bound
// ones and those probed as another (the LLM prefill, whose probe would
// build a model) none.
func TestProbeRates(t *testing.T) {
	var names []string
	for _, k := range Table {
		names = append(names, k.Name)
	}
	rates := ProbeRates(names, WidestTiers())
	for _, k := range Table {
		r, ok := rates[k.Name]
		if want := !k.MemoryBound && k.ProbeAs == ""; ok != want || ok && !(r > 0) {
			t.Errorf("%s: rate %v (probed %v), want probed %v", k.Name, r, ok, want)
		}
		if k.ProbeAs != "" {
			if _, ok := rates[k.ProbeAs]; !ok {
				t.Errorf("%s is probed as %s, which has no probe", k.Name, k.ProbeAs)
			}
		}
	}
}

// TestParseLLMModels: names are checked against the model table, case and
// spaces aside, and an unknown one is an error that lists the known.
func TestParseLLMModels(t *testing.T) {
	for _, tt := range []struct {
		list string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"llama-3.2-1b", []string{"llama-3.2-1b"}, ""},
		{" LLAMA-3.2-1B, tiny ", []string{"llama-3.2-1b", "tiny"}, ""},
		{"gpt-4", nil, `LLM model "gpt-4": not one of llama-3.2-1b, `},
		{"tiny,", nil, `LLM model "": not one of`},
	} {
		got, err := ParseLLMModels(tt.list)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseLLMModels(%q) error %v, want %q", tt.list, err, tt.err)
			}
		case err != nil || !slices.Equal(got, tt.want):
			t.Errorf("ParseLLMModels(%q) = %q, %v; want %q", tt.list, got, err, tt.want)
		}
	}
	if _, err := Suite(Options{LLMModels: []string{"gpt-4"}}); err == nil {
		t.Error("a suite of an unknown model")
	}
}
