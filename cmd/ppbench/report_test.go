package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const reportTestdata = "../../report/testdata/"

// reportArgs runs the report on the synthetic testdata with its test
// catalog and a fixed date, so output does not depend on today.
func reportArgs(extra ...string) []string {
	args := []string{"report", "-asof", "2026-08-01", "-prices", reportTestdata + "prices.csv", "-claims", reportTestdata + "claims.csv"}
	args = append(args, extra...)
	return append(args, reportTestdata+"c7g-launch-a.txt", reportTestdata+"c7g-launch-b.txt", reportTestdata+"c8g.txt", reportTestdata+"c6g.txt", reportTestdata+"c7i.txt", reportTestdata+"c7a.txt", "c4a-standard-4="+reportTestdata+"unknown.txt")
}

func reportExec(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = mainExit(args, &o, &e)
	return code, o.String(), e.String()
}

func TestReportMarkdown(t *testing.T) {
	code, out, errs := reportExec(reportArgs()...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"# ppbench report",
		"- **C1** c8g.xlarge vs c7g.xlarge (price_performance, claimed up to 1.30x, measured work per dollar 1.35x",
		"## Hosts", "## Kernels", "## Claims", "## Method", "### Warnings",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	// The summary comes first.
	if strings.Index(out, "**C1**") > strings.Index(out, "## Hosts") {
		t.Error("claim summary is not first")
	}
	// stderr has the warnings grouped, one line per kind (the report
	// itself lists every one).
	if !strings.Contains(errs, "ppbench: warning: 1 of 6 instances had CPU steal time over 2%, worst c6g.xlarge 3.1%\n") {
		t.Errorf("grouped warnings not on stderr:\n%s", errs)
	}
	if n := strings.Count(errs, "spread over 5%"); n != 1 {
		t.Errorf("%d lines about spread on stderr, want one for the kind:\n%s", n, errs)
	}
}

func TestReportToFileWithCharts(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "REPORT.md")
	if code, _, errs := reportExec(reportArgs("-o", out)...); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := filepath.Glob(filepath.Join(dir, "REPORT-*.svg"))
	if len(svg) == 0 {
		t.Fatal("no charts written")
	}
	for _, s := range svg {
		if !bytes.Contains(md, []byte("("+filepath.Base(s)+")")) {
			t.Errorf("markdown does not link %s", filepath.Base(s))
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".REPORT.md.*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestReportMachineFormats(t *testing.T) {
	code, out, errs := reportExec(reportArgs("-format", "json")...)
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, errs)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json: %v", err)
	}
	code, out, _ = reportExec(reportArgs("-format", "csv")...)
	if code != 0 || !strings.HasPrefix(out, "table,claim,") || !strings.Contains(out, "\nclaims,C1,") {
		t.Errorf("csv: exit %d, starts %q", code, out[:min(len(out), 40)])
	}
}

