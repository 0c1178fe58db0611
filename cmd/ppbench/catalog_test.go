package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPricesCommand(t *testing.T) {
	tests := []struct {
		args      []string
		want      []string
		notWanted []string
	}{
		{[]string{"prices", "-family", "c8g"}, []string{"c8g.xlarge", "0.15952"}, []string{"c7g.xlarge", "c8gd"}},
		{[]string{"prices", "-provider", "gcp", "-type", "spot"}, []string{"c4a-standard-4", "0.077632"}, []string{"aws", "on_demand"}},
		{[]string{"prices", "-family", "c4"}, []string{"c4-standard-4"}, []string{"c4a-standard-4"}},
		{[]string{"prices", "-family", "c7g", "-format", "csv"}, []string{"provider,region,instance,", "github:aws/karpenter-provider-aws", "spot_avg,", "2024-04-04"}, nil},
	}
	for _, tt := range tests {
		code, out, errs := reportExec(tt.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", tt.args, code, errs)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q", tt.args, w)
			}
		}
		for _, w := range tt.notWanted {
			if strings.Contains(out, w) {
				t.Errorf("%v: output has %q", tt.args, w)
			}
		}
	}
}

func TestClaimsCommand(t *testing.T) {
	code, out, _ := reportExec("claims", "-family", "c4")
	if code != 0 || !strings.Contains(out, "V15") || !strings.Contains(out, "V16") || strings.Contains(out, "V17") {
		t.Errorf("claims -family c4 (exact, not c4a alone):\n%s", out)
	}
	code, out, _ = reportExec("claims", "-family", "c8g")
	if code != 0 || !strings.Contains(out, "V6") || !strings.Contains(out, "P1") {
		t.Errorf("claims -family c8g should include V6 (c8g.24xlarge) and P1:\n%s", out)
	}
	code, out, _ = reportExec("claims", "-provider", "gcp")
	if code != 0 || !strings.Contains(out, "V15") || strings.Contains(out, "V5 ") {
		t.Errorf("claims -provider gcp:\n%s", out)
	}
	code, out, _ = reportExec("claims", "-format", "csv")
	if code != 0 || !strings.HasPrefix(out, "id,stated_by,subject,") || strings.Count(out, "\n") < 26 {
		t.Errorf("claims csv:\n%s", out)
	}
}

func TestCatalogBadInput(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"prices", "-format", "xml"}, 2, "-format xml: want text or csv"},
		{[]string{"prices", "extra"}, 2, `unexpected argument "extra"`},
		{[]string{"claims", "-claims", reportTestdata + "prices.csv"}, 1, "ppbench: " + reportTestdata + "prices.csv:1: region: unknown column"},
		{[]string{"prices", "-prices", reportTestdata + "missing.csv"}, 1, "missing.csv"},
	} {
		code, _, errs := reportExec(tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
}

// What -format csv writes is a seed file: listed again through -prices and
// -claims it gives the same rows.
func TestCatalogCSVLoadsAgain(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct{ list, flag string }{{"prices", "-prices"}, {"claims", "-claims"}} {
		code, out, errs := reportExec(tt.list, "-format", "csv")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.list, code, errs)
		}
		file := filepath.Join(dir, tt.list+".csv")
		if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		code, again, errs := reportExec(tt.list, "-format", "csv", tt.flag, file)
		if code != 0 || again != out {
			t.Errorf("%s %s: exit %d: %s\noutput differs: %t", tt.list, tt.flag, code, errs, again != out)
		}
	}
}

// A listing that matches nothing fails in one line (exit 1, as grep does)
// instead of printing a header alone and exiting 0, which a script reads
// as rows found.
func TestListingWithNoMatchFails(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"prices", "-family", "zzz"}, "ppbench: no prices in seeds/prices.csv match -family zzz\n"},
		{[]string{"prices", "-family", "c8g", "-type", "nope", "-format", "csv"}, "ppbench: no prices in seeds/prices.csv match -family c8g -type nope\n"},
		{[]string{"claims", "-provider", "zzz"}, "ppbench: no claims in seeds/claims.csv match -provider zzz\n"},
	} {
		code, out, errs := reportExec(tt.args...)
		if code != 1 || out != "" || errs != tt.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 1, nothing, %q", tt.args, code, out, errs, tt.want)
		}
	}
}
