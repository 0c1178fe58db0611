// Package results reads ppbench results, Go benchmark format files
// written by `go test -bench ./bench` or `ppbench run`, into samples
// grouped by instance type and benchmark.
//
// Reading uses golang.org/x/perf: benchfmt.Files parses the files and
// benchproc groups results by the `instance` configuration key and the
// file (one file is one launch of an instance), and takes each name apart
// into its base name and the keys of internal/schema's NameKeys, leaving
// GOMAXPROCS out so that rows line up across instance sizes the way
// `benchstat -ignore /gomaxprocs` lines them up. What the projections do
// not claim, the parser's residue, is any other key a name has.
//
// A result is the suite's when its base name is one of schema.Kernels:
// its name must then use schema.NameKeys only and carry a threads key. A
// result from the suite's package (its pkg configuration is
// schema.SuitePkg) must be a suite kernel: an unknown kernel there was
// written by a newer ppbench and is an error, never another tool's
// benchmark. Results of any other package are other benchmarks, kept
// when they have a rate metric (a unit ending in /s).
//
// Read rejects input that would make a report silently wrong: a malformed
// line, a NaN or infinite value, a non-positive throughput, a steal time
// outside 0 to 100%, a suite kernel without its throughput unit, one file
// given twice (under two names, or as a copy), a file whose host (instance,
// cpu-model, vcpus) changes after its first result, as two runs put in one
// file do. Each error is one line, "FILE:LINE: what is wrong".
//
// What a run leaves when it is killed or runs out of disk is read: a file
// with a header and no results is left out with a note, and a last line
// without its newline, cut in the middle, is dropped with a note, keeping
// the results before it. Each file is read once, from its start to its
// end, so a FIFO or a process substitution reads like a file.
package results

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
)

// An Input is one results file named on the command line.
type Input struct {
	Path string
	// Instance, when set, names the instance type for results whose
	// `instance` configuration is missing or "unknown".
	Instance string
}

// ParseInput parses a command-line argument: "path" or "NAME=path". An
// argument that names an existing file is always a path, so a file name
// containing '=' still works. NAME must be an instance name as
// schema.CheckName has them, the rule -instance and PPBENCH_INSTANCE
// follow: a name with a space or a newline would be a second instance
// that benchstat's -col instance cannot tell from the first.
func ParseInput(arg string) (Input, error) {
	name, path, ok := strings.Cut(arg, "=")
	if !ok || name == "" || strings.ContainsRune(name, os.PathSeparator) {
		return Input{Path: arg}, nil
	}
	if _, err := os.Stat(arg); err == nil {
		return Input{Path: arg}, nil
	}
	if err := schema.CheckName(name); err != nil {
		return Input{}, fmt.Errorf("%q: instance name: %w (and no file is named so)", arg, err)
	}
	if path == "" {
		return Input{}, fmt.Errorf("%q: no file after '=' (want NAME=FILE)", arg)
	}
	return Input{Path: path, Instance: name}, nil
}

// A Bench identifies one benchmark row: what was run, with how many
// threads, with which kernel tier, in which unit. Benches compare equal
// across instances of different sizes.
type Bench struct {
	Kernel string // a schema kernel, or another benchmark's base name
	// Params holds the name's keys other than threads and impl, joined
	// by '/': those of schema.NameKeys in that order ("n=1024",
	// "seq=2048/dim=64/heads=8/causal=true"), then, for other
	// benchmarks, any other parts of the name in name order.
	Params  string
	Threads string // a schema thread key, or "" when the name has none
	// Tier is the kernel tier used: the name's impl key when present,
	// else the file's kernel-impl configuration, else "".
	Tier string
	Unit string // the kernel's schema unit, or another rate unit for other benchmarks
}

// String returns the benchmark name without the "Benchmark" prefix, the
// GOMAXPROCS suffix and the impl key (see Tier), with the keys in
// schema.NameKeys order as schema.FormatName writes them:
// "Kernel/seq=2048/dim=64/heads=8/threads=all/causal=true". The parts
// of another benchmark's name that are not schema keys follow.
func (b Bench) String() string {
	var params []schema.Param
	var rest strings.Builder
	seen := map[string]bool{schema.KeyThreads: true, schema.KeyImpl: true}
	for p := range strings.SplitSeq(b.Params, "/") {
		k, v, ok := strings.Cut(p, "=")
		switch {
		case p == "":
		case ok && v != "" && !seen[k] && slices.Contains(schema.NameKeys, k):
			// FormatName would panic on a repeated key or
			// leave out an empty value; those stay as they were
			// written, with the rest.
			seen[k] = true
			params = append(params, schema.Param{Key: k, Value: v})
		default:
			rest.WriteString("/" + p)
		}
	}
	params = append(params, schema.Param{Key: schema.KeyThreads, Value: b.Threads})
	return schema.FormatName(b.Kernel, params...) + rest.String()
}

