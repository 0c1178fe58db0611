package fleet

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// JobName is the Slurm job name of a type's array, which is how `fleet
// wait` tells the type of a task from squeue's and sacct's lines.
func JobName(instance string) string { return "ppbench-" + instance }

// TypeOfJobName undoes JobName; "" for a job that is no fleet's.
func TypeOfJobName(name string) string {
	t, ok := strings.CutPrefix(name, "ppbench-")
	if !ok {
		return ""
	}
	return t
}

// SlurmScript returns the sbatch script of one type's job array: one task
// per launch, each alone on a node of the type (--exclusive, one node),
// the node chosen by --constraint=<type> (a feature, as ParallelCluster
// gives every compute node its instance type) or, with s.Partition,
// --partition=<the type's partition>. The task's results go to
// <results>/<type>-<job>_<task>.txt and its log to the same name with
// .log.
//
// Every value from s goes into the script quoted for the shell (the exec
// line) or on a line of its own that sh reads as a comment (#SBATCH);
// s.Check refuses the values no quoting makes safe (a newline above all),
// so the script runs no command but the one exec.
func SlurmScript(s Spec, instance, arch string) string {
	var b strings.Builder
	sel := "--constraint=" + instance
	if s.Partition != "" {
		sel = "--partition=" + PartitionOf(s.Partition, instance)
	}
	bin := ForArch(s.Binary, arch)
	res := s.Results
	if res == "" {
		res = "results"
	}
	fmt.Fprintf(&b, "#!/bin/sh\n")
	fmt.Fprintf(&b, "# ppbench fleet: %d launch(es) of %s (%s), each alone on its node.\n", s.Launches, instance, arch)
	fmt.Fprintf(&b, "# Submit from the directory that holds %s/ (sbatch runs the job there).\n", res)
	fmt.Fprintf(&b, "#SBATCH --job-name=%s\n", JobName(instance))
	fmt.Fprintf(&b, "#SBATCH --array=1-%d\n", s.Launches)
	fmt.Fprintf(&b, "#SBATCH %s\n", sel)
	fmt.Fprintf(&b, "#SBATCH --exclusive\n")
	fmt.Fprintf(&b, "#SBATCH --nodes=1\n")
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	fmt.Fprintf(&b, "#SBATCH --output=%s/%s-%%A_%%a.log\n", res, instance)
	for _, a := range s.SbatchArgs {
		fmt.Fprintf(&b, "#SBATCH %s\n", a)
	}
	// The batch step has every CPU of the exclusive node: ppbench run's
	// threads=all is the whole host.
	args := []string{shellQuote(bin), "fleet", "task", "-type", shellQuote(instance)}
	if s.NoTypeCheck {
		args = append(args, "-no-type-check")
	}
	// The results path is the one word with an expansion: the fixed
	// part quoted (syntax.Quote), the job and task ids in double quotes.
	prefix := res + "/" + instance + "-"
	if q := shellQuote(prefix); q == prefix {
		args = append(args, "-o", `"`+prefix+`${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.txt"`)
	} else {
		args = append(args, "-o", q+`"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}".txt`)
	}
	if len(s.RunArgs) > 0 {
		args = append(args, "--")
		for _, a := range s.RunArgs {
			args = append(args, shellQuote(a))
		}
	}
	fmt.Fprintf(&b, "exec %s\n", strings.Join(args, " "))
	return b.String()
}

// ScriptName is the file SlurmScript's script is written to.
func ScriptName(instance string) string { return "ppbench-" + instance + ".sbatch" }

// A Submitted array: its type, job id and number of tasks.
type Submitted struct {
	Type  string
	JobID string
	Tasks int
}

// A TaskError is a task that did not leave a results file behind, or that
// could not be started, in one line naming its type and task.
type TaskError struct {
	Type string
	Task string // "2", "1-3" for a whole array, "" when not known
	Job  string // Slurm job id or Kubernetes Job name; may be empty
	Msg  string
}

func (e *TaskError) Error() string {
	s := e.Type
	if e.Task != "" {
		s += " task " + e.Task
	}
	if e.Job != "" {
		s += " (job " + e.Job + ")"
	}
	return s + ": " + e.Msg
}

