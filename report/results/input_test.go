package results

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
)

const sgemmLine = "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s\n"

var sgemm = Bench{Kernel: schema.Sgemm, Params: "n=1024", Threads: "all", Tier: "neon", Unit: schema.UnitGFLOPs}

// hasNote reports whether one of set's notes is want.
func hasNote(set *Set, want string) bool {
	for _, n := range set.Notes {
		if n == want {
			return true
		}
	}
	return false
}

// A run killed in its first moments leaves a header and no results; one
// that ran out of disk under an older ppbench, or another tool's, leaves
// a last line cut in the middle. Both are read for what they hold, with a
// note, and the other files are still reported.
func TestReadKeepsWhatACutRunLeft(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "good.txt", header+sgemmLine)
	headerOnly := write(t, dir, "killed.txt", header)
	empty := write(t, dir, "empty.txt", "")
	cut := write(t, dir, "cut.txt", strings.ReplaceAll(header, "c7g.xlarge", "c8g.xlarge")+
		sgemmLine+sgemmLine+"BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 4")
	set, err := Read([]Input{{Path: good}, {Path: headerOnly}, {Path: empty}, {Path: cut}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		headerOnly + ": no results: the run was cut before its first result",
		empty + ": no results: the file is empty",
		cut + ":6: cut in the middle of a line; the 2 results before it are kept",
	} {
		if !hasNote(set, want) {
			t.Errorf("no note %q in %q", want, set.Notes)
		}
	}
	if c8g := set.Instance("c8g.xlarge"); c8g == nil || len(c8g.Samples[sgemm]) != 2 {
		t.Errorf("cut file's whole results not kept: %+v", c8g)
	}
	if c7g := set.Instance("c7g.xlarge"); c7g == nil || len(c7g.Launches) != 1 {
		t.Errorf("c7g.xlarge: %+v, want the one launch of good.txt", c7g)
	}
	// A cut steal line would give a wrong figure (12.5 cut to 1): it
	// is dropped with the rest of its line.
	steal := write(t, dir, "steal.txt", header+sgemmLine+"steal-percent: 1")
	set, err = Read([]Input{{Path: steal}})
	if err != nil {
		t.Fatal(err)
	}
	if l := set.Instances[0].Launches[0]; l.StealPercent != -1 {
		t.Errorf("cut steal line read as %v", l.StealPercent)
	}
	// With nothing else to report, the header-only file is the error.
	_, err = Read([]Input{{Path: headerOnly}})
	if want := headerOnly + ": no results: the run was cut before its first result"; err == nil || err.Error() != want {
		t.Errorf("header only: err = %v, want %s", err, want)
	}
	_, err = Read([]Input{{Path: headerOnly}, {Path: empty}})
	if want := headerOnly + ": no results: the run was cut before its first result (and 1 more files have no results)"; err == nil || err.Error() != want {
		t.Errorf("no results anywhere: err = %v, want %s", err, want)
	}
}

// One file under two names would count as two launches: twice the
// samples, a narrower interval and no spread between launches. So would a
// copy of it.
func TestReadRefusesOneFileTwice(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "c7g.txt", header+sgemmLine)
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink("c7g.txt", link); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.txt")
	if err := os.Link(p, hard); err != nil {
		t.Fatal(err)
	}
	cp := write(t, dir, "copy.txt", header+sgemmLine)
	t.Chdir(dir)
	for _, again := range []string{"c7g.txt", "./c7g.txt", p, "link.txt", "hard.txt", "../" + filepath.Base(dir) + "/c7g.txt"} {
		_, err := Read([]Input{{Path: "c7g.txt"}, {Path: again}})
		want := again + ": given twice (also as c7g.txt); its samples would count twice"
		if err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %s", again, err, want)
		}
	}
	_, err := Read([]Input{{Path: "c7g.txt"}, {Path: cp}})
	if want := cp + ": the same results as c7g.txt (a copy?); its samples would count twice"; err == nil || err.Error() != want {
		t.Errorf("copy: err = %v, want %s", err, want)
	}
	// Two runs killed at once on one kind of host leave the same
	// header: no results, nothing to count twice.
	k1, k2 := write(t, dir, "k1.txt", header), write(t, dir, "k2.txt", header)
	if _, err := Read([]Input{{Path: k1}, {Path: "c7g.txt"}, {Path: k2}}); err != nil {
		t.Errorf("two equal headers: %v", err)
	}
	// A FIFO given twice is refused before it is opened a second time,
	// which would wait for a writer.
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err == nil {
		go func() {
			if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				fmt.Fprint(w, header+sgemmLine)
				w.Close()
			}
		}()
		done := make(chan error, 1)
		go func() { _, err := Read([]Input{{Path: fifo}, {Path: fifo}}); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "given twice") {
				t.Errorf("FIFO twice: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("FIFO twice: Read did not return in 10s")
		}
	}
}

