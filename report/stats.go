package report

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/bootstrap"
	"github.com/ppbench/ppbench/report/results"
	"golang.org/x/perf/benchmath"
)

// The statistics the rows, the comparisons and the verdicts share
// (docs/design.md, "Statistics"): medians with benchmath's intervals, and
// ratios of medians with bootstrap intervals, each sample resampled once
// with a seed fixed by its name. A sample measured in two or more
// launches is resampled in two stages, launches and then samples within
// them (bootstrap.TwoStageMedians), so that its intervals know how far
// launches differ; a sample from one launch knows only the noise within
// that run, which the verdicts make up for with the noise floor
// (verdictInterval).

// An Estimate is a median with its confidence interval. Lo and Hi are
// NaN when there are too few samples for an interval.
type Estimate struct {
	Center, Lo, Hi float64
	N              int // samples
}

// HasInterval reports whether Lo and Hi are known.
func (e Estimate) HasInterval() bool { return !math.IsNaN(e.Lo) && !math.IsNaN(e.Hi) }

func (e Estimate) scale(k float64) Estimate {
	return Estimate{e.Center * k, e.Lo * k, e.Hi * k, e.N}
}

// A Ratio is a ratio of medians (or a geometric mean of such ratios) with
// its bootstrap interval and, for single benchmarks, the Mann-Whitney U
// p-value of the two samples it compares (NaN otherwise).
type Ratio struct {
	Value, Lo, Hi float64
	P             float64
	N1, N2        int // samples on each side; 0 for geometric means
	// L1 and L2 are the launches behind each side, those that ran the
	// benchmark; for a geometric mean, the fewest behind any of its
	// parts. With two or more the side was resampled in two stages.
	L1, L2 int
}

// A KernelRatio is an instance-to-instance ratio for one kernel: the
// geometric mean over the kernel's sizes and variants measured on both.
type KernelRatio struct {
	Kernel string
	// Tiers are the tiers the subject and the baseline ran the kernel
	// at, where a verdict names them; empty in the comparisons.
	Tiers [2]string
	Ratio
}

// statistics computes estimates and ratios at one confidence, caching the
// bootstrap replicates of each sample.
type statistics struct {
	confidence float64
	resamples  int
	cache      map[repKey]bootstrap.Replicates
}

type repKey struct {
	host  *measured
	bench results.Bench
}

func newStatistics(confidence float64, resamples int) *statistics {
	return &statistics{confidence: confidence, resamples: resamples, cache: map[repKey]bootstrap.Replicates{}}
}

// estimate summarises a sample with benchmath's median and
// order-statistic interval.
func (st *statistics) estimate(values []float64) *Estimate {
	// NewSample sorts in place: a launch's samples stay in file order,
	// the order drift is tested in.
	s := benchmath.NewSample(slices.Clone(values), &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(s, st.confidence)
	e := &Estimate{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, N: len(values)}
	if math.IsInf(e.Lo, 0) || math.IsInf(e.Hi, 0) {
		e.Lo, e.Hi = math.NaN(), math.NaN()
	}
	return e
}

// replicates returns (and caches) the bootstrap medians of one host's
// benchmark.
func (st *statistics) replicates(k repKey) bootstrap.Replicates {
	if rep, ok := st.cache[k]; ok {
		return rep
	}
	rep := st.resample(k)
	st.cache[k] = rep
	return rep
}

// resample bootstraps one sample with a seed fixed by its names, so that
// a report does not depend on the order samples are resampled in: in two
// stages when two or more launches ran it, with one seed for the launches
// drawn by all of the host's benchmarks (see bootstrap.TwoStageMedians).
func (st *statistics) resample(k repKey) bootstrap.Replicates {
	seed := bootstrap.Seed(k.host.name, k.bench.String(), k.bench.Tier, k.bench.Unit)
	if len(k.host.launchSamples(k.bench)) > 1 {
		return bootstrap.TwoStageMedians(k.host.launchSeries(k.bench), st.resamples, bootstrap.Seed(k.host.name, "launches"), seed)
	}
	return bootstrap.Medians(k.host.samples(k.bench), st.resamples, seed)
}

// onAllCPUs calls do(i) for each i in [0, n), on as many goroutines as
// there are CPUs, each taking the next i when it is done with one, and
// returns when all calls have.
func onAllCPUs(n int, do func(i int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				do(i)
			}
		})
	}
	wg.Wait()
}

// prefetch bootstraps the samples of keys that are not cached yet on all
// CPUs: resampling is most of a report's time.
func (st *statistics) prefetch(keys []repKey) {
	var todo []repKey
	seen := map[repKey]bool{}
	for _, k := range keys {
		if _, ok := st.cache[k]; !ok && !seen[k] && len(k.host.samples(k.bench)) >= MinSamples {
			seen[k] = true
			todo = append(todo, k)
		}
	}
	reps := make([]bootstrap.Replicates, len(todo))
	onAllCPUs(len(todo), func(i int) { reps[i] = st.resample(todo[i]) })
	for i, k := range todo {
		st.cache[k] = reps[i]
	}
}

