package seeds

import (
	"testing"

	"github.com/ppbench/ppbench/internal/cachetest"
)

// No test may see the cache of the user running it.
func TestMain(m *testing.M) { cachetest.Main(m, CacheEnv) }
