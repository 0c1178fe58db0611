// Package bench defines ppbench's benchmark suite once, for both `go test
// -bench ./bench` and `ppbench run`: which kernels run at which sizes and
// thread counts, under which names, how much work one operation is, and
// how one measurement is taken.
//
// The kernels are the entries of Table; names, keys and units follow the
// results contract in internal/schema (see docs/design.md), so that
// benchstat lines up results across hosts and against the reference
// anchors:
//
//	Sgemm/n=1024/threads=1
//	Attention/seq=2048/dim=64/heads=8/threads=all/causal=true
//	Triad/n=33554432/threads=all
//	FMAPeak/threads=1
//
// threads=1 is one goroutine. threads=all is the whole host: for most
// kernels it is rate mode, one single-threaded copy of the kernel per
// available CPU (runtime.GOMAXPROCS), each on its own data, run at once,
// with the work of all copies counted; for a Split kernel (the triad) it
// is one array split across all CPUs, as STREAM does. threads=cores is
// rate mode with one copy per physical core, added on hosts with SMT.
// mode=parallel marks one multi-threaded kernel instead of copies, and
// impl=NAME a kernel tier other than the widest the CPU has.
package bench

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/ppbench/ppbench/internal/schema"
)

// Options shape the suite to a host.
type Options struct {
	// Short keeps each kernel's ShortSizes, as `go test -short` does.
	Short bool
	// AllThreads is the number of copies (or threads) for threads=all;
	// zero means runtime.GOMAXPROCS(0).
	AllThreads int
	// Cores is the number of physical cores; threads=cores cases are
	// added only when schema.SMT says the host has SMT.
	Cores int
	// Threads lists the thread keys to run, in order, in the grammar of
	// schema.ParseThreadKey. Nil means schema.DefaultThreads.
	Threads []string
	// Tiers are the kernel tiers the cases run, one per data type; zero
	// fields mean the widest.
	Tiers Tiers
	// LLMModels are the model shapes the LLM passes run (kernels/llm's
	// names); nil means LLMModel alone.
	LLMModels []string
	// MemAvailable is the memory the host has free, in bytes (0 when
	// unknown): a case of an Optional kernel whose data would take more
	// than MemoryShare of it is skipped, saying so, rather than risking
	// the OOM killer.
	MemAvailable uint64
}

// MemoryShare is the share of the available memory one case's data may
// take.
const MemoryShare = 0.8

// A Case is one benchmark of the suite.
type Case struct {
	Kernel  string // a schema kernel name
	Keys    string // the sub-benchmark keys, e.g. "n=1024/threads=1"
	Threads string // the threads key
	// Copies is how many goroutines run: kernel copies in rate mode,
	// threads of one kernel otherwise.
	Copies int
	Unit   string  // the kernel's schema unit
	Work   float64 // floating-point operations (or bytes, for GB/s) per op, all copies together
	// DataBytes is the memory the case's data takes, all copies together.
	DataBytes float64
	// MemoryBound is the kernel's Kernel.MemoryBound.
	MemoryBound bool
	// Traffic is the bytes one op moves to and from memory, all copies
	// together, for a MemoryBound case (0 otherwise).
	Traffic float64
	// ProbeAs and Ops: the kernel whose speed probe stands for this
	// case's, and the operations of one op, all copies together, as that
	// kernel counts them ("" and 0 when the case has a probe of its own).
	ProbeAs string
	Ops     float64
	// Facts are the constants each result line of the case carries.
	Facts []Fact
	// Skip says why the case is not run (it would not fit in memory);
	// "" for a case that runs.
	Skip string

	setup func() Runner
}

// Name is the benchmark name without the "Benchmark" prefix, as
// `go test` prints it without the -GOMAXPROCS suffix.
func (c Case) Name() string { return c.Kernel + "/" + c.Keys }

// Setup allocates and fills the case's data. The returned Runner does one
// op per iteration.
func (c Case) Setup() Runner { return c.setup() }

// Rate converts a measurement into the case's unit: ops done in seconds.
func (c Case) Rate(ops int, seconds float64) float64 {
	return c.Work * float64(ops) / seconds / schema.UnitScale(c.Unit)
}

// A Runner runs a case's kernel on data allocated by Setup.
type Runner interface {
	// Run does iters ops.
	Run(iters int)
}

// threadKey is one thread key resolved for a host: how many goroutines it
// means and whether a mode=parallel variant goes with it.
type threadKey struct {
	key      string
	copies   int
	parallel bool
}

// resolveThreads checks keys and resolves them for a host with all CPUs
// for threads=all and cores physical cores.
func resolveThreads(keys []string, all, cores int) ([]threadKey, error) {
	if keys == nil {
		keys = schema.DefaultThreads()
	}
	var out []threadKey
	for _, k := range keys {
		key, err := schema.ParseThreadKey(k)
		if err != nil {
			return nil, fmt.Errorf("bench: thread key %w", err)
		}
		switch key {
		case schema.ThreadsOne:
			out = append(out, threadKey{key, 1, false})
		case schema.ThreadsAll:
			out = append(out, threadKey{key, all, all > 1})
		case schema.ThreadsCores:
			// Elsewhere threads=cores would repeat threads=all.
			if schema.SMT(cores, all) {
				out = append(out, threadKey{key, cores, false})
			}
		default:
			n, _ := strconv.Atoi(key)
			out = append(out, threadKey{key, n, true})
		}
	}
	return out, nil
}

