package seeds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The threads-per-core rule on every family seeds/claims.csv names that
// the catalog has, and on the Azure sizes of V18.
func TestThreadsPerCoreClaimFamilies(t *testing.T) {
	want := map[string]int{
		// Graviton, Axion, Ampere: one vCPU per core.
		"c6g.xlarge": 1, "m6g.xlarge": 1, "r6g.xlarge": 1, "c7g.xlarge": 1, "m7g.xlarge": 1, "r7g.xlarge": 1,
		"c7g.metal": 1, "c7g.16xlarge": 1, "c8g.xlarge": 1, "m8g.xlarge": 1, "r8g.xlarge": 1, "c8g.24xlarge": 1,
		"m9g.xlarge": 1, "c4a-standard-4": 1, "t2a-standard-4": 1,
		// AMD 4th/5th generation EPYC on AWS: SMT off.
		"c7a.xlarge": 1, "m7a.xlarge": 1,
		// Intel, and the accelerator hosts: two.
		"c5.xlarge": 2, "m5.xlarge": 2, "r5.xlarge": 2, "c6i.xlarge": 2, "m6i.xlarge": 2, "r6i.xlarge": 2,
		"c7i.xlarge": 2, "m7i.xlarge": 2, "r7i.xlarge": 2, "c8i.xlarge": 2, "m8i.xlarge": 2,
		"c3-standard-4": 2, "n2-standard-4": 2, "c4-standard-4": 2,
		"inf1.xlarge": 2, "inf2.xlarge": 2, "g4dn.xlarge": 2, "g5.xlarge": 2, "g6.xlarge": 2,
		"p4d.24xlarge": 2, "p5.48xlarge": 2, "p5e.48xlarge": 2, "trn2.48xlarge": 2, "p5en.48xlarge": 2, "trn1.32xlarge": 2,
		// Azure: Cobalt 100 (Dpsv6) and Ampere Altra (Dpsv5) have no SMT.
		"Standard_D4ps_v6": 1, "Standard_D4ps_v5": 1, "Standard_D4s_v5": 2, "Standard_D4as_v5": 2,
		"Standard_HB120rs_v3": 1, "Standard_F4as_v6": 1, "Standard_E8-4ds_v5": 2,
	}
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for name, tpc := range want {
		s, ok := c.Spec(name)
		if !ok {
			t.Errorf("%s: not in the instance table", name)
			continue
		}
		if got := ThreadsPerCore(name, s.Arch); got != tpc {
			t.Errorf("ThreadsPerCore(%s, %s) = %d, want %d", name, s.Arch, got, tpc)
		}
		if s.Cores*tpc != s.VCPUs {
			t.Errorf("%s: %d vCPUs on %d cores, want %d threads per core", name, s.VCPUs, s.Cores, tpc)
		}
	}
	// Every family a claim names is covered above.
	for _, cl := range c.Claims {
		for _, side := range [][]string{cl.Subject, cl.Baseline} {
			for _, n := range side {
				covered := false
				for name := range want {
					covered = covered || Matches(name, []string{n})
				}
				if !covered && hasFamily(c, n) {
					t.Errorf("claim %s names %s: no threads-per-core case", cl.ID, n)
				}
			}
		}
	}
}

func hasFamily(c *Catalog, fam string) bool {
	for _, s := range c.Specs {
		if Matches(s.Instance, []string{fam}) {
			return true
		}
	}
	return false
}

// The hand-written physical core counts of seeds/prices.csv agree with
// the rule.
func TestThreadsPerCoreCurated(t *testing.T) {
	b, err := loadBuiltIn()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range b.curated {
		if got := physicalCores(p.Instance, p.Arch, p.VCPUs); got != p.Cores {
			t.Errorf("%s (%s): rule gives %d cores, prices.csv line %d says %d", p.Instance, p.CPU, got, p.Line, p.Cores)
		}
	}
	// One vCPU is one core whatever the rule.
	if got := physicalCores("t3.nano", "x86_64", 1); got != 1 {
		t.Errorf("t3.nano: %d cores", got)
	}
}

