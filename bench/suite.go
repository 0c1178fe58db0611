// Package bench defines ppbench's benchmark suite once, for both `go test
// -bench ./bench` and `ppbench run`: which kernels run at which sizes and
// thread counts, under which names, and how much work one operation is.
//
// Names follow the contract in DESIGN.md, so that benchstat lines up
// results across hosts and against the reference anchors:
//
//	Sgemm/n=1024/threads=1
//	Attention/seq=2048/dim=64/heads=8/threads=all/causal=true
//	Triad/n=33554432/threads=all
//	FMAPeak/threads=1
//
// threads=1 is one goroutine. threads=all is the whole host: for Sgemm,
// Attention and FMAPeak it is rate mode, one single-threaded copy of the
// kernel per available CPU (runtime.GOMAXPROCS), each on its own data, run
// at once, with the work of all copies counted; for Triad it is one array
// split across all CPUs, as STREAM does. threads=cores is rate mode with
// one copy per physical core, added on hosts with SMT. mode=parallel marks
// one multi-threaded kernel instead of copies, and impl=NAME a kernel tier
// other than the widest the CPU has.
package bench

import (
	"fmt"
	"runtime"
	"strconv"

	"github.com/ppbench/ppbench/kernels"
)

// Units of the metrics. The throughputs are better when higher. UnitSteal
// is the share of the host's CPU time the hypervisor gave to other guests
// while a result was measured, in percent (host-wide, from /proc/stat):
// lower is a quieter host, and the report flags results above 2%.
const (
	UnitGFLOPs = "GFLOP/s"
	UnitGBs    = "GB/s"
	UnitSteal  = "steal-percent"
)

// Sizes of the suite. TriadLen is 32 Mi float64 elements: 768 MiB over three
// arrays, far beyond any last-level cache.
var (
	SgemmSizes      = []int{256, 512, 1024, 2048}
	SgemmShortSizes = []int{256, 512}
	AttentionSeqs   = []int{512, 2048}
	AttentionShort  = []int{512}
)

const (
	AttentionDim   = 64
	AttentionHeads = 8
	TriadLen       = 32 << 20
	// FMAItersPerOp is the number of FMA loop steps one FMAPeak op runs:
	// milliseconds on any core, so timer overhead does not count.
	FMAItersPerOp = 1 << 20
)

// Options shape the suite to a host.
type Options struct {
	// Short keeps the small sizes only (SGEMM n=256,512, attention
	// seq=512), as `go test -short` does.
	Short bool
	// AllThreads is the number of copies (or threads) for threads=all;
	// zero means runtime.GOMAXPROCS(0).
	AllThreads int
	// Cores is the number of physical cores; when it is positive and less
	// than AllThreads (SMT), threads=cores cases are added.
	Cores int
	// Threads lists the thread keys to run, in order: "1", "all",
	// "cores" (skipped on hosts without SMT) or a number N > 1 of copies
	// (named threads=N). Nil means 1, all and cores.
	Threads []string
}

// A Case is one benchmark of the suite.
type Case struct {
	Kernel  string // "Sgemm", "Attention", "Triad" or "FMAPeak"
	Keys    string // the sub-benchmark keys, e.g. "n=1024/threads=1"
	Threads string // the threads key: "1", "all" or "cores"
	// Copies is how many goroutines run: kernel copies in rate mode,
	// threads of one kernel otherwise.
	Copies int
	Unit   string  // UnitGFLOPs or UnitGBs
	Work   float64 // floating-point operations (or bytes, for GB/s) per op, all copies together

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
	return c.Work * float64(ops) / seconds / 1e9
}

// A Runner runs a case's kernel on data allocated by Setup.
type Runner interface {
	// Run does iters ops.
	Run(iters int)
}

