package seeds

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Finding 4 of issue 23: -prices, -claims and -peaks files are read up to
// a bound, then refused in one line naming the file and the bound.
func TestFileSizeBounds(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	cases := []struct {
		files Files
		want  string
	}{
		{Files{Claims: "/dev/zero"}, "4 MiB"},
		{Files{Peaks: "/dev/zero"}, "4 MiB"},
	}
	if !testing.Short() {
		cases = append(cases, struct {
			files Files
			want  string
		}{Files{Prices: "/dev/zero"}, "256 MiB"})
	}
	for _, c := range cases {
		_, err := Load(c.files)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "/dev/zero") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v", c.files, err)
		}
	}
}

// Finding 12 of issue 23: the cache directory is a path, not a pattern:
// a directory really named lit[1] is read, one named "[" is no syntax
// error, and a FIFO among the cache files is skipped, not read.
func TestCacheDirIsNotAGlob(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "lit[1]")
	fresh := []Price{{Provider: "aws", Region: "eu-west-1", Instance: "c7g.xlarge", VCPUs: 4, Cores: 4, MemoryGiB: 8, Arch: "arm64",
		CPU: "AWS Graviton3", PricePerHour: 0.16, PriceType: OnDemand, Source: "test feed", SourceDate: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}
	if err := UpdateCache(dir, "aws", fresh); err != nil {
		t.Fatal(err)
	}
	cached, err := ReadCache(dir)
	if err != nil || len(cached) != 1 {
		t.Errorf("lit[1]: %d files, %v", len(cached), err)
	}
	bracket := filepath.Join(base, "[")
	os.Mkdir(bracket, 0o755)
	if _, err := ReadCache(bracket); err != nil {
		t.Errorf("[: %v", err)
	}
	if runtime.GOOS == "windows" {
		return
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "prices-gcp.csv"), 0o644); err != nil {
		t.Skip("no FIFO:", err)
	}
	done := make(chan error, 1)
	go func() {
		cached, err := ReadCache(dir)
		if err == nil && len(cached) != 1 {
			t.Errorf("FIFO: %d files", len(cached))
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		os.Remove(filepath.Join(dir, "prices-gcp.csv")) // a writer-less FIFO: the read waits
		t.Fatal("ReadCache waits on a FIFO")
	}
}
