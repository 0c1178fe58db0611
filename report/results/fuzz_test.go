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
// It is seeded with the start of the synthetic results of the report's
// golden tests and of any real results in the repository, and with what
// a killed run leaves: whole files of several kilobytes made the fuzzer
// spend minutes minimising each new input, one byte at a time.
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
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.txt")
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

// seedStart returns the first lines of a results file, up to 1 KiB of
// them: the header and a few results, what the fuzzer needs to start from.
func seedStart(data []byte) []byte {
	if len(data) <= 1<<10 {
		return data
	}
	data = data[:1<<10]
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	}
	return data
}
