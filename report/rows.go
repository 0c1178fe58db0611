package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/bootstrap"
	"github.com/ppbench/ppbench/report/results"
)

// suiteKernels are compared against the baseline: every kernel of the
// suite, in suite order.
var suiteKernels = func() []string {
	var names []string
	for _, k := range schema.Kernels() {
		names = append(names, k.Name)
	}
	return names
}()

type rowKey struct {
	instance, kernel, params, tier, unit string
}

// rows builds one Row per instance, kernel, size and tier.
func (r *Report) rows() {
	byKey := map[rowKey]*Row{}
	order := map[string]int{}
	for i, h := range r.Hosts {
		order[h.Instance] = i
		for _, b := range h.inst.Benches() {
			k := rowKey{h.Instance, b.Kernel, b.Params, b.Tier, b.Unit}
			row := byKey[k]
			if row == nil {
				row = &Row{Instance: h.Instance, Kernel: b.Kernel, Params: b.Params, Tier: b.Tier, Unit: b.Unit,
					PctFMAPeak: math.NaN(), PctPublishedPeak: math.NaN(), LaunchSpreadPct: math.NaN()}
				byKey[k] = row
				r.Rows = append(r.Rows, row)
			}
			e := r.estimate(h.inst.Samples[b])
			switch b.Threads {
			case schema.ThreadsAll:
				row.Whole, row.whole = e, b
			case schema.ThreadsCores:
				row.Cores, row.cores = e, b
			case schema.ThreadsOne:
				row.Single, row.single = e, b
			case "":
				// Benchmarks from other tools have no threads key
				// (the suite's must): they measure the whole host.
				row.Whole, row.whole = e, b
			default:
				r.warn(h.Instance, "Benchmark%s: threads=%s is not one of 1, cores, all; left out", b, b.Threads)
			}
			r.sampleWarnings(h.Instance, b, e)
		}
	}
	slices.SortStableFunc(r.Rows, func(a, b *Row) int {
		if c := results.CompareBench(a.bench(""), b.bench("")); c != 0 {
			return c
		}
		return order[a.Instance] - order[b.Instance]
	})
	for _, row := range r.Rows {
		r.fillRow(r.Host(row.Instance), row)
	}
}

// bench returns the row's kernel and size as a benchmark at threads,
// without its tier, which is how rows are ordered: by kernel and size.
func (row *Row) bench(threads string) results.Bench {
	return results.Bench{Kernel: row.Kernel, Params: row.Params, Unit: row.Unit, Threads: threads}
}

// headline returns the benchmark the row's headline figures come from:
// the whole instance when run, else one thread.
func (row *Row) headline() (results.Bench, *Estimate) {
	if row.Whole != nil {
		return row.whole, row.Whole
	}
	return row.single, row.Single
}

func (r *Report) sampleWarnings(instance string, b results.Bench, e *Estimate) {
	name := fmt.Sprintf("Benchmark%s (%s)", b, tierName(b.Tier))
	if e.N < MinSamples {
		r.warn(instance, "%s has %d samples, fewer than %d: no interval", name, e.N, MinSamples)
		return
	}
	if half := max(e.Hi-e.Center, e.Center-e.Lo) / e.Center * 100; half > MaxSpreadPct {
		r.warn(instance, "%s spreads ±%.1f%% (over %.0f%%)", name, half, MaxSpreadPct)
	}
}

func tierName(t string) string {
	if t == "" {
		return "tier unknown"
	}
	return t
}

