package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ppbench/ppbench/seeds"
)

func init() {
	register(command{
		name:    "prices",
		summary: "list the price catalog (filter by provider, family, type, region)",
		run:     runPrices,
	})
	register(command{
		name:    "claims",
		summary: "list the vendor claims catalog (filter by provider or family)",
		run:     runClaims,
	})
}

const pricesUsage = `Usage: ppbench prices [flags]
       ppbench prices update [flags]   (refresh from the providers; see 'ppbench prices update -h')

Prices lists the hourly prices the report joins results with: the built-in
catalog and the prices 'ppbench prices update' fetched into the cache,
the newest of each, or the file given with -prices. Each price carries the
date it was read; see seeds/README.md for where each comes from.
When no price matches the filters, it prints one line on standard error
and exits with status 1, as grep does, so that a script can tell.

Flags:
`

const claimsUsage = `Usage: ppbench claims [flags]

Claims lists the vendor and press claims the report judges: the built-in
catalog (seeds/claims.csv) or the file given with -claims. -family matches
exact families only (c4 is not c4a), on either side of a claim. When no
claim matches the filters, it prints one line on standard error and exits
with status 1.

Flags:
`

// catalogFlags are the filters the two listing commands share.
type catalogFlags struct {
	provider, family, format string
}

func (c *catalogFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.provider, "provider", "", "only this `provider`: aws, gcp, azure")
	fs.StringVar(&c.family, "family", "", "only this exact instance `family`, e.g. c8g or c4a")
	fs.StringVar(&c.format, "format", "text", "output `format`: text or csv (csv has every column, sources included)")
}

func (c *catalogFlags) check(fsArgs []string) error {
	if len(fsArgs) > 0 {
		return usageError{msg: fmt.Sprintf("unexpected argument %q", fsArgs[0])}
	}
	if c.format != "text" && c.format != "csv" {
		return usageError{msg: fmt.Sprintf("-format %s: want text or csv", c.format)}
	}
	return nil
}

func runPrices(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "update" { // prices_update.go
		return runPricesUpdate(args[1:], stdout, stderr)
	}
	fs := newFlagSet("prices", pricesUsage, stderr)
	var cf catalogFlags
	cf.register(fs)
	priceType := fs.String("type", "", "only this price `type`: on_demand, spot, commit_1y, ...")
	region := fs.String("region", "", "only this `region`")
	file := fs.String("prices", "", "prices CSV `file` (default: the built-in catalog)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cf.check(fs.Args()); err != nil {
		return err
	}
	cat, err := seeds.Load(seeds.Files{Prices: *file})
	if err != nil {
		return err
	}
	rows := cat.FilterPrices(seeds.PriceFilter{Provider: cf.provider, Family: cf.family, PriceType: *priceType, Region: *region})
	if len(rows) == 0 {
		return errNoMatch("prices", cat.PricesFile, cf.filters("-type", *priceType, "-region", *region))
	}
	if cf.format == "csv" {
		return writeCSV(stdout, seeds.PriceColumns(), rows, seeds.Price.Record)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tREGION\tINSTANCE\tVCPUS\tCORES\tMEM GIB\tARCH\tUSD/H\tUSD/VCPU-H\tTYPE\tDATE")
	for _, p := range rows {
		mem := "-" // the Azure sources give no memory figure
		if p.MemoryGiB > 0 {
			mem = strconv.FormatFloat(p.MemoryGiB, 'g', -1, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%g\t%.5f\t%s\t%s\n", p.Provider, p.Region, p.Instance, p.VCPUs, p.Cores,
			mem, p.Arch, p.PricePerHour, p.PricePerVCPUHour(), p.PriceType, p.SourceDate.Format(time.DateOnly))
	}
	return tw.Flush()
}

func runClaims(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("claims", claimsUsage, stderr)
	var cf catalogFlags
	cf.register(fs)
	file := fs.String("claims", "", "claims CSV `file` (default: the built-in catalog)")
	prices := fs.String("prices", "", "prices CSV `file` used to tell which provider a family belongs to")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := cf.check(fs.Args()); err != nil {
		return err
	}
	cat, err := seeds.Load(seeds.Files{Claims: *file, Prices: *prices})
	if err != nil {
		return err
	}
	rows := cat.FilterClaims(seeds.ClaimFilter{Provider: cf.provider, Family: cf.family})
	if len(rows) == 0 {
		return errNoMatch("claims", cat.ClaimsFile, cf.filters())
	}
	if cf.format == "csv" {
		return writeCSV(stdout, seeds.ClaimColumns(), rows, seeds.Claim.Record)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tBY\tSUBJECT\tBASELINE\tMETRIC\tBOUND\tRATIO\tTESTABLE BY\tDATE\tWORDING")
	for _, c := range rows {
		ratio := "-"
		if c.ClaimedRatio != 0 {
			ratio = strconv.FormatFloat(c.ClaimedRatio, 'f', -1, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.StatedBy, strings.Join(c.Subject, " "),
			strings.Join(c.Baseline, " "), c.Metric, c.Bound, ratio, c.TestableBy, catalogDash(c.Date), c.Wording)
	}
	return tw.Flush()
}

// errNoMatch is the error of a listing with no rows: an empty table, a
// header alone, would read as success to a script (and, as CSV, would not
// load again as a seed file), so it is bad data, exit status 1, in one
// line that repeats the filters.
func errNoMatch(what, file, filters string) error {
	return fmt.Errorf("no %s in %s match%s", what, file, filters)
}

// filters returns the filters set, the shared ones and the flag-value
// pairs of more, as they would be typed: " -family zzz".
func (c *catalogFlags) filters(more ...string) string {
	var b strings.Builder
	pairs := append([]string{"-provider", c.provider, "-family", c.family}, more...)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			fmt.Fprintf(&b, " %s %s", pairs[i], pairs[i+1])
		}
	}
	return b.String()
}

// writeCSV writes a header and one record per row: the columns and
// records are the seed file's own, so the output loads again with -prices
// or -claims.
func writeCSV[T any](w io.Writer, header []string, rows []T, record func(T) []string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for _, r := range rows {
		cw.Write(record(r))
	}
	cw.Flush()
	return cw.Error()
}

func catalogDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
