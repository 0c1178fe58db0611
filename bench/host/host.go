// Package host describes the machine a benchmark runs on: the instance
// type, the CPU, its topology and the software around the kernels. The
// description is printed as Go benchmark configuration lines ("key: value")
// at the top of every result file, so that benchstat can group and compare
// results by any of them.
//
// Detect reads Linux's /proc and /sys and, on amd64, the CPUID instruction.
// Topology (vCPUs, cores, threads per core, NUMA nodes) comes only from
// /sys, because a hypervisor can present any CPUID leaves it likes, while
// /sys reflects what the guest kernel actually schedules on. Whatever cannot
// be read, or reads as something malformed, is left unknown (the zero value)
// rather than guessed; Detect never fails and never panics.
//
// The lines, in this order (the keys are internal/schema's Config*
// constants), with optional ones marked:
//
//	instance          instance type, or "unknown"
//	instance-source   flag | env | dmi | metadata | unknown
//	cloud             aws | gcp | azure | unknown
//	region            optional: given, or from the metadata service
//	lifecycle         optional: spot, from the metadata service
//	host-id           optional: a hash of the instance id, from the metadata service
//	cpu-vendor        ARM, Intel, AMD, ...
//	cpu-model         brand string (amd64) or core name from "CPU part" (arm64)
//	cpu-uarch         optional: x86 microarchitecture from CPUID family and model
//	cpu-features      kernel-relevant features, comma-separated, fixed order
//	simd-widest       avx512 | avx2 | sse2 | sve2 | sve | neon | none
//	sve-vector-bits   optional: SVE vector length of new processes, in bits
//	vcpus             online logical CPUs
//	physical-cores    optional: distinct cores among them
//	threads-per-core  optional: hardware threads per core (2 with SMT)
//	numa-nodes        optional: online NUMA nodes
//	cache-l1d         optional: L1 data cache of CPU 0, e.g. 64KiB
//	cache-l2          optional: L2 cache of CPU 0
//	cache-l3          optional: L3 cache instance CPU 0 belongs to
//	gomaxprocs        runtime.GOMAXPROCS(0); below vcpus under a CPU quota
//	kernel-impl       the fp32 kernel tier in use, as given by the caller
//	kernel-impl-bf16  the bf16 tier in use, as given by the caller
//	kernel-impl-int8  the int8 tier in use, as given by the caller
//	go-version        runtime.Version()
//	os-kernel         uname release
//	thp               transparent huge pages mode: always | madvise | never
//	ppbench-version   as given by the caller, else Version()
//
// Optional lines are left out when their value is unknown.
package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ppbench/ppbench/internal/schema"
)

// Fingerprint describes one host. String fields are single-line and already
// sanitized by Detect; integer fields are zero when unknown.
type Fingerprint struct {
	Instance       string // instance type, e.g. "c7g.xlarge"; schema.Unknown when not known
	InstanceSource string // where Instance came from: SourceFlag, SourceEnv, SourceDMI, SourceMetadata or schema.Unknown
	Cloud          string // schema.AWS, GCP, Azure or Unknown
	Region         string // e.g. "us-east-1"; empty when not given
	// Lifecycle is schema.LifecycleSpot for a spot (preemptible) instance, as the
	// metadata service says; empty otherwise.
	Lifecycle string
	// HostID names the machine, not its type: a short hash of the cloud's
	// instance id (HostIDOf), so that two results files from one host
	// count as one launch, without publishing the id itself. Empty when
	// no metadata service gave one.
	HostID string

	CPUVendor   string   // e.g. "ARM", "Intel", "AMD"; schema.Unknown when not known
	CPUModel    string   // e.g. "Neoverse-V1", "Intel(R) Xeon(R) Platinum 8488C"
	CPUUarch    string   // x86 microarchitecture by CPUID family and model, e.g. "zen4" where CPUModel is "AMD EPYC"; empty when unknown
	CPUFeatures []string // kernel-relevant ISA features, lower case, in a fixed order
	// SIMDWidest is the widest SIMD extension the CPU offers, whether or
	// not the kernels use it, by the feature sets the kernel tiers need
	// (internal/isa): "avx512" (F, VL, BW and DQ), "avx2" (with FMA),
	// "sse2", "sve2", "sve", "neon" or "none".
	SIMDWidest string
	// AMX is what this process may do with the CPU's AMX tiles:
	// schema.AMXUsable or why not; empty when the CPU lists none.
	AMX string
	// SVEVectorBits is the SVE vector length a new process gets, in bits
	// (128 on Graviton4, 256 on Graviton3); 0 without SVE or when unknown.
	SVEVectorBits int

	VCPUs          int // online logical CPUs; falls back to runtime.NumCPU
	PhysicalCores  int // distinct cores among the online CPUs
	ThreadsPerCore int // the most hardware threads any core has online
	NUMANodes      int // online NUMA nodes
	Caches         Caches

	GOMAXPROCS int // runtime.GOMAXPROCS(0) when detected
	// Tiers names the kernel tier in use for each data type of
	// schema.DataTypes, by data type ("fp32": "neon", "bf16":
	// "avx512bf16", "int8": "i8mm"); schema.Unknown for one not given.
	Tiers     map[string]string
	GoVersion string // runtime.Version()
	OSKernel  string // kernel release, e.g. "6.1.112-124.190.amzn2023.aarch64"
	THP       string // transparent huge pages: "always", "madvise" or "never"; empty when unknown
	Version   string // ppbench version
}

