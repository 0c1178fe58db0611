package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/bench/host"
)

func TestHostCommand(t *testing.T) {
	t.Setenv(host.EnvInstance, "")
	t.Setenv(host.EnvRegion, "")
	var stdout, stderr bytes.Buffer
	code := mainExit([]string{"host", "-instance", "c7g.xlarge", "-region", "us-east-1"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"instance: c7g.xlarge\ninstance-source: flag\ncloud: aws\nregion: us-east-1\ncpu-vendor: ",
		"\nkernel-impl: ", "\ngo-version: go", "\nppbench-version: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		key, value, ok := strings.Cut(line, ": ")
		if !ok || key == "" || value == "" || strings.ContainsAny(key, " \t") || key != strings.ToLower(key) {
			t.Errorf("not a config line: %q", line)
		}
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
}

func TestHostCommandEnv(t *testing.T) {
	t.Setenv(host.EnvInstance, "c4a-standard-4")
	t.Setenv(host.EnvRegion, "us-central1")
	var stdout, stderr bytes.Buffer
	if code := mainExit([]string{"host"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if want := "instance: c4a-standard-4\ninstance-source: env\ncloud: "; !strings.HasPrefix(stdout.String(), want) {
		t.Errorf("output does not start with %q:\n%s", want, stdout.String())
	}
	if !strings.Contains(stdout.String(), "\nregion: us-central1\n") {
		t.Errorf("output lacks the region:\n%s", stdout.String())
	}
}

func TestHostCommandUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"host", "-bogus"}, 2, "flag provided but not defined"},
		{[]string{"host", "extra"}, 2, `ppbench host: unexpected argument "extra"`},
		{[]string{"host", "-instance", "c7g xlarge"}, 2, "ppbench host: -instance: "},
		{[]string{"host", "-region", "us-east-1\n"}, 2, "ppbench host: -region: "},
		{[]string{"host", "-h"}, 0, "Usage: ppbench host"},
	}
	for _, tt := range tests {
		t.Setenv(host.EnvInstance, "")
		var stdout, stderr bytes.Buffer
		code := mainExit(tt.args, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr.String(), tt.code, tt.msg)
		}
		if stdout.Len() != 0 {
			t.Errorf("%q: wrote to stdout: %q", tt.args, stdout.String())
		}
	}
}

func TestPpbenchVersion(t *testing.T) {
	defer func(v string) { version = v }(version)
	version = "v9.9.9"
	if got := ppbenchVersion(); got != "v9.9.9" {
		t.Errorf("with -ldflags version: got %q", got)
	}
	version = "devel"
	if got := ppbenchVersion(); got != host.Version() {
		t.Errorf("without: got %q, want host.Version() = %q", got, host.Version())
	}
}

// TestBadEnvNames: $PPBENCH_INSTANCE and $PPBENCH_REGION name the host as
// -instance and -region do, under the same rule.
func TestBadEnvNames(t *testing.T) {
	for _, tt := range []struct{ env, value string }{
		{host.EnvInstance, "bad name"},
		{host.EnvInstance, "c7g.xlarge\nBenchmarkX 1 1 ns/op"},
		{host.EnvRegion, "us east"},
	} {
		t.Run(tt.env, func(t *testing.T) {
			t.Setenv(tt.env, tt.value)
			for _, cmd := range []string{"host", "run"} {
				var stdout, stderr bytes.Buffer
				code := mainExit([]string{cmd, "-o", "-"}[:map[string]int{"host": 1, "run": 3}[cmd]], &stdout, &stderr)
				want := "ppbench " + cmd + ": $" + tt.env + ": "
				if code != 2 || !strings.HasPrefix(stderr.String(), want) || strings.Count(stderr.String(), "\n") != 1 {
					t.Errorf("%s with %s=%q: exit %d, stderr %q; want 2 and one line starting %q", cmd, tt.env, tt.value, code, stderr.String(), want)
				}
				if stdout.Len() != 0 {
					t.Errorf("%s: stdout %q", cmd, stdout.String())
				}
			}
		})
	}
}