// ratio compares benchmark ba on host a with bb on b: the ratio of
// medians times scale (1 for performance, the inverse price ratio for
// work per dollar), its bootstrap replicates and interval, and the
// Mann-Whitney p-value of the two samples scaled the same way.
func (st *statistics) ratio(a *measured, ba results.Bench, b *measured, bb results.Bench, scale float64) (Ratio, bootstrap.Replicates) {
	sa, sb := a.samples(ba), b.samples(bb)
	var reps bootstrap.Replicates
	lo, hi := math.NaN(), math.NaN()
	if len(sa) >= MinSamples && len(sb) >= MinSamples {
		// Like benchmath, give no interval below MinSamples: the
		// bootstrap of a tiny sample understates its uncertainty.
		reps = bootstrap.Scale(bootstrap.Ratio(st.replicates(repKey{a, ba}), st.replicates(repKey{b, bb})), scale)
		lo, hi = reps.Interval(st.confidence)
	}
	ma := st.estimate(sa).Center
	mb := st.estimate(sb).Center
	// Compare like with like: scale the numerator's sample so that a
	// p-value tests the same quantity as the ratio.
	scaled := make([]float64, len(sa))
	for i, v := range sa {
		scaled[i] = v * scale
	}
	cmp := benchmath.AssumeNothing.Compare(
		benchmath.NewSample(scaled, &benchmath.DefaultThresholds),
		benchmath.NewSample(sb, &benchmath.DefaultThresholds))
	return Ratio{Value: ma / mb * scale, Lo: lo, Hi: hi, P: cmp.P, N1: len(sa), N2: len(sb),
		L1: len(a.launchSamples(ba)), L2: len(b.launchSamples(bb))}, reps
}

// geomean combines kernel ratios and their replicates; it has no interval
// when one of them has none (nil replicates).
func (st *statistics) geomean(ratios []Ratio, reps []bootstrap.Replicates) (Ratio, bootstrap.Replicates) {
	if len(ratios) == 1 {
		return ratios[0], reps[0]
	}
	values := make([]float64, len(ratios))
	g := Ratio{Lo: math.NaN(), Hi: math.NaN(), P: math.NaN(), L1: math.MaxInt, L2: math.MaxInt}
	for i, x := range ratios {
		values[i] = x.Value
		g.L1, g.L2 = min(g.L1, x.L1), min(g.L2, x.L2)
	}
	g.Value = bootstrap.GeomeanOf(values)
	if slices.ContainsFunc(reps, func(r bootstrap.Replicates) bool { return r == nil }) {
		return g, nil
	}
	greps := bootstrap.Geomean(reps...)
	g.Lo, g.Hi = greps.Interval(st.confidence)
	return g, greps
}

// nonProbeGeomean is the geometric mean of ks (with their replicates reps)
// over the kernels other than the peak probes, or nil when every kernel is a
// probe.
func (st *statistics) nonProbeGeomean(ks []KernelRatio, reps []bootstrap.Replicates) *Ratio {
	var gr []Ratio
	var grep []bootstrap.Replicates
	for i, k := range ks {
		if !schema.IsProbe(k.Kernel) {
			gr, grep = append(gr, k.Ratio), append(grep, reps[i])
		}
	}
	if len(gr) == 0 {
		return nil
	}
	g, _ := st.geomean(gr, grep)
	return &g
}

// kernelRatios turns matches of a's benchmarks with b's into per-kernel
// ratios: each size's ratio (times scale) and, per kernel, the geometric
// mean over its sizes. each, when not nil, is called with every size's
// ratio so callers can keep them.
func (st *statistics) kernelRatios(a, b *measured, ms []match, scale float64, each func(match, Ratio)) ([]KernelRatio, []bootstrap.Replicates) {
	var out []KernelRatio
	var reps []bootstrap.Replicates
	for i := 0; i < len(ms); {
		j := i
		var rs []Ratio
		var rp []bootstrap.Replicates
		for ; j < len(ms) && ms[j].kernel == ms[i].kernel; j++ {
			ratio, rep := st.ratio(a, ms[j].a, b, ms[j].b, scale)
			if each != nil {
				each(ms[j], ratio)
			}
			rs = append(rs, ratio)
			rp = append(rp, rep)
		}
		g, grep := st.geomean(rs, rp)
		out = append(out, KernelRatio{Kernel: ms[i].kernel, Ratio: g})
		reps = append(reps, grep)
		i = j
	}
	return out, reps
}
