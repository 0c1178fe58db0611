// Package drift tests whether a run's measurements trend from its first
// round to its last. ppbench interleaves rounds (every benchmark once per
// round), so a host that speeds up or slows down during a run (a
// neighbour arriving, clocks or memory settling) moves all benchmarks the
// same way over the rounds, while independent noise does not.
//
// The test combines every benchmark: its statistic is the mean over
// benchmarks of Kendall's tau between round number and measurement, and
// its p-value comes from permuting the rounds, the same permutation for
// every benchmark. Permuting rounds jointly keeps what a shared host does
// to one round (a neighbour's burst slows every benchmark measured in it)
// inside the null hypothesis: only an ordered trend over the rounds is
// drift, not one bad round. Up to 7 rounds every permutation is tried;
// beyond, Permutations random ones with a fixed seed, so the same run
// always gets the same answer. The size of the drift is the median over
// benchmarks of the Theil-Sen slope, relative to the benchmark's median,
// times the rounds it spans: the change from the first round to the last,
// in percent. A series of more than MaxRounds rounds is tested as
// MaxRounds runs of consecutive rounds, so that the work is bounded.
package drift

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Permutations is the number of orders of the rounds behind a p-value
// when there are too many rounds to try them all.
const Permutations = 4000

// MinRounds is the fewest measurements a benchmark needs to take part.
const MinRounds = 3

// A Result is the outcome of Test.
type Result struct {
	Benchmarks int     // series with at least MinRounds measurements
	Tau        float64 // mean Kendall tau between round and measurement, in [-1, 1]
	// P is the two-sided permutation p-value of Tau; 1 when nothing was
	// tested, and when Percent is below MinPercent (such a drift is never
	// worth a warning, so its p-value is not computed).
	P float64
	// Percent is the median change from the first round to the last, as
	// a percentage of the median measurement: positive when the host got
	// faster (for a higher-is-better metric).
	Percent float64
}

// Thresholds of a drift worth a warning: this unlikely by chance, and this
// large from the first round to the last, so that a tiny but consistent
// trend on a quiet host raises none.
const (
	Alpha      = 0.01
	MinPercent = 2.0
)

// Drifted reports whether r is a drift worth a warning (Alpha, MinPercent).
func (r Result) Drifted() bool {
	return r.Benchmarks > 0 && r.P < Alpha && math.Abs(r.Percent) >= MinPercent
}

// String says what r found, in a phrase for a warning: "the host slowed
// down by 4.1% from the first round to the last (28 benchmarks, p=0.001)".
func (r Result) String() string {
	way := "slowed down"
	if r.Percent > 0 {
		way = "sped up"
	}
	s := "s"
	if r.Benchmarks == 1 {
		s = ""
	}
	return fmt.Sprintf("the host %s by %.1f%% from the first round to the last (%d benchmark%s, p=%.3f)",
		way, math.Abs(r.Percent), r.Benchmarks, s, r.P)
}

// Test tests series for a common trend. Each series is one benchmark's
// measurements in round order. Series are cut to the rounds all of them
// have (an interrupted run's last round is partial); series shorter than
// MinRounds, and those with values that are not finite, are left out.
func Test(series [][]float64) Result {
	var used [][]float64
	rounds := math.MaxInt
	for _, s := range series {
		if len(s) >= MinRounds && !slices.ContainsFunc(s, func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }) {
			used = append(used, s)
			rounds = min(rounds, len(s))
		}
	}
	res := Result{Benchmarks: len(used), P: 1}
	if len(used) == 0 {
		return res
	}
	for i := range used {
		used[i] = binned(used[i][:rounds], MaxRounds)
	}
	rounds = len(used[0])
	res.Tau = meanTau(used)
	slopes := make([]float64, len(used))
	for i, s := range used {
		if m := median(s); m != 0 {
			slopes[i] = theilSen(s) / m * float64(len(s)-1) * 100
		}
	}
	res.Percent = median(slopes)
	if math.Abs(res.Percent) < MinPercent {
		// Too small to warn of whatever its p-value: leave P at 1 and
		// spare the permutations, which are most of a report's time
		// when it reads hundreds of files.
		return res
	}

	perm := make([][]float64, len(used))
	for i := range perm {
		perm[i] = make([]float64, rounds)
	}
	extreme, tried := 0, 0
	eachPermutation(rounds, func(order []int) {
		for i, s := range used {
			for j, k := range order {
				perm[i][j] = s[k]
			}
		}
		if math.Abs(meanTau(perm)) >= math.Abs(res.Tau)-1e-12 {
			extreme++
		}
		tried++
	})
	res.P = float64(extreme) / float64(tried)
	return res
}

