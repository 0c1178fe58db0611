package kernels

import (
	"runtime"
	"testing"

	"github.com/ppbench/ppbench/internal/isa"
	"github.com/ppbench/ppbench/internal/schema"
)

// TestTiersInTheTable: every tier this build can dispatch, of every data
// type and whatever this CPU has, is a row of isa's tier table with the
// same data type, architecture and features, so that the report reads
// its width and peak engine from there.
func TestTiersInTheTable(t *testing.T) {
	check := func(dt, name string, needs isa.Set) {
		t.Helper()
		row, ok := isa.LookupTier(dt, name)
		switch {
		case !ok:
			t.Errorf("%s tier %q is not in isa's tier table", dt, name)
		case row.Arch != "" && row.Arch != runtime.GOARCH:
			t.Errorf("%s tier %q: table says %s, built for %s", dt, name, row.Arch, runtime.GOARCH)
		case needs.Name != "" && (row.Set.Name != needs.Name || len(row.Set.Needs) != len(needs.Needs)):
			t.Errorf("%s tier %q: table's set %+v, dispatch's %+v", dt, name, row.Set, needs)
		}
	}
	check(schema.FP32, portable.name, isa.Set{})
	check(schema.BF16, portableBF16.name, isa.Set{})
	check(schema.Int8, portableInt8.name, isa.Set{})
	for _, s := range simdTable {
		check(schema.FP32, s.needs.Name, s.needs)
	}
	for _, s := range bf16Table {
		check(schema.BF16, s.needs.Name, s.needs)
	}
	for _, s := range int8Table {
		check(schema.Int8, s.needs.Name, s.needs)
	}
}
