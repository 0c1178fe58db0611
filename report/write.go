package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ppbench/ppbench/seeds"
)

// WriteMarkdown writes the report as GitHub-flavoured markdown: a summary
// line per claim, the host table, one table per kernel and size, the
// comparison and claims tables, the method section with every warning,
// and links to charts (file names relative to the markdown, as returned
// by WriteCharts; none when charts is empty).
func (r *Report) WriteMarkdown(w io.Writer, charts []string) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	p("# ppbench report\n\n")
	p("Work per dollar is whole-instance throughput × 3600 / %s price per hour. Baseline: **%s**. Prices as of %s.\n\n",
		strings.ReplaceAll(r.PriceType, "_", "-"), r.Baseline, r.Now.Format(time.DateOnly))

	p("## Claims at a glance\n\n")
	if len(r.Claims) == 0 {
		p("No claims in %s.\n\n", r.Catalog.ClaimsFile)
	}
	for _, c := range r.Claims {
		p("- %s\n", escapeMarkdown(c.SummaryLine()))
	}
	p("\n")

	writeMarkdownTable(bw, "## Hosts", r.hostTable())

	p("## Kernels\n\n")
	p("Throughput is the median with its 95%% interval. *Whole instance* is `threads=all` (one copy per vCPU; triad splits one array), ")
	p("*single thread* is `threads=1`, *SMT gain* is `threads=all` over `threads=cores`. ")
	p("*vs baseline* is the ratio of work per dollar to %s's, with a bootstrap interval and the Mann-Whitney p-value.\n\n", r.Baseline)
	for _, g := range r.kernelGroups() {
		row := g[0]
		title := "### " + row.Kernel
		if row.Params != "" {
			title += " " + strings.ReplaceAll(row.Params, "/", " ")
		}
		title += fmt.Sprintf(" (%s; work per $ in %s)", row.Unit, row.WorkUnit())
		t := &table{cols: kernelCols}
		for _, row := range g {
			t.add(r.kernelRow(row)...)
		}
		writeMarkdownTable(bw, title, t)
	}

	writeMarkdownTable(bw, "## Work per dollar against "+r.Baseline, r.comparisonTable())
	writeMarkdownTable(bw, "## Claims", r.claimTable())

	p("## Method\n\n")
	for _, line := range r.methodLines() {
		p("- %s\n", escapeMarkdown(line))
	}
	p("\n### Warnings\n\n")
	if len(r.Warnings) == 0 {
		p("None.\n")
	}
	for _, w := range r.Warnings {
		p("- %s\n", escapeMarkdown(w.String()))
	}
	if len(charts) > 0 {
		p("\n## Charts\n\nWork per dollar per instance (whole instance), with 95%% interval whiskers.\n\n")
		for _, c := range charts {
			p("![%s](%s)\n", c, c)
		}
	}
	return bw.Flush()
}

// SummaryLine is the one-line statement of a claim's result.
func (c *ClaimResult) SummaryLine() string {
	claimed := fmt.Sprintf("claimed %s %s", strings.ReplaceAll(c.Claim.Bound, "_", " "), fx(c.Claim.ClaimedRatio))
	switch {
	case c.Claim.Bound == seeds.Better:
		claimed = "claimed better"
	case c.Claim.Metric == seeds.Cost:
		claimed += fmt.Sprintf(" cost (%s work per dollar)", fx(c.Target))
	}
	pair := strings.Join(c.Claim.Subject, " ") + " vs " + strings.Join(c.Claim.Baseline, " ")
	measured := ""
	if c.Judged != nil {
		pair = c.Judged.Subject + " vs " + c.Judged.Baseline
		unit := "performance"
		if c.Claim.Metric == seeds.MemoryBandwidth {
			unit = "bandwidth"
		}
		if c.Judged.PerDollar {
			unit = "work per dollar"
		} else if c.Judged.PerVCPU {
			unit = "performance per vCPU"
		}
		measured = fmt.Sprintf(", measured %s %s", unit, formatRatioInterval(c.Judged.Judged.Ratio))
	}
	return fmt.Sprintf("**%s** %s (%s, %s%s): **%s**: %s", c.Claim.ID, pair, c.Claim.Metric, claimed, measured, c.Verdict, c.Detail)
}

