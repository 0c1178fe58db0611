package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/benchfmttest"
)

func TestRunCommand(t *testing.T) {
	t.Setenv(host.EnvInstance, "")
	t.Setenv(host.EnvRegion, "")
	path := filepath.Join(t.TempDir(), "out.txt")
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"run", "-bench", "FMAPeak/threads=1$", "-count", "2", "-benchtime", "1x",
		"-instance", "c7g.xlarge", "-o", path}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if stdout.String() != string(data) {
		t.Errorf("stdout is not a copy of the file:\n%s", stdout.String())
	}
	results := benchfmttest.Read(t, path)
	if len(results) != 2 {
		t.Fatalf("%d results, want 2", len(results))
	}
	name := "FMAPeak/threads=1"
	if procs := runtime.GOMAXPROCS(0); procs != 1 {
		name += "-" + itoa(procs)
	}
	for _, r := range results {
		if r.Name.String() != name || r.Iters != 1 {
			t.Errorf("result %s x%d, want %s x1", r.Name, r.Iters, name)
		}
		if r.GetConfig("instance") != "c7g.xlarge" || r.GetConfig("pkg") != "github.com/ppbench/ppbench/bench" || r.GetConfig("goarch") != runtime.GOARCH {
			t.Errorf("config: instance %q pkg %q goarch %q", r.GetConfig("instance"), r.GetConfig("pkg"), r.GetConfig("goarch"))
		}
	}
	// c7g.xlarge is in the embedded catalog, so the plan has a cost.
	for _, want := range []string{"plan: 1 benchmark × 2 rounds, about ", " on c7g.xlarge ($", "kept 2 results in " + path} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestRunCommandStdout(t *testing.T) {
	t.Chdir(t.TempDir())
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"run", "-bench", "FMAPeak/threads=1$", "-count", "1", "-benchtime", "1x", "-o", "-"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "\npkg: github.com/ppbench/ppbench/bench\n") || !strings.Contains(stdout.String(), "\nBenchmarkFMAPeak/threads=1") {
		t.Errorf("stdout:\n%s", stdout.String())
	}
	if strings.Contains(stderr.String(), "results: ") || !strings.Contains(stderr.String(), "kept 1 result in stdout") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	if _, err := os.Stat("results"); !os.IsNotExist(err) {
		t.Errorf("-o - made a results directory: %v", err)
	}
}

func TestRunCommandThreadsAboveVCPUs(t *testing.T) {
	vcpus := host.Detect(host.Options{}).VCPUs
	n := itoa(vcpus + 1)
	path := filepath.Join(t.TempDir(), "out.txt")
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"run", "-bench", "FMAPeak", "-threads", n, "-count", "1", "-benchtime", "1x", "-o", path}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if want := "ppbench run: warning: threads=" + n + " is more than the " + itoa(vcpus) + " vCPUs"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
	}
	results := benchfmttest.Read(t, path)
	if len(results) != 1 || !strings.HasPrefix(results[0].Name.String(), "FMAPeak/threads="+n) {
		t.Errorf("results %v", results)
	}
}

func TestRunCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.txt")
	if err := os.WriteFile(existing, []byte("earlier\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "new.txt")
	fast := []string{"-bench", "FMAPeak/threads=1$", "-count", "1", "-benchtime", "1x"}
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"extra"}, 2, `ppbench run: unexpected argument "extra"`},
		{[]string{"-bench", "Sgemm/(", "-o", out}, 2, "ppbench run: -bench Sgemm/(: "},
		{[]string{"-bench", "NoSuchKernel", "-o", out}, 2, "ppbench run: -bench NoSuchKernel matches no benchmark"},
		{[]string{"-count", "0", "-o", out}, 2, "ppbench run: -count 0: want at least 1"},
		{[]string{"-count", "-3", "-o", out}, 2, "ppbench run: -count -3: want at least 1"},
		{[]string{"-count", "many"}, 2, `invalid value "many" for flag -count`},
		{[]string{"-benchtime", "0x"}, 2, `invalid value "0x" for flag -benchtime`},
		{[]string{"-benchtime", "soon"}, 2, `invalid value "soon" for flag -benchtime`},
		{[]string{"-threads", "0", "-o", out}, 2, "ppbench run: -threads 0: 0 copies: want 1 to 4096"},
		{[]string{"-threads", "-2", "-o", out}, 2, "ppbench run: -threads -2: -2 copies: want 1 to 4096"},
		{[]string{"-threads", "100000", "-o", out}, 2, "ppbench run: -threads 100000: 100000 copies: want 1 to 4096"},
		{[]string{"-threads", "1,half", "-o", out}, 2, `ppbench run: -threads 1,half: "half" is not 1, all, cores or a number of copies`},
		{[]string{"-threads", "all,all", "-o", out}, 2, "ppbench run: -threads all,all: all listed twice"},
		{[]string{"-instance", "c7g xlarge", "-o", out}, 2, "ppbench run: -instance: "},
		{append([]string{"-o", existing}, fast...), 1, "ppbench: " + existing + " already exists; results are never overwritten"},
		{append([]string{"-o", filepath.Join(notDir, "x.txt")}, fast...), 1, "ppbench: cannot create results file: "},
		{append([]string{"-o", filepath.Join(dir, "missing", "x.txt")}, fast...), 1, "ppbench: cannot create results file: "},
		{[]string{"-h"}, 0, "Usage: ppbench run"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := mainExit(append([]string{"run"}, tt.args...), &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr.String(), tt.code, tt.msg)
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: wrote to stdout: %q", tt.args, stdout.String())
		}
		if code != 0 && !strings.HasPrefix(tt.args[0], "-bogus") && !strings.Contains(tt.msg, "invalid value") {
			// One line: the flag package's own errors come with the usage.
			if lines := strings.Count(stderr.String(), "\n"); lines != 1 {
				t.Errorf("%q: %d lines on stderr:\n%s", tt.args, lines, stderr.String())
			}
		}
	}
	if data, _ := os.ReadFile(existing); string(data) != "earlier\n" {
		t.Errorf("existing file changed to %q", data)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused run created %s", out)
	}
}

