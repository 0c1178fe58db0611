package schema

import "slices"

// Configuration keys: the "key: value" lines before the results. goos,
// goarch, pkg and cpu are go test's own; the rest describe the host (see
// package bench/host for how each is found), in the order they are
// written. Optional lines are left out when unknown; required ones read
// Unknown.
const (
	ConfigGOOS   = "goos"
	ConfigGOARCH = "goarch"
	ConfigPkg    = "pkg"
	ConfigCPU    = "cpu" // go test's brand string; absent on arm64 Linux

	ConfigInstance       = "instance"        // instance type, or Unknown
	ConfigInstanceSource = "instance-source" // flag | env | dmi | metadata | unknown
	ConfigCloud          = "cloud"           // aws | gcp | azure | unknown
	ConfigRegion         = "region"          // optional
	ConfigLifecycle      = "lifecycle"       // optional: spot
	ConfigHostID         = "host-id"         // optional: a hash of the cloud's instance id
	ConfigCPUVendor      = "cpu-vendor"
	ConfigCPUModel       = "cpu-model"
	ConfigCPUUarch       = "cpu-uarch"
	ConfigCPUFeatures    = "cpu-features" // comma-separated, fixed order
	ConfigSIMDWidest     = "simd-widest"  // avx512 | avx2 | sse2 | sve2 | sve | neon | none
	ConfigSVEVectorBits  = "sve-vector-bits"
	// ConfigAMX is present on hosts whose CPU lists AMX tiles: AMXUsable,
	// or why this process could not use them ("tile state not enabled in
	// xcr0", "denied by the kernel: ..."), in which case the bf16 and int8
	// results ran on the vector units.
	ConfigAMX            = "amx"
	ConfigVCPUs          = "vcpus"
	ConfigPhysicalCores  = "physical-cores"
	ConfigThreadsPerCore = "threads-per-core"
	ConfigNUMANodes      = "numa-nodes"
	ConfigCacheL1D       = "cache-l1d"
	ConfigCacheL2        = "cache-l2"
	ConfigCacheL3        = "cache-l3"
	ConfigGOMAXPROCS     = "gomaxprocs"
	ConfigKernelImpl     = "kernel-impl"      // the fp32 kernel tier (DataTypes)
	ConfigKernelImplBF16 = "kernel-impl-bf16" // the bf16 tier
	ConfigKernelImplInt8 = "kernel-impl-int8" // the int8 tier
	ConfigKernelImplQ8   = "kernel-impl-q8_0" // the block-quantised int8 (Q8_0) tier
	ConfigGoVersion      = "go-version"
	ConfigOSKernel       = "os-kernel"
	ConfigTHP            = "thp"
	ConfigVersion        = "ppbench-version"
	// ConfigSkipped, after a `ppbench run` file's host lines, lists the
	// benchmarks the run left out and why ("needs 9.1 GB, ..."), "; "
	// between them: a model too big for the host. Not a host key.
	ConfigSkipped = "skipped"

	// ConfigSteal closes a `ppbench run` file with the steal time of the
	// whole run, in percent. go test files carry only the per-result
	// UnitSteal metric: they are often appended to one another, and a
	// closing config line would become the configuration of the next
	// file's results.
	ConfigSteal = "steal-percent"
)

// ConfigKeys lists the host's configuration keys in the order a results
// file has them (after go test's goos, goarch, pkg and cpu).
var ConfigKeys = []string{
	ConfigInstance, ConfigInstanceSource, ConfigCloud, ConfigRegion, ConfigLifecycle, ConfigHostID,
	ConfigCPUVendor, ConfigCPUModel, ConfigCPUUarch, ConfigCPUFeatures, ConfigSIMDWidest, ConfigSVEVectorBits, ConfigAMX,
	ConfigVCPUs, ConfigPhysicalCores, ConfigThreadsPerCore, ConfigNUMANodes,
	ConfigCacheL1D, ConfigCacheL2, ConfigCacheL3,
	ConfigGOMAXPROCS,
	// then one tier key per data type (TierKeys), then configEnd
}

// configEnd are the keys after the tier keys.
var configEnd = []string{ConfigGoVersion, ConfigOSKernel, ConfigTHP, ConfigVersion}

func init() { ConfigKeys = slices.Concat(ConfigKeys, TierKeys(), configEnd) }

// AMXUsable is the amx line's value when the process may use the tiles.
const AMXUsable = "usable"

// LifecycleSpot is the lifecycle line's value for a spot (preemptible)
// instance, which the report prices at spot.
const LifecycleSpot = "spot"

// Unknown is the value of a required configuration line that could not be
// determined, and of an instance nobody named.
const Unknown = "unknown"
