package results

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/schema"
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
	real, _ := filepath.Glob("../../docs/examples/*.txt")
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
	maxFuzzInput = 512
	maxFuzzSeed  = 384
)

// seedStart returns the start of a results file cut down to what the
// reader reads: the configuration lines of the keys it uses and the first
// two results. The minimiser tries every pair of bytes of a new input, so
// a seed of a few hundred bytes costs seconds where a whole file cost
// minutes.
func seedStart(data []byte) []byte {
	keys := []string{schema.ConfigInstance, schema.ConfigCPUModel, schema.ConfigVCPUs, schema.ConfigPkg,
		schema.ConfigKernelImpl, schema.ConfigKernelImplBF16, schema.ConfigKernelImplInt8}
	var seed []byte
	results := 0
	for line := range bytes.Lines(data) {
		key, _, ok := bytes.Cut(line, []byte(": "))
		switch {
		case bytes.HasPrefix(line, []byte("Benchmark")):
			// The columns' padding is a run of spaces that
			// every mutation would have to get through.
			line = append(bytes.Join(bytes.Fields(line), []byte(" ")), '\n')
			results++
		case !ok || !slices.Contains(keys, string(key)):
			continue
		}
		if len(seed)+len(line) > maxFuzzSeed {
			break
		}
		seed = append(seed, line...)
		if results == 2 {
			break
		}
	}
	return seed
}
