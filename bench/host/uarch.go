package host

import "slices"

// An x86 CPU's brand string need not name its generation: a hypervisor may
// shorten it (KVM guests on EPYC Genoa read just "AMD EPYC") and cloud
// parts carry custom names ("AMD EPYC 9R14", "Intel Xeon Platinum
// 8488C"). The family, model and stepping of CPUID leaf 1 do name it, and
// hypervisors pass them through, since guest kernels key errata and
// performance-counter tables on them (or, presenting a named CPU model,
// set that model's). x86Uarch turns them into the name printed as
// cpu-uarch, as armParts does for the arm64 CPU part.
//
// The names are those of Linux's tables in lower case: AMD's from the
// X86_FEATURE_ZEN* flags that arch/x86/kernel/cpu/amd.c sets, Intel's
// from the INTEL_* model names of arch/x86/include/asm/intel-family.h,
// server parts that share a name with a client one suffixed -sp or -d.
// Linux gives the dense variants of Zen 4 and Zen 5 (Bergamo, Siena and
// Turin Dense) no names of their own; those come from illumos, whose
// usr/src/uts/intel/os/cpuid_subr.c lists each AMD chip by family and
// model range.

// An x86UarchRange is a family and a range of models (and of steppings)
// that are one microarchitecture.
type x86UarchRange struct {
	vendor                 string // as cpuFacts.vendor: "AMD" or "Intel"
	family                 int
	modelLo, modelHi       int
	steppingLo, steppingHi int
	name                   string
}

// maxStepping is the largest stepping: it is four bits of CPUID leaf 1.
const maxStepping = 0xf

