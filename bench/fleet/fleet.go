// Package fleet runs ppbench on many instance types through the schedulers
// clouds already run, instead of a provisioner of its own: Slurm (AWS
// ParallelCluster, Google Cloud's Cluster Toolkit, Azure CycleCloud give
// each instance type as a node feature or a partition) and Kubernetes
// (Karpenter on EKS, node auto-provisioning on GKE and AKS start a node of
// the type a Job's node selector names).
//
// A fleet is a list of instance types and a number of launches of each.
// For Slurm it is one job array per type, one exclusive node per task; for
// Kubernetes one Job per type and launch. Every task runs `ppbench fleet
// task`, which checks that the host is the type it was sent to (Check)
// before `ppbench run` labels results with it. Each task's results go to
// results/<type>-<job>_<task>.txt, the same name on both engines.
//
// The package writes job definitions and follows them with the engines'
// own command-line tools (sbatch, squeue, sacct, kubectl); it has no
// client library of either.
package fleet

import (
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/seeds"
	"mvdan.cc/sh/v3/syntax"
)

// Engines.
const (
	Slurm      = "slurm"
	Kubernetes = "kubernetes"
)

// ArchPlaceholder in a binary path or image name stands for the instance
// type's architecture, "arm64" or "amd64" (Go's names, as `make dist`
// names the binaries and Docker's TARGETARCH names images).
const ArchPlaceholder = "{arch}"

// Spec is one fleet.
type Spec struct {
	Types    []string // instance types, each a schema.CheckName name
	Launches int      // tasks per type, >= 1

	// RunArgs are `ppbench run` flags passed to every task (-short,
	// -count ...), without -instance and -o, which the fleet sets.
	RunArgs []string
	// NoTypeCheck turns the task's check of the host's type off: results
	// are labelled with the type asked for whatever the host is (tests on
	// a machine that is none of the types).
	NoTypeCheck bool
	// Results is the directory the results files go to, relative to the
	// job's working directory (the one sbatch ran in) or absolute.
	Results string

	// Slurm: Binary is the ppbench binary as the compute nodes see it,
	// with ArchPlaceholder for the architecture; Partition, when not
	// empty, selects nodes by partition instead of by --constraint: its
	// TypePlaceholder becomes the type, TypeDashPlaceholder the type with
	// '.' and '_' as '-' (partition names such as ParallelCluster's
	// queues allow no dots).
	Binary    string
	Partition string
	// Extra #SBATCH lines, e.g. "--time=30" or "--account=perf".
	SbatchArgs []string
	// WriteFile writes SubmitSlurm's scripts: ppbench gives it the safe
	// writer `report -o` uses (no links, no special files, temp +
	// rename); nil means a writer of the same rules in this package.
	WriteFile func(path string, data []byte, perm os.FileMode) error

	// Kubernetes: Image is the container image, with ArchPlaceholder for
	// the architecture when there is one image per architecture; ID names
	// the fleet (the <job> of the results files); Namespace is where the
	// Jobs go ("" for kubectl's current one); CPURequest overrides the
	// CPU request computed from the catalog (Kubernetes quantity, e.g.
	// "3500m").
	Image      string
	ID         string
	Namespace  string
	CPURequest string
}

// Check validates s.
func (s Spec) Check() error {
	if len(s.Types) == 0 {
		return errors.New("no instance types")
	}
	seen := map[string]bool{}
	for _, t := range s.Types {
		if err := schema.CheckName(t); err != nil {
			return fmt.Errorf("instance type: %v", err)
		}
		if seen[t] {
			return fmt.Errorf("instance type %s given twice", t)
		}
		seen[t] = true
	}
	if s.Launches < 1 {
		return fmt.Errorf("%d launches: want at least 1", s.Launches)
	}
	for _, a := range s.RunArgs {
		if f := flagName(a); f == "instance" || f == "o" {
			return fmt.Errorf("run flag %s: the fleet sets -%s itself", a, f)
		}
	}
	if s.Launches > MaxLaunches {
		return fmt.Errorf("-launches %d: at most %d per type", s.Launches, MaxLaunches)
	}
	return s.checkValues()
}

