package seeds

import (
	"maps"
	"os"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/schema"
)

func TestDefaultCatalogLoads(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	// The counts pin the embedded files to ../shared/data: a refresh that
	// drops rows should be a conscious change to this test.
	if len(c.Prices) != 88442 || len(c.Claims) != 31 || len(c.Peaks) != 11 || len(c.Specs) != 3658 {
		t.Errorf("got %d prices, %d claims, %d peaks, %d specs; want 88442, 31, 11, 3658", len(c.Prices), len(c.Claims), len(c.Peaks), len(c.Specs))
	}
	// Per provider and price type: the snapshot's rows (less the Azure and
	// AWS ones without a vCPU count) and the curated ones it lacks.
	want := map[string]int{
		"aws on_demand": 1364, "aws spot_avg": 16, "aws on_demand_superseded": 3, "aws capacity_block": 3,
		"azure on_demand": 61589, "gcp on_demand": 12721, "gcp spot": 12721, "gcp commit_1y": 25,
	}
	got := map[string]int{}
	for _, p := range c.Prices {
		got[p.Provider+" "+p.PriceType]++
	}
	if !maps.Equal(got, want) {
		t.Errorf("rows per provider and type:\n got %v\nwant %v", got, want)
	}
	if c.PricesFile != EmbeddedPrices {
		t.Errorf("PricesFile = %q", c.PricesFile)
	}
}

func TestOnDemandPrice(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		instance, region string
		want             float64
		ok               bool
	}{
		{"c8g.xlarge", "", 0.15952, true},
		{"c7g.xlarge", "us-east-1", 0.145, true},
		{"c4a-standard-4", "", 0.1796, true},
		{"c4a-standard-4", "us-central1", 0.1796, true},
		{"c4a-standard-4", "europe-west1", 0.19775756, true},
		{"c4a-standard-4", "eu-west-1", 0, false},
		// P7's subject, priced since the snapshot of every AWS type.
		{"c7g.metal", "", 2.32, true},
		{"p5en.48xlarge", "", 63.296, true},
		// Listed in data/README.md as not found.
		{"trn2.48xlarge", "", 0, false},
		{"trn1.32xlarge", "ap-southeast-4", 0, false},
		{"", "", 0, false},
	}
	for _, tt := range tests {
		got, ok := c.OnDemandPrice(tt.instance, tt.region)
		if got != tt.want || ok != tt.ok {
			t.Errorf("OnDemandPrice(%q, %q) = %v, %v; want %v, %v", tt.instance, tt.region, got, ok, tt.want, tt.ok)
		}
	}
	if p, ok := c.Price("trn1.32xlarge", "ap-southeast-4", CapacityBlock); !ok || p.PricePerHour != 15.49 {
		t.Errorf("capacity block price = %v, %v", p.PricePerHour, ok)
	}
	if p, ok := c.Price("c7g.xlarge", "", SpotAverage); !ok || p.SourceDate.Format("2006-01-02") != "2024-04-04" {
		t.Errorf("spot_avg price = %+v, %v", p, ok)
	}
}

func TestPricePerCore(t *testing.T) {
	c, _ := Default()
	p, ok := c.Price("c7i.xlarge", "", "")
	if !ok {
		t.Fatal("no c7i.xlarge")
	}
	// 4 vCPUs on 2 cores: a core-hour costs twice a vCPU-hour.
	if p.PricePerVCPUHour() != 0.1785/4 || p.PricePerCoreHour() != 0.1785/2 {
		t.Errorf("per vCPU %v per core %v", p.PricePerVCPUHour(), p.PricePerCoreHour())
	}
}

// The split of instance names is schema's (tested there); seeds adds only
// the default region per provider and exact matching against claims.
func TestDefaultRegion(t *testing.T) {
	for provider, want := range map[string]string{
		schema.AWS: "us-east-1", schema.GCP: "us-central1", schema.Azure: "eastus", "": "", "oracle": "",
	} {
		if got := DefaultRegion(provider); got != want {
			t.Errorf("DefaultRegion(%q) = %q, want %q", provider, got, want)
		}
	}
}

func TestMatchesIsExact(t *testing.T) {
	tests := []struct {
		instance string
		names    string
		want     bool
	}{
		{"c8g.xlarge", "c8g m8g", true},
		{"c8g.xlarge", "c8", false},
		{"c4a-standard-4", "c3 n2 c4", false},
		{"c4-standard-4", "c3 n2 c4", true},
		{"c8g.24xlarge", "c8g.24xlarge", true},
		{"c8g.48xlarge", "c8g.24xlarge", false},
		{"p6-b200.48xlarge", "p6", false},
		{"p6-b200.48xlarge", "p6-b200", true},
		// Shared-core GCP types have a family like any other.
		{"e2-medium", "e2", true},
		{"e2-standard-4", "e2", true},
		// Azure types are compared whole.
		{"Standard_D4ps_v6", "Standard_D4ps_v6", true},
		{"Standard_D4ps_v6", "Standard_D4ps", false},
		// ... or by their series, as Azure names it.
		{"Standard_D4ps_v6", "Dpsv6", true},
		{"Standard_D4ps_v6", "Dpsv5", false},
		{"Standard_D4pds_v6", "Dpsv6", false},
		{"Standard_E8-4ds_v5", "Edsv5", true},
	}
	for _, tt := range tests {
		if got := Matches(tt.instance, strings.Fields(tt.names)); got != tt.want {
			t.Errorf("Matches(%q, %q) = %v", tt.instance, tt.names, got)
		}
	}
}

func TestClaimWorkPerDollarRatio(t *testing.T) {
	tests := []struct {
		c    Claim
		want float64
	}{
		{Claim{Metric: Cost, ClaimedRatio: 0.80, Bound: UpTo}, 1.25},
		{Claim{Metric: PricePerformance, ClaimedRatio: 1.3, Bound: UpTo}, 1.3},
		{Claim{Metric: PricePerformance, Bound: Better}, 1},
	}
	for _, tt := range tests {
		if got := tt.c.WorkPerDollarRatio(); got != tt.want {
			t.Errorf("%+v: got %v want %v", tt.c, got, tt.want)
		}
	}
}

func TestPeak(t *testing.T) {
	c, _ := Default()
	p, ok := c.Peak("c7i")
	if !ok {
		t.Fatal("no peak for c7i")
	}
	// 2 cores x 3.2 GHz x 64 FLOP/cycle at AVX-512, 32 at AVX2.
	if g, _ := p.PeakGFLOPS(2, true); g != 409.6 {
		t.Errorf("wide peak = %v", g)
	}
	if g, _ := p.PeakGFLOPS(2, false); g != 204.8 {
		t.Errorf("narrow peak = %v", g)
	}
	axion, _ := c.Peak("c4a")
	if _, ok := axion.PeakGFLOPS(4, false); ok {
		t.Error("Axion has no published clock; want no peak")
	}
	if _, ok := c.Peak("c4"); ok {
		t.Error("c4 must not match c4a's peak row")
	}
}

func TestLoadFromFiles(t *testing.T) {
	dir := t.TempDir()
	bad := dir + "/prices.csv"
	os.WriteFile(bad, []byte("provider,region\n"), 0o644)
	_, err := Load(Files{Prices: bad})
	if err == nil || !strings.HasPrefix(err.Error(), bad+":1: instance: required column missing") {
		t.Errorf("err = %v", err)
	}
	_, err = Load(Files{Claims: dir + "/missing.csv"})
	if err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("err = %v", err)
	}
}
