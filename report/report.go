// Package report joins benchmark results with a dated price catalog into
// performance-per-dollar tables and a verdict per vendor claim, following
// the arithmetic and rules of docs/design.md.
//
// Build runs the report in stages, each in a file of its own and each
// handing its results to the next (docs/design.md, "Data flow"):
//
//	resolve.go   every host once: price, peak, name, vCPUs and cores; the
//	             one file that reads the catalog (priceBook, Sources)
//	rows.go      per kernel and size: medians, work per dollar, peaks
//	compare.go   work per dollar against the baseline
//	rank.go      the instances ranked by work per dollar, each against the best
//	launches.go  each later launch of an instance type against its first
//	claims.go    a verdict per claim, on the resolved hosts
//	tables.go, firstscreen.go, write.go, chart.go   the formats, which only format
//
// warnings.go groups the warnings the stages find by kind, and
// numbers.go is how every figure is printed.
//
// stats.go holds the statistics the middle stages share: medians and
// intervals, ratios and their bootstrap. The Write* methods only format
// the Report, so the formats cannot disagree.
//
// Units: throughput is each kernel's schema unit (GFLOP/s, GOP/s or GB/s);
// prices are US dollars per instance-hour; work per dollar is throughput ×
// 3600 / price, in GFLOP, GOP or GB per dollar.
// Medians and their 95% intervals come from golang.org/x/perf/benchmath
// (order-statistic intervals, Mann-Whitney U p-values); ratios between
// instances get percentile bootstrap intervals with fixed seeds (package
// bootstrap), in two stages, launches and then samples, for an instance
// type measured in two or more launches. A verdict on a ratio with one
// launch on a side allows for the noise between launches that its
// interval cannot know (Options.NoiseFloor).
package report

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ppbench/ppbench/report/bootstrap"
	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// Thresholds for warnings (docs/design.md, "Statistics").
const (
	MinSamples      = 6    // below this, benchmath gives no 95% interval
	MaxSpreadPct    = 5.0  // interval half-width or launch spread, % of the median
	MaxStealPct     = 2.0  // CPU steal time during a run, %
	MaxPriceAgeDays = 180  // a price older than this may have changed
	secondsPerHour  = 3600 // work per dollar = throughput × 3600 / price per hour
)

// DefaultNoiseFloor is the default Options.NoiseFloor: 5%.
//
// Two back-to-back runs of the suite on one cloud host differ by more
// than the interval of either run shows. In six back-to-back runs on a
// 2-vCPU AMD EPYC guest (all 15 pairs, whole instance, rate mode),
// single kernels differed by a median 2.2%, a 95th percentile of 7.0% and
// at most 8.0%; the geometric mean over SGEMM, attention and triad by a
// median 3.0% and at most 3.7%. The floor is added to a within-run
// interval of ±2-4%, which together cover the 7-8% single-kernel
// differences, and 5% exceeds every geometric-mean difference measured
// (3.7% there, 4% reported on a Zen 5 guest).
const DefaultNoiseFloor = 0.05

// Options configure Build. The zero value of each field selects its default.
type Options struct {
	Catalog *seeds.Catalog // required
	// PriceType is the catalog price type every host is priced at; ""
	// prices each at on demand, or at spot when its results say
	// lifecycle: spot (what the launch really cost).
	PriceType string
	// Baseline is the instance others are compared with; default the
	// first instance read.
	Baseline string
	// Now is the day prices are aged against; default time.Now().
	Now        time.Time
	Confidence float64 // default 0.95
	Resamples  int     // bootstrap resamples, default bootstrap.DefaultResamples
	// NoiseFloor is how far, as a fraction, two launches of one instance
	// type may differ beyond what one run's interval shows; default
	// DefaultNoiseFloor, and a negative value means none. A verdict on a
	// ratio with one launch on a side widens its interval by it (see
	// verdictInterval), and a better claim must clear it.
	NoiseFloor float64
}

// ErrUnknownBaseline is wrapped by the error Build returns when
// Options.Baseline names an instance with no results, a mistake in the
// command line rather than in the data. The error reads
// "-baseline NAME: no results for it (have A, B)".
var ErrUnknownBaseline = errors.New("no results for it")

