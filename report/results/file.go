package results

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/ppbench/ppbench/internal/schema"
)

const (
	// maxLine is the longest line benchfmt reads: its bufio.Scanner
	// keeps the default limit, newline included. A longer line is
	// checked here so that the error names it, and by its own number.
	maxLine = bufio.MaxScanTokenSize

	// maxFile bounds what one input may hold in memory. A results
	// file has a few hundred bytes per result; this is millions of
	// results, and a device such as /dev/zero stops here.
	maxFile = 256 << 20
)

// maxResults bounds the results one file may hold: generous (ppbench run
// -count 1000, its most, writes about 100,000 for the whole suite), and
// what keeps the work on one file's samples bounded however short its
// lines. A variable for tests.
var maxResults = 1_000_000

// A file is one input, read into memory once: a FIFO or a process
// substitution can be read only once, and the configuration lines after
// the last result (benchfmt attaches configuration only to the results
// that follow it) must come from the same bytes as the results.
type file struct {
	path     string
	instance string // named on the command line, or ""
	info     fs.FileInfo
	// sum identifies the file's content, not its bytes: readFile
	// hashes each result's name, iterations, values and the file's
	// configuration in force at it (values trimmed), so that a copy
	// with CRLF line ends or another blank line is still a copy.
	sum     [sha256.Size]byte
	content hash.Hash
	// data is the file's whole lines: a last line without its newline
	// was cut short (a full disk, a killed run) and is left out, so
	// that half a number is never read as a whole one.
	data    []byte
	tail    []byte       // the cut line
	cut     int          // number of the cut line; 0 when there is none
	config  []configLine // the lines that set a host key or the steal time
	configs int          // configuration lines of any key

	results int // results read
	// skipped counts the results of benchmarks of the suite's package
	// that are not suite kernels, firstSkipped names the first.
	skipped      int
	firstSkipped string
	lastLine     int // line of the last result
	noted        bool

	// The host keys' values in force at the current result, from
	// config[:next], the lines that set them, and their values at the
	// first result.
	next  int
	cur   map[string]configLine
	first map[string]configLine
}

type configLine struct {
	line       int
	key, value string
}

// hostKeys identify the host a file's results were measured on. Within
// one file they must not change: two runs put in one file would be read
// as one launch, or as two instances with one launch each and nothing to
// say that the file held two boots of a host.
// goarch is one of them: an arm64 and an amd64 build measure different
// kernels, so a change of it is two runs too.
var hostKeys = []string{schema.ConfigInstance, schema.ConfigCPUModel, schema.ConfigVCPUs, schema.ConfigGOARCH}

// load reads in whole and checks its lines' lengths.
func load(in Input) (*file, error) {
	r, err := os.Open(in.Path)
	if err != nil {
		return nil, readError(in.Path, err)
	}
	defer r.Close()
	info, err := r.Stat()
	if err != nil {
		return nil, readError(in.Path, err)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, readError(in.Path, err)
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("%s: larger than %d MiB; not a results file", in.Path, maxFile>>20)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return nil, fmt.Errorf("%s:%d: a NUL byte: binary data, not a results file", in.Path, bytes.Count(data[:i], []byte("\n"))+1)
	}
	f := &file{path: in.Path, instance: in.Instance, info: info, content: sha256.New(),
		cur: map[string]configLine{}}
	rest := data
	for n := 1; len(rest) > 0; n++ {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			if len(bytes.TrimSpace(rest)) > 0 {
				f.cut = n
			}
			break
		}
		line := rest[:i]
		rest = rest[i+1:]
		if len(line)+1 > maxLine {
			return nil, fmt.Errorf("%s:%d: line longer than %d KiB", in.Path, n, maxLine>>10)
		}
		key, val, ok := parseConfig(line)
		if !ok {
			continue
		}
		f.configs++
		if k := string(key); k == schema.ConfigSteal || slices.Contains(hostKeys, k) {
			f.config = append(f.config, configLine{n, k, string(val)})
		}
	}
	f.data = data[:bytes.LastIndexByte(data, '\n')+1]
	f.tail = data[len(f.data):]
	return f, nil
}

func readError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: cannot read: %w", path, err)
}

// parseConfig reads line as a configuration line the way benchfmt does:
// "key: value", the key starting with a lower-case letter and holding no
// space or upper-case letter, the value after any spaces and tabs. An
// empty value deletes the key.
func parseConfig(line []byte) (key, val []byte, ok bool) {
	for i := 0; i < len(line); {
		r, n := utf8.DecodeRune(line[i:])
		if i == 0 && !unicode.IsLower(r) || unicode.IsSpace(r) || unicode.IsUpper(r) {
			return nil, nil, false
		}
		if i > 0 && r == ':' {
			key, val = line[:i], line[i+1:]
			break
		}
		i += n
	}
	if len(key) == 0 {
		return nil, nil, false
	}
	if len(val) == 0 {
		return key, val, true
	}
	if val[0] != ' ' && val[0] != '\t' {
		return nil, nil, false
	}
	return key, bytes.TrimLeft(val, " \t"), true
}

// checkHost checks that the host keys in force at a result on line are
// those of the file's first result. The values come from the file's own
// lines, not the result, whose instance the reader may have renamed.
func (f *file) checkHost(line int) error {
	for ; f.next < len(f.config) && f.config[f.next].line < line; f.next++ {
		if c := f.config[f.next]; c.key != schema.ConfigSteal {
			f.cur[c.key] = c
		}
	}
	if f.first == nil {
		f.first = maps.Clone(f.cur)
		return nil
	}
	for _, k := range hostKeys {
		if now, was := f.cur[k], f.first[k]; now.value != was.value {
			return fmt.Errorf("%s:%d: %s changes from %q to %q after %d results: two runs in one file? Give each run a file of its own",
				f.path, now.line, k, was.value, now.value, f.results)
		}
	}
	return nil
}

// errCut and errEmpty mark a file with no results that a run can leave
// (killed before its first result, or before its header): the report
// leaves it out with a note and goes on with the other files.
var (
	errCut   = errors.New("no results: the run was cut before its first result")
	errEmpty = errors.New("no results: the file is empty")
)

// noResults says why a file has no results: errEmpty, errCut for a
// header and nothing after it, and another error for a file that holds
// text but nothing of a results file, which is no run's and most likely
// a wrong argument.
func (f *file) noResults() error {
	switch {
	case len(f.data) == 0 && f.cut == 0:
		return fmt.Errorf("%s: %w", f.path, errEmpty)
	case !utf8.Valid(f.data) || f.cut > 0 && f.configs == 0 && !utf8.Valid(f.tail):
		return fmt.Errorf("%s: no benchmark results (binary data, not text: not a results file)", f.path)
	case f.configs > 0 || f.cut > 0:
		return fmt.Errorf("%s: %w", f.path, errCut)
	}
	return fmt.Errorf("%s: no benchmark results (no Benchmark or configuration lines: not a results file)", f.path)
}

// readTrailer reads the steal-time lines after a launch's last result:
// benchfmt attaches configuration only to the results that follow it, so
// a closing `steal-percent: 0.4` line would otherwise be lost.
func (f *file) readTrailer(l *Launch) error {
	for _, c := range f.config {
		if c.line > f.lastLine && c.key == schema.ConfigSteal && c.value != "" {
			if err := l.noteSteal(c.value); err != nil {
				return fmt.Errorf("%s:%d: %s: %w", f.path, c.line, schema.ConfigSteal, err)
			}
		}
	}
	return nil
}