// Every family a claim names that is sold today has an on-demand price in
// its provider's default region; the exceptions say why.
func TestClaimFamiliesPriced(t *testing.T) {
	unpriced := map[string]string{
		"p5e.48xlarge":  "sold through Capacity Blocks and in a few regions; no on-demand price in us-east-1's price file",
		"trn2":          "no on-demand price in us-east-1's price file (Capacity Blocks, us-east-2 and us-west-2)",
		"trn2.48xlarge": "as trn2",
		"trn3":          "announced; not in the price file",
		"trn4":          "not yet sold (2027)",
	}
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	priced := map[string]bool{}
	for _, p := range c.Prices {
		if p.PriceType == OnDemand && p.Region == DefaultRegion(p.Provider) {
			priced[p.Instance] = true
		}
	}
	for _, cl := range c.Claims {
		for _, side := range [][]string{cl.Subject, cl.Baseline} {
			for _, n := range side {
				found := false
				for inst := range priced {
					if Matches(inst, []string{n}) {
						found = true
						break
					}
				}
				if _, known := unpriced[n]; found == known {
					t.Errorf("claim %s: %s priced %v, listed as unpriced %v", cl.ID, n, found, known)
				}
			}
		}
	}
}

// What the issue asks of the catalog: AWS m5 in us-east-1, GCP
// europe-west4 on demand and spot, Azure westeurope.
func TestCatalogRegions(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		instance, region, priceType string
	}{
		{"m5.large", "us-east-1", OnDemand},
		{"m5.24xlarge", "us-east-1", OnDemand},
		{"c4a-standard-4", "europe-west4", OnDemand},
		{"c4a-standard-4", "europe-west4", Spot},
		{"n2-standard-4", "europe-west4", Spot},
		{"Standard_D4ps_v6", "westeurope", OnDemand},
		{"Standard_D4ps_v5", "eastus", OnDemand},
	}
	for _, tt := range tests {
		p, ok := c.Price(tt.instance, tt.region, tt.priceType)
		if !ok {
			t.Errorf("no %s price for %s in %s", tt.priceType, tt.instance, tt.region)
			continue
		}
		if p.VCPUs == 0 || p.Cores == 0 || p.Source == "" || p.SourceDate.IsZero() || p.Origin == "" {
			t.Errorf("%s: incomplete row %+v", tt.instance, p)
		}
	}
	p, _ := c.Price("Standard_D4ps_v6", "westeurope", OnDemand)
	if p.VCPUs != 4 || p.Cores != 4 || p.Arch != "arm64" || p.Provider != "azure" || p.Origin != EmbeddedSnapshot {
		t.Errorf("Standard_D4ps_v6: %+v", p)
	}
	// An instance type with specs and no price gives its specs.
	if p, ok := c.Instance("p5e.48xlarge"); !ok || p.VCPUs != 192 || p.PricePerHour != 0 {
		t.Errorf("Instance(p5e.48xlarge) = %+v, %v", p, ok)
	}
}

const cacheHeader = "provider,region,instance,vcpus,physical_cores,memory_gib,arch,cpu,price_usd_hour,price_type,source,source_date\n"