func TestRunCommandSelfCheckFails(t *testing.T) {
	defer func(f func(bench.Tiers) error) { selfCheck = f }(selfCheck)
	selfCheck = func(bench.Tiers) error {
		return errors.New("Sgemm m=37 n=29 k=41 ta=T: differs from portable by 3e-2 at C[4,7]")
	}
	path := filepath.Join(t.TempDir(), "out.txt")
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"run", "-bench", "FMAPeak", "-count", "1", "-benchtime", "1x", "-o", path}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "ppbench: kernel self-check failed") || !strings.Contains(stderr.String(), "Sgemm m=37 n=29 k=41 ta=T") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("results file kept after a failed self-check: %v", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout: %q", stdout.String())
	}
}

// TestRunInterruptSubprocess runs the real binary, sends SIGINT once the
// first result is out and checks that the run stops with status 130 and
// leaves a file benchstat reads, holding every result it printed.
func TestRunInterruptSubprocess(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the ppbench binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build ppbench with")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "ppbench")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH, "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Skipf("cannot build ppbench for this host: %v\n%s", err, out)
	}

	path := filepath.Join(dir, "out.txt")
	cmd := exec.Command(bin, "run", "-short", "-bench", "FMAPeak", "-count", "50", "-o", path)
	cmd.Env = append(os.Environ(), host.EnvInstance+"=test-instance")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot run the ppbench binary here (under an emulator?): %v", err)
	}
	done := make(chan error, 1)
	var printed []string
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "Benchmark") {
				printed = append(printed, line)
				if !signalled {
					signalled = true
					cmd.Process.Signal(syscall.SIGINT)
				}
			}
		}
		io.Copy(io.Discard, stdout)
		done <- cmd.Wait()
	}()
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("ppbench run did not stop after SIGINT; stderr:\n%s", stderr.String())
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit: %v, want status 130; stderr:\n%s", err, stderr.String())
	}
	results := benchfmttest.Read(t, path)
	if len(printed) == 0 || len(results) != len(printed) || len(results) >= 100 {
		t.Fatalf("file has %d results, stdout showed %d (a full run has 100)", len(results), len(printed))
	}
	for i, r := range results {
		if got := strings.Fields(printed[i])[0]; got != "Benchmark"+r.Name.String() {
			t.Errorf("result %d: %s in the file, %s printed", i, r.Name, got)
		}
		if r.GetConfig("instance") != "test-instance" {
			t.Errorf("result %d: instance %q", i, r.GetConfig("instance"))
		}
	}
	for _, want := range []string{"interrupted: stopping after the current measurement", "kept " + itoa(len(results)) + " of 100 results in " + path, "ppbench run: interrupted"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

// Finding 6 of issue 23: -count, -benchtime, -retries and -launches are
// bounded, each refused in one line naming the flag.
func TestRunBounds(t *testing.T) {
	for _, args := range [][]string{
		{"run", "-count", "1000000000"},
		{"run", "-benchtime", "1000000001x"},
		{"run", "-benchtime", "1000h"},
		{"prices", "update", "-retries", "1000000000"},
		{"fleet", "-types", "c7g.large", "-launches", "1000000000"},
		{"fleet", "-types", "c7g.large", "-count", "1000000000"},
	} {
		var stdout, stderr bytes.Buffer
		code := mainExit(args, &stdout, &stderr)
		flag := args[len(args)-2]
		if code != 2 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), flag) {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}
