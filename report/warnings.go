package report

import (
	"fmt"
	"strings"
)

// Warnings come one per benchmark, launch or instance, which in a report
// of many files is a list nobody reads: 26 benchmarks spreading over 5%
// are one fact about a noisy host, not 26. Each warning therefore has a
// kind, and WarningSummary gives one line per kind with how many there
// are, out of how many were checked, and the worst case. The full list
// stays in the method section.

// Warning kinds: those that can repeat get a summary line of their own.
const (
	warnFewSamples   = "few samples"
	warnSpread       = "spread"
	warnLaunchSpread = "launch spread"
	warnDrift        = "drift"
	warnSteal        = "steal"
	warnPriceAge     = "price age"
	warnNoPrice      = "no price"
	warnNotComp      = "not comparable"
	warnTierBelow    = "tier below chip"
	warnAbovePeak    = "above peak"
	warnQuota        = "gomaxprocs"
)

// A warningKind says how a kind's summary line reads: n warnings of the
// kind out of checked (0 when unknown) nouns, what they have in common,
// then the one with the highest severity, as in "3 of 28 benchmarks spread
// over 5%, worst Kernel n=1024 threads=1 on c7a.xlarge ±10%".
type warningKind struct {
	noun string // what was checked, singular: "benchmark"
	says string // the words between the count and the worst case
}

func (k warningKind) summary(n, checked int, worst Warning) string {
	return outOf(n, checked, k.noun) + " " + k.says + " " + worst.worst
}

var warningKinds = map[string]warningKind{
	warnFewSamples:   {"benchmark", fmt.Sprintf("have fewer than %d samples (no interval), fewest", MinSamples)},
	warnSpread:       {"benchmark", fmt.Sprintf("spread over %.0f%%, worst", MaxSpreadPct)},
	warnLaunchSpread: {"benchmark", fmt.Sprintf("differ by over %.0f%% between launches, worst", MaxSpreadPct)},
	warnDrift:        {"launch", "drifted during the run, worst"},
	warnSteal:        {"instance", fmt.Sprintf("had CPU steal time over %.0f%%, worst", MaxStealPct)},
	warnPriceAge:     {"price", fmt.Sprintf("older than %d days, oldest", MaxPriceAgeDays)},
	warnNoPrice:      {"instance", "had no price, so no per-dollar figures, e.g."},
	warnNotComp:      {"instance", "not comparable with the baseline (portable against SIMD), e.g."},
	warnTierBelow:    {"instance", "ran kernels below the chip's widest SIMD, e.g."},
	warnAbovePeak:    {"kernel", "above 100% of the measured peak (the probe understates the chip, or the kernel is mismeasured), worst"},
	warnQuota:        {"launch", "ran on fewer CPUs (gomaxprocs) than the vCPUs priced, worst"},
}

// outOf says "3 of 28 benchmarks", or "3 benchmarks" when how many were
// checked is unknown, with the verb's number left to the caller's
// wording ("have", "had").
func outOf(n, checked int, noun string) string {
	if checked > 0 {
		return fmt.Sprintf("%d of %s", n, plural(checked, noun))
	}
	return plural(n, noun)
}

// warnings collects what the stages find, in the order they find it, and
// how many things of each kind were checked.
type warnings struct {
	list    []Warning
	checked map[string]int
}

// add records a warning of no particular kind: it gets a summary line of
// its own.
func (w *warnings) add(instance, format string, args ...any) {
	w.list = append(w.list, Warning{Instance: instance, Text: fmt.Sprintf(format, args...)})
}

// addKind records a warning of kind, whose severity orders it among its
// kind's (the highest is the worst case) and worst names it in the
// summary line ("Kernel threads=all on c7a.xlarge ±64%").
func (w *warnings) addKind(kind string, severity float64, worst, instance, format string, args ...any) {
	w.list = append(w.list, Warning{Instance: instance, Text: fmt.Sprintf(format, args...), Kind: kind, severity: severity, worst: worst})
}

// check counts one thing of kind checked, warned of or not.
func (w *warnings) check(kind string) {
	if w.checked == nil {
		w.checked = map[string]int{}
	}
	w.checked[kind]++
}

// WarningSummary returns one line per kind of warning, in the order each
// kind was first found, with a count and the worst case: "26 of 28
// benchmarks spread over 5%, worst Kernel n=33554432 threads=all on
// c7a.xlarge ±64%". Warnings of no kind are their own line. It is what
// a command prints on standard error instead of every warning.
func (r *Report) WarningSummary() []string {
	type group struct {
		n     int
		worst Warning
	}
	var order []string
	groups := map[string]*group{}
	var lines []string
	for _, w := range r.Warnings {
		if _, ok := warningKinds[w.Kind]; !ok {
			order = append(order, "\x00"+w.String())
			continue
		}
		g := groups[w.Kind]
		if g == nil {
			g = &group{worst: w}
			groups[w.Kind] = g
			order = append(order, w.Kind)
		}
		g.n++
		if w.severity > g.worst.severity {
			g.worst = w
		}
	}
	for _, k := range order {
		if line, ok := strings.CutPrefix(k, "\x00"); ok {
			lines = append(lines, line)
			continue
		}
		g := groups[k]
		lines = append(lines, warningKinds[k].summary(g.n, r.checked[k], g.worst))
	}
	return lines
}
