package report

import (
	"math"
	"slices"

	"github.com/ppbench/ppbench/internal/schema"
)

// The ranking stage: what a reader opening the report came for, the
// instances ordered by work per dollar. Every figure is the comparison
// stage's ratio against the baseline, the reference the overview chart
// beside it uses too, so the first screen has one scale; the ranking
// reorders the comparisons and matches nothing again. An instance is
// marked best in a column only when its interval clears every other's;
// otherwise the instances whose intervals reach the leader's are tied.

// A Ranking orders the priced instances by work per dollar.
type Ranking struct {
	Baseline string
	// Kernels are the columns: every kernel compared with the baseline
	// other than the peak probes (a ceiling, not work), in suite order.
	Kernels []string
	// Best names, per kernel and for "geomean", the instance whose work
	// per dollar is clearly the highest; absent where the leaders' 95%
	// intervals overlap (see Tied).
	Best map[string]string
	// Tied names, per column, the instances whose intervals reach the
	// leader's, the leader among them, when no one is clearly best.
	Tied map[string][]string
	Rows []*RankRow
}

// A RankRow is one instance's place in the ranking.
type RankRow struct {
	Instance string
	Arch     string
	// Kernels holds, per Ranking.Kernels, the instance's work per dollar
	// over the baseline's; nil where it did not run the kernel at a tier
	// comparable with the baseline's. The baseline's own is 1.
	Kernels []*Ratio
	// Geomean is the geometric mean over the kernels, over the
	// baseline's; nil when the instance has none.
	Geomean *Ratio
	// Missing says why an instance has no place: Unpriced,
	// BaselineAlone or NoComparableKernel.
	Missing Reason
}

// geomeanColumn is the key of the geometric mean in Ranking.Best.
const geomeanColumn = "geomean"

// rankHosts ranks the hosts by the work per dollar their comparisons
// with the baseline found.
func rankHosts(hosts []*Host, base *Host, comps []*Comparison) *Ranking {
	rk := &Ranking{Baseline: base.Instance, Best: map[string]string{}, Tied: map[string][]string{}}
	vsBase := map[string]*Comparison{}
	for _, c := range comps {
		if len(c.Kernels) > 0 && c.Geomean != nil {
			vsBase[c.Instance] = c
		}
	}
	for _, k := range suiteKernels {
		if schema.IsProbe(k) {
			continue
		}
		for _, c := range vsBase {
			if slices.ContainsFunc(c.Kernels, func(kr KernelRatio) bool { return kr.Kernel == k }) {
				rk.Kernels = append(rk.Kernels, k)
				break
			}
		}
	}
	one := func() *Ratio { return &Ratio{Value: 1, Lo: math.NaN(), Hi: math.NaN(), P: math.NaN()} }
	for _, h := range hosts {
		row := &RankRow{Instance: h.Instance, Arch: h.Arch, Kernels: make([]*Ratio, len(rk.Kernels))}
		rk.Rows = append(rk.Rows, row)
		c := vsBase[h.Instance]
		switch {
		case h.Price == nil:
			row.Missing = Unpriced{}
			continue
		case h == base && len(vsBase) > 0:
			row.Geomean = one()
			for i := range rk.Kernels {
				row.Kernels[i] = one()
			}
			continue
		case h == base:
			row.Missing = BaselineAlone{}
			continue
		case c == nil:
			row.Missing = NoComparableKernel{}
			continue
		}
		for i, k := range rk.Kernels {
			for _, kr := range c.Kernels {
				if kr.Kernel == k {
					row.Kernels[i] = &kr.Ratio
				}
			}
		}
		row.Geomean = c.Geomean
	}
	for i, col := range append(slices.Clone(rk.Kernels), geomeanColumn) {
		at := func(row *RankRow) *Ratio {
			if col == geomeanColumn {
				return row.Geomean
			}
			return row.Kernels[i]
		}
		rk.best(col, at)
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

// best sets column col's best, or its tie: the leader (the highest ratio,
// ties to the first in input order, compared at machineDigits so that
// last-bit differences between architectures cannot reorder instances
// that tie) is best only when its low end is above every other's high
// end. The baseline's own 1 has no interval: it counts as exactly 1.
func (rk *Ranking) best(col string, at func(*RankRow) *Ratio) {
	var lead *RankRow
	for _, row := range rk.Rows {
		if r := at(row); r != nil && (lead == nil || roundMachine(r.Value) > roundMachine(at(lead).Value)) {
			lead = row
		}
	}
	if lead == nil {
		return
	}
	lo := func(r *Ratio) float64 { return ifNaN(r.Lo, r.Value) }
	hi := func(r *Ratio) float64 { return ifNaN(r.Hi, r.Value) }
	var tied []string
	for _, row := range rk.Rows {
		if r := at(row); r != nil && row != lead && hi(r) >= lo(at(lead)) {
			tied = append(tied, row.Instance)
		}
	}
	if len(tied) == 0 {
		rk.Best[col] = lead.Instance
		return
	}
	rk.Tied[col] = append([]string{lead.Instance}, tied...)
}

func ifNaN(x, or float64) float64 {
	if math.IsNaN(x) {
		return or
	}
	return x
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
