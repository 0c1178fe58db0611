package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
)

// The output formats share one set of tables, built here from the Report,
// so that markdown, CSV and JSON always carry the same figures.

// A cell is one table entry: text, a number, or a number with an interval.
type cell struct {
	text     string
	num      bool
	v        float64
	interval bool
	lo, hi   float64
	pct      bool   // a percentage: markdown appends %
	ratio    bool   // a ratio: markdown appends x and uses two decimals
	integer  bool   // a count
	price    bool   // dollars
	p        bool   // a p-value: markdown shows small ones as <0.001
	md       string // when set, what markdown shows instead of the number
}

func text(s string) cell      { return cell{text: s} }
func number(v float64) cell   { return cell{num: true, v: v} }
func percent(v float64) cell  { return cell{num: true, v: v, pct: true} }
func ratioCell(r *Ratio) cell { return intervalOf(r, true) }
func count(n int) cell        { return cell{num: true, v: float64(n), integer: true} }

// price shows dollars with up to five significant digits: prices are
// quoted to the hundredth of a cent.
func price(v float64) cell { return cell{num: true, v: v, price: true} }
func estimateCell(e *Estimate) cell {
	if e == nil {
		return cell{num: true, v: math.NaN(), interval: true, lo: math.NaN(), hi: math.NaN()}
	}
	return cell{num: true, v: e.Center, interval: true, lo: e.Lo, hi: e.Hi}
}

func intervalOf(r *Ratio, isRatio bool) cell {
	if r == nil {
		return cell{num: true, v: math.NaN(), interval: true, lo: math.NaN(), hi: math.NaN(), ratio: isRatio}
	}
	return cell{num: true, v: r.Value, interval: true, lo: r.Lo, hi: r.Hi, ratio: isRatio}
}

func pValue(r *Ratio) cell {
	if r == nil {
		return cell{num: true, v: math.NaN(), p: true}
	}
	return cell{num: true, v: r.P, p: true}
}

// A table is a named grid. Interval columns become three columns (value,
// low, high) in CSV and JSON.
type table struct {
	name  string // machine name: hosts, kernels, comparisons, claims, ...
	title string // markdown heading
	cols  []string
	rows  [][]cell
}

func (t *table) add(cells ...cell) { t.rows = append(t.rows, cells) }

// tables returns every table of the report in output order: the claims
// first, as the machine formats always began, then the ranking.
func (r *Report) tables() []*table {
	return []*table{r.summaryTable(), r.rankingTable(), r.hostTable(), r.kernelTable(), r.comparisonTable(), r.launchTable(), r.claimTable(), r.warningTable()}
}

func (r *Report) hostTable() *table {
	t := &table{name: "hosts", title: "Hosts",
		cols: []string{"instance", "provider", "region", "cpu", "vcpus", "cores", "kernel tier", "simd widest",
			"go", "launches", "steal %", "$/h", "$/vCPU-h", "$/core-h", "price type", "price date"}}
	for _, h := range r.Hosts {
		tier := strings.Join(h.Tiers, ", ")
		if h.TierBelowChip {
			tier += " (below chip)"
		}
		var typed []string
		for _, d := range schema.DataTypes() {
			if ts := h.TypeTiers[d.Name]; len(ts) > 0 {
				typed = append(typed, d.Name+" "+strings.Join(ts, ", "))
			}
		}
		if len(typed) > 0 {
			tier += "; " + strings.Join(typed, ", ")
		}
		steal := math.NaN()
		if h.StealPercent >= 0 {
			steal = h.StealPercent
		}
		priceType, date := "", ""
		if h.Price != nil {
			priceType, date = h.Price.PriceType, h.Price.SourceDate.Format(time.DateOnly)
		}
		t.add(text(h.Instance), text(h.Provider), text(h.Region), text(h.CPU), count(h.VCPUs), count(h.Cores),
			text(tier), text(h.SIMDWidest), text(strings.Join(h.GoVersions, ", ")), count(h.Launches),
			percent(steal), price(h.PricePerHour()), price(h.PricePerVCPUHour()), price(h.PricePerCoreHour()),
			text(priceType), text(date))
	}
	return t
}

// kernelCols are the columns of the per-kernel tables; the CSV and JSON
// table adds kernel, params and unit in front.
var kernelCols = []string{"instance", "tier", "whole instance", "single thread", "SMT gain",
	"work per $", "vs baseline per $", "p", "% measured peak", "% published peak", "launches", "launch spread %", "samples"}

