package seeds

import (
	"math"
	"strings"
	"testing"
)

// The reduced-precision columns of peaks.csv: optional in the header,
// empty means unknown, and a figure comes with its basis and source.

const (
	lowpHeader = "cpu,core,families,simd,fp32_flops_per_cycle_per_core,fp32_flops_per_cycle_avx2_or_neon,clock_ghz,clock_basis,basis,source," +
		"bf16_flops_per_cycle_per_core,int8_ops_per_cycle_per_core,bf16_flops_per_cycle_dot,int8_ops_per_cycle_dot,lowp_basis,lowp_source\n"
	lowpRow = "Chip,Core,c7g m7g,NEON,32,32,2.6,clk,derived,src,128,256,64,128,SMMLA x 4,llvm\n"
)

// checkLowpPeaks checks p's bf16, int8, bf16 dot-product and int8
// dot-product peaks, in GOPS, on cores cores, and that 0 cores have none.
func checkLowpPeaks(t *testing.T, name string, p Peak, cores int, bf16, int8, bf16Dot, int8Dot float64) {
	t.Helper()
	for _, tt := range []struct {
		kind string
		f    func(int) (float64, bool)
		want float64
	}{
		{"bf16", p.PeakBF16GOPS, bf16},
		{"int8", p.PeakInt8GOPS, int8},
		{"bf16 dot", p.PeakBF16DotGOPS, bf16Dot},
		{"int8 dot", p.PeakInt8DotGOPS, int8Dot},
	} {
		if g, ok := tt.f(cores); !ok || math.Abs(g-tt.want) > 1e-9*tt.want {
			t.Errorf("%s %s peak = %v, %v; want %v", name, tt.kind, g, ok, tt.want)
		}
		if _, ok := tt.f(0); ok {
			t.Errorf("%s %s peak of 0 cores: want none", name, tt.kind)
		}
	}
}

// lowpWith returns lowpRow with the named reduced-precision columns set.
func lowpWith(fields ...string) string {
	cols := strings.Split(strings.TrimSuffix(lowpHeader, "\n"), ",")
	rec := strings.Split(strings.TrimSuffix(lowpRow, "\n"), ",")
	for i := 0; i+1 < len(fields); i += 2 {
		for j, c := range cols {
			if c == fields[i] {
				rec[j] = fields[i+1]
			}
		}
	}
	return strings.Join(rec, ",") + "\n"
}

func TestParsePeaksLowp(t *testing.T) {
	p, err := ParsePeaks(strings.NewReader(lowpHeader+lowpRow), "k.csv")
	if err != nil {
		t.Fatal(err)
	}
	got := p[0]
	if got.BF16FlopsPerCycle != 128 || got.Int8OpsPerCycle != 256 || got.BF16FlopsPerCycleDot != 64 || got.Int8OpsPerCycleDot != 128 ||
		got.LowpBasis != "SMMLA x 4" || got.LowpSource != "llvm" {
		t.Errorf("parsed %+v", got)
	}
	// 4 cores x 2.6 GHz x 128 / 256 / 64 / 128 per cycle.
	checkLowpPeaks(t, "k.csv", got, 4, 1331.2, 2662.4, 665.6, 1331.2)
}

func TestParsePeaksLowpEmpty(t *testing.T) {
	// Empty cells are unknown: no figure, no peak, and then no basis or
	// source is needed.
	in := lowpHeader + lowpWith("bf16_flops_per_cycle_per_core", "", "bf16_flops_per_cycle_dot", "", "int8_ops_per_cycle_per_core", "",
		"int8_ops_per_cycle_dot", "", "lowp_basis", "", "lowp_source", "")
	p, err := ParsePeaks(strings.NewReader(in), "k.csv")
	if err != nil {
		t.Fatal(err)
	}
	if p[0].BF16FlopsPerCycle != 0 || p[0].Int8OpsPerCycle != 0 || p[0].BF16FlopsPerCycleDot != 0 || p[0].Int8OpsPerCycleDot != 0 {
		t.Errorf("empty cells parsed as %+v", p[0])
	}
	for name, f := range map[string]func(int) (float64, bool){
		"bf16": p[0].PeakBF16GOPS, "int8": p[0].PeakInt8GOPS, "bf16 dot": p[0].PeakBF16DotGOPS, "int8 dot": p[0].PeakInt8DotGOPS,
	} {
		if g, ok := f(4); ok {
			t.Errorf("%s: unknown figure gave a peak %v", name, g)
		}
	}
	// One type known, the other not (Graviton2: int8 only).
	in = lowpHeader + lowpWith("bf16_flops_per_cycle_per_core", "", "bf16_flops_per_cycle_dot", "")
	if p, err = ParsePeaks(strings.NewReader(in), "k.csv"); err != nil || p[0].BF16FlopsPerCycle != 0 || p[0].Int8OpsPerCycle != 256 {
		t.Errorf("int8 only: %+v, %v", p, err)
	}
	// A known figure without a clock gives no peak.
	in = lowpHeader + lowpWith("clock_ghz", "")
	if p, err = ParsePeaks(strings.NewReader(in), "k.csv"); err != nil {
		t.Fatal(err)
	}
	if _, ok := p[0].PeakInt8GOPS(4); ok {
		t.Error("no clock: want no int8 peak")
	}
	// Files without the columns (older catalogs) still load.
	if p, err = ParsePeaks(strings.NewReader(peakHeader+"Chip,Core,c7g,NEON,32,32,2.6,clk,derived,src\n"), "k.csv"); err != nil || p[0].Int8OpsPerCycle != 0 {
		t.Errorf("old header: %+v, %v", p, err)
	}
}

func TestParsePeaksLowpErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"garbage", lowpWith("bf16_flops_per_cycle_per_core", "lots"), `k.csv:2: bf16_flops_per_cycle_per_core: "lots" is not a number`},
		{"negative", lowpWith("int8_ops_per_cycle_per_core", "-256"), `k.csv:2: int8_ops_per_cycle_per_core: "-256" is not positive`},
		{"zero", lowpWith("int8_ops_per_cycle_per_core", "0"), `k.csv:2: int8_ops_per_cycle_per_core: "0" is not positive`},
		{"NaN", lowpWith("bf16_flops_per_cycle_per_core", "NaN"), `k.csv:2: bf16_flops_per_cycle_per_core: "NaN" is not a number`},
		{"Inf", lowpWith("int8_ops_per_cycle_dot", "Inf"), `k.csv:2: int8_ops_per_cycle_dot: "Inf" is not a number`},
		{"unit", lowpWith("bf16_flops_per_cycle_dot", "64 FLOP"), `k.csv:2: bf16_flops_per_cycle_dot: "64 FLOP" is not a number`},
		{"dot above widest", lowpWith("int8_ops_per_cycle_dot", "512"), "k.csv:2: int8_ops_per_cycle_dot: 512 is more than the widest-instruction figure 256"},
		{"dot without widest", lowpWith("bf16_flops_per_cycle_per_core", ""), "k.csv:2: bf16_flops_per_cycle_dot: 64 given without bf16_flops_per_cycle_per_core"},
		{"no source", lowpWith("lowp_source", ""), "k.csv:2: lowp_source: required when a bf16 or int8 figure is given"},
		{"no basis", lowpWith("lowp_basis", " "), "k.csv:2: lowp_basis: required when a bf16 or int8 figure is given"},
		{"second row", lowpRow + strings.Replace(lowpWith("int8_ops_per_cycle_per_core", "x"), "c7g m7g", "c8g", 1), `k.csv:3: int8_ops_per_cycle_per_core: "x" is not a number`},
		{"misspelt column", "", "k.csv:1: int8_ops_per_cycle: unknown column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := lowpHeader + tt.in
			if tt.name == "misspelt column" {
				in = strings.Replace(lowpHeader, "int8_ops_per_cycle_per_core", "int8_ops_per_cycle", 1) + lowpRow
			}
			_, err := ParsePeaks(strings.NewReader(in), "k.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error has more than one line: %q", err)
			}
		})
	}
}

// Every reduced-precision figure in the embedded catalog says where it
// comes from and how it was derived, and a row that leaves them empty says
// why.
func TestDefaultPeaksLowp(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range c.Peaks {
		given := p.BF16FlopsPerCycle > 0 || p.Int8OpsPerCycle > 0
		if given && (p.LowpSource == "" || p.LowpBasis == "") {
			t.Errorf("%s (line %d): bf16/int8 figure without lowp_source and lowp_basis", p.CPU, p.Line)
		}
		if !given && p.LowpBasis == "" {
			t.Errorf("%s (line %d): no bf16/int8 figure and no lowp_basis saying why", p.CPU, p.Line)
		}
		if p.BF16FlopsPerCycleDot > p.BF16FlopsPerCycle || p.Int8OpsPerCycleDot > p.Int8OpsPerCycle {
			t.Errorf("%s: dot-product figure above the widest", p.CPU)
		}
	}
	for _, tt := range []struct {
		family                       string
		bf16, int8, bf16Dot, int8Dot float64 // per core per cycle; 0 unknown
	}{
		{"c6g", 0, 64, 0, 64},        // Neoverse N1: SDOT only
		{"c7g", 128, 256, 64, 128},   // Neoverse V1: BFMMLA, SMMLA
		{"c8g", 128, 256, 64, 128},   // Neoverse V2
		{"c7i", 1024, 2048, 32, 256}, // Sapphire Rapids: AMX
		{"c7a", 64, 128, 64, 128},    // Zen 4, 256-bit datapath
		{"c8a", 128, 256, 128, 256},  // Zen 5, 512-bit datapath
		{"c6a", 0, 0, 0, 0},          // Zen 3: none
		{"c8i", 0, 0, 0, 0},          // Granite Rapids: not found
	} {
		p, ok := c.Peak(tt.family)
		if !ok {
			t.Errorf("no peak for %s", tt.family)
			continue
		}
		if p.BF16FlopsPerCycle != tt.bf16 || p.Int8OpsPerCycle != tt.int8 || p.BF16FlopsPerCycleDot != tt.bf16Dot || p.Int8OpsPerCycleDot != tt.int8Dot {
			t.Errorf("%s: bf16 %v int8 %v dot %v %v; want %v %v %v %v", tt.family,
				p.BF16FlopsPerCycle, p.Int8OpsPerCycle, p.BF16FlopsPerCycleDot, p.Int8OpsPerCycleDot, tt.bf16, tt.int8, tt.bf16Dot, tt.int8Dot)
		}
	}
	// 2 cores x 3.2 GHz x 1024 bf16 FLOP (AMX), 2048 int8 ops, 32 and 256
	// at AVX-512.
	p, _ := c.Peak("c7i")
	checkLowpPeaks(t, "c7i", p, 2, 6553.6, 13107.2, 204.8, 1638.4)
	g2, _ := c.Peak("c6g")
	if _, ok := g2.PeakBF16GOPS(1); ok {
		t.Error("Graviton2 has no bf16: want no bf16 peak")
	}
	if g, ok := g2.PeakInt8GOPS(1); !ok || math.Abs(g-160) > 1e-9 {
		t.Errorf("Graviton2 int8 peak = %v, %v; want 160 (64 x 2.5 GHz)", g, ok)
	}
	axion, _ := c.Peak("c4a")
	if _, ok := axion.PeakInt8GOPS(4); ok {
		t.Error("Axion has no published clock; want no int8 peak")
	}
}
