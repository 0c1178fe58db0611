package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/internal/isa"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// The rows stage: one row per host, kernel, size and tier, with the
// host's figures for it (docs/design.md, "Performance per dollar").

// A Row is one kernel at one size on one instance with one kernel tier.
type Row struct {
	Instance string
	Kernel   string
	Params   string
	Tier     string
	Unit     string // of the throughputs: the kernel's schema unit

	Whole  *Estimate // threads=all, the whole instance; nil when not run
	Single *Estimate // threads=1
	Cores  *Estimate // threads=cores, one copy per physical core
	// SMTGain is Whole / Cores: what the second hardware thread of each
	// core adds. Nil without a threads=cores row.
	SMTGain *Ratio
	// WorkPerDollar is Whole × 3600 / price per hour, in GFLOP or GB per
	// dollar; nil without a price or a whole-instance row.
	WorkPerDollar *Estimate
	// PctMeasuredPeak is the whole-instance (else single-thread)
	// throughput as a percentage of the same tier's measured peak probe
	// (schema.Kernel.Peak), or for a kernel with a Bound of that bound
	// measured on the same host (boundShare); PctPublishedPeak
	// of the peaks.csv figure for the tier. NaN when not applicable.
	PctMeasuredPeak, PctPublishedPeak float64
	// LaunchMedians holds each launch's median of the whole-instance (else
	// single-thread) throughput; LaunchSpreadPct is their range as a
	// percentage of the pooled median (NaN with one launch).
	LaunchMedians   []float64
	LaunchSpreadPct float64

	whole, single, cores results.Bench // the benchmarks behind the estimates
}

// WorkUnit returns the unit of WorkPerDollar.
func (r *Row) WorkUnit() string { return workUnit(r.Unit) }

func workUnit(rate string) string {
	return strings.TrimSuffix(rate, "/s") + " per $"
}

type rowKey struct {
	instance, kernel, params, tier, unit string
}

func (row *Row) key() rowKey {
	return rowKey{row.Instance, row.Kernel, row.Params, row.Tier, row.Unit}
}

// buildRows builds the rows of hosts, grouped by kernel and size with
// the hosts in input order, and fills in their figures.
func buildRows(hosts []*Host, st *statistics, warn *warnings) []*Row {
	var rows []*Row
	byKey := map[rowKey]*Row{}
	order := map[string]int{}
	for i, h := range hosts {
		order[h.Instance] = i
		for _, b := range h.m.benches {
			k := rowKey{h.Instance, b.Kernel, b.Params, b.Tier, b.Unit}
			row := byKey[k]
			if row == nil {
				row = &Row{Instance: h.Instance, Kernel: b.Kernel, Params: b.Params, Tier: b.Tier, Unit: b.Unit,
					PctMeasuredPeak: math.NaN(), PctPublishedPeak: math.NaN(), LaunchSpreadPct: math.NaN()}
				byKey[k] = row
				rows = append(rows, row)
			}
			e := st.estimate(h.m.samples(b))
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
				warn.add(h.Instance, "Benchmark%s: threads=%s is not one of 1, cores, all; left out", b, b.Threads)
			}
			sampleWarnings(h.Instance, b, e, warn)
		}
	}
	slices.SortStableFunc(rows, func(a, b *Row) int {
		if c := results.CompareBench(a.bench(""), b.bench("")); c != 0 {
			return c
		}
		return order[a.Instance] - order[b.Instance]
	})
	for _, row := range rows {
		fillRow(hosts[order[row.Instance]], row, st, warn)
	}
	return rows
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

func sampleWarnings(instance string, b results.Bench, e *Estimate, warn *warnings) {
	name := fmt.Sprintf("Benchmark%s (%s)", b, tierName(b.Tier))
	warn.check(warnFewSamples)
	warn.check(warnSpread)
	if e.N < MinSamples {
		warn.addKind(warnFewSamples, -float64(e.N), fmt.Sprintf("%s (%d)", benchOn(b, instance), e.N),
			instance, "%s has %d samples, fewer than %d: no interval", name, e.N, MinSamples)
		return
	}
	if half := max(e.Hi-e.Center, e.Center-e.Lo) / e.Center * 100; half > MaxSpreadPct {
		warn.addKind(warnSpread, half, fmt.Sprintf("%s ±%.0f%%", benchOn(b, instance), half),
			instance, "%s spreads ±%.1f%% (over %.0f%%)", name, half, MaxSpreadPct)
	}
}

// benchOn names benchmark b of instance for a summary line:
// "Kernel n=33554432 threads=all on c7a.xlarge".
func benchOn(b results.Bench, instance string) string {
	return strings.ReplaceAll(b.String(), "/", " ") + " on " + instance
}

func tierName(t string) string {
	if t == "" {
		return "tier unknown"
	}
	return t
}

