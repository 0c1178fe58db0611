package results

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/schema"
)

const header = "# synthetic test input\ninstance: c7g.xlarge\nkernel-impl: neon\n"

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadGroups(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.txt", header+
		"BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s\n"+
		"BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 41 GFLOP/s\n"+
		"BenchmarkSgemm/n=1024/threads=all/impl=portable-4 1 100 ns/op 9 GFLOP/s\n"+
		"BenchmarkAttention/seq=512/dim=64/heads=8/threads=1/causal=true-4 1 100 ns/op 5 GFLOP/s 0.5 steal-percent\n"+
		"BenchmarkAttention/seq=512/dim=64/heads=8/threads=1/causal=true-4 1 100 ns/op 5 GFLOP/s 1.5 steal-percent\n"+
		"BenchmarkTriad/n=33554432/threads=all-4 1 100 ns/op 50 GB/s\n"+
		"BenchmarkOther-4 1 100 ns/op\n"+
		"Unit GFLOP/s better=higher\n")
	// A second launch of the same type with a different GOMAXPROCS
	// suffix pools with the first; its closing steal line is kept.
	b := write(t, dir, "b.txt", header+
		"BenchmarkSgemm/n=1024/threads=all-8 1 100 ns/op 39 GFLOP/s\n"+
		"steal-percent: 2.5\nPASS\n")
	set, err := Read([]Input{{Path: a}, {Path: b}})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Instances) != 1 {
		t.Fatalf("%d instances", len(set.Instances))
	}
	in := set.Instances[0]
	sg := Bench{Kernel: schema.Sgemm, Params: "n=1024", Threads: "all", Tier: "neon", Unit: schema.UnitGFLOPs}
	if got := in.Samples[sg]; len(got) != 3 || got[0] != 39 || got[2] != 41 {
		t.Errorf("pooled Sgemm = %v", got)
	}
	port := sg
	port.Tier = "portable"
	if got := in.Samples[port]; len(got) != 1 || got[0] != 9 {
		t.Errorf("impl=portable = %v", got)
	}
	at := Bench{Kernel: schema.Attention, Params: "seq=512/dim=64/heads=8/causal=true", Threads: "1", Tier: "neon", Unit: schema.UnitGFLOPs}
	if len(in.Samples[at]) != 2 {
		t.Errorf("attention missing: %v", in.Benches())
	}
	if len(in.Launches) != 2 || in.Launches[0].StealPercent != 1 || in.Launches[1].StealPercent != 2.5 {
		t.Errorf("launches %d, steal %v %v", len(in.Launches), in.Launches[0].StealPercent, in.Launches[1].StealPercent)
	}
	if len(set.Notes) != 1 || !strings.Contains(set.Notes[0], "BenchmarkOther has no rate metric") {
		t.Errorf("notes %q", set.Notes)
	}
	// Suite order, then tier (neon before portable) and threads.
	tri := Bench{Kernel: schema.Triad, Params: "n=33554432", Threads: "all", Tier: "neon", Unit: schema.UnitGBs}
	if got, want := in.Benches(), []Bench{sg, port, at, tri}; !slices.Equal(got, want) {
		t.Errorf("order\n%v\nwant\n%v", got, want)
	}
}

// A launch keeps each benchmark's samples in file order, one per round
// in a file from ppbench run, so that drift over the rounds can be
// tested; only the pool is sorted.
func TestLaunchSamplesInFileOrder(t *testing.T) {
	dir := t.TempDir()
	var s strings.Builder
	s.WriteString(header)
	for _, v := range []string{"42", "40", "41"} {
		s.WriteString("BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op " + v + " GFLOP/s\n")
	}
	a := write(t, dir, "a.txt", s.String())
	b := write(t, dir, "b.txt", header+"BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 39 GFLOP/s\n")
	set, err := Read([]Input{{Path: a}, {Path: b}})
	if err != nil {
		t.Fatal(err)
	}
	in := set.Instances[0]
	sg := Bench{Kernel: schema.Sgemm, Params: "n=1024", Threads: "all", Tier: "neon", Unit: schema.UnitGFLOPs}
	if got := in.Launches[0].Samples[sg]; !slices.Equal(got, []float64{42, 40, 41}) {
		t.Errorf("launch samples %v, want file order [42 40 41]", got)
	}
	if got := in.Samples[sg]; !slices.Equal(got, []float64{39, 40, 41, 42}) {
		t.Errorf("pooled samples %v, want sorted [39 40 41 42]", got)
	}
}

