package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMECommands runs every ppbench command README.md shows that
// needs no cloud, scheduler or network, as shown, in a folder laid out as
// the repository is (results/ holding a small fleet's files), and checks
// that each works and its output has the shape the README says. Commands
// for Slurm, Kubernetes clusters and remote hosts are only checked to
// name a real command. (The first-hour review found README examples that
// printed nothing useful, and a go test route the report refused.)
func TestREADMECommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	copyTo := func(src, dst string) {
		t.Helper()
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, dst)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"c7g-launch-a.txt", "c8g.txt", "c7i.txt"} {
		copyTo(reportTestdata+f, "results/"+f)
		copyTo(reportTestdata+f, "report/testdata/"+f)
	}
	copyTo(reportTestdata+"unknown.txt", "run.txt")
	examples, _ := filepath.Glob("../../docs/examples/*.txt")
	for _, f := range examples {
		copyTo(f, "docs/examples/"+filepath.Base(f))
	}
	t.Chdir(dir)

	ran := 0
	for _, line := range readmeCommands(string(readme)) {
		args, out := shellWords(line)
		if len(args) == 0 || (args[0] != "ppbench" && args[0] != "bin/ppbench") {
			continue
		}
		args = args[1:]
		if len(args) > 0 && strings.HasSuffix(args[0], ":") {
			continue // what a command printed, shown after it
		}
		if len(args) == 0 {
			t.Errorf("README: %q names no command", line)
			continue
		}
		if _, ok := commands[args[0]]; !ok {
			t.Errorf("README: %q: no command %q", line, args[0])
			continue
		}
		if !runnableHere(args) {
			continue
		}
		var expanded []string
		for _, a := range args {
			if strings.ContainsAny(a, "*") && !strings.HasPrefix(a, "-") {
				m, _ := filepath.Glob(a)
				if len(m) == 0 {
					t.Fatalf("README: %q: %s matches no file here", line, a)
				}
				expanded = append(expanded, m...)
				continue
			}
			expanded = append(expanded, a)
		}
		var stdout, stderr bytes.Buffer
		code := mainExit(expanded, &stdout, &stderr)
		ran++
		if code != 0 {
			t.Errorf("README: %q: exit %d\n%s", line, code, stderr.String())
			continue
		}
		checkREADMEOutput(t, line, expanded, stdout.String(), stderr.String())
		if out != "" && stdout.Len() == 0 {
			t.Errorf("README: %q: nothing to write to %s", line, out)
		}
	}
	if ran < 8 {
		t.Errorf("ran %d README commands, want the report, prices, claims and version examples", ran)
	}
}

// runnableHere reports whether a README command runs without a cloud,
// a scheduler or the network.
func runnableHere(args []string) bool {
	switch args[0] {
	case "report", "prices", "claims", "version", "host":
		return len(args) < 2 || args[1] != "update"
	case "fleet":
		// Writing Kubernetes Jobs needs nothing; submitting, waiting
		// and collecting need a cluster.
		return strings.Contains(strings.Join(args, " "), "-engine kubernetes") && !strings.Contains(strings.Join(args, " "), "-submit")
	}
	return false
}

