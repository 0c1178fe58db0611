package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead checks that no input makes Read panic, that every error is one
// line naming the file, and that accepted samples are finite and positive.
// It is seeded with the first lines of the synthetic results of the report's
// golden tests and of any real results in the repository, and with what
// a killed run leaves: whole files of several kilobytes made the fuzzer
// spend minutes minimising each new input, one byte at a time, so the
// seeds are short and longer inputs are skipped.
func FuzzRead(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/*.txt")
	real, _ := filepath.Glob("../../results/*.txt")
	for _, p := range append(seeds, real...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(seedStart(data))
		}
	}
	f.Add([]byte("instance: x\nBenchmarkSgemm/n=1/threads=all-2 1 1 ns/op 1 GFLOP/s\nsteal-percent: 1\n"))
	f.Add([]byte("instance: x\nvcpus: 2\n"))
	f.Add([]byte("instance: x\nBenchmarkSgemm/n=1/threads=all-2 1 1 ns/op 1 GFLOP/s\nBenchmarkSgemm/n=1/threads=all-2 1 1 ns/op 1 GF"))
	f.Add([]byte("instance: x\nBenchmarkSgemm/n=1/threads=all-2 1 1 ns/op 1 GFLOP/s\ninstance: y\nBenchmarkSgemm/n=1/threads=all-2 1 1 ns/op 1 GFLOP/s\n"))
	// One file per worker process, rewritten for each input: a
	// directory made and removed per input cost more than Read.
	p := filepath.Join(f.TempDir(), "f.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			// Minimising a large input costs minutes a byte at a
			// time, and a longer file reaches no other code.
			t.Skip()
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		set, err := Read([]Input{{Path: p, Instance: "fuzz.xlarge"}})
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, p) || strings.Contains(msg, "\n") {
				t.Fatalf("bad error %q", msg)
			}
			return
		}
		for _, in := range set.Instances {
			if len(in.Launches) == 0 || len(in.Samples) == 0 {
				t.Fatalf("instance %s with nothing in it", in.Name)
			}
			for b, vs := range in.Samples {
				for _, v := range vs {
					if !(v > 0) || math.IsInf(v, 0) {
						t.Fatalf("%v: accepted %v", b, v)
					}
				}
			}
		}
	})
}

// maxFuzzInput bounds what FuzzRead feeds Read, and maxFuzzSeed its
// seeds.
const (
	maxFuzzInput = 4 << 10
	maxFuzzSeed  = 1 << 10
)

// seedStart returns the start of a results file without its comments,
// up to its second result: a header and a result or two, what the fuzzer
// needs to start from.
func seedStart(data []byte) []byte {
	var seed []byte
	results := 0
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, []byte("#")) {
			continue
		}
		if len(seed)+len(line) > maxFuzzSeed || results == 2 {
			break
		}
		seed = append(seed, line...)
		if bytes.HasPrefix(line, []byte("Benchmark")) {
			results++
		}
	}
	return seed
}
