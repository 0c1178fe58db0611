package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/ppbench/ppbench/bench"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/bench/runner"
	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
)

func init() {
	register(command{
		name:    "run",
		summary: "run the benchmark suite on this host and write a results file",
		run:     runRun,
	})
}

const runUsage = `Usage: ppbench run [flags]

Run measures this host on the suite that 'go test -bench ./bench' runs, with
the same benchmark names, metrics and configuration lines, so the results
mix freely with go test's in benchstat and 'ppbench report'. No Go toolchain
is needed on the host.

Every benchmark runs once per round, -count rounds in all, so that drift on
a shared host spreads over all of them; the iteration count is calibrated
in the first round and reused. Before timing, the kernels are checked
against the portable ones on this host. Each result carries the steal time
(steal-percent) seen while it ran.

Results go to -o FILE, by default results/<instance>-<UTC time>.txt, and to
stdout. An existing file is never overwritten. Ctrl-C stops the run after
the current measurement and keeps every finished result (exit status 130);
a second Ctrl-C stops at once. SIGTERM and SIGHUP stop it as Ctrl-C does,
and a measurement still in progress 10 seconds after the signal is cut
short as by a second Ctrl-C (-benchtime 1000000000x can last hours).

Exit status: 0 done, 1 failed (self-check, results file), 2 bad flags,
130 interrupted.

Flags:
`

func runRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", runUsage, stderr)
	pattern := fs.String("bench", ".", "run only the benchmarks matching `regexp`, as go test -bench matches them")
	count := fs.Int("count", 6, "run each benchmark `n` times, in n interleaved rounds (6 is the fewest for a 95% interval; at most 1000)")
	benchtime := runner.DefaultBenchtime
	fs.Var(&benchtime, "benchtime", "run each measurement for `d` (e.g. 500ms, at most 1h), or a fixed number of ops (e.g. 10x, at most 1000000000x)")
	short := fs.Bool("short", false, "run the small sizes only (SGEMM n=256,512, attention seq=512, the LLM passes in q8_0 only), as go test -short")
	llmModels := fs.String("llm-models", "", "comma-separated LLM model `shapes` the decode and prefill passes run: "+strings.Join(bench.LLMModels(), ", ")+" (default $"+bench.EnvLLMModels+", else "+bench.LLMModel+"; a model the host's memory cannot hold is skipped, saying so)")
	threads := fs.String("threads", "", "comma-separated thread `keys`: 1, all, cores or a number of copies (default 1,all, plus cores on SMT hosts)")
	instance := fs.String("instance", "", "instance `type`, e.g. c7g.xlarge (default $PPBENCH_INSTANCE, else detected on AWS)")
	region := fs.String("region", "", "cloud `region`, e.g. us-east-1 (default $PPBENCH_REGION)")
	output := fs.String("o", "", "write results to `file`, which must not exist; - for stdout only (default results/<instance>-<UTC time>.txt)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *count < 1 {
		return usageError{msg: fmt.Sprintf("-count %d: want at least 1 round", *count)}
	}
	if *count > runner.MaxCount {
		return usageError{msg: fmt.Sprintf("-count %d: at most %d rounds", *count, runner.MaxCount)}
	}
	if err := checkName("-instance", *instance); err != nil {
		return err
	}
	if err := checkName("-region", *region); err != nil {
		return err
	}
	if err := checkEnvNames(); err != nil {
		return err
	}
	match, err := runner.NewMatcher(*pattern)
	if err != nil {
		return usageError{msg: fmt.Sprintf("-bench %s: %v", *pattern, err)}
	}

	tiers, err := bench.TiersFromEnv()
	if err != nil {
		return usageError{msg: err.Error()}
	}
	models := *llmModels
	if models == "" {
		models = os.Getenv(bench.EnvLLMModels)
	}
	llmNames, err := bench.ParseLLMModels(models)
	if err != nil {
		return usageError{msg: "-llm-models: " + err.Error()}
	}
	fp := bench.Fingerprint(host.Options{Instance: *instance, Region: *region, Version: ppbenchVersion()}, tiers)
	cases, warnings, err := runner.Cases(runner.Selection{
		Short: *short, Threads: *threads, Match: match.Match, Tiers: tiers,
		Procs: runtime.GOMAXPROCS(0), Cores: fp.PhysicalCores, VCPUs: fp.VCPUs, LLMModels: llmNames,
	})
	if err != nil {
		return usageError{msg: fmt.Sprintf("-threads %s: %v", *threads, err)}
	}
	for _, w := range warnings {
		fmt.Fprintf(stderr, "ppbench run: warning: %s\n", w)
	}
	if len(cases) == 0 {
		return usageError{msg: fmt.Sprintf("-bench %s matches no benchmark%s", *pattern, threadsNote(*threads))}
	}

	ctx, stop := runner.WithInterrupt(context.Background())
	defer stop()
	_, err = runner.Run(ctx, runner.Config{
		Cases:       cases,
		Count:       *count,
		Benchtime:   benchtime,
		Fingerprint: fp,
		GOMAXPROCS:  runtime.GOMAXPROCS(0),
		Tiers:       tiers,
		Output:      *output,
		Stdout:      stdout,
		Stderr:      stderr,
		Progress:    runner.IsTerminal(stderr),
		SelfCheck:   func() error { return selfCheck(tiers) },
		Price:       onDemandPrice(fp),
	})
	if errors.Is(err, runner.ErrInterrupted) {
		return errInterrupted
	}
	return err
}

// selfCheck compares the kernel tier in use with the portable one on this
// host before anything is timed. A variable, so that tests can make it
// fail.
var selfCheck = bench.Tiers.SelfCheck

func threadsNote(threads string) string {
	if threads == "" {
		return ""
	}
	return " with -threads " + threads
}

// onDemandPrice looks the instance up in the embedded price catalog for the
// plan's cost estimate; the zero Price when the instance is unknown or not
// in the catalog.
func onDemandPrice(fp host.Fingerprint) runner.Price {
	if fp.Instance == "" || fp.Instance == schema.Unknown {
		return runner.Price{}
	}
	cat, err := seeds.Default()
	if err != nil {
		return runner.Price{} // the catalog's own tests guard it; the run does not need it
	}
	p, ok := cat.Price(fp.Instance, fp.Region, seeds.OnDemand)
	if !ok {
		return runner.Price{}
	}
	return runner.Price{Instance: fp.Instance, Region: p.Region, PerHour: p.PricePerHour}
}
