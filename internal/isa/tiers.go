package isa

import (
	"slices"

	"github.com/ppbench/ppbench/internal/schema"
)

// Engines: the execution unit a tier's kernels keep busy, which picks the
// published peak (seeds/peaks.csv) they are a percentage of.
const (
	EngineFP32       = "fp32"        // fp32 fused multiply-add at the tier's width
	EngineBF16Dot    = "bf16-dot"    // vector bf16 dot products: VDPBF16PS, BFDOT
	EngineBF16Matrix = "bf16-matrix" // bf16 matrix units: BFMMLA, AMX TDPBF16PS
	EngineInt8Dot    = "int8-dot"    // vector int8 dot products: VPDPBUSD, SDOT
	EngineInt8Matrix = "int8-matrix" // int8 matrix units: SMMLA, AMX TDPBSSD
)

// A Tier is one row of the kernel-tier table: a tier as results name it
// (kernel-impl lines, the impl key), with what the report needs to know
// of it. Package kernels builds its dispatch tables from the same sets,
// and its tests check that every tier it has is a row here.
type Tier struct {
	Name     string
	DataType string // a schema data type (schema.DataTypes)
	// Arch is the goarch whose assembly the tier is, "" for the portable
	// tiers, which every build has.
	Arch string
	Set  Set // the CPU features it needs; empty for portable
	// Width ranks the tier's vector width within an architecture: 0 for
	// portable Go, 1 for 128- and 256-bit vectors, 2 for 512-bit and
	// SVE. A chip whose widest SIMD ranks above the tier's ran below
	// what it has.
	Width int
	// Engine is the unit whose published peak the tier is a percentage
	// of; "" where peaks.csv has no figure for it (integer multiply-adds
	// on avx2 or neon, portable bf16 and int8).
	Engine string
}

// Portable is the name of every data type's pure-Go tier.
const Portable = "portable"

// AMX is the tier name of the Advanced Matrix Extensions tiers, the
// same for bf16 and int8 as each data type names its tiers apart.
const AMX = "amx"

// tiers is the table, per data type from the narrowest to the widest.
var tiers = []Tier{
	{Portable, schema.FP32, "", Set{Name: Portable}, 0, EngineFP32},
	{AVX2.Name, schema.FP32, "amd64", AVX2, 1, EngineFP32},
	{AVX512.Name, schema.FP32, "amd64", AVX512, 2, EngineFP32},
	{NEON.Name, schema.FP32, "arm64", NEON, 1, EngineFP32},

	{Portable, schema.BF16, "", Set{Name: Portable}, 0, ""},
	{Widened(AVX2).Name, schema.BF16, "amd64", Widened(AVX2), 1, EngineFP32},
	{Widened(AVX512).Name, schema.BF16, "amd64", Widened(AVX512), 2, EngineFP32},
	{AVX512BF16.Name, schema.BF16, "amd64", AVX512BF16, 2, EngineBF16Dot},
	{AMX, schema.BF16, "amd64", AMXBF16, 2, EngineBF16Matrix},
	{Widened(NEON).Name, schema.BF16, "arm64", Widened(NEON), 1, EngineFP32},
	{BF16.Name, schema.BF16, "arm64", BF16, 1, EngineBF16Matrix},

	{Portable, schema.Int8, "", Set{Name: Portable}, 0, ""},
	{AVX2.Name, schema.Int8, "amd64", AVX2, 1, ""},
	{AVX512VNNI.Name, schema.Int8, "amd64", AVX512VNNI, 2, EngineInt8Dot},
	{AMX, schema.Int8, "amd64", AMXInt8, 2, EngineInt8Matrix},
	{NEON.Name, schema.Int8, "arm64", NEON, 1, ""},
	{DOTPROD.Name, schema.Int8, "arm64", DOTPROD, 1, EngineInt8Dot},
	{I8MM.Name, schema.Int8, "arm64", I8MM, 1, EngineInt8Matrix},

	// Q8_0 (block-quantised int8 weights and activations, float32 sums of
	// scaled int32 block dot products): kernels.Q8Tier.
	{Portable, schema.Q8, "", Set{Name: Portable}, 0, ""},
	{AVX2.Name, schema.Q8, "amd64", AVX2, 1, ""},
	{AVX512VNNI.Name, schema.Q8, "amd64", AVX512VNNI, 2, EngineInt8Dot},
	{AMX, schema.Q8, "amd64", AMXInt8, 2, EngineInt8Matrix},
	{DOTPROD.Name, schema.Q8, "arm64", DOTPROD, 1, EngineInt8Dot},
	{I8MM.Name, schema.Q8, "arm64", I8MM, 1, EngineInt8Matrix},
}

// Tiers returns the kernel-tier table.
func Tiers() []Tier { return slices.Clone(tiers) }

// LookupTier returns the tier of data type dt called name.
func LookupTier(dt, name string) (Tier, bool) {
	i := slices.IndexFunc(tiers, func(t Tier) bool { return t.DataType == dt && t.Name == name })
	if i < 0 {
		return Tier{}, false
	}
	return tiers[i], true
}

// Width ranks a tier or SIMD level by vector width as Tier.Width does:
// a tier of any data type, or a simd-widest value ("avx512", "sve2",
// "neon"). Unknown names rank 0.
func Width(name string) int {
	if i := slices.IndexFunc(tiers, func(t Tier) bool { return t.Name == name }); i >= 0 {
		return tiers[i].Width
	}
	for _, s := range x86Widest {
		if s.Name == name {
			return x86Width[s.Name]
		}
	}
	for _, s := range arm64Widest {
		if s.Name == name {
			return arm64Width[s.Name]
		}
	}
	return 0
}

// The width ranks of the SIMD levels simd-widest names.
var (
	x86Width   = map[string]int{AVX512.Name: 2, AVX2.Name: 1}
	arm64Width = map[string]int{SVE2.Name: 2, SVE.Name: 2, NEON.Name: 1}
)
