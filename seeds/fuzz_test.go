package seeds

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/schema"
)

// The fuzz targets check that the loaders never panic, that every error is
// one line naming the file, and that whatever they accept keeps the
// Catalog invariants, and that what Record writes of it reads back the
// same. They are seeded with the real files.

func seedWith(f *testing.F, name string, extra ...string) {
	data, err := embedded.ReadFile(name)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 3 {
		f.Add(bytes.Join(lines[:3], nil))
	}
	for _, e := range extra {
		f.Add([]byte(e))
	}
}

func checkErr(t *testing.T, err error) {
	if err == nil {
		return
	}
	if s := err.Error(); !strings.HasPrefix(s, "f.csv:") || strings.Contains(s, "\n") {
		t.Fatalf("bad error %q", s)
	}
}

func FuzzParsePrices(f *testing.F) {
	seedWith(f, "prices.csv", priceHeader+priceRow+priceRow, priceHeader+"a,b\n", "\xef\xbb\xbf"+priceHeader+priceRow)
	f.Fuzz(func(t *testing.T, data []byte) {
		prices, err := ParsePrices(bytes.NewReader(data), "f.csv")
		checkErr(t, err)
		seen := map[priceKey]bool{}
		for _, p := range prices {
			if !(p.PricePerHour > 0) || math.IsInf(p.PricePerHour, 0) || p.VCPUs <= 0 || p.Cores <= 0 || p.SourceDate.IsZero() {
				t.Fatalf("accepted bad row %+v", p)
			}
			if seen[p.key()] {
				t.Fatalf("accepted duplicate %+v", p)
			}
			seen[p.key()] = true
			if named := schema.Provider(p.Instance); named != "" && named != p.Provider {
				t.Fatalf("accepted %s under %s", p.Instance, p.Provider)
			}
		}
		if len(prices) == 0 {
			return
		}
		again, err := ParsePrices(bytes.NewReader(writeCSV(t, PriceColumns(), priceRecords(prices))), "f.csv")
		if err != nil || !sameRows(again, prices, priceLine) {
			t.Fatalf("Record does not read back: %v\n%+v\n%+v", err, prices, again)
		}
	})
}

func FuzzParseClaims(f *testing.F) {
	seedWith(f, "claims.csv", claimHeader+"X,press,c8g,c7g,cost,0.8,up_to,,w,s,,proxy,\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		claims, err := ParseClaims(bytes.NewReader(data), "f.csv")
		checkErr(t, err)
		for _, c := range claims {
			if len(c.Subject) == 0 || len(c.Baseline) == 0 || c.ID == "" {
				t.Fatalf("accepted bad claim %+v", c)
			}
			if r := c.WorkPerDollarRatio(); !(r > 0) || math.IsInf(r, 0) {
				t.Fatalf("claim %s has ratio %v", c.ID, r)
			}
		}
		if len(claims) == 0 {
			return
		}
		again, err := ParseClaims(bytes.NewReader(writeCSV(t, ClaimColumns(), claimRecords(claims))), "f.csv")
		if err != nil || !sameRows(again, claims, claimLine) {
			t.Fatalf("Record does not read back: %v\n%+v\n%+v", err, claims, again)
		}
	})
}

func FuzzParsePeaks(f *testing.F) {
	seedWith(f, "peaks.csv", peakHeader, lowpHeader+lowpRow, lowpHeader+lowpWith("int8_ops_per_cycle_dot", "", "bf16_flops_per_cycle_per_core", ""))
	f.Fuzz(func(t *testing.T, data []byte) {
		peaks, err := ParsePeaks(bytes.NewReader(data), "f.csv")
		checkErr(t, err)
		for _, p := range peaks {
			if !(p.FlopsPerCycleNarrow > 0) || p.FlopsPerCycleNarrow > p.FlopsPerCycleWidest || len(p.Families) == 0 {
				t.Fatalf("accepted bad peak %+v", p)
			}
			// Reduced precision: 0 (unknown) or positive and finite, the
			// dot-product figure not above the widest, and any figure
			// with its basis and source.
			for _, v := range []float64{p.BF16FlopsPerCycle, p.Int8OpsPerCycle, p.BF16FlopsPerCycleDot, p.Int8OpsPerCycleDot} {
				if !(v >= 0) || math.IsInf(v, 0) {
					t.Fatalf("accepted bad reduced-precision figure %v in %+v", v, p)
				}
			}
			if p.BF16FlopsPerCycleDot > p.BF16FlopsPerCycle || p.Int8OpsPerCycleDot > p.Int8OpsPerCycle {
				t.Fatalf("accepted dot-product figure above the widest: %+v", p)
			}
			if (p.BF16FlopsPerCycle > 0 || p.Int8OpsPerCycle > 0) && (p.LowpBasis == "" || p.LowpSource == "") {
				t.Fatalf("accepted reduced-precision figure without basis and source: %+v", p)
			}
		}
	})
}
