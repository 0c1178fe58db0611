// Command gen rebuilds the embedded price snapshot of package seeds from the
// sourced snapshots in ../shared/data/prices (prices-all.csv and
// instances-all.csv; their README says how each was made):
//
//	go run ./seeds/gen ../shared/data/prices
//
// It writes seeds/sources.csv (one row per source file, with its date),
// seeds/instances.csv.gz (specs per instance type) and
// seeds/snapshot.csv.gz (one price per row, naming its source by id), so
// that the 100-character source string is stored once, not 90,000 times.
// Rows are copied verbatim except: arch amd64 is written x86_64, as
// seeds/prices.csv writes it; the cpu column names the processor from
// seeds/prices.csv or seeds/peaks.csv where a row of the same family
// does, else the vendor; prices of instance types with no vCPU count are
// left out (per-vCPU figures cannot be made for them) and counted.
package main

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ppbench/ppbench/internal/schema"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./seeds/gen DIR (the directory holding prices-all.csv and instances-all.csv)")
		os.Exit(2)
	}
	if err := run(os.Args[1], "seeds"); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

func header(rows [][]string, path string, want string) error {
	if len(rows) == 0 || strings.Join(rows[0], ",") != want {
		return fmt.Errorf("%s: header is not %q", path, want)
	}
	return nil
}

var vendorCPU = map[string]string{
	"intel": "Intel Xeon", "amd": "AMD EPYC", "aws": "AWS Graviton", "ampere": "Ampere Altra",
	"google": "Google Axion", "microsoft": "Microsoft Cobalt 100", "nvidia": "NVIDIA Grace",
}

func run(in, out string) error {
	pricesPath, instPath := filepath.Join(in, "prices-all.csv"), filepath.Join(in, "instances-all.csv")
	prices, err := readCSV(pricesPath)
	if err != nil {
		return err
	}
	if err := header(prices, pricesPath, "provider,region,instance,price_usd_hour,price_type,source,source_date"); err != nil {
		return err
	}
	insts, err := readCSV(instPath)
	if err != nil {
		return err
	}
	if err := header(insts, instPath, "provider,instance,vcpus,memory_gib,arch,cpu_vendor,accelerators,source"); err != nil {
		return err
	}

	// Processor names already written by hand, per instance and family.
	cpuOf, cpuOfFamily := map[string]string{}, map[string]string{}
	curated, err := readCSV(filepath.Join(out, "prices.csv"))
	if err != nil {
		return err
	}
	for _, r := range curated[1:] {
		name, cpu := r[2], r[7]
		base, _, _ := strings.Cut(cpu, " + ")
		cpuOf[r[0]+"/"+name] = cpu
		if f := r[0] + "/" + schema.Family(name); cpuOfFamily[f] == "" {
			cpuOfFamily[f] = base
		}
	}
	peaks, err := readCSV(filepath.Join(out, "peaks.csv"))
	if err != nil {
		return err
	}
	peakCPU := map[string]string{}
	for _, r := range peaks[1:] {
		for _, f := range strings.Fields(r[2]) {
			peakCPU[f] = r[0]
		}
	}

	// Sources: one id per distinct (source, date); instance sources have
	// no date of their own.
	type src struct{ text, date string }
	ids := map[src]int{}
	var srcs []src
	sourceID := func(text, date string) int {
		s := src{text, date}
		if id, ok := ids[s]; ok {
			return id
		}
		srcs = append(srcs, s)
		ids[s] = len(srcs)
		return len(srcs)
	}

	known := map[string]bool{} // provider/instance with a vCPU count
	var instRows [][]string
	for _, r := range insts[1:] {
		provider, name, vcpus, mem, arch, vendor, acc, source := r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]
		switch arch {
		case "amd64":
			arch = "x86_64"
		case "":
			arch = "unknown"
		}
		cpu := cpuOf[provider+"/"+name]
		if cpu == "" {
			base := cpuOfFamily[provider+"/"+schema.Family(name)]
			if base == "" {
				base = peakCPU[schema.Family(name)]
			}
			if base == "" {
				base = vendorCPU[vendor]
			}
			if base == "" {
				base = "unknown"
			}
			cpu = base
			if acc != "" {
				cpu += " + " + acc
			}
		}
		if vcpus != "" {
			known[provider+"/"+name] = true
		}
		instRows = append(instRows, []string{provider, name, vcpus, mem, arch, cpu, acc, fmt.Sprint(sourceID(source, ""))})
	}

	var priceRows [][]string
	dropped := map[string]int{}
	for _, r := range prices[1:] {
		provider, region, name, price, typ, source, date := r[0], r[1], r[2], r[3], r[4], r[5], r[6]
		if !known[provider+"/"+name] {
			dropped[provider]++
			continue
		}
		priceRows = append(priceRows, []string{provider, region, name, price, typ, fmt.Sprint(sourceID(source, date))})
	}

	srcRows := [][]string{{"id", "source", "source_date"}}
	for i, s := range srcs {
		srcRows = append(srcRows, []string{fmt.Sprint(i + 1), s.text, s.date})
	}
	if err := writeCSV(filepath.Join(out, "sources.csv"), srcRows, false); err != nil {
		return err
	}
	sort.SliceStable(instRows, func(i, j int) bool {
		return instRows[i][0]+"/"+instRows[i][1] < instRows[j][0]+"/"+instRows[j][1]
	})
	instRows = append([][]string{{"provider", "instance", "vcpus", "memory_gib", "arch", "cpu", "accelerators", "source_id"}}, instRows...)
	if err := writeCSV(filepath.Join(out, "instances.csv.gz"), instRows, true); err != nil {
		return err
	}
	priceRows = append([][]string{{"provider", "region", "instance", "price_usd_hour", "price_type", "source_id"}}, priceRows...)
	if err := writeCSV(filepath.Join(out, "snapshot.csv.gz"), priceRows, true); err != nil {
		return err
	}
	fmt.Printf("%d instances, %d prices, %d sources; prices left out for want of a vCPU count: %v\n",
		len(instRows)-1, len(priceRows)-1, len(srcs), dropped)
	return nil
}

func writeCSV(path string, rows [][]string, gz bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".gen-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	var w io.Writer = tmp
	var zw *gzip.Writer
	if gz {
		// No name or time in the header: the same input gives the same bytes.
		zw, _ = gzip.NewWriterLevel(tmp, gzip.BestCompression)
		w = zw
	}
	cw := csv.NewWriter(w)
	cw.WriteAll(rows)
	if err := cw.Error(); err != nil {
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