func (r *Report) fillRow(h *Host, row *Row) {
	if row.Whole != nil && row.Cores != nil {
		ratio, _ := r.ratio(h.Instance, row.whole, h.Instance, row.cores, 1)
		ratio.P = math.NaN() // same host: the U test says nothing useful here
		row.SMTGain = &ratio
	}
	if row.Whole != nil && h.Price != nil {
		e := row.Whole.scale(secondsPerHour / h.Price.PricePerHour)
		row.WorkPerDollar = &e
	}
	hb, he := row.headline()
	if he == nil {
		return
	}
	// Spread between launches of the same instance type.
	if len(h.inst.Launches) > 1 {
		for _, l := range h.inst.Launches {
			if s := l.Samples[hb]; len(s) > 0 {
				row.LaunchMedians = append(row.LaunchMedians, r.estimate(s).Center)
			}
		}
		if len(row.LaunchMedians) > 1 {
			row.LaunchSpreadPct = (slices.Max(row.LaunchMedians) - slices.Min(row.LaunchMedians)) / he.Center * 100
			if row.LaunchSpreadPct > MaxSpreadPct {
				r.warn(h.Instance, "Benchmark%s (%s) differs by %.1f%% between launches (over %.0f%%)", hb, tierName(row.Tier), row.LaunchSpreadPct, MaxSpreadPct)
			}
		}
	}
	if row.Unit != schema.UnitGFLOPs {
		return
	}
	if row.Kernel != schema.FMAPeak {
		fma := results.Bench{Kernel: schema.FMAPeak, Threads: hb.Threads, Tier: row.Tier, Unit: schema.UnitGFLOPs}
		if s := h.inst.Samples[fma]; len(s) > 0 {
			row.PctFMAPeak = he.Center / r.estimate(s).Center * 100
		}
	}
	if peak, ok := r.Catalog.Peak(schema.Family(h.Instance)); ok && row.Tier != "portable" && row.Tier != "" {
		cores := h.Cores
		if hb.Threads == schema.ThreadsOne {
			cores = 1
		}
		if g, ok := peak.PeakGFLOPS(cores, tierRank(row.Tier) == 2); ok {
			row.PctPublishedPeak = he.Center / g * 100
		}
	}
}

// A match pairs a benchmark of one instance with the same benchmark of
// another, at comparable kernel tiers.
type match struct {
	kernel string
	a, b   results.Bench
}

// tierClass separates the portable tier (pure Go) from SIMD tiers: results
// of different classes are never compared.
func tierClass(t string) string {
	if t == "portable" {
		return "portable"
	}
	return "simd"
}

// matchBenches pairs a's and b's benchmarks of kernels at threads (nil
// kernels: every benchmark that is not one of the suite's, at any
// threads). For each kernel and size it prefers the same tier, then two
// SIMD tiers, then two portable ones. Sizes measured on both sides only at
// tiers of different classes are returned as reasons in notComparable.
func matchBenches(a, b *results.Instance, kernels []string, threads string) (ms []match, notComparable []string) {
	type group struct{ kernel, params, unit, threads string }
	tiersA, tiersB := map[group][]results.Bench{}, map[group][]results.Bench{}
	var groups []group
	collect := func(in *results.Instance, into map[group][]results.Bench, record bool) {
		for _, bn := range in.Benches() {
			if kernels == nil {
				if bn.Suite() {
					continue
				}
			} else if !slices.Contains(kernels, bn.Kernel) || bn.Threads != threads || !rateMode(bn) {
				continue
			}
			g := group{bn.Kernel, bn.Params, bn.Unit, bn.Threads}
			if record && into[g] == nil {
				groups = append(groups, g)
			}
			into[g] = append(into[g], bn)
		}
	}
	collect(a, tiersA, true)
	collect(b, tiersB, false)
	slices.SortStableFunc(groups, func(x, y group) int {
		ix, iy := slices.Index(kernels, x.kernel), slices.Index(kernels, y.kernel)
		if ix != iy {
			return ix - iy
		}
		return results.CompareBench(results.Bench{Kernel: x.kernel, Params: x.params}, results.Bench{Kernel: y.kernel, Params: y.params})
	})
	for _, g := range groups {
		as, bs := tiersA[g], tiersB[g]
		if len(bs) == 0 {
			continue
		}
		best, bestScore := match{}, 0
		for _, x := range as {
			for _, y := range bs {
				score := 0
				switch {
				case x.Tier == y.Tier:
					score = 3
				case tierClass(x.Tier) == "simd" && tierClass(y.Tier) == "simd":
					score = 2
				}
				if score > bestScore {
					best, bestScore = match{g.kernel, x, y}, score
				}
			}
		}
		if bestScore == 0 {
			name := g.kernel
			if g.params != "" {
				name += " " + g.params
			}
			notComparable = append(notComparable, fmt.Sprintf("%s: %s ran %s, %s ran %s",
				name, a.Name, tierList(as), b.Name, tierList(bs)))
			continue
		}
		ms = append(ms, best)
	}
	return ms, notComparable
}

