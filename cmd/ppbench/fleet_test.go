package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/bench/fleet"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/benchfmttest"
)

// A type of this machine's architecture, and one of the other.
func sameAndOtherArch() (same, other string) {
	if runtime.GOARCH == "arm64" {
		return "c7g.xlarge", "c7i.xlarge"
	}
	return "c7i.xlarge", "c7g.xlarge"
}

var taskRunFlags = []string{"--", "-bench", "FMAPeak/threads=1$", "-count", "1", "-benchtime", "1x"}

func TestFleetTaskNoTypeCheck(t *testing.T) {
	t.Setenv(host.EnvInstance, "m5.large") // must not stand in for the host's own type
	t.Setenv(host.EnvRegion, "")
	t.Setenv(fleet.EnvNoTypeCheck, "")
	_, other := sameAndOtherArch()
	path := filepath.Join(t.TempDir(), "results", other+"-7_1.txt")
	var stdout, stderr bytes.Buffer
	code := mainExit(append([]string{"fleet", "task", "-type", other, "-no-type-check", "-o", path}, taskRunFlags...), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if !strings.HasPrefix(s, "instance-detected: ") || !strings.Contains(s, "\ninstance-check: off\n") ||
		!strings.Contains(s, "\ninstance: "+other+"\n") || !strings.Contains(s, "\ninstance-source: flag\n") {
		t.Errorf("results file does not record both types:\n%s", s)
	}
	if n := len(benchfmttest.Read(t, path)); n != 1 {
		t.Errorf("%d results, want 1", n)
	}
}

// The environment's override does what the flag does; with -o - the
// results go to stdout and every log line starts "# ".
func TestFleetTaskEnvOverrideStdout(t *testing.T) {
	t.Setenv(host.EnvInstance, "")
	t.Setenv(host.EnvRegion, "")
	t.Setenv(fleet.EnvNoTypeCheck, "1")
	_, other := sameAndOtherArch()
	var stdout, stderr bytes.Buffer
	code := mainExit(append([]string{"fleet", "task", "-type", other, "-o", "-"}, taskRunFlags...), &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "\nBenchmarkFMAPeak/threads=1-") || !strings.Contains(stdout.String(), "instance-check: off\n") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	for _, l := range strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n") {
		if !strings.HasPrefix(l, fleet.LogPrefix) {
			t.Errorf("log line %q does not start %q", l, fleet.LogPrefix)
		}
	}
	if got := fleet.ResultsFromLog(append(stderr.Bytes(), stdout.Bytes()...)); !bytes.Equal(got, stdout.Bytes()) {
		t.Errorf("the log mixed in is not dropped:\n%s", got)
	}
}

// A host that is not the type asked for gets no results labelled with it:
// one line naming the type and task, no file.
func TestFleetTaskRefusesOtherType(t *testing.T) {
	t.Setenv(host.EnvInstance, "")
	t.Setenv(fleet.EnvNoTypeCheck, "")
	t.Setenv("SLURM_ARRAY_JOB_ID", "7")
	t.Setenv("SLURM_ARRAY_TASK_ID", "2")
	_, other := sameAndOtherArch()
	path := filepath.Join(t.TempDir(), other+"-7_2.txt")
	var stdout, stderr bytes.Buffer
	code := mainExit(append([]string{"fleet", "task", "-type", other, "-o", path}, taskRunFlags...), &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr.String())
	}
	want := "ppbench: " + other + " task 2 (job 7_2): host is "
	if !strings.HasPrefix(stderr.String(), want) || !strings.Contains(stderr.String(), "refusing to label results "+other) ||
		strings.Count(stderr.String(), "\n") != 1 {
		t.Errorf("stderr %q, want one line starting %q", stderr.String(), want)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("results file: %v", err)
	}
}

func TestFleetTaskBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"fleet", "task"},
		{"fleet", "task", "-type", "c7g.xlarge", "--", "-instance", "c8g.xlarge"},
	} {
		var stdout, stderr bytes.Buffer
		if code := mainExit(args, &stdout, &stderr); code != 2 || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line", args, code, stderr.String())
		}
	}
	// A run flag run itself rejects: status 2, the last line names the task.
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"fleet", "task", "-type", "c7g.xlarge", "-no-type-check", "--", "-count", "0"}, &stdout, &stderr)
	if lines := strings.Split(strings.TrimSpace(stderr.String()), "\n"); code != 2 || !strings.HasPrefix(lines[len(lines)-1], "ppbench fleet: c7g.xlarge task ") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestFleetWrites(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"fleet", "-types", "c7g.xlarge,c7i.xlarge", "-launches", "2", "-short", "-count", "1", "-bench", "FMAPeak"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"#SBATCH --constraint=c7g.xlarge\n", "#SBATCH --array=1-2\n", "#SBATCH --exclusive\n",
		"exec ./dist/ppbench-linux-arm64 fleet task -type c7g.xlarge -o \"results/c7g.xlarge-${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.txt\" -- -short -count 1 -bench FMAPeak\n",
		"exec ./dist/ppbench-linux-amd64 fleet task -type c7i.xlarge ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("scripts lack %q:\n%s", want, out)
		}
	}

	dir := t.TempDir()
	stdout.Reset()
	stderr.Reset()
	code = mainExit([]string{"fleet", "-engine", "kubernetes", "-types", "c7g.xlarge,c8g.xlarge", "-launches", "3",
		"-image", "r/ppbench:{arch}", "-id", "f1", "-o", dir, "-short"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 6 {
		t.Errorf("%d manifests, want 6: %v", len(files), files)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "ppbench-c8g-xlarge-f1-3.json"))
	if !strings.Contains(string(b), `"image": "r/ppbench:arm64"`) {
		t.Errorf("manifest:\n%s", b)
	}

	for _, args := range [][]string{
		{"fleet", "-launches", "2"},
		{"fleet", "-types", "c7g.xlarge", "-engine", "nomad"},
		{"fleet", "-types", "c7g.xlarge", "-engine", "kubernetes"},
		{"fleet", "-types", "c7g.xlarge", "-image", "x"},
		{"fleet", "-types", "c7g.xlarge", "-count", "0"},
		{"fleet", "-types", "c7g.xlarge", "-bench", "("},
		{"fleet", "wait"},
		{"fleet", "wait", "12x"},
		{"fleet", "collect"},
	} {
		stdout.Reset()
		stderr.Reset()
		if code := mainExit(args, &stdout, &stderr); code != 2 || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and one line", args, code, stderr.String())
		}
	}
}

// sbatch missing: one line per type naming its tasks, with the command
// that found it, then the count, exit 1.
func TestFleetSubmitWithoutSbatch(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("PATH", t.TempDir())
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"fleet", "-types", "c7g.xlarge", "-launches", "3", "-submit"}, &stdout, &stderr)
	if code != 1 || stderr.String() != "ppbench fleet: c7g.xlarge task 1-3: not submitted: sbatch: not found in $PATH\nppbench: fleet: 1 of 1 types failed (every result already collected is kept)\n" {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

// Finding 2 of issue 23: `fleet -o DIR` never writes through a symlink,
// on either engine; the file it points to is left as it was and the
// error is one line naming the link.
func TestFleetOutputNoFollow(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"ppbench-c7g.large.sbatch", nil},
		{"ppbench-c7g-large-f1-1.json", []string{"-engine", "kubernetes", "-image", "img", "-id", "f1", "-launches", "1"}},
	} {
		dir := t.TempDir()
		victim := filepath.Join(dir, "v")
		os.WriteFile(victim, []byte("hi\n"), 0o644)
		os.Mkdir(filepath.Join(dir, "j"), 0o755)
		link := filepath.Join(dir, "j", c.name)
		if err := os.Symlink(victim, link); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		code := mainExit(append([]string{"fleet", "-types", "c7g.large", "-o", filepath.Join(dir, "j")}, c.args...), &stdout, &stderr)
		if b, _ := os.ReadFile(victim); string(b) != "hi\n" {
			t.Errorf("%s: written through the link: %q", c.name, b)
		}
		if code == 0 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "symbolic link") {
			t.Errorf("%s: exit %d, stderr %q", c.name, code, stderr.String())
		}
	}
}

// Finding 1 of issue 23, end to end: a hostile -results makes a script
// that quotes it, and a newline in -sbatch or -partition is refused in
// one line naming the flag.
func TestFleetHostileFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := mainExit([]string{"fleet", "-types", "c7g.large", "-binary", "/bin/true", "-results", "r$(touch${IFS}PWN)"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `-o 'r$(touch${IFS}PWN)/c7g.large-'"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}".txt`) {
		t.Errorf("script:\n%s", stdout.String())
	}
	for _, a := range [][]string{
		{"-results", "r$(touch PWN)"}, {"-sbatch", "--time=60\ncmd"}, {"-partition", "q\ncmd"}, {"-results", "r\ncmd\n#"}, {"-launches", "1000000000"},
		{"-engine", "kubernetes", "-image", "i", "-id", "a,b"}, {"-engine", "kubernetes", "-image", "i\nx"},
	} {
		stdout.Reset()
		stderr.Reset()
		code := mainExit(append([]string{"fleet", "-types", "c7g.large"}, a...), &stdout, &stderr)
		flag := a[len(a)-2]
		if code == 0 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), flag) {
			t.Errorf("%q: exit %d, stderr %q", a, code, stderr.String())
		}
	}
}
