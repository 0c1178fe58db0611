package results

import (
	"bytes"
	"errors"
	"fmt"
	"hash"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
)

// A reader is the state of one Read: results are added one at a time as
// benchfmt scans them, then finish checks and pools what was added.
type reader struct {
	files    []*file
	byPath   map[string]*file
	names    *namer
	set      *Set
	launches map[benchproc.Key]*Launch
	byName   map[string]*Instance
	skipped  map[string]bool // benchmarks noted as having no rate metric
}

// Read reads inputs and groups their results. See the package comment for
// what it rejects.
func Read(inputs []Input) (*Set, error) {
	rd, err := newReader(inputs)
	if err != nil {
		return nil, err
	}
	for _, f := range rd.files {
		if err := rd.readFile(f); err != nil {
			return nil, err
		}
	}
	return rd.finish()
}

func newReader(inputs []Input) (*reader, error) {
	if len(inputs) == 0 {
		return nil, errors.New("no results files given")
	}
	names, err := newNamer()
	if err != nil {
		return nil, err
	}
	rd := &reader{
		byPath:   map[string]*file{},
		names:    names,
		set:      &Set{},
		launches: map[benchproc.Key]*Launch{},
		byName:   map[string]*Instance{},
		skipped:  map[string]bool{},
	}
	for _, in := range inputs {
		if in.Instance != "" {
			if err := schema.CheckName(in.Instance); err != nil {
				return nil, fmt.Errorf("%s: instance name: %w", in.Path, err)
			}
		}
		// A FIFO given twice is refused before it is opened again,
		// which would wait for a second writer.
		if info, err := os.Stat(in.Path); err == nil {
			if err := rd.checkTwice(in.Path, info); err != nil {
				return nil, err
			}
		}
		f, err := load(in)
		if err != nil {
			return nil, err
		}
		if err := rd.checkTwice(f.path, f.info); err != nil {
			return nil, err
		}
		rd.files = append(rd.files, f)
		rd.byPath[f.path] = f
	}
	return rd, nil
}

// checkTwice refuses a file given before under another name (a relative
// and an absolute path, a symlink, a hard link): its samples would count
// as another launch, narrowing every interval and showing no spread
// between launches.
func (rd *reader) checkTwice(path string, info os.FileInfo) error {
	for _, g := range rd.files {
		if os.SameFile(info, g.info) {
			return fmt.Errorf("%s: given twice (also as %s); its samples would count twice", path, g.path)
		}
	}
	return nil
}

// checkCopies refuses a file with the results of an earlier file: the
// same benchmarks, iterations and values under the same configuration
// (host-id among it), whatever its line ends, blank lines or comments (see
// file.sum). A copy counts twice as surely as a second name does, and two
// runs never measure the same numbers. Files without results are not
// compared: two runs killed at once on one kind of host leave the same
// header.
func (rd *reader) checkCopies() error {
	for i, f := range rd.files {
		for _, g := range rd.files[:i] {
			if f.results > 0 && g.results > 0 && f.sum == g.sum {
				return fmt.Errorf("%s: the same results as %s (a copy?); its samples would count twice", f.path, g.path)
			}
		}
	}
	return nil
}

// readFile scans f's results into the reader.
func (rd *reader) readFile(f *file) error {
	br := benchfmt.NewReader(nil, "")
	// Like benchfmt.Files, the launch projection tells files apart by
	// .file, which no line of a file can set.
	br.Reset(bytes.NewReader(f.data), f.path, ".file", f.path)
	for br.Scan() {
		// Unit metadata needs nothing: the suite's units are known,
		// and other benchmarks' rates are told by their /s.
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			return rec
		case *benchfmt.Result:
			if err := rd.add(f, rec); err != nil {
				return err
			}
		}
	}
	copy(f.sum[:], f.content.Sum(nil))
	// The data is in memory and load checked every line's length, so
	// the scanner has nothing left to fail on; this is for safety.
	return br.Err()
}