func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	empty := write("empty.txt", "")
	bad := write("bad.txt", "instance: c7g.xlarge\nBenchmarkSgemm/n=1024/threads=all-4 1 x ns/op\n")
	nan := write("nan.txt", "instance: c7g.xlarge\nBenchmarkSgemm/n=1024/threads=all-4 1 1 ns/op NaN GFLOP/s\n")
	unknown := write("unknown.txt", "instance: unknown\nBenchmarkSgemm/n=1024/threads=all-4 1 1 ns/op 3 GFLOP/s\n")
	tests := []struct {
		name string
		args []string
		code int
		want string // the whole stderr line, or its start
	}{
		{"no files", []string{"report"}, 2, "ppbench report: no results files given"},
		{"bad format", []string{"report", "-format", "xml", reportTestdata + "c8g.txt"}, 2, "ppbench report: -format xml: want markdown, csv or json"},
		{"bad date", []string{"report", "-asof", "yesterday", reportTestdata + "c8g.txt"}, 2, "ppbench report: -asof yesterday: want a date YYYY-MM-DD"},
		{"bad price type", []string{"report", "-price-type", "reserved", reportTestdata + "c8g.txt"}, 2, "ppbench report: -price-type reserved: not in seeds/prices.csv"},
		{"unknown baseline", []string{"report", "-baseline", "m9g.xlarge", reportTestdata + "c8g.txt"}, 2, "ppbench report: -baseline m9g.xlarge: no results for it (have c8g.xlarge)\n"},
		{"unknown flag", []string{"report", "-colour", reportTestdata + "c8g.txt"}, 2, "flag provided but not defined: -colour"},
		{"negative noise floor", []string{"report", "-noise-floor", "-1", reportTestdata + "c8g.txt"}, 2, "ppbench report: -noise-floor -1: want a percentage from 0 to below 100\n"},
		{"NaN noise floor", []string{"report", "-noise-floor", "NaN", reportTestdata + "c8g.txt"}, 2, "ppbench report: -noise-floor NaN: want a percentage from 0 to below 100\n"},
		{"noise floor of 100%", []string{"report", "-noise-floor", "100", reportTestdata + "c8g.txt"}, 2, "ppbench report: -noise-floor 100: want a percentage from 0 to below 100\n"},
		{"empty file", []string{"report", empty}, 1, "ppbench: " + empty + ": no results: the file is empty"},
		{"malformed line", []string{"report", bad}, 1, "ppbench: " + bad + ":2: parsing measurement"},
		{"NaN", []string{"report", nan}, 1, "ppbench: " + nan + ":2: BenchmarkSgemm/n=1024/threads=all-4: NaN GFLOP/s is not a finite number"},
		{"unknown instance", []string{"report", unknown}, 0, "ppbench: warning: " + unknown + ": instance unknown, shown as"},
		{"missing file", []string{"report", filepath.Join(dir, "nope.txt")}, 1, "ppbench: " + filepath.Join(dir, "nope.txt") + ": cannot read"},
		{"bad prices", []string{"report", "-prices", reportTestdata + "c8g.txt", reportTestdata + "c8g.txt"}, 1, "ppbench: " + reportTestdata + "c8g.txt:1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := reportExec(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q lacks %q", errs, tt.want)
			}
			if tt.code == 1 && (strings.Count(errs, "\n") != 1 || out != "") {
				t.Errorf("want one line on stderr and nothing on stdout; got %q / %q", errs, out)
			}
			if strings.Contains(errs, "panic") || strings.Contains(errs, "goroutine") {
				t.Errorf("panic: %s", errs)
			}
		})
	}
}

