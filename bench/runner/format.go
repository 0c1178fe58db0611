package runner

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/internal/schema"
)

// A Result is one measurement of one benchmark.
type Result struct {
	Name string // bench.Case.Name(), without "Benchmark" or the -N suffix
	Unit string // the case's throughput unit
	bench.Measurement
	Facts []bench.Fact // the case's constants, carried on the line
}

// NsPerOp is the wall time of one op in nanoseconds.
func (r Result) NsPerOp() float64 {
	return float64(r.Elapsed.Nanoseconds()) / float64(r.Iters)
}

// fullName is the name as go test prints it: "Benchmark", the name and,
// unless gomaxprocs is 1, "-gomaxprocs".
func fullName(name string, gomaxprocs int) string {
	if gomaxprocs != 1 {
		return fmt.Sprintf("Benchmark%s-%d", name, gomaxprocs)
	}
	return "Benchmark" + name
}

// Line formats r as go test prints a benchmark result: the full name
// padded to nameWidth, a tab, the iteration count, ns/op and the metrics in
// go test's number format, extra metrics (the throughput, steal-percent,
// the facts) in sorted unit order as the testing package sorts them. It
// has no trailing newline.
func (r Result) Line(gomaxprocs, nameWidth int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s\t%8d", nameWidth, fullName(r.Name, gomaxprocs), r.Iters)
	if ns := r.NsPerOp(); ns != 0 {
		b.WriteByte('\t')
		prettyPrint(&b, ns, "ns/op")
	}
	metrics := append([]bench.Fact{{Unit: r.Unit, Value: r.Rate}}, r.Facts...)
	if r.StealPercent >= 0 {
		metrics = append(metrics, bench.Fact{Unit: schema.UnitSteal, Value: r.StealPercent})
	}
	slices.SortFunc(metrics, func(x, y bench.Fact) int { return strings.Compare(x.Unit, y.Unit) })
	for _, m := range metrics {
		b.WriteByte('\t')
		prettyPrint(&b, m.Value, m.Unit)
	}
	return b.String()
}

// prettyPrint writes x and unit as the testing package does: ten places
// before the decimal point and four significant digits for small values,
// with the decimal points of the fractional formats aligned.
func prettyPrint(b *strings.Builder, x float64, unit string) {
	var format string
	switch y := math.Abs(x); {
	case y == 0 || y >= 999.95:
		format = "%10.0f %s"
	case y >= 99.995:
		format = "%12.1f %s"
	case y >= 9.9995:
		format = "%13.2f %s"
	case y >= 0.99995:
		format = "%14.3f %s"
	case y >= 0.099995:
		format = "%15.4f %s"
	case y >= 0.0099995:
		format = "%16.5f %s"
	case y >= 0.00099995:
		format = "%17.6f %s"
	default:
		format = "%18.7f %s"
	}
	fmt.Fprintf(b, format, x, unit)
}
