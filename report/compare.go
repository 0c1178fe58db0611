package report

import (
	"slices"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
)

// The comparison stage: each host's work per dollar against the
// baseline's, per kernel and as a geometric mean (docs/design.md,
// "Performance per dollar"). Its matching of benchmarks between two hosts
// serves the verdicts too.

// A Comparison is one instance's work per dollar against the baseline's.
type Comparison struct {
	Instance, Baseline string
	Kernels            []KernelRatio
	// Geomean is over the kernels in Kernels other than the peak probes (a
	// ceiling, not work); nil when none.
	Geomean *Ratio
	// Missing says why there is nothing to compare, when Kernels is
	// empty: Unpriced, TiersApart or NoCommonResults.
	Missing Reason

	// bySize is the ratio of each size of each kernel compared, by the
	// subject's row (Report.VsBaseline).
	bySize map[rowKey]Ratio
}

// suiteKernels are compared against the baseline: every kernel of the
// suite, in suite order.
var suiteKernels = func() []string {
	var names []string
	for _, k := range schema.Kernels() {
		names = append(names, k.Name)
	}
	return names
}()

// compareWithBaseline builds one Comparison per host other than base.
func compareWithBaseline(hosts []*Host, base *Host, st *statistics, warn *warnings) []*Comparison {
	// Match first, so that every sample to resample is known and the
	// bootstrap can run on all CPUs at once.
	matches := map[*Host][]match{}
	notComparable := map[*Host][]TierMismatch{}
	var keys []repKey
	for _, h := range hosts {
		if h == base || h.Price == nil || base.Price == nil {
			continue
		}
		ms, nc := matchBenches(h.m, base.m, suiteKernels, schema.ThreadsAll)
		// Other tools' benchmarks (an accelerator's) are compared too.
		other, _ := matchBenches(h.m, base.m, nil, "")
		ms = append(ms, other...)
		warn.check(warnNotComp)
		if len(nc) > 0 {
			warn.addKind(warnNotComp, 0, h.Instance, h.Instance, "not comparable with the baseline: %s", sizesWords(nc))
		}
		for _, m := range ms {
			keys = append(keys, repKey{h.m, m.a}, repKey{base.m, m.b})
		}
		matches[h], notComparable[h] = ms, nc
	}
	st.prefetch(keys)
	var out []*Comparison
	for _, h := range hosts {
		if h != base {
			out = append(out, compareHost(h, base, matches[h], notComparable[h], st))
		}
	}
	return out
}

// compareHost compares h with base on the matches ms; nc are the sizes
// whose tiers could not be compared.
func compareHost(h, base *Host, ms []match, nc []TierMismatch, st *statistics) *Comparison {
	c := &Comparison{Instance: h.Instance, Baseline: base.Instance}
	if h.Price == nil || base.Price == nil {
		c.Missing = unpriced(h, base)
		return c
	}
	if len(ms) == 0 {
		c.Missing = NoCommonResults{Kernels: suiteKernels}
		if len(nc) > 0 {
			c.Missing = TiersApart{Sizes: nc}
		}
		return c
	}
	scale := base.Price.PricePerHour / h.Price.PricePerHour
	c.bySize = map[rowKey]Ratio{}
	ks, reps := st.kernelRatios(h.m, base.m, ms, scale, func(m match, ratio Ratio) {
		c.bySize[rowKey{h.Instance, m.a.Kernel, m.a.Params, m.a.Tier, m.a.Unit}] = ratio
	})
	c.Kernels = ks
	c.Geomean = st.nonProbeGeomean(ks, reps)
	return c
}

func unpriced(hs ...*Host) Unpriced {
	var u Unpriced
	for _, h := range hs {
		if h.Price == nil {
			u.Instances = append(u.Instances, h.Instance)
		}
	}
	return u
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
	if t == portableTier {
		return portableTier
	}
	return "simd"
}

// A benchGroup is one kernel and size at one thread count, whatever the
// tier.
type benchGroup struct{ kernel, params, unit, threads string }

