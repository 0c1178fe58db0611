package seeds

import (
	"io"

	"github.com/ppbench/ppbench/internal/isa"
)

// A Peak is the published FP32 capability of one CPU model, and its
// reduced-precision (bf16, int8) capability where that is known.
type Peak struct {
	CPU      string   // AWS Graviton4, Intel Xeon 8488C (Sapphire Rapids), ...
	Core     string   // Neoverse-V2, Golden Cove, ...
	Families []string // instance families built on this CPU
	SIMD     string   // description of the FMA units

	// FP32 FLOP per cycle per physical core at the chip's widest SIMD
	// (AVX-512, SVE) and at AVX2 or NEON width, what 256-bit and 128-bit
	// kernels can reach on this chip. Both positive.
	FlopsPerCycleWidest, FlopsPerCycleNarrow float64

	// ClockGHz is the published sustained clock in GHz; 0 when unknown, in
	// which case no peak in FLOP/s can be derived.
	ClockGHz   float64
	ClockBasis string

	Basis, Source string

	// Reduced precision, per physical core per cycle, a multiply-add
	// counted as 2; 0 when unknown (or when the chip has no such
	// instruction: LowpBasis says which).
	//
	// BF16FlopsPerCycle and Int8OpsPerCycle are at the widest instruction
	// the chip has for the type: AMX tiles where present, else the matrix
	// instructions (BFMMLA, SMMLA), else the vector dot products.
	// BF16FlopsPerCycleDot and Int8OpsPerCycleDot are at the vector dot
	// product alone (BFDOT, SDOT, VDPBF16PS, VPDPBUSD on the widest
	// vector), what a dot-product kernel tier and the DotPeak probes can
	// reach; never above the widest figure.
	BF16FlopsPerCycle, Int8OpsPerCycle       float64
	BF16FlopsPerCycleDot, Int8OpsPerCycleDot float64
	// LowpBasis says how the four figures were derived (or why one is
	// empty); LowpSource where they come from. Both are set whenever a
	// figure is.
	LowpBasis, LowpSource string

	Line int
}

// PeakGFLOPS returns the FP32 peak in GFLOP/s of cores physical cores when
// the kernels use the widest SIMD (wide true) or AVX2/NEON width; ok is
// false when the clock is unknown.
func (p Peak) PeakGFLOPS(cores int, wide bool) (gflops float64, ok bool) {
	if p.ClockGHz == 0 || cores <= 0 {
		return 0, false
	}
	perCycle := p.FlopsPerCycleNarrow
	if wide {
		perCycle = p.FlopsPerCycleWidest
	}
	return perCycle * p.ClockGHz * float64(cores), true
}

// PeakBF16GOPS returns the bf16 peak in GFLOP/s of cores physical cores at
// the widest bf16 instruction (AMX where the chip has it); ok is false when
// the figure or the clock is unknown.
func (p Peak) PeakBF16GOPS(cores int) (gflops float64, ok bool) {
	return p.lowp(p.BF16FlopsPerCycle, cores)
}

// PeakInt8GOPS returns the int8 peak in GOP/s of cores physical cores at
// the widest int8 instruction (AMX where the chip has it); ok is false when
// the figure or the clock is unknown.
func (p Peak) PeakInt8GOPS(cores int) (gops float64, ok bool) {
	return p.lowp(p.Int8OpsPerCycle, cores)
}

// PeakBF16DotGOPS is PeakBF16GOPS at the vector bf16 dot product (BFDOT,
// VDPBF16PS), without matrix instructions or AMX.
func (p Peak) PeakBF16DotGOPS(cores int) (gflops float64, ok bool) {
	return p.lowp(p.BF16FlopsPerCycleDot, cores)
}

// PeakInt8DotGOPS is PeakInt8GOPS at the vector int8 dot product (SDOT,
// VPDPBUSD), without matrix instructions or AMX.
func (p Peak) PeakInt8DotGOPS(cores int) (gops float64, ok bool) {
	return p.lowp(p.Int8OpsPerCycleDot, cores)
}

func (p Peak) lowp(perCycle float64, cores int) (float64, bool) {
	if perCycle == 0 || p.ClockGHz == 0 || cores <= 0 {
		return 0, false
	}
	return perCycle * p.ClockGHz * float64(cores), true
}

// The data README documents no required columns for peaks.csv; these are
// the ones a peak cannot be used without (see seeds/README.md).
var peakColumns = []column{
	{"cpu", true}, {"core", true}, {"families", true}, {"simd", true},
	{"fp32_flops_per_cycle_per_core", true}, {"fp32_flops_per_cycle_avx2_or_neon", true},
	{"clock_ghz", false}, {"clock_basis", false}, {"basis", true}, {"source", true},
	{"bf16_flops_per_cycle_per_core", false}, {"int8_ops_per_cycle_per_core", false},
	{"bf16_flops_per_cycle_dot", false}, {"int8_ops_per_cycle_dot", false},
	{"lowp_basis", false}, {"lowp_source", false},
}

