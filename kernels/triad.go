package kernels

import (
	"fmt"
	"sync"
)

// Triad computes a[i] = b[i] + s*c[i] for every i, the STREAM triad, with
// ordinary stores. It moves TriadBytes(len(a)) bytes and does 2 flops per
// element. threads > 1 splits the arrays into that many contiguous parts
// (on 64-byte boundaries), one goroutine each, as STREAM does.
func (t Tier) Triad(a, b, c []float64, s float64, threads int) {
	triad := t.get().triad
	if len(b) != len(a) || len(c) != len(a) {
		panic(fmt.Sprintf("kernels: Triad: len(a) = %d, len(b) = %d, len(c) = %d differ", len(a), len(b), len(c)))
	}
	if threads <= 1 || len(a) < 8*threads {
		triad(a, b, c, s)
		return
	}
	var wg sync.WaitGroup
	for _, r := range split(len(a), 8, threads) {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			triad(a[lo:hi], b[lo:hi], c[lo:hi], s)
		}(r[0], r[1])
	}
	wg.Wait()
}

// TriadBytes is the memory traffic STREAM counts for a triad of n float64
// elements: two arrays read and one written, 24 bytes per element. Write
// allocate (reading a before writing it) is not counted, as in STREAM.
func TriadBytes(n int) float64 { return 24 * float64(n) }

func triadGo(a, b, c []float64, s float64) {
	b = b[:len(a)]
	c = c[:len(a)]
	for i := range a {
		a[i] = b[i] + s*c[i]
	}
}
