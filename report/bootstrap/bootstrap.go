// Package bootstrap computes percentile bootstrap intervals for ratios of
// medians and for geometric means of such ratios, the comparisons that
// golang.org/x/perf/benchmath does not provide.
//
// The bootstrap works on Replicates: the values a statistic takes over a
// fixed number of resamples. Replicates of independent samples combine
// element by element (replicate i of a ratio is replicate i of the
// numerator over replicate i of the denominator), which is valid because
// each sample is resampled independently of the others. Every sample is
// resampled with its own fixed seed, so a report is the same on every run
// and does not depend on the order in which comparisons are made.
package bootstrap

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/montanaflynn/stats"
)

// DefaultResamples is the number of resamples used when none is given:
// enough for the 2.5th and 97.5th percentiles to be stable to about a
// tenth of the interval width.
const DefaultResamples = 2000

// Replicates holds one value of a statistic per resample. All Replicates
// that are combined must have the same length.
type Replicates []float64

// Seed derives a fixed seed from names (an instance and a benchmark, say),
// so that a sample is always resampled the same way.
func Seed(names ...string) uint64 {
	h := fnv.New64a()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// Medians resamples sample (with replacement, same size) n times and
// returns the median of each resample. sample must be sorted ascending and
// non-empty; it is not modified.
//
// Each resample draws len(sample) indices and counts them rather than
// sorting the drawn values: because sample is sorted, the median is found
// by walking the counts, which keeps the cost linear in the sample size.
func Medians(sample []float64, n int, seed uint64) Replicates {
	rng := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	m := len(sample)
	out := make(Replicates, n)
	if m == 1 {
		for i := range out {
			out[i] = sample[0]
		}
		return out
	}
	counts := make([]int, m)
	um := uint64(m)
	// Order statistics (0-based) that make up the median.
	lo, hi := (m-1)/2, m/2
	for i := range out {
		clear(counts)
		// Each 64-bit draw gives two indices: Lemire's multiply-shift
		// maps 32 random bits onto [0, m). Its bias, below m/2^32, is
		// far under the resampling noise for any sample a benchmark run
		// produces.
		for d := 0; d < m; d += 2 {
			x := rng.Uint64()
			counts[(x&0xffffffff)*um>>32]++
			if d+1 < m {
				counts[(x>>32)*um>>32]++
			}
		}
		var loV, hiV float64
		seen := 0
		for j, c := range counts {
			if c == 0 {
				continue
			}
			if seen <= lo && lo < seen+c {
				loV = sample[j]
			}
			if seen <= hi && hi < seen+c {
				hiV = sample[j]
				break
			}
			seen += c
		}
		out[i] = (loV + hiV) / 2
	}
	return out
}

// Ratio returns num[i]/den[i] for each replicate.
func Ratio(num, den Replicates) Replicates {
	out := make(Replicates, len(num))
	for i := range out {
		out[i] = num[i] / den[i]
	}
	return out
}

// Scale returns r multiplied by k, for turning a throughput ratio into a
// work-per-dollar ratio (k is the inverse price ratio).
func Scale(r Replicates, k float64) Replicates {
	out := make(Replicates, len(r))
	for i, v := range r {
		out[i] = v * k
	}
	return out
}

// Geomean returns the geometric mean across rs of each replicate. All rs
// must be positive and of equal length; with one argument it returns it.
func Geomean(rs ...Replicates) Replicates {
	if len(rs) == 1 {
		return rs[0]
	}
	out := make(Replicates, len(rs[0]))
	for i := range out {
		var logSum float64
		for _, r := range rs {
			logSum += math.Log(r[i])
		}
		out[i] = math.Exp(logSum / float64(len(rs)))
	}
	return out
}

// Interval returns the percentile interval of r at confidence (0.95 for
// the 2.5th to 97.5th percentiles), interpolating between replicates.
func (r Replicates) Interval(confidence float64) (lo, hi float64) {
	if len(r) == 0 {
		return math.NaN(), math.NaN()
	}
	sorted := slices.Clone(r)
	slices.Sort(sorted)
	tail := (1 - confidence) / 2 * 100
	// The errors are for empty input and percentages out of (0, 100],
	// both excluded above.
	lo, _ = stats.Percentile(stats.Float64Data(sorted), max(tail, math.SmallestNonzeroFloat64))
	hi, _ = stats.Percentile(stats.Float64Data(sorted), 100-tail)
	return lo, hi
}

// GeomeanOf returns the geometric mean of positive values, or NaN when
// there are none or one is not positive.
func GeomeanOf(values []float64) float64 {
	g, err := stats.GeometricMean(stats.Float64Data(values))
	if err != nil {
		return math.NaN()
	}
	return g
}
