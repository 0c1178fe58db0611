// Package report joins benchmark results with a dated price catalog into
// performance-per-dollar tables and a verdict per vendor claim, following
// the arithmetic and rules of DESIGN.md.
//
// Build does all the statistics and judging and returns a Report; the
// Write* methods only format it (markdown, CSV, JSON, SVG charts), so the
// formats cannot disagree.
//
// Units: throughput is GFLOP/s (SGEMM, attention, FMA peak) or GB/s
// (triad); prices are US dollars per instance-hour; work per dollar is
// throughput × 3600 / price, in GFLOP per dollar or GB per dollar.
// Medians and their 95% intervals come from golang.org/x/perf/benchmath
// (order-statistic intervals, Mann-Whitney U p-values); ratios between
// instances get percentile bootstrap intervals with fixed seeds (package
// bootstrap).
package report

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/bootstrap"
	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
	"golang.org/x/perf/benchmath"
)

// Thresholds for warnings.
const (
	MinSamples      = 6    // below this, benchmath gives no 95% interval
	MaxSpreadPct    = 5.0  // interval half-width or launch spread, % of the median
	MaxStealPct     = 2.0  // CPU steal time during a run, %
	MaxPriceAgeDays = 180  // a price older than this may have changed
	secondsPerHour  = 3600 // work per dollar = throughput × 3600 / price per hour
)

// Options configure Build. The zero value of each field selects its default.
type Options struct {
	Catalog   *seeds.Catalog // required
	PriceType string         // default seeds.OnDemand
	// Baseline is the instance others are compared with; default the
	// first instance read.
	Baseline string
	// Now is the day prices are aged against; default time.Now().
	Now        time.Time
	Confidence float64 // default 0.95
	Resamples  int     // bootstrap resamples, default bootstrap.DefaultResamples
}

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
}

// A Host is one instance type as measured and priced.
type Host struct {
	Instance   string
	Provider   string
	Region     string // the region its price is for
	Arch       string // goarch
	CPU        string // cpu-model
	VCPUs      int
	Cores      int      // physical cores
	Tiers      []string // kernel-impl of its launches, distinct
	SIMDWidest string
	GoVersions []string // distinct
	Launches   int
	// StealPercent is the most steal time recorded in any launch; -1 when
	// none was recorded.
	StealPercent float64

	// Price is the catalog row used, nil when there is none.
	Price *seeds.Price
	// TierBelowChip is set when the chip's widest SIMD is wider than the
	// tier the kernels ran with (an AVX-512 chip measured with AVX2).
	TierBelowChip bool

	inst *results.Instance
}

// PricePerHour returns the hourly price in dollars, NaN without a price.
func (h *Host) PricePerHour() float64 {
	if h.Price == nil {
		return math.NaN()
	}
	return h.Price.PricePerHour
}

// PricePerVCPUHour returns the price of a vCPU-hour, NaN without a price.
func (h *Host) PricePerVCPUHour() float64 { return h.PricePerHour() / float64(h.VCPUs) }

// PricePerCoreHour returns the price of a physical-core-hour, NaN without
// a price.
func (h *Host) PricePerCoreHour() float64 { return h.PricePerHour() / float64(h.Cores) }

