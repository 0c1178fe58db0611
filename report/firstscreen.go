package report

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

// The report's first screen: the ranking by work per dollar and one line
// per claim, what most readers come for. Everything below them (hosts,
// kernels, the claims in full, the method) is there to check them.

// rankingTable lists the ranking: one row per instance, a column per
// kernel and the geometric mean, each relative to the baseline.
func (r *Report) rankingTable() *table {
	rk := r.Ranking
	cols := []string{"rank", "instance", "arch", "$/h", "geomean"}
	cols = append(cols, rk.Kernels...)
	t := &table{name: "ranking", title: "Work per dollar, ranked", cols: append(cols, "note")}
	for i, row := range rk.Rows {
		place := count(i + 1)
		if row.Geomean == nil {
			place = count(-1)
			place.v = math.NaN()
		}
		h := r.Host(row.Instance)
		cells := []cell{place, text(row.Instance), text(archName(row.Arch)), price(h.PricePerHour()), rankCell(row.Geomean, rk, geomeanColumn, row.Instance)}
		for j, k := range rk.Kernels {
			cells = append(cells, rankCell(row.Kernels[j], rk, k, row.Instance))
		}
		t.add(append(cells, text(row.Note()))...)
	}
	return t
}

// rankCell is a ratio to the baseline, marked in markdown when the
// instance is its column's clear best, or tied for it.
func rankCell(r *Ratio, rk *Ranking, col, instance string) cell {
	c := ratioCell(r)
	switch {
	case r == nil:
		return c
	case instance == rk.Baseline:
		c.md = "1.00x (baseline)"
	}
	switch {
	case rk.Best[col] == instance:
		c.md = "**" + c.markdown() + "** (best)"
	case slices.Contains(rk.Tied[col], instance):
		c.md = c.markdown() + " (tied)"
	}
	return c
}

// archName names the architecture as readers know it: the results'
// goarch amd64 is sold as x86_64.
func archName(goarch string) string {
	if goarch == "" {
		return "unknown"
	}
	return goarch
}

// summaryTable is one row per claim: the claims' first screen. claimed is
// the ratio as stated (a cost claim's 0.80), target the same in
// higher-is-better terms (1.25 work per dollar), which measured is
// judged against; the claims table uses the same two columns.
func (r *Report) summaryTable() *table {
	t := &table{name: "summary", title: "Claims",
		cols: []string{"claim", "in short", "subject", "baseline", "metric", "bound", "claimed", "target", "measured", "measured as", "verdict", "detail"}}
	for _, c := range r.Claims {
		subj, base := strings.Join(c.Claim.Subject, " "), strings.Join(c.Claim.Baseline, " ")
		var measured *Ratio
		as := ""
		if c.Judged != nil {
			subj, base = c.Judged.Subject, c.Judged.Baseline
			measured = &c.Judged.Judged.Ratio
			as = c.Judged.measuredAs(c.Claim.Metric)
		}
		t.add(text(c.Claim.ID), text(claimInShort(c.Claim)), text(subj), text(base), text(c.Claim.Metric), text(c.Claim.Bound),
			claimedCell(c.Claim), cell{num: true, v: c.Target, ratio: true}, ratioCell(measured), text(as),
			text(c.Verdict), text(c.Detail()))
	}
	return t
}

// claimedCell is the claimed ratio as stated; none for a better claim
// that states no figure.
func claimedCell(c seeds.Claim) cell {
	if c.ClaimedRatio == 0 {
		return cell{num: true, v: math.NaN(), ratio: true}
	}
	return cell{num: true, v: c.ClaimedRatio, ratio: true}
}

// pairText names what a claim was judged on: the judged pair, else the
// claim's own sides ("c8g vs c7g").
func (c *ClaimResult) pairText() string {
	if c.Judged != nil {
		return c.Judged.Subject + " vs " + c.Judged.Baseline
	}
	return strings.Join(c.Claim.Subject, " ") + " vs " + strings.Join(c.Claim.Baseline, " ")
}

// measuredAs names the quantity a pair's ratio is of.
func (p *PairResult) measuredAs(metric string) string {
	switch {
	case p.PerDollar:
		return "work per dollar"
	case p.PerVCPU:
		return "performance per vCPU"
	case metric == seeds.MemoryBandwidth:
		return "bandwidth"
	}
	return "performance"
}

// claimInShort says what a claim is about in a few words: its metric and
// the workload it names.
func claimInShort(c seeds.Claim) string {
	m, _ := schema.LookupMetric(c.Metric)
	s := m.Words
	if s == "" {
		s = c.Metric
	}
	// The workload, unless it only repeats the metric ("memory
	// bandwidth, memory bandwidth").
	if w := c.Workload; w != "" && !strings.Contains(strings.ToLower(s), strings.ToLower(w)) {
		s += ", " + w
	}
	return s
}

// claimedWords states the claim's figure as the first screen shows it,
// in the terms it is measured in: "up to 1.30x", "about 1.25x",
// "better", "up to 0.80x cost = 1.25x per $".
func claimedWords(c seeds.Claim, target float64) string {
	if c.Bound == seeds.Better {
		return "better"
	}
	word := "up to"
	if c.Bound == seeds.Approx {
		word = "about"
	}
	if c.Metric == seeds.Cost {
		return fmt.Sprintf("%s %s cost = %s per $", word, fx(c.ClaimedRatio), fx(target))
	}
	return word + " " + fx(target)
}

