// Package results reads ppbench results, Go benchmark format files
// written by `go test -bench ./bench` or `ppbench run`, into samples
// grouped by instance type and benchmark.
//
// Reading uses golang.org/x/perf: benchfmt.Files parses the files and
// benchproc groups results by the `instance` configuration key, the file
// (one file is one launch of an instance) and the benchmark's full name
// without its GOMAXPROCS suffix, so that rows line up across instance
// sizes the way `benchstat -ignore /gomaxprocs` lines them up.
//
// Read rejects input that would make a report silently wrong: a malformed
// line, a NaN or infinite value, a non-positive throughput, a suite kernel
// without its throughput unit, a file with no results, an instance that is
// unknown and not named on the command line. Each error is one line,
// "FILE:LINE: what is wrong".
package results

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
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
// containing '=' still works.
func ParseInput(arg string) Input {
	name, path, ok := strings.Cut(arg, "=")
	if !ok || name == "" || strings.ContainsRune(name, os.PathSeparator) {
		return Input{Path: arg}
	}
	if _, err := os.Stat(arg); err == nil {
		return Input{Path: arg}
	}
	return Input{Path: path, Instance: name}
}

// A Bench identifies one benchmark row: what was run, with how many
// threads, with which kernel tier, in which unit. Benches compare equal
// across instances of different sizes.
type Bench struct {
	Kernel string // a schema kernel, or another benchmark's base name
	// Params holds the name's key=value parts other than threads and
	// impl, in name order, joined by '/': "n=1024",
	// "seq=2048/dim=64/heads=8/causal=true".
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
// "Attention/seq=2048/dim=64/heads=8/threads=all/causal=true". The parts
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

	// Samples holds the measurements of each benchmark, ascending.
	Samples map[Bench][]float64
}