// Suite reports whether the benchmark is one of the suite's kernels.
func (b Bench) Suite() bool { _, ok := schema.LookupKernel(b.Kernel); return ok }

// A Launch is the results of one instance from one file: one boot of the
// instance, with its own host, neighbours and thermal state.
type Launch struct {
	File string
	Line int // line of the launch's first result

	// Config is the file configuration in force at the first result:
	// the host fingerprint (vcpus, kernel-impl, go-version, ...).
	Config map[string]string

	// StealPercent is the CPU steal time recorded for the launch: the
	// whole-run figure of a `steal-percent:` configuration line (the
	// largest, if several), else the mean of the per-result
	// steal-percent metrics; -1 when none was recorded. Per-result figures
	// of short benchmarks are noisy, hence the preference.
	StealPercent float64

	lineSteal  float64 // sum of per-result steal-percent values
	lineSteals int

	// Samples holds the measurements of each benchmark in file order. A
	// file written by ppbench run has one line per benchmark per round,
	// in round order, so each slice is a benchmark's series over the
	// rounds: what a test for drift during the run needs. Sort a copy
	// for order statistics.
	Samples map[Bench][]float64
	// Facts holds, per benchmark, the fact values its lines carry
	// (schema.FactUnits: bytes or operations per token), by unit.
	Facts map[Bench]map[string]float64
}

// An Instance is every launch of one instance type, pooled.
type Instance struct {
	Name     string
	Launches []*Launch // in the order the files were given

	// Samples pools the launches' measurements of each benchmark,
	// ascending.
	Samples map[Bench][]float64
	// Facts holds each benchmark's fact values (Launch.Facts), by unit,
	// from the launches in order: a later launch's value replaces an
	// earlier one's, which the same build of the suite never changes.
	Facts map[Bench]map[string]float64

	machine, cpu string // of the first launch (see reader.launch)
}

// Config returns configuration key from the instance's first launch.
func (in *Instance) Config(key string) string { return in.Launches[0].Config[key] }

// Benches returns the instance's benchmarks in a stable order: by kernel
// (suite order first), parameters as numbers where they are numbers,
// tier and threads.
func (in *Instance) Benches() []Bench {
	out := make([]Bench, 0, len(in.Samples))
	for b := range in.Samples {
		out = append(out, b)
	}
	slices.SortFunc(out, CompareBench)
	return out
}

// A Set is everything read from the inputs.
type Set struct {
	// Instances in the order their first results were read, so that the
	// first file's instance comes first.
	Instances []*Instance
	// Notes records results that were read but not used (benchmarks with
	// no rate metric, an instance name overriding the file's, a file with
	// no results, a cut last line), so that the report can say so.
	Notes []string
}

// Instance returns the named instance, or nil.
func (s *Set) Instance(name string) *Instance {
	for _, in := range s.Instances {
		if in.Name == name {
			return in
		}
	}
	return nil
}

// CompareBench orders benchmarks: suite kernels first in suite order, then
// others by name; then by parameters (numerically where both are numbers),
// tier, threads (1, cores, all) and unit.
func CompareBench(a, b Bench) int {
	if c := schema.KernelRank(a.Kernel) - schema.KernelRank(b.Kernel); c != 0 {
		return c
	}
	if c := strings.Compare(a.Kernel, b.Kernel); c != 0 {
		return c
	}
	if c := compareParams(a.Params, b.Params); c != 0 {
		return c
	}
	if c := strings.Compare(a.Tier, b.Tier); c != 0 {
		return c
	}
	if c := schema.ThreadsRank(a.Threads) - schema.ThreadsRank(b.Threads); c != 0 {
		return c
	}
	if c := strings.Compare(a.Threads, b.Threads); c != 0 {
		return c
	}
	return strings.Compare(a.Unit, b.Unit)
}

// compareParams compares "k=v/k=v" lists part by part, numerically where
// both values are numbers, so n=512 sorts before n=1024.
func compareParams(a, b string) int {
	as, bs := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(as) && i < len(bs); i++ {
		ak, av, _ := strings.Cut(as[i], "=")
		bk, bv, _ := strings.Cut(bs[i], "=")
		if c := strings.Compare(ak, bk); c != 0 {
			return c
		}
		an, aerr := strconv.ParseFloat(av, 64)
		bn, berr := strconv.ParseFloat(bv, 64)
		if aerr == nil && berr == nil {
			if an != bn {
				if an < bn {
					return -1
				}
				return 1
			}
			continue
		}
		if c := strings.Compare(av, bv); c != 0 {
			return c
		}
	}
	return len(as) - len(bs)
}