// matchBenches pairs a's and b's benchmarks of kernels at threads (nil
// kernels: every benchmark that is not one of the suite's, at any
// threads). For each kernel and size it prefers the same tier, then two
// SIMD tiers, then two portable ones. Sizes measured on both sides only at
// tiers of different classes are returned as reasons in notComparable.
func matchBenches(a, b *measured, kernels []string, threads string) (ms []match, notComparable []TierMismatch) {
	groups, tiersA := groupBenches(a, kernels, threads)
	_, tiersB := groupBenches(b, kernels, threads)
	for _, g := range groups {
		as, bs := tiersA[g], tiersB[g]
		if len(bs) == 0 {
			continue
		}
		if m, ok := bestMatch(g.kernel, as, bs); ok {
			ms = append(ms, m)
			continue
		}
		name := g.kernel
		if g.params != "" {
			name += " " + g.params
		}
		notComparable = append(notComparable, TierMismatch{name, a.name, b.name, tierList(as), tierList(bs)})
	}
	return ms, notComparable
}

// groupBenches groups h's benchmarks that matchBenches considers by
// kernel and size, and returns the groups in kernels' order, then by size.
func groupBenches(h *measured, kernels []string, threads string) ([]benchGroup, map[benchGroup][]results.Bench) {
	var groups []benchGroup
	tiers := map[benchGroup][]results.Bench{}
	for _, bn := range h.benches {
		if kernels == nil {
			if bn.Suite() {
				continue
			}
		} else if !slices.Contains(kernels, bn.Kernel) || bn.Threads != threads || !rateMode(bn) {
			continue
		}
		g := benchGroup{bn.Kernel, bn.Params, bn.Unit, bn.Threads}
		if tiers[g] == nil {
			groups = append(groups, g)
		}
		tiers[g] = append(tiers[g], bn)
	}
	slices.SortStableFunc(groups, func(x, y benchGroup) int {
		ix, iy := slices.Index(kernels, x.kernel), slices.Index(kernels, y.kernel)
		if ix != iy {
			return ix - iy
		}
		return results.CompareBench(results.Bench{Kernel: x.kernel, Params: x.params}, results.Bench{Kernel: y.kernel, Params: y.params})
	})
	return groups, tiers
}

// bestMatch picks the pair of as and bs at the most comparable tiers; ok
// is false when they are only of different tier classes. Benchmarks
// that are not the suite's carry the host's CPU tier (the reader gives
// every result the file's kernel-impl), which says nothing about an
// accelerator's code: any two of them match.
func bestMatch(kernel string, as, bs []results.Bench) (best match, ok bool) {
	bestScore := 0
	for _, x := range as {
		for _, y := range bs {
			score := 0
			switch {
			case !x.Suite() || !y.Suite():
				score = 3
			case x.Tier == y.Tier:
				score = 3
			case tierClass(x.Tier) == "simd" && tierClass(y.Tier) == "simd":
				score = 2
			}
			if score > bestScore {
				best, bestScore = match{kernel, x, y}, score
			}
		}
	}
	return best, bestScore > 0
}

// rateMode reports whether b measures the whole instance in rate mode,
// one copy per vCPU (docs/design.md, "Results contract"): a
// mode=parallel variant, one multi-threaded kernel, is shown in the
// tables but not compared, so that it does not count twice in a kernel's
// ratio. A mode=rate key names the default and is rate mode too.
func rateMode(b results.Bench) bool {
	for p := range strings.SplitSeq(b.Params, "/") {
		if k, v, ok := strings.Cut(p, "="); ok && k == schema.KeyMode && v != "rate" {
			return false
		}
	}
	return true
}

func tierList(bs []results.Bench) []string {
	var ts []string
	for _, b := range bs {
		ts = append(ts, b.Tier)
	}
	return ts
}

// VsBaseline returns row's work per dollar over the baseline's, from the
// comparison stage; nil for the baseline itself and when either side
// lacks the row or a price, or the tiers are not comparable.
func (r *Report) VsBaseline(row *Row) *Ratio {
	for _, c := range r.Comparisons {
		if c.Instance != row.Instance {
			continue
		}
		if ratio, ok := c.bySize[row.key()]; ok {
			return &ratio
		}
	}
	return nil
}
