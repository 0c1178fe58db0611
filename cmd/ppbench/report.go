package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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

const reportUsage = `Usage: ppbench report [flags] results.txt... 

Report reads results in Go benchmark format (from 'ppbench run' or
'go test -bench ./bench'), joins them with the price catalog and writes
performance-per-dollar tables and a verdict for each vendor claim.

Several files of one instance type are separate launches: they are pooled
and the spread between them is shown. An argument NAME=FILE names the
instance type of a file whose results say "instance: unknown".

With -o FILE and the markdown format, SVG charts are written next to FILE.
Warnings go to the report and to standard error.

Flags:
`

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", reportUsage, stderr)
	out := fs.String("o", "", "write the report to `file` (default standard output)")
	format := fs.String("format", "markdown", "output `format`: markdown, csv or json")
	baseline := fs.String("baseline", "", "`instance` type to compare the others with (default: the first file's)")
	priceType := fs.String("price-type", seeds.OnDemand, "price `type` from the catalog: on_demand, spot, commit_1y, ...")
	asOf := fs.String("asof", "", "age prices as of this `date` (YYYY-MM-DD, default today)")
	resamples := fs.Int("resamples", 0, "bootstrap resamples per sample (default 2000)")
	var files seeds.Files
	fs.StringVar(&files.Prices, "prices", "", "prices CSV `file` (default: the built-in catalog)")
	fs.StringVar(&files.Claims, "claims", "", "claims CSV `file` (default: the built-in catalog)")
	fs.StringVar(&files.Peaks, "peaks", "", "peaks CSV `file` (default: the built-in catalog)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case "markdown", "md", "csv", "json":
	default:
		return usageError{msg: fmt.Sprintf("-format %s: want markdown, csv or json", *format)}
	}
	now := time.Now()
	if *asOf != "" {
		d, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return usageError{msg: fmt.Sprintf("-asof %s: want a date YYYY-MM-DD", *asOf)}
		}
		now = d
	}
	if *resamples < 0 || *resamples == 1 {
		return usageError{msg: fmt.Sprintf("-resamples %d: want at least 2", *resamples)}
	}
	if fs.NArg() == 0 {
		return usageError{msg: "no results files given (run 'ppbench report -h')"}
	}

	catalog, err := seeds.Load(files)
	if err != nil {
		return err
	}
	if types := catalogPriceTypes(catalog); !slices.Contains(types, *priceType) {
		return usageError{msg: fmt.Sprintf("-price-type %s: not in %s (have %s)", *priceType, catalog.PricesFile, strings.Join(types, ", "))}
	}
	inputs := make([]results.Input, fs.NArg())
	for i, a := range fs.Args() {
		inputs[i] = results.ParseInput(a)
	}
	set, err := results.Read(inputs)
	if err != nil {
		return err
	}
	if *baseline != "" && set.Instance(*baseline) == nil {
		return usageError{msg: fmt.Sprintf("-baseline %s: no results for it in the files given", *baseline)}
	}
	rep, err := report.Build(set, report.Options{
		Catalog:   catalog,
		PriceType: *priceType,
		Baseline:  *baseline,
		Now:       now,
		Resamples: *resamples,
	})
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "ppbench: warning: %s\n", w)
	}
	if *out == "" {
		return writeReport(rep, *format, stdout, nil)
	}
	var charts []string
	if *format == "markdown" || *format == "md" {
		prefix := strings.TrimSuffix(filepath.Base(*out), filepath.Ext(*out))
		if charts, err = rep.WriteCharts(filepath.Dir(*out), prefix); err != nil {
			return err
		}
	}
	return writeReportFile(*out, func(w io.Writer) error { return writeReport(rep, *format, w, charts) })
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

// writeReportFile writes to a temporary file beside path and renames
// it into place, so that a failed write leaves any earlier report intact.
func writeReportFile(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing to remove
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func catalogPriceTypes(c *seeds.Catalog) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range c.Prices {
		if !seen[p.PriceType] {
			seen[p.PriceType] = true
			out = append(out, p.PriceType)
		}
	}
	return out
}
