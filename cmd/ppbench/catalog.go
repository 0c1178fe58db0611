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

Prices lists the hourly prices the report joins results with: the built-in
catalog (seeds/prices.csv) or the file given with -prices. Each price
carries the date it was read; see seeds/README.md for how to refresh them.

Flags:
`

const claimsUsage = `Usage: ppbench claims [flags]

Claims lists the vendor and press claims the report judges: the built-in
catalog (seeds/claims.csv) or the file given with -claims. -family matches
exact families only (c4 is not c4a), on either side of a claim.

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
	var rows []seeds.Price
	for _, p := range cat.Prices {
		if (cf.provider == "" || p.Provider == cf.provider) &&
			(cf.family == "" || seeds.Family(p.Instance) == cf.family) &&
			(*priceType == "" || p.PriceType == *priceType) &&
			(*region == "" || p.Region == *region) {
			rows = append(rows, p)
		}
	}
	if cf.format == "csv" {
		w := csv.NewWriter(stdout)
		w.Write([]string{"provider", "region", "instance", "vcpus", "physical_cores", "memory_gib", "arch", "cpu", "price_usd_hour", "price_type", "source", "source_date"})
		for _, p := range rows {
			w.Write([]string{p.Provider, p.Region, p.Instance, strconv.Itoa(p.VCPUs), strconv.Itoa(p.Cores),
				strconv.FormatFloat(p.MemoryGiB, 'f', -1, 64), p.Arch, p.CPU, strconv.FormatFloat(p.PricePerHour, 'f', -1, 64),
				p.PriceType, p.Source, p.SourceDate.Format(time.DateOnly)})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tREGION\tINSTANCE\tVCPUS\tCORES\tMEM GIB\tARCH\tUSD/H\tUSD/VCPU-H\tTYPE\tDATE")
	for _, p := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%g\t%s\t%g\t%.5f\t%s\t%s\n", p.Provider, p.Region, p.Instance, p.VCPUs, p.Cores,
			p.MemoryGiB, p.Arch, p.PricePerHour, p.PricePerVCPUHour(), p.PriceType, p.SourceDate.Format(time.DateOnly))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rows) == 0 {
		fmt.Fprintf(stderr, "ppbench: no prices in %s match\n", cat.PricesFile)
	}
	return nil
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
	var rows []seeds.Claim
	for _, c := range cat.Claims {
		names := append(append([]string(nil), c.Subject...), c.Baseline...)
		if cf.family != "" && !claimNamesFamily(names, cf.family) {
			continue
		}
		if cf.provider != "" && !claimNamesProvider(cat, names, cf.provider) {
			continue
		}
		rows = append(rows, c)
	}
	if cf.format == "csv" {
		w := csv.NewWriter(stdout)
		w.Write([]string{"id", "stated_by", "subject", "baseline", "metric", "claimed_ratio", "bound", "workload", "wording", "source", "date", "testable_by", "notes"})
		for _, c := range rows {
			ratio := ""
			if c.ClaimedRatio != 0 {
				ratio = strconv.FormatFloat(c.ClaimedRatio, 'f', -1, 64)
			}
			w.Write([]string{c.ID, c.StatedBy, strings.Join(c.Subject, " "), strings.Join(c.Baseline, " "), c.Metric, ratio,
				c.Bound, c.Workload, c.Wording, c.Source, c.Date, c.TestableBy, c.Notes})
		}
		w.Flush()
		return w.Error()
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
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rows) == 0 {
		fmt.Fprintf(stderr, "ppbench: no claims in %s match\n", cat.ClaimsFile)
	}
	return nil
}

// claimNamesFamily reports whether a claim names family exactly, or an
// instance type of that family.
func claimNamesFamily(names []string, family string) bool {
	for _, n := range names {
		if n == family || seeds.Family(n) == family && seeds.Provider(n) != "" {
			return true
		}
	}
	return false
}

// claimNamesProvider reports whether one of names belongs to provider: by its
// shape for instance types, by the price catalog for bare families.
func claimNamesProvider(cat *seeds.Catalog, names []string, provider string) bool {
	for _, n := range names {
		if seeds.Provider(n) == provider {
			return true
		}
		for _, p := range cat.Prices {
			if p.Provider == provider && seeds.Family(p.Instance) == n {
				return true
			}
		}
	}
	return false
}

func catalogDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
