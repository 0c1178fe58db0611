package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/goldentest"
	"github.com/ppbench/ppbench/seeds"
)

func catalog(t *testing.T) *seeds.Catalog {
	t.Helper()
	cat, err := seeds.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestArchOfName(t *testing.T) {
	for name, want := range map[string]string{
		"c7g.xlarge": "arm64", "c8g.48xlarge": "arm64", "m7gd.large": "arm64", "c7gn.2xlarge": "arm64",
		"x2gd.medium": "arm64", "t4g.nano": "arm64", "im4gn.large": "arm64", "g5g.xlarge": "arm64",
		"c7i.xlarge": "amd64", "c7a.xlarge": "amd64", "g5.xlarge": "amd64", "g4dn.xlarge": "amd64",
		"p6-b200.48xlarge": "amd64", "m7i-flex.large": "amd64", "inf2.xlarge": "amd64",
		"c4a-standard-4": "arm64", "t2a-standard-8": "arm64", "c4-standard-4": "amd64", "e2-medium": "amd64",
		"Standard_D4ps_v6": "arm64", "Standard_D4pls_v5": "arm64", "Standard_D4s_v5": "amd64", "Standard_F4s_v2": "amd64",
		"something": "amd64", "a1.large": "arm64", "Standard_ND128isr_NDR_GB200_v6": "arm64",
	} {
		if got := ArchOfName(name); got != want {
			t.Errorf("ArchOfName(%q) = %s, want %s", name, got, want)
		}
	}
}

// The catalog's arch column wins over the name, and agrees with it on
// every type it lists.
func TestArchCatalog(t *testing.T) {
	cat := catalog(t)
	if got := Arch(cat, "c7g.xlarge"); got != "arm64" {
		t.Errorf("Arch(c7g.xlarge) = %s", got)
	}
	if got := Arch(cat, "c7i.xlarge"); got != "amd64" {
		t.Errorf("Arch(c7i.xlarge) = %s", got)
	}
	for _, p := range cat.Prices {
		if a := Arch(cat, p.Instance); a != ArchOfName(p.Instance) {
			t.Errorf("%s: catalog says %s (%s), the name rule %s", p.Instance, a, p.Arch, ArchOfName(p.Instance))
		}
	}
}

func TestSpecCheck(t *testing.T) {
	ok := Spec{Types: []string{"c7g.xlarge"}, Launches: 1}
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []Spec{
		{Launches: 1},
		{Types: []string{"c7g.xlarge"}},
		{Types: []string{"c7g.xlarge", "c7g.xlarge"}, Launches: 1},
		{Types: []string{"c7g xlarge"}, Launches: 1},
		{Types: []string{"c7g.xlarge"}, Launches: 1, RunArgs: []string{"-o", "x"}},
		{Types: []string{"c7g.xlarge"}, Launches: 1, RunArgs: []string{"--instance=x"}},
	} {
		if err := s.Check(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
}

func TestCheck(t *testing.T) {
	cat := catalog(t)
	dmi := func(name string) host.Fingerprint {
		return host.Fingerprint{Instance: name, InstanceSource: "dmi", VCPUs: 4}
	}
	none := host.Fingerprint{Instance: "unknown", InstanceSource: "unknown", VCPUs: 4}
	for _, c := range []struct {
		name   string
		req    string
		fp     host.Fingerprint
		goarch string
		off    bool
		method string
		err    string
	}{
		{"dmi match", "c7g.xlarge", dmi("c7g.xlarge"), "arm64", false, "dmi", ""},
		{"dmi mismatch", "c7g.xlarge", dmi("c6g.xlarge"), "arm64", false, "", "host is c6g.xlarge, not c7g.xlarge (by dmi): refusing to label results c7g.xlarge"},
		{"metadata match", "c4a-standard-4", host.Fingerprint{Instance: "c4a-standard-4", InstanceSource: host.SourceMetadata, VCPUs: 4}, "arm64", false, "metadata", ""},
		{"metadata mismatch", "c4a-standard-4", host.Fingerprint{Instance: "c4a-standard-8", InstanceSource: host.SourceMetadata, VCPUs: 8}, "arm64", false, "", "host is c4a-standard-8, not c4a-standard-4 (by metadata)"},
		{"no dmi, arch and vcpus", "c7g.xlarge", none, "arm64", false, "arch+vcpus", ""},
		{"no dmi, wrong arch", "c7g.xlarge", none, "amd64", false, "", "host is an amd64 machine, not c7g.xlarge (c7g.xlarge is arm64)"},
		{"no dmi, wrong vcpus", "c7g.2xlarge", none, "arm64", false, "", "host is a machine with 4 vCPUs, not c7g.2xlarge (c7g.2xlarge has 8)"},
		{"no dmi, not in catalog", "c99g.xlarge", none, "arm64", false, "arch", ""},
		{"off", "c7g.xlarge", dmi("c6i.large"), "amd64", true, "off", ""},
	} {
		v, err := Check(c.req, c.fp, c.goarch, cat, c.off)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.name, err, c.err)
			}
			var me *MismatchError
			if !errors.As(err, &me) {
				t.Errorf("%s: %T is no MismatchError", c.name, err)
			}
			continue
		}
		if err != nil || v.Method != c.method {
			t.Errorf("%s: %+v, %v; want method %s", c.name, v, err, c.method)
		}
	}
	v, _ := Check("c7g.xlarge", dmi("c6i.large"), "amd64", cat, true)
	if got := strings.Join(v.ConfigLines(), "\n"); got != "instance-detected: c6i.large\ninstance-check: off" {
		t.Errorf("config lines %q", got)
	}
}

