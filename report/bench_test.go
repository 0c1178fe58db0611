package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// BenchmarkReport200Files times the whole report, reading included, on 200
// result files (20 instance types × 10 launches) of 50 benchmarks × 10
// samples each. The requirement is under 2 seconds per report.
func BenchmarkReport200Files(b *testing.B) {
	dir := b.TempDir()
	cat, err := seeds.Default()
	if err != nil {
		b.Fatal(err)
	}
	var types []string
	for _, p := range cat.Prices {
		if p.PriceType == seeds.OnDemand && p.VCPUs <= 16 && len(types) < 20 {
			types = append(types, p.Instance)
		}
	}
	var inputs []results.Input
	for i, inst := range types {
		for launch := range 10 {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.txt", inst, launch))
			if err := os.WriteFile(path, []byte(syntheticFile(inst, i, launch)), 0o644); err != nil {
				b.Fatal(err)
			}
			inputs = append(inputs, results.Input{Path: path})
		}
	}
	b.ResetTimer()
	for b.Loop() {
		set, err := results.Read(inputs)
		if err != nil {
			b.Fatal(err)
		}
		r, err := Build(set, Options{Catalog: cat})
		if err != nil {
			b.Fatal(err)
		}
		if err := r.WriteMarkdown(discard{}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// syntheticFile writes 50 benchmarks (SGEMM at 6 sizes, attention at 4
// sizes with and without causal masking, triad at 2 sizes, FMAPeak, each
// at threads=1 and threads=all, plus impl=portable variants) × 10 samples.
func syntheticFile(instance string, i, launch int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "# synthetic benchmark input\ninstance: %s\nkernel-impl: neon\nvcpus: 4\nphysical-cores: 4\ngo-version: go1.26.1\n", instance)
	var names []string
	for _, n := range []int{128, 256, 512, 768, 1024, 2048} {
		names = append(names, fmt.Sprintf("Sgemm/n=%d", n))
	}
	for _, seq := range []int{256, 512, 1024, 2048} {
		names = append(names, fmt.Sprintf("Attention/seq=%d/dim=64/heads=8", seq), fmt.Sprintf("Attention/seq=%d/dim=64/heads=8/X", seq))
	}
	names = append(names, "Triad/n=1048576", "Triad/n=33554432", "FMAPeak")
	count := 0
	for _, threads := range []string{"1", "all"} {
		for _, impl := range []string{"", "/impl=portable"} {
			for _, n := range names {
				if count == 50 {
					break
				}
				count++
				unit := "GFLOP/s"
				if strings.HasPrefix(n, "Triad") {
					unit = "GB/s"
				}
				name := strings.Replace(n, "/X", "", 1) + "/threads=" + threads + impl
				if strings.HasSuffix(n, "/X") {
					name += "/causal=true"
				}
				for k := range 10 {
					v := 10 + float64(i) + 0.1*float64((k*7+launch*3)%10) + float64(len(n)%5)
					fmt.Fprintf(&s, "Benchmark%s-4\t10\t1000 ns/op\t%.3f %s\n", name, v, unit)
				}
			}
		}
	}
	return s.String()
}
