// Package benchfmttest reads results files in tests, as benchstat reads
// them, for the packages that write them (bench/runner, cmd/ppbench).
package benchfmttest

import (
	"os"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// Read parses the results file at path and returns its results. A file
// that cannot be read stops the test; each syntax error in it fails the
// test.
func Read(tb testing.TB, path string) []*benchfmt.Result {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []*benchfmt.Result
	r := benchfmt.NewReader(f, path)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.Result:
			out = append(out, rec.Clone())
		case *benchfmt.SyntaxError:
			tb.Errorf("%v", rec)
		}
	}
	if err := r.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
