package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/report/results"
	"github.com/ppbench/ppbench/seeds"
)

// Tests of defects an independent check of the report found, each on a
// fixture of its own written here: a host's config lines and the median
// of each benchmark, with six samples ±1% around it in an order that
// shows no drift.

type fixture struct {
	instance, goarch, region, cloud, impl string
	vcpus, gomaxprocs                     int
	pkg                                   string             // default the suite's
	medians                               map[string]float64 // benchmark name (no Benchmark, no -N) to median
}

var spreadOrder = []float64{1, 0.995, 1.01, 0.99, 1.005, 1}

func (f fixture) write(t *testing.T, dir, file string) results.Input {
	t.Helper()
	var b strings.Builder
	pkg := f.pkg
	if pkg == "" {
		pkg = "github.com/ppbench/ppbench/bench"
	}
	if f.goarch == "" {
		f.goarch = "arm64"
	}
	if f.impl == "" {
		f.impl = "neon"
	}
	if f.gomaxprocs == 0 {
		f.gomaxprocs = f.vcpus
	}
	fmt.Fprintf(&b, "goos: linux\ngoarch: %s\npkg: %s\ninstance: %s\n", f.goarch, pkg, f.instance)
	if f.cloud != "" {
		fmt.Fprintf(&b, "cloud: %s\n", f.cloud)
	}
	if f.region != "" {
		fmt.Fprintf(&b, "region: %s\n", f.region)
	}
	fmt.Fprintf(&b, "vcpus: %d\ngomaxprocs: %d\nkernel-impl: %s\ngo-version: go1.26.1\n", f.vcpus, f.gomaxprocs, f.impl)
	for _, k := range sortedKeys(f.medians) {
		for _, s := range spreadOrder {
			unit := "GFLOP/s"
			switch {
			case strings.HasPrefix(k, "Triad"):
				unit = "GB/s"
			case !strings.HasPrefix(k, "Sgemm") && !strings.HasPrefix(k, "Attention") && !strings.HasPrefix(k, "FMAPeak"):
				unit = "tokens/s"
			}
			fmt.Fprintf(&b, "Benchmark%s-%d 10 1000 ns/op %g %s\n", k, f.gomaxprocs, f.medians[k]*s, unit)
		}
	}
	p := filepath.Join(dir, file)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return results.Input{Path: p}
}

func sortedKeys(m map[string]float64) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

const (
	priceHeader = "provider,region,instance,vcpus,physical_cores,memory_gib,arch,cpu,price_usd_hour,price_type,source,source_date\n"
	claimHeader = "id,stated_by,subject,baseline,metric,claimed_ratio,bound,workload,wording,source,date,testable_by,notes\n"
)

// priceRow is a catalog row: provider region instance vcpus arch price
// type.
func priceRow(provider, region, instance string, vcpus int, arch string, price float64, typ string) string {
	return fmt.Sprintf("%s,%s,%s,%d,%d,8.0,%s,synthetic,%g,%s,synthetic test price,2026-07-20\n",
		provider, region, instance, vcpus, vcpus, arch, price, typ)
}

func claimRow(id, subject, baseline, metric, ratio, bound, testable string) string {
	return fmt.Sprintf("%s,vendor,%s,%s,%s,%s,%s,,synthetic,test,2026-08,%s,\n", id, subject, baseline, metric, ratio, bound, testable)
}