// A Row is one kernel at one size on one instance with one kernel tier.
type Row struct {
	Instance string
	Kernel   string
	Params   string
	Tier     string
	Unit     string // of the throughputs: GFLOP/s or GB/s

	Whole  *Estimate // threads=all, the whole instance; nil when not run
	Single *Estimate // threads=1
	Cores  *Estimate // threads=cores, one copy per physical core
	// SMTGain is Whole / Cores: what the second hardware thread of each
	// core adds. Nil without a threads=cores row.
	SMTGain *Ratio
	// WorkPerDollar is Whole × 3600 / price per hour, in GFLOP or GB per
	// dollar; nil without a price or a whole-instance row.
	WorkPerDollar *Estimate
	// VsBaseline is this row's work per dollar over the baseline's, nil
	// for the baseline itself and when either side lacks the row or a
	// price, or the tiers are not comparable.
	VsBaseline *Ratio
	// PctFMAPeak is the whole-instance (else single-thread) throughput as
	// a percentage of the same tier's measured FMAPeak; PctPublishedPeak
	// of the peaks.csv figure for the tier. NaN when not applicable.
	PctFMAPeak, PctPublishedPeak float64
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

// A KernelRatio is an instance-to-instance ratio for one kernel: the
// geometric mean over the kernel's sizes and variants measured on both.
type KernelRatio struct {
	Kernel string
	Ratio
}

// A Comparison is one instance's work per dollar against the baseline's.
type Comparison struct {
	Instance, Baseline string
	Kernels            []KernelRatio
	// Geomean is over the kernels in Kernels other than FMAPeak (a
	// ceiling, not work); nil when none.
	Geomean *Ratio
	Note    string // why there is nothing to compare, when Kernels is empty
}

// A Warning is something the reader of a report must know to trust it.
type Warning struct {
	Instance string // empty for warnings about the whole report
	Text     string
}

func (w Warning) String() string {
	if w.Instance == "" {
		return w.Text
	}
	return w.Instance + ": " + w.Text
}

// A Report is everything the output formats show.
type Report struct {
	Baseline    string
	PriceType   string
	Confidence  float64
	Resamples   int
	Now         time.Time
	Hosts       []*Host
	Rows        []*Row // grouped by kernel and size, instances in input order
	Comparisons []*Comparison
	Claims      []*ClaimResult
	Warnings    []Warning

	Catalog *seeds.Catalog `json:"-"`
	set     *results.Set
	cache   map[repKey]bootstrap.Replicates
}

type repKey struct {
	instance string
	bench    results.Bench
}

// Build analyses set against the catalog. It fails only on bad options
// (an unknown baseline, a missing catalog); everything the data lacks
// becomes a warning or an empty cell with a reason.
func Build(set *results.Set, opt Options) (*Report, error) {
	if opt.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog")
	}
	if len(set.Instances) == 0 {
		return nil, fmt.Errorf("report: no results")
	}
	r := &Report{
		Baseline:   opt.Baseline,
		PriceType:  opt.PriceType,
		Confidence: opt.Confidence,
		Resamples:  opt.Resamples,
		Now:        opt.Now,
		Catalog:    opt.Catalog,
		set:        set,
		cache:      map[repKey]bootstrap.Replicates{},
	}
	if r.PriceType == "" {
		r.PriceType = seeds.OnDemand
	}
	if r.Confidence == 0 {
		r.Confidence = 0.95
	}
	if r.Resamples == 0 {
		r.Resamples = bootstrap.DefaultResamples
	}
	if r.Now.IsZero() {
		r.Now = time.Now()
	}
	if r.Baseline == "" {
		r.Baseline = set.Instances[0].Name
	} else if set.Instance(r.Baseline) == nil {
		names := make([]string, len(set.Instances))
		for i, in := range set.Instances {
			names[i] = in.Name
		}
		return nil, fmt.Errorf("-baseline %s: no results for it (have %s)", r.Baseline, strings.Join(names, ", "))
	}
	for _, n := range set.Notes {
		r.warn("", "%s", n)
	}
	for _, in := range set.Instances {
		r.Hosts = append(r.Hosts, r.host(in))
	}
	r.hostWarnings()
	r.rows()
	r.compare()
	r.judgeClaims()
	return r, nil
}

func (r *Report) warn(instance, format string, args ...any) {
	r.Warnings = append(r.Warnings, Warning{instance, fmt.Sprintf(format, args...)})
}

// Host returns the named host, or nil.
func (r *Report) Host(instance string) *Host {
	for _, h := range r.Hosts {
		if h.Instance == instance {
			return h
		}
	}
	return nil
}

