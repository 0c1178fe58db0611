// Package runner runs ppbench's benchmark suite in-process, as `ppbench
// run` does, and writes the results in the exact format of `go test -bench
// ./bench`: the same names, metrics, unit lines and configuration lines, so
// that files from either path mix freely in benchstat and the report.
//
// A run is -count rounds; each round measures every benchmark once, in
// suite order, so drift on a shared host (a neighbour starting, the CPU
// warming up) spreads over all benchmarks instead of landing on the last
// ones. The iteration count of each benchmark is calibrated once, in the
// first round, as go test does it (grow from 1 op until a run lasts the
// -benchtime), and reused by later rounds, so they are spent measuring.
//
// Before timing anything the kernels' self-check runs: numbers from a
// kernel that disagrees with the portable one are never recorded. Each
// result carries the steal time seen while it was measured, and the file
// closes with the steal time of the whole run.
//
// Results files are safe: an existing file is never overwritten, each
// result line is written and synced as it completes, and a cancelled run
// (Ctrl-C) stops after the current measurement with every finished result
// kept.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/internal/drift"
	"github.com/ppbench/ppbench/internal/schema"
)

// Config is one run. Cases, Count and Benchtime are required; the rest
// have usable zero values.
type Config struct {
	// Cases are the benchmarks of one round, in the order each round runs
	// them.
	Cases []bench.Case
	// Count is the number of rounds: measurements per benchmark, >= 1.
	Count int
	// Benchtime is the length of one measurement (DefaultBenchtime if
	// zero).
	Benchtime Benchtime

	// Fingerprint describes the host in the header; its Instance also
	// names the default results file.
	Fingerprint host.Fingerprint
	// GOMAXPROCS is the -N suffix of the names, as go test appends
	// runtime.GOMAXPROCS(0); 0 means runtime.GOMAXPROCS(0).
	GOMAXPROCS int

	// Output is the results file, created anew; "" means
	// DefaultDir/DefaultName(instance, now), creating DefaultDir, and "-"
	// means Stdout only.
	Output string
	// Stdout, when not nil, receives a copy of everything written to the
	// results file, as go test prints it.
	Stdout io.Writer
	// Stderr receives the plan, warnings and the closing summary.
	Stderr io.Writer
	// Progress draws a progress bar on Stderr; set it only when Stderr is
	// a terminal (IsTerminal).
	Progress bool

	// Tiers are the kernel tiers the cases run; the plan's speed probe
	// uses the fp32 one (the zero Tier means kernels.Widest()).
	Tiers bench.Tiers
	// SelfCheck checks the kernels in use against the portable ones before
	// anything is timed; an error stops the run with no result recorded.
	// Nil skips the check.
	SelfCheck func() error
	// Price is the instance's hourly price for the plan's cost; zero
	// PerHour leaves the cost out.
	Price Price

	// Now returns the time that names the default results file; nil means
	// time.Now.
	Now func() time.Time
}

// A Summary says what a run did.
type Summary struct {
	Path    string // the results file, or "stdout"
	Results int    // result lines written
	Planned int    // result lines a full run writes: len(Cases) * Count
	Elapsed time.Duration
	// StealPercent is the host's steal time over the whole run in percent,
	// negative when unknown.
	StealPercent float64
	// Drift is the trend test over the rounds (see package drift).
	Drift drift.Result
}

// ErrInterrupted is returned by Run when ctx was cancelled: the run
// stopped after the measurement in progress and kept what it finished.
var ErrInterrupted = errors.New("interrupted")

// caseState is what a run knows about one benchmark.
type caseState struct {
	c      bench.Case
	runner bench.Runner  // the case's data, when the pool keeps it between rounds
	iters  int           // ops per measurement; 0 until calibrated in round 1
	calib  time.Duration // expected extra time of the first measurement (setup, calibration); 0 once done
	// each is the expected wall time of one later measurement, setup
	// included unless the data is kept: the plan's guess until the
	// benchmark has run once, then what that run took.
	each time.Duration
}

