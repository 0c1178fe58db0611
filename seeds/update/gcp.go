package update

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// gcp reads gcloud-compute.com's machine-types-regions.csv: one row per
// machine type and region, with a header naming the columns. Used (by
// name, in any order): name, region, hour (on-demand USD per hour),
// hourSpot (spot), and vCpus and memoryGB for a type the instance table
// lacks. A price of 0 or empty means not offered.
type gcp struct {
	f      *fetcher
	prices map[string]Result
}

func (*gcp) Provider() string { return schema.GCP }
func (*gcp) Name() string     { return "gcp" }

func (g *gcp) Regions(ctx context.Context, want string) ([]string, error) {
	g.prices = map[string]Result{}
	src := g.f.cfg.GCPURL
	err := g.f.get(ctx, src, nil, func(r io.Reader) error {
		cr := csv.NewReader(r)
		header, err := cr.Read()
		if err != nil {
			return fmt.Errorf("header: %w", err)
		}
		col := map[string]int{}
		for i, h := range header {
			col[strings.ToLower(strings.TrimSpace(h))] = i
		}
		for _, need := range []string{"name", "region", "hour", "hourspot"} {
			if _, ok := col[need]; !ok {
				return errShape("no %q column in %v", need, header)
			}
		}
		cr.FieldsPerRecord = len(header)
		get := func(rec []string, name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err // csv.ParseError names the line
			}
			line, _ := cr.FieldPos(0)
			name, region := get(rec, "name"), get(rec, "region")
			if schema.CheckName(name) != nil || schema.CheckName(region) != nil {
				return fmt.Errorf("line %d: bad name %q or region %q", line, name, region)
			}
			res := g.prices[region]
			for _, c := range []struct{ col, typ string }{{"hour", seeds.OnDemand}, {"hourspot", seeds.Spot}} {
				s := get(rec, c.col)
				if s == "" {
					continue
				}
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					return fmt.Errorf("line %d: %s: %q is not a price", line, header[col[c.col]], s)
				}
				if v == 0 {
					continue
				}
				p := seeds.Price{Provider: schema.GCP, Region: region, Instance: name, PricePerHour: v, PriceType: c.typ,
					Source: "gcloud-compute.com " + src, SourceDate: g.f.today()}
				if !g.f.spec(&p) && !gcpSpec(&p, get(rec, "vcpus"), get(rec, "memorygb")) {
					res.Skipped++
					continue
				}
				res.Prices = append(res.Prices, p)
			}
			g.prices[region] = res
		}
	})
	if err != nil {
		return nil, err
	}
	if len(g.prices) == 0 {
		return nil, fmt.Errorf("%s: %w", src, errShape("no prices"))
	}
	var regions []string
	for r := range g.prices {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	return narrow(regions, want, "the GCP price list")
}

// gcpSpec fills the specs of a machine type the instance table lacks from
// the CSV's own columns.
func gcpSpec(p *seeds.Price, vcpus, mem string) bool {
	v, err := strconv.Atoi(vcpus)
	if err != nil || v <= 0 {
		return false
	}
	p.VCPUs = v
	if m, err := strconv.ParseFloat(mem, 64); err == nil && m > 0 && !math.IsInf(m, 0) {
		p.MemoryGiB = m
	}
	p.Arch, p.CPU = "unknown", "unknown"
	p.Cores = max(1, v/seeds.ThreadsPerCore(p.Instance, p.Arch))
	return true
}

func (g *gcp) Fetch(_ context.Context, region string) (Result, error) {
	return g.prices[region], nil
}
