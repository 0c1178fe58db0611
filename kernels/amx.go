package kernels

import "sync"

// Intel AMX (Advanced Matrix Extensions, Sapphire Rapids and later) adds
// eight tile registers of up to 16 rows × 64 bytes and instructions that
// multiply whole tiles: the "amx" Int8Tier and BF16Tier. Running them takes
// more than CPUID: the OS must enable the tile state in XCR0, and Linux
// hands it out only to processes that ask (arch_prctl ARCH_REQ_XCOMP_PERM),
// since it adds 8 KiB to every thread's saved state and signal frame.

var amx struct {
	once   sync.Once
	usable bool
	why    string
}

// AMXStatus reports whether this process can run AMX tile instructions,
// and when it cannot, why not as a short lower-case phrase for a results
// config line ("no amx-tile in cpuid", "tile state not enabled in xcr0",
// "denied by the kernel: <errno>", ...). The first call asks the kernel
// for the tile state, once per process; the AMX tiers are in Int8Tiers and
// BF16Tiers only when usable is true.
func AMXStatus() (usable bool, why string) {
	amx.once.Do(func() { amx.usable, amx.why = amxDetect() })
	return amx.usable, amx.why
}

// amxUsable is AMXStatus's first result.
func amxUsable() bool {
	ok, _ := AMXStatus()
	return ok
}
