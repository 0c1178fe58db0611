package host

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/ppbench/ppbench/internal/schema"
)

// fixture returns a system that sees only the tree under testdata/name:
// no CPUID, no uname, no real environment.
func fixture(name string, env map[string]string) system {
	return fakeSystem(os.DirFS(filepath.Join("testdata", name)), env)
}

func fakeSystem(fsys fs.FS, env map[string]string) system {
	return system{
		fsys:       fsys,
		getenv:     func(k string) string { return env[k] },
		numCPU:     99,
		gomaxprocs: 3,
		goVersion:  "go1.26.8",
	}
}

var (
	graviton3Features = []string{"asimd", "asimdhp", "asimddp", "asimdfhm", "bf16", "i8mm", "sve", "svebf16", "svei8mm"}
	graviton4Features = []string{"asimd", "asimdhp", "asimddp", "asimdfhm", "bf16", "i8mm", "sve", "sve2", "svebf16", "svei8mm"}
	sprFeatures       = []string{"avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512vnni", "avx512bf16", "avx512fp16", "avxvnni", "amxtile", "amxbf16", "amxint8"}
	genoaFeatures     = []string{"avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512vnni", "avx512bf16"}
)

func TestDetectFixtures(t *testing.T) {
	const v = "v1.2.3"
	tests := []struct {
		fixture string
		opts    Options
		env     map[string]string
		want    Fingerprint
	}{{
		fixture: "aws-c7g.xlarge",
		opts:    Options{Tiers: map[string]string{schema.FP32: "neon"}, Version: v},
		want: Fingerprint{
			Instance: "c7g.xlarge", InstanceSource: "dmi", Cloud: "aws",
			CPUVendor: "ARM", CPUModel: "Neoverse-V1", CPUFeatures: graviton3Features,
			SIMDWidest: "sve", SVEVectorBits: 256,
			VCPUs: 4, PhysicalCores: 4, ThreadsPerCore: 1, NUMANodes: 1,
			Caches:     Caches{L1D: 64 << 10, L2: 1 << 20, L3: 32 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("neon"), GoVersion: "go1.26.8",
			OSKernel: "6.1.112-124.190.amzn2023.aarch64", THP: "madvise", Version: v,
		},
	}, {
		fixture: "aws-c8g.xlarge",
		opts:    Options{Region: "us-east-2", Tiers: map[string]string{schema.FP32: "sve"}, Version: v},
		want: Fingerprint{
			Instance: "c8g.xlarge", InstanceSource: "dmi", Cloud: "aws", Region: "us-east-2",
			CPUVendor: "ARM", CPUModel: "Neoverse-V2", CPUFeatures: graviton4Features,
			SIMDWidest: "sve2", SVEVectorBits: 128,
			VCPUs: 4, PhysicalCores: 4, ThreadsPerCore: 1, NUMANodes: 1,
			Caches:     Caches{L1D: 64 << 10, L2: 2 << 20, L3: 36 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("sve"), GoVersion: "go1.26.8",
			OSKernel: "6.8.0-1021-aws", THP: "madvise", Version: v,
		},
	}, {
		// The flag wins over DMI, and the environment's region over nothing.
		fixture: "aws-c7i.2xlarge",
		opts:    Options{Instance: "c7i.2xlarge", Tiers: map[string]string{schema.FP32: "avx512"}, Version: v},
		env:     map[string]string{EnvInstance: "ignored.large", EnvRegion: "eu-west-1"},
		want: Fingerprint{
			Instance: "c7i.2xlarge", InstanceSource: "flag", Cloud: "aws", Region: "eu-west-1",
			CPUVendor: "Intel", CPUModel: "Intel(R) Xeon(R) Platinum 8488C", CPUUarch: "sapphirerapids", CPUFeatures: sprFeatures, AMX: "unknown",
			SIMDWidest: "avx512",
			VCPUs:      8, PhysicalCores: 4, ThreadsPerCore: 2, NUMANodes: 1,
			Caches:     Caches{L1D: 48 << 10, L2: 2 << 20, L3: 105 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("avx512"), GoVersion: "go1.26.8",
			OSKernel: "6.1.112-124.190.amzn2023.x86_64", THP: "madvise", Version: v,
		},
	}, {
		fixture: "aws-c7a.xlarge",
		opts:    Options{Tiers: map[string]string{schema.FP32: "avx2"}, Version: v},
		env:     map[string]string{EnvInstance: "c7a.xlarge"},
		want: Fingerprint{
			Instance: "c7a.xlarge", InstanceSource: "env", Cloud: "aws",
			CPUVendor: "AMD", CPUModel: "AMD EPYC 9R14 96-Core Processor", CPUUarch: "zen4", CPUFeatures: genoaFeatures,
			SIMDWidest: "avx512",
			VCPUs:      4, PhysicalCores: 4, ThreadsPerCore: 1, NUMANodes: 1,
			Caches:     Caches{L1D: 32 << 10, L2: 1 << 20, L3: 32 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("avx2"), GoVersion: "go1.26.8",
			OSKernel: "6.8.0-1021-aws", THP: "madvise", Version: v,
		},
	}, {
		// GCP's DMI names the cloud but not the machine type.
		fixture: "gcp-c4a-standard-4",
		opts:    Options{Tiers: map[string]string{schema.FP32: "neon"}, Version: v},
		want: Fingerprint{
			Instance: "unknown", InstanceSource: "unknown", Cloud: "gcp",
			CPUVendor: "ARM", CPUModel: "Neoverse-V2", CPUFeatures: graviton4Features,
			SIMDWidest: "sve2", SVEVectorBits: 128,
			VCPUs: 4, PhysicalCores: 4, ThreadsPerCore: 1, NUMANodes: 1,
			Caches:     Caches{L1D: 64 << 10, L2: 2 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("neon"), GoVersion: "go1.26.8",
			OSKernel: "6.1.0-28-cloud-arm64", THP: "madvise", Version: v,
		},
	}, {
		fixture: "gcp-c4a-standard-4",
		opts:    Options{Instance: "c4a-standard-4", Region: "us-central1", Tiers: map[string]string{schema.FP32: "neon"}, Version: v},
		want: Fingerprint{
			Instance: "c4a-standard-4", InstanceSource: "flag", Cloud: "gcp", Region: "us-central1",
			CPUVendor: "ARM", CPUModel: "Neoverse-V2", CPUFeatures: graviton4Features,
			SIMDWidest: "sve2", SVEVectorBits: 128,
			VCPUs: 4, PhysicalCores: 4, ThreadsPerCore: 1, NUMANodes: 1,
			Caches:     Caches{L1D: 64 << 10, L2: 2 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("neon"), GoVersion: "go1.26.8",
			OSKernel: "6.1.0-28-cloud-arm64", THP: "madvise", Version: v,
		},
	}, {
		// No DMI, no NUMA, no THP: unknown, and left out rather than guessed.
		fixture: "bare-rpi5",
		opts:    Options{Tiers: map[string]string{schema.FP32: "neon"}, Version: v},
		want: Fingerprint{
			Instance: "unknown", InstanceSource: "unknown", Cloud: "unknown",
			CPUVendor: "ARM", CPUModel: "Cortex-A76", CPUFeatures: []string{"asimd", "asimdhp", "asimddp"},
			SIMDWidest: "neon",
			VCPUs:      4, PhysicalCores: 4, ThreadsPerCore: 1,
			Caches:     Caches{L1D: 64 << 10, L2: 512 << 10, L3: 2 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("neon"), GoVersion: "go1.26.8",
			OSKernel: "6.6.51+rpt-rpi-2712", Version: v,
		},
	}, {
		// Adjacent siblings ("0-1"), and a DMI that names no cloud.
		fixture: "kvm-epyc",
		opts:    Options{Instance: "workstation vm", Version: v},
		want: Fingerprint{
			Instance: "workstation vm", InstanceSource: "flag", Cloud: "unknown",
			CPUVendor: "AMD", CPUModel: "AMD EPYC 7763 64-Core Processor", CPUUarch: "zen3",
			CPUFeatures: []string{"avx", "avx2", "fma", "f16c"},
			SIMDWidest:  "avx2",
			VCPUs:       4, PhysicalCores: 2, ThreadsPerCore: 2, NUMANodes: 1,
			Caches:     Caches{L1D: 32 << 10, L2: 512 << 10, L3: 16 << 20},
			GOMAXPROCS: 3, Tiers: fp32Tier("unknown"), GoVersion: "go1.26.8",
			OSKernel: "6.12.12-amd64", THP: "always", Version: v,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.fixture+"/"+tt.opts.Instance, func(t *testing.T) {
			got := detect(tt.opts, fixture(tt.fixture, tt.env))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("detect:\n got %+v\nwant %+v", got, tt.want)
			}
			checkConfigLines(t, got.ConfigLines())
		})
	}
}

// TestConfigLinesGraviton3 pins the exact output, order included, that
// result files start with.
func TestConfigLinesGraviton3(t *testing.T) {
	f := detect(Options{Region: "us-east-1", Tiers: map[string]string{schema.FP32: "neon"}, Version: "v0.1.0"}, fixture("aws-c7g.xlarge", nil))
	want := `instance: c7g.xlarge
instance-source: dmi
cloud: aws
region: us-east-1
cpu-vendor: ARM
cpu-model: Neoverse-V1
cpu-features: asimd,asimdhp,asimddp,asimdfhm,bf16,i8mm,sve,svebf16,svei8mm
simd-widest: sve
sve-vector-bits: 256
vcpus: 4
physical-cores: 4
threads-per-core: 1
numa-nodes: 1
cache-l1d: 64KiB
cache-l2: 1MiB
cache-l3: 32MiB
gomaxprocs: 3
kernel-impl: neon
kernel-impl-bf16: unknown
kernel-impl-int8: unknown
kernel-impl-q8_0: unknown
go-version: go1.26.8
os-kernel: 6.1.112-124.190.amzn2023.aarch64
thp: madvise
ppbench-version: v0.1.0
`
	var b bytes.Buffer
	n, err := f.WriteTo(&b)
	if err != nil || n != int64(b.Len()) {
		t.Fatalf("WriteTo = %d, %v; wrote %d bytes", n, err, b.Len())
	}
	if b.String() != want {
		t.Errorf("WriteTo wrote\n%s\nwant\n%s", b.String(), want)
	}
}

// checkConfigLines checks lines against the rules of the Go benchmark
// format (golang.org/x/perf/benchfmt): a key starting lower case with no
// space or upper case, then ": " and a value, all on one line.
func checkConfigLines(t *testing.T, lines []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, l := range lines {
		key, value, ok := strings.Cut(l, ": ")
		if !ok || key == "" || !unicode.IsLower([]rune(key)[0]) ||
			strings.ContainsFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsUpper(r) || r == ':' }) {
			t.Errorf("bad config line key: %q", l)
		}
		if value == "" || value != strings.TrimSpace(value) || strings.ContainsFunc(value, unicode.IsControl) {
			t.Errorf("bad config line value: %q", l)
		}
		if strings.HasPrefix(value, "Benchmark") {
			t.Errorf("value could read as a benchmark line: %q", l)
		}
		if seen[key] {
			t.Errorf("key %s printed twice", key)
		}
		seen[key] = true
	}
	for _, k := range []string{"instance", "instance-source", "cloud", "cpu-vendor", "cpu-model", "cpu-features",
		"simd-widest", "vcpus", "gomaxprocs", "kernel-impl", "kernel-impl-bf16", "kernel-impl-int8", "go-version", "os-kernel", "ppbench-version"} {
		if !seen[k] {
			t.Errorf("required key %s missing", k)
		}
	}
}

// TestDetectMalformed feeds sysfs and procfs files that do not parse.
// Detect must not panic and must leave the fields unknown, not invent them.
func TestDetectMalformed(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys := fstest.MapFS{
		"proc/cpuinfo":                                   file("garbage\n\x00\xff:\n:\nCPU implementer : 0xzz\n"),
		"proc/sys/kernel/osrelease":                      file("\n"),
		"proc/sys/abi/sve_default_vector_length":         file("-16"),
		"sys/class/dmi/id/sys_vendor":                    file("Amazon EC2\n"),
		"sys/class/dmi/id/product_name":                  file("Not Specified\n"),
		"sys/devices/system/cpu/online":                  file("3-1\n"),
		"sys/devices/system/node/online":                 file("zero\n"),
		"sys/kernel/mm/transparent_hugepage/enabled":     file("always madvise never\n"),
		"sys/devices/system/cpu/cpu0/cache/index0/level": file("one\n"),
		"sys/devices/system/cpu/cpu0/cache/index0/type":  file("Data\n"),
		"sys/devices/system/cpu/cpu0/cache/index0/size":  file("48K\n"),
		"sys/devices/system/cpu/cpu0/cache/index2/level": file("2\n"),
		"sys/devices/system/cpu/cpu0/cache/index2/type":  file("Unified\n"),
		"sys/devices/system/cpu/cpu0/cache/index2/size":  file("-2048K\n"),
	}
	got := detect(Options{}, fakeSystem(fsys, nil))
	want := Fingerprint{
		Instance: "unknown", InstanceSource: "unknown", Cloud: "aws",
		CPUVendor: "unknown", CPUModel: "unknown", SIMDWidest: "none",
		VCPUs: 99, GOMAXPROCS: 3, Tiers: fp32Tier("unknown"), GoVersion: "go1.26.8",
		OSKernel: "unknown", Version: got.Version,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("detect:\n got %+v\nwant %+v", got, want)
	}
	checkConfigLines(t, got.ConfigLines())
}

// TestTopologyPartial: a CPU online without a readable sibling list
// leaves cores unknown rather than undercounted.
func TestTopologyPartial(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name string
		fsys fstest.MapFS
		want topology
	}{
		{"missing sibling list", fstest.MapFS{
			"sys/devices/system/cpu/online":                             file("0-1\n"),
			"sys/devices/system/cpu/cpu0/topology/thread_siblings_list": file("0-1\n"),
		}, topology{vcpus: 2}},
		{"cpu not among its siblings", fstest.MapFS{
			"sys/devices/system/cpu/online":                             file("0-1\n"),
			"sys/devices/system/cpu/cpu0/topology/thread_siblings_list": file("1\n"),
			"sys/devices/system/cpu/cpu1/topology/thread_siblings_list": file("1\n"),
		}, topology{vcpus: 2}},
		{"sibling offline", fstest.MapFS{
			"sys/devices/system/cpu/online":                             file("0-2\n"),
			"sys/devices/system/cpu/cpu0/topology/thread_siblings_list": file("0-1\n"),
			"sys/devices/system/cpu/cpu1/topology/thread_siblings_list": file("0-1\n"),
			"sys/devices/system/cpu/cpu2/topology/thread_siblings_list": file("2\n"),
		}, topology{vcpus: 3, cores: 2, threadsPerCore: 2}},
		{"hole in online list", fstest.MapFS{
			"sys/devices/system/cpu/online":                             file("0,2\n"),
			"sys/devices/system/cpu/cpu0/topology/thread_siblings_list": file("0\n"),
			"sys/devices/system/cpu/cpu2/topology/thread_siblings_list": file("2\n"),
		}, topology{vcpus: 2, cores: 2, threadsPerCore: 1}},
	}
	for _, tt := range tests {
		if got := readTopology(tt.fsys); got != tt.want {
			t.Errorf("%s: readTopology = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestInstanceAndCloud(t *testing.T) {
	nitro := dmi{sysVendor: "Amazon EC2", productName: "m7i.metal-24xl"}
	xen := dmi{sysVendor: "Xen", productName: "HVM domU", biosVersion: "4.11.amazon"}
	gce := dmi{sysVendor: "Google", productName: "Google Compute Engine"}
	tests := []struct {
		flag, env        string
		dmi              dmi
		instance, source string
		cloud            string
	}{
		{"", "", nitro, "m7i.metal-24xl", "dmi", "aws"},
		{"", "", xen, "unknown", "unknown", "aws"},
		{"", "", gce, "unknown", "unknown", "gcp"},
		{"", "n2-highmem-8", gce, "n2-highmem-8", "env", "gcp"},
		{"  c7g.xlarge\n", "", dmi{}, "c7g.xlarge", "flag", "aws"},
		{"p6-b200.48xlarge", "", dmi{}, "p6-b200.48xlarge", "flag", "aws"},
		{"c3-standard-4-lssd", "", dmi{}, "c3-standard-4-lssd", "flag", "gcp"},
		{"e2-medium", "", dmi{}, "e2-medium", "flag", "gcp"},
		{"Standard_D4ps_v5", "", dmi{}, "Standard_D4ps_v5", "flag", "azure"},
		{"", "", dmi{sysVendor: "Amazon EC2", productName: "Not Specified"}, "unknown", "unknown", "aws"},
		// DMI names the cloud even when the flag names an instance of another.
		{"c4a-standard-4", "", nitro, "c4a-standard-4", "flag", "aws"},
	}
	for _, tt := range tests {
		inst, src := resolveInstance(tt.flag, tt.env, tt.dmi)
		cloud := resolveCloud(tt.dmi, inst)
		if inst != tt.instance || src != tt.source || cloud != tt.cloud {
			t.Errorf("flag %q env %q dmi %+v: got %s %s %s, want %s %s %s",
				tt.flag, tt.env, tt.dmi, inst, src, cloud, tt.instance, tt.source, tt.cloud)
		}
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  c7g.xlarge\n", "c7g.xlarge"},
		{"a\nBenchmarkFake 1 2 ns/op", "a BenchmarkFake 1 2 ns/op"},
		{"Intel(R)  Xeon(R)\tCPU", "Intel(R) Xeon(R) CPU"},
		{"x\x00y\x7f\xffz", "x y z"},
		{"\u00a0nbsp\u2028sep\u00a0", "nbsp sep"},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestConfigLinesZero: a zero Fingerprint still prints every required key,
// as "unknown", and no optional one.
func TestConfigLinesZero(t *testing.T) {
	lines := Fingerprint{}.ConfigLines()
	checkConfigLines(t, lines)
	// The 12 host keys every file has, and a tier line per data type.
	if want := 12 + len(schema.DataTypes()); len(lines) != want {
		t.Errorf("zero Fingerprint printed %d lines, want the %d required:\n%s", len(lines), want, strings.Join(lines, "\n"))
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{48 << 10, "48KiB"}, {1 << 20, "1MiB"}, {1536 << 10, "1536KiB"}, {105 << 20, "105MiB"}, {1 << 30, "1GiB"}, {1000, "1000B"},
	}
	for _, tt := range tests {
		if got := formatSize(tt.n); got != tt.want {
			t.Errorf("formatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestDetectLive runs on whatever machine the tests run on. It can check
// only what holds everywhere.
func TestDetectLive(t *testing.T) {
	f := Detect(Options{Tiers: map[string]string{schema.FP32: "portable"}})
	checkConfigLines(t, f.ConfigLines())
	if f.VCPUs < 1 || f.GOMAXPROCS != runtime.GOMAXPROCS(0) || f.GoVersion != runtime.Version() {
		t.Errorf("Detect = %+v", f)
	}
	if f.PhysicalCores > 0 && f.PhysicalCores*f.ThreadsPerCore < f.VCPUs {
		t.Errorf("%d cores x %d threads < %d vCPUs", f.PhysicalCores, f.ThreadsPerCore, f.VCPUs)
	}
	t.Logf("\n%s", strings.Join(f.ConfigLines(), "\n"))
}

// TestConfigKeysAreTheSchemas: a fingerprint with every field known
// writes exactly internal/schema's ConfigKeys, in that order, so that the
// reader and the writer cannot disagree on a key.
func TestConfigKeysAreTheSchemas(t *testing.T) {
	f := Fingerprint{
		Instance: "c7g.xlarge", InstanceSource: "dmi", Cloud: "aws", Region: "us-east-1", Lifecycle: "spot", HostID: "0123456789ab",
		CPUVendor: "ARM", CPUModel: "Neoverse-V1", CPUUarch: "neoverse-v1", CPUFeatures: []string{"asimd"}, SIMDWidest: "sve",
		SVEVectorBits: 256, AMX: "usable", VCPUs: 4, PhysicalCores: 4, ThreadsPerCore: 1, NUMANodes: 1,
		Caches: Caches{L1D: 64 << 10, L2: 1 << 20, L3: 32 << 20}, GOMAXPROCS: 4,
		Tiers: map[string]string{schema.FP32: "neon", schema.BF16: "bf16", schema.Int8: "i8mm"}, GoVersion: "go1.26.8", OSKernel: "6.1", THP: "madvise", Version: "v1",
	}
	var keys []string
	for _, l := range f.ConfigLines() {
		k, _, _ := strings.Cut(l, ": ")
		keys = append(keys, k)
	}
	if !slices.Equal(keys, schema.ConfigKeys) {
		t.Errorf("config keys %v, schema.ConfigKeys %v", keys, schema.ConfigKeys)
	}
}

// TestDetectAsksMetadata: on a cloud host DMI identifies, what the caller
// and DMI left unknown comes from the metadata service; what the caller
// gave wins; a failing service changes nothing.
func TestDetectAsksMetadata(t *testing.T) {
	md := Metadata{Cloud: "gcp", Instance: "c4a-standard-4", Region: "europe-west4", Spot: true, ID: "4567"}
	sys := fixture("gcp-c4a-standard-4", nil)
	asked := 0
	sys.metadata = func(fs.FS) (Metadata, error) { asked++; return md, nil }
	f := detect(Options{}, sys)
	if f.Instance != "c4a-standard-4" || f.InstanceSource != SourceMetadata || f.Region != "europe-west4" || f.Lifecycle != schema.LifecycleSpot {
		t.Errorf("from metadata: instance %q (%s), region %q, lifecycle %q", f.Instance, f.InstanceSource, f.Region, f.Lifecycle)
	}
	lines := strings.Join(f.ConfigLines(), "\n")
	for _, want := range []string{"instance-source: metadata", "region: europe-west4", "lifecycle: spot", "host-id: " + HostIDOf("gcp", "4567")} {
		if !strings.Contains(lines, want) {
			t.Errorf("config lines lack %q:\n%s", want, lines)
		}
	}
	f = detect(Options{Instance: "c4a-standard-8", Region: "us-central1"}, sys)
	if f.Instance != "c4a-standard-8" || f.Region != "us-central1" || f.HostID != HostIDOf("gcp", "4567") {
		t.Errorf("flags given: instance %q, region %q, host-id %q", f.Instance, f.Region, f.HostID)
	}
	if HostIDOf("gcp", "4567") == HostIDOf("gcp", "4568") || len(HostIDOf("aws", "i-0abc")) != 12 {
		t.Errorf("HostIDOf does not tell hosts apart in 12 hex digits")
	}
	sys.metadata = func(fs.FS) (Metadata, error) { return Metadata{}, ErrNoCloud }
	if f := detect(Options{}, sys); f.InstanceSource != schema.Unknown || f.Lifecycle != "" {
		t.Errorf("failing service: %+v", f)
	}
}

// fp32Tier is the Tiers of a fingerprint given only the fp32 tier.
// fp32Tier is the tiers of a fingerprint given only the fp32 tier: every
// other data type's is unknown.
func fp32Tier(name string) map[string]string {
	m := map[string]string{}
	for _, d := range schema.DataTypes() {
		m[d.Name] = schema.Unknown
	}
	m[schema.FP32] = name
	return m
}

// TestAMXLineOnlyWithTiles: the amx line is written where the CPU lists
// AMX tiles, saying whether the process may use them, and nowhere else.
func TestAMXLineOnlyWithTiles(t *testing.T) {
	for _, tt := range []struct {
		features []string
		amx      string
		want     string
	}{
		{[]string{"avx512f", "amxtile"}, "denied by the kernel: operation not permitted", "amx: denied by the kernel: operation not permitted"},
		{[]string{"avx512f", "amxtile"}, "", "amx: unknown"},
		{[]string{"avx512f"}, "no amx-tile in cpuid", ""},
	} {
		sys := fakeSystem(fstest.MapFS{}, nil)
		sys.preferCPUID = true
		sys.cpuid = func() (cpuFacts, bool) { return cpuFacts{vendor: "Intel", model: "x", features: tt.features}, true }
		f := detect(Options{AMX: tt.amx}, sys)
		got := ""
		for _, l := range f.ConfigLines() {
			if strings.HasPrefix(l, schema.ConfigAMX+": ") {
				got = l
			}
		}
		if got != tt.want {
			t.Errorf("features %v, AMX %q: line %q, want %q", tt.features, tt.amx, got, tt.want)
		}
	}
}