func goldenSpec() Spec {
	return Spec{
		Types: []string{"c7g.xlarge", "c7i.xlarge"}, Launches: 2,
		RunArgs: []string{"-short", "-count", "1", "-bench", "FMAPeak|Sgemm/n=256"},
		Results: "results", Binary: "/shared/ppbench-linux-{arch}",
		Image: "registry.example.com/ppbench:v1-{arch}", ID: "20261201t100000", Namespace: "bench",
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldentest.Check(t, name, got, "go test ./bench/fleet -update")
}

func TestSlurmScriptGolden(t *testing.T) {
	cat := catalog(t)
	s := goldenSpec()
	var b bytes.Buffer
	for _, typ := range s.Types {
		b.WriteString(SlurmScript(s, typ, Arch(cat, typ)))
	}
	golden(t, "slurm.sbatch", b.Bytes())
	s.Partition, s.NoTypeCheck, s.SbatchArgs = "q-{type-}", true, []string{"--time=60"}
	golden(t, "slurm-partition.sbatch", []byte(SlurmScript(s, "c7g.xlarge", "arm64")))
}

func TestKubeGolden(t *testing.T) {
	jobs, err := KubeJobs(goldenSpec(), catalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 4 {
		t.Fatalf("%d Jobs, want 2 types x 2 launches", len(jobs))
	}
	b, err := KubeList(jobs)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "kubernetes.json", b)

	// What the issue asks of each Job, read back from the JSON as kubectl
	// would get it, by the API's own field names.
	var list struct {
		Kind  string
		Items []map[string]any
	}
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatal(err)
	}
	for _, j := range list.Items {
		get := func(path string) any {
			var v any = j
			for _, k := range strings.Split(path, ".") {
				switch x := v.(type) {
				case map[string]any:
					v = x[k]
				case []any:
					v = x[0]
					if m, ok := v.(map[string]any); ok {
						v = m[k]
					}
				}
			}
			return v
		}
		name := get("metadata.name")
		typ := j["metadata"].(map[string]any)["labels"].(map[string]any)[LabelInstanceType] // a key with dots
		spec := get("spec.template.spec").(map[string]any)
		if spec["restartPolicy"] != "Never" {
			t.Errorf("%v: restartPolicy %v", name, spec["restartPolicy"])
		}
		sel := spec["nodeSelector"].(map[string]any)
		if sel[NodeInstanceType] != typ || sel[NodeArch] != ArchOfName(typ.(string)) {
			t.Errorf("%v: nodeSelector %v", name, sel)
		}
		term := get("spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution").([]any)[0].(map[string]any)
		if term["topologyKey"] != NodeHostname {
			t.Errorf("%v: anti-affinity %v", name, term)
		}
		c := spec["containers"].([]any)[0].(map[string]any)
		if cpu := c["resources"].(map[string]any)["requests"].(map[string]any)["cpu"]; cpu != "3670m" {
			t.Errorf("%v: cpu request %v, want 3670m (4 vCPUs less 80m reserved, 250m DaemonSets)", name, cpu)
		}
		if lim := c["resources"].(map[string]any)["limits"]; lim != nil {
			t.Errorf("%v: limits %v: a CPU limit would throttle the benchmark", name, lim)
		}
		if j["spec"].(map[string]any)["backoffLimit"] != 0.0 {
			t.Errorf("%v: backoffLimit %v", name, j["spec"].(map[string]any)["backoffLimit"])
		}
	}
}

func TestKubeNames(t *testing.T) {
	if got := KubeJobName("Standard_D4ps_v6", "20261201t100000", 3); got != "ppbench-standard-d4ps-v6-20261201t100000-3" {
		t.Errorf("KubeJobName = %s", got)
	}
	if n := KubeJobName(strings.Repeat("x", 80)+".xlarge", "id", 1); len(n) > 63 {
		t.Errorf("%s: over 63 characters", n)
	}
	if KubeReservedCPU(4) != 80 || KubeReservedCPU(192) != 550 {
		t.Errorf("reserved 4: %d, 192: %d", KubeReservedCPU(4), KubeReservedCPU(192))
	}
	if _, err := KubeJobs(Spec{Types: []string{"c9z.xlarge"}, Launches: 1, Image: "i", ID: "x"}, catalog(t)); err == nil ||
		!strings.Contains(err.Error(), "c9z.xlarge") {
		t.Errorf("type not in the catalog: %v", err)
	}
}