// rateMode reports whether b measures the whole instance as DESIGN.md
// defines it (one copy per vCPU): a mode=parallel variant, one
// multi-threaded kernel, is shown in the tables but not compared, so that
// it does not count twice in a kernel's ratio.
func rateMode(b results.Bench) bool {
	for _, p := range strings.Split(b.Params, "/") {
		if strings.HasPrefix(p, "mode=") && p != "mode=rate" {
			return false
		}
	}
	return true
}

func tierList(bs []results.Bench) string {
	var ts []string
	for _, b := range bs {
		ts = append(ts, tierName(b.Tier))
	}
	return strings.Join(ts, " and ")
}

// kernelRatios turns matches into per-kernel ratios: each size's ratio
// (times scale) and, per kernel, the geometric mean over its sizes. each
// is called with every size's ratio so callers can keep them.
func (r *Report) kernelRatios(a, b string, ms []match, scale float64, each func(match, Ratio)) ([]KernelRatio, []bootstrap.Replicates) {
	var out []KernelRatio
	var reps []bootstrap.Replicates
	for i := 0; i < len(ms); {
		j := i
		var rs []Ratio
		var rp []bootstrap.Replicates
		for ; j < len(ms) && ms[j].kernel == ms[i].kernel; j++ {
			ratio, rep := r.ratio(a, ms[j].a, b, ms[j].b, scale)
			if each != nil {
				each(ms[j], ratio)
			}
			rs = append(rs, ratio)
			rp = append(rp, rep)
		}
		g, grep := r.geomean(rs, rp)
		out = append(out, KernelRatio{ms[i].kernel, g})
		reps = append(reps, grep)
		i = j
	}
	return out, reps
}

// compare sets each row's ratio against the baseline and builds one
// Comparison per other instance.
func (r *Report) compare() {
	base := r.Host(r.Baseline)
	rowOf := map[rowKey]*Row{}
	for _, row := range r.Rows {
		rowOf[rowKey{row.Instance, row.Kernel, row.Params, row.Tier, row.Unit}] = row
	}
	// Match first, so that every sample to resample is known and the
	// bootstrap can run on all CPUs at once.
	matches := map[*Host][]match{}
	var keys []repKey
	for _, h := range r.Hosts {
		if h == base || h.Price == nil || base.Price == nil {
			continue
		}
		ms, nc := matchBenches(h.inst, base.inst, suiteKernels, schema.ThreadsAll)
		for _, why := range nc {
			r.warn(h.Instance, "not comparable with the baseline: %s", why)
		}
		for _, m := range ms {
			keys = append(keys, repKey{h.Instance, m.a}, repKey{base.Instance, m.b})
		}
		matches[h] = ms
	}
	r.prefetch(keys)
	for _, h := range r.Hosts {
		if h == base {
			continue
		}
		c := &Comparison{Instance: h.Instance, Baseline: base.Instance}
		r.Comparisons = append(r.Comparisons, c)
		if h.Price == nil || base.Price == nil {
			c.Note = "no price for " + noPrice(h, base)
			continue
		}
		ms := matches[h]
		if len(ms) == 0 {
			c.Note = "no whole-instance benchmark in common at comparable kernel tiers"
			if _, nc := matchBenches(h.inst, base.inst, suiteKernels, schema.ThreadsAll); len(nc) > 0 {
				c.Note = "not comparable: " + strings.Join(nc, "; ")
			}
			continue
		}
		scale := base.Price.PricePerHour / h.Price.PricePerHour
		ks, reps := r.kernelRatios(h.Instance, base.Instance, ms, scale, func(m match, ratio Ratio) {
			if row := rowOf[rowKey{h.Instance, m.a.Kernel, m.a.Params, m.a.Tier, m.a.Unit}]; row != nil {
				row.VsBaseline = &ratio
			}
		})
		c.Kernels = ks
		var gr []Ratio
		var grep []bootstrap.Replicates
		for i, k := range ks {
			if k.Kernel != schema.FMAPeak {
				gr, grep = append(gr, k.Ratio), append(grep, reps[i])
			}
		}
		if len(gr) > 0 {
			g, _ := r.geomean(gr, grep)
			c.Geomean = &g
		}
	}
}

func noPrice(hs ...*Host) string {
	var names []string
	for _, h := range hs {
		if h.Price == nil {
			names = append(names, h.Instance)
		}
	}
	return strings.Join(names, " and ")
}
