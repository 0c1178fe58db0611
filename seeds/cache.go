package seeds

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// CacheEnv names the environment variable that overrides DefaultCacheDir
// (tests, and hosts without a home directory).
const CacheEnv = "PPBENCH_CACHE_DIR"

// DefaultCacheDir is where `ppbench prices update` keeps fetched prices:
// $PPBENCH_CACHE_DIR, else os.UserCacheDir()/ppbench; "" when neither
// can be found (no cache is used then).
func DefaultCacheDir() string {
	if d := os.Getenv(CacheEnv); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "ppbench")
}

// CacheFile is the cache file of one provider's prices in dir: a
// prices.csv-format file (every column, source and fetch date per row).
func CacheFile(dir, provider string) string {
	return filepath.Join(dir, "prices-"+provider+".csv")
}

// ReadCache reads every provider's cache file in dir, one slice per file
// in name order. A missing directory or file is no error; a file that does
// not parse is, naming the file, line and column.
func ReadCache(dir string) ([][]Price, error) {
	if dir == "" {
		return nil, nil
	}
	// The directory is listed, not globbed: $PPBENCH_CACHE_DIR is a
	// path, and a '[' or '*' in it is part of its name, not a pattern.
	// Only regular files (or links to them) are read: a FIFO named
	// prices-x.csv would block the read for ever.
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cache directory %s: %w", dir, unwrapPath(err))
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, "prices-") || !strings.HasSuffix(n, ".csv") {
			continue
		}
		p := filepath.Join(dir, n)
		if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
			continue
		}
		names = append(names, p)
	}
	sort.Strings(names)
	var out [][]Price
	for _, name := range names {
		prices, err := readCacheFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, prices)
	}
	return out, nil
}

func readCacheFile(name string) ([]Price, error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	prices, err := ParsePrices(f, name)
	if err != nil {
		return nil, err
	}
	provider := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(name), "prices-"), ".csv")
	for _, p := range prices {
		if p.Provider != provider {
			return nil, &Error{File: name, Line: p.Line, Field: "provider", Msg: fmt.Sprintf("%q in the cache file of %s", p.Provider, provider)}
		}
	}
	return prices, nil
}

// UpdateCache merges fresh prices of provider into its cache file in dir:
// a fresh price replaces the cached one of the same key, every other
// cached row is kept. The file is written to a temporary file and renamed,
// so a failure leaves the previous cache as it was. A cache file that
// does not parse is an error (naming file and line), and is left alone.
func UpdateCache(dir, provider string, fresh []Price) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	name := CacheFile(dir, provider)
	old, err := readCacheFile(name)
	if err != nil {
		return err
	}
	for _, p := range fresh {
		if p.Provider != provider {
			return fmt.Errorf("%s: price of %s %s is not a %s price", name, p.Provider, p.Instance, provider)
		}
	}
	// The fresh layer last, so that it wins on a tie of dates.
	var c Catalog
	rows := merge(&c, [][]Price{old, fresh})
	tmp, err := os.CreateTemp(dir, ".prices-"+provider+"-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing left to remove
	w := csv.NewWriter(tmp)
	w.Write(PriceColumns())
	for _, p := range rows {
		w.Write(p.Record())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// unwrapPath drops an fs.PathError's path, which the message names
// already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