// x86Uarches lists the ranges. x86Uarch takes the first that matches, so a
// narrower range comes before a wider one it overlaps.
var x86Uarches = []x86UarchRange{
	// AMD family 17h and 19h, from amd.c's bsp_init_amd, which sets
	// X86_FEATURE_ZEN1 to ZEN4 by these model ranges (Zen+ counts as
	// Zen 1 there). Family 19h models A0h-AFh, which amd.c counts as Zen 4,
	// are Bergamo and Siena, the Zen 4c parts, in illumos's amd_revmap.
	{"AMD", 0x17, 0x00, 0x2f, 0, maxStepping, "zen1"},
	{"AMD", 0x17, 0x50, 0x5f, 0, maxStepping, "zen1"},
	{"AMD", 0x17, 0x30, 0x4f, 0, maxStepping, "zen2"},
	{"AMD", 0x17, 0x60, 0x7f, 0, maxStepping, "zen2"},
	{"AMD", 0x17, 0x90, 0x91, 0, maxStepping, "zen2"},
	{"AMD", 0x17, 0xa0, 0xaf, 0, maxStepping, "zen2"},
	{"AMD", 0x19, 0x00, 0x0f, 0, maxStepping, "zen3"},
	{"AMD", 0x19, 0x20, 0x5f, 0, maxStepping, "zen3"},
	{"AMD", 0x19, 0x10, 0x1f, 0, maxStepping, "zen4"}, // Genoa
	{"AMD", 0x19, 0xa0, 0xaf, 0, maxStepping, "zen4c"},
	{"AMD", 0x19, 0x60, 0xaf, 0, maxStepping, "zen4"},
	// AMD family 1Ah: X86_FEATURE_ZEN5 in amd.c. Models 10h-1Fh are Turin
	// Dense, the Zen 5c part, in illumos's amd_revmap (00h-0Fh are Turin).
	{"AMD", 0x1a, 0x10, 0x1f, 0, maxStepping, "zen5c"},
	{"AMD", 0x1a, 0x00, 0x2f, 0, maxStepping, "zen5"},
	{"AMD", 0x1a, 0x40, 0x4f, 0, maxStepping, "zen5"},
	{"AMD", 0x1a, 0x60, 0x7f, 0, maxStepping, "zen5"},

	// Intel server parts, from intel-family.h. Model 55h is
	// INTEL_SKYLAKE_X, which the header's comments say is Cascade Lake at
	// stepping 7 and Cooper Lake at stepping 11; Skylake-SP itself is
	// steppings 3 and 4, those Linux's TSC-deadline table (deadline_match
	// in arch/x86/kernel/apic/apic.c) gives microcode revisions for. Other
	// steppings of the model are left unnamed rather than guessed.
	{"Intel", 6, 0x55, 0x55, 3, 4, "skylake-sp"},
	{"Intel", 6, 0x55, 0x55, 7, 7, "cascadelake"},
	{"Intel", 6, 0x55, 0x55, 11, 11, "cooperlake"},
	{"Intel", 6, 0x6a, 0x6a, 0, maxStepping, "icelake-sp"}, // INTEL_ICELAKE_X
	{"Intel", 6, 0x6c, 0x6c, 0, maxStepping, "icelake-d"},
	{"Intel", 6, 0x8f, 0x8f, 0, maxStepping, "sapphirerapids"},
	{"Intel", 6, 0xcf, 0xcf, 0, maxStepping, "emeraldrapids"},
	{"Intel", 6, 0xad, 0xad, 0, maxStepping, "graniterapids"}, // INTEL_GRANITERAPIDS_X
	{"Intel", 6, 0xae, 0xae, 0, maxStepping, "graniterapids-d"},
	{"Intel", 6, 0xaf, 0xaf, 0, maxStepping, "sierraforest"}, // INTEL_ATOM_CRESTMONT_X
	{"Intel", 19, 0x01, 0x01, 0, maxStepping, "diamondrapids"},

	// Intel client parts, from intel-family.h, with the Kaby Lake
	// refreshes its comments place at steppings of models 8Eh and 9Eh.
	{"Intel", 6, 0x4e, 0x4e, 0, maxStepping, "skylake"}, // INTEL_SKYLAKE_L
	{"Intel", 6, 0x5e, 0x5e, 0, maxStepping, "skylake"},
	{"Intel", 6, 0x8e, 0x8e, 9, 9, "amberlake"},
	{"Intel", 6, 0x8e, 0x8e, 10, 10, "coffeelake"},
	{"Intel", 6, 0x8e, 0x8e, 11, 12, "whiskeylake"},
	{"Intel", 6, 0x8e, 0x8e, 0, maxStepping, "kabylake"}, // INTEL_KABYLAKE_L
	{"Intel", 6, 0x9e, 0x9e, 10, 13, "coffeelake"},
	{"Intel", 6, 0x9e, 0x9e, 0, maxStepping, "kabylake"},
	{"Intel", 6, 0xa5, 0xa6, 0, maxStepping, "cometlake"},
	{"Intel", 6, 0x7d, 0x7e, 0, maxStepping, "icelake"}, // INTEL_ICELAKE, INTEL_ICELAKE_L
	{"Intel", 6, 0xa7, 0xa7, 0, maxStepping, "rocketlake"},
	{"Intel", 6, 0x8c, 0x8d, 0, maxStepping, "tigerlake"},
	{"Intel", 6, 0x97, 0x97, 0, maxStepping, "alderlake"},
	{"Intel", 6, 0x9a, 0x9a, 0, maxStepping, "alderlake"},
	{"Intel", 6, 0xb7, 0xb7, 0, maxStepping, "raptorlake"},
	{"Intel", 6, 0xba, 0xba, 0, maxStepping, "raptorlake"},
	{"Intel", 6, 0xbf, 0xbf, 0, maxStepping, "raptorlake"},
	{"Intel", 6, 0xaa, 0xaa, 0, maxStepping, "meteorlake"}, // INTEL_METEORLAKE_L
	{"Intel", 6, 0xac, 0xac, 0, maxStepping, "meteorlake"},
	{"Intel", 6, 0xb5, 0xb5, 0, maxStepping, "arrowlake"}, // INTEL_ARROWLAKE_U
	{"Intel", 6, 0xc5, 0xc6, 0, maxStepping, "arrowlake"},
	{"Intel", 6, 0xbd, 0xbd, 0, maxStepping, "lunarlake"}, // INTEL_LUNARLAKE_M
}

// x86Uarch returns the microarchitecture of an x86 CPU of vendor (as
// cpuFacts.vendor) by its family, model and stepping as Linux reports them
// (the extended family and model folded in), or "" when x86Uarches does
// not list it.
func x86Uarch(vendor string, family, model, stepping int) string {
	for _, r := range x86Uarches {
		if r.vendor == vendor && r.family == family &&
			r.modelLo <= model && model <= r.modelHi &&
			r.steppingLo <= stepping && stepping <= r.steppingHi {
			return r.name
		}
	}
	return ""
}

// amxUarches are the microarchitectures with AMX tiles.
var amxUarches = []string{"sapphirerapids", "emeraldrapids", "graniterapids", "graniterapids-d", "diamondrapids"}

// plausibleUarch returns uarch, or "" when the features contradict it: a
// hypervisor may report a made-up family and model (one KVM guest with
// AMX tiles said model 0xa7, Rocket Lake, a client core without AMX), and
// a wrong microarchitecture would mislabel every result. The other way
// round proves nothing: a hypervisor may hide AMX from a Sapphire Rapids.
func plausibleUarch(uarch string, features []string) string {
	if uarch != "" && slices.Contains(features, "amxtile") && !slices.Contains(amxUarches, uarch) {
		return ""
	}
	return uarch
}