func (r *Report) host(in *results.Instance) *Host {
	h := &Host{Instance: in.Name, Launches: len(in.Launches), StealPercent: -1, inst: in}
	h.Arch = in.Config(schema.ConfigGOARCH)
	h.CPU = in.Config(schema.ConfigCPUModel)
	if h.CPU == "" {
		h.CPU = in.Config(schema.ConfigCPU)
	}
	h.SIMDWidest = in.Config(schema.ConfigSIMDWidest)
	for _, l := range in.Launches {
		if t := l.Config[schema.ConfigKernelImpl]; t != "" && !slices.Contains(h.Tiers, t) {
			h.Tiers = append(h.Tiers, t)
		}
		if g := l.Config[schema.ConfigGoVersion]; g != "" && !slices.Contains(h.GoVersions, g) {
			h.GoVersions = append(h.GoVersions, g)
		}
		h.StealPercent = max(h.StealPercent, l.StealPercent)
	}
	h.Provider = in.Config(schema.ConfigCloud)
	if h.Provider == "" {
		h.Provider = schema.Provider(in.Name)
	}
	// A region: line in the results wins over the provider's default.
	h.Region = in.Config(schema.ConfigRegion)
	if p, ok := r.Catalog.Price(in.Name, h.Region, r.PriceType); ok {
		h.Price = &p
		h.Provider, h.Region = p.Provider, p.Region
	} else if h.Region == "" {
		h.Region = seeds.DefaultRegion(h.Provider)
	}
	// vCPUs and cores: what the price buys, from the catalog; the
	// results' own count when the catalog does not know the instance.
	h.VCPUs, _ = strconv.Atoi(in.Config(schema.ConfigVCPUs))
	h.Cores, _ = strconv.Atoi(in.Config(schema.ConfigPhysicalCores))
	if c, ok := r.Catalog.Instance(in.Name); ok {
		if h.VCPUs != 0 && h.VCPUs != c.VCPUs {
			r.warn(in.Name, "the results report %d vCPUs, the catalog %d; using the catalog's", h.VCPUs, c.VCPUs)
		}
		h.VCPUs, h.Cores = c.VCPUs, c.Cores
	}
	if h.Cores == 0 {
		h.Cores = h.VCPUs
	}
	peak, hasPeak := r.Catalog.Peak(schema.Family(in.Name))
	for _, t := range h.Tiers {
		below := tierRank(h.SIMDWidest) > tierRank(t)
		if below && hasPeak && tierRank(t) > 0 {
			// A wider unit that does no more FP32 work per cycle
			// (Graviton3's SVE, say) takes nothing from the figures.
			below = peak.FlopsPerCycleWidest > peak.FlopsPerCycleNarrow
		}
		h.TierBelowChip = h.TierBelowChip || below
	}
	return h
}

// tierRank orders SIMD tiers by width within an architecture, so that a
// chip's widest SIMD can be compared with the kernel tier used. Names from
// simd-widest such as "avx512f" or "sve2" are matched by prefix.
func tierRank(t string) int {
	switch {
	case t == "" || t == "portable":
		return 0
	case strings.HasPrefix(t, "avx512"), strings.HasPrefix(t, "sve"):
		return 2
	case strings.HasPrefix(t, "avx"), t == "neon", t == "asimd":
		return 1
	}
	return 0
}

func (r *Report) hostWarnings() {
	goVersions := map[string][]string{}
	tiers := map[string][]string{}
	for _, h := range r.Hosts {
		if h.Price == nil {
			r.warn(h.Instance, "no %s price in %s for region %s: no per-dollar figures", r.PriceType, r.Catalog.PricesFile, orNone(h.Region))
		} else if age := r.Now.Sub(h.Price.SourceDate).Hours() / 24; age > MaxPriceAgeDays {
			r.warn(h.Instance, "price dated %s is %.0f days old (over %d)", h.Price.SourceDate.Format(time.DateOnly), age, MaxPriceAgeDays)
		}
		if h.StealPercent > MaxStealPct {
			r.warn(h.Instance, "CPU steal time reached %.1f%% (over %.0f%%): a noisy neighbour may have slowed it", h.StealPercent, MaxStealPct)
		}
		if h.TierBelowChip {
			r.warn(h.Instance, "the chip's widest SIMD is %s but the kernels ran at tier %s: its FP32 capability is understated", h.SIMDWidest, strings.Join(h.Tiers, ", "))
		}
		if len(h.Tiers) > 1 {
			r.warn(h.Instance, "launches used different kernel tiers (%s)", strings.Join(h.Tiers, ", "))
		}
		for _, g := range h.GoVersions {
			goVersions[g] = append(goVersions[g], h.Instance)
		}
		for _, t := range h.Tiers {
			tiers[t] = append(tiers[t], h.Instance)
		}
	}
	if len(goVersions) > 1 {
		r.warn("", "different Go versions across compared instances: %s", groupList(goVersions))
	}
	if len(tiers) > 1 {
		r.warn("", "different kernel tiers across compared instances: %s; portable results are never compared with SIMD ones", groupList(tiers))
	}
}