// fillRow works out the row's figures beyond its medians: SMT gain, work
// per dollar, the spread between launches and the shares of the peaks.
func fillRow(h *Host, row *Row, st *statistics, warn *warnings) {
	if row.Whole != nil && row.Cores != nil {
		ratio, _ := st.ratio(h.m, row.whole, h.m, row.cores, 1)
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
	launchSpread(h, row, hb, he, st, warn)
	k, suite := schema.LookupKernel(row.Kernel)
	if !suite || k.Unit == schema.UnitGBs {
		return
	}
	if k.Bound != nil {
		row.PctMeasuredPeak = boundShare(h, k, hb, he.Center, st)
	}
	if k.Peak != "" {
		probe := results.Bench{Kernel: k.Peak, Threads: hb.Threads, Tier: row.Tier, Unit: row.Unit}
		if s := h.m.samples(probe); len(s) > 0 {
			row.PctMeasuredPeak = he.Center / st.estimate(s).Center * 100
			warn.check(warnAbovePeak)
			if row.PctMeasuredPeak > 100 {
				// No kernel outruns its own peak probe: the probe or the
				// kernel's work count is wrong, and every figure drawn
				// from either is doubtful.
				warn.addKind(warnAbovePeak, row.PctMeasuredPeak, fmt.Sprintf("%s %s", benchOn(hb, h.Instance), formatNumber(row.PctMeasuredPeak)+"%"),
					h.Instance, "Benchmark%s (%s) runs at %.1f%% of the measured %s peak: above 100%%, the peak probe or the kernel's work count is wrong",
					hb, tierName(row.Tier), row.PctMeasuredPeak, k.Peak)
			}
		}
	}
	if h.Peak != nil && k.Bound == nil && row.Tier != portableTier && row.Tier != "" {
		cores := h.Cores
		if hb.Threads == schema.ThreadsOne {
			cores = 1
		}
		if g, ok := publishedPeak(*h.Peak, k, row.Tier, cores); ok {
			row.PctPublishedPeak = he.Center / g * 100
		}
	}
}

// boundShare returns the percentage of its bound (schema.Kernel.Bound)
// that benchmark hb of kernel k reaches at rate on h: its rate times its
// fact (bytes or operations a token) over the bounding kernel's best
// rate measured on h at the same threads key, in that kernel's units.
// NaN without the fact or the bounding kernel.
func boundShare(h *Host, k schema.Kernel, hb results.Bench, rate float64, st *statistics) float64 {
	fact, ok := h.m.facts[hb][k.Bound.Fact]
	if !ok {
		return math.NaN()
	}
	bk, ok := schema.LookupKernel(k.BoundKernel(k.DataTypeOf(paramValue(hb.Params, k.TypeKey))))
	if !ok {
		return math.NaN()
	}
	best := math.NaN()
	for _, b := range h.m.benches {
		if b.Kernel == bk.Name && b.Threads == hb.Threads && rateMode(b) {
			if c := st.estimate(h.m.samples(b)).Center; !(c <= best) {
				best = c
			}
		}
	}
	return rate * schema.UnitScale(k.Unit) * fact / (best * schema.UnitScale(bk.Unit)) * 100
}

// paramValue returns the value of key in a Bench's Params ("" when
// absent).
func paramValue(params, key string) string {
	for p := range strings.SplitSeq(params, "/") {
		if k, v, ok := strings.Cut(p, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// publishedPeak returns the catalog's peak in the kernel's unit for cores
// cores at tier: the peak of the engine the tier runs on (isa.Tier.Engine:
// fp32 at the tier's width, including the bf16 tiers that widen to fp32;
// the matrix units; the dot products). Tiers without a published figure
// (the int8 avx2 and neon paths) have none.
func publishedPeak(p seeds.Peak, k schema.Kernel, tier string, cores int) (float64, bool) {
	t, ok := isa.LookupTier(k.DataType, tier)
	if !ok {
		return 0, false
	}
	return p.ForEngine(t.Engine, t.Width == 2, cores)
}

// launchSpread sets the spread between launches of the same instance
// type of the row's headline benchmark hb, whose pooled estimate is he.
func launchSpread(h *Host, row *Row, hb results.Bench, he *Estimate, st *statistics, warn *warnings) {
	if len(h.m.launches) < 2 {
		return
	}
	for _, l := range h.m.launches {
		if s := l.Samples[hb]; len(s) > 0 {
			row.LaunchMedians = append(row.LaunchMedians, st.estimate(s).Center)
		}
	}
	if len(row.LaunchMedians) > 1 {
		row.LaunchSpreadPct = (slices.Max(row.LaunchMedians) - slices.Min(row.LaunchMedians)) / he.Center * 100
		warn.check(warnLaunchSpread)
		if row.LaunchSpreadPct > MaxSpreadPct {
			warn.addKind(warnLaunchSpread, row.LaunchSpreadPct, fmt.Sprintf("%s %.0f%%", benchOn(hb, h.Instance), row.LaunchSpreadPct),
				h.Instance, "Benchmark%s (%s) differs by %.1f%% between launches (over %.0f%%)", hb, tierName(row.Tier), row.LaunchSpreadPct, MaxSpreadPct)
		}
	}
}