func (r *Report) methodLines() []string {
	var lines []string
	for _, h := range r.Hosts {
		n := fmt.Sprint(h.minSamples)
		if h.maxSamples != h.minSamples {
			n = fmt.Sprintf("%d to %d", h.minSamples, h.maxSamples)
		}
		launches := "1 launch"
		if len(h.files) > 1 {
			launches = fmt.Sprintf("%d launches, pooled", len(h.files))
		}
		lines = append(lines, fmt.Sprintf("%s: %s (%s), %s samples per benchmark.",
			h.Instance, launches, strings.Join(h.files, ", "), n))
	}
	lines = append(lines,
		fmt.Sprintf("Medians with %.0f%% order-statistic intervals from golang.org/x/perf/benchmath; fewer than %d samples give no interval.", r.Confidence*100, MinSamples),
		fmt.Sprintf("Ratios between instances: ratio of medians with a percentile bootstrap interval (%d resamples of each side, fixed seeds); geometric means over kernels combine the same resamples. p-values: Mann-Whitney U (benchmath) on work per dollar.", r.Resamples),
		"Kernels per claim metric: price_performance, performance and cost use SGEMM and attention; performance_fp SGEMM and FMAPeak; performance_ml attention and SGEMM; memory_bandwidth triad. A kernel's ratio is the geometric mean over its sizes; up_to claims are judged on the best kernel, approx and better claims on the geometric mean. Claims pair instances of the same size and class first.",
		"Portable (pure Go) results are never compared with SIMD results. Comparisons use rate mode (threads=all); mode=parallel variants are shown but not compared.",
		fmt.Sprintf("Prices: %s, type %s, each instance's region (a region: line in its results, else us-east-1 on AWS, us-central1 on GCP). Claims: %s. Peaks: %s.",
			r.Catalog.PricesFile, r.PriceType, r.Catalog.ClaimsFile, r.Catalog.PeaksFile),
	)
	for _, h := range r.Hosts {
		if h.Price != nil {
			lines = append(lines, fmt.Sprintf("Price of %s: %s in %s, %s, from %s, dated %s.", h.Instance,
				formatPrice(h.Price.PricePerHour), h.Price.Region, h.Price.PriceType, h.Price.Source, h.Price.SourceDate.Format(time.DateOnly)))
		}
	}
	return lines
}

func writeMarkdownTable(w io.Writer, title string, t *table) {
	fmt.Fprintf(w, "%s\n\n", title)
	if len(t.rows) == 0 {
		fmt.Fprintf(w, "None.\n\n")
		return
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(t.cols, " | "))
	fmt.Fprintf(w, "|%s\n", strings.Repeat(" --- |", len(t.cols)))
	for _, row := range t.rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = c.markdown()
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
	fmt.Fprintln(w)
}

// WriteCSV writes every table as CSV. Each record starts with the table's
// name; each table starts with a header record whose first field is
// "table". Tables have different widths (read with FieldsPerRecord = -1).
// An interval column becomes three: NAME, NAME_lo, NAME_hi. Numbers have
// 12 significant digits; an empty field is a figure that does not
// exist (no price, no interval).
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	for _, t := range r.tables() {
		cw.Write(append([]string{"table"}, t.machineCols()...))
		for _, row := range t.rows {
			rec := []string{t.name}
			for _, c := range row {
				rec = append(rec, c.csvValues()...)
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteJSON writes the same tables as WriteCSV as one JSON object:
// {"baseline": ..., "price_type": ..., "as_of": ..., "tables": [{"name":
// ..., "columns": [...], "rows": [[...], ...]}]}, with numbers as JSON
// numbers and figures that do not exist as null.
func (r *Report) WriteJSON(w io.Writer) error {
	type jsonTable struct {
		Name    string   `json:"name"`
		Columns []string `json:"columns"`
		Rows    [][]any  `json:"rows"`
	}
	out := struct {
		Baseline  string      `json:"baseline"`
		PriceType string      `json:"price_type"`
		AsOf      string      `json:"as_of"`
		Tables    []jsonTable `json:"tables"`
	}{Baseline: r.Baseline, PriceType: r.PriceType, AsOf: r.Now.Format(time.DateOnly)}
	for _, t := range r.tables() {
		jt := jsonTable{Name: t.name, Columns: t.machineCols(), Rows: [][]any{}}
		for _, row := range t.rows {
			var rec []any
			for _, c := range row {
				rec = append(rec, c.jsonValues()...)
			}
			jt.Rows = append(jt.Rows, rec)
		}
		out.Tables = append(out.Tables, jt)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
