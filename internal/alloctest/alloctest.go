// Package alloctest checks that a parser's memory grows no faster than its
// input: the fuzz targets feed parsers bytes from outside, and a parser
// whose allocations grow faster than linearly (a pair of every two rounds,
// say) can be made to exhaust memory by a file of a few megabytes.
package alloctest

import (
	"bytes"
	"runtime"
	"testing"
)

// Linear calls parse on head followed by rows 0 to 3, and by rows 0 to
// 63, and fails when the second allocated more than perByte bytes per
// input byte beyond the first: growth is at most linear, with slope
// perByte. row(i) makes row i, so that rows can differ where a parser
// refuses repeats (a claim id used twice).
func Linear(t testing.TB, name string, head []byte, row func(i int) []byte, perByte float64, parse func([]byte)) {
	t.Helper()
	input := func(n int) []byte {
		in := bytes.Clone(head)
		for i := range n {
			in = append(in, row(i)...)
		}
		return in
	}
	alloc := func(n int) uint64 {
		in := input(n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		parse(in)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := alloc(4), alloc(64)
	grown := float64(len(input(64)) - len(input(4)))
	if slope := (float64(large) - float64(small)) / grown; slope > perByte {
		t.Errorf("%s: %.0f bytes allocated per input byte from 4 rows to 64, want at most %.0f", name, slope, perByte)
	}
}
