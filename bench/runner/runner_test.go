package runner

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/benchfmttest"
	"github.com/ppbench/ppbench/internal/schema"
)

func TestParseBenchtime(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Benchtime
	}{
		{"500ms", Benchtime{D: 500 * time.Millisecond}},
		{"2s", Benchtime{D: 2 * time.Second}},
		{"1m30s", Benchtime{D: 90 * time.Second}},
		{"10x", Benchtime{N: 10}},
		{"1x", Benchtime{N: 1}},
	} {
		got, err := ParseBenchtime(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseBenchtime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if err == nil && got.String() != tt.in && tt.in != "1m30s" {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
	for _, bad := range []string{"", "0x", "-3x", "x", "1.5x", "0s", "-1s", "10", "fast"} {
		if got, err := ParseBenchtime(bad); err == nil {
			t.Errorf("ParseBenchtime(%q) = %v, want an error", bad, got)
		}
	}
}

// TestMatcher checks go test's -bench rules on the suite's names: one
// regexp per slash-separated element, unanchored, "Benchmark" included.
func TestMatcher(t *testing.T) {
	names := []string{
		"Sgemm/n=256/threads=1",
		"Sgemm/n=2048/threads=all/mode=parallel",
		"Attention/seq=512/dim=64/heads=8/threads=all/causal=true",
		"Triad/n=33554432/threads=1",
		"FMAPeak/threads=1",
		"FMAPeak/threads=all",
	}
	for _, tt := range []struct {
		pattern string
		want    []int // indexes into names
	}{
		{".", []int{0, 1, 2, 3, 4, 5}},
		{"", []int{0, 1, 2, 3, 4, 5}},
		{"Sgemm", []int{0, 1}},
		{"^BenchmarkSgemm$", []int{0, 1}},
		{"^Sgemm", nil}, // the first element is "BenchmarkSgemm", as in go test
		{"Sgemm/n=256", []int{0}},
		{"Sgemm/n=256$", []int{0}},
		{"Sgemm/n=25$", nil},
		{"/threads=1", []int{4}}, // only FMAPeak has threads= second
		{"FMAPeak/threads=1", []int{4}},
		{"FMAPeak|Triad", []int{3, 4, 5}},
		{"FMAPeak/threads=1|Sgemm/n=2048", []int{1, 4}},
		{"Attention/seq=512/dim=64/heads=8/threads=all/causal=true/extra", nil},
		{"Sgemm/n=(256|2048)", []int{0, 1}},
		{"Sgemm/n=[0-9]/", []int{0, 1}},
		{"mode=parallel", nil},
		{"Sgemm/.*/.*/mode=parallel", []int{1}},
	} {
		m, err := NewMatcher(tt.pattern)
		if err != nil {
			t.Errorf("NewMatcher(%q): %v", tt.pattern, err)
			continue
		}
		var got []int
		for i, n := range names {
			if m.Match(n) {
				got = append(got, i)
			}
		}
		if len(got) != len(tt.want) || !equalInts(got, tt.want) {
			t.Errorf("%q matches %v, want %v", tt.pattern, got, tt.want)
		}
	}
	for _, bad := range []string{"Sgemm/(", "[", "a**"} {
		if _, err := NewMatcher(bad); err == nil {
			t.Errorf("NewMatcher(%q) succeeded", bad)
		}
	}
}

// TestMatcherAgreesWithGoTest pins the cases 'go test -bench' would run
// for the README's patterns: Sgemm at n=256 only, every thread key.
func TestMatcherSuite(t *testing.T) {
	m, _ := NewMatcher("Sgemm/n=256")
	var got []string
	for _, c := range mustCases(t, Selection{Procs: 4, Cores: 2, Match: m.Match}) {
		got = append(got, c.Name())
	}
	want := "Sgemm/n=256/threads=1 Sgemm/n=256/threads=all Sgemm/n=256/threads=all/mode=parallel Sgemm/n=256/threads=cores"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

// mustCases returns Cases(sel), failing the test on an error.
func mustCases(t *testing.T, sel Selection) []bench.Case {
	t.Helper()
	cases, _, err := Cases(sel)
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestCasesThreadWarnings: the -threads grammar is schema's; what Cases
// adds is the warnings about keys that will not do what they seem to.
func TestCasesThreadWarnings(t *testing.T) {
	for _, tt := range []struct {
		in       string
		warnings int
	}{
		{"", 0}, {"1", 0}, {"1,all", 0}, {"4", 0}, {"5", 1}, {"1,all,64", 1}, {"cores", 1}, {"1,5,cores", 2},
	} {
		_, warnings, err := Cases(Selection{Threads: tt.in, Procs: 4, Cores: 4, VCPUs: 4, Short: true})
		if err != nil || len(warnings) != tt.warnings {
			t.Errorf("Cases(-threads %q): %q, %v; want %d warnings", tt.in, warnings, err, tt.warnings)
		}
	}
	for _, bad := range []string{"0", "-1", "1,1", "all,all", "half", "1,,all", "1.5", "100000"} {
		if _, _, err := Cases(Selection{Threads: bad, Procs: 4}); err == nil {
			t.Errorf("Cases(-threads %q) gave no error", bad)
		}
	}
	if _, w, err := Cases(Selection{Threads: "500", Procs: 4}); err != nil || len(w) != 0 {
		t.Errorf("unknown vCPU count: %v, %v", w, err)
	}
	// A CPU quota: threads=all would run fewer copies than the price buys.
	_, w, err := Cases(Selection{Procs: 2, Cores: 8, VCPUs: 8, Short: true})
	if err != nil || len(w) != 1 || !strings.Contains(w[0], "GOMAXPROCS is 2, below the host's 8 vCPUs") {
		t.Errorf("GOMAXPROCS below vCPUs: %q, %v", w, err)
	}
}

func TestCasesNumericThreads(t *testing.T) {
	cases := mustCases(t, Selection{Short: true, Threads: "1,3", Procs: 2, Cores: 2})
	var names []string
	byName := map[string]bench.Case{}
	for _, c := range cases {
		names = append(names, c.Name())
		byName[c.Name()] = c
	}
	got := strings.Join(names, "\n")
	for _, want := range []string{
		"Sgemm/n=256/threads=1\nSgemm/n=256/threads=3\nSgemm/n=256/threads=3/mode=parallel\nSgemm/n=512/threads=1",
		"Triad/n=33554432/threads=1\nTriad/n=33554432/threads=3\nFMAPeak/threads=1\nFMAPeak/threads=3",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("cases lack\n%s\nhave\n%s", want, got)
		}
	}
	if strings.Contains(got, "threads=all") {
		t.Errorf("threads=all without asking:\n%s", got)
	}
	c := byName["Sgemm/n=256/threads=3"]
	if c.Copies != 3 || c.Threads != "3" || c.Work != 3*2*256*256*256 {
		t.Errorf("threads=3 case: %+v", c)
	}
	if n := len(mustCases(t, Selection{Short: true, Threads: "cores", Procs: 2, Cores: 2})); n != 0 {
		t.Errorf("threads=cores without SMT: %d cases", n)
	}
}

// TestLineMatchesTesting compares Result.Line with what the testing
// package prints for the same measurement.
func TestLineMatchesTesting(t *testing.T) {
	for _, r := range []Result{
		{Name: "Sgemm/n=1024/threads=all", Unit: schema.UnitGFLOPs, Measurement: bench.Measurement{Iters: 12, Elapsed: 1316385360, Rate: 39.2, StealPercent: 0.12}},
		{Name: "FMAPeak/threads=1", Unit: schema.UnitGFLOPs, Measurement: bench.Measurement{Iters: 4000, Elapsed: 1234567, Rate: 123.456, StealPercent: 0}},
		{Name: "Triad/n=33554432/threads=1", Unit: schema.UnitGBs, Measurement: bench.Measurement{Iters: 1, Elapsed: 74151025, Rate: 10.86, StealPercent: 12.5}},
		{Name: "Tiny", Unit: schema.UnitGBs, Measurement: bench.Measurement{Iters: 1000000000, Elapsed: 300 * time.Millisecond, Rate: 0.000123, StealPercent: 100}},
		{Name: "LLMPrefill/model=m/weights=q8_0/prompt=512/threads=1", Unit: schema.UnitTokens,
			Measurement: bench.Measurement{Iters: 2, Elapsed: 3 * time.Second, Rate: 341.3, StealPercent: 0.2},
			Facts:       []bench.Fact{{Unit: schema.UnitOpsPerToken, Value: 2.47e9}}},
	} {
		tr := testing.BenchmarkResult{N: r.Iters, T: r.Elapsed, Extra: map[string]float64{r.Unit: r.Rate, schema.UnitSteal: r.StealPercent}}
		for _, f := range r.Facts {
			tr.Extra[f.Unit] = f.Value
		}
		for _, procs := range []int{1, 2, 64} {
			line := r.Line(procs, 40)
			name, rest, _ := strings.Cut(line, "\t")
			if want := fullName(r.Name, procs); strings.TrimRight(name, " ") != want || len(name) < 40 {
				t.Errorf("name field %q, want %q padded to 40", name, want)
			}
			if rest != tr.String() {
				t.Errorf("line\n%q\ntesting prints\n%q", rest, tr.String())
			}
		}
	}
	if got := (Result{Name: "X", Unit: schema.UnitGBs, Measurement: bench.Measurement{Iters: 1, Elapsed: 1, Rate: 1, StealPercent: -1}}).Line(1, 0); strings.Contains(got, schema.UnitSteal) {
		t.Errorf("unknown steal printed: %q", got)
	}
	if got := fullName("FMAPeak/threads=1", 1); got != "BenchmarkFMAPeak/threads=1" {
		t.Errorf("GOMAXPROCS=1 name %q", got)
	}
}

func TestDefaultName(t *testing.T) {
	at := time.Date(2026, 11, 22, 15, 5, 2, 0, time.FixedZone("CET", 3600))
	for instance, want := range map[string]string{
		"c7g.xlarge":     "c7g.xlarge-20261122T140502Z.txt",
		"c4a-standard-4": "c4a-standard-4-20261122T140502Z.txt",
		"unknown":        "unknown-20261122T140502Z.txt",
		"":               "unknown-20261122T140502Z.txt",
		"..":             "unknown-20261122T140502Z.txt",
		"a/b c":          "a_b_c-20261122T140502Z.txt",
	} {
		if got := DefaultName(instance, at); got != want {
			t.Errorf("DefaultName(%q) = %q, want %q", instance, got, want)
		}
	}
}

// fakeRunner sleeps per op, so calibration has a known rate.
type fakeRunner struct{ perOp time.Duration }

func (f fakeRunner) Run(iters int) { time.Sleep(time.Duration(iters) * f.perOp) }

func TestCalibrate(t *testing.T) {
	res := calibrate(bench.Case{Kernel: "Fake", Keys: "x=1", Work: 1e9, Unit: schema.UnitGFLOPs}, fakeRunner{time.Millisecond}, 20*time.Millisecond)
	if res.Elapsed < 20*time.Millisecond || res.Iters < 2 || res.Iters > 30 {
		t.Errorf("calibrated to %d ops in %v, want about 20 ops and at least 20ms", res.Iters, res.Elapsed)
	}
	if res.Name != "Fake/x=1" || res.Rate <= 0 {
		t.Errorf("result %+v", res)
	}
	// An op longer than the target is measured once.
	res = calibrate(bench.Case{Unit: schema.UnitGFLOPs}, fakeRunner{5 * time.Millisecond}, time.Millisecond)
	if res.Iters != 1 {
		t.Errorf("long op: %d iterations", res.Iters)
	}
}

func fmaCases(t *testing.T) []bench.Case {
	t.Helper()
	m, err := NewMatcher("FMAPeak")
	if err != nil {
		t.Fatal(err)
	}
	cases := mustCases(t, Selection{Threads: "1,2", Procs: 2, Match: m.Match})
	if len(cases) != 2 {
		t.Fatalf("FMAPeak cases: %d", len(cases))
	}
	return cases
}

func testFingerprint() host.Fingerprint {
	return host.Fingerprint{Instance: "c7g.xlarge", InstanceSource: "flag", Cloud: "aws", VCPUs: 2, GOMAXPROCS: 2, Tiers: map[string]string{schema.FP32: "neon"}}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	var stdout, stderr bytes.Buffer
	checked := false
	sum, err := Run(context.Background(), Config{
		Cases: fmaCases(t), Count: 2, Benchtime: Benchtime{N: 1},
		Fingerprint: testFingerprint(), GOMAXPROCS: 2,
		Output: path, Stdout: &stdout, Stderr: &stderr,
		SelfCheck: func() error { checked = true; return nil },
		Price:     Price{Instance: "c7g.xlarge", Region: "us-east-1", PerHour: 0.145},
	})
	if err != nil {
		t.Fatalf("Run: %v\n%s", err, stderr.String())
	}
	if !checked {
		t.Error("self-check not run")
	}
	if sum.Results != 4 || sum.Planned != 4 || sum.Path != path {
		t.Errorf("summary %+v", sum)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if stdout.String() != string(data) {
		t.Errorf("stdout differs from the file:\n%s\nfile:\n%s", stdout.String(), data)
	}
	for _, want := range []string{
		"goos: ", "\npkg: github.com/ppbench/ppbench/bench\n", "\ninstance: c7g.xlarge\n", "\nkernel-impl: neon\n",
		"\nUnit GFLOP/s better=higher\n", "\nUnit steal-percent better=lower\n",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("file lacks %q:\n%s", want, data)
		}
	}
	results := benchfmttest.Read(t, path)
	var order []string
	for _, r := range results {
		order = append(order, r.Name.String())
		if r.Iters != 1 {
			t.Errorf("%s: %d iterations, want 1", r.Name, r.Iters)
		}
		if v, ok := r.Value("GFLOP/s"); !ok || v <= 0 {
			t.Errorf("%s: GFLOP/s %v", r.Name, v)
		}
		if _, _, err := host.ReadStealTicks(); err == nil {
			if _, ok := r.Value(schema.UnitSteal); !ok {
				t.Errorf("%s: no %s", r.Name, schema.UnitSteal)
			}
		}
		if got := r.GetConfig("instance"); got != "c7g.xlarge" {
			t.Errorf("%s: instance %q", r.Name, got)
		}
	}
	// Rounds interleave: every benchmark once, then again.
	a, b := "FMAPeak/threads=1-2", "FMAPeak/threads=2-2"
	if got, want := strings.Join(order, " "), strings.Join([]string{a, b, a, b}, " "); got != want {
		t.Errorf("order %s, want %s", got, want)
	}
	if _, _, err := host.ReadStealTicks(); err == nil && !strings.Contains(string(data), "\n"+schema.ConfigSteal+": ") {
		t.Errorf("no closing steal line:\n%s", data)
	}
	for _, want := range []string{"plan: 2 benchmarks × 2 rounds, about ", " on c7g.xlarge ($0.145/hour on demand in us-east-1)", "kept 4 results in " + path} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestRunNeverOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.txt")
	if err := os.WriteFile(path, []byte("earlier results\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Config{Cases: fmaCases(t), Count: 1, Benchtime: Benchtime{N: 1}, Output: path})
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Run on an existing file: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "earlier results\n" {
		t.Errorf("existing file changed to %q", data)
	}
}

func TestRunDefaultPath(t *testing.T) {
	t.Chdir(t.TempDir())
	at := time.Date(2026, 11, 22, 14, 5, 2, 0, time.UTC)
	sum, err := Run(context.Background(), Config{
		Cases: fmaCases(t)[:1], Count: 1, Benchtime: Benchtime{N: 1},
		Fingerprint: testFingerprint(), Now: func() time.Time { return at },
	})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join("results", "c7g.xlarge-20261122T140502Z.txt")
	if sum.Path != want {
		t.Errorf("path %q, want %q", sum.Path, want)
	}
	if got := benchfmttest.Read(t, want); len(got) != 1 {
		t.Errorf("%d results", len(got))
	}
	// The same second again: never the same file, and never a refusal
	// that tells the user to remove a file another run is writing
	// (finding 13 of issue 23).
	paths := map[string]bool{want: true}
	for range 3 {
		sum, err := Run(context.Background(), Config{
			Cases: fmaCases(t)[:1], Count: 1, Benchtime: Benchtime{N: 1},
			Fingerprint: testFingerprint(), Now: func() time.Time { return at },
		})
		if err != nil {
			t.Fatalf("a run in the same second: %v", err)
		}
		if paths[sum.Path] {
			t.Fatalf("two runs wrote %s", sum.Path)
		}
		paths[sum.Path] = true
		if got := benchfmttest.Read(t, sum.Path); len(got) != 1 {
			t.Errorf("%s: %d results", sum.Path, len(got))
		}
	}
	if got := benchfmttest.Read(t, want); len(got) != 1 {
		t.Errorf("the first run's file changed: %d results", len(got))
	}
}

func TestRunSelfCheckFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	var stdout bytes.Buffer
	_, err := Run(context.Background(), Config{
		Cases: fmaCases(t), Count: 1, Benchtime: Benchtime{N: 1}, Output: path, Stdout: &stdout,
		Fingerprint: testFingerprint(),
		SelfCheck:   func() error { return errors.New("Sgemm m=37 n=29 k=41: neon differs from portable at C[3,5]") },
	})
	if err == nil || !strings.Contains(err.Error(), "Sgemm m=37 n=29 k=41") || !strings.Contains(err.Error(), "kernel-impl neon") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("results file left behind: %v", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("wrote to stdout: %q", stdout.String())
	}
}

// cancelAfter is a Stdout that cancels the run once it has seen n result
// lines, as a Ctrl-C during the next measurement would.
type cancelAfter struct {
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if bytes.HasPrefix(p, []byte("Benchmark")) {
		if c.n--; c.n == 0 {
			c.cancel()
		}
	}
	return len(p), nil
}

func TestRunInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr bytes.Buffer
	sum, err := Run(ctx, Config{
		Cases: fmaCases(t), Count: 5, Benchtime: Benchtime{N: 1}, Output: path,
		Stdout: &cancelAfter{n: 3, cancel: cancel}, Stderr: &stderr, Fingerprint: testFingerprint(),
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if sum.Results != 3 {
		t.Errorf("kept %d results, want 3", sum.Results)
	}
	if got := benchfmttest.Read(t, path); len(got) != 3 {
		t.Errorf("file has %d results, want 3", len(got))
	}
	if !strings.Contains(stderr.String(), "kept 3 of 10 results in "+path) {
		t.Errorf("stderr:\n%s", stderr.String())
	}

	// Interrupted before any result: no file is left.
	path = filepath.Join(t.TempDir(), "none.txt")
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	sum, err = Run(ctx, Config{Cases: fmaCases(t), Count: 5, Benchtime: Benchtime{N: 1}, Output: path, Fingerprint: testFingerprint()})
	if !errors.Is(err, ErrInterrupted) || sum.Results != 0 {
		t.Errorf("cancelled run: %+v, %v", sum, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("empty results file left behind: %v", err)
	}
}

func TestRunBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Count: 1},
		{Cases: fmaCases(t), Count: 0},
		{Cases: fmaCases(t), Count: 1, Benchtime: Benchtime{D: time.Second, N: 2}},
		{Cases: fmaCases(t), Count: 1, Output: "-"},
	} {
		if _, err := Run(context.Background(), cfg); err == nil {
			t.Errorf("Run(%+v) succeeded", cfg)
		}
	}
}

func TestPlan(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "about 1 second"},
		{40 * time.Second, "about 40 seconds"},
		{200 * time.Second, "about 3 minutes"},
		{3 * time.Hour, "about 3.0 hours"},
	} {
		if got := formatAbout(tt.d); got != tt.want {
			t.Errorf("formatAbout(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	got := planLine(28, 6, 190*time.Second, Price{Instance: "c7g.xlarge", Region: "us-east-1", PerHour: 0.145})
	if want := "plan: 28 benchmarks × 6 rounds, about 3 minutes, $0.008 on c7g.xlarge ($0.145/hour on demand in us-east-1)"; got != want {
		t.Errorf("plan\n%s\nwant\n%s", got, want)
	}
	if got := planLine(3, 1, time.Second, Price{}); strings.Contains(got, "$") {
		t.Errorf("plan without a price: %s", got)
	}
	bt := Benchtime{D: 100 * time.Millisecond}
	if got := measurementEstimate(time.Millisecond, bt); got < 120*time.Millisecond || got > 130*time.Millisecond {
		t.Errorf("short op: %v", got)
	}
	if got := measurementEstimate(time.Second, bt); got < time.Second || got > 1100*time.Millisecond {
		t.Errorf("long op: %v", got)
	}
	if got := measurementEstimate(time.Millisecond, Benchtime{N: 10}); got < 10*time.Millisecond || got > 11*time.Millisecond {
		t.Errorf("10x: %v", got)
	}
}

// TestDriftWarning: a run whose every benchmark slows down round after
// round gets a warning on stderr; one that only scatters does not.
func TestDriftWarning(t *testing.T) {
	check := func(series [][]float64) string {
		var stderr bytes.Buffer
		r := &run{con: newConsole(&stderr, 0, false), sum: &Summary{}, series: series}
		r.checkDrift()
		return stderr.String()
	}
	var slowing, steady [][]float64
	for b := range 12 {
		var s, f []float64
		for round := range 6 {
			wobble := float64((b*7+round*3)%5) * 0.002
			s = append(s, 100*(1-0.01*float64(round)+wobble))
			f = append(f, 100*(1+wobble))
		}
		slowing, steady = append(slowing, s), append(steady, f)
	}
	if got := check(slowing); !strings.Contains(got, "warning: the host slowed down by ") || !strings.Contains(got, "12 benchmarks") {
		t.Errorf("5%% slowdown over the run: stderr %q", got)
	}
	if got := check(steady); got != "" {
		t.Errorf("no trend: stderr %q", got)
	}
}

// fullFile is a results file on a disk that fills up after room bytes:
// the write that crosses it is partial, as write(2) is on ENOSPC.
type fullFile struct {
	data []byte
	room int
}

func (f *fullFile) Write(p []byte) (int, error) {
	if len(f.data)+len(p) <= f.room {
		f.data = append(f.data, p...)
		return len(p), nil
	}
	n := f.room - len(f.data)
	f.data = append(f.data, p[:n]...)
	return n, syscall.ENOSPC
}

func (f *fullFile) Truncate(size int64) error { f.data = f.data[:size]; return nil }
func (f *fullFile) Sync() error               { return nil }
func (f *fullFile) Close() error              { return nil }

// TestFullDiskKeepsWholeLines: a result line that does not fit is cut
// back, so the file ends with the last whole result, which benchstat and
// the report both read.
func TestFullDiskKeepsWholeLines(t *testing.T) {
	f := &fullFile{room: 40}
	r := &results{file: f, path: "full.txt"}
	if err := r.writeLines("header: x\n"); err != nil {
		t.Fatal(err)
	}
	if err := r.writeLines("BenchmarkA 1 2 ns/op\n"); err != nil {
		t.Fatal(err)
	}
	err := r.writeLines("BenchmarkB 1 2 ns/op\n")
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write past the end: %v, want ENOSPC", err)
	}
	if got := string(f.data); got != "header: x\nBenchmarkA 1 2 ns/op\n" {
		t.Errorf("file holds %q, want the whole lines only", got)
	}
}

// brokenPipe is a stdout whose reader has gone (`ppbench run | head -1`).
type brokenPipe struct{}

func (brokenPipe) Write([]byte) (int, error) { return 0, syscall.EPIPE }

// TestClosedStdoutKeepsTheFile: when stdout closes, the run warns once on
// stderr and goes on writing the results file.
func TestClosedStdoutKeepsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.txt")
	var stderr bytes.Buffer
	sum, err := Run(context.Background(), Config{
		Cases: fmaCases(t), Count: 2, Benchtime: Benchtime{N: 1},
		Output: path, Stdout: brokenPipe{}, Stderr: &stderr,
	})
	if err != nil || sum.Results != 4 {
		t.Fatalf("Run: %d results, %v", sum.Results, err)
	}
	if n := strings.Count(stderr.String(), "warning: stdout: broken pipe; results go on into "+path+" only"); n != 1 {
		t.Errorf("%d warnings about stdout in:\n%s", n, stderr.String())
	}
	if got := len(benchfmttest.Read(t, path)); got != 4 {
		t.Errorf("file has %d results, want 4", got)
	}
}

// TestLineSortsMetrics: a line's extra metrics come in the testing
// package's order, sorted by unit, so that a tok/s throughput follows
// steal-percent and a fact precedes both.
func TestLineSortsMetrics(t *testing.T) {
	r := Result{Name: "LLMDecode/x=1/threads=1", Unit: schema.UnitTokens,
		Measurement: bench.Measurement{Iters: 3, Elapsed: 3e9, Rate: 12.5, StealPercent: 0.5},
		Facts:       []bench.Fact{{Unit: schema.UnitBytesPerToken, Value: 1.3e9}}}
	got := r.Line(1, 0)
	b, s, tok := strings.Index(got, "B/tok"), strings.Index(got, "steal-percent"), strings.Index(got, "tok/s")
	if !(b >= 0 && b < s && s < tok) {
		t.Errorf("line %q: want B/tok, steal-percent, tok/s in that order", got)
	}
}