// SubmitSlurm writes each type's script to dir and submits it with sbatch
// from the current directory, creating s.Results first (Slurm does not
// create the log's directory). The scripts are written with s.WriteFile,
// ppbench's safe writer, or writeFileNoFollow when it is nil: never
// through a symlink or into a special file. It returns the arrays submitted and one
// TaskError per type that could not be.
func SubmitSlurm(ctx context.Context, run Exec, s Spec, archOf func(string) string, dir string) ([]Submitted, []error) {
	var subs []Submitted
	var errs []error
	res := s.Results
	if res == "" {
		res = "results"
	}
	if err := os.MkdirAll(res, 0o755); err != nil {
		return nil, []error{err}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, []error{err}
	}
	tasks := "1-" + strconv.Itoa(s.Launches)
	write := s.WriteFile
	if write == nil {
		write = writeFileNoFollow
	}
	for _, t := range s.Types {
		path := filepath.Join(dir, ScriptName(t))
		if err := write(path, []byte(SlurmScript(s, t, archOf(t))), 0o755); err != nil {
			errs = append(errs, &TaskError{Type: t, Task: tasks, Msg: err.Error()})
			continue
		}
		out, err := run(ctx, "sbatch", "--parsable", path)
		if err != nil {
			errs = append(errs, &TaskError{Type: t, Task: tasks, Msg: "not submitted: " + err.Error()})
			continue
		}
		id := strings.TrimSpace(string(out))
		id, _, _ = strings.Cut(id, ";") // "12;cluster" on multi-cluster setups
		if _, err := strconv.Atoi(id); err != nil {
			errs = append(errs, &TaskError{Type: t, Task: tasks, Msg: fmt.Sprintf("sbatch printed %q, not a job id", strings.TrimSpace(string(out)))})
			continue
		}
		subs = append(subs, Submitted{Type: t, JobID: id, Tasks: s.Launches})
	}
	return subs, errs
}

// A Task is one array task as squeue or sacct last saw it.
type Task struct {
	Type   string
	JobID  string // the array's job id
	Task   int
	State  string // PENDING, RUNNING, COMPLETED, FAILED, ...
	Reason string // squeue's reason for a pending task; sacct's exit code for a finished one
}

// ID is Slurm's name of the task, <job>_<task>.
func (t Task) ID() string { return t.JobID + "_" + strconv.Itoa(t.Task) }

// Done reports a state the task will not leave.
func (t Task) Done() bool {
	switch t.State {
	case "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
		"RESIZING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD", "SPECIAL_EXIT", "":
		return false
	}
	return true
}

// parseTasks reads "jobid_task|name|state|reason" lines (squeue -r -o
// '%i|%j|%T|%r', sacct -P -o JobID,JobName,State,ExitCode). Lines of job
// steps (12_1.batch) and of arrays not yet split (12_[1-3]) are skipped:
// squeue -r lists every pending task on its own.
func parseTasks(out []byte) []Task {
	var ts []Task
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Split(strings.TrimSpace(line), "|")
		if len(f) < 3 {
			continue
		}
		job, task, ok := strings.Cut(f[0], "_")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(task)
		if err != nil {
			continue
		}
		t := Task{Type: TypeOfJobName(f[1]), JobID: job, Task: n, State: strings.Fields(f[2] + " ")[0]}
		if len(f) > 3 {
			t.Reason = f[3]
		}
		ts = append(ts, t)
	}
	return ts
}

// SlurmPoll asks squeue (every state, array tasks one per line) for the
// tasks of jobs and, for a job squeue does not list or a task of known
// that it no longer lists (slurmctld forgets finished jobs after
// MinJobAge), sacct. It returns the tasks sorted by job and task; an error
// when neither knows a job or task still unfinished.
func SlurmPoll(ctx context.Context, run Exec, jobs []string, known []Task) ([]Task, error) {
	out, err := run(ctx, "squeue", "-h", "-r", "-t", "all", "-j", strings.Join(jobs, ","), "-o", "%i|%j|%T|%r")
	if err != nil && !strings.Contains(err.Error(), "Invalid job id") {
		return nil, err
	}
	ts := parseTasks(out)
	seenJob, seenTask := map[string]bool{}, map[string]bool{}
	for _, t := range ts {
		seenJob[t.JobID], seenTask[t.ID()] = true, true
	}
	var ask []string
	asked := map[string]bool{}
	for _, j := range jobs {
		if !seenJob[j] {
			ask, asked[j] = append(ask, j), true
		}
	}
	var missing []Task // known tasks squeue lost
	for _, t := range known {
		if seenTask[t.ID()] {
			continue
		}
		if t.Done() {
			ts, seenTask[t.ID()] = append(ts, t), true // squeue forgot it after it ended
			continue
		}
		missing = append(missing, t)
		if !asked[t.JobID] {
			ask, asked[t.JobID] = append(ask, t.JobID), true
		}
	}
	if len(ask) > 0 {
		out, err := run(ctx, "sacct", "-n", "-P", "-X", "-j", strings.Join(ask, ","), "-o", "JobID,JobName,State,ExitCode")
		if err != nil {
			return ts, fmt.Errorf("job %s: not in squeue, and sacct cannot say how it ended: %v", strings.Join(ask, ","), err)
		}
		for _, t := range parseTasks(out) {
			if !seenTask[t.ID()] {
				ts = append(ts, t)
				seenJob[t.JobID], seenTask[t.ID()] = true, true
			}
		}
		for _, j := range ask {
			if !seenJob[j] {
				return ts, fmt.Errorf("job %s: neither squeue nor sacct knows it", j)
			}
		}
		for _, t := range missing {
			if !seenTask[t.ID()] {
				return ts, fmt.Errorf("%s task %d (job %s): %s, then neither squeue nor sacct knew it", t.Type, t.Task, t.ID(), t.State)
			}
		}
	}
	sort.Slice(ts, func(i, k int) bool {
		if ts[i].JobID != ts[k].JobID {
			return jobLess(ts[i].JobID, ts[k].JobID)
		}
		return ts[i].Task < ts[k].Task
	})
	return ts, nil
}

func jobLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// WaitOptions tune WaitSlurm.
type WaitOptions struct {
	Results  string        // where the tasks write their results ("results")
	Interval time.Duration // between polls (10s when 0)
	Timeout  time.Duration // give up on unfinished tasks after it; 0 waits for ever
	// Progress is called after each poll with the tasks seen.
	Progress func([]Task)
}

// WaitSlurm polls jobs until every task has finished or opts.Timeout has
// passed. It returns the last tasks seen and a TaskError for each task
// that failed, finished without a results file, or had not finished in
// time; an error of its own when the scheduler could not be asked. It
// never removes a file.
func WaitSlurm(ctx context.Context, run Exec, jobs []string, opts WaitOptions) ([]Task, []error, error) {
	interval := opts.Interval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	res := opts.Results
	if res == "" {
		res = "results"
	}
	var deadline <-chan time.Time
	if opts.Timeout > 0 {
		t := time.NewTimer(opts.Timeout)
		defer t.Stop()
		deadline = t.C
	}
	var ts []Task
	timedOut := false
	for {
		var err error
		ts, err = SlurmPoll(ctx, run, jobs, ts)
		if err != nil {
			return ts, nil, err
		}
		if opts.Progress != nil {
			opts.Progress(ts)
		}
		done := true
		for _, t := range ts {
			done = done && t.Done()
		}
		if done || timedOut {
			break
		}
		select {
		case <-ctx.Done():
			return ts, nil, ctx.Err()
		case <-deadline:
			timedOut = true
		case <-time.After(interval):
		}
	}
	var errs []error
	for _, t := range ts {
		name := t.Type
		if name == "" {
			name = "job " + t.JobID
		}
		file := filepath.Join(res, ResultsName(t.Type, t.JobID, t.Task))
		log := filepath.Join(res, t.Type+"-"+t.ID()+".log")
		e := &TaskError{Type: name, Task: strconv.Itoa(t.Task), Job: t.ID()}
		switch {
		case !t.Done():
			why := ""
			if t.State == "PENDING" {
				why = ": no node of the type came up"
				if t.Reason != "" && t.Reason != "None" {
					why = " (" + t.Reason + "): no node of the type came up"
				}
			}
			e.Msg = fmt.Sprintf("still %s after %v%s", t.State, opts.Timeout, why)
		case t.State != "COMPLETED":
			e.Msg = t.State
			if t.Reason != "" && t.Reason != "0:0" && t.Reason != "None" {
				e.Msg += " (" + t.Reason + ")"
			}
			e.Msg += "; see " + log
		default:
			if _, err := os.Stat(file); err != nil {
				e.Msg = "completed but left no " + file + "; see " + log
			}
		}
		if e.Msg != "" {
			errs = append(errs, e)
		}
	}
	return ts, errs, nil
}

// writeFileNoFollow writes data to path the way ppbench's safe writer
// (cmd/ppbench/output.go) does, for callers of SubmitSlurm that give none:
// path must be absent or a regular file, and the data goes to a
// temporary file beside it renamed into place, so a symlink planted at
// path is replaced, never written through.
func writeFileNoFollow(path string, data []byte, perm os.FileMode) error {
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() {
		return fmt.Errorf("%s: is %v, not a regular file; not replaced", path, info.Mode().Type())
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
