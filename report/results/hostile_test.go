package results

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// oneLineErr checks that err is one line holding each of want.
func oneLineErr(t *testing.T, what string, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("%s: error of more than one line: %q", what, err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q lacks %q", what, err, w)
		}
	}
}

// Finding 7 of issue 23: a copy of a results file with CRLF line ends or
// one more blank line is still a copy.
func TestCopyIsContentNotBytes(t *testing.T) {
	dir := t.TempDir()
	orig := header + "host-id: abc\n" + sgemmLine + strings.Replace(sgemmLine, " 40 ", " 41 ", 1)
	a := write(t, dir, "a.txt", orig)
	for name, content := range map[string]string{
		"crlf.txt":    strings.ReplaceAll(orig, "\n", "\r\n"),
		"blank.txt":   orig + "\n",
		"spaces.txt":  strings.ReplaceAll(orig, "abc\n", "abc  \n"),
		"comment.txt": "# copied\n" + orig + "\n\n",
	} {
		b := write(t, dir, name, content)
		_, err := Read([]Input{{Path: a}, {Path: b}})
		oneLineErr(t, name, err, b, "a copy?")
	}
	// Other numbers are another launch.
	c := write(t, dir, "c.txt", strings.Replace(orig, "host-id: abc", "host-id: def", 1))
	if _, err := Read([]Input{{Path: a}, {Path: c}}); err != nil {
		t.Errorf("another host: %v", err)
	}
}

// Finding 8 of issue 23: a throughput whose arithmetic would overflow
// (1e308 GB/s makes ∞ work per dollar) and a negative iteration count
// are refused, in one line naming the file and line.
func TestUnreasonableNumbers(t *testing.T) {
	dir := t.TempDir()
	for name, line := range map[string]string{
		"huge.txt": "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 1e308 GFLOP/s\n",
		"tiny.txt": "BenchmarkSgemm/n=1024/threads=all-4 1 100 ns/op 1e-300 GFLOP/s\n",
		"neg.txt":  "BenchmarkSgemm/n=1024/threads=all-4 -5 100 ns/op 40 GFLOP/s\n",
		"zero.txt": "BenchmarkSgemm/n=1024/threads=all-4 0 100 ns/op 40 GFLOP/s\n",
	} {
		p := write(t, dir, name, header+line)
		_, err := Read([]Input{{Path: p}})
		oneLineErr(t, name, err, p+":4:", "Sgemm")
	}
}

// Finding 11 of issue 23: a goarch change inside one file, and launches
// of one instance type by arm64 and amd64 builds, are refused in one line.
func TestArchMix(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "mixed.txt", header+"goarch: arm64\n"+sgemmLine+"goarch: amd64\n"+sgemmLine)
	_, err := Read([]Input{{Path: p}})
	oneLineErr(t, "goarch change", err, p+":6:", "goarch")

	a := write(t, dir, "a.txt", header+"goarch: arm64\n"+sgemmLine)
	b := write(t, dir, "b.txt", header+"goarch: amd64\n"+strings.Replace(sgemmLine, " 40 ", " 41 ", 1))
	_, err = Read([]Input{{Path: a}, {Path: b}})
	oneLineErr(t, "two architectures", err, b, "c7g.xlarge", "arm64", "amd64")
}

// Finding 12 of issue 23: a binary file is not "a run that was cut".
func TestBinaryFileIsNotACutRun(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"nul.bin":  "\x7fELF\x02\x01\x01\x00\x00\x00garbage\xff\xfe",
		"utf8.bin": "\xff\xfe\xfd\xfc\x80\x81 binary\n\xc3\x28",
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(data), 0o644)
		_, err := Read([]Input{{Path: p}})
		oneLineErr(t, name, err, p, "not a results file")
		if err != nil && strings.Contains(err.Error(), "cut") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Finding 3 of issue 23: one file holds a bounded number of results.
func TestTooManyResults(t *testing.T) {
	defer func(n int) { maxResults = n }(maxResults)
	maxResults = 3
	p := write(t, t.TempDir(), "many.txt", header+strings.Repeat(sgemmLine, 4))
	_, err := Read([]Input{{Path: p}})
	oneLineErr(t, "4 results", err, p+":7:", "more than 3 results")
}

// Finding 12 of issue 23: NAME= with no file names the argument.
func TestParseInputNoPath(t *testing.T) {
	_, err := ParseInput("c7i.large=")
	oneLineErr(t, "c7i.large=", err, `"c7i.large="`, "no file")
}