// buildFixture builds a report of inputs against the prices and claims
// given as CSV rows (claims "" for testdata/claims.csv).
func buildFixture(t *testing.T, dir, prices, claims string, opt Options, inputs ...results.Input) (*Report, error) {
	t.Helper()
	pf, cf := filepath.Join(dir, "prices.csv"), filepath.Join(dir, "claims.csv")
	if prices == "" {
		pf = "testdata/prices.csv"
	} else if err := os.WriteFile(pf, []byte(priceHeader+prices), 0o644); err != nil {
		t.Fatal(err)
	}
	if claims == "" {
		cf = "testdata/claims.csv"
	} else if err := os.WriteFile(cf, []byte(claimHeader+claims), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := seeds.Load(seeds.Files{Prices: pf, Claims: cf})
	if err != nil {
		t.Fatal(err)
	}
	set, err := results.Read(inputs)
	if err != nil {
		t.Fatal(err)
	}
	opt.Catalog = cat
	if opt.Now.IsZero() {
		opt.Now = asOf
	}
	return Build(set, opt)
}

func mustBuild(t *testing.T, dir, prices, claims string, opt Options, inputs ...results.Input) *Report {
	t.Helper()
	r, err := buildFixture(t, dir, prices, claims, opt, inputs...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func claimByID(t *testing.T, r *Report, id string) *ClaimResult {
	t.Helper()
	for _, c := range r.Claims {
		if c.Claim.ID == id {
			return c
		}
	}
	t.Fatalf("no claim %s", id)
	return nil
}

func warningsText(r *Report) string {
	var all []string
	for _, w := range r.Warnings {
		all = append(all, w.String())
	}
	return strings.Join(all, "\n")
}

var sgemmAll = map[string]float64{"Sgemm/n=1024/threads=all": 40, "Attention/seq=2048/dim=64/heads=8/threads=all": 20}

// Defect 1: a pair compared per vCPU is priced per vCPU too. c8g.16xlarge
// lists at 17.6 times c7g.xlarge, but per vCPU at 1.10 times, so 1.30x
// the performance per vCPU is at most 1.18x per dollar, not 0.07x.
func TestPriceNotePerVCPU(t *testing.T) {
	dir := t.TempDir()
	prices := priceRow("aws", "us-east-1", "c8g.16xlarge", 64, "arm64", 2.552, "on_demand") +
		priceRow("aws", "us-east-1", "c7g.xlarge", 4, "arm64", 0.145, "on_demand")
	claims := claimRow("D1", "c8g", "c7g", "performance", "1.30", "up_to", "kernels")
	r := mustBuild(t, dir, prices, claims, Options{},
		fixture{instance: "c8g.16xlarge", vcpus: 64, medians: map[string]float64{"Sgemm/n=1024/threads=all": 832}}.write(t, dir, "big.txt"),
		fixture{instance: "c7g.xlarge", vcpus: 4, medians: map[string]float64{"Sgemm/n=1024/threads=all": 40}}.write(t, dir, "small.txt"))
	c := claimByID(t, r, "D1")
	if c.Judged == nil || !c.Judged.PerVCPU {
		t.Fatalf("D1 not judged per vCPU: %s %s", c.Verdict, c.Detail())
	}
	if want := "(1.10x the price per vCPU): 1.30x the performance is at most 1.18x per dollar"; !strings.Contains(c.PriceNote(), want) {
		t.Errorf("price note %q lacks %q", c.PriceNote(), want)
	}
}

// Defect 2: suggestions match sizes by vCPUs, not by name: across
// providers c4a-standard-4 (4 vCPUs) pairs with c7g.xlarge, not
// c7g.large (2 vCPUs).
func TestSuggestByVCPUs(t *testing.T) {
	dir := t.TempDir()
	prices := priceRow("gcp", "us-central1", "c4a-standard-4", 4, "arm64", 0.1796, "on_demand") +
		priceRow("aws", "us-east-1", "c7g.large", 2, "arm64", 0.0725, "on_demand") +
		priceRow("aws", "us-east-1", "c7g.xlarge", 4, "arm64", 0.145, "on_demand") +
		priceRow("aws", "us-east-1", "c6g.xlarge", 4, "arm64", 0.136, "on_demand")
	claims := claimRow("D2", "c4a", "c7g", "performance", "1.30", "up_to", "kernels") +
		claimRow("D2b", "c7g", "c4a", "performance", "1.30", "up_to", "kernels")
	r := mustBuild(t, dir, prices, claims, Options{},
		fixture{instance: "c6g.xlarge", vcpus: 4, medians: sgemmAll}.write(t, dir, "c6g.txt"))
	c := claimByID(t, r, "D2")
	if !strings.Contains(c.Detail(), "run c7g.xlarge ($0.145/h)") || strings.Contains(c.Detail(), "c7g.large") {
		t.Errorf("D2 detail %q: want c7g.xlarge suggested, the size of c4a-standard-4", c.Detail())
	}
	if want := "c4a-standard-4 lists at $0.1796/h, c7g.xlarge at $0.145/h (1.24x the price)"; !strings.Contains(c.PriceNote(), want) {
		t.Errorf("D2 price note %q lacks %q", c.PriceNote(), want)
	}
	// The subject's first priced size, c7g.large, has no c4a of its
	// vCPUs: the note quotes the first pair of one size.
	if c := claimByID(t, r, "D2b"); !strings.HasPrefix(c.PriceNote(), "c7g.xlarge lists at $0.145/h, c4a-standard-4 at $0.1796/h") {
		t.Errorf("D2b price note %q, want c7g.xlarge against c4a-standard-4", c.PriceNote())
	}
}

// Defect 3: a launch that ran on fewer CPUs than the instance has (a
// quota) warns, and says how its figure was priced.
func TestGOMAXPROCSBelowVCPUs(t *testing.T) {
	dir := t.TempDir()
	r := mustBuild(t, dir, "", "", Options{},
		fixture{instance: "c7g.xlarge", vcpus: 4, gomaxprocs: 2, medians: sgemmAll}.write(t, dir, "quota.txt"))
	want := "quota.txt: gomaxprocs 2 is below the instance's 4 vCPUs (a CPU quota or container?): threads=all ran 2 copies, and is priced for all 4 vCPUs"
	if text := warningsText(r); !strings.Contains(text, want) {
		t.Errorf("no quota warning %q in\n%s", want, text)
	}
	if s := strings.Join(r.WarningSummary(), "\n"); !strings.Contains(s, "1 of 1 launch ran on fewer CPUs (gomaxprocs) than the vCPUs priced") {
		t.Errorf("summary lacks the quota:\n%s", s)
	}
}

// Defect 4: launches of one instance type that disagree on the region
// (or cloud, or vCPUs) would be priced by whichever file came first:
// the report refuses them, whatever the order.
func TestLaunchesDisagreeOnPrice(t *testing.T) {
	dir := t.TempDir()
	east := fixture{instance: "c7g.xlarge", vcpus: 4, region: "us-east-1", medians: sgemmAll}.write(t, dir, "east.txt")
	west := fixture{instance: "c7g.xlarge", vcpus: 4, region: "us-west-2", medians: sgemmAll}.write(t, dir, "west.txt")
	for _, in := range [][]results.Input{{east, west}, {west, east}} {
		_, err := buildFixture(t, dir, "", "", Options{}, in...)
		if err == nil || !strings.Contains(err.Error(), "c7g.xlarge: launches disagree on region") {
			t.Errorf("%s then %s: err = %v, want launches disagree on region", in[0].Path, in[1].Path, err)
		}
	}
	big := fixture{instance: "c7g.xlarge", vcpus: 8, medians: sgemmAll}.write(t, dir, "big.txt")
	if _, err := buildFixture(t, dir, "", "", Options{}, east, big); err == nil || !strings.Contains(err.Error(), "disagree on vcpus") {
		t.Errorf("vCPUs: err = %v", err)
	}
}

// Defect 5: other tools' benchmarks carry the file's CPU kernel-impl,
// which says nothing of an accelerator: a portable CPU tier on one side
// must not make the accelerator claim not comparable, nor hide the
// benchmark the two share from the comparisons.
func TestOtherBenchmarksIgnoreCPUTier(t *testing.T) {
	dir := t.TempDir()
	prices := priceRow("aws", "us-east-1", "trn2.48xlarge", 192, "x86_64", 40, "on_demand") +
		priceRow("aws", "us-east-1", "p5.48xlarge", 192, "x86_64", 98.32, "on_demand")
	claims := claimRow("D5", "trn2.48xlarge", "p5.48xlarge", "price_performance", "4.0", "up_to", "accelerator")
	acc := func(instance, impl string, tokens float64) fixture {
		return fixture{instance: instance, goarch: "amd64", impl: impl, vcpus: 192, pkg: "example.com/llm",
			medians: map[string]float64{"LlamaDecode/batch=8": tokens}}
	}
	r := mustBuild(t, dir, prices, claims, Options{},
		acc("p5.48xlarge", "avx512", 1000).write(t, dir, "p5.txt"),
		acc("trn2.48xlarge", "portable", 2000).write(t, dir, "trn2.txt"))
	c := claimByID(t, r, "D5")
	if c.Verdict == NotComparable || c.Judged == nil || c.Judged.Judged.Kernel != "LlamaDecode" {
		t.Errorf("D5: %s: %s", c.Verdict, c.Detail())
	}
	if len(r.Comparisons) != 1 || len(r.Comparisons[0].Kernels) != 1 || r.Comparisons[0].Kernels[0].Kernel != "LlamaDecode" {
		t.Errorf("comparisons %+v, want LlamaDecode", r.Comparisons[0])
	}
}

// Defect 6: an accelerator claim says which side lacks results, and gets
// the price note when both prices are known: trn1.32xlarge at $21.50/h
// and p4d.24xlarge at $21.96/h, so 2.00x per dollar needs 1.96x the
// performance.
func TestAcceleratorClaimMessages(t *testing.T) {
	dir := t.TempDir()
	prices := priceRow("aws", "us-east-1", "trn1.32xlarge", 128, "x86_64", 21.50, "on_demand") +
		priceRow("aws", "us-east-1", "p4d.24xlarge", 96, "x86_64", 21.96, "on_demand")
	claims := claimRow("D6", "trn1.32xlarge", "p4d.24xlarge", "cost", "0.50", "up_to", "accelerator")
	trn1 := fixture{instance: "trn1.32xlarge", goarch: "amd64", impl: "avx512", vcpus: 128, pkg: "example.com/llm",
		medians: map[string]float64{"LlamaDecode/batch=8": 500}}.write(t, dir, "trn1.txt")
	cpu := fixture{instance: "c7g.xlarge", vcpus: 4, medians: sgemmAll}.write(t, dir, "c7g.txt")
	for _, tt := range []struct {
		inputs []results.Input
		detail string
	}{
		{[]results.Input{cpu}, "needs accelerator results for trn1.32xlarge and p4d.24xlarge; none given"},
		{[]results.Input{cpu, trn1}, "needs accelerator results for p4d.24xlarge; given only for trn1.32xlarge"},
	} {
		c := claimByID(t, mustBuild(t, dir, prices, claims, Options{}, tt.inputs...), "D6")
		if c.Verdict != OutOfScope || c.Detail() != tt.detail {
			t.Errorf("D6: %s: %q, want out of scope: %q", c.Verdict, c.Detail(), tt.detail)
		}
		if want := "(0.98x the price): 2.00x per dollar needs 1.96x the performance"; !strings.Contains(c.PriceNote(), want) {
			t.Errorf("D6 price note %q lacks %q", c.PriceNote(), want)
		}
	}
}

// Defect 7: every row of a proxy claim carries the proxy note, not only
// the judged pair's.
func TestProxyNoteOnEveryPair(t *testing.T) {
	dir := t.TempDir()
	claims := claimRow("D7", "c8g c6g", "c7g", "performance", "1.1", "up_to", "proxy")
	var in []results.Input
	for _, f := range []string{"c7g-launch-a.txt", "c8g.txt", "c6g.txt"} {
		in = append(in, results.Input{Path: filepath.Join("testdata", f)})
	}
	r := mustBuild(t, dir, "", claims, Options{}, in...)
	c := claimByID(t, r, "D7")
	if len(c.Pairs) < 2 {
		t.Fatalf("D7: %d pairs", len(c.Pairs))
	}
	for _, p := range c.Pairs {
		if !strings.HasSuffix(p.Detail(), ProxyNote) {
			t.Errorf("D7 %s vs %s: detail %q lacks the proxy note", p.Subject, p.Baseline, p.Detail())
		}
	}
	for _, row := range r.claimTable().rows {
		if d := row[12].text; !strings.HasSuffix(d, ProxyNote) {
			t.Errorf("claims table row %s/%s: %q lacks the proxy note", row[7].text, row[8].text, d)
		}
	}
}

// Defect 9: an Arm host against an x86 one ran different SIMD tiers,
// which is normal: no warning about portable results unless some are
// there.
func TestTierWarningOnlyWithPortable(t *testing.T) {
	dir := t.TempDir()
	simd := mustBuild(t, dir, "", "", Options{},
		results.Input{Path: "testdata/c8g.txt"}, results.Input{Path: "testdata/c7i.txt"})
	if text := warningsText(simd); strings.Contains(text, "different kernel tiers") {
		t.Errorf("neon against avx2 warns:\n%s", text)
	}
	mixed := mustBuild(t, dir, "", "", Options{},
		results.Input{Path: "testdata/c8g.txt"}, results.Input{Path: "testdata/c7a.txt"})
	if text := warningsText(mixed); !strings.Contains(text, "different kernel tiers across compared instances") {
		t.Errorf("neon against portable does not warn:\n%s", text)
	}
}

// Defect 10: a family without a price of the type asked for says the
// catalog has others, and a pair without a price in its region is "not
// priced", not "not measured" (which means no results).
func TestPriceTypeAndRegionMessages(t *testing.T) {
	dir := t.TempDir()
	claims := claimRow("D10", "c8g", "c7g", "price_performance", "1.3", "up_to", "kernels")
	r := mustBuild(t, dir, "", claims, Options{PriceType: seeds.Spot},
		results.Input{Path: "testdata/c7g-launch-a.txt"})
	c := claimByID(t, r, "D10")
	if want := "run c8g (no spot price in the catalog; it has on_demand)"; c.Verdict != NotMeasured || !strings.Contains(c.Detail(), want) {
		t.Errorf("D10 spot: %s: %q lacks %q", c.Verdict, c.Detail(), want)
	}
	west := fixture{instance: "c8g.xlarge", vcpus: 4, region: "us-west-2", medians: sgemmAll}.write(t, dir, "west.txt")
	r = mustBuild(t, dir, "", claims, Options{}, results.Input{Path: "testdata/c7g-launch-a.txt"}, west)
	c = claimByID(t, r, "D10")
	if want := "no on_demand price for c8g.xlarge in us-west-2 in testdata/prices.csv (it has us-east-1"; c.Verdict != NotPriced || !strings.Contains(c.Detail(), want) {
		t.Errorf("D10 region: %s: %q lacks %q", c.Verdict, c.Detail(), want)
	}
}

// Defect 11: a kernel above 100% of its measured peak probe warns.
func TestAboveMeasuredPeakWarns(t *testing.T) {
	dir := t.TempDir()
	r := mustBuild(t, dir, "", "", Options{},
		fixture{instance: "c7g.xlarge", vcpus: 4, medians: map[string]float64{
			"Sgemm/n=1024/threads=all": 120, "FMAPeak/threads=all": 100}}.write(t, dir, "peak.txt"))
	if text := warningsText(r); !strings.Contains(text, "runs at 120.0% of the measured FMAPeak peak") {
		t.Errorf("no warning above the peak in\n%s", text)
	}
}

// A claim whose sides select the same measured instance (c7g.metal
// against the family c7g) once indexed an empty list of pairs.
func TestClaimSidesOverlap(t *testing.T) {
	dir := t.TempDir()
	claims := claimRow("D13", "c7g.metal", "c7g", "performance", "1.0", "approx", "kernels")
	in := fixture{instance: "c7g.metal", vcpus: 64, medians: sgemmAll}.write(t, dir, "metal.txt")
	in.Instance = "c7g.metal"
	r := mustBuild(t, dir, "", claims, Options{}, in)
	if c := claimByID(t, r, "D13"); c.Verdict != NotMeasured || !strings.Contains(c.Detail(), "only c7g.metal measured, on both sides") {
		t.Errorf("D13: %s: %s", c.Verdict, c.Detail())
	}
}

// A first file without a price cannot be the baseline of anything per
// dollar: the first priced instance is, and the report says so.
func TestBaselineFirstPriced(t *testing.T) {
	dir := t.TempDir()
	r := mustBuild(t, dir, "", "", Options{},
		results.Input{Path: "testdata/unknown.txt", Instance: "c4a-standard-4"},
		results.Input{Path: "testdata/c7g-launch-a.txt"}, results.Input{Path: "testdata/c8g.txt"})
	if r.Baseline != "c7g.xlarge" {
		t.Errorf("baseline %s, want c7g.xlarge, the first priced", r.Baseline)
	}
	if want := "baseline: c4a-standard-4, the first instance given, has no on_demand price; comparing with c7g.xlarge"; !strings.Contains(warningsText(r), want) {
		t.Errorf("no warning %q", want)
	}
	if len(r.Ranking.Kernels) == 0 {
		t.Error("nothing ranked")
	}
}

// An amd64 results file labelled with an arm64 instance type is a
// mislabelled file: its price and claims would be another chip's, so it
// is refused (finding 4 of the first-hour review); an Intel file labelled
// with an AMD type is most likely mislabelled too, and said so, as is a
// core count the catalog does not have for the type.
func TestArchAgainstCatalog(t *testing.T) {
	dir := t.TempDir()
	_, err := buildFixture(t, dir, "", "", Options{},
		fixture{instance: "c7g.xlarge", goarch: "amd64", impl: "avx2", vcpus: 4, medians: sgemmAll}.write(t, dir, "intel.txt"))
	if want := "c7g.xlarge: the results ran on amd64 but the catalog lists c7g.xlarge as arm64"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err %v, want %q", err, want)
	}
	path := fixture{instance: "c7a.xlarge", goarch: "amd64", impl: "avx512", vcpus: 4, medians: sgemmAll}.write(t, dir, "c7a.txt")
	body := strings.Replace(readFile(t, path.Path), "vcpus: 4", "vcpus: 4\ncpu-vendor: Intel\ncpu-model: Intel(R) Xeon(R) Platinum 8488C\nphysical-cores: 4", 1)
	r := mustBuild(t, dir, "aws,us-east-1,c7a.xlarge,4,2,8.0,x86_64,AMD EPYC 9R14,0.2,on_demand,test,2026-07-20\n", "", Options{},
		results.Input{Path: writeFile(t, dir, "c7a-intel.txt", body)})
	for _, want := range []string{"c7a.xlarge: the results ran on Intel (Intel(R) Xeon(R) Platinum 8488C) but the catalog lists c7a.xlarge as AMD EPYC",
		"c7a.xlarge: the results see 4 physical cores, the catalog lists 2"} {
		if !strings.Contains(warningsText(r), want) {
			t.Errorf("no warning %q in\n%s", want, warningsText(r))
		}
	}
}

// Two names for one machine (the same host-id) are one host measured
// twice, and the report says so (finding 4 of the first-hour review).
func TestOneMachineTwoNames(t *testing.T) {
	dir := t.TempDir()
	var in []results.Input
	for _, name := range []string{"c7g.xlarge", "c8g.xlarge"} {
		f := fixture{instance: name, vcpus: 4, medians: sgemmAll}.write(t, dir, name+".txt")
		body := strings.Replace(readFile(t, f.Path), "vcpus: 4", "vcpus: 4\nhost-id: 0123456789ab", 1)
		in = append(in, results.Input{Path: writeFile(t, dir, name+"-id.txt", body)})
	}
	r := mustBuild(t, dir, "", "", Options{}, in...)
	if want := "c7g.xlarge and c8g.xlarge ran on one machine (host-id 0123456789ab)"; !strings.Contains(warningsText(r), want) {
		t.Errorf("no warning %q in\n%s", want, warningsText(r))
	}
}