// add files one result of f under its launch.
func (rd *reader) add(f *file, res *benchfmt.Result) error {
	file, line := res.Pos()
	if err := f.checkHost(line); err != nil {
		return err
	}
	if res.Iters < 1 {
		return fmt.Errorf("%s:%d: Benchmark%s: %d iterations: want a positive count", file, line, res.Name, res.Iters)
	}
	hashResult(f.content, res)
	f.results++
	if f.results > maxResults {
		return fmt.Errorf("%s:%d: more than %d results in one file; a run of the whole suite with -count 1000 has about 100,000: give each run a file of its own", file, line, maxResults)
	}
	f.lastLine = line
	rd.nameInstance(f, res)
	n := rd.names.parse(res)
	if n.skip {
		f.results-- // counted above against the bound, but not read
		if f.skipped++; f.firstSkipped == "" {
			f.firstSkipped = "Benchmark" + res.Name.String()
		}
		return nil
	}
	l, err := rd.launch(file, line, res)
	if err != nil {
		return err
	}
	if v := res.GetConfig(schema.ConfigSteal); v != "" {
		if err := l.noteSteal(v); err != nil {
			return fmt.Errorf("%s:%d: %s: %w", file, line, schema.ConfigSteal, err)
		}
	}
	if n.err != nil {
		return fmt.Errorf("%s:%d: Benchmark%s: %w", file, line, res.Name, n.err)
	}
	return rd.addValues(res, n, l)
}

// nameInstance sets the instance configuration of res to the instance it
// is reported under: the one named on the command line for its file, else
// the file's own, else a label for an unknown host.
func (rd *reader) nameInstance(f *file, res *benchfmt.Result) {
	inst := res.GetConfig(schema.ConfigInstance)
	if name := f.instance; name != "" {
		if inst != "" && inst != schema.Unknown && inst != name && !f.noted {
			rd.note("%s: the file says instance %s; %s from the command line wins", f.path, inst, name)
			f.noted = true
		}
		if inst != name {
			res.SetConfig(schema.ConfigInstance, name)
		}
		return
	}
	if inst != "" && inst != schema.Unknown {
		return
	}
	// A host outside a cloud (or one that hides its DMI) still gets its
	// performance reported, under a label that cannot be taken for an
	// instance type and so has no price.
	name := unknownLabel(res)
	res.SetConfig(schema.ConfigInstance, name)
	if !f.noted {
		rd.note("%s: instance unknown, shown as %q without a price; to price it, name its type in the report's arguments (ppbench report NAME=%s) or before the run (PPBENCH_INSTANCE=NAME make run)", f.path, name, f.path)
		f.noted = true
	}
}

func (rd *reader) note(format string, args ...any) {
	rd.set.Notes = append(rd.set.Notes, fmt.Sprintf(format, args...))
}

// launch returns the launch of res (its instance and file), starting a
// new one, and a new instance, at their first result. Files from
// different hosts are never launches of one instance: a named instance
// whose files disagree on the CPU is an error, and an unknown host gets
// an instance of its own for each machine (host-id, CPU, features,
// caches), numbered from the second.
func (rd *reader) launch(file string, line int, res *benchfmt.Result) (*Launch, error) {
	k := rd.names.launch.Project(res)
	if l := rd.launches[k]; l != nil {
		return l, nil
	}
	l := newLaunch(file, line, res)
	name := k.Get(rd.names.instance)
	machine := machineOf(res)
	in := rd.byName[name]
	if unknown := strings.HasPrefix(name, schema.Unknown+" ("); unknown {
		label := name
		for n := 2; in != nil && in.machine != machine; n++ {
			label = fmt.Sprintf("%s #%d", name, n)
			in = rd.byName[label]
		}
		if label != name && in == nil {
			rd.note("%s: another machine than the one also shown as %q; shown as %q", file, name, label)
		}
		name = label
	} else if in != nil && in.cpu != cpuOf(res) {
		return nil, fmt.Errorf("%s:%d: instance %s: the CPU (%s) is not that of its other launches (%s, in %s): not launches of one instance type; name the files apart with NAME=FILE",
			file, line, name, cpuOf(res), in.cpu, in.Launches[0].File)
	}
	rd.launches[k] = l
	if in == nil {
		in = &Instance{Name: name, Samples: map[Bench][]float64{}, Facts: map[Bench]map[string]float64{}, machine: machine, cpu: cpuOf(res)}
		rd.byName[name] = in
		rd.set.Instances = append(rd.set.Instances, in)
	}
	in.Launches = append(in.Launches, l)
	return l, nil
}

