package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/ppbench/ppbench/bench/fleet"
	"github.com/ppbench/ppbench/bench/host"
	"github.com/ppbench/ppbench/bench/runner"
	"github.com/ppbench/ppbench/seeds"
)

func init() {
	register(command{
		name:    "fleet",
		summary: "run the suite on many instance types through Slurm or Kubernetes",
		run:     runFleet,
	})
}

const fleetUsage = `Usage: ppbench fleet -engine slurm|kubernetes -types T1,T2 [-launches N] [flags] [run flags]
       ppbench fleet wait [-results DIR] [-timeout D] JOBID...
       ppbench fleet collect -id ID [-results DIR] [-namespace NS]
       ppbench fleet task -type T [-o FILE] [-no-type-check] [-- run flags]

Fleet writes the job definitions that run 'ppbench run' on each instance
type, -launches times, each launch alone on a node of the type, on a
scheduler that starts nodes by type: Slurm with each type as a node
feature (-constraint, as AWS ParallelCluster labels its nodes) or a
partition (-partition '{type-}' for c7g-xlarge, '{type}' for c7g.xlarge), or Kubernetes with Karpenter or node
auto-provisioning (a Job per launch selecting node.kubernetes.io/instance-type).
The run flags (-short, -bench, -count, -benchtime, -threads, -region) go
to every launch. Each type gets the binary (-binary) or image (-image) of
its architecture: {arch} in either becomes arm64 or amd64, by the
catalog's arch column, else by the type's name (Graviton, Axion, Cobalt
are arm64).

Every launch writes results/<type>-<job>_<task>.txt: the Slurm job array's
id and task, or the fleet's -id and the launch number on Kubernetes.

  slurm:       the sbatch scripts, one job array per type, go to stdout or
               to -o DIR; -submit writes them (to -o, default
               <results>/jobs), submits them with sbatch and prints the job
               ids, for 'ppbench fleet wait', which follows them with squeue
               (sacct once squeue forgets them) and names each task that
               failed or never started.
  kubernetes:  the Jobs (JSON, which kubectl apply -f takes) go to stdout as
               one List or to -o DIR, one file per Job; 'ppbench fleet
               collect -id ID' gets the finished ones' results with kubectl
               logs.

A launch runs 'ppbench fleet task', which refuses to label results with a
type the host is not: the host's own type (DMI on AWS) must be the one asked
for, or where the host names none, its architecture and vCPUs must match
the catalog's. -no-type-check (or $PPBENCH_FLEET_NO_TYPE_CHECK=1 on the
host) turns that off, for a test on a machine that is none of the types.
Both the type asked for and the host's are in the results file
(instance, instance-detected, instance-check).

Exit status: 0 done, 1 a task failed or a tool is missing (every result
already collected is kept), 2 bad flags.

Flags:
`

