package host

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseCPUList(t *testing.T) {
	tests := []struct {
		in   string
		want []int
		ok   bool
	}{
		{"", nil, true},
		{"\n", nil, true},
		{"0", []int{0}, true},
		{"0-3\n", []int{0, 1, 2, 3}, true},
		{"0,4", []int{0, 4}, true},
		{"0-3,8-11", []int{0, 1, 2, 3, 8, 9, 10, 11}, true},
		{"4,0", []int{0, 4}, true},
		{"0-2,1-3", []int{0, 1, 2, 3}, true},
		{"65535", []int{65535}, true},
		{"65536", nil, false},
		{"3-1", nil, false},
		{"0-", nil, false},
		{"-1", nil, false},
		{"+1", nil, false},
		{"0,,1", nil, false},
		{"0 - 3", nil, false},
		{"0-3-5", nil, false},
		{"a", nil, false},
		{"0x1", nil, false},
		{"99999999999999999999", nil, false},
		{strings.Repeat("0-65535,", 10) + "0", nil, false},
	}
	for _, tt := range tests {
		got, ok := parseCPUList(tt.in)
		if ok != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("parseCPUList(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzParseCPUList: a list that parses is ascending, distinct and in
// range, and prints back to a list that parses to the same CPUs.
func FuzzParseCPUList(f *testing.F) {
	for _, s := range []string{"0-3,8-11", "0,4", "0-1", "", "7", "3-1", "0-65535"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cpus, ok := parseCPUList(s)
		if !ok {
			if cpus != nil {
				t.Errorf("parseCPUList(%q) failed but returned %v", s, cpus)
			}
			return
		}
		for i, c := range cpus {
			if c < 0 || c >= maxCPUs || i > 0 && c <= cpus[i-1] {
				t.Fatalf("parseCPUList(%q) = %v: not ascending, distinct, in range", s, cpus)
			}
		}
		again, ok := parseCPUList(formatCPUList(cpus))
		if !ok || !slices.Equal(again, cpus) {
			t.Errorf("parseCPUList(%q) = %v, but its format parses to %v, %v", s, cpus, again, ok)
		}
	})
}

func TestParseCacheSize(t *testing.T) {
	tests := []struct {
		in   string
		want int
		ok   bool
	}{
		{"48K", 48 << 10, true},
		{"107520K", 105 << 20, true},
		{"32M", 32 << 20, true},
		{"1G", 1 << 30, true},
		{"4096", 4096, true},
		{"0K", 0, false},
		{"K", 0, false},
		{"", 0, false},
		{"-1K", 0, false},
		{"1.5M", 0, false},
		{"48 K", 0, false},
		{"9999999999K", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseCacheSize(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseCacheSize(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestReadTHP(t *testing.T) {
	tests := []struct{ in, want string }{
		{"always [madvise] never\n", "madvise"},
		{"[always] madvise never\n", "always"},
		{"always madvise [never]\n", "never"},
		{"always madvise never\n", ""},
		{"[bogus] never\n", ""},
		{"[]\n", ""},
		{"", ""},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{"sys/kernel/mm/transparent_hugepage/enabled": {Data: []byte(tt.in)}}
		if got := readTHP(fsys); got != tt.want {
			t.Errorf("readTHP(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadSVEVectorBits(t *testing.T) {
	for in, want := range map[string]int{"16\n": 128, "32\n": 256, "256\n": 2048, "24\n": 0, "0\n": 0, "512\n": 0, "x": 0} {
		fsys := fstest.MapFS{"proc/sys/abi/sve_default_vector_length": {Data: []byte(in)}}
		if got := readSVEVectorBits(fsys); got != want {
			t.Errorf("readSVEVectorBits(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestReadNUMANodes(t *testing.T) {
	for in, want := range map[string]int{"0\n": 1, "0-1\n": 2, "0-3,5\n": 5, "": 0, "x\n": 0} {
		fsys := fstest.MapFS{"sys/devices/system/node/online": {Data: []byte(in)}}
		if got := readNUMANodes(fsys); got != want {
			t.Errorf("readNUMANodes(%q) = %d, want %d", in, got, want)
		}
	}
	if got := readNUMANodes(fstest.MapFS{}); got != 0 {
		t.Errorf("readNUMANodes without sysfs = %d, want 0", got)
	}
}

// TestReadTopologyFixtures checks the sibling grouping on each fixture.
func TestReadTopologyFixtures(t *testing.T) {
	for name, want := range map[string]topology{
		"aws-c7g.xlarge":  {4, 4, 1},
		"aws-c7i.2xlarge": {8, 4, 2},
		"kvm-epyc":        {4, 2, 2},
		"nonexistent":     {},
	} {
		if got := readTopology(fixture(name, nil).fsys); got != want {
			t.Errorf("%s: readTopology = %+v, want %+v", name, got, want)
		}
	}
}

// TestTopologyLarge: a two-socket host with SMT, siblings n and n+96,
// as a c7i.48xlarge shows them.
func TestTopologyLarge(t *testing.T) {
	fsys := fstest.MapFS{"sys/devices/system/cpu/online": {Data: []byte("0-191\n")}}
	for i := range 192 {
		c := i % 96
		sib := strconv.Itoa(c) + "," + strconv.Itoa(c+96)
		fsys["sys/devices/system/cpu/cpu"+strconv.Itoa(i)+"/topology/thread_siblings_list"] = &fstest.MapFile{Data: []byte(sib + "\n")}
	}
	if got, want := readTopology(fsys), (topology{192, 96, 2}); got != want {
		t.Errorf("readTopology = %+v, want %+v", got, want)
	}
}