// Two runs concatenated into one file, or any change of host within a
// file, is an error naming the line where the host changes: read on, it
// would make one launch of two boots, or two instances whose launches
// nobody split.
func TestReadRefusesTwoHostsInOneFile(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name, second, want string
	}{
		{"instance", "instance: c8g.xlarge\n", `f.txt:6: instance changes from "c7g.xlarge" to "c8g.xlarge" after 1 results: two runs in one file? Give each run a file of its own`},
		{"cpu-model", "cpu-model: Neoverse-V2\n", `f.txt:6: cpu-model changes from "" to "Neoverse-V2" after 1 results`},
		{"vcpus", "vcpus: 8\n", `f.txt:6: vcpus changes from "" to "8" after 1 results`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, dir, "f.txt", header+sgemmLine+"# a second run\n"+tt.second+sgemmLine)
			for _, in := range []Input{{Path: p}, {Path: p, Instance: "c7g.xlarge"}} {
				_, err := Read([]Input{in})
				if want := filepath.Join(dir, tt.want); err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("%+v: err = %v\nwant %s", in, err, want)
				}
			}
		})
	}
	// Each part in a file of its own is two launches, as it should be.
	a := write(t, dir, "a.txt", header+sgemmLine)
	b := write(t, dir, "b.txt", strings.ReplaceAll(header, "neon", "neon\nvcpus: 4")+sgemmLine)
	set, err := Read([]Input{{Path: a}, {Path: b}})
	if err != nil || len(set.Instances[0].Launches) != 2 {
		t.Errorf("split files: %v", err)
	}
	// A header may set a key twice before the first result; only what
	// the results were measured under counts.
	p := write(t, dir, "h.txt", "instance: unknown\n"+header+sgemmLine+sgemmLine)
	if _, err := Read([]Input{{Path: p}}); err != nil {
		t.Errorf("key set twice in the header: %v", err)
	}
}

// Steal time is a percentage of CPU time: 500 is a broken file, not a
// noisy host, and would drive the steal warning.
func TestReadStealPercentIsAPercentage(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name, content, want string
	}{
		{"trailer", header + sgemmLine + "steal-percent: 500\n", `f.txt:5: steal-percent: "500" is not a percentage from 0 to 100`},
		{"header", header + "steal-percent: -1\n" + sgemmLine, `f.txt:5: steal-percent: "-1" is not a percentage from 0 to 100`},
		{"metric", header + "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s 101 steal-percent\n", `f.txt:4: BenchmarkSgemm/n=1024/threads=all-4: 101 steal-percent: want a percentage from 0 to 100`},
	} {
		p := write(t, dir, "f.txt", tt.content)
		_, err := Read([]Input{{Path: p}})
		if want := filepath.Join(dir, tt.want); err == nil || err.Error() != want {
			t.Errorf("%s: err = %v\nwant %s", tt.name, err, want)
		}
	}
	p := write(t, dir, "f.txt", header+sgemmLine+"steal-percent: 100\n")
	if set, err := Read([]Input{{Path: p}}); err != nil || set.Instances[0].Launches[0].StealPercent != 100 {
		t.Errorf("steal-percent: 100: %v", err)
	}
}

// A FIFO (or a process substitution, <(...)) can be read once: reading
// it again for the closing steal line hung, or found nothing.
func TestReadFIFOOnce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		fmt.Fprint(w, header+sgemmLine+"steal-percent: 2.5\n")
		w.Close()
	}()
	type result struct {
		set *Set
		err error
	}
	done := make(chan result, 1)
	go func() {
		set, err := Read([]Input{{Path: p}})
		done <- result{set, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		if l := r.set.Instances[0].Launches[0]; l.StealPercent != 2.5 || len(l.Samples[sgemm]) != 1 {
			t.Errorf("steal %v, samples %v; want 2.5 and one sample", l.StealPercent, l.Samples)
		}
	case <-time.After(10 * time.Second):
		// Opening the FIFO a second time for reading waits for a
		// writer that never comes.
		t.Fatal("Read of a FIFO did not return in 10s")
	}
}

// A line longer than benchfmt reads is an error naming that line, not
// the one before it, and saying what is wrong.
func TestReadLongLineNamesItsLine(t *testing.T) {
	dir := t.TempDir()
	long := "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 40 GFLOP/s " + strings.Repeat("1 x/op ", (64<<10)/7) + "\n"
	p := write(t, dir, "f.txt", header+sgemmLine+long+sgemmLine)
	_, err := Read([]Input{{Path: p}})
	if want := p + ":5: line longer than 64 KiB"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	// The longest line benchfmt reads is read.
	pad := "# " + strings.Repeat("x", 64<<10-3) + "\n"
	p = write(t, dir, "g.txt", header+pad+sgemmLine)
	if _, err := Read([]Input{{Path: p}}); err != nil {
		t.Errorf("line of %d bytes: %v", len(pad), err)
	}
}

// An instance name from the command line follows the rule -instance and
// PPBENCH_INSTANCE do: a space or newline in it would make a second
// instance benchstat could not tell from the first.
func TestReadChecksInstanceNames(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "u.txt", "instance: unknown\n"+sgemmLine)
	for _, name := range []string{" ", "bad name", "c7g.xlarge\nBenchmarkX", "c7g.xlarge "} {
		if _, err := Read([]Input{{Path: p, Instance: name}}); err == nil || !strings.HasPrefix(err.Error(), p+": instance name: ") {
			t.Errorf("%q: err = %v", name, err)
		}
	}
}

// A process substitution, <(cat run.txt), is a pipe named /dev/fd/N:
// read once, the closing steal line is kept; read again for it, it was
// lost.
func TestReadPipeKeepsItsTrailer(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	p := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no /dev/fd: %v", err)
	}
	go func() {
		fmt.Fprint(w, header+sgemmLine+"steal-percent: 2.5\n")
		w.Close()
	}()
	set, err := Read([]Input{{Path: p}})
	if err != nil {
		t.Fatal(err)
	}
	if l := set.Instances[0].Launches[0]; l.StealPercent != 2.5 {
		t.Errorf("steal %v, want the trailer's 2.5", l.StealPercent)
	}
}