// writeFirstScreen writes the ranking, the overview chart and the claims
// table, and the warnings grouped by kind.
func (r *Report) writeFirstScreen(w io.Writer, overview string) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("## Work per dollar, ranked\n\n")
	rk := r.Ranking
	if len(rk.Kernels) == 0 {
		var why []string
		for _, row := range rk.Rows {
			if row.Note() != "" {
				why = append(why, row.Instance+": "+row.Note())
			}
		}
		priced := 0
		for _, h := range r.Hosts {
			if h.Price != nil {
				priced++
			}
		}
		if priced < 2 {
			why = nil
			p("Nothing to rank: %s priced, and a ranking needs two (name the files' instance types with NAME=FILE, or add results of other types)", plural(priced, "instance"))
		} else {
			p("Nothing to rank: no two priced instances ran a whole-instance kernel in common at comparable tiers")
		}
		if len(why) > 0 {
			p(" (%s)", escapeMarkdown(strings.Join(why, "; ")))
		}
		p(".\n\n")
	} else {
		p("Whole-instance work per dollar (%s price) of each instance over %s's, the baseline, as in the chart below, with 95%% intervals. ", strings.ReplaceAll(r.PriceType, "_", "-"), r.Baseline)
		p("*geomean* is the geometric mean over %s (the peak probes are a ceiling, not work); each kernel's figure is the geometric mean over its sizes. ", strings.Join(rk.Kernels, ", "))
		p("%s.\n\n", r.bestLine())
		t := r.rankingTable()
		if !t.hasText(len(t.cols) - 1) {
			t = t.without(len(t.cols) - 1)
		}
		t = t.without(0) // place: the rows are in order
		writeMarkdownTable(w, "", t)
	}
	if overview != "" {
		p("![Work per dollar relative to %s, per kernel](%s)\n\n", r.Baseline, overview)
	}
	p("## Claims\n\n")
	if len(r.Claims) == 0 {
		p("No claims in %s.\n\n", r.Sources.ClaimsFile)
	} else {
		t := &table{cols: []string{"claim", "in short", "instances compared", "claimed", "measured", "verdict"}}
		for _, c := range r.Claims {
			measured := "—"
			if c.Judged != nil {
				measured = formatRatioInterval(c.Judged.Judged.Ratio) + " " + c.Judged.measuredAs(c.Claim.Metric)
			}
			t.add(text("**"+c.Claim.ID+"**"), text(claimInShort(c.Claim)), text(c.pairText()), text(claimedWords(c.Claim, c.Target)),
				text(measured), text("**"+c.Verdict+"**"))
		}
		writeMarkdownTable(w, "", t)
		p("Details per claim are below the warnings; *measured* is the ratio the verdict is drawn from, with the interval it is judged on: 95%%, or wider where a claim picks the best of several kernels or pairs, so that the claim's own error stays at 5%% (see [Reading the report](https://github.com/ppbench/ppbench#reading-the-report)).\n\n")
	}
	p("## Warnings\n\n")
	if len(r.Warnings) == 0 {
		p("None.\n\n")
	} else {
		for _, line := range r.WarningSummary() {
			p("- %s\n", escapeMarkdown(line))
		}
		p("\nEvery warning is listed in the method section.\n\n")
	}
	if len(r.Claims) > 0 {
		p("## Claim details\n\n")
		for _, c := range r.Claims {
			p("- %s\n", escapeMarkdown(c.SummaryLine()))
			if c.PriceNote() != "" {
				p("  - Price list: %s.\n", escapeMarkdown(c.PriceNote()))
			}
		}
		p("\n")
	}
}

// bestLine names the best instance of each column, or those tied for it
// (95% intervals that overlap: the data do not separate them).
func (r *Report) bestLine() string {
	rk := r.Ranking
	var best, tied []string
	for _, col := range append([]string{geomeanColumn}, rk.Kernels...) {
		if b := rk.Best[col]; b != "" {
			best = append(best, col+" "+b)
		} else if t := rk.Tied[col]; len(t) > 0 {
			tied = append(tied, col+" "+strings.Join(t, " and "))
		}
	}
	var parts []string
	if len(best) > 0 {
		parts = append(parts, "Best: "+strings.Join(best, ", "))
	}
	if len(tied) > 0 {
		parts = append(parts, "tied (intervals overlap): "+strings.Join(tied, "; "))
	}
	return strings.Join(parts, "; ")
}

// hasText reports whether column i has a non-empty text cell.
func (t *table) hasText(i int) bool {
	for _, row := range t.rows {
		if row[i].text != "" {
			return true
		}
	}
	return false
}

// without returns t without column i.
func (t *table) without(i int) *table {
	out := &table{name: t.name, title: t.title}
	out.cols = append(append(out.cols, t.cols[:i]...), t.cols[i+1:]...)
	for _, row := range t.rows {
		out.rows = append(out.rows, append(cloneCells(row[:i]), row[i+1:]...))
	}
	return out
}
