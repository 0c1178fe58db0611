package host

import (
	"bytes"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// readLine returns the first line of a file, sanitized; "" when the file
// cannot be read.
func readLine(fsys fs.FS, name string) string {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return ""
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return sanitize(string(line))
}

// readInt reads a file holding one decimal integer.
func readInt(fsys fs.FS, name string) (int, bool) {
	n, err := strconv.Atoi(readLine(fsys, name))
	return n, err == nil
}

// maxCPUs bounds the CPU numbers parseCPUList accepts: Linux's NR_CPUS
// tops out at 8192, and the bound keeps a corrupt "0-4000000000" from
// allocating gigabytes.
const maxCPUs = 1 << 16

// parseCPUList parses the kernel's cpu-list format ("0-3,8-11", "0,4",
// "5", ""), as in /sys/devices/system/cpu/online, into ascending,
// distinct CPU numbers. It reports false for anything else, including
// descending ranges and numbers of maxCPUs or more. An empty list is
// valid and empty.
func parseCPUList(s string) ([]int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	var cpus []int
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, ok := parseCPUNumber(lo)
		if !ok {
			return nil, false
		}
		b := a
		if isRange {
			if b, ok = parseCPUNumber(hi); !ok || b < a {
				return nil, false
			}
		}
		if len(cpus)+b-a >= maxCPUs {
			return nil, false // overlapping ranges repeated to no end
		}
		for n := a; n <= b; n++ {
			cpus = append(cpus, n)
		}
	}
	slices.Sort(cpus)
	return slices.Compact(cpus), true
}

func parseCPUNumber(s string) (int, bool) {
	// Atoi would accept "+3" and "-0"; the kernel writes plain digits.
	if s == "" || len(s) > 5 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n < maxCPUs
}

// topology is the CPU topology as /sys shows it; zero fields are unknown.
type topology struct {
	vcpus, cores, threadsPerCore int
}

// readTopology counts the online CPUs and groups them into cores by their
// thread_siblings_list. Sibling sets are used rather than core_id, which is
// only unique within a package and is meaningless on some arm64 firmware.
// Cores and threads per core are left unknown if any online CPU's sibling
// list is missing or malformed, since a partial count would be wrong.
func readTopology(fsys fs.FS) topology {
	const dir = "sys/devices/system/cpu/"
	online, ok := parseCPUList(readLine(fsys, dir+"online"))
	if !ok || len(online) == 0 {
		return topology{}
	}
	t := topology{vcpus: len(online)}
	cores := map[string]bool{}
	for _, cpu := range online {
		name := dir + "cpu" + strconv.Itoa(cpu) + "/topology/thread_siblings_list"
		sibs, ok := parseCPUList(readLine(fsys, name))
		if !ok || len(sibs) == 0 || !slices.Contains(sibs, cpu) {
			return topology{vcpus: t.vcpus}
		}
		// The canonical form, not the file's text, keys the set: "0,4"
		// and "0,4\n" or a differently ordered list name the same core.
		key := formatCPUList(sibs)
		cores[key] = true
		t.threadsPerCore = max(t.threadsPerCore, len(sibs))
	}
	t.cores = len(cores)
	return t
}

func formatCPUList(cpus []int) string {
	var b strings.Builder
	for i, c := range cpus {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(c))
	}
	return b.String()
}

// readNUMANodes counts the online NUMA nodes; 0 when unknown (a kernel
// built without NUMA has no /sys/devices/system/node).
func readNUMANodes(fsys fs.FS) int {
	nodes, ok := parseCPUList(readLine(fsys, "sys/devices/system/node/online"))
	if !ok {
		return 0
	}
	return len(nodes)
}

// readCaches reads CPU 0's cache sizes from sysfs. Each index directory
// holds level, type ("Data", "Instruction" or "Unified") and size ("48K").
// An index that does not parse is skipped, not guessed at.
func readCaches(fsys fs.FS) Caches {
	const dir = "sys/devices/system/cpu/cpu0/cache"
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return Caches{}
	}
	var c Caches
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "index") {
			continue
		}
		d := dir + "/" + e.Name() + "/"
		level, ok := readInt(fsys, d+"level")
		if !ok {
			continue
		}
		size, ok := parseCacheSize(readLine(fsys, d+"size"))
		if !ok {
			continue
		}
		typ := readLine(fsys, d+"type")
		switch {
		case level == 1 && typ == "Data":
			c.L1D = size
		case level == 2 && typ != "Instruction":
			c.L2 = size
		case level == 3 && typ != "Instruction":
			c.L3 = size
		}
	}
	return c
}

// parseCacheSize parses sysfs cache sizes: a decimal number with a K, M or
// G suffix in binary units ("48K", "2048K", "32M").
func parseCacheSize(s string) (int, bool) {
	unit := 1
	switch {
	case strings.HasSuffix(s, "K"):
		unit = 1 << 10
	case strings.HasSuffix(s, "M"):
		unit = 1 << 20
	case strings.HasSuffix(s, "G"):
		unit = 1 << 30
	}
	if unit > 1 {
		s = s[:len(s)-1]
	}
	if s == "" || len(s) > 9 || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n == 0 {
		return 0, false
	}
	return n * unit, true
}

// readSVEVectorBits reads the SVE vector length new processes start with,
// which Linux gives in bytes. A valid length is a multiple of 16 bytes
// from 16 to 256 (128 to 2048 bits).
func readSVEVectorBits(fsys fs.FS) int {
	n, ok := readInt(fsys, "proc/sys/abi/sve_default_vector_length")
	if !ok || n < 16 || n > 256 || n%16 != 0 {
		return 0
	}
	return n * 8
}

// readOSRelease returns the kernel release, as uname -r prints it.
func readOSRelease(fsys fs.FS) string {
	return readLine(fsys, "proc/sys/kernel/osrelease")
}

// readTHP returns the selected transparent huge page mode, the bracketed
// word of "always [madvise] never"; "" when there is none.
func readTHP(fsys fs.FS) string {
	line := readLine(fsys, "sys/kernel/mm/transparent_hugepage/enabled")
	for w := range strings.FieldsSeq(line) {
		if len(w) > 2 && w[0] == '[' && w[len(w)-1] == ']' {
			mode := w[1 : len(w)-1]
			switch mode {
			case "always", "madvise", "never":
				return mode
			}
			return ""
		}
	}
	return ""
}