// Suite returns the cases in the order they run: SGEMM, attention, triad,
// FMA peak, each by size and then by threads.
func Suite(opts Options) []Case {
	all := opts.AllThreads
	if all <= 0 {
		all = runtime.GOMAXPROCS(0)
	}
	// A thread key runs rate mode with copies copies and, when parallel,
	// also one kernel on that many threads (mode=parallel).
	type threadKey struct {
		key      string
		copies   int
		parallel bool
	}
	keys := opts.Threads
	if keys == nil {
		keys = []string{"1", "all", "cores"}
	}
	var threads []threadKey
	for _, k := range keys {
		switch n, err := strconv.Atoi(k); {
		case k == "1":
			threads = append(threads, threadKey{"1", 1, false})
		case k == "all":
			threads = append(threads, threadKey{"all", all, all > 1})
		case k == "cores":
			// Only SMT hosts have fewer cores than CPUs; elsewhere
			// threads=cores would repeat threads=all.
			if opts.Cores > 0 && opts.Cores < all {
				threads = append(threads, threadKey{"cores", opts.Cores, false})
			}
		case err == nil && n > 1:
			threads = append(threads, threadKey{k, n, true})
		}
	}
	impl := ""
	if impls := kernels.Impls(); kernels.Impl() != impls[len(impls)-1] {
		impl = "/impl=" + kernels.Impl()
	}

	var cases []Case
	sizes := SgemmSizes
	if opts.Short {
		sizes = SgemmShortSizes
	}
	for _, n := range sizes {
		for _, t := range threads {
			cases = append(cases, sgemmCase(n, t.key, t.copies, false, impl))
			if t.parallel {
				cases = append(cases, sgemmCase(n, t.key, t.copies, true, impl))
			}
		}
	}
	seqs := AttentionSeqs
	if opts.Short {
		seqs = AttentionShort
	}
	for _, seq := range seqs {
		for _, causal := range []bool{false, true} {
			for _, t := range threads {
				cases = append(cases, attentionCase(seq, t.key, t.copies, causal, false, impl))
				if t.parallel {
					cases = append(cases, attentionCase(seq, t.key, t.copies, causal, true, impl))
				}
			}
		}
	}
	for _, t := range threads {
		if t.key == "cores" {
			continue // one array split across cores says nothing new
		}
		cases = append(cases, triadCase(TriadLen, t.key, t.copies, impl))
	}
	for _, t := range threads {
		cases = append(cases, fmaCase(t.key, t.copies, impl))
	}
	return cases
}

// withMode returns keys and the work of one op for a case of one kernel
// whose single run does work: in parallel mode one run on all threads,
// marked mode=parallel; in rate mode copies runs at once, whose work adds
// up.
func withMode(keys string, work float64, copies int, parallel bool) (string, float64) {
	if parallel {
		return keys + "/mode=parallel", work
	}
	return keys, work * float64(copies)
}

func sgemmCase(n int, threads string, copies int, parallel bool, impl string) Case {
	keys := fmt.Sprintf("n=%d/threads=%s", n, threads)
	keys, work := withMode(keys, 2*float64(n)*float64(n)*float64(n), copies, parallel)
	return Case{
		Kernel: "Sgemm", Keys: keys + impl, Threads: threads, Copies: copies,
		Unit: UnitGFLOPs, Work: work,
		setup: func() Runner { return newSgemmRunner(n, copies, parallel) },
	}
}

func attentionCase(seq int, threads string, copies int, causal, parallel bool, impl string) Case {
	keys := fmt.Sprintf("seq=%d/dim=%d/heads=%d/threads=%s", seq, AttentionDim, AttentionHeads, threads)
	if causal {
		keys += "/causal=true"
	}
	keys, work := withMode(keys, kernels.AttentionFLOPs(AttentionHeads, seq, AttentionDim, causal), copies, parallel)
	return Case{
		Kernel: "Attention", Keys: keys + impl, Threads: threads, Copies: copies,
		Unit: UnitGFLOPs, Work: work,
		setup: func() Runner { return newAttentionRunner(seq, copies, causal, parallel) },
	}
}

func triadCase(n int, threads string, copies int, impl string) Case {
	return Case{
		Kernel: "Triad", Keys: fmt.Sprintf("n=%d/threads=%s", n, threads) + impl, Threads: threads, Copies: copies,
		Unit: UnitGBs, Work: kernels.TriadBytes(n),
		setup: func() Runner { return newTriadRunner(n, copies) },
	}
}

func fmaCase(threads string, copies int, impl string) Case {
	return Case{
		Kernel: "FMAPeak", Keys: "threads=" + threads + impl, Threads: threads, Copies: copies,
		Unit: UnitGFLOPs, Work: float64(copies) * kernels.FMAPeakFLOPs(FMAItersPerOp),
		setup: func() Runner { return fmaRunner{copies: copies} },
	}
}

// UnitLines are the benchfmt lines that tell benchstat which direction is
// better for the suite's metrics.
func UnitLines() []string {
	return []string{
		"Unit " + UnitGFLOPs + " better=higher",
		"Unit " + UnitGBs + " better=higher",
		"Unit " + UnitSteal + " better=lower",
	}
}

// Filter returns the cases whose full name (Kernel/Keys) contains a match
// for match, which reports whether a name is wanted.
func Filter(cases []Case, match func(name string) bool) []Case {
	var out []Case
	for _, c := range cases {
		if match(c.Name()) {
			out = append(out, c)
		}
	}
	return out
}