func (r *Report) kernelRow(row *Row) []cell {
	launches := len(row.LaunchMedians)
	if launches == 0 {
		launches = 1
	}
	n := 0
	if _, e := row.headline(); e != nil {
		n = e.N
	}
	return []cell{text(row.Instance), text(tierName(row.Tier)), estimateCell(row.Whole), estimateCell(row.Single),
		ratioCell(row.SMTGain), estimateCell(row.WorkPerDollar), ratioCell(r.VsBaseline(row)), pValue(r.VsBaseline(row)),
		percent(row.PctMeasuredPeak), percent(row.PctPublishedPeak), count(launches), percent(row.LaunchSpreadPct),
		count(n)}
}

func (r *Report) kernelTable() *table {
	t := &table{name: "kernels", cols: append([]string{"kernel", "params", "unit"}, kernelCols...)}
	for _, row := range r.Rows {
		t.add(append([]cell{text(row.Kernel), text(row.Params), text(row.Unit)}, r.kernelRow(row)...)...)
	}
	return t
}

// kernelGroups splits the rows by kernel and size, for one markdown table
// each.
func (r *Report) kernelGroups() [][]*Row {
	var out [][]*Row
	for i := 0; i < len(r.Rows); {
		j := i + 1
		for j < len(r.Rows) && results.CompareBench(r.Rows[i].bench(""), r.Rows[j].bench("")) == 0 {
			j++
		}
		out = append(out, r.Rows[i:j])
		i = j
	}
	return out
}

func (r *Report) comparisonTable() *table {
	t := &table{name: "comparisons", title: "Work per dollar against " + r.Baseline,
		cols: []string{"instance", "baseline", "kernel", "ratio per $", "p", "note"}}
	for _, c := range r.Comparisons {
		if len(c.Kernels) == 0 {
			t.add(text(c.Instance), text(c.Baseline), text(""), ratioCell(nil), pValue(nil), text(c.Note()))
			continue
		}
		for _, k := range c.Kernels {
			t.add(text(c.Instance), text(c.Baseline), text(k.Kernel), ratioCell(&k.Ratio), pValue(&k.Ratio), text(""))
		}
		if c.Geomean != nil {
			t.add(text(c.Instance), text(c.Baseline), text("geomean"), ratioCell(c.Geomean), pValue(nil),
				text("geometric mean over the kernels except the peak probes"))
		}
	}
	return t
}

// launchTable holds what the markdown's method section says of launches
// agreeing: each later launch against the first, per kernel.
func (r *Report) launchTable() *table {
	t := &table{name: "launches", title: "Launches against the first",
		cols: []string{"instance", "launch", "file", "first file", "kernel", "ratio to launch 1"}}
	for _, lc := range r.Launches {
		row := func(kernel string, ratio *Ratio) {
			t.add(text(lc.Instance), count(lc.Launch), text(lc.File), text(lc.First), text(kernel), ratioCell(ratio))
		}
		for _, k := range lc.Kernels {
			row(k.Kernel, &k.Ratio)
		}
		if lc.Geomean != nil {
			row("geomean", lc.Geomean)
		}
	}
	return t
}

func (r *Report) claimTable() *table {
	t := &table{name: "claims", title: "Claims",
		cols: []string{"claim", "stated by", "wording", "metric", "bound", "claimed", "target", "subject", "baseline",
			"per kernel", "measured", "verdict", "detail", "price list implies", "source", "date"}}
	for _, c := range r.Claims {
		base := []cell{text(c.Claim.ID), text(c.Claim.StatedBy), text(c.Claim.Wording), text(c.Claim.Metric), text(c.Claim.Bound),
			claimedCell(c.Claim), cell{num: true, v: c.Target, ratio: true}}
		tail := func(p *PairResult) []cell {
			note := c.PriceNote()
			if p != nil {
				note = p.PriceNote()
			}
			return []cell{text(note), text(c.Claim.Source), text(c.Claim.Date)}
		}
		if len(c.Pairs) == 0 {
			row := append(base, text(strings.Join(c.Claim.Subject, " ")), text(strings.Join(c.Claim.Baseline, " ")),
				text(""), ratioCell(nil), text(c.Verdict), text(c.Detail()))
			t.add(append(row, tail(nil)...)...)
			continue
		}
		for _, p := range c.Pairs {
			var measured *Ratio
			if p.Judged != nil {
				measured = &p.Judged.Ratio
			}
			verdict, detail := p.Verdict, p.Detail()
			if p == c.Judged || (c.Judged == nil && p == c.Pairs[0]) {
				verdict, detail = c.Verdict, c.Detail()
			}
			row := append(cloneCells(base), text(p.Subject), text(p.Baseline), text(perKernel(p)), ratioCell(measured), text(verdict), text(detail))
			t.add(append(row, tail(p)...)...)
		}
	}
	return t
}