// A suite kernel's name uses the schema's keys only; other benchmarks'
// names may have any, after the schema's.
func TestReadNameKeys(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "key.txt", header+"BenchmarkSgemm/n=1024/batch=8/threads=all-4 1 100 ns/op 40 GFLOP/s\n")
	_, err := Read([]Input{{Path: p}})
	want := p + ":4: BenchmarkSgemm/n=1024/batch=8/threads=all-4: name key batch is not one of the suite's (" + strings.Join(schema.NameKeys, ", ") + ")"
	if err == nil || err.Error() != want {
		t.Errorf("unknown name key: err = %v\nwant %s", err, want)
	}
	p = write(t, dir, "other.txt", header+"BenchmarkGemmFP8/batch=8/n=1024/threads=4/x-4 1 100 ns/op 90 GFLOP/s\n")
	set, err := Read([]Input{{Path: p}})
	if err != nil {
		t.Fatal(err)
	}
	b := Bench{Kernel: "GemmFP8", Params: "n=1024/batch=8/x", Threads: "4", Tier: "neon", Unit: schema.UnitGFLOPs}
	if got := set.Instances[0].Samples[b]; len(got) != 1 || got[0] != 90 {
		t.Errorf("other benchmark not read as %+v: %v", b, set.Instances[0].Benches())
	}
	if got := b.String(); got != "GemmFP8/n=1024/threads=4/batch=8/x" {
		t.Errorf("String() = %q", got)
	}
}

// The suite's package has only the suite's kernels: a benchmark of it
// this version does not know (the suite's own comparison benchmarks,
// which `go test -bench .` writes too, or a kernel of a newer ppbench) is
// left out with one note per file, and never read as some other tool's
// benchmark, which an accelerator claim would be judged on. Other
// packages' benchmarks, and those of files without a pkg line, are
// welcome. (Finding 1 of the first-hour review: a go test file with
// BenchmarkCompare could not be reported at all.)
func TestReadSuitePackage(t *testing.T) {
	dir := t.TempDir()
	good := "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s\n"
	gemm := "BenchmarkGemmFP8/n=1024/threads=all-4 1 100 ns/op 90 GFLOP/s\n"
	compare := "BenchmarkCompare/Sgemm/n=256/threads=1/impl=naive-ikj-2 1 100 ns/op 3 GFLOP/s\n"
	p := write(t, dir, "new.txt", header+"pkg: "+schema.SuitePkg+"\n"+good+compare+gemm+compare)
	set, err := Read([]Input{{Path: p}})
	if err != nil {
		t.Fatalf("a suite file with benchmarks that are not suite kernels: %v", err)
	}
	if in := set.Instances[0]; len(in.Samples) != 1 || len(set.Notes) != 1 ||
		!strings.Contains(set.Notes[0], "3 results of benchmarks that are not suite kernels left out (the first, BenchmarkCompare/Sgemm/n=256/threads=1/impl=naive-ikj-2)") {
		t.Errorf("read %v with notes %q, want Sgemm alone and one note", in.Benches(), set.Notes)
	}
	only := write(t, dir, "only.txt", header+"pkg: "+schema.SuitePkg+"\n"+compare)
	if _, err := Read([]Input{{Path: only}}); err == nil {
		t.Errorf("a file of comparison benchmarks alone read as results")
	}
	for _, pkg := range []string{"pkg: example.com/llm\n", ""} {
		p := write(t, dir, "other.txt", header+pkg+good+gemm)
		set, err := Read([]Input{{Path: p}})
		if err != nil {
			t.Errorf("%q: %v", pkg, err)
			continue
		}
		b := Bench{Kernel: "GemmFP8", Params: "n=1024", Threads: "all", Tier: "neon", Unit: schema.UnitGFLOPs}
		if got := set.Instances[0].Samples[b]; len(got) != 1 || got[0] != 90 || b.Suite() {
			t.Errorf("%q: other benchmark not read as %+v: %v", pkg, b, set.Instances[0].Benches())
		}
	}
}