func runFleet(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "wait":
			return runFleetWait(args[1:], stdout, stderr)
		case "collect":
			return runFleetCollect(args[1:], stdout, stderr)
		case "task":
			return runFleetTask(args[1:], stdout, stderr)
		}
	}
	fs := newFlagSet("fleet", fleetUsage, stderr)
	engine := fs.String("engine", fleet.Slurm, "scheduler: `slurm` or kubernetes")
	types := fs.String("types", "", "comma-separated instance `types`, e.g. c7g.xlarge,c8g.xlarge")
	launches := fs.Int("launches", 3, "launches (tasks) per type: `n` draws of the type, each on its own node, at most 1000")
	outDir := fs.String("o", "", "write the job definitions to `dir`, one file each (default stdout)")
	results := fs.String("results", "results", "`dir` the tasks write results to, as the jobs see it")
	noCheck := fs.Bool("no-type-check", false, "let the tasks label results with the type asked for whatever the host is")
	binary := fs.String("binary", "./dist/ppbench-linux-{arch}", "slurm: the ppbench `path` on the nodes; {arch} is arm64 or amd64 (make dist)")
	partition := fs.String("partition", "", "slurm: select nodes by the partition `name` instead of by --constraint: {type} is the type, {type-} the type with - for . and _")
	var sbatchArgs []string
	fs.Func("sbatch", "slurm: one more #SBATCH `option` for every array, e.g. --time=60 (repeatable)", func(s string) error {
		sbatchArgs = append(sbatchArgs, s)
		return nil
	})
	submit := fs.Bool("submit", false, "slurm: submit the arrays with sbatch and print their job ids")
	image := fs.String("image", "", "kubernetes: the container `image` (see Dockerfile); {arch} is arm64 or amd64")
	id := fs.String("id", "", "kubernetes: the fleet's `id`, the <job> of its results files (default the UTC time)")
	namespace := fs.String("namespace", "", "kubernetes: the `namespace` of the Jobs (default kubectl's)")
	cpuRequest := fs.String("cpu-request", "", "kubernetes: the CPU `quantity` each pod requests (default the node's allocatable CPU, from the catalog's vCPUs)")
	var runArgs []string
	runFlag := func(name, usage string, isBool bool) {
		set := func(s string) error {
			if isBool && s == "true" {
				runArgs = append(runArgs, "-"+name)
			} else if isBool {
				runArgs = append(runArgs, "-"+name+"="+s)
			} else {
				runArgs = append(runArgs, "-"+name, s)
			}
			return nil
		}
		if isBool {
			fs.BoolFunc(name, usage, set)
		} else {
			fs.Func(name, usage, set)
		}
	}
	runFlag("short", "run flag: the small sizes only", true)
	runFlag("bench", "run flag: only the benchmarks matching `regexp`", false)
	runFlag("count", "run flag: `n` rounds", false)
	runFlag("benchtime", "run flag: each measurement for `d`", false)
	runFlag("threads", "run flag: thread `keys`", false)
	runFlag("region", "run flag: cloud `region` of the results", false)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	for i := 0; i+1 < len(runArgs); i++ {
		switch runArgs[i] {
		case "-bench":
			if _, err := runner.NewMatcher(runArgs[i+1]); err != nil {
				return usageError{msg: fmt.Sprintf("-bench %s: %v", runArgs[i+1], err)}
			}
		case "-count":
			var n int
			if _, err := fmt.Sscan(runArgs[i+1], &n); err != nil || n < 1 {
				return usageError{msg: fmt.Sprintf("-count %s: want at least 1 round", runArgs[i+1])}
			}
			if n > runner.MaxCount {
				return usageError{msg: fmt.Sprintf("-count %s: at most %d rounds", runArgs[i+1], runner.MaxCount)}
			}
		case "-benchtime":
			var bt runner.Benchtime
			if err := bt.Set(runArgs[i+1]); err != nil {
				return usageError{msg: fmt.Sprintf("-benchtime %s: %v", runArgs[i+1], err)}
			}
		}
	}
	spec := fleet.Spec{
		Launches: *launches, RunArgs: runArgs, NoTypeCheck: *noCheck, Results: *results,
		Binary: *binary, Partition: *partition, SbatchArgs: sbatchArgs,
		Image: *image, ID: *id, Namespace: *namespace, CPURequest: *cpuRequest,
		WriteFile: func(path string, data []byte, perm os.FileMode) error { return writeFile("-o", path, data, perm) },
	}
	for _, t := range strings.Split(*types, ",") {
		if t = strings.TrimSpace(t); t != "" {
			spec.Types = append(spec.Types, t)
		}
	}
	if *types == "" {
		return usageError{msg: "-types is required, e.g. -types c7g.xlarge,c8g.xlarge"}
	}
	if err := spec.Check(); err != nil {
		return usageError{msg: err.Error()}
	}
	cat, err := seeds.Default()
	if err != nil {
		return err
	}
	archOf := func(t string) string { return fleet.Arch(cat, t) }

	switch *engine {
	case fleet.Slurm:
		if *image != "" || *id != "" || *namespace != "" || *cpuRequest != "" {
			return usageError{msg: "-image, -id, -namespace and -cpu-request are for -engine kubernetes"}
		}
		if *submit {
			dir := *outDir
			if dir == "" {
				dir = filepath.Join(*results, "jobs")
			}
			subs, errs := fleet.SubmitSlurm(context.Background(), fleet.Command, spec, archOf, dir)
			var ids []string
			for _, s := range subs {
				fmt.Fprintf(stderr, "ppbench fleet: %s: job %s, tasks 1-%d (%s)\n", s.Type, s.JobID, s.Tasks, filepath.Join(dir, fleet.ScriptName(s.Type)))
				ids = append(ids, s.JobID)
			}
			if len(ids) > 0 {
				fmt.Fprintln(stdout, strings.Join(ids, " "))
				fmt.Fprintf(stderr, "ppbench fleet: follow with: ppbench fleet wait -results %s %s\n", *results, strings.Join(ids, " "))
			}
			return taskErrors("fleet", errs, len(spec.Types), "types", stderr)
		}
		if *outDir == "" {
			for i, t := range spec.Types {
				if i > 0 {
					fmt.Fprintln(stdout)
				}
				io.WriteString(stdout, fleet.SlurmScript(spec, t, archOf(t)))
			}
			return nil
		}
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return err
		}
		for _, t := range spec.Types {
			p := filepath.Join(*outDir, fleet.ScriptName(t))
			if err := writeFile("-o", p, []byte(fleet.SlurmScript(spec, t, archOf(t))), 0o755); err != nil {
				return err
			}
			fmt.Fprintln(stderr, "ppbench fleet: wrote", p)
		}
		return nil
	case fleet.Kubernetes:
		if *submit || *partition != "" || len(sbatchArgs) > 0 {
			return usageError{msg: "-submit, -partition and -sbatch are for -engine slurm (kubectl apply -f the Jobs)"}
		}
		if *image == "" {
			return usageError{msg: "-engine kubernetes needs -image, e.g. -image registry.example.com/ppbench:v1"}
		}
		if spec.ID == "" {
			spec.ID = time.Now().UTC().Format("20060102t150405")
		}
		jobs, err := fleet.KubeJobs(spec, cat)
		if err != nil {
			return usageError{msg: err.Error()}
		}
		if *outDir == "" {
			b, err := fleet.KubeList(jobs)
			if err != nil {
				return err
			}
			_, err = stdout.Write(b)
			fmt.Fprintf(stderr, "ppbench fleet: fleet %s: kubectl apply -f the Jobs, then: ppbench fleet collect -id %s\n", spec.ID, spec.ID)
			return err
		}
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return err
		}
		for _, j := range jobs {
			b, err := fleet.KubeManifest(j)
			if err != nil {
				return err
			}
			p := filepath.Join(*outDir, j.Metadata.Name+".json")
			if err := writeFile("-o", p, b, 0o644); err != nil {
				return err
			}
		}
		fmt.Fprintf(stderr, "ppbench fleet: wrote %d Jobs to %s; kubectl apply -f %s, then: ppbench fleet collect -id %s\n", len(jobs), *outDir, *outDir, spec.ID)
		return nil
	default:
		return usageError{msg: fmt.Sprintf("-engine %s: want slurm or kubernetes", *engine)}
	}
}

