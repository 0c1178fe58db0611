package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestBadImplEnv runs this test binary again with PPBENCH_IMPL naming a
// tier no CPU has: ppbench must refuse with one line and status 2, not
// panic and not measure the default tier instead.
func TestBadImplEnv(t *testing.T) {
	if os.Getenv("PPBENCH_TEST_MAIN") == "1" {
		os.Exit(mainExit([]string{"host"}, os.Stdout, os.Stderr))
	}
	if testing.Short() {
		t.Skip("runs the test binary again")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBadImplEnv$")
	cmd.Env = append(os.Environ(), "PPBENCH_TEST_MAIN=1", "PPBENCH_IMPL=avx1024")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("exit %v, want status 2; output %q", err, out)
	}
	want := "ppbench host: PPBENCH_IMPL=avx1024: tier \"avx1024\" is not available on this CPU"
	if !strings.HasPrefix(string(out), want) || strings.Count(string(out), "\n") != 1 {
		t.Errorf("output %q, want one line starting %q", out, want)
	}
}

// "ppbench help run" prints run's usage, as "ppbench run -h" does, not
// the list of commands.
func TestHelpCommandPrintsItsUsage(t *testing.T) {
	for _, c := range []string{"run", "report", "prices"} {
		code, out, errs := reportExec("help", c)
		if code != 0 || out != "" || !strings.HasPrefix(errs, "Usage: ppbench "+c+" ") || !strings.Contains(errs, "Flags:") {
			t.Errorf("help %s: exit %d, stderr starts %.60q", c, code, errs)
		}
	}
	if code, _, errs := reportExec("help", "nope"); code != 2 || !strings.Contains(errs, `unknown command "nope"`) {
		t.Errorf("help nope: exit %d, %q", code, errs)
	}
	if code, _, errs := reportExec("help"); code != 0 || !strings.Contains(errs, "Commands:") {
		t.Errorf("help: exit %d, %q", code, errs)
	}
}

// `ppbench version` prints one line: the version results record, Go and
// the platform (finding 9 of the first-hour review: there was none).
func TestVersionCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := mainExit([]string{"version"}, &stdout, &stderr); code != 0 || !strings.HasPrefix(stdout.String(), "ppbench "+ppbenchVersion()+" go") || strings.Count(stdout.String(), "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	if code := mainExit([]string{"version", "x"}, &stdout, &stderr); code != 2 {
		t.Errorf("version x: exit %d, want 2", code)
	}
}
