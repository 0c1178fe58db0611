package runner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ppbench/ppbench/bench"
)

// ParseThreads parses a -threads list: comma-separated keys, each "1",
// "all", "cores" or a positive number of copies. An empty list means the
// default, nil: threads=1, threads=all and, on hosts with SMT,
// threads=cores. A number above vcpus is accepted (the copies then share
// CPUs) and reported in warnings; vcpus <= 0 means unknown and skips that
// check.
func ParseThreads(list string, vcpus int) (keys []string, warnings []string, err error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil, nil
	}
	seen := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		k = strings.TrimSpace(k)
		switch k {
		case "all", "cores":
		default:
			n, err := strconv.Atoi(k)
			if err != nil {
				return nil, nil, fmt.Errorf("%q is not 1, all, cores or a number of copies", k)
			}
			if n < 1 {
				return nil, nil, fmt.Errorf("%d copies: want at least 1", n)
			}
			if vcpus > 0 && n > vcpus {
				warnings = append(warnings, fmt.Sprintf("threads=%d is more than the %d vCPUs of this host: copies will share CPUs", n, vcpus))
			}
			k = strconv.Itoa(n) // "01" and "1" are one key
		}
		if seen[k] {
			return nil, nil, fmt.Errorf("%s listed twice", k)
		}
		seen[k] = true
		keys = append(keys, k)
	}
	return keys, warnings, nil
}

// Cases returns the suite for a host with allThreads CPUs for threads=all
// and cores physical cores (0 when unknown), restricted to the thread keys
// ParseThreads returned (nil for the default) and to the names match
// selects (nil for all).
func Cases(short bool, threads []string, allThreads, cores int, match func(name string) bool) []bench.Case {
	cases := bench.Suite(bench.Options{Short: short, AllThreads: allThreads, Cores: cores, Threads: threads})
	if match != nil {
		cases = bench.Filter(cases, match)
	}
	return cases
}
