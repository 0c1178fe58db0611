package runner

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultDir is where results files go when no -o is given.
const DefaultDir = "results"

// DefaultName is the results file name for a run on instance started at
// t: "<instance>-<UTC time>.txt", e.g. "c7g.xlarge-20261122T140502Z.txt".
// Characters other than letters, digits, '.', '-' and '_' in instance
// become '_', so that any DMI product name makes a plain file name.
func DefaultName(instance string, t time.Time) string {
	safe := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, instance)
	if safe == "" || strings.Trim(safe, ".") == "" {
		safe = "unknown"
	}
	return safe + "-" + t.UTC().Format("20060102T150405Z") + ".txt"
}

// createDefaultResults creates name under DefaultDir, or, when a run
// started in the same second has taken it, the same name with this
// process's id and then a counter before ".txt": several runs started
// at once each get a file of their own, and none is told to remove a
// file that another running process is writing.
func createDefaultResults(name string) (*os.File, string, error) {
	if err := os.MkdirAll(DefaultDir, 0o755); err != nil {
		return nil, "", fmt.Errorf("cannot create results directory: %w", err)
	}
	base := strings.TrimSuffix(name, ".txt")
	for i := 0; i < 100; i++ {
		n := name
		switch {
		case i == 1:
			n = fmt.Sprintf("%s-%d.txt", base, os.Getpid())
		case i > 1:
			n = fmt.Sprintf("%s-%d-%d.txt", base, os.Getpid(), i)
		}
		path := filepath.Join(DefaultDir, n)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", fmt.Errorf("cannot create results file: %w", err)
		}
		return f, path, nil
	}
	return nil, "", fmt.Errorf("%s and 99 names after it exist already; pass -o", filepath.Join(DefaultDir, name))
}

// results is where result lines go: a file created for this run and
// optionally a mirror (stdout). Every line reaches both with one Write
// each, and the file is synced after each result, so a run killed at any
// point leaves only whole lines behind.
type results struct {
	file   resultsFile // nil when writing to the mirror only
	path   string      // file's name, or "stdout"
	mirror io.Writer   // may be nil
	// size is the length of the file's whole lines so far: a write that
	// fails part-way (a full disk) is cut back to it.
	size int64
	// mirrorErr is why the mirror stopped taking lines (stdout closed);
	// the file goes on without it.
	mirrorErr error
}

// resultsFile is what results needs of an *os.File.
type resultsFile interface {
	io.Writer
	Truncate(size int64) error
	Sync() error
	Close() error
}

// createResults creates path for writing. It never replaces an existing
// file: O_EXCL makes "does it exist" and "create it" one step, so two runs
// started in the same second cannot both write one file. When mkdir is
// set, missing parent directories are made (the default results/).
func createResults(path string, mkdir bool) (*os.File, error) {
	if mkdir {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("cannot create results directory: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s already exists; results are never overwritten: remove it or pass another -o", path)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot create results file: %w", err)
	}
	return f, nil
}

// writeLines writes s, whole lines, to the file and the mirror. A write to
// the file that fails part-way is cut back to the last whole line, so the
// file never ends in half a result that benchstat would take for a whole
// one. A failing mirror is dropped when there is a file, and remembered in
// mirrorErr.
func (r *results) writeLines(s string) error {
	if r.file != nil {
		n, err := io.WriteString(r.file, s)
		if err != nil {
			if n > 0 {
				if terr := r.file.Truncate(r.size); terr != nil {
					return fmt.Errorf("writing results: %w (and cutting the partial line: %v)", err, terr)
				}
			}
			return fmt.Errorf("writing results: %w", err)
		}
		r.size += int64(n)
	}
	if r.mirror != nil {
		if _, err := io.WriteString(r.mirror, s); err != nil {
			if r.file == nil {
				return fmt.Errorf("writing results: %w", err)
			}
			r.mirror, r.mirrorErr = nil, err
		}
	}
	return nil
}

// sync asks the OS to put what was written on disk, so that a result
// reported as kept survives even a crash of the instance.
func (r *results) sync() error {
	if r.file == nil {
		return nil
	}
	if err := r.file.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("writing results: %w", err)
	}
	return nil
}

// close closes the file; when keep is false it also removes it. Only a
// file this run created and that holds no result is ever removed.
func (r *results) close(keep bool) error {
	if r.file == nil {
		return nil
	}
	err := r.file.Close()
	if !keep {
		if rmErr := os.Remove(r.path); err == nil {
			err = rmErr
		}
	}
	return err
}