// Caches gives the sizes, in bytes, of the caches CPU 0 uses; 0 when
// unknown. A shared cache is counted once per instance, not per socket: on
// a chip with several L3 slices (AMD's CCDs) L3 is one slice.
type Caches struct {
	L1D int // level 1 data cache, per core
	L2  int // level 2 cache
	L3  int // level 3 cache
}

// Options are what the caller knows better than the host.
type Options struct {
	Instance string // instance type from a -instance flag; empty to detect
	Region   string // region from a -region flag; empty to use $PPBENCH_REGION
	// Tiers names the kernel tier in use for each data type, by data
	// type name (schema.DataTypes); package bench fills it.
	Tiers map[string]string
	// AMX is schema.AMXUsable, or why the kernels cannot use AMX tiles
	// (kernels.AMXStatus); written only where the CPU lists amxtile.
	AMX     string
	Version string // ppbench version; empty to use Version()
}

// Environment variables consulted when Options leaves a value empty.
const (
	EnvInstance = "PPBENCH_INSTANCE"
	EnvRegion   = "PPBENCH_REGION"
)

// CheckEnv checks the names in $PPBENCH_INSTANCE and $PPBENCH_REGION by
// schema.CheckName, the rule -instance and -region follow: they name the
// host just as the flags do, and Detect would otherwise fold a bad one
// into something nobody typed.
func CheckEnv() error {
	for _, env := range []string{EnvInstance, EnvRegion} {
		if v := os.Getenv(env); v != "" {
			if err := schema.CheckName(v); err != nil {
				return fmt.Errorf("$%s: %w", env, err)
			}
		}
	}
	return nil
}

// Detect describes the host it runs on. It never fails: what it cannot
// find out is left unknown.
func Detect(opts Options) Fingerprint {
	return detect(opts, liveSystem())
}

// A system is where detect looks. Tests replace every part of it, so that
// a fixture tree describes a Graviton host even on an amd64 machine (and
// under qemu-user, whose /proc/cpuinfo is the build host's).
type system struct {
	fsys   fs.FS // root of the file system: "proc/cpuinfo", "sys/..."
	getenv func(string) string
	// cpuid returns what the CPUID instruction (or the OS, off Linux)
	// reports, and whether it is usable at all.
	cpuid func() (cpuFacts, bool)
	// preferCPUID says CPUID is more faithful than /proc/cpuinfo here:
	// true on x86, where the kernels dispatch on the same CPUID bits.
	preferCPUID bool
	uname       func() string // kernel release when /proc has none; may be nil
	// metadata asks the cloud's instance metadata service (see
	// QueryMetadata); nil in tests, which must never reach a network.
	metadata   func(fs.FS) (Metadata, error)
	numCPU     int
	gomaxprocs int
	goVersion  string
}