func TestCacheMerge(t *testing.T) {
	dir := t.TempDir()
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	fresh := []Price{
		// Newer than the snapshot: wins.
		{Provider: "aws", Region: "us-east-1", Instance: "c7g.xlarge", VCPUs: 4, Cores: 4, MemoryGiB: 8, Arch: "arm64", CPU: "AWS Graviton3",
			PricePerHour: 0.1, PriceType: OnDemand, Source: "test feed", SourceDate: day("2027-01-02")},
		// A region the snapshot lacks.
		{Provider: "aws", Region: "eu-west-1", Instance: "c7g.xlarge", VCPUs: 4, Cores: 4, MemoryGiB: 8, Arch: "arm64", CPU: "AWS Graviton3",
			PricePerHour: 0.16, PriceType: OnDemand, Source: "test feed", SourceDate: day("2027-01-02")},
		// Older than the snapshot: loses.
		{Provider: "aws", Region: "us-east-1", Instance: "c8g.xlarge", VCPUs: 4, Cores: 4, MemoryGiB: 8, Arch: "arm64", CPU: "AWS Graviton4",
			PricePerHour: 9, PriceType: OnDemand, Source: "old", SourceDate: day("2020-01-01")},
	}
	if err := UpdateCache(dir, "aws", fresh); err != nil {
		t.Fatal(err)
	}
	// A second update of one row keeps the others.
	again := fresh[1]
	again.PricePerHour, again.SourceDate = 0.17, day("2027-01-03")
	if err := UpdateCache(dir, "aws", []Price{again}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(Files{CacheDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	file := CacheFile(dir, "aws")
	if p, _ := c.Price("c7g.xlarge", "", OnDemand); p.PricePerHour != 0.1 || p.Origin != file {
		t.Errorf("us-east-1: %v from %s", p.PricePerHour, p.Origin)
	}
	if p, _ := c.Price("c7g.xlarge", "eu-west-1", OnDemand); p.PricePerHour != 0.17 || p.Origin != file {
		t.Errorf("eu-west-1: %v from %s", p.PricePerHour, p.Origin)
	}
	if p, _ := c.Price("c8g.xlarge", "", OnDemand); p.PricePerHour != 0.15952 {
		t.Errorf("an older cached price won: %v from %s", p.PricePerHour, p.Origin)
	}
	if !strings.Contains(c.PricesFile, dir) {
		t.Errorf("PricesFile = %q", c.PricesFile)
	}
	var fromCache int
	for _, o := range c.Origins {
		if o.File == file {
			fromCache = o.Rows
		}
	}
	if fromCache != 2 {
		t.Errorf("origins %v: want 2 rows from the cache", c.Origins)
	}
	// NoCache, or a -prices file, ignores it.
	if c, _ := Load(Files{CacheDir: dir, NoCache: true}); len(c.Origins) != 2 {
		t.Errorf("NoCache: origins %v", c.Origins)
	}
}

// A cache file someone edited: Load and UpdateCache name file and line,
// and the file is left as it was.
func TestCacheEdited(t *testing.T) {
	dir := t.TempDir()
	file := CacheFile(dir, "gcp")
	bad := cacheHeader + "gcp,europe-west4,c4a-standard-4,4,4,16,arm64,Axion,0.2,on_demand,x,2027-01-01\n" +
		"gcp,europe-west4,c4a-standard-8,8,8,32,arm64,Axion,cheap,on_demand,x,2027-01-01\n"
	os.WriteFile(file, []byte(bad), 0o644)
	want := file + ":3: price_usd_hour"
	if _, err := Load(Files{CacheDir: dir}); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Load: %v, want %s...", err, want)
	}
	p := Price{Provider: "gcp", Region: "europe-west4", Instance: "c4a-standard-4", VCPUs: 4, Cores: 4, Arch: "arm64", CPU: "Axion",
		PricePerHour: 0.3, PriceType: OnDemand, Source: "y", SourceDate: time.Now()}
	if err := UpdateCache(dir, "gcp", []Price{p}); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("UpdateCache: %v, want %s...", err, want)
	}
	if b, _ := os.ReadFile(file); string(b) != bad {
		t.Error("the edited cache file was changed")
	}
	// A row of another provider in a provider's file.
	os.WriteFile(file, []byte(cacheHeader+"aws,us-east-1,c7g.xlarge,4,4,8,arm64,G3,0.2,on_demand,x,2027-01-01\n"), 0o644)
	if _, err := Load(Files{CacheDir: dir}); err == nil || !strings.HasPrefix(err.Error(), file+":2: instance") && !strings.HasPrefix(err.Error(), file+":2: provider") {
		t.Errorf("Load: %v", err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}
