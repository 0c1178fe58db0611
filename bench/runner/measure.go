package runner

import (
	"fmt"
	"runtime"
	"time"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
)

// maxIters bounds calibration as go test bounds b.N.
const maxIters = 1e9

// A pool keeps benchmarks' data from one round to the next, within a
// memory budget. Setting up costs more than measuring for some cases (the
// triad's 768 MiB are faulted in and written, over a second on a small
// host), and paying it every round would double a short run; beyond the
// budget a case gets fresh data every round, as every go test run does.
type pool struct {
	budget uint64 // bytes of benchmark data that may be kept
	kept   uint64 // bytes kept now
}

// newPool returns a pool that keeps at most a quarter of the memory
// available now (1 GiB where /proc/meminfo cannot be read), so that kept
// data never pushes a small instance into swapping or the OOM killer.
func newPool() *pool {
	avail := host.MemAvailable()
	if avail == 0 {
		avail = 4 << 30
	}
	return &pool{budget: avail / 4}
}

// liveHeap collects garbage and returns the bytes of live heap objects.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// runner returns s's data, setting it up when it was not kept, and keeps
// it when it fits the budget. It returns after a garbage collection, so
// that no earlier benchmark's garbage is collected on the clock (go test
// collects before each run too).
func (p *pool) runner(s *caseState) bench.Runner {
	if s.runner != nil {
		runtime.GC()
		return s.runner
	}
	before := liveHeap() // also frees the last unkept case's data before this one's arrives
	r := s.c.Setup()
	after := liveHeap()
	if size := after - min(before, after); p.kept+size <= p.budget {
		s.runner = r
		p.kept += size
	}
	return r
}

// measure makes one measurement of s.c. In the first round it calibrates
// s.iters first, and the last calibration run is the measurement, as in go
// test. It updates s's time estimates from what it saw.
func (p *pool) measure(s *caseState, bt Benchtime) Result {
	wallStart := time.Now()
	r := p.runner(s)
	setup := time.Since(wallStart)
	var res Result
	switch {
	case s.iters > 0:
		res = timed(s.c, r, s.iters)
	case bt.N > 0:
		s.iters = bt.N
		res = timed(s.c, r, s.iters)
	default:
		calibStart := time.Now()
		res = calibrate(s.c, r, bt.D)
		s.iters = res.Iters
		// Later rounds skip the trial runs: count them out.
		wallStart = wallStart.Add(time.Since(calibStart) - res.Elapsed)
	}
	s.calib = 0
	s.each = time.Since(wallStart)
	if s.runner != nil {
		s.each -= setup // later rounds reuse the data
	}
	return res
}

// calibrate grows the op count from 1 as go test's launch does until one
// run lasts d: each next count aims 20% past d at the rate seen so far,
// grows at most 100-fold and at least by one.
func calibrate(c bench.Case, r bench.Runner, d time.Duration) Result {
	n := 1
	for {
		res := timed(c, r, n)
		if res.Elapsed >= d || n >= maxIters {
			return res
		}
		prev := n
		ns := max(res.Elapsed.Nanoseconds(), 1)
		next := float64(d.Nanoseconds()) * float64(prev) / float64(ns)
		next += next / 5
		next = min(next, 100*float64(prev), maxIters)
		n = max(int(next), prev+1)
	}
}

// timed runs iters ops of r: bench.Case.Measure, the one measurement
// `go test -bench` takes too.
func timed(c bench.Case, r bench.Runner, iters int) Result {
	return Result{Name: c.Name(), Unit: c.Unit, Measurement: c.Measure(r, iters), Facts: c.Facts}
}

// memAvailableFunc is host.MemAvailable, a variable for tests.
var memAvailableFunc = host.MemAvailable

// CheckMemory refuses cases whose largest data (bench.Case.DataBytes, all
// copies together, from the suite's sizes) does not fit in the memory
// available now (MemAvailable), in one line naming the benchmark: such a
// run would die out of memory in its first round. Where MemAvailable is
// not known (not Linux) there is no check.
func CheckMemory(cases []bench.Case) error {
	avail := memAvailableFunc()
	if avail == 0 {
		return nil
	}
	var big bench.Case
	for _, c := range cases {
		if c.DataBytes > big.DataBytes {
			big = c
		}
	}
	if big.DataBytes > float64(avail) {
		return fmt.Errorf("Benchmark%s needs about %.1f GiB for its data (%d copies), and this host has %.1f GiB available: pick fewer -threads or -short, or -bench to leave it out",
			big.Name(), big.DataBytes/(1<<30), big.Copies, float64(avail)/(1<<30))
	}
	return nil
}
