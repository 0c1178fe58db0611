package bench

import (
	"math"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
)

// ProbeRates times one op of each named kernel at its Probe size on one
// thread with tiers t, the better of two tries so that a cold first one
// does not count, and returns each kernel's rate in its unit (GFLOP/s,
// GOP/s). Memory-bound kernels, those probed as another (ProbeAs) and
// names not in Table are left out: the
// caller guesses those. A run's plan scales these rates to the suite's
// sizes and copies; it takes a few milliseconds a kernel.
func ProbeRates(names []string, t Tiers) map[string]float64 {
	t = t.orWidest()
	rates := map[string]float64{}
	for _, name := range names {
		k, ok := Lookup(name)
		if !ok || k.MemoryBound || k.ProbeAs != "" {
			continue
		}
		if _, done := rates[name]; done {
			continue
		}
		op := k.Setup(k.Probe, t, 1, 1)
		best := time.Duration(math.MaxInt64)
		for range 2 {
			start := time.Now()
			op(1)
			best = min(best, max(time.Since(start), time.Nanosecond))
		}
		rates[name] = k.Work(k.Probe, t) / best.Seconds() / schema.UnitScale(k.Unit)
	}
	return rates
}
