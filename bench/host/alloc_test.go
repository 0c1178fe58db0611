package host

import (
	"os"
	"testing"

	"github.com/ppbench/ppbench/internal/alloctest"
)

// parseCPUInfo allocates a bounded multiple of /proc/cpuinfo, however many
// processors it lists.
func TestParseCPUInfoAllocatesLinearly(t *testing.T) {
	data, err := os.ReadFile("testdata/aws-c7i.2xlarge/proc/cpuinfo")
	if err != nil {
		t.Fatal(err)
	}
	alloctest.Linear(t, "parseCPUInfo", nil, func(int) []byte { return data }, 16, func(b []byte) { parseCPUInfo(b).facts() })
}
