// Package goldentest compares test output with golden files under
// testdata/golden, and rewrites them when a test binary runs with -update.
package goldentest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// Check compares got with testdata/golden/name, or rewrites that file when
// the test runs with -update. rerun is the command that rewrites the file,
// named in the failure so whoever reads it knows how to accept a deliberate
// change.
func Check(t testing.TB, name string, got []byte, rerun string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (%s writes it)", err, rerun)
	}
	if bytes.Equal(got, want) {
		return
	}
	line, g, w := firstDifference(string(got), string(want))
	t.Errorf("%s differs from the golden file at line %d:\ngot:  %s\nwant: %s\nrun %s and review the diff",
		name, line, g, w, rerun)
}

// firstDifference is the 1-based number of the first line where got and
// want differ, and that line of each ("(end of file)" past its end).
func firstDifference(got, want string) (line int, g, w string) {
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	i := 0
	for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
		i++
	}
	at := func(lines []string) string {
		if i < len(lines) {
			return lines[i]
		}
		return "(end of file)"
	}
	return i + 1, at(gl), at(wl)
}
