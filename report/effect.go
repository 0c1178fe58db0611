package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/montanaflynn/stats"
	"github.com/ppbench/ppbench/report/bootstrap"
	"github.com/ppbench/ppbench/report/results"
	"gonum.org/v1/gonum/stat/distuv"
)

// The verdicts' statistics (docs/design.md, "Claim verdicts"): a log
// ratio between two instances with a standard error that knows how far
// launches differ, so that a stated 95% holds for one launch a side as
// for five (TestVerdictCoverage simulates it).
//
// Each side's statistic is the mean over its launches of the launch's
// log median (over a kernel's sizes, or the claim's kernels, the mean of
// those logs): every launch weighs the same, however many samples it has.
// Its variance is
//
//   - two or more launches: the launches' own variance over their number
//     (or what resampling their rounds shows, if more), with a t quantile
//     of launches−1 degrees of freedom;
//   - one launch: what resampling its rounds shows (all of a round's
//     benchmarks drawn together, so that a slow round moves every one)
//     plus a launch-to-launch variance it cannot see: the noise floor's,
//     or the spread between the launch's own rounds when that is larger,
//     since a host whose rounds swing will not hold still between
//     launches either.

// An effect is a log ratio d = log(subject/baseline) with its standard
// error and degrees of freedom (+Inf where a floor, not data, set the
// variance). ok is false when a side has too few samples for any
// interval: a verdict on it is at most consistent.
type effect struct {
	d, se, df float64
	ok        bool
	l1, l2    int // launches behind each side
}

// interval returns the ratio's two-sided interval at confidence 1-alpha.
func (e effect) interval(alpha float64) (lo, hi float64) {
	if !e.ok {
		return math.NaN(), math.NaN()
	}
	q := tQuantile(1-alpha/2, e.df)
	return math.Exp(e.d - q*e.se), math.Exp(e.d + q*e.se)
}

// ratio returns e as a Ratio at confidence 1-alpha.
func (e effect) ratio(alpha float64) Ratio {
	lo, hi := e.interval(alpha)
	return Ratio{Value: math.Exp(e.d), Lo: lo, Hi: hi, P: math.NaN(), L1: e.l1, L2: e.l2}
}

func tQuantile(p, df float64) float64 {
	if math.IsInf(df, 1) || df > 1e6 {
		return distuv.UnitNormal.Quantile(p)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: max(df, 1)}.Quantile(p)
}

// A sideStat is one side's statistic: its mean over launches, the
// variance of that mean, and the degrees of freedom of that variance.
type sideStat struct {
	mean, v, df float64
	launches    int
	ok          bool
}

// A weighted is a benchmark and its weight in a statistic.
type weighted struct {
	bench  results.Bench
	weight float64
}

// withinResamples is how many joint resamples of a launch's rounds
// estimate the variance of its statistic.
const withinResamples = 400

// sideOf computes host h's statistic over ws, with launchSD the
// launch-to-launch standard deviation (log) a side measured in one
// launch is assumed to have at least (Options.NoiseFloor).
func sideOf(h *measured, ws []weighted, launchSD float64) sideStat {
	var means, within, roundSD []float64
	samples := 0
	for li, l := range h.launches {
		series := make([][]float64, len(ws))
		rounds := math.MaxInt
		for i, w := range ws {
			series[i] = l.Samples[w.bench]
			rounds = min(rounds, len(series[i]))
		}
		if rounds == 0 || rounds == math.MaxInt {
			continue // the launch lacks one of the benchmarks
		}
		samples += rounds
		means = append(means, launchStat(series, ws, rounds, nil, make([]float64, rounds)))
		within = append(within, withinVariance(series, ws, rounds, bootstrap.Seed(h.name, l.File, "rounds", strconv.Itoa(li))))
		roundSD = append(roundSD, roundSpread(series, ws, rounds))
	}
	st := sideStat{launches: len(means)}
	if len(means) == 0 {
		return st
	}
	st.mean = meanOf(means)
	st.ok = samples >= MinSamples
	floor := launchSD * launchSD
	if len(means) == 1 {
		st.v = within[0] + max(floor, roundSD[0]*roundSD[0])
		st.df = math.Inf(1)
		return st
	}
	// The launches' own spread, never less than what resampling their
	// rounds shows, with the t quantile's honesty about how little two or
	// three launches say of it.
	st.v = max(varianceOf(means), meanOf(within)) / float64(len(means))
	st.df = float64(len(means) - 1)
	return st
}

