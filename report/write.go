package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// WriteMarkdown writes the report as GitHub-flavoured markdown. The first
// screen is what readers come for: the instances ranked by work per
// dollar, the overview chart, one row per claim and the warnings grouped
// by kind. Below come the details per claim, the host table, one table
// per kernel and size, the comparison and claims tables in full, the
// method section with every warning, and the per-kernel charts. charts
// are file names relative to the markdown, as returned by WriteCharts;
// none when charts is empty.
func (r *Report) WriteMarkdown(w io.Writer, charts []string) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }

	p("# ppbench report\n\n")
	p("Work per dollar is whole-instance throughput × 3600 / %s price per hour. Baseline: **%s**. %s\n\n",
		strings.ReplaceAll(r.PriceType, "_", "-"), r.Baseline, r.pricesDated())

	overview, charts := splitOverview(charts)
	r.writeFirstScreen(bw, overview)

	writeMarkdownTable(bw, "## Hosts", r.hostTable())

	p("## Kernels\n\n")
	p("Throughput is the median with its 95%% interval. *Whole instance* is `threads=all` (one copy per vCPU; triad splits one array, and the LLM passes run one model on every vCPU), ")
	p("*single thread* is `threads=1`, *SMT gain* is `threads=all` over `threads=cores`. ")
	p("*vs baseline* is the ratio of work per dollar to %s's, with a bootstrap interval and the Mann-Whitney p-value. ", r.Baseline)
	p("*%% measured peak* is of the same tier's peak probe, and for the LLM passes of their bound on the same host: decode at the triad's bandwidth over its bytes per token, prefill at the weights' GEMM rate over its operations per token.\n\n")
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
	writeMarkdownTable(bw, "## Claims in full", r.claimTable())

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
		p("\n## Charts\n\nWhole-instance work per dollar per instance, one chart per kernel and size, with 95%% interval whiskers.\n\n")
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
	measured := ""
	if c.Judged != nil {
		measured = fmt.Sprintf(", measured %s %s", c.Judged.measuredAs(c.Claim.Metric), formatRatioInterval(c.Judged.Judged.Ratio))
	}
	return fmt.Sprintf("**%s** %s (%s, %s%s): **%s**: %s", c.Claim.ID, c.pairText(), c.Claim.Metric, claimed, measured, c.Verdict, c.Detail())
}

func (r *Report) methodLines() []string {
	var lines []string
	for _, h := range r.Hosts {
		n := fmt.Sprint(h.minSamples)
		if h.maxSamples != h.minSamples {
			n = fmt.Sprintf("%d to %d", h.minSamples, h.maxSamples)
		}
		launches := "1 launch"
		how := "its intervals know only the noise within that run"
		if len(h.files) > 1 {
			launches = fmt.Sprintf("%d launches, pooled", len(h.files))
			how = "resampled in two stages, launches and then samples within each"
		}
		lines = append(lines, fmt.Sprintf("%s: %s (%s), %s samples per benchmark; %s.",
			h.Instance, launches, strings.Join(h.files, ", "), n, how))
	}
	for _, lc := range r.Launches {
		lines = append(lines, lc.methodLine())
	}
	lines = append(lines,
		fmt.Sprintf("Medians with %.0f%% order-statistic intervals from golang.org/x/perf/benchmath; fewer than %d samples give no interval.", r.Confidence*100, MinSamples),
		fmt.Sprintf("Ratios between instances: ratio of medians with a percentile bootstrap interval (%d resamples of each side, fixed seeds). "+
			"A side with two or more launches is resampled in two stages: launches with replacement, then samples within each launch drawn, the same launches for all of its benchmarks. "+
			"A side with one launch is resampled by its samples alone. "+
			"Geometric means over kernels combine the same resamples. p-values: Mann-Whitney U (benchmath) on work per dollar.", r.Resamples),
		r.noiseFloorLine(),
		r.intervalMethodLine(),
		metricKernelsLine()+" A kernel's ratio is the geometric mean over its sizes; up_to claims are judged on the best kernel, approx and better claims on the geometric mean. Claims pair instances of the same size and class first.",
		"Portable (pure Go) results are never compared with SIMD results. Comparisons use rate mode (threads=all); mode=parallel variants are shown but not compared.",
		fmt.Sprintf("Prices: %s, type %s, each instance's region (a region: line in its results, else us-east-1 on AWS, us-central1 on GCP). Claims: %s. Peaks: %s.",
			r.Sources.PricesFile, r.PriceType, r.Sources.ClaimsFile, r.Sources.PeaksFile),
	)
	for _, h := range r.Hosts {
		if h.Price != nil {
			origin := ""
			if h.Price.Origin != "" {
				origin = " (in " + h.Price.Origin + ")"
			}
			lines = append(lines, fmt.Sprintf("Price of %s: %s in %s, %s, from %s%s, dated %s.", h.Instance,
				formatPrice(h.Price.PricePerHour), h.Price.Region, h.Price.PriceType, h.Price.Source, origin, h.Price.SourceDate.Format(time.DateOnly)))
		}
	}
	if len(r.Sources.Origins) > 0 {
		// The newest price of each kind wins, from the built-in catalog or
		// from what `ppbench prices update` fetched: say how much each gave.
		var parts []string
		for _, o := range r.Sources.Origins {
			parts = append(parts, o.String())
		}
		lines = append(lines, "Price sources, newest price of each instance, region and type kept: "+strings.Join(parts, "; ")+".")
	}
	return lines
}

