package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ppbench/ppbench/report"
	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

func init() {
	register(command{
		name:    "report",
		summary: "join results with prices: performance per dollar and a verdict per claim",
		run:     runReport,
	})
}

const reportUsage = `Usage: ppbench report [flags] results.txt... [flags]

Report reads results in Go benchmark format (from 'ppbench run' or
'go test -bench ./bench'), joins them with the price catalog and writes
performance-per-dollar tables and a verdict for each vendor claim.

Several files of one instance type are separate launches: they are pooled,
each later launch is compared with the first, and intervals are
resampled over launches as well as within them. Two runs of one host
differ by more than one run's interval shows, so a verdict with one launch
on a side allows for a launch-to-launch spread of -noise-floor besides
its rounds' own; with two or more, the launches' own spread decides. Run
three launches of each instance type to settle claims. An argument NAME=FILE names the instance type of a file
whose results say "instance: unknown"; NAME is one word of letters,
digits, '.', '-' and '_', as for 'ppbench run -instance'.

Flags may come before or after the files; after "--" every argument is a
file. Each file is read once, so a FIFO or <(...) works; one file given
twice, under any name or as a copy, is refused. A file that a killed run
left with no results, or cut in the middle of its last line, is reported
for what it holds, with a warning.

With -o FILE and the markdown format, SVG charts are written next to
FILE. The report and its charts are written all or none, and -o never
writes over a results file or anything but a regular file (a symlink, a
FIFO, a device). Warnings go to the report and to standard error.

Flags:
`

// reportFlags is the command line of ppbench report, checked.
type reportFlags struct {
	out, format         string
	baseline, priceType string
	now                 time.Time // what prices are aged against
	asOf                bool      // now is -asof's, not today
	resamples           int
	noiseFloor          float64 // a fraction; negative for none, as report.Options has it
	files               seeds.Files
	inputs              []results.Input
}

// maxResamples bounds -resamples: each resample of each benchmark is
// kept in memory, and 10⁵ already pins a percentile far past what the
// samples can say.
const maxResamples = 100_000

// minResamples is the fewest -resamples: a 95% interval's ends are the
// 2.5th and 97.5th percentiles of the resamples, which 1000 put on 25
// draws each; with 2 the point estimate fell outside its own interval.
const minResamples = 1000

func parseReportFlags(args []string, stderr io.Writer) (*reportFlags, error) {
	fs := newFlagSet("report", reportUsage, stderr)
	f := &reportFlags{}
	fs.StringVar(&f.out, "o", "", "write the report to `file` (default standard output)")
	fs.StringVar(&f.format, "format", "markdown", "output `format`: markdown, csv or json")
	fs.StringVar(&f.baseline, "baseline", "", "`instance` type to compare the others with (default: the first file's)")
	fs.StringVar(&f.priceType, "price-type", "", "price `type` from the catalog: on_demand, spot, commit_1y, ... (default on_demand, and spot for launches whose results say lifecycle: spot)")
	asOf := fs.String("asof", "", "age prices as of this `date` (YYYY-MM-DD, default today; not before the prices were read)")
	fs.IntVar(&f.resamples, "resamples", 0, "bootstrap resamples per sample, 1000 to 100000 (default 2000)")
	floor := fs.Float64("noise-floor", report.DefaultNoiseFloor*100, "the launch-to-launch standard deviation, in `percent`, that a side measured in one launch is taken to have (it cannot show it); 0 for none")
	fs.StringVar(&f.files.Prices, "prices", "", "prices CSV `file` (default: the built-in catalog)")
	fs.StringVar(&f.files.Claims, "claims", "", "claims CSV `file` (default: the built-in catalog)")
	fs.StringVar(&f.files.Peaks, "peaks", "", "peaks CSV `file` (default: the built-in catalog)")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		return nil, err
	}
	switch f.format {
	case "markdown", "md", "csv", "json":
	default:
		return nil, usageError{msg: fmt.Sprintf("-format %s: want markdown, csv or json", f.format)}
	}
	f.now = time.Now()
	if *asOf != "" {
		d, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return nil, usageError{msg: fmt.Sprintf("-asof %s: want a date YYYY-MM-DD", oneLine(*asOf))}
		}
		f.now = d
	}
	if f.resamples != 0 && (f.resamples < minResamples || f.resamples > maxResamples) {
		return nil, usageError{msg: fmt.Sprintf("-resamples %d: want %d to %d (fewer put the 2.5%% and 97.5%% percentiles on a handful of draws, and the point estimate can fall outside its own interval)", f.resamples, minResamples, maxResamples)}
	}
	if !(*floor >= 0 && *floor < 100) {
		return nil, usageError{msg: fmt.Sprintf("-noise-floor %v: want a percentage from 0 to below 100", *floor)}
	}
	f.noiseFloor = *floor / 100
	if *floor == 0 {
		f.noiseFloor = -1 // none: report.Options reads 0 as its default
	}
	if len(files) == 0 {
		return nil, usageError{msg: "no results files given (run 'ppbench report -h')"}
	}
	for _, a := range files {
		in, err := results.ParseInput(a)
		if err != nil {
			return nil, usageError{msg: err.Error()}
		}
		f.inputs = append(f.inputs, in)
	}
	if f.out != "" {
		// Before anything is read: a report is no reason to lose a
		// results file.
		if err := checkOutput("-o", f.out, f.inputs); err != nil {
			return nil, err
		}
	}
	f.asOf = *asOf != ""
	return f, nil
}

