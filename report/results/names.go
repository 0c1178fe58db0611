package results

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchproc"
)

// A namer takes benchmark names apart with benchproc projections, as
// benchstat does, so that a key means here what it means to benchstat:
// one projection has the base name, each key of schema.NameKeys and the
// two configuration keys that change what a name measures (kernel-impl
// and pkg); the parser's residue has whatever else a name holds. The
// launch projection comes from the same parser, because the residue is
// what none of the parser's projections claims.
type namer struct {
	launch   *benchproc.Projection // instance, .file: one launch
	instance *benchproc.Field
	name     *benchproc.Projection
	fields   map[string]*benchproc.Field // name's fields by projection key
	residue  *benchproc.Projection
	rest     *benchproc.Field // the residue's .fullname
	parsed   map[nameKey]*name
}

type nameKey struct {
	name benchproc.Key
	rest string // the name without .name, NameKeys and GOMAXPROCS
}

// A name is what a result's name, with its file's kernel tier, says it
// measures.
type name struct {
	bench  Bench // without Unit, which each value has its own
	kernel schema.Kernel
	suite  bool
	// noThreads is set for a suite kernel without a threads key: an
	// error once the result turns out to have a throughput (without one
	// it is the missing throughput that is reported).
	noThreads bool
	// skip is set for a benchmark of the suite's package that is not a
	// suite kernel: the suite's own comparisons (BenchmarkCompare), or a
	// kernel of a newer ppbench. It is counted and left out, never read
	// as some other tool's benchmark.
	skip bool
	err  error
}

func newNamer() (*namer, error) {
	var parser benchproc.ProjectionParser
	nm := &namer{fields: map[string]*benchproc.Field{}, parsed: map[nameKey]*name{}}
	var err error
	if nm.launch, err = parser.Parse(schema.ConfigInstance+",.file", nil); err != nil {
		return nil, err
	}
	nm.instance = nm.launch.Fields()[0]
	// GOMAXPROCS is parsed only to keep it out of the residue: a
	// benchmark is the same on every instance size.
	if _, err := parser.Parse("/gomaxprocs", nil); err != nil {
		return nil, err
	}
	parts := []string{".name"}
	for _, k := range schema.NameKeys {
		parts = append(parts, "/"+k)
	}
	parts = append(append(parts, schema.TierKeys()...), schema.ConfigPkg)
	if nm.name, err = parser.Parse(strings.Join(parts, ","), nil); err != nil {
		return nil, err
	}
	for _, f := range nm.name.Fields() {
		nm.fields[f.Name] = f
	}
	// The residue must be taken after every projection is parsed: it
	// is what none of them claims.
	nm.residue = parser.Residue()
	for _, f := range nm.residue.Fields() {
		if f.Name == ".fullname" {
			nm.rest = f
		}
	}
	if nm.rest == nil {
		return nil, errors.New("results: benchproc's residue has no .fullname")
	}
	return nm, nil
}

// parse returns what res measures, parsing each distinct name once however
// many results have it.
func (nm *namer) parse(res *benchfmt.Result) *name {
	k := nameKey{nm.name.Project(res), nm.residue.Project(res).Get(nm.rest)}
	n := nm.parsed[k]
	if n == nil {
		n = nm.split(k)
		nm.parsed[k] = n
	}
	return n
}

// split builds the name of a projected key.
func (nm *namer) split(k nameKey) *name {
	get := func(field string) string { return k.name.Get(nm.fields[field]) }
	b := Bench{Kernel: get(".name"), Threads: get("/" + schema.KeyThreads), Tier: get(schema.ConfigKernelImpl)}
	// Each data type has tiers of its own: a suite kernel's tier is the
	// one its schema entry's configuration key names.
	if k, ok := schema.LookupKernel(b.Kernel); ok {
		typeValue := "" // the weights of an LLM pass name its data type
		if k.TypeKey != "" {
			typeValue = get("/" + k.TypeKey)
		}
		b.Tier = get(k.TierKeyOf(typeValue))
	}
	if t := get("/" + schema.KeyImpl); t != "" {
		b.Tier = t
	}
	var params []string
	for _, key := range schema.NameKeys {
		if v := get("/" + key); v != "" && key != schema.KeyThreads && key != schema.KeyImpl {
			params = append(params, key+"="+v)
		}
	}
	// The residue is the full name with the base name as "*" and the
	// projected keys deleted: "*" or "*/batch=8".
	rest := strings.TrimPrefix(strings.TrimPrefix(k.rest, "*"), "/")
	n := &name{}
	n.kernel, n.suite = schema.LookupKernel(b.Kernel)
	switch {
	case !n.suite && get(schema.ConfigPkg) == schema.SuitePkg:
		n.skip = true
	case n.suite && rest != "":
		key, _, _ := strings.Cut(rest, "/")
		key, _, _ = strings.Cut(key, "=")
		n.err = fmt.Errorf("name key %s is not one of the suite's (%s)", key, strings.Join(schema.NameKeys, ", "))
	case n.suite && b.Threads == "":
		n.noThreads = true
	}
	if rest != "" {
		params = append(params, rest)
	}
	b.Params = strings.Join(params, "/")
	n.bench = b
	return n
}

// A unitKind is what a value of some unit is to the report.
type unitKind int

const (
	ignored    unitKind = iota // not a rate: ns/op, B/op, another kernel's unit
	throughput                 // a sample
	steal                      // schema.UnitSteal: the host's steal time
	fact                       // one of schema.FactUnits: constant per benchmark
)

// kind classifies a value of unit in a result named n.
func (n *name) kind(unit string) unitKind {
	switch {
	case unit == schema.UnitSteal:
		return steal
	case n.suite && slices.Contains(schema.FactUnits(), unit):
		return fact
	case n.suite && unit != n.kernel.Unit:
		return ignored
	case !n.suite && !strings.HasSuffix(unit, "/s"):
		return ignored
	}
	return throughput
}
