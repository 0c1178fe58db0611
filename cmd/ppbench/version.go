package main

import "github.com/ppbench/ppbench/bench/host"

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