func TestPartitionOf(t *testing.T) {
	if got := PartitionOf("q-{type-}", "c7g.xlarge"); got != "q-c7g-xlarge" {
		t.Errorf("got %s", got)
	}
	if got := PartitionOf("{type}", "Standard_D4ps_v6"); got != "Standard_D4ps_v6" {
		t.Errorf("got %s", got)
	}
}

func TestResultsFromLog(t *testing.T) {
	log := "# plan: 2 benchmarks\ninstance-detected: unknown\ngoos: linux\n# results: stdout\nBenchmarkX-4 1 2 ns/op\n# kept 1 result\n"
	if got := string(ResultsFromLog([]byte(log))); got != "instance-detected: unknown\ngoos: linux\nBenchmarkX-4 1 2 ns/op\n" {
		t.Errorf("got %q", got)
	}
}

// fake answers commands by name with canned outputs, in turn.
type fake struct {
	out   map[string][]string
	err   map[string]error
	calls []string
}

func (f *fake) run(_ context.Context, name string, args ...string) ([]byte, error) {
	f.calls = append(f.calls, name+" "+strings.Join(args, " "))
	if e := f.err[name]; e != nil {
		return nil, e
	}
	outs := f.out[name]
	if len(outs) == 0 {
		return nil, fmt.Errorf("%s: no more answers", name)
	}
	o := outs[0]
	if len(outs) > 1 {
		f.out[name] = outs[1:]
	}
	return []byte(o), nil
}

