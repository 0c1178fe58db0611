package seeds

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/ppbench/ppbench/internal/schema"
)

// An Error is a problem with one field of one seed file. Its message reads
// "FILE:LINE: FIELD: what is wrong", the form ppbench prints for bad input.
type Error struct {
	File  string
	Line  int    // 1-based line number in File
	Field string // column name; empty for errors about a whole line
	Msg   string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	field := e.Field
	if strings.ContainsFunc(field, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') }) {
		// A header cell from a broken file: quote it so the message
		// stays one readable line.
		field = strconv.Quote(field)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, field, e.Msg)
}

// A column describes one column a seed file may have.
type column struct {
	name     string
	required bool // the header must have it and every row must fill it
}

// table reads one CSV seed file: the header is checked against the known
// columns once, then rows are handed out as records addressed by column
// name, each with its line number for messages.
type table struct {
	file string
	r    *csv.Reader
	cols []column
	pos  map[string]int // column name -> index in the record

	rec  []string
	line int
}

// Bounds of the files the -prices, -claims and -peaks flags name (and the
// price cache): a prices file of every region of three providers is tens
// of MiB, claims and peaks files are a few KiB. A larger file, or a
// device such as /dev/zero, is refused when the bound is passed instead
// of read into memory whole.
const (
	MaxPricesBytes = 256 << 20
	MaxClaimsBytes = 4 << 20
	MaxPeaksBytes  = 4 << 20
)

// limitedReader reads at most limit bytes of r, and fails with an error
// saying so on the byte after them.
type limitedReader struct {
	r           io.Reader
	limit, left int64
	what        string
}

func limitReader(r io.Reader, limit int64, what string) io.Reader {
	return &limitedReader{r: r, limit: limit, left: limit, what: what}
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, l.tooLarge()
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, l.tooLarge()
	}
	return n, err
}

func (l *limitedReader) tooLarge() error {
	return fmt.Errorf("larger than %d MiB, the most a %s file may be", l.limit>>20, l.what)
}

func newTable(r io.Reader, file string, cols []column) (*table, error) {
	// Read the whole file: seed files are small, and this lets a UTF-8 byte
	// order mark from a spreadsheet export be dropped before parsing.
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	t := &table{file: file, cols: cols, pos: map[string]int{}}
	t.r = csv.NewReader(bytes.NewReader(data))
	t.r.ReuseRecord = true
	header, err := t.r.Read()
	if err == io.EOF {
		return nil, &Error{File: file, Line: 1, Msg: "empty file: want a header line"}
	}
	if err != nil {
		return nil, t.csvError(err)
	}
	known := map[string]bool{}
	for _, c := range cols {
		known[c.name] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !known[h] {
			return nil, &Error{File: file, Line: 1, Field: h, Msg: "unknown column (known: " + t.columnNames() + ")"}
		}
		if _, dup := t.pos[h]; dup {
			return nil, &Error{File: file, Line: 1, Field: h, Msg: "column appears twice"}
		}
		t.pos[h] = i
	}
	for _, c := range cols {
		if _, ok := t.pos[c.name]; c.required && !ok {
			return nil, &Error{File: file, Line: 1, Field: c.name, Msg: "required column missing"}
		}
	}
	// Every row must have as many fields as the header.
	t.r.FieldsPerRecord = len(header)
	return t, nil
}

func (t *table) columnNames() string { return strings.Join(columnNames(t.cols), ", ") }

// next reads the next row; it returns false at the end of the file or on
// an error, which err then returns.
func (t *table) next() (bool, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, t.csvError(err)
	}
	t.rec = rec
	t.line, _ = t.r.FieldPos(0)
	return true, nil
}

func (t *table) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = fmt.Sprintf("wrong number of fields (the header has %d)", t.r.FieldsPerRecord)
		}
		return &Error{File: t.file, Line: pe.StartLine, Msg: msg}
	}
	return fmt.Errorf("%s: %w", t.file, err)
}

// get returns the trimmed value of column name in the current row ("" when
// the file has no such optional column).
func (t *table) get(name string) string {
	i, ok := t.pos[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

func (t *table) errorf(field, format string, args ...any) error {
	line := t.line
	if i, ok := t.pos[field]; ok {
		line, _ = t.r.FieldPos(i)
	}
	return &Error{File: t.file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// required returns column name, failing when it is empty.
func (t *table) required(name string) (string, error) {
	v := t.get(name)
	if v == "" {
		return "", t.errorf(name, "required field is empty")
	}
	return v, nil
}

// positive parses a required positive, finite number.
func (t *table) positive(name string) (float64, error) {
	v, err := t.required(name)
	if err != nil {
		return 0, err
	}
	return t.parsePositive(name, v)
}

// optionalPositive parses an optional positive number; empty gives 0.
func (t *table) optionalPositive(name string) (float64, error) {
	v := t.get(name)
	if v == "" {
		return 0, nil
	}
	return t.parsePositive(name, v)
}

func (t *table) parsePositive(name, v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, t.errorf(name, "%q is not a number", v)
	}
	if f <= 0 {
		return 0, t.errorf(name, "%q is not positive", v)
	}
	return f, nil
}

// count parses a required positive integer.
func (t *table) count(name string) (int, error) {
	v, err := t.required(name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, t.errorf(name, "%q is not a whole number", v)
	}
	if n <= 0 {
		return 0, t.errorf(name, "%q is not positive", v)
	}
	return n, nil
}

// day parses a required YYYY-MM-DD date.
func (t *table) day(name string) (time.Time, error) {
	v, err := t.required(name)
	if err != nil {
		return time.Time{}, err
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, t.errorf(name, "%q is not a date (want YYYY-MM-DD)", v)
	}
	return d, nil
}

// word parses a required lower-case identifier such as a provider or a
// price type: letters, digits, '_' and '-'.
func (t *table) word(name string) (string, error) {
	v, err := t.required(name)
	if err != nil {
		return "", err
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "", t.errorf(name, "%q: want lower-case letters, digits, '_' or '-'", v)
		}
	}
	return v, nil
}

// names parses a space-separated list of instance types or families.
func (t *table) names(name string, required bool) ([]string, error) {
	v := t.get(name)
	if v == "" {
		if required {
			return nil, t.errorf(name, "required field is empty")
		}
		return nil, nil
	}
	list := strings.Fields(v)
	for _, n := range list {
		if !validInstanceName(n) {
			return nil, t.errorf(name, "%q is not an instance type or family name", n)
		}
	}
	return list, nil
}

// validInstanceName accepts the names schema.CheckName does: the rule
// for instance types everywhere a user can give one.
func validInstanceName(s string) bool { return schema.CheckName(s) == nil }

// oneOf parses a required field whose value must be one of allowed.
func (t *table) oneOf(name string, allowed []string) (string, error) {
	v, err := t.required(name)
	if err != nil {
		return "", err
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", t.errorf(name, "unknown value %q (want one of %s)", v, strings.Join(allowed, ", "))
}

// parseRows reads a catalog file whose columns are cols, turning each data
// row into a T with row, which reads the fields through t; it stops at the
// first error, which names file, line and field.
func parseRows[T any](r io.Reader, file string, cols []column, row func(t *table) (T, error)) ([]T, error) {
	t, err := newTable(r, file, cols)
	if err != nil {
		return nil, err
	}
	var out []T
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		v, err := row(t)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}