// Run runs cfg's rounds, writing each result as it is finished. It returns
// ErrInterrupted, with the Summary of what was kept, when ctx is cancelled
// before the last measurement; any other error means the run failed (the
// Summary still counts what was written). A results file that ends up
// with no result is removed: it was created by this run and holds only the
// header.
func Run(ctx context.Context, cfg Config) (sum Summary, err error) {
	var skipped []string
	cfg.Cases, skipped = splitSkipped(cfg.Cases)
	if len(cfg.Cases) == 0 && len(skipped) > 0 {
		return sum, fmt.Errorf("no benchmark fits this host: %s", strings.Join(skipped, "; "))
	}
	bt, procs, err := cfg.check()
	if err != nil {
		return sum, err
	}
	if err := CheckMemory(cfg.Cases); err != nil {
		return sum, err
	}
	stderr := cfg.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	sum.Planned = len(cfg.Cases) * cfg.Count
	sum.StealPercent = -1

	out, err := openResults(cfg)
	if err != nil {
		return sum, err
	}
	sum.Path = out.path
	defer func() {
		if cerr := out.close(sum.Results > 0); err == nil && cerr != nil && sum.Results > 0 {
			err = fmt.Errorf("closing results: %w", cerr)
		}
	}()

	if cfg.SelfCheck != nil {
		if err := cfg.SelfCheck(); err != nil {
			var tiers []string
			for _, d := range schema.DataTypes() {
				if v := cfg.Fingerprint.Tiers[d.Name]; v != "" {
					tiers = append(tiers, d.ConfigKey+" "+v)
				}
			}
			return sum, fmt.Errorf("kernel self-check failed on this host (%s), no results recorded: %w", strings.Join(tiers, ", "), err)
		}
	}

	states := plan(cfg.Cases, bt, cfg.Fingerprint.PhysicalCores, cfg.Tiers)
	var total time.Duration
	for _, s := range states {
		total += s.calib + time.Duration(cfg.Count)*s.each
	}
	con := newConsole(stderr, sum.Planned, cfg.Progress)
	con.printf("%s", planLine(len(states), cfg.Count, total, cfg.Price))
	if out.file != nil {
		con.printf("results: %s", out.path)
	}

	var header strings.Builder
	if err := bench.WriteHeader(&header, cfg.Fingerprint, true); err != nil {
		return sum, err
	}
	if len(skipped) > 0 {
		// In the file, so that a report says what this host did not run
		// and why, rather than leaving a gap.
		fmt.Fprintf(&header, "%s: %s\n", schema.ConfigSkipped, strings.Join(skipped, "; "))
		for _, s := range skipped {
			con.printf("skipped: %s", s)
		}
	}
	if err := out.writeLines(header.String()); err != nil {
		return sum, err
	}
	r := &run{cfg: cfg, bt: bt, procs: procs, out: out, con: con, states: states, sum: &sum, series: make([][]float64, len(states))}
	return sum, r.rounds(ctx)
}

// splitSkipped returns the cases that run and, for those that do not
// (bench.Case.Skip), their names and why.
func splitSkipped(cases []bench.Case) (run []bench.Case, skipped []string) {
	for _, c := range cases {
		if c.Skip != "" {
			skipped = append(skipped, "Benchmark"+c.Name()+": "+c.Skip)
		} else {
			run = append(run, c)
		}
	}
	return run, skipped
}

// check validates cfg and returns its benchtime and GOMAXPROCS with the
// defaults filled in.
func (cfg Config) check() (Benchtime, int, error) {
	if len(cfg.Cases) == 0 {
		return Benchtime{}, 0, errors.New("no benchmarks to run")
	}
	if cfg.Count < 1 || cfg.Count > MaxCount {
		return Benchtime{}, 0, fmt.Errorf("count %d: want 1 to %d", cfg.Count, MaxCount)
	}
	bt := cfg.Benchtime
	if bt == (Benchtime{}) {
		bt = DefaultBenchtime
	}
	if bt.D < 0 || bt.N < 0 || (bt.D > 0 && bt.N > 0) || bt.D > MaxBenchtime || bt.N > MaxBenchtimeN {
		return Benchtime{}, 0, fmt.Errorf("invalid benchtime %v", bt)
	}
	procs := cfg.GOMAXPROCS
	if procs <= 0 {
		procs = runtime.GOMAXPROCS(0)
	}
	return bt, procs, nil
}

// run is one run under way: its rounds of measurements and where they go.
type run struct {
	cfg    Config
	bt     Benchtime
	procs  int
	out    *results
	con    *console
	states []caseState
	sum    *Summary
	series [][]float64 // each benchmark's rates, in round order

	mirrorWarned bool // the loss of stdout was reported
}

