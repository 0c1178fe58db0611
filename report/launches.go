package report

import (
	"fmt"
	"math"
	"slices"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
)

// The launch stage: an instance type measured in two or more launches is
// its own A/A test. Each later launch is compared with the first, kernel
// by kernel as the comparisons compare instances, so that the reader sees
// how far launches of one instance type differ on the reader's own
// hosts, beside the noise floor the verdicts assume when a side has one
// launch.

// A LaunchComparison is one launch of an instance type against its first.
type LaunchComparison struct {
	Instance string
	// Launch is the launch's place among the instance's files, from 1;
	// it is compared with launch 1.
	Launch      int
	File, First string // the launch's results file and the first's
	// Kernels are whole-instance, rate-mode ratios of the launch's
	// throughput to the first's, each the geometric mean over the
	// kernel's sizes, with intervals from each launch's samples alone.
	Kernels []KernelRatio
	// Geomean is over Kernels other than the peak probes, as for comparisons;
	// nil when none.
	Geomean *Ratio
}

// compareLaunches compares each later launch of every host with its
// first.
func compareLaunches(hosts []*Host, st *statistics) []*LaunchComparison {
	type pair struct {
		lc          *LaunchComparison
		late, first *measured
		ms          []match
	}
	var pairs []pair
	var keys []repKey
	for _, h := range hosts {
		if len(h.m.launches) < 2 {
			continue
		}
		first := launchHost(h, 0)
		for i := 1; i < len(h.m.launches); i++ {
			late := launchHost(h, i)
			ms, _ := matchBenches(late, first, suiteKernels, schema.ThreadsAll)
			for _, m := range ms {
				keys = append(keys, repKey{late, m.a}, repKey{first, m.b})
			}
			lc := &LaunchComparison{Instance: h.Instance, Launch: i + 1, File: h.files[i], First: h.files[0]}
			pairs = append(pairs, pair{lc, late, first, ms})
		}
	}
	st.prefetch(keys)
	out := make([]*LaunchComparison, len(pairs))
	for i, p := range pairs {
		ks, reps := st.kernelRatios(p.late, p.first, p.ms, 1, nil)
		p.lc.Kernels = ks
		p.lc.Geomean = st.nonProbeGeomean(ks, reps)
		out[i] = p.lc
	}
	return out
}

// launchHost returns launch i of h as results of their own, named
// "INSTANCE launch N" so that its samples are resampled with seeds of
// their own.
func launchHost(h *Host, i int) *measured {
	l := h.m.launches[i]
	in := &results.Instance{Name: fmt.Sprintf("%s launch %d", h.Instance, i+1), Launches: []*results.Launch{l}, Samples: map[results.Bench][]float64{}}
	for b, s := range l.Samples {
		in.Samples[b] = slices.Sorted(slices.Values(s))
	}
	return measuredOf(in)
}

// launchesBehind returns the fewest launches behind each side of ks, the
// ratios of one comparison.
func launchesBehind(ks []KernelRatio) (l1, l2 int) {
	l1, l2 = math.MaxInt, math.MaxInt
	for _, k := range ks {
		l1, l2 = min(l1, k.L1), min(l2, k.L2)
	}
	return l1, l2
}