// An Instance is every launch of one instance type, pooled.
type Instance struct {
	Name     string
	Launches []*Launch // in the order the files were given

	// Samples pools the launches' measurements of each benchmark,
	// ascending.
	Samples map[Bench][]float64
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
	// no rate metric, an instance name overriding the file's), so that
	// the report can say so.
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

// benchInfo caches what a benchproc key of a benchmark value means, so
// each distinct name is parsed once however many samples it has.
type benchInfo struct {
	bench Bench
	skip  bool // not a rate: ns/op, B/op, steal-percent, ...
	steal bool
	err   string // the name is not usable
}

// Read reads inputs and groups their results. See the package comment for
// what it rejects.
func Read(inputs []Input) (*Set, error) {
	if len(inputs) == 0 {
		return nil, errors.New("no results files given")
	}
	override := map[string]string{} // path -> instance
	paths := make([]string, len(inputs))
	for i, in := range inputs {
		if _, dup := override[in.Path]; dup {
			return nil, fmt.Errorf("%s: given twice; its samples would count twice", in.Path)
		}
		override[in.Path] = in.Instance
		paths[i] = in.Path
	}

	// Group by instance and file; by full name (GOMAXPROCS excluded,
	// because it is parsed as a projection of its own), kernel tier and
	// unit.
	var parser benchproc.ProjectionParser
	launchProj, err := parser.Parse(schema.ConfigInstance+",.file", nil)
	if err != nil {
		return nil, err
	}
	if _, err := parser.Parse("/gomaxprocs", nil); err != nil {
		return nil, err
	}
	benchProj, _, err := parser.ParseWithUnit(".fullname,"+schema.ConfigKernelImpl, nil)
	if err != nil {
		return nil, err
	}
	instField := launchProj.Fields()[0]

	files := &benchfmt.Files{Paths: paths}
	set := &Set{}
	launches := map[benchproc.Key]*Launch{}
	byName := map[string]*Instance{}
	benches := map[benchproc.Key]*benchInfo{}
	skipped := map[string]bool{}
	lastLine := map[string]int{} // file -> line of its last result
	overridden := map[string]bool{}

	for files.Scan() {
		var res *benchfmt.Result
		switch rec := files.Result().(type) {
		case *benchfmt.SyntaxError:
			return nil, rec
		case *benchfmt.Result:
			res = rec
		default:
			continue // unit metadata
		}
		file, line := res.Pos()
		lastLine[file] = line

		inst := res.GetConfig(schema.ConfigInstance)
		if name := override[file]; name != "" {
			if inst != "" && inst != schema.Unknown && inst != name && !overridden[file] {
				set.Notes = append(set.Notes, fmt.Sprintf("%s: the file says instance %s; %s from the command line wins", file, inst, name))
				overridden[file] = true
			}
			if inst != name {
				res.SetConfig(schema.ConfigInstance, name)
			}
		} else if inst == "" || inst == schema.Unknown {
			// A host outside a cloud (or one that hides its DMI) still gets
			// its performance reported, under a label that cannot be taken
			// for an instance type and so has no price.
			name := unknownLabel(res)
			res.SetConfig(schema.ConfigInstance, name)
			if !overridden[file] {
				set.Notes = append(set.Notes, fmt.Sprintf("%s: instance unknown, shown as %q without a price; name it on the command line as NAME=%s to price it", file, name, file))
				overridden[file] = true
			}
		}

		lk := launchProj.Project(res)
		l := launches[lk]
		if l == nil {
			l = newLaunch(file, line, res)
			launches[lk] = l
			name := lk.Get(instField)
			in := byName[name]
			if in == nil {
				in = &Instance{Name: name, Samples: map[Bench][]float64{}}
				byName[name] = in
				set.Instances = append(set.Instances, in)
			}
			in.Launches = append(in.Launches, l)
		}
		if v := res.GetConfig(schema.ConfigSteal); v != "" {
			if err := l.noteSteal(v); err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %v", file, line, schema.ConfigSteal, err)
			}
		}

		keys := benchProj.ProjectValues(res)
		used := false
		for i, v := range res.Values {
			if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
				return nil, fmt.Errorf("%s:%d: Benchmark%s: %s is not a finite number", file, line, res.Name, describe(v))
			}
			info := benches[keys[i]]
			if info == nil {
				info = classify(res, v.Unit)
				benches[keys[i]] = info
			}
			switch {
			case info.steal:
				l.lineSteal += v.Value
				l.lineSteals++
			case info.err != "":
				return nil, fmt.Errorf("%s:%d: Benchmark%s: %s", file, line, res.Name, info.err)
			case info.skip:
			default:
				if v.Value <= 0 {
					return nil, fmt.Errorf("%s:%d: Benchmark%s: %v %s: a throughput must be positive", file, line, res.Name, v.Value, v.Unit)
				}
				l.Samples[info.bench] = append(l.Samples[info.bench], v.Value)
				used = true
			}
		}
		if !used {
			base, _ := res.Name.Parts()
			if k, ok := schema.LookupKernel(string(base)); ok {
				return nil, fmt.Errorf("%s:%d: Benchmark%s: no %s measurement", file, line, res.Name, k.Unit)
			}
			if n := string(base); !skipped[n] {
				skipped[n] = true
				set.Notes = append(set.Notes, fmt.Sprintf("%s:%d: Benchmark%s has no rate metric (unit ending in /s); its results are left out", file, line, n))
			}
		}
	}
	if err := files.Err(); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: cannot read: %v", pe.Path, pe.Err)
		}
		return nil, err
	}
	for _, p := range paths {
		if _, ok := lastLine[p]; !ok {
			return nil, fmt.Errorf("%s: no benchmark results (empty file, or no Benchmark lines)", p)
		}
	}
	for _, l := range launches {
		if err := readTrailer(l, lastLine[l.File]); err != nil {
			return nil, err
		}
	}
	for _, in := range set.Instances {
		for _, l := range in.Launches {
			if l.StealPercent < 0 && l.lineSteals > 0 {
				l.StealPercent = l.lineSteal / float64(l.lineSteals)
			}
			for b, vs := range l.Samples {
				slices.Sort(vs)
				in.Samples[b] = append(in.Samples[b], vs...)
			}
		}
		for _, vs := range in.Samples {
			slices.Sort(vs)
		}
		if len(in.Samples) == 0 {
			l := in.Launches[0]
			return nil, fmt.Errorf("%s:%d: instance %s has no throughput results", l.File, l.Line, in.Name)
		}
	}
	return set, nil
}