// groupList formats {"go1.26.0": [c7a.xlarge]} as "go1.26.0 (c7a.xlarge); ...".
func groupList(m map[string][]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " (" + strings.Join(m[k], ", ") + ")"
	}
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// estimate summarises a sorted sample with benchmath's median and
// order-statistic interval.
func (r *Report) estimate(values []float64) *Estimate {
	s := benchmath.NewSample(values, &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(s, r.Confidence)
	e := &Estimate{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, N: len(values)}
	if math.IsInf(e.Lo, 0) || math.IsInf(e.Hi, 0) {
		e.Lo, e.Hi = math.NaN(), math.NaN()
	}
	return e
}

// replicates returns (and caches) the bootstrap medians of one
// instance's benchmark, resampled with a seed fixed by their names.
func (r *Report) replicates(instance string, b results.Bench) bootstrap.Replicates {
	k := repKey{instance, b}
	if rep, ok := r.cache[k]; ok {
		return rep
	}
	rep := bootstrap.Medians(r.set.Instance(instance).Samples[b], r.Resamples, seedOf(k))
	r.cache[k] = rep
	return rep
}

// prefetch bootstraps the samples of keys that are not cached yet on all
// CPUs: resampling is most of a report's time. Each sample has its own
// seed, so the result does not depend on the order the workers run in.
func (r *Report) prefetch(keys []repKey) {
	var todo []repKey
	seen := map[repKey]bool{}
	for _, k := range keys {
		if _, ok := r.cache[k]; !ok && !seen[k] && len(r.set.Instance(k.instance).Samples[k.bench]) >= MinSamples {
			seen[k] = true
			todo = append(todo, k)
		}
	}
	reps := make([]bootstrap.Replicates, len(todo))
	var wg sync.WaitGroup
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(todo); i = int(next.Add(1) - 1) {
				k := todo[i]
				reps[i] = bootstrap.Medians(r.set.Instance(k.instance).Samples[k.bench], r.Resamples, seedOf(k))
			}
		})
	}
	wg.Wait()
	for i, k := range todo {
		r.cache[k] = reps[i]
	}
}

func seedOf(k repKey) uint64 {
	return bootstrap.Seed(k.instance, k.bench.String(), k.bench.Tier, k.bench.Unit)
}

// ratio compares benchmark ba on instance a with bb on b: the ratio of
// medians times scale (1 for performance, the inverse price ratio for
// work per dollar), its bootstrap replicates and interval, and the
// Mann-Whitney p-value of the two samples scaled the same way.
func (r *Report) ratio(a string, ba results.Bench, b string, bb results.Bench, scale float64) (Ratio, bootstrap.Replicates) {
	sa, sb := r.set.Instance(a).Samples[ba], r.set.Instance(b).Samples[bb]
	var reps bootstrap.Replicates
	lo, hi := math.NaN(), math.NaN()
	if len(sa) >= MinSamples && len(sb) >= MinSamples {
		// Like benchmath, give no interval below MinSamples: the
		// bootstrap of a tiny sample understates its uncertainty.
		reps = bootstrap.Scale(bootstrap.Ratio(r.replicates(a, ba), r.replicates(b, bb)), scale)
		lo, hi = reps.Interval(r.Confidence)
	}
	ma := r.estimate(sa).Center
	mb := r.estimate(sb).Center
	// Compare like with like: scale the numerator's sample so that a
	// p-value tests the same quantity as the ratio.
	scaled := make([]float64, len(sa))
	for i, v := range sa {
		scaled[i] = v * scale
	}
	cmp := benchmath.AssumeNothing.Compare(
		benchmath.NewSample(scaled, &benchmath.DefaultThresholds),
		benchmath.NewSample(sb, &benchmath.DefaultThresholds))
	return Ratio{Value: ma / mb * scale, Lo: lo, Hi: hi, P: cmp.P, N1: len(sa), N2: len(sb)}, reps
}

// geomean combines kernel ratios and their replicates; it has no interval
// when one of them has none (nil replicates).
func (r *Report) geomean(ratios []Ratio, reps []bootstrap.Replicates) (Ratio, bootstrap.Replicates) {
	if len(ratios) == 1 {
		return ratios[0], reps[0]
	}
	values := make([]float64, len(ratios))
	for i, x := range ratios {
		values[i] = x.Value
	}
	g := Ratio{Value: bootstrap.GeomeanOf(values), Lo: math.NaN(), Hi: math.NaN(), P: math.NaN()}
	if slices.ContainsFunc(reps, func(r bootstrap.Replicates) bool { return r == nil }) {
		return g, nil
	}
	greps := bootstrap.Geomean(reps...)
	g.Lo, g.Hi = greps.Interval(r.Confidence)
	return g, greps
}