// taskErrors prints one line per failed task and returns the summary
// error, or nil when there are none.
func taskErrors(cmd string, errs []error, total int, what string, stderr io.Writer) error {
	if len(errs) == 0 {
		return nil
	}
	// Every failure gets its own line, with the command that found it,
	// however many there are.
	for _, e := range errs {
		fmt.Fprintf(stderr, "ppbench %s: %v\n", cmd, e)
	}
	return fmt.Errorf("%s: %d of %d %s failed (every result already collected is kept)", cmd, len(errs), total, what)
}

const fleetWaitUsage = `Usage: ppbench fleet wait [-results DIR] [-timeout D] JOBID...

Wait follows the job arrays 'ppbench fleet -submit' printed with squeue, and
sacct for jobs squeue no longer knows, until every task has finished, with a
progress bar on a terminal. Each task that failed, finished without its
results file, or had not finished by -timeout (a node of its type never came
up) is named on its own line: type, task and job. Nothing is removed.

Flags:
`

func runFleetWait(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fleet wait", fleetWaitUsage, stderr)
	results := fs.String("results", "results", "`dir` the tasks write results to")
	timeout := fs.Duration("timeout", 0, "give up on unfinished tasks after `d` (default: wait for ever)")
	interval := fs.Duration("interval", 5*time.Second, "poll squeue every `d`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{msg: "no job ids (ppbench fleet -submit prints them)"}
	}
	var jobs []string
	for _, a := range fs.Args() {
		for _, j := range strings.Fields(strings.ReplaceAll(a, ",", " ")) {
			if strings.Trim(j, "0123456789") != "" {
				return usageError{msg: fmt.Sprintf("job id %q: want a number", j)}
			}
			jobs = append(jobs, j)
		}
	}
	ctx, stop := runner.WithInterrupt(context.Background())
	defer stop()
	prog := newFleetProgress(stderr)
	ts, errs, err := fleet.WaitSlurm(ctx, fleet.Command, jobs, fleet.WaitOptions{
		Results: *results, Interval: *interval, Timeout: *timeout, Progress: prog.update,
	})
	prog.finish()
	if err != nil {
		if ctx.Err() != nil {
			return errInterrupted
		}
		return fmt.Errorf("fleet wait: %v", err)
	}
	ok := 0
	for _, t := range ts {
		if t.State == "COMPLETED" {
			ok++
		}
	}
	fmt.Fprintf(stderr, "ppbench fleet wait: %d of %d tasks completed, results in %s\n", ok-countFailedCompleted(errs, ts), len(ts), *results)
	return taskErrors("fleet wait", errs, len(ts), "tasks", stderr)
}