// cpuOf names the CPU a result ran on: model and microarchitecture.
func cpuOf(res *benchfmt.Result) string {
	cpu := res.GetConfig(schema.ConfigCPUModel)
	if u := res.GetConfig(schema.ConfigCPUUarch); u != "" && u != schema.Unknown {
		cpu += ", " + u
	}
	return cpu
}

// machineOf identifies the machine a result ran on as far as its file
// says: the host, CPU, features and caches.
func machineOf(res *benchfmt.Result) string {
	var b strings.Builder
	for _, k := range []string{schema.ConfigHostID, schema.ConfigCPUModel, schema.ConfigCPUUarch, schema.ConfigCPUFeatures,
		schema.ConfigCacheL1D, schema.ConfigCacheL2, schema.ConfigCacheL3, schema.ConfigVCPUs} {
		b.WriteString(res.GetConfig(k) + "\x00")
	}
	return b.String()
}

func newLaunch(file string, line int, res *benchfmt.Result) *Launch {
	l := &Launch{File: file, Line: line, Config: map[string]string{}, StealPercent: -1, Samples: map[Bench][]float64{}, Facts: map[Bench]map[string]float64{}}
	for _, c := range res.Config {
		if c.File || c.Key == schema.ConfigInstance {
			l.Config[c.Key] = string(c.Value)
		}
	}
	return l
}

// addValues adds the values of res, named n, to launch l: throughputs as
// samples, steal time to the launch's figure; the rest is left out.
func (rd *reader) addValues(res *benchfmt.Result, n *name, l *Launch) error {
	file, line := res.Pos()
	used := false
	for _, v := range res.Values {
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
			return fmt.Errorf("%s:%d: Benchmark%s: %s is not a finite number", file, line, res.Name, describe(v))
		}
		switch n.kind(v.Unit) {
		case steal:
			if !(v.Value >= 0 && v.Value <= 100) {
				return fmt.Errorf("%s:%d: Benchmark%s: %v %s: want a percentage from 0 to 100", file, line, res.Name, v.Value, v.Unit)
			}
			l.lineSteal += v.Value
			l.lineSteals++
		case fact:
			if !(v.Value > 0) {
				return fmt.Errorf("%s:%d: Benchmark%s: %v %s: want a positive amount", file, line, res.Name, v.Value, v.Unit)
			}
			b := n.bench
			b.Unit = n.kernel.Unit
			if l.Facts[b] == nil {
				l.Facts[b] = map[string]float64{}
			}
			l.Facts[b][v.Unit] = v.Value
		case throughput:
			if n.noThreads {
				t := schema.KeyThreads
				return fmt.Errorf("%s:%d: Benchmark%s: no %s= key (want %s=%s, %s=%s or %s=%s)", file, line, res.Name,
					t, t, schema.ThreadsOne, t, schema.ThreadsAll, t, schema.ThreadsCores)
			}
			if v.Value <= 0 {
				return fmt.Errorf("%s:%d: Benchmark%s: %v %s: a throughput must be positive", file, line, res.Name, v.Value, v.Unit)
			}
			if v.Value < minThroughput || v.Value > maxThroughput {
				return fmt.Errorf("%s:%d: Benchmark%s: %v %s: outside %g to %g, where the report's arithmetic (work per dollar, ratios, their intervals) stays finite", file, line, res.Name, v.Value, v.Unit, minThroughput, maxThroughput)
			}
			b := n.bench
			b.Unit = v.Unit
			l.Samples[b] = append(l.Samples[b], v.Value)
			used = true
		}
	}
	switch {
	case used:
	case n.suite:
		return fmt.Errorf("%s:%d: Benchmark%s: no %s measurement", file, line, res.Name, n.kernel.Unit)
	case !rd.skipped[n.bench.Kernel]:
		rd.skipped[n.bench.Kernel] = true
		rd.note("%s:%d: Benchmark%s has no rate metric (unit ending in /s); its results are left out", file, line, n.bench.Kernel)
	}
	return nil
}