func TestWaitSlurm(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c7g.xlarge-12_1.txt"), []byte("BenchmarkX 1 1 ns/op\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "c8g.xlarge-13_1.txt"), []byte("BenchmarkX 1 1 ns/op\n"), 0o644)
	f := &fake{out: map[string][]string{"squeue": {
		"12_1|ppbench-c7g.xlarge|PENDING|Resources\n12_2|ppbench-c7g.xlarge|PENDING|Priority\n13_1|ppbench-c8g.xlarge|PENDING|Priority\n13_2|ppbench-c8g.xlarge|PENDING|Priority\n",
		"12_1|ppbench-c7g.xlarge|RUNNING|None\n12_2|ppbench-c7g.xlarge|PENDING|Resources\n13_1|ppbench-c8g.xlarge|PENDING|Priority\n13_2|ppbench-c8g.xlarge|PENDING|Priority\n",
		"12_1|ppbench-c7g.xlarge|COMPLETED|None\n12_2|ppbench-c7g.xlarge|FAILED|NonZeroExitCode\n13_1|ppbench-c8g.xlarge|COMPLETED|None\n",
	}, "sacct": {"13_2|ppbench-c8g.xlarge|COMPLETED|0:0\n13_2.batch|batch|COMPLETED|0:0\n"}}}
	var polls int
	ts, errs, err := WaitSlurm(context.Background(), f.run, []string{"12", "13"}, WaitOptions{
		Results: dir, Interval: time.Millisecond, Progress: func([]Task) { polls++ },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 4 || polls != 3 {
		t.Fatalf("%d tasks, %d polls: %+v", len(ts), polls, ts)
	}
	var lines []string
	for _, e := range errs {
		lines = append(lines, e.Error())
	}
	want := []string{
		"c7g.xlarge task 2 (job 12_2): FAILED (NonZeroExitCode); see " + filepath.Join(dir, "c7g.xlarge-12_2.log"),
		"c8g.xlarge task 2 (job 13_2): completed but left no " + filepath.Join(dir, "c8g.xlarge-13_2.txt") + "; see " + filepath.Join(dir, "c8g.xlarge-13_2.log"),
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// Nothing collected is removed.
	for _, n := range []string{"c7g.xlarge-12_1.txt", "c8g.xlarge-13_1.txt"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err != nil {
			t.Error(err)
		}
	}
}

// A node that never comes up: the task is still pending at the timeout,
// and the error names it and why.
func TestWaitSlurmTimeout(t *testing.T) {
	f := &fake{out: map[string][]string{"squeue": {"12_1|ppbench-c7g.xlarge|PENDING|BadConstraints\n"}}}
	_, errs, err := WaitSlurm(context.Background(), f.run, []string{"12"}, WaitOptions{
		Results: t.TempDir(), Interval: time.Millisecond, Timeout: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || errs[0].Error() != "c7g.xlarge task 1 (job 12_1): still PENDING after 20ms (BadConstraints): no node of the type came up" {
		t.Errorf("errors %v", errs)
	}
}

// Without accounting, sacct cannot say how a purged job ended: one line
// that says so, not a hang.
func TestWaitSlurmForgotten(t *testing.T) {
	f := &fake{out: map[string][]string{"squeue": {""}}, err: map[string]error{"sacct": errors.New("sacct: Slurm accounting storage is disabled")}}
	_, _, err := WaitSlurm(context.Background(), f.run, []string{"12"}, WaitOptions{Interval: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "job 12: not in squeue") {
		t.Errorf("error %v", err)
	}
}

func TestSubmitSlurm(t *testing.T) {
	t.Chdir(t.TempDir())
	s := goldenSpec()
	f := &fake{out: map[string][]string{"sbatch": {"41\n", "42;cluster\n"}}}
	subs, errs := SubmitSlurm(context.Background(), f.run, s, ArchOfName, "jobs")
	if len(errs) != 0 || len(subs) != 2 || subs[0].JobID != "41" || subs[1].JobID != "42" || subs[1].Type != "c7i.xlarge" {
		t.Fatalf("%+v %v", subs, errs)
	}
	if _, err := os.Stat("results"); err != nil {
		t.Error("results directory not made:", err)
	}
	if f.calls[0] != "sbatch --parsable "+filepath.Join("jobs", "ppbench-c7g.xlarge.sbatch") {
		t.Errorf("call %q", f.calls[0])
	}

	// sbatch missing: one line per type, naming its tasks.
	t.Setenv("PATH", t.TempDir())
	subs, errs = SubmitSlurm(context.Background(), Command, s, ArchOfName, "jobs")
	if len(subs) != 0 || len(errs) != 2 || errs[0].Error() != "c7g.xlarge task 1-2: not submitted: sbatch: not found in $PATH" {
		t.Errorf("%+v %v", subs, errs)
	}
}

func TestCollectKube(t *testing.T) {
	dir := t.TempDir()
	jobs := `{"items": [
 {"metadata": {"name": "ppbench-c7g-xlarge-f1-1", "labels": {"ppbench.dev/instance-type": "c7g.xlarge", "ppbench.dev/launch": "1"}}, "status": {"succeeded": 1}},
 {"metadata": {"name": "ppbench-c7g-xlarge-f1-2", "labels": {"ppbench.dev/instance-type": "c7g.xlarge", "ppbench.dev/launch": "2"}}, "status": {"failed": 1, "conditions": [{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": "Job has reached the specified backoff limit"}]}},
 {"metadata": {"name": "ppbench-c8g-xlarge-f1-1", "labels": {"ppbench.dev/instance-type": "c8g.xlarge", "ppbench.dev/launch": "1"}}, "status": {}},
 {"metadata": {"name": "ppbench-c8g-xlarge-f1-2", "labels": {"ppbench.dev/instance-type": "c8g.xlarge", "ppbench.dev/launch": "2"}}, "status": {"succeeded": 1}}
]}`
	os.WriteFile(filepath.Join(dir, "c8g.xlarge-f1_2.txt"), []byte("kept\n"), 0o644)
	f := &fake{out: map[string][]string{
		"kubectl": {jobs, "# ppbench fleet task: c7g.xlarge\ninstance-detected: c7g.xlarge\ngoos: linux\nBenchmarkFMAPeak/threads=1-4 1 1 ns/op\n# kept 1 result\n"},
	}}
	got, errs, err := CollectKube(context.Background(), f.run, "f1", "bench", dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Path != filepath.Join(dir, "c7g.xlarge-f1_1.txt") {
		t.Errorf("collected %+v", got)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "c7g.xlarge-f1_1.txt"))
	if string(b) != "instance-detected: c7g.xlarge\ngoos: linux\nBenchmarkFMAPeak/threads=1-4 1 1 ns/op\n" {
		t.Errorf("results file %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "c8g.xlarge-f1_2.txt")); string(b) != "kept\n" {
		t.Errorf("a file collected before was rewritten: %q", b)
	}
	if len(errs) != 2 ||
		errs[0].Error() != "c7g.xlarge task 2 (job ppbench-c7g-xlarge-f1-2): failed (BackoffLimitExceeded Job has reached the specified backoff limit); see kubectl logs job/ppbench-c7g-xlarge-f1-2" ||
		!strings.HasPrefix(errs[1].Error(), "c8g.xlarge task 1 (job ppbench-c8g-xlarge-f1-1): not started: no node of the type came up") {
		t.Errorf("errors %v", errs)
	}
	if f.calls[0] != "kubectl get jobs -l ppbench.dev/fleet=f1 -o json -n bench" || f.calls[1] != "kubectl logs job/ppbench-c7g-xlarge-f1-1 -n bench" {
		t.Errorf("calls %q", f.calls)
	}
}