// claimVerdicts runs the report as CSV and returns each claim's verdict
// by id, from the summary table.
func claimVerdicts(t *testing.T, args ...string) map[string]string {
	t.Helper()
	code, out, errs := reportExec(append([]string{"report", "-format", "csv", "-asof", "2026-08-01"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	verdicts := map[string]string{}
	var col int
	for _, rec := range recs {
		switch {
		case rec[0] == "table" && rec[1] == "claim":
			col = slices.Index(rec, "verdict")
		case rec[0] == "summary" && col > 0:
			verdicts[rec[1]] = rec[col]
		}
	}
	return verdicts
}

// Two real runs of one host, named as two instance types at one price:
// at the default noise floor no claim between them is settled.
func TestReportSameHostTwice(t *testing.T) {
	aa := reportTestdata + "aa/"
	verdicts := claimVerdicts(t, "-prices", aa+"prices.csv", "-claims", aa+"claims.csv",
		"c8a.large="+aa+"run-a.txt", "m8a.large="+aa+"run-b.txt")
	if len(verdicts) != 4 {
		t.Fatalf("verdicts %v, want testdata/aa/claims.csv's 4", verdicts)
	}
	for id, v := range verdicts {
		if v != "consistent" {
			t.Errorf("%s: %s, want consistent: one host against itself", id, v)
		}
	}
}

// -noise-floor reaches the verdicts: C2 ("up to 1.60x", measured 1.50x) is
// judged with c8g.xlarge's one launch, which the default floor leaves
// consistent and none lets fall short.
func TestReportNoiseFloorFlag(t *testing.T) {
	args := func(extra ...string) []string {
		return append(extra, "-prices", reportTestdata+"prices.csv", "-claims", reportTestdata+"claims.csv",
			reportTestdata+"c7g-launch-a.txt", reportTestdata+"c7g-launch-b.txt", reportTestdata+"c8g.txt")
	}
	for _, tt := range []struct {
		flags []string
		want  string
	}{
		{nil, "consistent"},
		{[]string{"-noise-floor", "5"}, "consistent"},
		{[]string{"-noise-floor", "0"}, "falls short"},
		{[]string{"-noise-floor", "1"}, "falls short"},
	} {
		if got := claimVerdicts(t, args(tt.flags...)...)["C2"]; got != tt.want {
			t.Errorf("%v: C2 %s, want %s", tt.flags, got, tt.want)
		}
	}
}

// The report keeps working without real results: results/ may hold none
// yet, and the synthetic testdata stands in.
func TestReportRealResultsIfAny(t *testing.T) {
	files, _ := filepath.Glob("../../docs/examples/*.txt")
	if len(files) == 0 {
		t.Skip("no results/*.txt yet")
	}
	code, _, errs := reportExec(append([]string{"report", "-o", filepath.Join(t.TempDir(), "REPORT.md")}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// TestReportFlagsAfterFiles: README shows `ppbench report results/*.txt
// -o results/REPORT.md`; flags after the files are flags, and "--" ends
// them.
func TestReportFlagsAfterFiles(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "REPORT.md")
	code, _, errs := reportExec("report", reportTestdata+"c7g-launch-a.txt", "-asof", "2026-08-01",
		reportTestdata+"c8g.txt", "-o", out, "-prices", reportTestdata+"prices.csv", "-claims", reportTestdata+"claims.csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), "c8g.xlarge") || !strings.Contains(string(data), "(as of 2026-08-01)") {
		t.Errorf("report at %s: %v\n%.300s", out, err, data)
	}
	// After "--" an argument that looks like a flag is a file.
	odd := filepath.Join(dir, "-odd.txt")
	src, _ := os.ReadFile(reportTestdata + "c8g.txt")
	if err := os.WriteFile(odd, src, 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	t.Chdir(dir)
	code, stdout, errs := reportExec("report", "-prices", filepath.Join(wd, reportTestdata, "prices.csv"), "--", "-odd.txt")
	if code != 0 || !strings.Contains(stdout, "c8g.xlarge") {
		t.Errorf("report -- -odd.txt: exit %d, %s", code, errs)
	}
}

func TestReportResamplesBound(t *testing.T) {
	for _, n := range []string{"1", "2", "999", "-3", "100001", "99999999999"} {
		code, _, errs := reportExec(reportArgs("-resamples", n)...)
		if code != 2 || !strings.Contains(errs, "-resamples") || strings.Count(errs, "\n") != 1 {
			t.Errorf("-resamples %s: exit %d, stderr %q", n, code, errs)
		}
	}
}

// copyFile copies src to a new file dst.
func copyFile(t *testing.T, src, dst string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// absTestdata is reportTestdata for tests that change directory.
var absTestdata = func() string {
	p, err := filepath.Abs(reportTestdata)
	if err != nil {
		panic(err)
	}
	return p + string(filepath.Separator)
}()

// reportTo runs the report on files with the test catalog, writing to
// out, and returns its exit status and the last line on stderr: the
// error, after any warnings.
func reportTo(out string, files ...string) (code int, lastLine string) {
	args := []string{"report", "-asof", "2026-08-01", "-resamples", "1000", "-prices", absTestdata + "prices.csv", "-claims", absTestdata + "claims.csv", "-o", out}
	code, _, stderr := reportExec(append(args, files...)...)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	return code, lines[len(lines)-1] + "\n"
}

// -o never writes over a results file: `-o victim.txt victim.txt`, or
// `-o results/*.txt`, which the shell turns into -o and the first results
// file, would replace measurements with a report on them.
func TestReportNeverWritesOverAResultsFile(t *testing.T) {
	dir := t.TempDir()
	victim := copyFile(t, reportTestdata+"c8g.txt", filepath.Join(dir, "victim.txt"))
	other := copyFile(t, reportTestdata+"c6g.txt", filepath.Join(dir, "other.txt"))
	hard := filepath.Join(dir, "hard.txt")
	if err := os.Link(victim, hard); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(victim)
	t.Chdir(dir)
	for _, tt := range []struct {
		out   string
		files []string
	}{
		{"victim.txt", []string{"victim.txt"}},
		{"./victim.txt", []string{"victim.txt", "other.txt"}},
		{victim, []string{"c8g.xlarge=victim.txt"}},
		{"hard.txt", []string{"victim.txt"}},
		{"victim.txt", []string{"other.txt"}}, // -o results/*.txt
	} {
		code, errs := reportTo(tt.out, tt.files...)
		if code != 2 || !strings.HasPrefix(errs, "ppbench report: -o "+tt.out+": ") || strings.Count(errs, "\n") != 1 {
			t.Errorf("-o %s %v: exit %d, stderr %q; want 2 and one line", tt.out, tt.files, code, errs)
		}
		if got, _ := os.ReadFile(victim); !bytes.Equal(got, want) {
			t.Fatalf("-o %s %v: results file overwritten", tt.out, tt.files)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.svg")); len(left) > 0 {
		t.Errorf("charts written though the report was refused: %v", left)
	}
	if code, errs := reportTo("REPORT.md", other); code != 0 {
		t.Errorf("new file: exit %d: %s", code, errs)
	}
}

// -o replaces only a regular file: a rename onto a symlink, a FIFO or a
// device replaces the link or the node itself (as root, /dev/full).
func TestReportReplacesOnlyARegularFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.md")
	if err := os.WriteFile(target, []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink("target.md", link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.md")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub.md")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	outs := []string{link, fifo, sub}
	// A device node like /dev/full (1, 7), made here so that the test
	// can never replace the real one.
	full := filepath.Join(dir, "full")
	if err := syscall.Mknod(full, syscall.S_IFCHR|0o666, 1<<8|7); err == nil {
		outs = append(outs, full)
	} else {
		t.Logf("mknod: %v; no device tested", err)
	}
	before := map[string]os.FileMode{}
	for _, p := range outs {
		info, _ := os.Lstat(p)
		before[p] = info.Mode()
	}
	for _, out := range outs {
		code, errs := reportTo(out, reportTestdata+"c8g.txt")
		if code != 2 || !strings.Contains(errs, "the report replaces only a regular file") || strings.Count(errs, "\n") != 1 {
			t.Errorf("-o %s: exit %d, stderr %q", out, code, errs)
		}
		if info, err := os.Lstat(out); err != nil || info.Mode() != before[out] {
			t.Errorf("-o %s: mode %v, was %v (%v)", out, info.Mode(), before[out], err)
		}
	}
	if got, _ := os.ReadFile(target); string(got) != "kept\n" {
		t.Errorf("symlink's target written: %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1+len(outs) {
		t.Errorf("files left beside: %v", entries)
	}
}

// On a full disk the report and its charts are written all or none, with
// no temporary files left: an error half-way left eleven SVGs, one of
// them empty, beside the old report. A small tmpfs fills at every point
// of the writing in turn.
func TestReportChartsAllOrNothingOnAFullDisk(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	base := t.TempDir()
	for size := 4; size <= 96; size += 4 {
		mnt := filepath.Join(base, strconv.Itoa(size))
		os.Mkdir(mnt, 0o755)
		if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size="+strconv.Itoa(size)+"k"); err != nil {
			t.Skipf("mount tmpfs: %v", err)
		}
		func() {
			defer syscall.Unmount(mnt, 0)
			out := filepath.Join(mnt, "REPORT.md")
			os.WriteFile(out, []byte("old\n"), 0o644) // may itself not fit
			old, _ := os.ReadFile(out)
			code, errs := reportTo(out, reportTestdata+"c7g-launch-a.txt", reportTestdata+"c8g.txt", reportTestdata+"c6g.txt")
			entries, _ := os.ReadDir(mnt)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			switch {
			case code == 0:
				md, _ := os.ReadFile(out)
				svg, _ := filepath.Glob(filepath.Join(mnt, "*.svg"))
				if len(svg) == 0 || len(names) != len(svg)+1 || !bytes.Contains(md, []byte("](REPORT-")) {
					t.Errorf("%d KiB: written, but the set is %v", size, names)
				}
			case code != 1 || strings.Contains(errs, "warning"):
				t.Errorf("%d KiB: exit %d, stderr %q", size, code, errs)
			default:
				now, _ := os.ReadFile(out)
				want := 0 // the old report, if it fitted
				if len(old) > 0 {
					want = 1
				}
				if !bytes.Equal(now, old) || len(names) != want {
					t.Errorf("%d KiB: failed (%s) but left %v, REPORT.md %q", size, strings.TrimSpace(errs), names, now)
				}
			}
		}()
	}
}

// Prices are aged against -asof: a day before a price was read would make
// its age negative and hide that it is stale.
func TestReportAsOfBeforeThePrices(t *testing.T) {
	args := []string{"report", "-prices", reportTestdata + "prices.csv", "-claims", reportTestdata + "claims.csv", "-resamples", "1000"}
	code, _, errs := reportExec(append(args, "-asof", "2026-01-01", reportTestdata+"c8g.txt")...)
	want := "ppbench report: -asof 2026-01-01: before the prices it ages (c8g.xlarge's was read on 2026-07-20 in " + reportTestdata + "prices.csv)\n"
	if code != 2 || !strings.HasSuffix(errs, want) {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, want)
	}
	if code, _, errs := reportExec(append(args, "-asof", "2026-07-20", reportTestdata+"c8g.txt")...); code != 0 {
		t.Errorf("-asof the prices' own day: exit %d: %s", code, errs)
	}
}

// A prices file with a header and no rows is bad data (exit 1), not a
// mistake on the command line.
func TestReportPricesWithOnlyAHeader(t *testing.T) {
	data, err := os.ReadFile(reportTestdata + "prices.csv")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(data), "\n")
	p := filepath.Join(t.TempDir(), "prices.csv")
	if err := os.WriteFile(p, []byte(header+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := reportExec("report", "-prices", p, reportTestdata+"c8g.txt")
	if want := "ppbench: " + p + ": no prices, only a header: the report needs at least one row\n"; code != 1 || errs != want || out != "" {
		t.Errorf("exit %d, stderr %q; want 1, %q", code, errs, want)
	}
}

// What a killed run leaves, a header alone or a last line cut in the
// middle, is reported for what it holds, with a warning, and the other
// files still are: one such file failed `make report` for all of them.
func TestReportReadsWhatACutRunLeft(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(reportTestdata + "c8g.txt")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(src), "\nBenchmark")
	killed := filepath.Join(dir, "killed.txt")
	os.WriteFile(killed, []byte(header+"\n"), 0o644)
	cut := filepath.Join(dir, "cut.txt")
	os.WriteFile(cut, src[:len(src)-20], 0o644)
	code, out, errs := reportExec("report", "-asof", "2026-08-01", "-resamples", "1000", "-prices", reportTestdata+"prices.csv", "-claims", reportTestdata+"claims.csv",
		reportTestdata+"c7g-launch-a.txt", killed, cut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"ppbench: warning: " + killed + ": no results: the run was cut before its first result\n",
		": cut in the middle of a line; the ",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "c8g.xlarge") || !strings.Contains(out, "c7g.xlarge") {
		t.Error("report lacks the other files' instances")
	}
}

// Findings 10 and 12 of issue 23: a far -asof counts days without
// time.Duration's saturation, a cache price from the future is refused in
// one line naming its file and line, and bad arguments get one line
// naming them, not an empty name or a second line.
func TestReportHostileArguments(t *testing.T) {
	code, out, errs := reportExec(reportArgs("-asof", "9999-12-31", "-format", "json")...)
	if code != 0 || strings.Contains(out+errs, "106752") || strings.Contains(out+errs, "106,752") {
		t.Errorf("-asof 9999-12-31: exit %d, saturated days: %s", code, errs)
	}
	if !strings.Contains(errs, "(29128") { // 9999-12-31 less the oldest price, about 2,912,8xx days
		t.Errorf("-asof 9999-12-31: no age of about 2,912,8xx days in %q", errs)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "c7i.large="}, `"c7i.large="`},
		{[]string{"report", "-asof", "2026-01-01\nx", reportTestdata + "c8g.txt"}, "-asof"},
		{[]string{"report", "-resamples", "2", reportTestdata + "c8g.txt"}, "1000"},
	} {
		code, _, errs := reportExec(c.args...)
		if code == 0 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) || strings.Contains(errs, ": : ") {
			t.Errorf("%q: exit %d, stderr %q", c.args, code, errs)
		}
	}

	// A cache price dated in the future, under the default -asof.
	dir := t.TempDir()
	future := time.Now().AddDate(1, 0, 0).UTC().Format(time.DateOnly)
	os.WriteFile(filepath.Join(dir, "prices-aws.csv"), []byte("provider,region,instance,vcpus,physical_cores,memory_gib,arch,cpu,price_usd_hour,price_type,source,source_date\n"+
		"aws,us-east-1,c8g.xlarge,4,4,8,arm64,AWS Graviton4,0.01,on_demand,test,"+future+"\n"), 0o644)
	t.Setenv("PPBENCH_CACHE_DIR", dir)
	code, _, errs = reportExec("report", "-resamples", "1000", reportTestdata+"c8g.txt")
	if code == 0 || strings.Count(errs, "\n") != 1 || !strings.Contains(errs, filepath.Join(dir, "prices-aws.csv")+":2:") || !strings.Contains(errs, future) {
		t.Errorf("future cache price: exit %d, stderr %q", code, errs)
	}
	// A cache directory whose name is no valid pattern.
	t.Setenv("PPBENCH_CACHE_DIR", filepath.Join(t.TempDir(), "["))
	if code, _, errs := reportExec("report", "-resamples", "1000", reportTestdata+"c8g.txt"); code != 0 {
		t.Errorf("PPBENCH_CACHE_DIR=[: exit %d, stderr %q", code, errs)
	}
}
