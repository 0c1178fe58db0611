package seeds

import "io"

// A Peak is the published FP32 capability of one CPU model.
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
	Line          int
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

// The data README documents no required columns for peaks.csv; these are
// the ones a peak cannot be used without (see seeds/README.md).
var peakColumns = []column{
	{"cpu", true}, {"core", true}, {"families", true}, {"simd", true},
	{"fp32_flops_per_cycle_per_core", true}, {"fp32_flops_per_cycle_avx2_or_neon", true},
	{"clock_ghz", false}, {"clock_basis", false}, {"basis", true}, {"source", true},
}

// ParsePeaks reads a peaks.csv file. file names it in errors. It fails on
// the first unknown column, missing required field, non-numeric or
// non-positive number, or family listed twice.
func ParsePeaks(r io.Reader, file string) ([]Peak, error) {
	seen := map[string]int{}
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
		return p, nil
	})
}
