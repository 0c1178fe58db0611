package seeds

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

const (
	priceHeader = "provider,region,instance,vcpus,physical_cores,memory_gib,arch,cpu,price_usd_hour,price_type,source,source_date\n"
	priceRow    = "aws,us-east-1,c7g.xlarge,4,4,8.0,arm64,Graviton3,0.145,on_demand,somewhere,2026-07-20\n"
	claimHeader = "id,stated_by,subject,baseline,metric,claimed_ratio,bound,workload,wording,source,date,testable_by,notes\n"
	peakHeader  = "cpu,core,families,simd,fp32_flops_per_cycle_per_core,fp32_flops_per_cycle_avx2_or_neon,clock_ghz,clock_basis,basis,source\n"
)

// Each bad input must give exactly one error naming file, line and field.
func TestParsePricesErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "p.csv:1: empty file: want a header line"},
		{"unknown column", strings.Replace(priceHeader, "arch", "archi", 1) + priceRow, "p.csv:1: archi: unknown column"},
		{"missing column", strings.Replace(priceHeader, ",cpu", "", 1), "p.csv:1: cpu: required column missing"},
		{"duplicate column", strings.TrimSuffix(priceHeader, "\n") + ",cpu\n", "p.csv:1: cpu: column appears twice"},
		{"empty field", priceHeader + strings.Replace(priceRow, "Graviton3", "", 1), "p.csv:2: cpu: required field is empty"},
		{"non-numeric price", priceHeader + strings.Replace(priceRow, "0.145", "$0.145", 1), `p.csv:2: price_usd_hour: "$0.145" is not a number`},
		{"zero price", priceHeader + strings.Replace(priceRow, "0.145", "0", 1), `p.csv:2: price_usd_hour: "0" is not positive`},
		{"negative price", priceHeader + strings.Replace(priceRow, "0.145", "-1", 1), `p.csv:2: price_usd_hour: "-1" is not positive`},
		{"NaN price", priceHeader + strings.Replace(priceRow, "0.145", "NaN", 1), `p.csv:2: price_usd_hour: "NaN" is not a number`},
		{"Inf price", priceHeader + strings.Replace(priceRow, "0.145", "+Inf", 1), `p.csv:2: price_usd_hour: "+Inf" is not a number`},
		{"bad date", priceHeader + strings.Replace(priceRow, "2026-07-20", "2026-13-01", 1), `p.csv:2: source_date: "2026-13-01" is not a date`},
		{"us date", priceHeader + strings.Replace(priceRow, "2026-07-20", "07/20/2026", 1), `p.csv:2: source_date: "07/20/2026" is not a date`},
		{"bad vcpus", priceHeader + strings.Replace(priceRow, ",4,4,", ",four,4,", 1), `p.csv:2: vcpus: "four" is not a whole number`},
		{"cores over vcpus", priceHeader + strings.Replace(priceRow, ",4,4,", ",4,8,", 1), `p.csv:2: physical_cores: 8 cores is more than 4 vCPUs`},
		{"duplicate row", priceHeader + priceRow + priceRow, "p.csv:3: price_type: duplicate of line 2"},
		{"short row", priceHeader + "aws,us-east-1\n", "p.csv:2: wrong number of fields (the header has 12)"},
		{"bad quote", priceHeader + `aws,us-east-1,"c7g,4` + "\n", "p.csv:2: "},
		{"provider unlike name", priceHeader + strings.Replace(priceRow, "aws", "gcp", 1), `p.csv:2: instance: "c7g.xlarge" is named as on aws, not gcp`},
		{"bad provider", priceHeader + strings.Replace(priceRow, "aws", "AWS", 1), `p.csv:2: provider: "AWS": want lower-case`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePrices(strings.NewReader(tt.in), "p.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error has more than one line: %q", err)
			}
		})
	}
}

func TestParsePricesDifferentTypesAreNotDuplicates(t *testing.T) {
	in := priceHeader + priceRow + strings.Replace(priceRow, "on_demand", "spot", 1) + strings.Replace(priceRow, "us-east-1", "us-west-2", 1)
	p, err := ParsePrices(strings.NewReader(in), "p.csv")
	if err != nil || len(p) != 3 {
		t.Fatalf("got %d rows, %v", len(p), err)
	}
	if p[2].Line != 4 {
		t.Errorf("line = %d, want 4", p[2].Line)
	}
}

