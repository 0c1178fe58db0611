package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocsFollowTheTables: docs/design.md carries the kernel and metric
// tables exactly as the tables generate them, and README.md's kernel table
// names every kernel, so that a kernel or metric added in code and not in
// the docs fails here.
func TestDocsFollowTheTables(t *testing.T) {
	root := filepath.Join("..", "..")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	design := read("docs/design.md")
	for name, table := range map[string]string{"KernelTable": KernelTable(), "MetricTable": MetricTable()} {
		if !strings.Contains(design, table) {
			t.Errorf("docs/design.md lacks schema.%s's table as generated; paste it in:\n%s", name, table)
		}
	}
	readme := read("README.md")
	for _, k := range Kernels() {
		if !strings.Contains(readme, "| `"+k.Name+"/") && !strings.Contains(readme, "`"+k.Name+"/threads=") {
			t.Errorf("README.md's kernel table has no row naming %s", k.Name)
		}
	}
}
