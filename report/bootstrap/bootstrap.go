// Package bootstrap computes percentile bootstrap intervals for ratios of
// medians and for geometric means of such ratios, the comparisons that
// golang.org/x/perf/benchmath does not provide.
//
// The bootstrap works on Replicates: the values a statistic takes over a
// fixed number of resamples. Replicates combine element by element
// (replicate i of a ratio is replicate i of the numerator over replicate
// i of the denominator), which is valid because replicate i of every
// sample belongs to one resample of all of them: samples of different
// instances are resampled independently, and those of one instance's
// launches draw the same launches (see TwoStageMedians). Every sample is
// resampled with its own fixed seed, so a report is the same on every run
// and does not depend on the order in which comparisons are made.
//
// A sample measured in several launches (separate boots of an instance
// type, each with its own host and neighbours) has two sources of noise,
// within a launch and between launches, and on a cloud host the second is
// the larger. TwoStageMedians resamples both: launches, then samples
// within each. Medians, which resamples the pooled samples, knows only
// the first.
package bootstrap

import (
	"cmp"
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
		out[i] = countedMedian(sample, counts, m)
	}
	return out
}

// TwoStageMedians resamples a sample measured in several launches n
// times and returns the median of each resample. Each resample draws as
// many launches as there are, with replacement, then from each launch
// drawn as many of its samples as it has, with replacement, and takes
// the median of all it drew. The launches need not be sorted, are not
// modified, and must not all be empty. An empty launch (one that did not
// run this benchmark) keeps its place: it is drawn like the others and
// adds nothing, so that every benchmark of a host, given the host's
// launches in file order, draws the same launches in replicate i. With
// one launch that ran it, TwoStageMedians is Medians of that launch's
// samples, sorted, with sampleSeed.
//
// launchSeed fixes the launches each resample draws and sampleSeed the
// samples drawn within them. Samples of one instance type resampled with
// the same launchSeed and the same number of launches draw the same
// launches in replicate i, so that what a launch does to every benchmark
// (a slower host, a noisier neighbour) moves their replicates together,
// and a geometric mean of them varies between launches as much as the
// measurements did. Independent draws per benchmark would let the
// launches' effects average out over kernels, and they do not: in six
// back-to-back runs of one host, geometric means over three kernels
// differed between runs by a median 3.0%, single kernels by 2.2%.
//
// Like Medians, it counts draws over the launches' samples in sorted
// order rather than sorting each resample.
func TwoStageMedians(launches [][]float64, n int, launchSeed, sampleSeed uint64) Replicates {
	type value struct {
		v      float64
		launch int
	}
	var all []value
	nl, ran := len(launches), 0
	for i, l := range launches {
		for _, v := range l {
			all = append(all, value{v, i})
		}
		if len(l) > 0 {
			ran++
		}
	}
	slices.SortStableFunc(all, func(a, b value) int { return cmp.Compare(a.v, b.v) })
	sorted := make([]float64, len(all))
	// at[l] holds the positions in sorted of launch l's samples: a draw
	// from launch l counts at one of them.
	at := make([][]int, nl)
	for i, x := range all {
		sorted[i] = x.v
		at[x.launch] = append(at[x.launch], i)
	}
	if ran == 1 {
		return Medians(sorted, n, sampleSeed)
	}
	launchRNG := rand.NewPCG(launchSeed, 0x6c61756e6368)
	sampleRNG := rand.NewPCG(sampleSeed, 0x9e3779b97f4a7c15)
	counts := make([]int, len(sorted))
	out := make(Replicates, n)
	for i := range out {
		clear(counts)
		drawn := 0
		for range nl {
			// Multiply-shift as in Medians: 32 random bits onto
			// [0, nl), then onto the launch's samples. A launch without
			// this benchmark adds nothing; it is drawn all the same, so
			// that replicate i draws the same launches for every
			// benchmark of the host.
			pos := at[(launchRNG.Uint64()&0xffffffff)*uint64(nl)>>32]
			m := uint64(len(pos))
			for d := uint64(0); d < m; d += 2 {
				x := sampleRNG.Uint64()
				counts[pos[(x&0xffffffff)*m>>32]]++
				if d+1 < m {
					counts[pos[(x>>32)*m>>32]]++
				}
			}
			drawn += len(pos)
		}
		if drawn == 0 {
			// Every launch drawn lacked the benchmark: this replicate
			// falls back on all of its samples.
			out[i] = (sorted[(len(sorted)-1)/2] + sorted[len(sorted)/2]) / 2
			continue
		}
		out[i] = countedMedian(sorted, counts, drawn)
	}
	return out
}

// countedMedian returns the median of a resample of sorted given as
// counts, the number of draws of each of its values, drawn in all.
func countedMedian(sorted []float64, counts []int, drawn int) float64 {
	// Order statistics (0-based) that make up the median.
	lo, hi := (drawn-1)/2, drawn/2
	var loV, hiV float64
	seen := 0
	for j, c := range counts {
		if c == 0 {
			continue
		}
		if seen <= lo && lo < seen+c {
			loV = sorted[j]
		}
		if seen <= hi && hi < seen+c {
			hiV = sorted[j]
			break
		}
		seen += c
	}
	return (loV + hiV) / 2
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