func runReport(args []string, stdout, stderr io.Writer) error {
	f, err := parseReportFlags(args, stderr)
	if err != nil {
		return err
	}
	catalog, err := seeds.Load(f.files)
	if err != nil {
		return err
	}
	if len(catalog.Prices) == 0 {
		// Bad data, like any other broken row of the file: nothing
		// on the command line is wrong.
		return fmt.Errorf("%s: no prices, only a header: the report needs at least one row", catalog.PricesFile)
	}
	if types := catalog.PriceTypes(); f.priceType != "" && !slices.Contains(types, f.priceType) {
		return usageError{msg: fmt.Sprintf("-price-type %s: not in %s (have %s)", f.priceType, catalog.PricesFile, strings.Join(types, ", "))}
	}
	set, err := results.Read(f.inputs)
	if err != nil {
		return err
	}
	rep, err := report.Build(set, report.Options{
		Catalog:    catalog,
		PriceType:  f.priceType,
		Baseline:   f.baseline,
		Now:        f.now,
		Resamples:  f.resamples,
		NoiseFloor: f.noiseFloor,
	})
	if errors.Is(err, report.ErrUnknownBaseline) {
		// Build alone knows which instances the results have; naming
		// one it lacks is still a mistake on the command line.
		return usageError{msg: err.Error()}
	}
	if err != nil {
		return err
	}
	if err := f.checkAsOf(rep); err != nil {
		return err
	}
	// One line per kind of warning: the full list is in the report.
	for _, w := range rep.WarningSummary() {
		fmt.Fprintf(stderr, "ppbench: warning: %s\n", w)
	}
	return f.write(rep, stdout)
}

// write writes rep to standard output or, with -o, to its file, with the
// markdown report's charts beside it: all of them or, on any error (a
// full disk), none, and nothing left behind.
func (f *reportFlags) write(rep *report.Report, stdout io.Writer) error {
	if f.out == "" {
		return writeReport(rep, f.format, stdout, nil)
	}
	o := &outputSet{inputs: f.inputs}
	defer o.clean()
	var charts []string
	if f.format == "markdown" || f.format == "md" {
		tmp, err := o.chartDir(f.out)
		if err != nil {
			return err
		}
		prefix := strings.TrimSuffix(filepath.Base(f.out), filepath.Ext(f.out))
		if charts, err = rep.WriteCharts(tmp, prefix); err != nil {
			return err
		}
		for _, c := range charts {
			o.add(filepath.Join(tmp, c), filepath.Join(filepath.Dir(f.out), c))
		}
	}
	if err := o.create(f.out, func(w io.Writer) error { return writeReport(rep, f.format, w, charts) }); err != nil {
		return err
	}
	return o.commit()
}

// checkAsOf refuses an -asof before the date a price the report uses was
// read: the price did not exist yet on that day, and its age would come
// out negative, never stale.
//
// Without -asof, a price dated more than a day after today (a cache file
// written by a host whose clock was wrong, or edited) is refused the same
// way: it would be used as the newest price, and silently.
func (f *reportFlags) checkAsOf(rep *report.Report) error {
	if !f.asOf {
		for _, h := range rep.Hosts {
			if h.Price != nil && h.Price.SourceDate.After(f.now.Add(24*time.Hour)) {
				return fmt.Errorf("%s:%d: %s's price is dated %s, after today (%s): a date from the future; fix or remove that row",
					h.Price.Origin, h.Price.Line, h.Instance, h.Price.SourceDate.Format(time.DateOnly), f.now.Format(time.DateOnly))
			}
		}
		return nil
	}
	for _, h := range rep.Hosts {
		if h.Price != nil && h.Price.SourceDate.After(f.now) {
			return usageError{msg: fmt.Sprintf("-asof %s: before the prices it ages (%s's was read on %s in %s)",
				f.now.Format(time.DateOnly), h.Instance, h.Price.SourceDate.Format(time.DateOnly), rep.Sources.PricesFile)}
		}
	}
	return nil
}

func writeReport(rep *report.Report, format string, w io.Writer, charts []string) error {
	switch format {
	case "csv":
		return rep.WriteCSV(w)
	case "json":
		return rep.WriteJSON(w)
	}
	return rep.WriteMarkdown(w, charts)
}

// oneLine returns s as it is, or quoted in Go syntax when it holds a
// control character (a newline would split the error in two).
func oneLine(s string) string {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return strconv.Quote(s)
	}
	return s
}
