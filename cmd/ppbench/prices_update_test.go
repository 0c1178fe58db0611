package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/cachetest"
	"github.com/ppbench/ppbench/seeds"
	"github.com/ppbench/ppbench/seeds/update"
	"github.com/ppbench/ppbench/seeds/update/updatetest"
)

// TestMain keeps every test of this package away from the cache of the
// user running it: `ppbench prices update` there would otherwise change
// what the built-in catalog tests see.
func TestMain(m *testing.M) { cachetest.Main(m, seeds.CacheEnv) }

func withPriceServer(t *testing.T) (*updatetest.Server, string) {
	t.Helper()
	srv := updatetest.NewServer()
	t.Cleanup(srv.Close)
	updateEndpoints = srv.Config()
	t.Cleanup(func() { updateEndpoints = update.Config{} })
	dir := t.TempDir()
	t.Setenv(seeds.CacheEnv, dir)
	return srv, dir
}

func mustContain(t *testing.T, what, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

func TestPricesUpdate(t *testing.T) {
	srv, dir := withPriceServer(t)
	code, out, errs := reportExec("prices", "update")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	mustContain(t, "stdout", out,
		"aws: 10 prices written to "+filepath.Join(dir, "prices-aws.csv"),
		"azure: 3 prices written to "+filepath.Join(dir, "prices-azure.csv"),
		"gcp: 7 prices written to "+filepath.Join(dir, "prices-gcp.csv"),
		"aws spot: 3 regions, 4 prices (1 left out: no vCPU count for the instance type)")

	// The listing uses the cache: regions the built-in catalog lacks.
	code, out, errs = reportExec("prices", "-provider", "aws", "-region", "eu-west-1", "-family", "c7g")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	mustContain(t, "aws eu-west-1", out, "c7g.xlarge", "0.1632", "on_demand", "0.0655", "spot")
	code, out, _ = reportExec("prices", "-provider", "azure", "-region", "westeurope", "-family", "Standard_D4ps_v6", "-format", "csv")
	mustContain(t, "azure westeurope", out, "0.2016,on_demand,Azure Retail Prices API", "0.04032,spot,")
	if code != 0 {
		t.Errorf("exit %d", code)
	}

	// A region that fails is named on one line; the rest is saved and
	// the cache keeps the failed region's previous prices.
	srv.Fail(updatetest.OfferFile("eu-west-1"), http.StatusInternalServerError)
	srv.Serve(updatetest.OfferFile("us-east-1"), []byte(strings.Replace(string(srv.Fixture("aws/us-east-1.json")), "0.1450000000", "0.1400000000", 1)))
	code, out, errs = reportExec("prices", "update", "-provider", "aws", "-retries", "0")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ppbench prices update: aws on_demand eu-west-1: ") || !strings.Contains(lines[0], "HTTP 500") {
		t.Errorf("stderr:\n%s", errs)
	}
	mustContain(t, "stdout", out, "aws: ")
	_, out, _ = reportExec("prices", "-provider", "aws", "-family", "c7g", "-type", "on_demand")
	mustContain(t, "after a failed region", out, "eu-west-1", "0.1632", "us-east-1", "0.14 ")

	// A cache file someone edited: one line naming file and line, exit 1,
	// and the file stays as it was.
	file := filepath.Join(dir, "prices-gcp.csv")
	old, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(old), "0.19776", "cheap", 1)
	os.WriteFile(file, []byte(edited), 0o644)
	code, _, errs = reportExec("prices", "update", "-provider", "gcp")
	if code != 1 || !strings.Contains(errs, file+":") || !strings.Contains(errs, `price_usd_hour: "cheap" is not a number`) {
		t.Errorf("exit %d: %s", code, errs)
	}
	if b, _ := os.ReadFile(file); string(b) != edited {
		t.Error("the edited cache file was rewritten")
	}
	code, _, errs = reportExec("prices", "-provider", "gcp")
	if code != 1 || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, file+":") {
		t.Errorf("prices with an edited cache: exit %d: %s", code, errs)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, ".*")); len(m) != 0 {
		t.Errorf("temporary files left: %v", m)
	}
}

// -region without -provider asks only the cloud whose regions look so.
func TestPricesUpdateRegion(t *testing.T) {
	srv, _ := withPriceServer(t)
	code, out, errs := reportExec("prices", "update", "-region", "westeurope")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	mustContain(t, "stdout", out, "azure: 3 prices", "azure: 1 regions")
	if strings.Contains(out, "aws") || strings.Contains(out, "gcp") || srv.Hits(updatetest.SpotJS) != 0 {
		t.Errorf("other clouds asked:\n%s", out)
	}
	code, out, errs = reportExec("prices", "update", "-provider", "gcp", "-region", "no-such1")
	if code != 1 || !strings.Contains(errs, `gcp: the GCP price list has no region "no-such1"`) {
		t.Errorf("exit %d: %s %s", code, out, errs)
	}
}

func TestPricesUpdateUsage(t *testing.T) {
	withPriceServer(t)
	for _, args := range [][]string{
		{"prices", "update", "-provider", "oracle"},
		{"prices", "update", "extra"},
		{"prices", "update", "-region", "eu west"},
		{"prices", "update", "-parallel", "0"},
	} {
		if code, _, errs := reportExec(args...); code != 2 {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
	}
}

// A result from eu-west-1, a region the built-in catalog has no AWS price
// for, is priced by the report once an update has fetched it.
func TestPricesUpdateThenReport(t *testing.T) {
	withPriceServer(t)
	b, err := os.ReadFile(reportTestdata + "c7g-launch-a.txt")
	if err != nil {
		t.Fatal(err)
	}
	results := strings.Replace(string(b), "\ncloud: aws\n", "\ncloud: aws\nregion: eu-west-1\n", 1)
	if results == string(b) {
		t.Fatal("testdata has no cloud: aws line")
	}
	file := filepath.Join(t.TempDir(), "c7g.txt")
	os.WriteFile(file, []byte(results), 0o644)

	_, before, _ := reportExec("report", "-format", "json", file)
	if strings.Contains(before, "0.1632") {
		t.Fatal("priced before the update")
	}
	if code, _, errs := reportExec("prices", "update", "-provider", "aws", "-region", "eu-west-1"); code != 0 {
		t.Fatalf("update: exit %d: %s", code, errs)
	}
	code, after, errs := reportExec("report", "-format", "json", file)
	if code != 0 || !strings.Contains(after, "0.1632") {
		t.Errorf("exit %d, eu-west-1 price not used: %s\n%s", code, errs, after)
	}
}