func newLaunch(file string, line int, res *benchfmt.Result) *Launch {
	l := &Launch{File: file, Line: line, Config: map[string]string{}, StealPercent: -1, Samples: map[Bench][]float64{}}
	for _, c := range res.Config {
		if c.File || c.Key == schema.ConfigInstance {
			l.Config[c.Key] = string(c.Value)
		}
	}
	return l
}

func (l *Launch) noteSteal(v string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return fmt.Errorf("%q is not a percentage", v)
	}
	l.StealPercent = max(l.StealPercent, f)
	return nil
}

// describe shows a value in the unit the file used where benchfmt kept it.
func describe(v benchfmt.Value) string {
	if v.OrigUnit != "" && (math.IsNaN(v.OrigValue) || math.IsInf(v.OrigValue, 0)) {
		return fmt.Sprintf("%v %s", v.OrigValue, v.OrigUnit)
	}
	return fmt.Sprintf("%v %s", v.Value, v.Unit)
}

// classify works out what a value of unit in result res measures.
func classify(res *benchfmt.Result, unit string) *benchInfo {
	if unit == schema.UnitSteal {
		return &benchInfo{steal: true}
	}
	base, parts := res.Name.Parts()
	kernel := string(base)
	k, suite := schema.LookupKernel(kernel)
	switch {
	case suite && unit != k.Unit:
		return &benchInfo{skip: true}
	case !suite && !strings.HasSuffix(unit, "/s"):
		return &benchInfo{skip: true}
	}
	b := Bench{Kernel: kernel, Unit: unit, Tier: res.GetConfig(schema.ConfigKernelImpl)}
	var params []string
	for _, p := range parts {
		if p[0] == '-' {
			continue // GOMAXPROCS
		}
		k, v, ok := strings.Cut(string(p[1:]), "=")
		switch {
		case !ok:
			params = append(params, k)
		case k == schema.KeyThreads:
			b.Threads = v
		case k == schema.KeyImpl:
			b.Tier = v
		case k == "gomaxprocs":
		default:
			params = append(params, k+"="+v)
		}
	}
	if suite && b.Threads == "" {
		return &benchInfo{err: "no threads= key (want threads=1, threads=all or threads=cores)"}
	}
	b.Params = strings.Join(params, "/")
	return &benchInfo{bench: b}
}

// readTrailer reads the configuration lines after a launch's last result:
// benchfmt attaches configuration only to the results that follow it, so
// a closing `steal-percent: 0.4` line would otherwise be lost.
func readTrailer(l *Launch, after int) error {
	f, err := os.Open(l.File)
	if err != nil {
		return fmt.Errorf("%s: cannot read: %v", l.File, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		if line <= after {
			continue
		}
		key, val, ok := bytes.Cut(sc.Bytes(), []byte(": "))
		if ok && string(key) == schema.ConfigSteal {
			if err := l.noteSteal(string(val)); err != nil {
				return fmt.Errorf("%s:%d: %s: %v", l.File, line, schema.ConfigSteal, err)
			}
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

// unknownLabel names the host of a result whose instance is unknown by
// what it is: CPU model and vCPU count, so that files from one kind of
// host pool together and files from different ones do not.
func unknownLabel(res *benchfmt.Result) string {
	model := res.GetConfig(schema.ConfigCPUModel)
	if model == "" {
		model = "unknown CPU"
	}
	vcpus := res.GetConfig(schema.ConfigVCPUs)
	if vcpus == "" {
		vcpus = "?"
	}
	return fmt.Sprintf("unknown (%s, %s vCPUs)", model, vcpus)
}
