package runner

import (
	"fmt"
	"time"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/internal/schema"
)

// A Price is what the instance costs, for the plan's cost estimate.
type Price struct {
	Instance string
	Region   string  // the region the price is for
	PerHour  float64 // on-demand US dollars per instance-hour; 0 when unknown
}

// Guesses behind the plan's estimate, where the probe says nothing.
const (
	// triadGBsPerThread is a low guess of one thread's memory bandwidth in
	// GB/s; a triad op at that rate is still far below any sensible
	// -benchtime, so the guess hardly moves the estimate.
	triadGBsPerThread = 5
	// gcShare is added to every measurement for the garbage collection
	// before it, which is not timed but takes wall time.
	gcShare = 0.03
	// setupGBs is a low guess of how fast a case's data is set up, in GB
	// of working set per second: fresh arrays are faulted in page by
	// page, at 0.6 to 0.8 GB/s on a 2-vCPU VM.
	setupGBs = 0.6
)

// opEstimate guesses the wall time of one op of c on a host where one
// thread runs c's kernel (or its ProbeAs kernel) at rate, in that
// kernel's unit (0 when not probed), and that has cores physical cores
// (0 when unknown): copies or threads beyond the physical cores share
// them and add nothing. A memory-bound case moves its Traffic at the
// triad's guessed bandwidth; one without a rate is guessed as if it were.
func opEstimate(c bench.Case, rate float64, cores int) time.Duration {
	par := c.Copies
	if cores > 0 {
		par = min(par, cores)
	}
	par = max(par, 1)
	var sec float64
	switch {
	case c.MemoryBound:
		sec = c.Traffic / (triadGBsPerThread * 1e9 * float64(par))
	case rate <= 0:
		sec = c.Work / (triadGBsPerThread * 1e9 * float64(par))
	case c.ProbeAs != "":
		k, _ := bench.Lookup(c.ProbeAs)
		sec = c.Ops / (rate * schema.UnitScale(k.Unit) * float64(par))
	default:
		sec = c.Work / (rate * schema.UnitScale(c.Unit) * float64(par))
	}
	return time.Duration(sec * float64(time.Second))
}

// measurementEstimate is how long one measurement of an op taking op
// lasts: fixed-count runs do their n ops; timed runs at least one op and,
// when ops are shorter than the target, about 1.2 times it, as go test's
// calibration aims 20% over the target.
func measurementEstimate(op time.Duration, bt Benchtime) time.Duration {
	var d time.Duration
	switch {
	case bt.N > 0:
		d = op * time.Duration(bt.N)
	case op >= bt.D:
		d = op
	default:
		d = bt.D + bt.D/5
	}
	return d + time.Duration(gcShare*float64(d))
}

// firstRoundEstimate is the extra time the first round spends on c: its
// setup, which later rounds skip when the data is kept, and with a
// -benchtime duration the trial runs that find the iteration count, which
// add up to less than one target time.
func firstRoundEstimate(c bench.Case, op time.Duration, bt Benchtime) time.Duration {
	d := time.Duration(c.DataBytes / (setupGBs * 1e9) * float64(time.Second))
	if bt.N == 0 {
		d += min(op, bt.D)
	}
	return d
}

// formatAbout formats a duration for the plan: seconds up to 90 s, minutes
// up to 90 minutes, hours after.
func formatAbout(d time.Duration) string {
	switch {
	case d < 90*time.Second:
		return "about " + plural(max(1, int(d.Seconds()+0.5)), "second")
	case d < 90*time.Minute:
		return "about " + plural(int(d.Minutes()+0.5), "minute")
	}
	return fmt.Sprintf("about %.1f hours", d.Hours())
}

// roundDuration shortens d for the progress bar: whole seconds, and whole
// minutes past ten minutes.
func roundDuration(d time.Duration) time.Duration {
	if d > 10*time.Minute {
		return d.Round(time.Minute)
	}
	return d.Round(time.Second)
}

// planLine is the line printed before the first measurement.
func planLine(benchmarks, rounds int, total time.Duration, p Price) string {
	s := fmt.Sprintf("plan: %s × %s, %s", plural(benchmarks, "benchmark"), plural(rounds, "round"), formatAbout(total))
	if p.PerHour > 0 && p.Instance != "" {
		s += fmt.Sprintf(", $%.3f on %s", p.PerHour*total.Hours(), p.Instance)
		where := ""
		if p.Region != "" {
			where = " in " + p.Region
		}
		s += fmt.Sprintf(" ($%.4g/hour on demand%s)", p.PerHour, where)
	}
	return s
}

// plural formats a count of things in English: "1 round", "6 rounds".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
