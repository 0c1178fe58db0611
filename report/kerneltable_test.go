package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/internal/isa"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
)

// TestEveryKernelReaches walks the kernel table: every kernel of
// schema.Kernels, written as the suite names it on two hosts, reaches the
// report's kernel tables, and every kernel that is not a probe reaches
// the ranking and a panel of the overview chart titled with its title. A
// kernel added to the table and forgotten by a stage fails here.
func TestEveryKernelReaches(t *testing.T) {
	dir := t.TempDir()
	var in []results.Input
	for i, inst := range []string{"c7g.xlarge", "c6g.xlarge"} {
		var b strings.Builder
		fmt.Fprintf(&b, "goos: linux\ngoarch: arm64\npkg: %s\ninstance: %s\nvcpus: 4\nphysical-cores: 4\n", schema.SuitePkg, inst)
		for _, d := range schema.DataTypes() {
			// The widest arm64 tier of the type, from the tier table.
			tier := ""
			for _, t := range isa.Tiers() {
				if t.DataType == d.Name && t.Arch == "arm64" {
					tier = t.Name
				}
			}
			if tier == "" {
				t.Fatalf("data type %s: no arm64 tier in the tier table", d.Name)
			}
			fmt.Fprintf(&b, "%s: %s\n", d.ConfigKey, tier)
		}
		for _, k := range schema.Kernels() {
			bk, ok := bench.Lookup(k.Name)
			if !ok {
				t.Fatalf("%s: not in bench.Table", k.Name)
			}
			for _, threads := range []string{schema.ThreadsOne, schema.ThreadsAll} {
				name := schema.FormatName(k.Name, append(slices.Clone(bk.Sizes[0].Params), schema.Param{Key: schema.KeyThreads, Value: threads})...)
				for s := range 6 {
					fmt.Fprintf(&b, "Benchmark%s-4\t10\t1000 ns/op\t%d %s\n", name, 100*(i+1)+s, k.Unit)
				}
			}
		}
		path := filepath.Join(dir, inst+".txt")
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		in = append(in, results.Input{Path: path})
	}
	r := buildReport(t, in, "testdata/lowp/claims.csv")
	var md bytes.Buffer
	if err := r.WriteMarkdown(&md, nil); err != nil {
		t.Fatal(err)
	}
	chart, ok := r.overviewChart()
	if !ok {
		t.Fatal("no overview chart")
	}
	for _, k := range schema.Kernels() {
		if !strings.Contains(md.String(), "\n### "+k.Name+" ") {
			t.Errorf("%s: no kernel table in the report", k.Name)
		}
		if k.Probe {
			continue
		}
		if !slices.Contains(r.Ranking.Kernels, k.Name) {
			t.Errorf("%s: not in the ranking %v", k.Name, r.Ranking.Kernels)
		}
		if !slices.ContainsFunc(chart.panels, func(p chartPanel) bool { return p.title == k.Name+" ("+k.Title+")" }) {
			t.Errorf("%s: no overview chart panel titled %q", k.Name, k.Name+" ("+k.Title+")")
		}
	}
}