// countFailedCompleted counts the completed tasks that are still errors
// (no results file).
func countFailedCompleted(errs []error, ts []fleet.Task) int {
	n := 0
	for _, e := range errs {
		var te *fleet.TaskError
		if errors.As(e, &te) && strings.HasPrefix(te.Msg, "completed") {
			n++
		}
	}
	return n
}

// fleetProgress shows a wait's progress: a bar on a terminal, else a line
// whenever the counts change.
type fleetProgress struct {
	w    io.Writer
	bar  *progressBar
	last string
}

func newFleetProgress(w io.Writer) *fleetProgress {
	return &fleetProgress{w: w}
}

func (p *fleetProgress) update(ts []fleet.Task) {
	counts := map[string]int{}
	done := 0
	for _, t := range ts {
		counts[t.State]++
		if t.Done() {
			done++
		}
	}
	desc := fmt.Sprintf("pending %d, running %d, done %d", counts["PENDING"], counts["RUNNING"]+counts["COMPLETING"]+counts["CONFIGURING"], done)
	if runner.IsTerminal(p.w) {
		if p.bar == nil {
			p.bar = newProgressBar(p.w, len(ts))
		}
		p.bar.set(done, len(ts), desc)
		return
	}
	if desc != p.last {
		fmt.Fprintf(p.w, "ppbench fleet wait: %d tasks: %s\n", len(ts), desc)
		p.last = desc
	}
}

func (p *fleetProgress) finish() {
	if p.bar != nil {
		p.bar.finish()
	}
}

const fleetCollectUsage = `Usage: ppbench fleet collect -id ID [-results DIR] [-namespace NS]

Collect gets the results of a Kubernetes fleet's finished Jobs with kubectl
logs, into <results>/<type>-<id>_<launch>.txt, the names a Slurm fleet's
tasks write. A file already there is kept as it is, so collect can be run
again as more Jobs finish. Each Job that failed or has not finished is
named on its own line.

Flags:
`

func runFleetCollect(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fleet collect", fleetCollectUsage, stderr)
	id := fs.String("id", "", "the fleet's `id` (ppbench fleet -engine kubernetes printed it)")
	results := fs.String("results", "results", "write the results files to `dir`")
	namespace := fs.String("namespace", "", "the Jobs' `namespace` (default kubectl's)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return usageError{msg: "-id is required"}
	}
	// The id goes into kubectl's label selector and the results' names:
	// it must be the label value `ppbench fleet` gave the Jobs.
	if err := (fleet.Spec{Types: []string{"x"}, Launches: 1, ID: *id}).Check(); err != nil {
		return usageError{msg: err.Error()}
	}
	got, errs, err := fleet.CollectKube(context.Background(), fleet.Command, *id, *namespace, *results)
	if err != nil {
		return fmt.Errorf("fleet collect: %v", err)
	}
	for _, c := range got {
		fmt.Fprintf(stderr, "ppbench fleet collect: %s launch %d: %s\n", c.Type, c.Launch, c.Path)
	}
	return taskErrors("fleet collect", errs, len(got)+len(errs), "Jobs", stderr)
}