// launchStat is a launch's statistic: the weighted sum of the log medians
// of series, each over rounds (the first rounds of each, or those pick
// names when not nil), with buf (rounds long) to sort them in.
func launchStat(series [][]float64, ws []weighted, rounds int, pick []int, buf []float64) float64 {
	t := 0.0
	for i, s := range series {
		for r := range rounds {
			if pick != nil {
				buf[r] = s[pick[r]]
			} else {
				buf[r] = s[r]
			}
		}
		t += ws[i].weight * math.Log(medianOf(buf))
	}
	return t
}

// withinVariance is the variance of a launch's statistic over resamples
// of its rounds, each round's benchmarks drawn together.
func withinVariance(series [][]float64, ws []weighted, rounds int, seed uint64) float64 {
	if rounds < 2 {
		return 0
	}
	rng := rand.New(rand.NewPCG(seed, 0x726f756e6473))
	pick := make([]int, rounds)
	buf := make([]float64, rounds)
	ts := make([]float64, withinResamples)
	for k := range ts {
		for r := range pick {
			pick[r] = rng.IntN(rounds)
		}
		ts[k] = launchStat(series, ws, rounds, pick, buf)
	}
	return varianceOf(ts)
}

// roundSpread is the standard deviation, between a launch's rounds, of
// the statistic taken on one round alone: how much the host itself moved
// while it was measured.
func roundSpread(series [][]float64, ws []weighted, rounds int) float64 {
	if rounds < 2 {
		return 0
	}
	ts := make([]float64, rounds)
	for r := range ts {
		for i, s := range series {
			ts[r] += ws[i].weight * math.Log(s[r])
		}
	}
	return math.Sqrt(varianceOf(ts))
}

// effectOf combines the two sides into the log ratio subject/baseline
// times scale, with Welch's degrees of freedom.
func effectOf(s, b sideStat, scale float64) effect {
	e := effect{d: s.mean - b.mean + math.Log(scale), ok: s.ok && b.ok, l1: s.launches, l2: b.launches}
	v := s.v + b.v
	e.se = math.Sqrt(v)
	den := 0.0
	for _, x := range []sideStat{s, b} {
		if !math.IsInf(x.df, 1) {
			den += x.v * x.v / x.df
		}
	}
	e.df = math.Inf(1)
	if den > 0 {
		e.df = v * v / den
	}
	return e
}

// meanOf is the mean of xs, which are never empty here.
func meanOf(xs []float64) float64 {
	m, _ := stats.Mean(xs)
	return m
}

// varianceOf is the sample variance (n-1), 0 for fewer than two values.
func varianceOf(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	v, _ := stats.SampleVariance(xs)
	return v
}

// medianOf returns the median of xs, reordering them.
func medianOf(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	return (xs[(n-1)/2] + xs[n/2]) / 2
}

// sideStatOf is sideOf for the judge, computed once per host and set of
// benchmarks: the claims share their pairs and kernels, and resampling
// the rounds is most of a verdict's time.
func (j *judge) sideStatOf(h *measured, ws []weighted) sideStat {
	var key strings.Builder
	fmt.Fprintf(&key, "%p", h)
	for _, w := range ws {
		fmt.Fprintf(&key, "\x00%s\x00%s\x00%s\x00%g", w.bench, w.bench.Tier, w.bench.Unit, w.weight)
	}
	if st, ok := j.sides[key.String()]; ok {
		return st
	}
	st := sideOf(h, ws, j.launchSD)
	if j.sides == nil {
		j.sides = map[string]sideStat{}
	}
	j.sides[key.String()] = st
	return st
}
