package report

import (
	"math"
	"slices"

	"github.com/ppbench/ppbench/internal/schema"
)

// The ranking stage: what a reader opening the report came for, the
// instances ordered by work per dollar. Each kernel's column is relative
// to the instance with the most work per dollar on that kernel, and the
// geometric mean's to the one with the highest geometric mean, so that
// every column reads down from 1.00x. Each figure is a ratio of work per
// dollar between two measured instances, with the same bootstrap
// intervals as the comparisons, so the ranking says how far apart two
// places are as well as their order.

// A Ranking orders the priced instances by work per dollar.
type Ranking struct {
	// Kernels are the columns: every kernel compared with the baseline
	// other than the peak probes (a ceiling, not work), in suite order.
	Kernels []string
	// Best names, per kernel and for "geomean", the instance each
	// column is relative to.
	Best map[string]string
	Rows []*RankRow
}

// A RankRow is one instance's place in the ranking.
type RankRow struct {
	Instance string
	Arch     string
	// Kernels holds, per Ranking.Kernels, the instance's work per dollar
	// over the column's best; nil where it did not run the kernel at a
	// tier comparable with the best's.
	Kernels []*Ratio
	// Geomean is the geometric mean over the kernels, relative to the
	// instance with the highest; nil when the instance has none.
	Geomean *Ratio
	Note    string // why an instance has no place: no price, no comparable kernels
}

// geomeanColumn is the key of the geometric mean in Ranking.Best.
const geomeanColumn = "geomean"

// rankHosts ranks the hosts by the work per dollar their comparisons
// with the baseline found, then measures each against each column's
// best.
func rankHosts(hosts []*Host, base *Host, comps []*Comparison, st *statistics) *Ranking {
	rk := &Ranking{Best: map[string]string{}}
	// Each host's ratios against the baseline, the baseline's own 1.
	vsBase := map[*Host]map[string]float64{}
	for _, c := range comps {
		h := hostNamed(hosts, c.Instance)
		if len(c.Kernels) == 0 || c.Geomean == nil {
			continue
		}
		m := map[string]float64{geomeanColumn: c.Geomean.Value}
		for _, k := range c.Kernels {
			m[k.Kernel] = k.Value
		}
		vsBase[h] = m
	}
	if base.Price != nil && len(vsBase) > 0 {
		m := map[string]float64{geomeanColumn: 1}
		for _, ks := range vsBase {
			for k := range ks {
				m[k] = 1
			}
		}
		vsBase[base] = m
	}
	for _, k := range suiteKernels {
		if schema.IsProbe(k) {
			continue
		}
		for _, m := range vsBase {
			if _, ok := m[k]; ok {
				rk.Kernels = append(rk.Kernels, k)
				break
			}
		}
	}
	// The best of each column, ties to the first host in input order.
	// Figures are compared at machineDigits, so that the last-bit
	// differences between architectures (arm64 fuses multiply-adds)
	// cannot reorder instances that tie.
	for _, col := range append(slices.Clone(rk.Kernels), geomeanColumn) {
		var best *Host
		for _, h := range hosts {
			if v, ok := vsBase[h][col]; ok && (best == nil || roundMachine(v) > roundMachine(vsBase[best][col])) {
				best = h
			}
		}
		if best != nil {
			rk.Best[col] = best.Instance
		}
	}
	for _, h := range hosts {
		row := &RankRow{Instance: h.Instance, Arch: h.Arch, Kernels: make([]*Ratio, len(rk.Kernels))}
		rk.Rows = append(rk.Rows, row)
		switch {
		case h.Price == nil:
			row.Note = "no price"
			continue
		case vsBase[h] == nil:
			row.Note = "no whole-instance kernel comparable with the others (portable against SIMD, or none in common)"
			continue
		}
		for i, k := range rk.Kernels {
			if _, ok := vsBase[h][k]; ok {
				row.Kernels[i] = relativeTo(h, hostNamed(hosts, rk.Best[k]), k, st)
			}
		}
		row.Geomean = relativeTo(h, hostNamed(hosts, rk.Best[geomeanColumn]), geomeanColumn, st)
	}
	slices.SortStableFunc(rk.Rows, func(a, b *RankRow) int {
		switch {
		case a.Geomean == nil && b.Geomean == nil:
			return 0
		case a.Geomean == nil:
			return 1
		case b.Geomean == nil:
			return -1
		}
		return -cmpFloat(roundMachine(a.Geomean.Value), roundMachine(b.Geomean.Value))
	})
	return rk
}

// relativeTo returns h's work per dollar over best's on kernel col, or
// the geometric mean over the non-probe kernels for geomeanColumn.
func relativeTo(h, best *Host, col string, st *statistics) *Ratio {
	if h == best {
		return &Ratio{Value: 1, Lo: 1, Hi: 1, P: math.NaN(), L1: h.Launches, L2: h.Launches}
	}
	ms, _ := matchBenches(h.m, best.m, suiteKernels, schema.ThreadsAll)
	var keep []match
	for _, m := range ms {
		if m.kernel == col || col == geomeanColumn && !schema.IsProbe(m.kernel) {
			keep = append(keep, m)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	ks, reps := st.kernelRatios(h.m, best.m, keep, best.Price.PricePerHour/h.Price.PricePerHour, nil)
	rs := make([]Ratio, len(ks))
	for i, k := range ks {
		rs[i] = k.Ratio
	}
	g, _ := st.geomean(rs, reps)
	return &g
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