// cloneCells copies a row prefix so rows do not share backing arrays.
func cloneCells(c []cell) []cell { return append([]cell(nil), c...) }

func perKernel(p *PairResult) string {
	var parts []string
	for _, k := range p.Kernels {
		parts = append(parts, fmt.Sprintf("%s %.2f", k.Kernel, k.Value))
	}
	return strings.Join(parts, ", ")
}

func (r *Report) warningTable() *table {
	t := &table{name: "warnings", title: "Warnings", cols: []string{"instance", "kind", "warning"}}
	for _, w := range r.Warnings {
		t.add(text(w.Instance), text(w.Kind), text(w.Text))
	}
	return t
}

// trimFloat formats v with as many digits as it needs and no more.
func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// markdown formats a cell for a markdown table.
func (c cell) markdown() string {
	if !c.num {
		return escapeMarkdown(c.text)
	}
	if c.md != "" {
		return c.md
	}
	if math.IsNaN(c.v) {
		return "—"
	}
	f := formatNumber
	switch {
	case c.ratio:
		f = func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	case c.integer:
		f = func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	case c.price:
		// Escaped like text cells: see escapeMarkdown.
		f = func(v float64) string { return escapeMarkdown(dollars(v)) }
	case c.p && c.v < 0.001:
		return "<0.001"
	case c.p:
		f = func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	}
	s := f(c.v)
	switch {
	case c.pct:
		s += "%"
	case c.ratio:
		s += "x"
	}
	if c.interval {
		if math.IsNaN(c.lo) || math.IsNaN(c.hi) {
			s += " (no interval)"
		} else {
			s += " [" + f(c.lo) + ", " + f(c.hi) + "]"
		}
	}
	return s
}

// escapeMarkdown keeps table cells in their cell: pipes are escaped,
// newlines flattened, and dollar signs escaped so that GitHub does not
// read "$0.15/h ... $" as mathematics.
func escapeMarkdown(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "$", `\$`)
}

// csvValues expands a cell into its CSV fields: intervals give three.
func (c cell) csvValues() []string {
	if !c.num {
		return []string{c.text}
	}
	f := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', machineDigits, 64)
	}
	if c.interval {
		return []string{f(c.v), f(c.lo), f(c.hi)}
	}
	return []string{f(c.v)}
}

// machineDigits is the precision of numbers in CSV and JSON: far more than
// any measurement has, and few enough that the last-bit differences
// between architectures (arm64 fuses multiply-adds, amd64 does not) do
// not show.
const machineDigits = 12

func roundMachine(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', machineDigits, 64), 64)
	return r
}

// jsonValues is csvValues with numbers as numbers and NaN as null.
func (c cell) jsonValues() []any {
	if !c.num {
		return []any{c.text}
	}
	f := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return roundMachine(v)
	}
	if c.interval {
		return []any{f(c.v), f(c.lo), f(c.hi)}
	}
	return []any{f(c.v)}
}

// machineCols returns the column names with interval columns expanded.
func (t *table) machineCols() []string {
	var out []string
	for i, c := range t.cols {
		out = append(out, machineName(c))
		if len(t.rows) > 0 && t.rows[0][i].interval {
			out = append(out, machineName(c)+"_lo", machineName(c)+"_hi")
		}
	}
	return out
}

func machineName(c string) string {
	c = strings.ReplaceAll(c, "%", "pct")
	c = strings.ReplaceAll(c, "$/", "usd_per_")
	c = strings.ReplaceAll(c, "$", "usd")
	c = strings.ReplaceAll(c, "/", "_")
	c = strings.ReplaceAll(c, "-", "_")
	return strings.Join(strings.Fields(c), "_")
}
