package results

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ppbench/ppbench/internal/alloctest"
)

// Read allocates a bounded multiple of the file it reads.
func TestReadAllocatesLinearly(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f.txt")
	head := []byte("instance: c7g.xlarge\nkernel-impl: neon\nvcpus: 4\n")
	unit := []byte("BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s\nBenchmarkTriad/n=33554432/threads=all-4 1 100 ns/op 20 GB/s\n")
	alloctest.Linear(t, "Read", head, func(int) []byte { return unit }, 256, func(b []byte) {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Read([]Input{{Path: p}}); err != nil {
			t.Fatal(err)
		}
	})
}
