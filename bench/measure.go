package bench

import (
	"time"

	"github.com/ppbench/ppbench/bench/host"
)

// A Measurement is one timed run of a case: iters ops, back to back.
type Measurement struct {
	Iters   int
	Elapsed time.Duration
	Rate    float64 // throughput in the case's Unit
	// StealPercent is the host-wide steal time during the run, in
	// percent; negative when /proc/stat could not be read.
	StealPercent float64
}

// Measure times iters ops of r, a Runner from c.Setup, and reads the steal
// ticks around them. It is the one measurement of the suite: `go test
// -bench` calls it with b.N, `ppbench run` with its calibrated count, so
// both time exactly the same thing.
func (c Case) Measure(r Runner, iters int) Measurement {
	steal0, total0, err0 := host.ReadStealTicks()
	start := time.Now()
	r.Run(iters)
	elapsed := time.Since(start)
	steal1, total1, err1 := host.ReadStealTicks()
	m := Measurement{
		Iters: iters, Elapsed: elapsed,
		Rate:         c.Rate(iters, max(elapsed, time.Nanosecond).Seconds()),
		StealPercent: -1,
	}
	if err0 == nil && err1 == nil {
		m.StealPercent = host.StealPercent(steal0, total0, steal1, total1)
	}
	return m
}