// Throughputs outside these bounds are refused as they are read: no
// machine measures 1e18 of any unit per second, nor 1e-18, and within
// them every figure the report derives (a rate times 3600 over a price of
// a tenth of a cent, a ratio of two rates, the bootstrap's geomeans) is
// finite, so that no ∞ or 300-digit ratio reaches a table.
const (
	minThroughput = 1e-18
	maxThroughput = 1e18
)

// hashResult adds res to a file's content hash: its name, iterations,
// values and units, and the file's configuration in force at it with
// values trimmed (benchfmt keeps a CRLF file's '\r').
func hashResult(h hash.Hash, res *benchfmt.Result) {
	fmt.Fprintf(h, "%s\x00%d\x00", res.Name, res.Iters)
	for _, c := range res.Config {
		if c.File {
			fmt.Fprintf(h, "%s\x00%s\x00", c.Key, bytes.TrimSpace(c.Value))
		}
	}
	for _, v := range res.Values {
		fmt.Fprintf(h, "%v\x00%s\x00", v.Value, v.Unit)
	}
	h.Write([]byte{'\n'})
}

// finish notes the files a run was cut short in, reads the steal lines
// that close each file, and pools each instance's launches. A file with
// no results, which a run killed in its first moments leaves, is left
// out with a note; the others are still reported.
func (rd *reader) finish() (*Set, error) {
	if err := rd.checkCopies(); err != nil {
		return nil, err
	}
	var none []error // why each file without results has none
	for _, f := range rd.files {
		switch {
		case f.results == 0:
			err := f.noResults()
			if !errors.Is(err, errCut) && !errors.Is(err, errEmpty) {
				return nil, err
			}
			none = append(none, err)
			rd.note("%v", err)
		case f.cut > 0:
			rd.note("%s:%d: cut in the middle of a line; the %d results before it are kept", f.path, f.cut, f.results)
		}
		if f.skipped > 0 {
			rd.note("%s: %d results of benchmarks that are not suite kernels left out (the first, %s): the suite's own comparison benchmarks, which `go test -bench .` runs too, or kernels of a newer ppbench",
				f.path, f.skipped, f.firstSkipped)
		}
	}
	if len(rd.set.Instances) == 0 {
		if len(none) > 1 {
			return nil, fmt.Errorf("%w (and %d more files have no results)", none[0], len(none)-1)
		}
		return nil, none[0]
	}
	for _, in := range rd.set.Instances {
		for _, l := range in.Launches {
			if err := rd.byPath[l.File].readTrailer(l); err != nil {
				return nil, err
			}
		}
	}
	for _, in := range rd.set.Instances {
		if err := in.checkArch(); err != nil {
			return nil, err
		}
	}
	for _, in := range rd.set.Instances {
		in.mergeSameHost(rd.note)
		if err := in.pool(rd.note); err != nil {
			return nil, err
		}
	}
	return rd.set, nil
}

