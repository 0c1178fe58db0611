// Package cachetest keeps a package's tests away from the price cache of
// the user running them: `ppbench prices update` there would otherwise
// change what the built-in catalog tests see.
package cachetest

import (
	"os"
	"testing"
)

// Main is a TestMain body: it points env (seeds.CacheEnv, which this
// package does not import so that seeds' own tests can use it) at a new
// empty directory, runs m, removes the directory and exits with m's code.
func Main(m *testing.M, env string) {
	dir, err := os.MkdirTemp("", "ppbench-cache")
	if err != nil {
		panic(err)
	}
	os.Setenv(env, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
