package runner

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ppbench/ppbench/bench"
)

// Finding 6 of issue 23: -benchtime and -count are bounded.
func TestBenchtimeBounds(t *testing.T) {
	for _, s := range []string{"1000000001x", "9223372036854775807x", "2h", "1000000h"} {
		if _, err := ParseBenchtime(s); err == nil {
			t.Errorf("%s accepted", s)
		}
	}
	for _, s := range []string{"1000000000x", "1h", "1x"} {
		if _, err := ParseBenchtime(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	_, _, err := Config{Cases: []bench.Case{{}}, Count: 1000000000}.check()
	if err == nil {
		t.Error("-count 1000000000 accepted")
	}
}

// Finding 5 of issue 23: a run whose data cannot fit in the memory
// available is refused in one line naming the benchmark, before anything
// is allocated (the self-check, which comes first, is not even run).
func TestRunRefusesWhatMemoryCannotHold(t *testing.T) {
	m, err := NewMatcher("Sgemm/n=1024")
	if err != nil {
		t.Fatal(err)
	}
	cases := mustCases(t, Selection{Threads: "4096", Procs: 2, Match: m.Match})
	old := memAvailableFunc
	memAvailableFunc = func() uint64 { return 8 << 30 }
	defer func() { memAvailableFunc = old }()
	t.Chdir(t.TempDir())
	_, err = Run(context.Background(), Config{
		Cases: cases, Count: 1, Benchtime: Benchtime{N: 1}, Fingerprint: testFingerprint(), Output: "out.txt",
		SelfCheck: func() error { t.Fatal("started measuring"); return nil },
	})
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "BenchmarkSgemm/") || !strings.Contains(err.Error(), "available") {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat("out.txt"); !errors.Is(err, os.ErrNotExist) {
		t.Error("results file left behind")
	}
	// Where MemAvailable is unknown, nothing is refused.
	memAvailableFunc = func() uint64 { return 0 }
	if err := CheckMemory(cases); err != nil {
		t.Error(err)
	}
}

// Finding 6 of issue 23: a signal stops a measurement that would go on
// for hours, TermGrace after it arrives, as a second Ctrl-C would. The
// helper process stands for a run inside a measurement that never ends.
func TestSignalStopsMeasurementInProgress(t *testing.T) {
	if os.Getenv("PPBENCH_SIGNAL_HELPER") == "1" {
		TermGrace = 100 * time.Millisecond
		ctx, stop := WithInterrupt(context.Background())
		defer stop()
		os.Stdout.WriteString("ready\n")
		<-ctx.Done()
		time.Sleep(time.Minute) // the measurement in progress
		os.Exit(0)
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGTERM")
	}
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSignalStopsMeasurementInProgress$")
		cmd.Env = append(os.Environ(), "PPBENCH_SIGNAL_HELPER=1")
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			if errors.Is(err, syscall.ENOEXEC) {
				// Under user-mode emulation (the arm64 tests run in
				// qemu) the kernel cannot start the test binary again.
				t.Skipf("cannot run the test binary as a helper here: %v", err)
			}
			t.Fatal(err)
		}
		buf := make([]byte, 6)
		if _, err := out.Read(buf); err != nil {
			t.Fatal(err)
		}
		cmd.Process.Signal(sig)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != sig {
				t.Errorf("%v: exit %v, want the signal's", sig, err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("%v: the measurement in progress went on", sig)
		}
	}
}