// MaxLaunches bounds -launches: a Slurm array or a set of Jobs this
// large is a typo, not a fleet (each launch is a node).
const MaxLaunches = 1000

// checkValues checks every value that lands in a job script or manifest.
// A value is never trusted to be harmless: each is quoted for the shell
// (SlurmScript) or encoded as a JSON string (KubeJobs), and here refused
// when it holds what no quoting carries safely: a newline, a carriage
// return or a NUL (a newline ends an #SBATCH or comment line, and POSIX
// sh has no way to write a NUL), any other control character or invalid
// UTF-8 (syntax.Quote cannot quote them for POSIX sh). Values that
// sbatch reads on an #SBATCH line (-results, -partition) also may not
// hold white space or quotes, which sbatch would split or strip, and
// -binary may not start with '-', which exec would take for an option.
// Kubernetes names and the fleet id must be what the API accepts, since
// the id is also pasted into kubectl's label selector.
func (s Spec) checkValues() error {
	check := func(flag, v string) error {
		if i := strings.IndexAny(v, "\n\r\x00"); i >= 0 {
			return fmt.Errorf("%s %q: holds a newline, carriage return or NUL, which no job script can carry", flag, v)
		}
		if _, err := syntax.Quote(v, syntax.LangPOSIX); err != nil {
			return fmt.Errorf("%s %q: holds a control character or invalid UTF-8, which a POSIX shell cannot quote", flag, v)
		}
		return nil
	}
	vals := []struct{ flag, v string }{
		{"-results", s.Results}, {"-binary", s.Binary}, {"-partition", s.Partition},
		{"-image", s.Image}, {"-id", s.ID}, {"-namespace", s.Namespace}, {"-cpu-request", s.CPURequest},
	}
	for _, a := range s.SbatchArgs {
		vals = append(vals, struct{ flag, v string }{"-sbatch", a})
	}
	for _, a := range s.RunArgs {
		vals = append(vals, struct{ flag, v string }{"run flag", a})
	}
	for _, x := range vals {
		if err := check(x.flag, x.v); err != nil {
			return err
		}
	}
	for _, x := range vals[:3] {
		if strings.ContainsAny(x.v, " \t\"'`\\") {
			return fmt.Errorf("%s %q: holds white space, a quote or a backslash, which an #SBATCH line cannot carry", x.flag, x.v)
		}
	}
	if strings.HasPrefix(s.Binary, "-") {
		return fmt.Errorf("-binary %q: want a path, not something that starts with '-'", s.Binary)
	}
	if s.ID != "" && !kubeLabelValue.MatchString(s.ID) {
		return fmt.Errorf("-id %q: want at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (a Kubernetes label value)", s.ID)
	}
	if s.Namespace != "" && !kubeDNSLabel.MatchString(s.Namespace) {
		return fmt.Errorf("-namespace %q: want a DNS label: at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit", s.Namespace)
	}
	if s.CPURequest != "" && !kubeCPU.MatchString(s.CPURequest) {
		return fmt.Errorf("-cpu-request %q: want a CPU quantity such as 4, 3.5 or 3500m", s.CPURequest)
	}
	if strings.ContainsAny(s.Image, " \t") {
		return fmt.Errorf("-image %q: holds white space, which no image reference does", s.Image)
	}
	return nil
}

var (
	kubeLabelValue = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$`)
	kubeDNSLabel   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	kubeCPU        = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]{1,3}|m)?$`)
)

// flagName returns the name of a flag argument ("-count=3" -> "count"),
// "" for one that is not a flag.
func flagName(arg string) string {
	if !strings.HasPrefix(arg, "-") || arg == "-" || arg == "--" {
		return ""
	}
	f := strings.TrimLeft(arg, "-")
	if i := strings.IndexByte(f, '='); i >= 0 {
		f = f[:i]
	}
	return f
}

