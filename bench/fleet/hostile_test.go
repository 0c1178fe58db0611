package fleet

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// canary is the file an injected command creates; no generated script
// may create it.
const canary = "PWNED"

// hostileValues are values that run `touch PWNED` when pasted into a
// script unquoted, inside double quotes, or on a line of their own.
var hostileValues = []string{
	"r$(touch " + canary + ")",
	"r`touch " + canary + "`",
	"r\ntouch " + canary + "\n#",
	"--time=60\ntouch " + canary,
	"q\ntouch " + canary,
	"r\rtouch " + canary,
	"'; touch " + canary + "; '",
	`"; touch ` + canary + `; "`,
	`\"$(touch ` + canary + `)\"`,
	"$(touch${IFS}" + canary + ")",
	"`touch${IFS}" + canary + "`",
	"x;touch${IFS}" + canary,
	"x|touch${IFS}" + canary,
	"x&&touch${IFS}" + canary,
	"${x:=$(touch${IFS}" + canary + ")}",
	"*", "~", "-a", "--", "a=b", "-o", "x\x00y", "\xff", "é{arch}{type}{type-}",
	"", " ", "#", "'", `"`, `\`, "a'b\"c",
}

// checkScript parses script with mvdan.cc/sh and checks that it holds
// only what SlurmScript means to write: comment lines and one exec whose
// words expand, with only the job and task ids, to want.
func checkScript(t testing.TB, script string, want []string) {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(script), "")
	if err != nil {
		t.Fatalf("script does not parse: %v\n%s", err, script)
	}
	if len(f.Stmts) != 1 {
		t.Fatalf("%d statements, want the exec alone:\n%s", len(f.Stmts), script)
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(st.Redirs) > 0 || st.Background || st.Negated || len(call.Assigns) > 0 {
		t.Fatalf("the statement is not a plain command:\n%s", script)
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CmdSubst, *syntax.ProcSubst, *syntax.ArithmExp, *syntax.ExtGlob, *syntax.BraceExp:
			t.Fatalf("script has a %T:\n%s", n, script)
		case *syntax.ParamExp:
			if n.Param == nil || (n.Param.Value != "SLURM_ARRAY_JOB_ID" && n.Param.Value != "SLURM_ARRAY_TASK_ID") ||
				n.Exp != nil || n.Repl != nil || n.Slice != nil || n.Index != nil || n.Length || n.Excl {
				t.Fatalf("script expands more than the job and task ids:\n%s", script)
			}
		}
		return true
	})
	cfg := &expand.Config{Env: expand.ListEnviron("SLURM_ARRAY_JOB_ID=7", "SLURM_ARRAY_TASK_ID=3")}
	got, err := expand.Fields(cfg, call.Args...)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0] != "exec" || !slices.Equal(got[1:], want) {
		t.Fatalf("exec words\n%q\nwant\n%q\nscript:\n%s", got, want, script)
	}
	for _, l := range strings.Split(strings.TrimSuffix(script, "\n"), "\n") {
		if !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "exec ") {
			t.Fatalf("line %q is neither a comment nor the exec:\n%s", l, script)
		}
	}
}

// wantArgs is the command line the task of s runs.
func wantArgs(s Spec, instance, arch string) []string {
	res := s.Results
	if res == "" {
		res = "results"
	}
	w := []string{ForArch(s.Binary, arch), "fleet", "task", "-type", instance}
	if s.NoTypeCheck {
		w = append(w, "-no-type-check")
	}
	w = append(w, "-o", res+"/"+instance+"-7_3.txt")
	if len(s.RunArgs) > 0 {
		w = append(append(w, "--"), s.RunArgs...)
	}
	return w
}

// hostileSpecs returns a spec per flag with v in that flag.
func hostileSpecs(v string) map[string]Spec {
	base := func() Spec {
		return Spec{Types: []string{"c7g.large"}, Launches: 1, Results: "results", Binary: "/bin/true",
			RunArgs: []string{"-short"}, Image: "img", ID: "f1", Namespace: "ns"}
	}
	m := map[string]Spec{}
	s := base()
	s.Results = v
	m["-results"] = s
	s = base()
	s.Binary = v
	m["-binary"] = s
	s = base()
	s.Partition = v
	m["-partition"] = s
	s = base()
	s.SbatchArgs = []string{v}
	m["-sbatch"] = s
	s = base()
	s.RunArgs = []string{"-bench", v}
	m["run flag"] = s
	s = base()
	s.Types = []string{v}
	m["instance type"] = s
	s = base()
	s.Image = v
	m["-image"] = s
	s = base()
	s.ID = v
	m["-id"] = s
	s = base()
	s.Namespace = v
	m["-namespace"] = s
	s = base()
	s.CPURequest = v
	m["-cpu-request"] = s
	return m
}

// Finding 1 of issue 23: hostile values in every flag either are refused
// in one line naming the flag, or make a script that, run by a real sh,
// runs the one command ppbench meant with exactly the words meant, and
// creates no canary.
func TestSlurmScriptHostileValues(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	// The binary records its arguments, NUL-separated.
	rec := filepath.Join(dir, "rec.sh")
	if err := os.WriteFile(rec, []byte("#!/bin/sh\nprintf '%s\\0' \"$0\" \"$@\" > \"$REC_OUT\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	os.Mkdir(work, 0o755)
	for _, v := range hostileValues {
		for flag, s := range hostileSpecs(v) {
			if err := s.Check(); err != nil {
				msg := err.Error()
				if strings.Contains(msg, "\n") || !strings.Contains(msg, flag) {
					t.Errorf("%s %q: error %q is not one line naming the flag", flag, v, msg)
				}
				continue
			}
			if flag != "-binary" {
				s.Binary = rec
			}
			inst := s.Types[0]
			script := SlurmScript(s, inst, "arm64")
			want := wantArgs(s, inst, "arm64")
			checkScript(t, script, want)

			out := filepath.Join(dir, "args")
			os.Remove(out)
			cmd := exec.Command(sh, "-c", script)
			cmd.Dir = work
			cmd.Env = []string{"PATH=/usr/bin:/bin", "SLURM_ARRAY_JOB_ID=7", "SLURM_ARRAY_TASK_ID=3", "REC_OUT=" + out}
			cmd.Run() // -binary's hostile values name no program: the exec fails
			if _, err := os.Stat(filepath.Join(work, canary)); err == nil {
				t.Fatalf("%s %q: the script ran an injected command:\n%s", flag, v, script)
			}
			if flag == "-binary" {
				continue
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("%s %q: the script did not run the binary: %v\n%s", flag, v, err, script)
			}
			got := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
			if !slices.Equal(got, want) {
				t.Errorf("%s %q: arguments\n%q\nwant\n%q", flag, v, got, want)
			}
		}
	}
}

// Finding 1, Kubernetes: a hostile value is refused in one line naming
// its flag, or lands in the manifest as exactly that string, in the one
// field it belongs to (the Job has no shell command to escape from).
func TestKubeJobsHostileValues(t *testing.T) {
	cat := catalog(t)
	for _, v := range hostileValues {
		for flag, s := range hostileSpecs(v) {
			if err := s.Check(); err != nil {
				if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, flag) {
					t.Errorf("%s %q: error %q is not one line naming the flag", flag, v, msg)
				}
				continue
			}
			checkKube(t, s, cat)
		}
	}
}

// checkKube checks that s's manifest decodes to the Jobs meant.
func checkKube(t testing.TB, s Spec, cat interface{}) {
	t.Helper()
	if s.CPURequest == "" {
		s.CPURequest = "1"
	}
	jobs, err := KubeJobs(s, nil)
	if err != nil {
		return // a spec KubeJobs refuses writes nothing
	}
	b, err := KubeList(jobs)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(b, []byte("\n")) != bytes.Count(bytes.TrimRight(b, "\n"), []byte("\n"))+1 {
		t.Fatalf("manifest does not end in one newline")
	}
	var l List
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		t.Fatalf("manifest does not decode: %v\n%s", err, b)
	}
	if dec.More() {
		t.Fatalf("more than one document:\n%s", b)
	}
	if len(l.Items) != len(s.Types)*s.Launches {
		t.Fatalf("%d Jobs", len(l.Items))
	}
	for _, j := range l.Items {
		c := j.Spec.Template.Spec.Containers
		if len(c) != 1 {
			t.Fatalf("%d containers", len(c))
		}
		want := []string{"fleet", "task", "-type", j.Metadata.Labels[LabelInstanceType]}
		if s.NoTypeCheck {
			want = append(want, "-no-type-check")
		}
		want = append(want, "-o", "-")
		if len(s.RunArgs) > 0 {
			want = append(append(want, "--"), s.RunArgs...)
		}
		if !slices.Equal(c[0].Args, want) || c[0].Image != ForArch(s.Image, j.Spec.Template.Spec.NodeSelector[NodeArch]) ||
			j.Metadata.Namespace != s.Namespace || j.Metadata.Labels[LabelFleet] != s.ID {
			t.Fatalf("Job %+v does not hold the values given", j)
		}
	}
}

// Finding 2 of issue 23: SubmitSlurm's scripts never go through a
// symlink planted where a script is written.
func TestSubmitSlurmNoFollow(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile("victim", []byte("hi\n"), 0o644)
	os.Mkdir("jobs", 0o755)
	abs, _ := filepath.Abs("victim")
	if err := os.Symlink(abs, filepath.Join("jobs", ScriptName("c7g.xlarge"))); err != nil {
		t.Fatal(err)
	}
	s := goldenSpec()
	f := &fake{out: map[string][]string{"sbatch": {"41\n", "42\n"}}}
	_, errs := SubmitSlurm(context.Background(), f.run, s, ArchOfName, "jobs")
	if b, _ := os.ReadFile("victim"); string(b) != "hi\n" {
		t.Fatalf("written through the symlink: %q", b)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "not a regular file") {
		t.Errorf("errors %v", errs)
	}
}

// Finding 6 of issue 23: -launches is bounded.
func TestSpecCheckLaunchesBound(t *testing.T) {
	s := Spec{Types: []string{"c7g.xlarge"}, Launches: 1e9}
	if err := s.Check(); err == nil || !strings.Contains(err.Error(), "at most 1000") {
		t.Errorf("1e9 launches: %v", err)
	}
}

// FuzzFleetScripts generates the sbatch script and the Kubernetes Jobs
// of specs with fuzzed values in every flag, and checks that each is
// refused or makes a script of the one exec meant and manifests that
// hold each value where it belongs.
func FuzzFleetScripts(f *testing.F) {
	for _, v := range hostileValues {
		f.Add(v, "/bin/ppbench", "", "--time=60", "-short", "c7g.large", "img", "f1", "ns", "", false)
		f.Add("results", v, v, v, v, "c7g.large", v, v, v, v, true)
	}
	f.Fuzz(func(t *testing.T, results, binary, partition, sbatch, runArg, typ, image, id, ns, cpu string, noCheck bool) {
		s := Spec{Types: []string{typ}, Launches: 2, Results: results, Binary: binary, Partition: partition,
			SbatchArgs: []string{sbatch}, RunArgs: []string{"-bench", runArg}, NoTypeCheck: noCheck,
			Image: image, ID: id, Namespace: ns, CPURequest: cpu}
		if err := s.Check(); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		for _, arch := range []string{"arm64", "amd64"} {
			checkScript(t, SlurmScript(s, typ, arch), wantArgs(s, typ, arch))
		}
		if id != "" && image != "" {
			checkKube(t, s, nil)
		}
	})
}