// checkREADMEOutput checks an example's output has the shape README
// promises.
func checkREADMEOutput(t *testing.T, line string, args []string, stdout, stderr string) {
	t.Helper()
	joined := strings.Join(args, " ")
	switch {
	case args[0] == "report" && strings.Contains(joined, "-format csv"):
		if !strings.HasPrefix(stdout, "table,") {
			t.Errorf("README: %q: not CSV: %.80q", line, stdout)
		}
	case args[0] == "report" && strings.Contains(joined, "-o "):
		if _, err := os.Stat(args[slicesIndex(args, "-o")+1]); err != nil {
			t.Errorf("README: %q: wrote no report: %v", line, err)
		}
	case args[0] == "report":
		if !strings.HasPrefix(stdout, "# ppbench report") {
			t.Errorf("README: %q: no report on stdout: %.80q", line, stdout)
		}
	case args[0] == "version":
		if !strings.HasPrefix(stdout, "ppbench ") {
			t.Errorf("README: %q: %q", line, stdout)
		}
	case args[0] == "fleet":
		if !strings.Contains(stdout, `"kind": "Job"`) {
			t.Errorf("README: %q: no Kubernetes Jobs: %.80q", line, stdout)
		}
	default:
		if stdout == "" {
			t.Errorf("README: %q: printed nothing", line)
		}
	}
	// The spot example prices its baseline and ranks (finding 7: it
	// printed no per-dollar figure at all).
	if strings.Contains(joined, "-price-type spot") && (strings.Contains(stderr, "c7g.xlarge (no spot price") || strings.Contains(stdout, "Nothing to rank")) {
		t.Errorf("README: %q: no per-dollar figures:\n%s", line, stderr)
	}
}

func slicesIndex(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// readmeCommands returns the lines of README's fenced blocks, with "\"
// continuations joined, a "$ " prompt and trailing "  # comments" removed.
func readmeCommands(readme string) []string {
	var out []string
	in := false
	var cur string
	for _, l := range strings.Split(readme, "\n") {
		if strings.HasPrefix(l, "```") {
			in = !in
			continue
		}
		if !in {
			continue
		}
		l = strings.TrimPrefix(strings.TrimSpace(l), "$ ")
		if i := strings.Index(l, "  #"); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		if strings.HasSuffix(l, "\\") {
			cur += strings.TrimSuffix(l, "\\") + " "
			continue
		}
		out = append(out, cur+l)
		cur = ""
	}
	return out
}

// shellWords splits a command line as sh would for these examples: words
// by spaces, '...' and "..." quoted, a "> file" redirection returned
// apart.
func shellWords(line string) (words []string, out string) {
	var w strings.Builder
	inWord := false
	var quote byte
	flush := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			w.WriteByte(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			flush()
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	flush()
	for i, word := range words {
		if word == ">" && i+1 < len(words) {
			return words[:i], words[i+1]
		}
	}
	return words, ""
}

// TestREADMEBenchstat runs README's benchstat line for the go test route
// on a go test file and a ppbench run file of one host, which differ in
// ppbench-version ("devel" under go test): benchstat prints one table per
// unit, the int8 GOP/s among them (finding 6 of the first-hour review:
// the filter dropped them).
func TestREADMEBenchstat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds benchstat with the go command")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var flags []string
	for _, line := range readmeCommands(string(readme)) {
		if words, _ := shellWords(line); len(words) > 0 && words[0] == "benchstat" && strings.HasSuffix(line, "ours.txt") {
			flags = words[1 : len(words)-1]
		}
	}
	if flags == nil {
		t.Fatal("README shows no benchstat line for ours.txt")
	}
	src, err := os.ReadFile(reportTestdata + "c7g-launch-a.txt")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	for _, v := range []string{"devel", "v0.9.0-12-gabcdef0"} {
		p := filepath.Join(dir, v+".txt")
		int8 := strings.Repeat("BenchmarkGemmInt8/n=1024/threads=all-4 1 1 ns/op 1000 GOP/s\n", 6)
		if err := os.WriteFile(p, []byte("ppbench-version: "+v+"\n"+string(src)+int8), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	cmd := exec.Command(goTool, append(append([]string{"run", "golang.org/x/perf/cmd/benchstat"}, flags...), files...)...)
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("benchstat %q: %v\n%s", flags, err, out)
	}
	tables := 0
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "devel.txt") {
			tables++
		}
	}
	if units := strings.Contains(string(out), "GFLOP/s") && strings.Contains(string(out), "GB/s") && strings.Contains(string(out), "GOP/s"); tables != 3 || !units {
		t.Errorf("benchstat %q printed %d tables, want one per unit (GFLOP/s, GB/s, GOP/s):\n%s", flags, tables, out)
	}
}
