package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
)

// Charts are SVG written here by hand rather than through a plotting
// library: a chart that a person puts in a blog post must keep every
// title and label inside its canvas at GitHub's width (about 900 px),
// and the sizes below are chosen for that. Bars are horizontal, so that
// instance names read left to right however many there are, coloured
// by architecture, with whiskers at the 95% interval.

// Chart geometry, in pixels.
const (
	chartWidth  = 900
	barHeight   = 18
	barGap      = 6
	panelGap    = 14
	fontSize    = 13
	titleSize   = 16
	charWidth   = 0.6 * fontSize // a sans-serif glyph's width, generously
	valueMargin = 64             // right of the plot: room for "10.5x"
)

// archColours tells arm64 from amd64 at a glance, in colours that stay
// apart for the common colour-vision deficiencies (orange and blue).
var archColours = map[string]string{"arm64": "#d55e00", "amd64": "#0072b2"}

const otherColour = "#777777"

func archColour(arch string) string {
	if c, ok := archColours[arch]; ok {
		return c
	}
	return otherColour
}

// A chartBar is one instance's bar: its value and interval (NaN ends
// without one).
type chartBar struct {
	label         string
	value, lo, hi float64
	arch          string
	valueText     string
}

type chartPanel struct {
	title string
	bars  []chartBar
}

// A barChart is one or more panels of horizontal bars on one x axis.
type barChart struct {
	title    string
	subtitle string
	axis     string               // the x axis's label
	tick     func(float64) string // formats an x tick
	ref      float64              // a dashed reference line (the baseline's 1); 0 for none
	panels   []chartPanel
	footnote string
}

// WriteCharts writes the report's charts into dir and returns their
// names, relative to dir, in report order: first PREFIX-overview.svg,
// every instance's work per dollar relative to the baseline per kernel,
// when there is anything to compare; then one chart per kernel and size,
// PREFIX-KERNEL-PARAMS.svg, with each priced instance's work per dollar.
// Sizes with no priced instance get no chart.
func (r *Report) WriteCharts(dir, prefix string) ([]string, error) {
	var names []string
	if c, ok := r.overviewChart(); ok {
		name := prefix + overviewSuffix
		if err := writeSVG(filepath.Join(dir, name), c); err != nil {
			return names, err
		}
		names = append(names, name)
	}
	for _, g := range r.kernelGroups() {
		var bars []chartBar
		for _, row := range g {
			if w := row.WorkPerDollar; w != nil {
				label := row.Instance
				if row.Tier != "" {
					label += " (" + row.Tier + ")"
				}
				bars = append(bars, chartBar{label: label, value: w.Center, lo: w.Lo, hi: w.Hi,
					arch: r.Host(row.Instance).Arch, valueText: formatNumber(w.Center)})
			}
		}
		if len(bars) == 0 {
			continue
		}
		row := g[0]
		title := row.Kernel
		if row.Params != "" {
			title += " " + strings.ReplaceAll(row.Params, "/", " ")
		}
		c := &barChart{
			title:    title + ": work per dollar",
			subtitle: fmt.Sprintf("whole instance, %s prices; whiskers: 95%% interval", strings.ReplaceAll(r.PriceType, "_", "-")),
			axis:     row.WorkUnit(),
			tick:     siTick,
			panels:   []chartPanel{{bars: bars}},
		}
		name := chartName(prefix, row)
		if err := writeSVG(filepath.Join(dir, name), c); err != nil {
			return names, err
		}
		names = append(names, name)
	}
	return names, nil
}

const overviewSuffix = "-overview.svg"