// ParsePeaks reads a peaks.csv file. file names it in errors. It fails on
// the first unknown column, missing required field, non-numeric or
// non-positive number, family listed twice, dot-product figure above the
// widest one, or reduced-precision figure without its lowp_basis and
// lowp_source.
func ParsePeaks(r io.Reader, file string) ([]Peak, error) {
	seen := map[string]int{}
	r = limitReader(r, MaxPeaksBytes, "peaks")
	return parseRows(r, file, peakColumns, func(t *table) (Peak, error) {
		var err error
		p := Peak{Line: t.line}
		if p.CPU, err = t.required("cpu"); err != nil {
			return Peak{}, err
		}
		if p.Core, err = t.required("core"); err != nil {
			return Peak{}, err
		}
		if p.Families, err = t.names("families", true); err != nil {
			return Peak{}, err
		}
		for _, f := range p.Families {
			if line, dup := seen[f]; dup {
				return Peak{}, t.errorf("families", "%q already listed on line %d", f, line)
			}
			seen[f] = p.Line
		}
		if p.SIMD, err = t.required("simd"); err != nil {
			return Peak{}, err
		}
		if p.FlopsPerCycleWidest, err = t.positive("fp32_flops_per_cycle_per_core"); err != nil {
			return Peak{}, err
		}
		if p.FlopsPerCycleNarrow, err = t.positive("fp32_flops_per_cycle_avx2_or_neon"); err != nil {
			return Peak{}, err
		}
		if p.FlopsPerCycleNarrow > p.FlopsPerCycleWidest {
			return Peak{}, t.errorf("fp32_flops_per_cycle_avx2_or_neon", "%v is more than the widest-SIMD figure %v", p.FlopsPerCycleNarrow, p.FlopsPerCycleWidest)
		}
		if p.ClockGHz, err = t.optionalPositive("clock_ghz"); err != nil {
			return Peak{}, err
		}
		p.ClockBasis = t.get("clock_basis")
		if p.Basis, err = t.required("basis"); err != nil {
			return Peak{}, err
		}
		if p.Source, err = t.required("source"); err != nil {
			return Peak{}, err
		}
		if err = parseLowp(t, &p); err != nil {
			return Peak{}, err
		}
		return p, nil
	})
}

// parseLowp reads the optional reduced-precision columns of a peak row:
// empty is unknown, anything else a positive number; a dot-product figure
// needs the widest figure for its type and may not exceed it, and any
// figure needs its basis and source.
func parseLowp(t *table, p *Peak) error {
	figures := []struct {
		widest, dot       string
		wide, dotPerCycle *float64
	}{
		{"bf16_flops_per_cycle_per_core", "bf16_flops_per_cycle_dot", &p.BF16FlopsPerCycle, &p.BF16FlopsPerCycleDot},
		{"int8_ops_per_cycle_per_core", "int8_ops_per_cycle_dot", &p.Int8OpsPerCycle, &p.Int8OpsPerCycleDot},
	}
	var err error
	given := false
	for _, f := range figures {
		if *f.wide, err = t.optionalPositive(f.widest); err != nil {
			return err
		}
		if *f.dotPerCycle, err = t.optionalPositive(f.dot); err != nil {
			return err
		}
		if *f.dotPerCycle > 0 && *f.wide == 0 {
			return t.errorf(f.dot, "%v given without %s", *f.dotPerCycle, f.widest)
		}
		if *f.dotPerCycle > *f.wide {
			return t.errorf(f.dot, "%v is more than the widest-instruction figure %v", *f.dotPerCycle, *f.wide)
		}
		given = given || *f.wide > 0
	}
	p.LowpBasis, p.LowpSource = t.get("lowp_basis"), t.get("lowp_source")
	if given && p.LowpBasis == "" {
		return t.errorf("lowp_basis", "required when a bf16 or int8 figure is given")
	}
	if given && p.LowpSource == "" {
		return t.errorf("lowp_source", "required when a bf16 or int8 figure is given")
	}
	return nil
}

// ForEngine returns the peak of cores physical cores on engine (one of
// package isa's Engine constants) in GFLOP/s or GOP/s; wide picks the
// widest fp32 vectors (isa.Tier.Width 2) over the narrower ones. ok is
// false for an engine the catalog has no column for, or a figure it lacks.
func (p Peak) ForEngine(engine string, wide bool, cores int) (float64, bool) {
	switch engine {
	case isa.EngineFP32:
		return p.PeakGFLOPS(cores, wide)
	case isa.EngineBF16Matrix:
		return p.PeakBF16GOPS(cores)
	case isa.EngineBF16Dot:
		return p.PeakBF16DotGOPS(cores)
	case isa.EngineInt8Matrix:
		return p.PeakInt8GOPS(cores)
	case isa.EngineInt8Dot:
		return p.PeakInt8DotGOPS(cores)
	}
	return 0, false
}
