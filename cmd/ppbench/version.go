package main

import (
	"fmt"
	"io"
	"runtime"

	"github.com/ppbench/ppbench/bench/host"
)

// version is the ppbench version, set at release time with
//
//	go build -ldflags "-X main.version=v0.1.0" ./cmd/ppbench
//
// Left at "devel", ppbenchVersion asks the build info instead.
var version = "devel"

// ppbenchVersion is the version results record as ppbench-version.
func ppbenchVersion() string {
	if version != "devel" && version != "" {
		return version
	}
	return host.Version()
}

func init() {
	register(command{
		name:    "version",
		summary: "print the ppbench version, the Go version and the platform",
		run:     runVersion,
	})
}

const versionUsage = `Usage: ppbench version

Version prints the version results record as ppbench-version, then the Go
version and platform the binary was built for.

Flags:
`

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", versionUsage, stderr)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "ppbench %s %s %s/%s\n", ppbenchVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