// A Warning is something the reader of a report must know to trust it.
type Warning struct {
	Instance string // empty for warnings about the whole report
	Text     string
	// Kind groups warnings that repeat (one per benchmark, launch or
	// instance) into one line of WarningSummary; empty for a warning
	// that stands alone.
	Kind string

	severity float64 // orders a kind's warnings: the highest is the worst
	worst    string  // how the summary names this one as the worst case
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
	NoiseFloor  float64 // the floor in force, a fraction; 0 for none
	Now         time.Time
	Hosts       []*Host
	Rows        []*Row // grouped by kernel and size, instances in input order
	Comparisons []*Comparison
	// Ranking orders the instances by work per dollar, each against the
	// baseline: the report's first table.
	Ranking *Ranking
	// Launches compares each later launch of an instance type with its
	// first: how far launches agree on the reader's own hosts.
	Launches []*LaunchComparison
	Claims   []*ClaimResult
	Warnings []Warning

	// Sources names the price, claim and peak files used.
	Sources Sources `json:"-"`

	checked map[string]int // things checked per warning kind: WarningSummary's "of N"
}

// Build analyses set against the catalog. It fails on bad options (an
// unknown baseline, wrapping ErrUnknownBaseline; a missing catalog) and
// on launches of one instance type that disagree on what its price
// depends on; everything else the data lacks becomes a warning or an
// empty cell with a reason.
func Build(set *results.Set, opt Options) (*Report, error) {
	r, err := newReport(set, opt)
	if err != nil {
		return nil, err
	}
	var warn warnings
	for _, n := range set.Notes {
		warn.add("", "%s", n)
	}
	if r.Hosts, err = resolveHosts(set, opt.Catalog, r.PriceType, opt.PriceType == "", &warn); err != nil {
		return nil, err
	}
	if opt.Baseline == "" {
		r.pricedBaseline(&warn)
	}
	hostWarnings(r.Hosts, r.PriceType, r.Sources.PricesFile, r.Now, &warn)
	drifted := driftWarnings(r.Hosts, &warn)
	st := newStatistics(r.Confidence, r.Resamples)
	r.Rows = buildRows(r.Hosts, st, &warn)
	r.Comparisons = compareWithBaseline(r.Hosts, r.Host(r.Baseline), st, &warn)
	r.Ranking = rankHosts(r.Hosts, r.Host(r.Baseline), r.Comparisons)
	r.Launches = compareLaunches(r.Hosts, st)
	r.Claims = judgeClaims(newPriceBook(opt.Catalog, r.PriceType), r.Hosts, r.Confidence, r.NoiseFloor, drifted)
	r.Warnings, r.checked = warn.list, warn.checked
	return r, nil
}

// newReport checks opt and fills in its defaults.
func newReport(set *results.Set, opt Options) (*Report, error) {
	if opt.Catalog == nil {
		return nil, errors.New("report: no catalog")
	}
	if !(opt.NoiseFloor < 1) {
		return nil, fmt.Errorf("report: noise floor %v: want a fraction below 1", opt.NoiseFloor)
	}
	if len(set.Instances) == 0 {
		return nil, errors.New("report: no results")
	}
	r := &Report{
		Baseline:   opt.Baseline,
		PriceType:  opt.PriceType,
		Confidence: opt.Confidence,
		Resamples:  opt.Resamples,
		Now:        opt.Now,
		Sources:    sourcesOf(opt.Catalog),
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
	switch {
	case opt.NoiseFloor == 0:
		r.NoiseFloor = DefaultNoiseFloor
	case opt.NoiseFloor > 0:
		r.NoiseFloor = opt.NoiseFloor
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
		return nil, fmt.Errorf("-baseline %s: %w (have %s)", r.Baseline, ErrUnknownBaseline, strings.Join(names, ", "))
	}
	return r, nil
}

// pricedBaseline replaces a default baseline without a price, against
// which nothing can be compared per dollar, with the first priced
// instance, and says so.
func (r *Report) pricedBaseline(warn *warnings) {
	if h := r.Host(r.Baseline); h == nil || h.Price != nil {
		return
	}
	for _, h := range r.Hosts {
		if h.Price != nil {
			warn.add("", "baseline: %s, the first instance given, has no %s price; comparing with %s, the first priced one (-baseline to choose)",
				r.Baseline, r.PriceType, h.Instance)
			r.Baseline = h.Instance
			return
		}
	}
}

// Host returns the named host, or nil.
func (r *Report) Host(instance string) *Host { return hostNamed(r.Hosts, instance) }

// hostNamed returns the host of hosts called instance, or nil.
func hostNamed(hosts []*Host, instance string) *Host {
	for _, h := range hosts {
		if h.Instance == instance {
			return h
		}
	}
	return nil
}
