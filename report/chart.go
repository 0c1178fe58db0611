package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// WriteCharts writes one SVG bar chart per kernel and size into dir: the
// whole-instance work per dollar of each priced instance, with whiskers at
// the 95% interval. Files are named PREFIX-KERNEL-PARAMS.svg; the names
// (relative to dir) are returned in report order. Sizes with no priced
// instance get no chart.
func (r *Report) WriteCharts(dir, prefix string) ([]string, error) {
	var names []string
	for _, g := range r.kernelGroups() {
		var bars []*Row
		for _, row := range g {
			if row.WorkPerDollar != nil {
				bars = append(bars, row)
			}
		}
		if len(bars) == 0 {
			continue
		}
		name := chartName(prefix, bars[0])
		if err := writeChart(filepath.Join(dir, name), bars); err != nil {
			return names, err
		}
		names = append(names, name)
	}
	return names, nil
}

const overviewSuffix = "-overview.svg"

func chartName(prefix string, row *Row) string {
	var b strings.Builder
	b.WriteString(prefix + "-" + strings.ToLower(row.Kernel))
	if row.Params != "" {
		b.WriteString("-")
		for _, c := range row.Params {
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
				b.WriteRune(c)
			case c == '/':
				b.WriteRune('-')
			}
		}
	}
	return b.String() + ".svg"
}

// errorBars gives plotter.YErrorBars the bars' centres and intervals.
type errorBars struct{ rows []*Row }

func (e errorBars) Len() int { return len(e.rows) }
func (e errorBars) XY(i int) (float64, float64) {
	return float64(i), e.rows[i].WorkPerDollar.Center
}
func (e errorBars) YError(i int) (float64, float64) {
	w := e.rows[i].WorkPerDollar
	if !w.HasInterval() {
		return 0, 0
	}
	return w.Center - w.Lo, w.Hi - w.Center
}

func writeChart(path string, rows []*Row) error {
	p := plot.New()
	first := rows[0]
	p.Title.Text = fmt.Sprintf("%s %s: whole-instance work per dollar", first.Kernel, strings.ReplaceAll(first.Params, "/", " "))
	p.Y.Label.Text = first.WorkUnit()
	values := make(plotter.Values, len(rows))
	labels := make([]string, len(rows))
	top := 0.0
	for i, row := range rows {
		values[i] = row.WorkPerDollar.Center
		labels[i] = row.Instance
		if row.Tier != "" {
			labels[i] += " (" + row.Tier + ")"
		}
		top = math.Max(top, row.WorkPerDollar.Center)
		if row.WorkPerDollar.HasInterval() {
			top = math.Max(top, row.WorkPerDollar.Hi)
		}
	}
	bars, err := plotter.NewBarChart(values, vg.Points(24))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p.Add(bars)
	eb, err := plotter.NewYErrorBars(errorBars{rows})
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	p.Add(eb)
	p.NominalX(labels...)
	p.Y.Min, p.Y.Max = 0, top*1.1
	width := vg.Length(max(4, 1.2*float64(len(rows)))) * vg.Inch
	wt, err := p.WriterTo(width, 3.5*vg.Inch, "svg")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := wt.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
