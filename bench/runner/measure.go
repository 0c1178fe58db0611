package runner

import (
	"runtime"
	"time"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
)

// maxIters bounds calibration as go test bounds b.N.
const maxIters = 1e9

// measure makes one measurement of s.c: fresh data from Setup, as each go
// test run gets, a garbage collection so that none of the previous
// benchmark's garbage is collected on the clock, then the timed ops. In
// the first round it calibrates s.iters first; the last calibration run
// is the measurement, as in go test. It updates s's time estimates.
func measure(s *caseState, bt Benchtime) Result {
	wallStart := time.Now()
	r := s.c.Setup()
	runtime.GC()
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
		// Later rounds skip the trial runs: count them out of each.
		wallStart = wallStart.Add(time.Since(calibStart) - res.Elapsed)
	}
	s.calib = 0
	s.each = time.Since(wallStart)
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

// timed runs iters ops of r and reads the steal ticks around them.
func timed(c bench.Case, r bench.Runner, iters int) Result {
	steal0, total0, err0 := host.ReadStealTicks()
	start := time.Now()
	r.Run(iters)
	elapsed := time.Since(start)
	steal1, total1, err1 := host.ReadStealTicks()
	res := Result{
		Name: c.Name(), Iters: iters, Elapsed: elapsed,
		Rate: c.Rate(iters, max(elapsed, time.Nanosecond).Seconds()), Unit: c.Unit,
		StealPercent: -1,
	}
	if err0 == nil && err1 == nil {
		res.StealPercent = host.StealPercent(steal0, total0, steal1, total1)
	}
	return res
}