// overviewChart is the report in one picture: per kernel (and the
// geometric mean), every priced instance's work per dollar relative to
// the baseline's, the baseline at 1.
func (r *Report) overviewChart() (*barChart, bool) {
	base := r.Host(r.Baseline)
	if base == nil || base.Price == nil || len(r.Ranking.Kernels) == 0 {
		return nil, false
	}
	byHost := map[string]*Comparison{}
	for _, c := range r.Comparisons {
		if len(c.Kernels) > 0 {
			byHost[c.Instance] = c
		}
	}
	var left []string
	for _, h := range r.Hosts {
		if h != base && byHost[h.Instance] == nil {
			why := "no price"
			if h.Price != nil {
				why = "not comparable"
			}
			left = append(left, h.Instance+" ("+why+")")
		}
	}
	c := &barChart{
		title:    "Work per dollar relative to " + r.Baseline,
		subtitle: fmt.Sprintf("whole instance, %s prices; whiskers: 95%% interval; dashed: the baseline", strings.ReplaceAll(r.PriceType, "_", "-")),
		axis:     "work per dollar / " + r.Baseline + "'s",
		tick:     func(v float64) string { return formatSig(v, 3) + "x" },
		ref:      1,
	}
	if len(left) > 0 {
		c.footnote = "Not shown: " + strings.Join(left, ", ")
	}
	cols := append([]string{geomeanColumn}, r.Ranking.Kernels...)
	for _, col := range cols {
		p := chartPanel{title: col}
		if k, ok := schema.LookupKernel(col); ok {
			p.title += " (" + k.Title + ")"
		}
		if col == geomeanColumn {
			p.title = "Geometric mean over " + strings.Join(r.Ranking.Kernels, ", ")
		}
		// Instances in the ranking's order, the same in every panel,
		// so that the chart reads as the ranking does.
		for _, row := range r.Ranking.Rows {
			h := r.Host(row.Instance)
			var ratio *Ratio
			if h == base {
				ratio = &Ratio{Value: 1, Lo: math.NaN(), Hi: math.NaN()}
			} else if cmp := byHost[h.Instance]; cmp != nil {
				if col == geomeanColumn {
					ratio = cmp.Geomean
				} else {
					for i := range cmp.Kernels {
						if cmp.Kernels[i].Kernel == col {
							ratio = &cmp.Kernels[i].Ratio
						}
					}
				}
			}
			if ratio == nil {
				continue
			}
			label := h.Instance
			if h == base {
				label += " (baseline)"
			}
			p.bars = append(p.bars, chartBar{label: label, value: ratio.Value, lo: ratio.Lo, hi: ratio.Hi,
				arch: h.Arch, valueText: fx(ratio.Value)})
		}
		if len(p.bars) > 1 {
			c.panels = append(c.panels, p)
		}
	}
	return c, len(c.panels) > 0
}

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

// siTick formats an axis tick with an SI prefix and as few digits as it
// needs: 1500000 is "1.5M", never "1500000".
func siTick(v float64) string {
	if v == 0 {
		return "0"
	}
	k := 0
	for math.Abs(v) >= 1000 && k < len(siPrefixes) {
		v /= 1000
		k++
	}
	s := formatSig(v, 3)
	if k > 0 {
		s += siPrefixes[k-1]
	}
	return s
}

