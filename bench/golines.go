package bench

import (
	"runtime"
	"strings"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/schema"
)

// GoLines returns the goos, goarch, pkg and cpu lines `go test -bench`
// prints before the results, with schema.SuitePkg as the package, so that
// files of `ppbench run` and of go test group together. Like `go test`, it
// leaves cpu out where the processor gives no brand string (arm64 Linux).
func GoLines() string {
	s := schema.ConfigGOOS + ": " + runtime.GOOS + "\n" +
		schema.ConfigGOARCH + ": " + runtime.GOARCH + "\n" +
		schema.ConfigPkg + ": " + schema.SuitePkg + "\n"
	if brand := strings.TrimSpace(cpuid.CPU.BrandName); brand != "" {
		s += schema.ConfigCPU + ": " + brand + "\n"
	}
	return s
}