// rounds measures every benchmark once per round, writing and syncing each
// result line, and closes the file with the run's steal time. A cancelled
// ctx stops it before the next measurement, with ErrInterrupted.
func (r *run) rounds(ctx context.Context) error {
	// Tell the user at once that a Ctrl-C was seen, though the run stops
	// only after the measurement in progress. All of stderr goes through
	// con, whose lock orders this notice with the other messages.
	finished, watchDone := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watchDone)
		select {
		case <-ctx.Done():
			r.con.printf("interrupted: stopping after the current measurement")
		case <-finished:
		}
	}()
	stopWatch := sync.OnceFunc(func() {
		close(finished)
		<-watchDone
	})
	defer stopWatch()

	width := 0
	for _, s := range r.states {
		width = max(width, len(fullName(s.c.Name(), r.procs)))
	}
	steal0, total0, stealErr := host.ReadStealTicks()
	start := time.Now()
	defer func() { r.sum.Elapsed = time.Since(start) }()

	pool := newPool()
	count := r.cfg.Count
	for round := 1; round <= count; round++ {
		for i := range r.states {
			s := &r.states[i]
			if ctx.Err() != nil {
				<-watchDone // the notice comes before the summary
				r.con.clear()
				r.checkDrift()
				return interrupted(r.con, *r.sum, finishRun(r.out, steal0, total0, stealErr, r.sum))
			}
			r.con.update(r.sum.Results, fmt.Sprintf("round %d/%d %s", round, count, s.c.Name()), timeLeft(r.states, count, round, i))
			res := pool.measure(s, r.bt)
			line := res.Line(r.procs, width) + "\n"
			r.con.hide()
			if err := r.out.writeLines(line); err != nil {
				return err
			}
			if err := r.out.mirrorErr; err != nil && !r.mirrorWarned {
				r.mirrorWarned = true
				r.con.printf("warning: stdout: %v; results go on into %s only", err, r.out.path)
			}
			r.sum.Results++
			r.series[i] = append(r.series[i], res.Rate)
			if err := r.out.sync(); err != nil {
				return err
			}
		}
	}
	stopWatch()
	r.con.clear()
	if err := finishRun(r.out, steal0, total0, stealErr, r.sum); err != nil {
		return err
	}
	steal := ""
	if r.sum.StealPercent >= 0 {
		steal = fmt.Sprintf(", steal %.2f%%", r.sum.StealPercent)
	}
	r.con.printf("kept %s in %s (%s%s)", plural(r.sum.Results, "result"), r.out.path, roundDuration(time.Since(start)), steal)
	r.checkDrift()
	return nil
}

// checkDrift tests the rounds so far for a common trend and warns when
// the host changed speed during the run.
func (r *run) checkDrift() {
	r.sum.Drift = drift.Test(r.series)
	if d := r.sum.Drift; d.Drifted() {
		r.con.printf("warning: %s; run again", d)
	}
}

// openResults creates the results file cfg names.
func openResults(cfg Config) (*results, error) {
	if cfg.Output == "-" {
		if cfg.Stdout == nil {
			return nil, errors.New("results to stdout, but no stdout")
		}
		return &results{path: "stdout", mirror: cfg.Stdout}, nil
	}
	path, mkdir := cfg.Output, false
	if path == "" {
		now := time.Now
		if cfg.Now != nil {
			now = cfg.Now
		}
		f, path, err := createDefaultResults(DefaultName(cfg.Fingerprint.Instance, now()))
		if err != nil {
			return nil, err
		}
		return &results{file: f, path: path, mirror: cfg.Stdout}, nil
	}
	f, err := createResults(path, mkdir)
	if err != nil {
		return nil, err
	}
	return &results{file: f, path: path, mirror: cfg.Stdout}, nil
}

// plan estimates each benchmark's measurement time from a quick probe of
// each kernel's speed on this host with tiers (bench.ProbeRates); measure
// replaces the guesses as real times come in.
func plan(cases []bench.Case, bt Benchtime, cores int, tiers bench.Tiers) []caseState {
	var names []string
	for _, c := range cases {
		names = append(names, c.Kernel)
		if c.ProbeAs != "" {
			names = append(names, c.ProbeAs)
		}
	}
	rates := bench.ProbeRates(names, tiers)
	states := make([]caseState, len(cases))
	for i, c := range cases {
		rate := rates[c.Kernel]
		if c.ProbeAs != "" {
			rate = rates[c.ProbeAs]
		}
		op := opEstimate(c, rate, cores)
		states[i] = caseState{c: c, calib: firstRoundEstimate(c, op, bt), each: measurementEstimate(op, bt)}
	}
	return states
}

// timeLeft is the expected wall time of what is left of a run of count
// rounds when states[next] of round is about to start.
func timeLeft(states []caseState, count, round, next int) time.Duration {
	var left time.Duration
	for i, s := range states {
		n := count - round
		if i >= next {
			n++
		}
		left += s.calib + time.Duration(n)*s.each
	}
	return left
}

// interrupted reports an interrupted run on stderr and returns the error
// Run returns for it.
func interrupted(con *console, sum Summary, closeErr error) error {
	switch {
	case closeErr != nil:
		return closeErr
	case sum.Results == 0:
		con.printf("no result was finished; %s not kept", sum.Path)
	default:
		con.printf("kept %d of %d results in %s", sum.Results, sum.Planned, sum.Path)
	}
	return ErrInterrupted
}

// finishRun writes the closing steal-percent line for the whole run when
// any result was written and /proc/stat was readable.
func finishRun(out *results, steal0, total0 uint64, stealErr error, sum *Summary) error {
	if stealErr != nil || sum.Results == 0 {
		return nil
	}
	steal1, total1, err := host.ReadStealTicks()
	if err != nil {
		return nil
	}
	sum.StealPercent = host.StealPercent(steal0, total0, steal1, total1)
	if err := out.writeLines(fmt.Sprintf("%s: %.2f\n", schema.ConfigSteal, sum.StealPercent)); err != nil {
		return err
	}
	return out.sync()
}