// niceStep returns a tick step of 1, 2, 2.5 or 5 times a power of ten
// that gives about five ticks up to max.
func niceStep(max float64) float64 {
	raw := max / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// textWidth estimates the width of s in pixels at size px.
func textWidth(s string, px float64) float64 {
	return float64(len([]rune(s))) * px * 0.6
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// svg renders the chart.
func (c *barChart) svg() string {
	// The x range: from 0 to past the largest whisker.
	top := c.ref
	labelW := 0.0
	for _, p := range c.panels {
		for _, b := range p.bars {
			top = max(top, b.value)
			if !math.IsNaN(b.hi) {
				top = max(top, b.hi)
			}
			labelW = max(labelW, textWidth(b.label, fontSize))
		}
	}
	if top <= 0 {
		top = 1
	}
	step := niceStep(top * 1.05)
	xmax := math.Ceil(top*1.05/step) * step
	left := math.Min(math.Max(labelW+16, 100), chartWidth/2)
	right := float64(chartWidth - valueMargin)
	x := func(v float64) float64 { return left + v/xmax*(right-left) }

	var b strings.Builder
	y := 10.0
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	// Header: title, subtitle, legend.
	y += titleSize
	body := &strings.Builder{}
	wr := func(format string, args ...any) { fmt.Fprintf(body, format+"\n", args...) }
	wr(`<text x="12" y="%.0f" font-size="%d" font-weight="bold">%s</text>`, y, titleSize, xmlEscape(c.title))
	y += fontSize + 6
	wr(`<text x="12" y="%.0f" font-size="%d" fill="#444">%s</text>`, y, fontSize-1, xmlEscape(c.subtitle))
	y += 8
	lx := 12.0
	for _, a := range []string{"arm64", "amd64"} {
		wr(`<rect x="%.0f" y="%.0f" width="12" height="12" fill="%s"/>`, lx, y, archColour(a))
		wr(`<text x="%.0f" y="%.0f" font-size="%d">%s</text>`, lx+16, y+11, fontSize, a)
		lx += 16 + textWidth(a, fontSize) + 18
	}
	y += 12 + panelGap
	ticks := []float64{}
	for v := 0.0; v <= xmax+step/2; v += step {
		ticks = append(ticks, v)
	}
	for _, p := range c.panels {
		if p.title != "" {
			y += fontSize
			wr(`<text x="12" y="%.0f" font-size="%d" font-weight="bold">%s</text>`, y, fontSize, xmlEscape(p.title))
			y += 6
		}
		top := y
		h := float64(len(p.bars))*(barHeight+barGap) - barGap
		for _, t := range ticks {
			wr(`<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#e3e3e3"/>`, x(t), top, x(t), top+h)
		}
		for _, bar := range p.bars {
			cy := y + barHeight/2
			// Baselines are placed by hand: renderers differ on
			// dominant-baseline.
			ty := cy + 0.35*fontSize
			wr(`<text x="%.0f" y="%.1f" font-size="%d" text-anchor="end">%s</text>`, left-8, ty, fontSize, xmlEscape(bar.label))
			wr(`<rect x="%.1f" y="%.0f" width="%.1f" height="%d" fill="%s"/>`, x(0), y, x(bar.value)-x(0), barHeight, archColour(bar.arch))
			end := bar.value
			if !math.IsNaN(bar.lo) && !math.IsNaN(bar.hi) {
				wr(`<path d="M%.1f %.1fH%.1fM%.1f %.0fV%.0fM%.1f %.0fV%.0f" stroke="#222" stroke-width="1.5" fill="none"/>`,
					x(bar.lo), cy, x(bar.hi), x(bar.lo), y+3, y+barHeight-3, x(bar.hi), y+3, y+barHeight-3)
				end = max(end, bar.hi)
			}
			// A white halo keeps the figure legible where it crosses
			// the reference line.
			wr(`<text x="%.1f" y="%.1f" font-size="%d" stroke="white" stroke-width="3" paint-order="stroke">%s</text>`, x(end)+5, ty, fontSize, xmlEscape(bar.valueText))
			y += barHeight + barGap
		}
		if c.ref > 0 {
			wr(`<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#222" stroke-dasharray="4 3"/>`, x(c.ref), top-3, x(c.ref), top+h+3)
		}
		y += panelGap - barGap
	}
	// The x axis, once, under the last panel.
	wr(`<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#222"/>`, x(0), y, x(xmax), y)
	for _, t := range ticks {
		wr(`<line x1="%.1f" y1="%.0f" x2="%.1f" y2="%.0f" stroke="#222"/>`, x(t), y, x(t), y+4)
		wr(`<text x="%.1f" y="%.0f" font-size="%d" text-anchor="middle">%s</text>`, x(t), y+4+fontSize, fontSize, c.tick(t))
	}
	y += 4 + fontSize + 8 + fontSize
	wr(`<text x="%.1f" y="%.0f" font-size="%d" text-anchor="middle">%s</text>`, (x(0)+x(xmax))/2, y, fontSize, xmlEscape(c.axis))
	if c.footnote != "" {
		y += fontSize + 10
		wr(`<text x="12" y="%.0f" font-size="%d" fill="#444">%s</text>`, y, fontSize-1, xmlEscape(c.footnote))
	}
	y += 12
	line(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%.0f" viewBox="0 0 %d %.0f" font-family="Helvetica, Arial, sans-serif">`, chartWidth, y, chartWidth, y)
	line(`<rect width="100%%" height="100%%" fill="white"/>`)
	b.WriteString(body.String())
	line(`</svg>`)
	return b.String()
}

func writeSVG(path string, c *barChart) error {
	if err := os.WriteFile(path, []byte(c.svg()), 0o644); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}
