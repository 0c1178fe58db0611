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
//
// A numeric key N other than 1 gives threads=N cases: the threads=all cases
// with N copies, renamed. They come right after the suite's cases of the
// same kernel and size, so a round still goes size by size.
func Cases(short bool, threads []string, allThreads, cores int, match func(name string) bool) []bench.Case {
	var symbolic []string
	var counts []int
	for _, k := range threads {
		switch n, err := strconv.Atoi(k); {
		case err != nil:
			symbolic = append(symbolic, k)
		case n == 1:
			symbolic = append(symbolic, "1")
		default:
			counts = append(counts, n)
		}
	}
	var cases []bench.Case
	if threads == nil || len(symbolic) > 0 {
		cases = bench.Suite(bench.Options{Short: short, AllThreads: allThreads, Cores: cores, Threads: symbolic})
	}
	for _, n := range counts {
		for _, c := range bench.Suite(bench.Options{Short: short, AllThreads: n, Threads: []string{"all"}}) {
			c.Keys = strings.Replace(c.Keys, "threads=all", "threads="+strconv.Itoa(n), 1)
			c.Threads = strconv.Itoa(n)
			cases = insertAfterGroup(cases, c)
		}
	}
	if match != nil {
		cases = bench.Filter(cases, match)
	}
	return cases
}

// insertAfterGroup inserts c after the last case of the same kernel and
// size (the keys before "threads="), or at the end when there is none.
func insertAfterGroup(cases []bench.Case, c bench.Case) []bench.Case {
	group := func(c bench.Case) string {
		before, _, _ := strings.Cut(c.Keys, "threads=")
		return c.Kernel + "/" + before
	}
	at := len(cases)
	for i, o := range cases {
		if group(o) == group(c) {
			at = i + 1
		}
	}
	return append(cases[:at], append([]bench.Case{c}, cases[at:]...)...)
}
