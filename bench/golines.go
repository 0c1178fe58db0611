package bench

import (
	"runtime"
	"strings"

	"github.com/klauspost/cpuid/v2"
)

// PkgPath is the package `go test` names in its pkg line; ppbench run
// writes the same, so both kinds of file group together.
const PkgPath = "github.com/ppbench/ppbench/bench"

// GoLines returns the goos, goarch, pkg and cpu lines `go test -bench`
// prints before the results. Like `go test`, it leaves cpu out where the
// processor gives no brand string (arm64 Linux).
func GoLines() string {
	s := "goos: " + runtime.GOOS + "\ngoarch: " + runtime.GOARCH + "\npkg: " + PkgPath + "\n"
	if brand := strings.TrimSpace(cpuid.CPU.BrandName); brand != "" {
		s += "cpu: " + brand + "\n"
	}
	return s
}
