package bench

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/kernels"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// BenchmarkCompare times other ways to multiply the same matrices, to put
// the suite's SGEMM in context: a plain i-k-j triple loop in Go (what a
// kernel tier must clearly beat) and gonum's pure-Go Sgemm. They are not
// part of the suite that ppbench run records.
func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{256, 1024} {
		a, bm, c := fill(1, n*n), fill(2, n*n), make([]float32, n*n)
		flops := kernels.SgemmFLOPs(n, n, n)
		report := func(b *testing.B, start time.Time) {
			b.ReportMetric(flops*float64(b.N)/time.Since(start).Seconds()/1e9, schema.UnitGFLOPs)
		}
		b.Run(sizeKey(n)+"/"+schema.KeyImpl+"=naive-ikj", func(b *testing.B) {
			start := time.Now()
			for range b.N {
				naiveSgemm(n, a, bm, c)
			}
			report(b, start)
		})
		b.Run(sizeKey(n)+"/"+schema.KeyImpl+"=gonum", func(b *testing.B) {
			// gonum splits Sgemm over GOMAXPROCS goroutines; one keeps it
			// to one thread like the case it is compared with.
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			impl := gonum.Implementation{}
			start := time.Now()
			for range b.N {
				impl.Sgemm(blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, bm, n, 0, c, n)
			}
			report(b, start)
		})
	}
}

func sizeKey(n int) string {
	return schema.FormatName(schema.Sgemm, schema.Param{Key: schema.KeyN, Value: strconv.Itoa(n)}, schema.Param{Key: schema.KeyThreads, Value: schema.ThreadsOne})
}

// naiveSgemm is C = A·B for n×n matrices in the i-k-j order, the loop a
// programmer writes first: unit stride on B and C, no blocking.
func naiveSgemm(n int, a, b, c []float32) {
	clear(c)
	for i := range n {
		ci := c[i*n : i*n+n]
		for p := range n {
			av := a[i*n+p]
			bp := b[p*n : p*n+n]
			for j := range ci {
				ci[j] += av * bp[j]
			}
		}
	}
}