// ResultsName is the results file of one task: <type>-<job>_<task>.txt.
func ResultsName(instance, job string, task int) string {
	return fmt.Sprintf("%s-%s_%d.txt", instance, job, task)
}

// ResultsPath is ResultsName under dir (slash-separated, as the job
// scripts and manifests use it).
func ResultsPath(dir, instance, job string, task int) string {
	return path.Join(dir, ResultsName(instance, job, task))
}

// Arch returns the architecture of an instance type, "arm64" or "amd64":
// the catalog's (seeds prices.csv arch column) when cat has the type, else
// by the name (ArchOfName).
func Arch(cat *seeds.Catalog, instance string) string {
	if cat != nil {
		if p, ok := cat.Instance(instance); ok {
			if a := seeds.GoArch(p.Arch); a != "" {
				return a
			}
		}
	}
	return ArchOfName(instance)
}

// ArchOfName guesses the architecture from the name alone, for types the
// catalog does not list. The rule: on AWS a family whose letters after the
// generation digit include 'g' is Graviton (c7g, m7gd, c7gn, x2gd, t4g,
// im4gn; g5g too), and so is a1 (the first Graviton); on GCP the Arm
// families are c4a, t2a and n4a (Axion, Ampere Altra); on Azure a 'p'
// among the size's feature letters is Arm (Standard_D4ps_v6, Cobalt and
// Ampere), and so are the Grace-based GB200/GB300 sizes. Everything else
// is amd64.
func ArchOfName(instance string) string {
	n := schema.ParseInstance(instance)
	switch n.Provider {
	case schema.AWS:
		f := n.Family
		if i := strings.IndexByte(f, '-'); i >= 0 {
			f = f[:i] // p6-b200 -> p6
		}
		if f == "a1" {
			return "arm64"
		}
		if i := strings.IndexAny(f, "0123456789"); i >= 0 {
			if strings.Contains(strings.TrimLeft(f[i:], "0123456789"), "g") {
				return "arm64"
			}
		}
	case schema.GCP:
		switch n.Family {
		case "c4a", "t2a", "n4a":
			return "arm64"
		}
	case schema.Azure:
		if strings.Contains(instance, "_GB200") || strings.Contains(instance, "_GB300") {
			return "arm64"
		}
		// Standard_D4ps_v6: series letter, vCPUs, feature letters.
		parts := strings.Split(instance, "_")
		if len(parts) >= 2 {
			size := strings.TrimLeft(parts[1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
			size = strings.TrimLeft(size, "0123456789-")
			if strings.Contains(size, "p") {
				return "arm64"
			}
		}
	}
	return "amd64"
}

// Placeholders in Spec.Partition.
const (
	TypePlaceholder     = "{type}"
	TypeDashPlaceholder = "{type-}"
)

// PartitionOf fills in pattern's type placeholders for instance.
func PartitionOf(pattern, instance string) string {
	dash := strings.NewReplacer(".", "-", "_", "-").Replace(instance)
	return strings.NewReplacer(TypeDashPlaceholder, dash, TypePlaceholder, instance).Replace(pattern)
}

// ForArch fills in ArchPlaceholder.
func ForArch(s, arch string) string { return strings.ReplaceAll(s, ArchPlaceholder, arch) }

// shellQuote quotes s for a POSIX shell when it needs it, with
// mvdan.cc/sh's syntax.Quote. Spec.Check refuses the values it cannot
// quote (control characters, invalid UTF-8); should one reach here
// unchecked, it is quoted with those bytes as '?', never pasted raw.
func shellQuote(s string) string {
	q, err := syntax.Quote(s, syntax.LangPOSIX)
	if err == nil {
		return q
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	if q, err := syntax.Quote(s, syntax.LangPOSIX); err == nil {
		return q
	}
	return "'?'"
}