func TestParseClaimsErrors(t *testing.T) {
	row := func(fields ...string) string {
		// id,stated_by,subject,baseline,metric,claimed_ratio,bound,workload,wording,source,date,testable_by,notes
		base := []string{"X1", "vendor", "c8g", "c7g", "performance", "1.3", "up_to", "", "words", "src", "2024", "proxy", ""}
		for i := 0; i+1 < len(fields); i += 2 {
			for j, c := range strings.Split(strings.TrimSuffix(claimHeader, "\n"), ",") {
				if c == fields[i] {
					base[j] = fields[i+1]
				}
			}
		}
		return strings.Join(base, ",") + "\n"
	}
	tests := []struct {
		name, in, want string
	}{
		{"unknown metric", claimHeader + row("metric", "speed"), `c.csv:2: metric: unknown value "speed"`},
		{"unknown bound", claimHeader + row("bound", "at_least"), `c.csv:2: bound: unknown value "at_least"`},
		{"unknown testable_by", claimHeader + row("testable_by", "gpu"), `c.csv:2: testable_by: unknown value "gpu"`},
		{"unknown stated_by", claimHeader + row("stated_by", "blog"), `c.csv:2: stated_by: unknown value "blog"`},
		{"missing ratio", claimHeader + row("claimed_ratio", ""), "c.csv:2: claimed_ratio: required unless bound is better"},
		{"bad ratio", claimHeader + row("claimed_ratio", "30%"), `c.csv:2: claimed_ratio: "30%" is not a number`},
		{"negative ratio", claimHeader + row("claimed_ratio", "-1.3"), `c.csv:2: claimed_ratio: "-1.3" is not positive`},
		{"bad date", claimHeader + row("date", "2024-00"), `c.csv:2: date: "2024-00" is not a date`},
		{"missing subject", claimHeader + row("subject", ""), "c.csv:2: subject: required field is empty"},
		{"bad family", claimHeader + row("subject", "c8g*"), `c.csv:2: subject: "c8g*" is not an instance type or family name`},
		{"duplicate id", claimHeader + row() + row(), `c.csv:3: id: "X1" already used on line 2`},
		{"missing wording", claimHeader + row("wording", ""), "c.csv:2: wording: required field is empty"},
		{"missing required column", strings.Replace(claimHeader, "bound,", "", 1), "c.csv:1: bound: required column missing"},
		{"unknown column", strings.Replace(claimHeader, "notes", "note", 1), "c.csv:1: note: unknown column"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseClaims(strings.NewReader(tt.in), "c.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
		})
	}
	// Optional columns may be left out of the header altogether, and a
	// better claim needs no ratio.
	minimal := "id,stated_by,subject,baseline,metric,bound,wording,source,testable_by\nX,press,c8g,c7i,price_performance,better,w,s,proxy\n"
	c, err := ParseClaims(strings.NewReader(minimal), "c.csv")
	if err != nil || len(c) != 1 || c[0].ClaimedRatio != 0 {
		t.Errorf("minimal claims: %+v, %v", c, err)
	}
}

func TestParsePeaksErrors(t *testing.T) {
	row := "Chip,Core,c7g m7g,NEON,32,32,2.6,basis,derived,src\n"
	tests := []struct {
		name, in, want string
	}{
		{"bad flops", peakHeader + strings.Replace(row, ",32,32,", ",x,32,", 1), `k.csv:2: fp32_flops_per_cycle_per_core: "x" is not a number`},
		{"narrow above wide", peakHeader + strings.Replace(row, ",32,32,", ",16,32,", 1), "k.csv:2: fp32_flops_per_cycle_avx2_or_neon: 32 is more than"},
		{"bad clock", peakHeader + strings.Replace(row, "2.6", "0", 1), `k.csv:2: clock_ghz: "0" is not positive`},
		{"family twice", peakHeader + row + strings.Replace(row, "c7g m7g", "r7g m7g", 1), `k.csv:3: families: "m7g" already listed on line 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePeaks(strings.NewReader(tt.in), "k.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant prefix %s", err, tt.want)
			}
		})
	}
	p, err := ParsePeaks(strings.NewReader(peakHeader+strings.Replace(row, "2.6", "", 1)), "k.csv")
	if err != nil || p[0].ClockGHz != 0 {
		t.Errorf("empty clock: %+v, %v", p, err)
	}
}

func TestMultilineFieldLine(t *testing.T) {
	// A quoted field spanning lines must not shift later line numbers.
	in := priceHeader + strings.Replace(priceRow, "somewhere", "\"some\nwhere\"", 1) + strings.Replace(priceRow, "0.145", "x", 1)
	_, err := ParsePrices(strings.NewReader(in), "p.csv")
	if err == nil || !strings.HasPrefix(err.Error(), "p.csv:4: price_usd_hour") {
		t.Errorf("err = %v", err)
	}
}

// A failing reader's error is kept, so callers can tell it from bad data.
func TestReadErrorWrapped(t *testing.T) {
	errRead := errors.New("disk on fire")
	_, err := ParsePrices(iotest.ErrReader(errRead), "p.csv")
	if !errors.Is(err, errRead) || !strings.HasPrefix(err.Error(), "p.csv: ") {
		t.Errorf("err = %v, want p.csv: wrapping %v", err, errRead)
	}
	var se *Error
	if errors.As(err, &se) {
		t.Errorf("read error reported as bad data: %v", err)
	}
}
