package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/benchfmttest"
	"github.com/ppbench/ppbench/internal/schema"
	"golang.org/x/perf/benchfmt"
)

// TestGoTestAndRunInterchange is the headline promise: files written by
// `go test -bench ./bench` and by `ppbench run` for the same benchmarks
// have the same names, keys, units and configuration keys, so benchstat
// and the report mix them freely. It runs both, one op per benchmark.
func TestGoTestAndRunInterchange(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the bench package's tests with the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	t.Setenv(host.EnvInstance, "c7g.xlarge")
	t.Setenv(host.EnvRegion, "")
	// The LLM passes on the tiny model: the names, units and facts are
	// what is compared, and a 1B-parameter prefill would take minutes.
	t.Setenv(bench.EnvLLMModels, "tiny")
	pattern := interchangePattern(t)
	dir := t.TempDir()

	cmd := exec.Command(goTool, "test", "-run", "^$", "-bench", pattern, "-benchtime", "1x", "-count", "1", "-short", "./bench")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go test -bench: %v\n%s", err, stderr.String())
	}
	goTestFile := filepath.Join(dir, "gotest.txt")
	if err := os.WriteFile(goTestFile, out, 0o644); err != nil {
		t.Fatal(err)
	}

	runFile := filepath.Join(dir, "run.txt")
	var runOut, runErr bytes.Buffer
	if code := mainExit([]string{"run", "-bench", pattern, "-benchtime", "1x", "-count", "1", "-short", "-o", runFile}, &runOut, &runErr); code != 0 {
		t.Fatalf("ppbench run: exit %d\n%s", code, runErr.String())
	}

	gt, run := describe(benchfmttest.Read(t, goTestFile)), describe(benchfmttest.Read(t, runFile))
	if len(gt.names) == 0 {
		t.Fatalf("go test wrote no results:\n%s", out)
	}
	if !slices.Equal(gt.names, run.names) {
		t.Errorf("names differ:\ngo test:     %q\nppbench run: %q", gt.names, run.names)
	}
	if !slices.Equal(gt.units, run.units) {
		t.Errorf("units differ:\ngo test:     %q\nppbench run: %q", gt.units, run.units)
	}
	// go test prints its goos/goarch/pkg/cpu lines after TestMain's
	// header, ppbench run before it; configuration is a set of keys, so
	// only the keys must agree.
	slices.Sort(gt.config)
	slices.Sort(run.config)
	if !slices.Equal(gt.config, run.config) {
		t.Errorf("config keys differ:\ngo test:     %q\nppbench run: %q", gt.config, run.config)
	}
	for _, f := range []fileShape{gt, run} {
		if f.pkg != schema.SuitePkg {
			t.Errorf("pkg %q, want %q", f.pkg, schema.SuitePkg)
		}
	}
}

// interchangePattern selects one small benchmark of every kernel of the
// kernel table, the first -short size of each, so that a kernel added to
// the table is compared between go test and ppbench run with no edit here.
// Triad runs every thread key: its split threads=all is a case of its own.
func interchangePattern(t *testing.T) string {
	var alts []string
	for _, k := range schema.Kernels() {
		bk, ok := bench.Lookup(k.Name)
		if !ok {
			t.Fatalf("%s: not in bench.Table", k.Name)
		}
		size := bk.ShortSizes[0]
		if bk.ModelSizes != nil {
			size = bk.ModelSizes("tiny", true)[0]
		}
		params := append(slices.Clone(size.Params), schema.Param{Key: schema.KeyThreads, Value: schema.ThreadsOne})
		if bk.Split {
			params = params[:len(params)-1]
		}
		alts = append(alts, schema.FormatName(k.Name, params...))
	}
	return strings.Join(alts, "|")
}

// fileShape is what must agree between two results files of the same
// benchmarks: everything but the measured numbers.
type fileShape struct {
	names  []string // full names, in file order
	units  []string // "name unit" for every value, in order
	config []string // configuration keys of the first result
	pkg    string
}

func describe(results []*benchfmt.Result) fileShape {
	var f fileShape
	for i, r := range results {
		f.names = append(f.names, r.Name.String())
		for _, v := range r.Values {
			f.units = append(f.units, r.Name.String()+" "+v.Unit)
		}
		if i == 0 {
			for _, c := range r.Config {
				f.config = append(f.config, c.Key)
			}
			f.pkg = r.GetConfig(schema.ConfigPkg)
		}
	}
	return f
}
