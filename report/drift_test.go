package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/report/results"
)

// A launch whose host slowed down round after round is warned of, by
// file; a steady launch of the same instance is not.
func TestDriftWarning(t *testing.T) {
	dir := t.TempDir()
	var s strings.Builder
	s.WriteString("# synthetic\ninstance: c8a.large\nkernel-impl: avx512\n")
	for round := range 8 {
		slow := 1 - 0.01*float64(round) // 7% slower by the last round: 7.3% of the median
		fmt.Fprintf(&s, "BenchmarkSgemm/n=1024/threads=all-2 1 1 ns/op %.4f GFLOP/s\n", 100*slow)
		fmt.Fprintf(&s, "BenchmarkAttention/seq=2048/dim=64/heads=8/threads=all-2 1 1 ns/op %.4f GFLOP/s\n", 50*slow)
	}
	drifting := filepath.Join(dir, "drifting.txt")
	if err := os.WriteFile(drifting, []byte(s.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	steady := writeLaunches(t, dir, "c8a.large", 100, 1)
	r := buildAA(t, aaCatalog(t, ""), 0, append(steady, results.Input{Path: drifting})...)
	var found []string
	for _, w := range r.Warnings {
		if strings.Contains(w.Text, "drifted") {
			found = append(found, w.String())
		}
	}
	want := "c8a.large: " + drifting + ": the host slowed down by 7.3% from the first round to the last (2 benchmarks, p=0.000): results drifted during the run; run again"
	if len(found) != 1 || found[0] != want {
		t.Errorf("drift warnings %q, want only\n%s", found, want)
	}
}
