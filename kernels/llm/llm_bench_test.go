package llm

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ppbench/ppbench/kernels"
)

// The benchmarks time llama-3.2-1b in q8_0, the model and format the
// suite's LLM benchmarks run: decode and prefill tokens per second at 1
// and 2 threads, the share of the time spent in the matrix products (the
// rest, activation quantisation, norms, rotary embedding, attention and
// SiLU, must stay small), and the rate of bytes (decode, against
// DecodeBytesPerToken) or operations (prefill, PrefillOps). New's time
// for the 1B model is BenchmarkNew.
//
//	go test -run '^$' -bench . -benchtime 5x ./kernels/llm

const benchModel = "llama-3.2-1b"

// prefillTokens is the prompt length BenchmarkPrefill computes per
// operation: enough rows for the products to be matrix-matrix, few
// enough for the portable kernels to take seconds, not minutes.
const prefillTokens = 32

// memAvailable returns MemAvailable from /proc/meminfo in bytes, or -1
// where it cannot be read (not Linux).
func memAvailable() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return -1
			}
			return kb << 10
		}
	}
	return -1
}

// skipLowMemory skips b unless MemAvailable holds a model of shape s in
// format with room to spare: the weights, the cache, and half a GiB for
// scratch and the rest of the process.
func skipLowMemory(b *testing.B, s Shape, format string, maxContext int) {
	w, err := s.WeightBytes(format)
	if err != nil {
		b.Fatal(err)
	}
	need := w + int64(maxContext)*s.KVBytesPerPosition() + 512<<20
	if avail := memAvailable(); avail >= 0 && avail < need {
		b.Skipf("llm: %s %s needs about %d MiB, MemAvailable is %d MiB", s.Name, format, need>>20, avail>>20)
	}
}

// matmulTime accumulates the time spent in the model's matrix products:
// the benchmark model's product function adds to it. Only the goroutine
// running the model writes it.
var matmulTime time.Duration

// timedQ8 is the widest Q8 tier's Q8MatMul, timed into matmulTime.
func timedQ8(x, w *kernels.Q8Matrix, y []float32, ldy, threads int) {
	t0 := time.Now()
	kernels.WidestQ8().Q8MatMul(x, w, y, ldy, threads)
	matmulTime += time.Since(t0)
}

// benchQ8 is the llama-3.2-1b q8_0 model of the benchmarks, built once.
var benchQ8 *Model

// benchMaxContext is the benchmark model's cache: decode runs from an
// empty cache, so this is also the longest context a decode step sees.
const benchMaxContext = 256

func getBenchQ8(b *testing.B) *Model {
	s, err := LookupShape(benchModel)
	if err != nil {
		b.Fatal(err)
	}
	skipLowMemory(b, s, FormatQ8, benchMaxContext)
	if benchQ8 == nil {
		t0 := time.Now()
		benchQ8, err = New(s, FormatQ8, 1, WithMaxContext(benchMaxContext), WithMaxBatch(prefillTokens), WithQ8MatMul(timedQ8))
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s %s in %v", s.Name, FormatQ8, time.Since(t0).Round(time.Millisecond))
	}
	return benchQ8
}

// report sets the tokens/s and matrix-product share of tokens computed
// in elapsed, of which matmul in the products.
func report(b *testing.B, tokens int, elapsed, matmul time.Duration) {
	b.ReportMetric(float64(tokens)/elapsed.Seconds(), "tok/s")
	b.ReportMetric(100*matmul.Seconds()/elapsed.Seconds(), "matmul-%")
}

// BenchmarkDecode times one decode step (a token through every weight,
// batch 1) of llama-3.2-1b q8_0, from an empty cache up: contexts 1 to
// b.N, at most benchMaxContext (the cache is emptied, untimed, when full).
func BenchmarkDecode(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("%s/%s/threads=%d", benchModel, FormatQ8, threads), func(b *testing.B) {
			m := getBenchQ8(b)
			m.Reset()
			matmulTime = 0
			var bytes int64 // read by the steps, DecodeBytesPerToken each
			tok := 1
			b.ResetTimer()
			for range b.N {
				if m.Pos() == m.MaxContext() {
					b.StopTimer()
					m.Reset()
					b.StartTimer()
				}
				n, _ := m.Shape().DecodeBytesPerToken(FormatQ8, m.Pos()+1)
				bytes += n
				tok = Greedy(m.Decode(tok, threads))
			}
			b.StopTimer()
			report(b, b.N, b.Elapsed(), matmulTime)
			b.ReportMetric(float64(bytes)/b.Elapsed().Seconds()/1e9, "GB/s")
		})
	}
}

// BenchmarkPrefill times a prefillTokens-token prompt of llama-3.2-1b
// q8_0 from an empty cache, one matrix-matrix product per weight matrix.
func BenchmarkPrefill(b *testing.B) {
	prompt := make([]int, prefillTokens)
	for i := range prompt {
		prompt[i] = (i*7919 + 13) % 128256 // arbitrary tokens
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("%s/%s/tokens=%d/threads=%d", benchModel, FormatQ8, prefillTokens, threads), func(b *testing.B) {
			m := getBenchQ8(b)
			matmulTime = 0
			b.ResetTimer()
			for range b.N {
				m.Reset()
				m.Prefill(prompt, threads)
			}
			b.StopTimer()
			report(b, b.N*prefillTokens, b.Elapsed(), matmulTime)
			b.ReportMetric(float64(b.N)*m.Shape().PrefillOps(prefillTokens)/b.Elapsed().Seconds()/1e9, "Gop/s")
		})
	}
}

// BenchmarkNew times building llama-3.2-1b (generating its 1.24 billion
// weights) in each format, on GOMAXPROCS goroutines.
func BenchmarkNew(b *testing.B) {
	s, err := LookupShape(benchModel)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range Formats() {
		b.Run(s.Name+"/"+f, func(b *testing.B) {
			skipLowMemory(b, s, f, DefaultMaxContext)
			w, _ := s.WeightBytes(f)
			b.SetBytes(w)
			for range b.N {
				if _, err := New(s, f, uint64(b.N)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
