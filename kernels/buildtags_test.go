package kernels

import (
	"go/build/constraint"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// asmTag is the constraint of every assembly file and of every Go file
// that declares or dispatches to assembly. It requires gc because gccgo
// cannot assemble Go assembly: there the fallback must build instead.
const asmTag = "gc && !purego && !noasm"

// TestBuildTags checks that the architecture files all carry asmTag and
// that dispatch_generic.go's constraint is its exact complement: for every
// compiler, tag and architecture exactly one of the two builds, never both
// (duplicate simdTable) and never neither (undefined simdTable).
func TestBuildTags(t *testing.T) {
	files, err := filepath.Glob("*_*")
	if err != nil {
		t.Fatal(err)
	}
	var generic constraint.Expr
	for _, name := range files {
		if !strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, ".s") {
			continue
		}
		arch := strings.Contains(name, "_amd64") || strings.Contains(name, "_arm64")
		if !arch && name != "dispatch_generic.go" {
			continue
		}
		expr := buildConstraint(t, name)
		if arch {
			if expr == nil || expr.String() != asmTag {
				t.Errorf("%s: constraint %v, want %s", name, expr, asmTag)
			}
			continue
		}
		generic = expr
	}
	if generic == nil {
		t.Fatal("dispatch_generic.go has no build constraint")
	}
	asm, err := constraint.Parse("//go:build " + asmTag)
	if err != nil {
		t.Fatal(err)
	}
	for _, goarch := range []string{"amd64", "arm64", "386", "riscv64"} {
		for _, gc := range []bool{true, false} {
			for _, purego := range []bool{true, false} {
				for _, noasm := range []bool{true, false} {
					tags := map[string]bool{goarch: true, "gc": gc, "gccgo": !gc, "purego": purego, "noasm": noasm}
					has := func(tag string) bool { return tags[tag] }
					withAsm := (goarch == "amd64" || goarch == "arm64") && asm.Eval(has)
					if withGeneric := generic.Eval(has); withAsm == withGeneric {
						t.Errorf("%v: assembly tiers %v, generic fallback %v", tags, withAsm, withGeneric)
					}
				}
			}
		}
	}
}

// buildConstraint returns the //go:build line of a file, nil if it has
// none.
func buildConstraint(t *testing.T, name string) constraint.Expr {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if constraint.IsGoBuild(line) {
			expr, err := constraint.Parse(line)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return expr
		}
		if strings.HasPrefix(line, "package ") || strings.HasPrefix(line, "#include") || strings.HasPrefix(line, "TEXT") {
			break
		}
	}
	return nil
}