// mergeSameHost makes one launch of the launches whose files name the same
// host-id: two runs on one machine are one draw of a host and its
// neighbours, however many files they were written to, and counting them
// as two would narrow every interval that resamples launches.
func (in *Instance) mergeSameHost(note func(string, ...any)) {
	first := map[string]*Launch{}
	kept := in.Launches[:0]
	for _, l := range in.Launches {
		id := l.Config[schema.ConfigHostID]
		f := first[id]
		if id == "" || f == nil {
			if id != "" {
				first[id] = l
			}
			kept = append(kept, l)
			continue
		}
		for b, vs := range l.Samples {
			f.Samples[b] = append(f.Samples[b], vs...)
		}
		copyFacts(f.Facts, l.Facts, factNote(note, in.Name, l.File))
		f.lineSteal += l.lineSteal
		f.lineSteals += l.lineSteals
		f.StealPercent = max(f.StealPercent, l.StealPercent)
		note("%s and %s come from the same host (%s %s): counted as one launch of %s, not two", f.File, l.File, schema.ConfigHostID, id, in.Name)
	}
	in.Launches = kept
}

// checkArch refuses an instance whose launches were measured by builds
// of different architectures (goarch): one instance type has one
// architecture, so one of them is misnamed, and pooling them mixes
// different kernels.
func (in *Instance) checkArch() error {
	first := in.Launches[0]
	for _, l := range in.Launches[1:] {
		if a, b := first.Config[schema.ConfigGOARCH], l.Config[schema.ConfigGOARCH]; a != "" && b != "" && a != b {
			return fmt.Errorf("%s:%d: instance %s measured by a %s build here and by a %s build in %s: one instance type has one architecture; is one file misnamed?",
				l.File, l.Line, in.Name, b, a, first.File)
		}
	}
	return nil
}

// pool settles each launch's steal figure and copies its samples into
// the instance's, which are sorted; the launch keeps its own in file
// order.
func (in *Instance) pool(note func(string, ...any)) error {
	for _, l := range in.Launches {
		if l.StealPercent < 0 && l.lineSteals > 0 {
			l.StealPercent = l.lineSteal / float64(l.lineSteals)
		}
		for b, vs := range l.Samples {
			// append copies vs, even onto nil: sorting the pool
			// leaves the launch's order alone.
			in.Samples[b] = append(in.Samples[b], vs...)
		}
		copyFacts(in.Facts, l.Facts, factNote(note, in.Name, l.File))
	}
	for _, vs := range in.Samples {
		slices.Sort(vs)
	}
	if len(in.Samples) == 0 {
		l := in.Launches[0]
		return fmt.Errorf("%s:%d: instance %s has no throughput results", l.File, l.Line, in.Name)
	}
	return nil
}

// copyFacts copies the facts of from into to, replacing what to has,
// and calls differ for each value it replaces with another.
func copyFacts(to, from map[Bench]map[string]float64, differ func(b Bench, unit string, was, is float64)) {
	for b, fs := range from {
		if to[b] == nil {
			to[b] = map[string]float64{}
		}
		for unit, v := range fs {
			if was, ok := to[b][unit]; ok && was != v {
				differ(b, unit, was, v)
			}
			to[b][unit] = v
		}
	}
}

// factNote returns copyFacts' differ for the launch in file of instance:
// launches that disagree on a fact (bytes or operations a token) were
// measured by builds that count the work differently, and the later
// file's count is the one the report uses, which the note says.
func factNote(note func(string, ...any), instance, file string) func(Bench, string, float64, float64) {
	return func(b Bench, unit string, was, is float64) {
		note("instance %s: %s gives Benchmark%s %s %g, an earlier launch %g (builds that count its work differently); the report uses %g", instance, file, b, unit, is, was, is)
	}
}

func (l *Launch) noteSteal(v string) error {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(f >= 0 && f <= 100) {
		return fmt.Errorf("%q is not a percentage from 0 to 100", v)
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