// methodLine says how far the launch agrees with the instance's first:
// the reader's own A/A test.
func (lc *LaunchComparison) methodLine() string {
	var parts []string
	for _, k := range lc.Kernels {
		parts = append(parts, k.Kernel+" "+formatRatioInterval(k.Ratio))
	}
	if lc.Geomean != nil {
		parts = append(parts, "geomean "+formatRatioInterval(*lc.Geomean))
	}
	if len(parts) == 0 {
		parts = append(parts, "no whole-instance benchmark in common")
	}
	return fmt.Sprintf("%s launch %d / launch 1 (%s / %s), whole instance, each launch's samples alone: %s.",
		lc.Instance, lc.Launch, lc.File, lc.First, strings.Join(parts, ", "))
}

// noiseFloorLine states how verdicts allow for launches, and the noise
// floor they assume where a side has one launch.
func (r *Report) noiseFloorLine() string {
	how := fmt.Sprintf("Verdicts: each side is the mean over its launches of each launch's log median, every launch weighing the same; "+
		"a side of two or more launches takes its variance from how far they differ, with a t quantile of launches−1 degrees of freedom; "+
		"an up_to claim judged on the best of m kernels and pairs, and a claim that must hold for each of m pairs, use a %s/m interval for each, so that the claim's own error stays at %s; "+
		"better means better by at least %s, and a subject is contradicted only when worse by more than %s; "+
		"a verdict with no interval, a launch that drifted, or families of the claim left unmeasured stay provisional. ",
		pct(1-r.Confidence), pct(1-r.Confidence), pct(MinEffect), pct(MinEffect))
	if r.NoiseFloor <= 0 {
		return how + "No noise floor: a side of one launch allows only for the spread between its own rounds, which knows nothing of how far launches differ."
	}
	return how + fmt.Sprintf("Noise floor %s: a side of one launch cannot see how far launches differ, and is taken to differ from the next by a standard deviation of %s "+
		"(or its own rounds' spread, when larger), besides what resampling its rounds shows; "+
		"two runs of one cloud host differ by more than either run's interval shows (single kernels by up to 8%% in six back-to-back runs of one host).",
		pct(r.NoiseFloor), pct(r.NoiseFloor))
}

// intervalMethodLine lists the comparisons and judged claim pairs by how
// their intervals were made: two-stage on both sides, or with a side of
// one launch, whose verdicts add the noise floor.
func (r *Report) intervalMethodLine() string {
	var twoStage, oneLaunch []string
	seen := map[[2]string]bool{}
	add := func(subject, baseline string, ks []KernelRatio) {
		k := [2]string{subject, baseline}
		if len(ks) == 0 || seen[k] {
			return
		}
		seen[k] = true
		name := subject + " vs " + baseline
		if l1, l2 := launchesBehind(ks); l1 < 2 || l2 < 2 {
			oneLaunch = append(oneLaunch, name)
		} else {
			twoStage = append(twoStage, name)
		}
	}
	for _, c := range r.Comparisons {
		add(c.Instance, c.Baseline, c.Kernels)
	}
	for _, c := range r.Claims {
		for _, p := range c.Pairs {
			add(p.Subject, p.Baseline, p.Kernels)
		}
	}
	list := func(names []string) string {
		if len(names) == 0 {
			return "none"
		}
		return strings.Join(names, ", ")
	}
	floor := "no noise floor"
	if r.NoiseFloor > 0 {
		floor = "verdicts allow for the " + pct(r.NoiseFloor) + " noise floor"
	}
	return fmt.Sprintf("Interval method per comparison: two-stage over launches on both sides: %s. One launch on a side (%s): %s.",
		list(twoStage), floor, list(oneLaunch))
}

func writeMarkdownTable(w io.Writer, title string, t *table) {
	if title != "" {
		fmt.Fprintf(w, "%s\n\n", title)
	}
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

// splitOverview separates the overview chart, which WriteCharts names
// first and PREFIX-overview.svg, from the per-kernel charts.
func splitOverview(charts []string) (overview string, rest []string) {
	if len(charts) > 0 && strings.HasSuffix(charts[0], overviewSuffix) {
		return charts[0], charts[1:]
	}
	return "", charts
}

// metricKernelsLine says which kernels judge each claim metric, from the
// kernel table (schema.Kernel.Metrics), metrics with the same kernels
// together: "price_performance, performance and cost: KernelA and
// KernelB; ...".
func metricKernelsLine() string {
	var groups []string
	byKernels := map[string][]string{}
	for _, m := range schema.Metrics() {
		ks, _ := schema.MetricKernels(m.Name)
		key := andList(ks)
		if byKernels[key] == nil {
			groups = append(groups, key)
		}
		byKernels[key] = append(byKernels[key], m.Name)
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = andList(byKernels[g]) + ": " + g
	}
	return "Kernels per claim metric (each host on the best tier it has for each data type): " + strings.Join(parts, "; ") + "."
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// pricesDated says when the prices used were published and the day they
// are aged against: "Prices dated 2026-07-20 (as of 2026-12-06)."
func (r *Report) pricesDated() string {
	var first, last time.Time
	for _, h := range r.Hosts {
		for _, p := range []*seeds.Price{h.Price, h.ListPrice} {
			if p == nil {
				continue
			}
			if first.IsZero() || p.SourceDate.Before(first) {
				first = p.SourceDate
			}
			if p.SourceDate.After(last) {
				last = p.SourceDate
			}
		}
	}
	asOf := r.Now.Format(time.DateOnly)
	switch {
	case first.IsZero():
		return fmt.Sprintf("No prices (as of %s).", asOf)
	case first.Equal(last):
		return fmt.Sprintf("Prices dated %s (as of %s).", first.Format(time.DateOnly), asOf)
	}
	return fmt.Sprintf("Prices dated %s to %s (as of %s).", first.Format(time.DateOnly), last.Format(time.DateOnly), asOf)
}