func liveSystem() system {
	return system{
		fsys:        os.DirFS("/"),
		getenv:      os.Getenv,
		cpuid:       liveCPUID,
		preferCPUID: runtime.GOARCH == "amd64" || runtime.GOARCH == "386",
		uname:       unameRelease,
		metadata: func(fsys fs.FS) (Metadata, error) {
			return QueryMetadata(context.Background(), fsys, MetadataEndpoints{})
		},
		numCPU:     runtime.NumCPU(),
		gomaxprocs: runtime.GOMAXPROCS(0),
		goVersion:  runtime.Version(),
	}
}

func detect(opts Options, sys system) Fingerprint {
	var f Fingerprint

	dmi := readDMI(sys.fsys)
	f.Instance, f.InstanceSource = resolveInstance(opts.Instance, sys.getenv(EnvInstance), dmi)
	f.Cloud = resolveCloud(dmi, f.Instance)
	f.Region = sanitize(opts.Region)
	if f.Region == "" {
		f.Region = sanitize(sys.getenv(EnvRegion))
	}
	fromMetadata(&f, sys)

	cpu := detectCPU(sys)
	f.CPUVendor = orUnknown(sanitize(cpu.vendor))
	f.CPUModel = orUnknown(sanitize(cpu.model))
	f.CPUUarch = sanitize(cpu.uarch)
	f.CPUFeatures = cpu.features
	f.SIMDWidest = cpu.simd
	if f.SIMDWidest == "" {
		f.SIMDWidest = "none"
	}
	if cpu.has("sve") {
		f.SVEVectorBits = readSVEVectorBits(sys.fsys)
	}

	topo := readTopology(sys.fsys)
	f.VCPUs = topo.vcpus
	if f.VCPUs == 0 {
		f.VCPUs = sys.numCPU
	}
	f.PhysicalCores = topo.cores
	f.ThreadsPerCore = topo.threadsPerCore
	f.NUMANodes = readNUMANodes(sys.fsys)
	f.Caches = readCaches(sys.fsys)
	if f.Caches == (Caches{}) {
		f.Caches = cpu.caches
	}

	if slices.Contains(f.CPUFeatures, "amxtile") {
		f.AMX = orUnknown(sanitize(opts.AMX))
	}
	f.GOMAXPROCS = sys.gomaxprocs
	f.Tiers = map[string]string{}
	for _, d := range schema.DataTypes() {
		f.Tiers[d.Name] = orUnknown(sanitize(opts.Tiers[d.Name]))
	}
	f.GoVersion = orUnknown(sanitize(sys.goVersion))
	f.OSKernel = readOSRelease(sys.fsys)
	if f.OSKernel == "" && sys.uname != nil {
		f.OSKernel = sanitize(sys.uname())
	}
	f.OSKernel = orUnknown(f.OSKernel)
	f.THP = readTHP(sys.fsys)
	f.Version = sanitize(opts.Version)
	if f.Version == "" {
		f.Version = Version()
	}
	return f
}

// fromMetadata fills in, from the cloud's instance metadata service, what
// neither the caller nor DMI said: the instance type on GCP and Azure, the
// region everywhere, and whether the instance is spot. QueryMetadata asks
// only on a host that DMI identifies as that cloud, with a short timeout,
// and a failure leaves f as it was: Detect never fails.
//
// It asks even when the caller named the type and the region, for the
// host's id: two results files of one host are one draw, not two.
func fromMetadata(f *Fingerprint, sys system) {
	if sys.metadata == nil {
		return
	}
	md, err := sys.metadata(sys.fsys)
	if err != nil {
		return
	}
	if f.InstanceSource == schema.Unknown && md.Instance != "" {
		f.Instance, f.InstanceSource, f.Cloud = md.Instance, SourceMetadata, md.Cloud
	}
	if f.Region == "" {
		f.Region = md.Region
	}
	if md.Spot {
		f.Lifecycle = schema.LifecycleSpot
	}
	if md.ID != "" {
		f.HostID = HostIDOf(md.Cloud, md.ID)
	}
}

// HostIDOf is the host-id of the instance id on cloud: the first 12 hex
// digits of SHA-256 over "cloud:id", enough to tell hosts apart and not
// the id a reader of published results could look up.
func HostIDOf(cloud, id string) string {
	sum := sha256.Sum256([]byte(cloud + ":" + id))
	return hex.EncodeToString(sum[:6])
}