// Results written by earlier versions of ppbench still read: the
// synthetic files of the report's tests and any real results in the
// repository.
func TestReadEarlierFiles(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.txt")
	real, _ := filepath.Glob("../../docs/examples/*.txt")
	for _, p := range append(files, real...) {
		set, err := Read([]Input{{Path: p, Instance: "c7g.xlarge"}})
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for b := range set.Instances[0].Samples {
			if !b.Suite() || b.Threads == "" || b.Tier == "" {
				t.Errorf("%s: %+v is not a suite result with threads and tier", p, b)
			}
		}
	}
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	good := "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s\n"
	tests := []struct {
		name, content, want string
	}{
		{"malformed", header + "BenchmarkSgemm/n=1024/threads=all-4 1 abc ns/op\n", "f.txt:4: parsing measurement"},
		{"NaN", header + "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op NaN GFLOP/s\n", "f.txt:4: BenchmarkSgemm/n=1024/threads=all-4: NaN GFLOP/s is not a finite number"},
		{"Inf", header + "BenchmarkSgemm/n=1024/threads=all-4 1 +Inf ns/op 40 GFLOP/s\n", "f.txt:4: BenchmarkSgemm/n=1024/threads=all-4: +Inf ns/op is not a finite number"},
		{"zero", header + "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 0 GFLOP/s\n", "f.txt:4: BenchmarkSgemm/n=1024/threads=all-4: 0 GFLOP/s: a throughput must be positive"},
		{"no unit", header + "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op\n", "f.txt:4: BenchmarkSgemm/n=1024/threads=all-4: no GFLOP/s measurement"},
		{"no threads", header + "BenchmarkTriad/n=1-4 1 100 ns/op 3 GB/s\n", "f.txt:4: BenchmarkTriad/n=1-4: no threads= key"},
		{"empty", "", "f.txt: no results: the file is empty"},
		{"only config", header, "f.txt: no results: the run was cut before its first result"},
		{"not results", "hello\nworld\n", "f.txt: no benchmark results"},
		{"bad steal", header + good + "steal-percent: lots\n", `f.txt:5: steal-percent: "lots" is not a percentage`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, dir, "f.txt", tt.content)
			_, err := Read([]Input{{Path: p}})
			if err == nil || !strings.HasPrefix(err.Error(), filepath.Join(dir, tt.want)) {
				t.Errorf("err = %v\nwant prefix %s", err, filepath.Join(dir, tt.want))
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
	// A host with no instance type is reported under its CPU and vCPU
	// count, with a note, not refused: make run works off the cloud too.
	for _, content := range []string{"instance: unknown\ncpu-model: Xeon\nvcpus: 2\n" + good, good} {
		set, err := Read([]Input{{Path: write(t, dir, "u.txt", content)}})
		if err != nil {
			t.Fatalf("unknown instance: %v", err)
		}
		if name := set.Instances[0].Name; !strings.HasPrefix(name, "unknown (") {
			t.Errorf("unknown instance named %q", name)
		}
		if len(set.Notes) != 1 || !strings.Contains(set.Notes[0], "instance unknown") {
			t.Errorf("notes %q", set.Notes)
		}
	}
	if set, _ := Read([]Input{{Path: write(t, dir, "u.txt", "instance: unknown\ncpu-model: Xeon\nvcpus: 2\n"+good)}}); set.Instances[0].Name != "unknown (Xeon, 2 vCPUs)" {
		t.Errorf("unknown instance named %q", set.Instances[0].Name)
	}
	if _, err := Read([]Input{{Path: filepath.Join(dir, "missing.txt")}}); err == nil || !strings.Contains(err.Error(), "missing.txt: cannot read") {
		t.Errorf("missing file: %v", err)
	}
	p := write(t, dir, "g.txt", header+good)
	if _, err := Read([]Input{{Path: p}, {Path: p}}); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("duplicate file: %v", err)
	}
	if _, err := Read(nil); err == nil {
		t.Error("no inputs accepted")
	}
}

func TestInstanceOverride(t *testing.T) {
	dir := t.TempDir()
	good := "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s\n"
	u := write(t, dir, "u.txt", "instance: unknown\n"+good)
	k := write(t, dir, "k.txt", "instance: c7g.xlarge\n"+good)
	in1, err1 := ParseInput("c8g.xlarge=" + u)
	in2, err2 := ParseInput("c6g.xlarge=" + k)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	set, err := Read([]Input{in1, in2})
	if err != nil {
		t.Fatal(err)
	}
	if set.Instances[0].Name != "c8g.xlarge" || set.Instances[1].Name != "c6g.xlarge" {
		t.Errorf("instances %s %s", set.Instances[0].Name, set.Instances[1].Name)
	}
	if len(set.Notes) != 1 || !strings.Contains(set.Notes[0], "the file says instance c7g.xlarge; c6g.xlarge from the command line wins") {
		t.Errorf("notes %q", set.Notes)
	}
}

func TestParseInput(t *testing.T) {
	dir := t.TempDir()
	odd := write(t, dir, "a=b.txt", "")
	tests := []struct {
		arg  string
		want Input
	}{
		{"results/x.txt", Input{Path: "results/x.txt"}},
		{"c7g.xlarge=results/x.txt", Input{Path: "results/x.txt", Instance: "c7g.xlarge"}},
		{odd, Input{Path: odd}},
		{"dir/a=b.txt", Input{Path: "dir/a=b.txt"}},
		{"=x.txt", Input{Path: "=x.txt"}},
	}
	for _, tt := range tests {
		if got, err := ParseInput(tt.arg); got != tt.want || err != nil {
			t.Errorf("ParseInput(%q) = %+v, %v; want %+v", tt.arg, got, err, tt.want)
		}
	}
}

func TestCompareBench(t *testing.T) {
	a := Bench{Kernel: schema.Sgemm, Params: "n=512", Threads: "all"}
	b := Bench{Kernel: schema.Sgemm, Params: "n=1024", Threads: "1"}
	c := Bench{Kernel: schema.Triad, Params: "n=1", Threads: "1"}
	if CompareBench(a, b) >= 0 || CompareBench(b, c) >= 0 || CompareBench(c, Bench{Kernel: "Zzz"}) >= 0 {
		t.Error("want n=512 < n=1024 < Triad < other benchmarks")
	}
}

func TestBenchString(t *testing.T) {
	for _, tt := range []struct {
		b    Bench
		want string
	}{
		{Bench{Kernel: schema.Sgemm, Params: "n=1024", Threads: "all"}, "Sgemm/n=1024/threads=all"},
		{Bench{Kernel: schema.Attention, Params: "seq=2048/dim=64/heads=8/causal=true/mode=parallel", Threads: "all"}, "Attention/seq=2048/dim=64/heads=8/threads=all/causal=true/mode=parallel"},
		{Bench{Kernel: schema.FMAPeak, Threads: "1"}, "FMAPeak/threads=1"},
		{Bench{Kernel: "Other"}, "Other"},
	} {
		if got := tt.b.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

// NAME=path names an instance as -instance does: by schema.CheckName.
func TestParseInputChecksNames(t *testing.T) {
	for _, arg := range []string{" =u.txt", "bad name=u.txt", "c7g\n=u.txt", "c7g.xlarge =u.txt"} {
		if in, err := ParseInput(arg); err == nil || !strings.Contains(err.Error(), "instance name") || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseInput(%q) = %+v, %v; want a one-line error", arg, in, err)
		}
	}
}

// TestSameHostIsOneLaunch: two files whose fingerprints name the same
// host-id are one launch of the instance, whatever their names.
func TestSameHostIsOneLaunch(t *testing.T) {
	dir := t.TempDir()
	write := func(name, hostID string, v float64) string {
		p := filepath.Join(dir, name)
		body := header + "host-id: " + hostID + "\n"
		for range 6 {
			body += fmt.Sprintf("BenchmarkSgemm/n=1024/threads=all-4 1 1 ns/op %g GFLOP/s\n", v)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b, c := write("a.txt", "0123456789ab", 10), write("b.txt", "0123456789ab", 11), write("c.txt", "ba9876543210", 12)
	set, err := Read([]Input{{Path: a}, {Path: b}, {Path: c}})
	if err != nil {
		t.Fatal(err)
	}
	in := set.Instance("c7g.xlarge")
	if in == nil || len(in.Launches) != 2 {
		t.Fatalf("launches: %+v", in)
	}
	for _, vs := range in.Launches[0].Samples {
		if len(vs) != 12 {
			t.Errorf("the merged launch has %d samples, want 12", len(vs))
		}
	}
	if !slices.ContainsFunc(set.Notes, func(n string) bool { return strings.Contains(n, "come from the same host") }) {
		t.Errorf("no note about the same host: %q", set.Notes)
	}
}

// Files from different machines are never launches of one instance
// (finding 2 of the first-hour review: an Emerald Rapids run was pooled
// with a Sapphire Rapids file as two launches of one "unknown"): an
// unknown host gets an instance per machine, and a named instance whose
// files disagree on the CPU is refused.
func TestDifferentMachinesNeverPooled(t *testing.T) {
	dir := t.TempDir()
	res := "BenchmarkSgemm/n=1024/threads=all-2 1 100 ns/op 40 GFLOP/s\n"
	unknown := func(uarch, v string) string {
		return "instance: unknown\ncpu-model: Intel(R) Xeon(R) Processor\ncpu-uarch: " + uarch + "\nvcpus: 2\nkernel-impl: avx512\n" +
			"BenchmarkSgemm/n=1024/threads=all-2 1 100 ns/op " + v + " GFLOP/s\n"
	}
	set, err := Read([]Input{{Path: write(t, dir, "spr.txt", unknown("sapphirerapids", "40"))}, {Path: write(t, dir, "emr.txt", unknown("emeraldrapids", "41"))},
		{Path: write(t, dir, "emr2.txt", unknown("emeraldrapids", "42"))}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, in := range set.Instances {
		names = append(names, fmt.Sprintf("%s (%d)", in.Name, len(in.Launches)))
	}
	if got := strings.Join(names, "; "); got != "unknown (Intel(R) Xeon(R) Processor, 2 vCPUs) (1); unknown (Intel(R) Xeon(R) Processor, 2 vCPUs) #2 (2)" {
		t.Errorf("instances %s", got)
	}
	named := func(model string) string {
		return "instance: c7i.large\ncpu-model: " + model + "\nvcpus: 2\nkernel-impl: avx512\n" + res
	}
	_, err = Read([]Input{{Path: write(t, dir, "a.txt", named("Intel Xeon 8488C"))}, {Path: write(t, dir, "b.txt", named("AMD EPYC 9R14"))}})
	if err == nil || !strings.Contains(err.Error(), "instance c7i.large: the CPU (AMD EPYC 9R14) is not that of its other launches (Intel Xeon 8488C") {
		t.Errorf("two CPUs under one name: %v", err)
	}
}

// TestLLMTierAndFacts: an LLM pass's tier is the one its weights' data
// type names (kernel-impl-bf16 for weights=bf16, kernel-impl-q8_0 for
// q8_0), and the facts on its lines are kept, not taken for samples.
func TestLLMTierAndFacts(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "llm.txt", "goos: linux\ngoarch: amd64\npkg: "+schema.SuitePkg+"\ninstance: c7i.xlarge\n"+
		"kernel-impl: avx512\nkernel-impl-bf16: amx\nkernel-impl-int8: amx\nkernel-impl-q8_0: avx512vnni\n"+
		"BenchmarkLLMDecode/model=llama-3.2-1b/weights=bf16/context=512/threads=1-4 1 100 ns/op 2505388032 B/tok 1.75 tok/s\n"+
		"BenchmarkLLMDecode/model=llama-3.2-1b/weights=q8_0/context=512/threads=1-4 1 100 ns/op 1346873472 B/tok 5.9 tok/s\n")
	set, err := Read([]Input{{Path: p}})
	if err != nil {
		t.Fatal(err)
	}
	in := set.Instances[0]
	tiers := map[string]string{}
	for b, s := range in.Samples {
		tiers[strings.Split(b.Params, "/")[1]] = b.Tier
		if len(s) != 1 {
			t.Errorf("%v: samples %v, want the one tok/s value", b, s)
		}
		if f := in.Facts[b][schema.UnitBytesPerToken]; f < 1e9 {
			t.Errorf("%v: B/tok fact %v", b, f)
		}
	}
	if tiers["weights=bf16"] != "amx" || tiers["weights=q8_0"] != "avx512vnni" {
		t.Errorf("tiers %v, want bf16 amx and q8_0 avx512vnni", tiers)
	}
}

// TestFactsDisagree: two launches of one instance whose lines give a
// benchmark different facts (builds that count its work differently) are
// read, the later file's fact kept, and a note names both values and the
// file.
func TestFactsDisagree(t *testing.T) {
	dir := t.TempDir()
	file := func(name, ops string) string {
		return write(t, dir, name, "goos: linux\ngoarch: amd64\npkg: "+schema.SuitePkg+"\ninstance: c7i.xlarge\nhost-id: "+name+"\n"+
			"kernel-impl: avx512\nkernel-impl-bf16: amx\n"+
			"BenchmarkLLMPrefill/model=llama-3.2-1b/weights=bf16/prompt=512/threads=1-4 1 100 ns/op "+ops+" op/tok 250 tok/s\n")
	}
	a, b := file("a.txt", "2471493632"), file("b.txt", "1947190784")
	set, err := Read([]Input{{Path: a}, {Path: b}})
	if err != nil {
		t.Fatal(err)
	}
	for bench, fs := range set.Instances[0].Facts {
		if got := fs[schema.UnitOpsPerToken]; got != 1947190784 {
			t.Errorf("%v: op/tok %v, want the later file's 1947190784", bench, got)
		}
	}
	want := "instance c7i.xlarge: " + b + " gives BenchmarkLLMPrefill/model=llama-3.2-1b/weights=bf16/prompt=512/threads=1 op/tok 1.947190784e+09, an earlier launch 2.471493632e+09"
	if !slices.ContainsFunc(set.Notes, func(n string) bool { return strings.HasPrefix(n, want) }) {
		t.Errorf("notes %q, want one starting %q", set.Notes, want)
	}
	// The same facts: no note.
	set, err = Read([]Input{{Path: a}, {Path: file("c.txt", "2471493632")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range set.Notes {
		if strings.Contains(n, "count its work differently") {
			t.Errorf("note %q for equal facts", n)
		}
	}
}
