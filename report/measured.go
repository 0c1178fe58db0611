package report

import (
	"strconv"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
)

// A measured is what the statistics read of an instance: its name, which
// seeds its resampling, its launches in file order and their samples. The
// resolve stage makes one per Host (Host.m), the resolved view of the
// same instance; the launch stage makes one per launch, to compare an
// instance type's launches with each other, which are not hosts.
type measured struct {
	name     string
	launches []*results.Launch
	pooled   map[results.Bench][]float64 // every launch's samples, ascending
	benches  []results.Bench             // in results.CompareBench order
	facts    map[results.Bench]map[string]float64
}

func measuredOf(in *results.Instance) *measured {
	return &measured{name: in.Name, launches: in.Launches, pooled: in.Samples, benches: in.Benches(), facts: in.Facts}
}

// samples returns the pooled samples of b, sorted.
func (m *measured) samples(b results.Bench) []float64 { return m.pooled[b] }

// launchSamples returns the samples of b of each launch that ran it, in
// the order the files were given.
func (m *measured) launchSamples(b results.Bench) [][]float64 {
	var out [][]float64
	for _, s := range m.launchSeries(b) {
		if len(s) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// launchSeries returns the samples of b of every launch, in file order,
// empty for a launch that did not run it: the launches keep their places,
// so that the bootstrap draws launch i for every benchmark alike.
func (m *measured) launchSeries(b results.Bench) [][]float64 {
	out := make([][]float64, len(m.launches))
	for i, l := range m.launches {
		out[i] = l.Samples[b]
	}
	return out
}

// fewestProcs returns the smallest GOMAXPROCS any launch ran with, 0 when
// none says.
func (m *measured) fewestProcs() int {
	fewest := 0
	for _, l := range m.launches {
		if p, err := strconv.Atoi(l.Config[schema.ConfigGOMAXPROCS]); err == nil && p > 0 && (fewest == 0 || p < fewest) {
			fewest = p
		}
	}
	return fewest
}