// Suite returns the cases in the order they run: the kernels of Table in
// order, each by size and then by threads, a mode=parallel variant right
// after its rate-mode case. A thread key outside schema's grammar is an
// error.
func Suite(opts Options) ([]Case, error) {
	all := opts.AllThreads
	if all <= 0 {
		all = runtime.GOMAXPROCS(0)
	}
	threads, err := resolveThreads(opts.Threads, all, opts.Cores)
	if err != nil {
		return nil, err
	}
	if err := CheckLLMModels(opts.LLMModels); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	tiers := opts.Tiers.orWidest()
	widest := WidestTiers()
	var cases []Case
	for _, k := range Table {
		first := len(cases)
		sizes := k.Sizes
		if opts.Short {
			sizes = k.ShortSizes
		}
		if k.ModelSizes != nil && opts.LLMModels != nil {
			sizes = nil
			for _, m := range opts.LLMModels {
				sizes = append(sizes, k.ModelSizes(m, opts.Short)...)
			}
		}
		for _, s := range sizes {
			impl := ""
			if dt := k.dataType(s); tiers.Name(dt) != widest.Name(dt) {
				impl = tiers.Name(dt)
			}
			for _, t := range threads {
				switch {
				case k.Split && t.key == schema.ThreadsCores:
					// One array split across cores says nothing new.
				case k.Split:
					cases = append(cases, newCase(k, s, tiers, t, true, "", impl))
				default:
					cases = append(cases, newCase(k, s, tiers, t, false, "", impl))
					if k.Parallel && t.parallel {
						cases = append(cases, newCase(k, s, tiers, t, true, schema.ModeParallel, impl))
					}
				}
			}
		}
		if k.Optional {
			skipTooBig(cases[first:], opts.MemAvailable)
		}
	}
	return cases, nil
}

// skipTooBig marks the cases whose data would take more than MemoryShare
// of avail bytes (none where avail is 0, unknown).
func skipTooBig(cases []Case, avail uint64) {
	if avail == 0 {
		return
	}
	for i := range cases {
		if need := cases[i].DataBytes; need > MemoryShare*float64(avail) {
			cases[i].Skip = fmt.Sprintf("needs %.1f GB, %.0f%% of the %.1f GB available", need/1e9, need/float64(avail)*100, float64(avail)/1e9)
		}
	}
}

// newCase builds the case of kernel k at size s on thread key t: one op
// split over t.copies threads when shared, else t.copies single-threaded
// copies whose work adds up.
func newCase(k Kernel, s Size, tiers Tiers, t threadKey, shared bool, mode, impl string) Case {
	params := append([]schema.Param{
		{Key: schema.KeyThreads, Value: t.key},
		{Key: schema.KeyMode, Value: mode},
		{Key: schema.KeyImpl, Value: impl},
	}, s.Params...)
	name := schema.FormatName(k.Name, params...)
	c := Case{
		Kernel: k.Name, Keys: strings.TrimPrefix(name, k.Name+"/"), Threads: t.key, Copies: t.copies,
		Unit: k.Unit, Work: k.Work(s, tiers), DataBytes: k.DataBytes(s), MemoryBound: k.MemoryBound,
		ProbeAs: k.ProbeAs,
	}
	if k.Traffic != nil {
		c.Traffic = k.Traffic(s)
	}
	if k.Ops != nil {
		c.Ops = k.Ops(s)
	}
	if k.Facts != nil {
		c.Facts = k.Facts(s)
	}
	if shared {
		c.setup = func() Runner { return runFunc(k.Setup(s, tiers, 0, t.copies)) }
		return c
	}
	c.Work *= float64(t.copies)
	c.DataBytes *= float64(t.copies)
	c.Traffic *= float64(t.copies)
	c.Ops *= float64(t.copies)
	c.setup = func() Runner {
		r := make(rateRunner, t.copies)
		for i := range r {
			r[i] = k.Setup(s, tiers, uint64(i), 1)
		}
		return r
	}
	return c
}

// runFunc is a Runner of one op function.
type runFunc func(iters int)

func (f runFunc) Run(iters int) { f(iters) }

// rateRunner runs one single-threaded copy per element at once, each on
// its own data: rate mode.
type rateRunner []func(iters int)

func (r rateRunner) Run(iters int) { together(len(r), func(i int) { r[i](iters) }) }

// together runs f(0), ..., f(n-1) on n goroutines at once and waits for
// all. f(0) runs on the calling goroutine, so n = 1 starts none.
func together(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := 1; i < n; i++ {
		wg.Go(func() { f(i) })
	}
	f(0)
	wg.Wait()
}

// Filter returns the cases whose full name (Kernel/Keys) match selects.
func Filter(cases []Case, match func(name string) bool) []Case {
	var out []Case
	for _, c := range cases {
		if match(c.Name()) {
			out = append(out, c)
		}
	}
	return out
}