// eachPermutation calls f with every order of n rounds when there are at
// most 7! of them, the identity among them, else with the identity and
// Permutations-1 random orders from a fixed seed.
func eachPermutation(n int, f func(order []int)) {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if n <= 7 {
		var heap func(k int)
		heap = func(k int) { // Heap's algorithm
			if k == 1 {
				f(order)
				return
			}
			for i := range k - 1 {
				heap(k - 1)
				if k%2 == 0 {
					order[i], order[k-1] = order[k-1], order[i]
				} else {
					order[0], order[k-1] = order[k-1], order[0]
				}
			}
			heap(k - 1)
		}
		heap(n)
		return
	}
	f(order)
	r := rand.New(rand.NewPCG(0x6472696674, uint64(n)))
	for range Permutations - 1 {
		r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		f(order)
	}
}

func meanTau(series [][]float64) float64 {
	sum := 0.0
	for _, s := range series {
		sum += kendallTau(s)
	}
	return sum / float64(len(series))
}

// kendallTau is Kendall's tau-a between position and value: concordant
// minus discordant pairs over all pairs (ties count as neither).
func kendallTau(s []float64) float64 {
	n := len(s)
	c := 0
	for i := range n {
		for j := i + 1; j < n; j++ {
			switch {
			case s[j] > s[i]:
				c++
			case s[j] < s[i]:
				c--
			}
		}
	}
	return float64(c) / float64(n*(n-1)/2)
}

// MaxRounds bounds the rounds the test works on: a series longer than
// that is cut into MaxRounds runs of consecutive rounds, as even as they
// can be, each standing for its mean. A trend over the rounds is a trend
// over the runs, and the permutations (each O(rounds²) for Kendall's tau)
// and Theil-Sen's pairs stay bounded however many rounds a file holds (a
// file of 60,000 rounds of one benchmark asked for 14 GB of pairs).
const MaxRounds = 100

// binned returns s, or the means of MaxRounds runs of it when it is
// longer than max.
func binned(s []float64, max int) []float64 {
	if len(s) <= max {
		return s
	}
	out := make([]float64, max)
	for b := range max {
		lo, hi := b*len(s)/max, (b+1)*len(s)/max
		sum := 0.0
		for _, v := range s[lo:hi] {
			sum += v
		}
		out[b] = sum / float64(hi-lo)
	}
	return out
}

// maxPairs bounds theilSen's pairs: beyond it, that many pairs are drawn
// with a fixed seed, so the same series always gets the same slope.
const maxPairs = 1 << 16

// theilSen is the median of the slopes between all pairs of points
// (i, s[i]): a trend per round that one outlier cannot move. Above
// maxPairs pairs it is the median of maxPairs pairs drawn at random from
// a fixed seed: memory and time stay bounded for any length.
func theilSen(s []float64) float64 {
	n := len(s)
	if n < 2 {
		return 0
	}
	if n*(n-1)/2 > maxPairs {
		r := rand.New(rand.NewPCG(0x7468656973656e, uint64(n)))
		slopes := make([]float64, 0, maxPairs)
		for len(slopes) < maxPairs {
			i, j := r.IntN(n), r.IntN(n)
			if i == j {
				continue
			}
			if i > j {
				i, j = j, i
			}
			slopes = append(slopes, (s[j]-s[i])/float64(j-i))
		}
		return median(slopes)
	}
	slopes := make([]float64, 0, n*(n-1)/2)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			slopes = append(slopes, (s[j]-s[i])/float64(j-i))
		}
	}
	return median(slopes)
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := slices.Clone(x)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}
