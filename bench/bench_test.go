package bench

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/kernels"
)

// TestMain prints the host fingerprint before the first benchmark when
// benchmarks run; a plain `go test` prints nothing extra. Steal time rides
// on each result as a metric: a closing config line would become the
// configuration of every result after it when runs are appended to one
// file, as the anchor recipe does, and benchstat would split on it.
func TestMain(m *testing.M) {
	flag.Parse()
	if err := kernels.EnvError(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	if flag.Lookup("test.bench").Value.String() != "" {
		if err := WriteHeader(os.Stdout, Fingerprint(host.Options{}), false); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// suite returns the cases for this run, honouring -short.
func suite(tb testing.TB) []Case {
	f := Fingerprint(host.Options{})
	return Suite(Options{Short: testing.Short(), AllThreads: runtime.GOMAXPROCS(0), Cores: f.PhysicalCores})
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
			r := c.Setup()
			b.ResetTimer()
			steal0, total0, stealErr := host.ReadStealTicks()
			start := time.Now()
			r.Run(b.N)
			elapsed := time.Since(start)
			b.ReportMetric(c.Rate(b.N, elapsed.Seconds()), c.Unit)
			if steal1, total1, err := host.ReadStealTicks(); stealErr == nil && err == nil {
				b.ReportMetric(host.StealPercent(steal0, total0, steal1, total1), UnitSteal)
			}
		})
	}
}

func BenchmarkSgemm(b *testing.B)     { runKernel(b, "Sgemm") }
func BenchmarkAttention(b *testing.B) { runKernel(b, "Attention") }
func BenchmarkTriad(b *testing.B)     { runKernel(b, "Triad") }
func BenchmarkFMAPeak(b *testing.B)   { runKernel(b, "FMAPeak") }

// TestSuiteNames pins the names to DESIGN.md's contract: benchstat and the
// anchors line results up by them.
func TestSuiteNames(t *testing.T) {
	cases := Suite(Options{AllThreads: 4, Cores: 2})
	var names []string
	for _, c := range cases {
		names = append(names, c.Name())
	}
	got := strings.Join(names, "\n")
	for _, want := range []string{
		"Sgemm/n=256/threads=1", "Sgemm/n=2048/threads=all", "Sgemm/n=1024/threads=cores",
		"Sgemm/n=1024/threads=all/mode=parallel",
		"Attention/seq=2048/dim=64/heads=8/threads=1",
		"Attention/seq=512/dim=64/heads=8/threads=all/causal=true",
		"Attention/seq=2048/dim=64/heads=8/threads=all/causal=true/mode=parallel",
		"Triad/n=33554432/threads=1", "Triad/n=33554432/threads=all",
		"FMAPeak/threads=1", "FMAPeak/threads=all", "FMAPeak/threads=cores",
	} {
		if !strings.Contains("\n"+got+"\n", "\n"+want+"\n") {
			t.Errorf("suite lacks %s; have:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Triad/n=33554432/threads=cores") {
		t.Errorf("triad has a threads=cores case")
	}
	short := Suite(Options{Short: true, AllThreads: 1})
	for _, c := range short {
		if strings.Contains(c.Name(), "n=1024") || strings.Contains(c.Name(), "seq=2048") || strings.Contains(c.Name(), "threads=cores") || strings.Contains(c.Name(), "mode=parallel") {
			t.Errorf("-short suite on one CPU has %s", c.Name())
		}
	}
}

// TestSuiteWork checks the FLOP and byte counts DESIGN.md fixes.
func TestSuiteWork(t *testing.T) {
	byName := map[string]Case{}
	for _, c := range Suite(Options{AllThreads: 3}) {
		byName[c.Name()] = c
	}
	for name, want := range map[string]float64{
		"Sgemm/n=1024/threads=1":                                   2 * 1024 * 1024 * 1024,
		"Sgemm/n=1024/threads=all":                                 3 * 2 * 1024 * 1024 * 1024,
		"Sgemm/n=1024/threads=all/mode=parallel":                   2 * 1024 * 1024 * 1024,
		"Attention/seq=512/dim=64/heads=8/threads=1":               4 * 8 * 512 * 512 * 64,
		"Attention/seq=512/dim=64/heads=8/threads=all/causal=true": 3 * 4 * 8 * 64 * 512 * 513 / 2,
		"Triad/n=33554432/threads=all":                             24 * 33554432,
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
	if c := byName["Triad/n=33554432/threads=1"]; c.Unit != UnitGBs {
		t.Errorf("triad unit %q", c.Unit)
	}
}

// TestRunners runs each small case once: the runners must do their work
// without panicking, on every thread key.
func TestRunners(t *testing.T) {
	for _, c := range Suite(Options{Short: true, AllThreads: 2, Cores: 1}) {
		if c.Kernel == "Triad" || (testing.Short() && c.Kernel != "FMAPeak" && !strings.Contains(c.Name(), "=256")) {
			continue // the 768 MiB triad is for benchmarks
		}
		c.Setup().Run(1)
	}
	r := newTriadRunner(1000, 3)
	r.Run(2)
	if r.a[999] != 1+3*2 {
		t.Errorf("triad runner: a[999] = %g, want 7", r.a[999])
	}
}