const fleetTaskUsage = `Usage: ppbench fleet task -type T [-o FILE] [-no-type-check] [-- run flags]

Task is one launch of a fleet, as its job runs it: it checks that this host
is instance type T (its DMI type on AWS; else its architecture and vCPUs
against the catalog), then runs 'ppbench run -instance T' with the run
flags, the results going to FILE (which must not exist) or, with -o -, to
stdout, the log to stderr with every line starting "# ". The results file
starts with instance-detected (the host's own type, or unknown) and
instance-check (dmi, arch+vcpus, arch or off). A host that is not T gets no
results labelled T, unless -no-type-check or $PPBENCH_FLEET_NO_TYPE_CHECK=1
turns the check off.

Flags:
`

func runFleetTask(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("fleet task", fleetTaskUsage, stderr)
	typ := fs.String("type", "", "the instance `type` this task was sent to")
	output := fs.String("o", "-", "write results to `file`, which must not exist; - for stdout")
	noCheck := fs.Bool("no-type-check", false, "label results with -type whatever this host is")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *typ == "" {
		return usageError{msg: "-type is required"}
	}
	if err := checkName("-type", *typ); err != nil {
		return err
	}
	runArgs := fs.Args()
	if err := (fleet.Spec{Types: []string{*typ}, Launches: 1, RunArgs: runArgs}).Check(); err != nil {
		return usageError{msg: err.Error()}
	}
	name := *typ + " task " + taskID()
	off := *noCheck || os.Getenv(fleet.EnvNoTypeCheck) == "1"

	// The host's own word on its type: the task names the type itself, so
	// $PPBENCH_INSTANCE must not stand in for what DMI says.
	os.Unsetenv(host.EnvInstance)
	fp := host.Detect(host.Options{})
	cat, err := seeds.Default()
	if err != nil {
		return err
	}
	v, err := fleet.Check(*typ, fp, runtime.GOARCH, cat, off)
	if err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	log := stderr
	if *output == "-" {
		log = &prefixWriter{w: stderr, prefix: fleet.LogPrefix}
	}
	fmt.Fprintf(log, "ppbench fleet task: %s: host %s, check %s\n", name, v.Detected, v.Method)

	var out io.Writer = stdout
	var f *os.File
	if *output != "-" {
		if dir := filepath.Dir(*output); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
		}
		f, err = os.OpenFile(*output, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		out = f
	}
	hdr := strings.Join(v.ConfigLines(), "\n") + "\n"
	if _, err := io.WriteString(out, hdr); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	rerr := runRun(append([]string{"-instance", *typ, "-o", "-"}, runArgs...), out, log)
	if f != nil {
		cerr := f.Close()
		if rerr == nil && cerr != nil {
			rerr = cerr
		}
		if rerr != nil && !hasResults(*output) {
			os.Remove(*output) // only the header: nothing measured
		}
	}
	if p, ok := log.(*prefixWriter); ok {
		p.flush()
	}
	var ue usageError
	switch {
	case rerr == nil:
		return nil
	case errors.As(rerr, &ue):
		return usageError{msg: name + ": run flags: " + ue.msg}
	case errors.Is(rerr, errInterrupted):
		return rerr
	default:
		return fmt.Errorf("%s: %v", name, rerr)
	}
}

// taskID names this task the way its scheduler does: the Slurm array's
// <job>_<task>, the Kubernetes Job's name, else the host name.
func taskID() string {
	if j, t := os.Getenv("SLURM_ARRAY_JOB_ID"), os.Getenv("SLURM_ARRAY_TASK_ID"); j != "" && t != "" {
		return t + " (job " + j + "_" + t + ")"
	}
	if t := os.Getenv("PPBENCH_FLEET_TASK"); t != "" {
		return t
	}
	h, _ := os.Hostname()
	return "on " + h
}

func hasResults(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "Benchmark") {
			return true
		}
	}
	return false
}

// prefixWriter starts every line written through it with prefix.
type prefixWriter struct {
	w      io.Writer
	prefix string
	buf    bytes.Buffer
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.buf.Write(b)
	for {
		i := bytes.IndexByte(p.buf.Bytes(), '\n')
		if i < 0 {
			return len(b), nil
		}
		line := p.buf.Next(i + 1)
		if _, err := io.WriteString(p.w, p.prefix+string(line)); err != nil {
			return len(b), err
		}
	}
}

func (p *prefixWriter) flush() {
	if p.buf.Len() > 0 {
		io.WriteString(p.w, p.prefix+p.buf.String()+"\n")
		p.buf.Reset()
	}
}
