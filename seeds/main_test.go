package seeds

import (
	"os"
	"testing"
)

// No test may see the cache of the user running it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ppbench-seeds-cache")
	if err != nil {
		panic(err)
	}
	os.Setenv(CacheEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
