package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"github.com/ppbench/ppbench/report/results"
)

// The report's -o never destroys what it was not asked to write. The
// shell expands `results/*.txt` before the command sees it, so `-o
// results/*.txt` names the first results file as the output; and a
// rename onto a symlink, a FIFO or a device (as root, /dev/full) replaces
// the link or the node with a regular file. So an output path must be
// absent or a regular file that is not one of the inputs, and everything
// is written beside it first and renamed into place at the end: the
// markdown and its charts are one set, all written or none.

// checkOutput refuses path as a place to write the report or one of its
// charts unless it is absent or a regular file that is none of inputs
// (compared by device and inode, so ./a.txt, a hard link or a symlink to
// an input count as that input).
func checkOutput(flag, path string, inputs []results.Input) error {
	info, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s %s: %w", flag, path, err)
	}
	if !info.Mode().IsRegular() {
		return usageError{msg: fmt.Sprintf("%s %s: is %s; the report replaces only a regular file", flag, path, describeMode(info.Mode()))}
	}
	for _, in := range inputs {
		if ii, err := os.Stat(in.Path); err == nil && os.SameFile(info, ii) {
			return usageError{msg: fmt.Sprintf("%s %s: is the results file %s; the report would overwrite it", flag, path, in.Path)}
		}
	}
	if holdsResults(path) {
		return usageError{msg: fmt.Sprintf("%s %s: holds benchmark results; the report would overwrite them (did -o take the first name of a glob?)", flag, path)}
	}
	return nil
}

// resultLine matches a result line as benchfmt reads one: a name, an
// iteration count and a value with its unit. No report format writes
// one, so a file that has one is results, not an earlier report.
var resultLine = regexp.MustCompile(`(?m)^Benchmark[^\s]*\s+\d+\s+[^\s]+\s+[^\s]+`)

// holdsResults reports whether the start of the file at path has a
// result line: `-o results/*.txt` names, as the output, a results file
// that is not among the inputs.
func holdsResults(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, 1<<20))
	return resultLine.Match(data)
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// An outputSet writes files beside their final paths and renames them
// into place together.
type outputSet struct {
	inputs []results.Input
	temps  []string // temporary files, each renamed to the final path beside it
	finals []string
	dirs   []string // temporary directories, removed by clean
}

// chartDir returns a new temporary directory beside path for the charts,
// which report.Report.WriteCharts writes under their final names.
func (o *outputSet) chartDir(path string) (string, error) {
	dir, err := os.MkdirTemp(filepath.Dir(path), "."+filepath.Base(path)+".charts-*")
	if err != nil {
		return "", err
	}
	o.dirs = append(o.dirs, dir)
	return dir, nil
}

// add records that temp, already written, is to become final.
func (o *outputSet) add(temp, final string) {
	o.temps = append(o.temps, temp)
	o.finals = append(o.finals, final)
}

// create writes a temporary file beside path with write and adds it to
// the set.
func (o *outputSet) create(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	o.add(f.Name(), path) // the temporary file is removed by clean should anything fail
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Chmod(f.Name(), 0o644)
}

// commit checks every final path again, just before the renames, and
// renames each file into place, the last added last: the markdown,
// added last, appears only with all its charts.
func (o *outputSet) commit() error {
	for _, p := range o.finals {
		if err := checkOutput("-o", p, o.inputs); err != nil {
			return err
		}
	}
	for i, t := range o.temps {
		if err := os.Rename(t, o.finals[i]); err != nil {
			return err
		}
	}
	o.temps = nil
	return nil
}

// clean removes whatever commit did not rename into place.
func (o *outputSet) clean() {
	for _, t := range o.temps {
		os.Remove(t)
	}
	for _, d := range o.dirs {
		os.RemoveAll(d)
	}
}

// writeFile writes data to path by the rules of the report's -o: path
// must be absent or a regular file (never a symlink, FIFO or device,
// which would be written through), and data goes to a temporary file
// beside it renamed into place. Every file `ppbench fleet` writes goes
// through it, as `report -o` does.
func writeFile(flag, path string, data []byte, perm os.FileMode) error {
	if err := checkOutput(flag, path, nil); err != nil {
		return err
	}
	var o outputSet
	defer o.clean()
	if err := o.create(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	if err := os.Chmod(o.temps[len(o.temps)-1], perm); err != nil {
		return err
	}
	return o.commit()
}
