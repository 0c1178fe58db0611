package runner

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/internal/schema"
)

// A Selection is what a run asks for on one host.
type Selection struct {
	Short   bool              // each kernel's short sizes only
	Threads string            // a -threads list in schema.ParseThreads's grammar; "" for the default
	Match   func(string) bool // selects benchmarks by name; nil for all
	Tiers   bench.Tiers       // the kernel tiers; zero fields for the widest
	Procs   int               // CPUs for threads=all (runtime.GOMAXPROCS)
	Cores   int               // physical cores, 0 when unknown
	VCPUs   int               // the host's vCPUs, 0 when unknown
	// LLMModels are the LLM passes' model shapes; nil for the suite's.
	LLMModels []string
}

// Cases returns the suite sel selects, in suite order, and warnings about
// thread keys that will not do what they seem to: more copies than vCPUs,
// fewer CPUs for threads=all than the host has, and threads=cores on a
// host without SMT (where it is dropped). A -threads
// list outside schema's grammar is an error.
func Cases(sel Selection) (cases []bench.Case, warnings []string, err error) {
	keys, err := schema.ParseThreads(sel.Threads)
	if err != nil {
		return nil, nil, err
	}
	for _, k := range keys {
		if n, ok := copiesOf(k); ok && sel.VCPUs > 0 && n > sel.VCPUs {
			warnings = append(warnings, fmt.Sprintf("threads=%d is more than the %d vCPUs of this host: copies will share CPUs", n, sel.VCPUs))
		}
	}
	if sel.VCPUs > 0 && sel.Procs < sel.VCPUs {
		// A CPU quota (a container, taskset, GOMAXPROCS): the whole host
		// is what the price buys, and threads=all would measure less.
		warnings = append(warnings, fmt.Sprintf("GOMAXPROCS is %d, below the host's %d vCPUs (a CPU quota or container limit?): threads=all runs %d copies, less than the instance's price buys",
			sel.Procs, sel.VCPUs, sel.Procs))
	}
	if slices.Contains(keys, schema.ThreadsCores) && !schema.SMT(sel.Cores, sel.Procs) {
		warnings = append(warnings, fmt.Sprintf("threads=%s skipped: without SMT it is threads=%s (%d physical cores, %d CPUs)",
			schema.ThreadsCores, schema.ThreadsAll, sel.Cores, sel.Procs))
	}
	cases, err = bench.Suite(bench.Options{Short: sel.Short, AllThreads: sel.Procs, Cores: sel.Cores, Threads: keys, Tiers: sel.Tiers,
		MemAvailable: memAvailableFunc(), LLMModels: sel.LLMModels})
	if err != nil {
		return nil, nil, err
	}
	if sel.Match != nil {
		cases = bench.Filter(cases, sel.Match)
	}
	return cases, warnings, nil
}

// copiesOf returns the number of copies of a numeric thread key.
func copiesOf(key string) (int, bool) {
	n, err := strconv.Atoi(key)
	return n, err == nil
}
