package runner

import (
	"fmt"
	"regexp"
	"strings"
)

// A Matcher selects benchmarks by a -bench pattern with go test's rules,
// so that one pattern picks the same benchmarks from `ppbench run` and from
// `go test -bench ./bench`: the pattern is split at slashes (outside
// brackets and parentheses) into one unanchored regexp per name element,
// "Benchmark" is part of the first element's name, and top-level "|"
// separates alternatives that are each split the same way.
type Matcher struct {
	alts [][]*regexp.Regexp
}

// NewMatcher compiles pattern. The error names the element that does not
// compile.
func NewMatcher(pattern string) (*Matcher, error) {
	m := &Matcher{}
	for _, alt := range splitAlternatives(pattern) {
		var elems []*regexp.Regexp
		for i, e := range alt {
			re, err := regexp.Compile(e)
			if err != nil {
				if len(alt) > 1 {
					return nil, fmt.Errorf("element %d (%q): %w", i+1, e, err)
				}
				return nil, err
			}
			elems = append(elems, re)
		}
		m.alts = append(m.alts, elems)
	}
	return m, nil
}

// Match reports whether the benchmark named name ("Kernel/n=256/threads=1",
// without "Benchmark" or a -N suffix) is selected: some alternative has no
// more elements than the name and each of its elements matches the name's
// element at the same place.
func (m *Matcher) Match(name string) bool {
	elems := strings.Split("Benchmark"+name, "/")
	for _, alt := range m.alts {
		if len(alt) > len(elems) {
			continue // would select only deeper sub-benchmarks, and there are none
		}
		ok := true
		for i, re := range alt {
			if !re.MatchString(elems[i]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// splitAlternatives splits s as the testing package does: at '|' and then
// '/' where neither is inside brackets or parentheses nor escaped.
func splitAlternatives(s string) [][]string {
	var alts [][]string
	var elems []string
	brackets, parens := 0, 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '[':
			brackets++
		case ']':
			if brackets--; brackets < 0 { // an unmatched ']' is a literal
				brackets = 0
			}
		case '(':
			if brackets == 0 {
				parens++
			}
		case ')':
			if brackets == 0 {
				parens--
			}
		case '\\':
			i++
		case '/', '|':
			if brackets == 0 && parens == 0 {
				elems = append(elems, s[:i])
				if s[i] == '|' {
					alts = append(alts, elems)
					elems = nil
				}
				s = s[i+1:]
				i = 0
				continue
			}
		}
		i++
	}
	return append(alts, append(elems, s))
}