// Where Fingerprint.Instance came from, as instance-source prints it
// (schema.Unknown when nobody said).
const (
	SourceFlag     = "flag"
	SourceEnv      = "env"
	SourceDMI      = "dmi"
	SourceMetadata = "metadata"
)

// ConfigLines returns f as Go benchmark configuration lines, without
// newlines, in the order given in the package documentation. Every line
// is "key: value" with a lower-case key free of spaces and a non-empty
// single-line value. Empty string fields of a Fingerprint not made by
// Detect print as "unknown".
func (f Fingerprint) ConfigLines() []string {
	var lines []string
	add := func(key, value string) {
		lines = append(lines, key+": "+orUnknown(sanitize(value)))
	}
	addInt := func(key string, n int, optional bool) {
		switch {
		case n > 0:
			add(key, strconv.Itoa(n))
		case !optional:
			add(key, schema.Unknown)
		}
	}
	addSize := func(key string, n int) {
		if n > 0 {
			add(key, formatSize(n))
		}
	}

	add(schema.ConfigInstance, f.Instance)
	add(schema.ConfigInstanceSource, f.InstanceSource)
	add(schema.ConfigCloud, f.Cloud)
	if r := sanitize(f.Region); r != "" {
		add(schema.ConfigRegion, r)
	}
	if l := sanitize(f.Lifecycle); l != "" {
		add(schema.ConfigLifecycle, l)
	}
	if h := sanitize(f.HostID); h != "" {
		add(schema.ConfigHostID, h)
	}
	add(schema.ConfigCPUVendor, f.CPUVendor)
	add(schema.ConfigCPUModel, f.CPUModel)
	if u := sanitize(f.CPUUarch); u != "" {
		add(schema.ConfigCPUUarch, u)
	}
	if len(f.CPUFeatures) == 0 {
		add(schema.ConfigCPUFeatures, "none")
	} else {
		add(schema.ConfigCPUFeatures, strings.Join(f.CPUFeatures, ","))
	}
	add(schema.ConfigSIMDWidest, f.SIMDWidest)
	addInt(schema.ConfigSVEVectorBits, f.SVEVectorBits, true)
	if f.AMX != "" {
		add(schema.ConfigAMX, f.AMX)
	}
	addInt(schema.ConfigVCPUs, f.VCPUs, false)
	addInt(schema.ConfigPhysicalCores, f.PhysicalCores, true)
	addInt(schema.ConfigThreadsPerCore, f.ThreadsPerCore, true)
	addInt(schema.ConfigNUMANodes, f.NUMANodes, true)
	addSize(schema.ConfigCacheL1D, f.Caches.L1D)
	addSize(schema.ConfigCacheL2, f.Caches.L2)
	addSize(schema.ConfigCacheL3, f.Caches.L3)
	addInt(schema.ConfigGOMAXPROCS, f.GOMAXPROCS, false)
	for _, d := range schema.DataTypes() {
		add(d.ConfigKey, orUnknown(f.Tiers[d.Name]))
	}
	add(schema.ConfigGoVersion, f.GoVersion)
	add(schema.ConfigOSKernel, f.OSKernel)
	if t := sanitize(f.THP); t != "" {
		add(schema.ConfigTHP, t)
	}
	add(schema.ConfigVersion, f.Version)
	return lines
}

// WriteTo writes f's configuration lines to w, one per line.
func (f Fingerprint) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	for _, l := range f.ConfigLines() {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// formatSize prints a byte count in the largest binary unit that divides
// it, so that "36MiB" and "1536KiB" both stay exact.
func formatSize(n int) string {
	switch {
	case n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	case n%(1<<10) == 0:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

// sanitize makes s safe as a configuration value: one line, no control or
// invalid UTF-8 bytes, runs of white space folded to one space, trimmed.
// Whatever a DMI table, a flag or an environment variable holds, the result
// cannot end the line early or turn into a benchmark line of its own.
func sanitize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError, unicode.IsSpace(r), unicode.IsControl(r), !unicode.IsPrint(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func orUnknown(s string) string {
	if s == "" {
		return schema.Unknown
	}
	return s
}
