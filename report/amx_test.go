package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ppbench/ppbench/internal/schema"
	"github.com/ppbench/ppbench/report/results"
)

// The files in testdata/amx are synthetic, one launch each of six rounds
// (±1% noise), whole instance: a c7i.xlarge whose bf16 and int8 kernels ran
// the amx tiers, at about twice the one-core figures measured for them on
// a 2-vCPU AMX guest (GemmBF16 1.5 TFLOP/s, GemmInt8 3 TOP/s a core), and
// a c6i.xlarge (Ice Lake: fp32-avx512 for bf16, avx512vnni for int8):
//
//	c7i.xlarge  GemmBF16 3000, GemmInt8 6000, Attention 160
//	c6i.xlarge  GemmBF16  180, GemmInt8  900, Attention 140

// TestV19OnAMX: Intel's "up to 10x" for AMX bf16 over Ice Lake fp32 (V19
// in the built-in claims) gets a verdict from AMX results, judged on the
// bf16 GEMM, and a run on an AMX chip that could not use the tiles is
// warned about.
func TestV19OnAMX(t *testing.T) {
	r := buildReport(t, dirInputs("amx", "c7i.txt", "c6i.txt"), filepath.Join("..", "seeds", "claims.csv"))
	var v19 *ClaimResult
	for _, c := range r.Claims {
		if c.Claim.ID == "V19" {
			v19 = c
		}
	}
	switch {
	case v19 == nil:
		t.Fatal("no V19 in seeds/claims.csv")
	case v19.Judged == nil || v19.Judged.Judged == nil:
		t.Fatalf("V19 not judged: %s: %s", v19.Verdict, v19.Detail())
	}
	// The pair holds; the claim names three families a side, so one
	// pair measured leaves it provisional (1 of 9 family pairs).
	if v19.Judged.Verdict != Holds || v19.Verdict != Consistent || !strings.Contains(v19.Detail(), "1 of 9 family pairs measured") ||
		v19.Judged.Judged.Kernel != schema.GemmBF16 ||
		v19.Judged.Subject != "c7i.xlarge" || v19.Judged.Baseline != "c6i.xlarge" {
		t.Errorf("V19: %s on %s (%s vs %s), want the pair to hold on GemmBF16, c7i.xlarge vs c6i.xlarge, the claim provisional: %s",
			v19.Verdict, v19.Judged.Judged.Kernel, v19.Judged.Subject, v19.Judged.Baseline, v19.Detail())
	}
	if got := v19.Judged.Judged.Value; got < 15 || got > 18 {
		t.Errorf("V19 judged ratio %.2f, want about %.2f", got, 3000.0/180)
	}
	for _, w := range r.Warnings {
		if strings.Contains(w.Text, "could not use them") {
			t.Errorf("warning for a run that used AMX: %s", w)
		}
	}
}

// TestAMXUnusedWarns: a launch on an AMX chip whose amx line says why it
// could not use the tiles gets one warning naming the reason.
func TestAMXUnusedWarns(t *testing.T) {
	dir := t.TempDir()
	body := readFile(t, filepath.Join("testdata", "amx", "c7i.txt"))
	body = strings.Replace(body, "amx: usable", "amx: denied by the kernel: operation not permitted", 1)
	body = strings.ReplaceAll(body, "kernel-impl-bf16: amx", "kernel-impl-bf16: avx512bf16")
	body = strings.ReplaceAll(body, "kernel-impl-int8: amx", "kernel-impl-int8: avx512vnni")
	path := writeFile(t, dir, "c7i.txt", body)
	r := buildReport(t, []results.Input{{Path: path}, {Path: filepath.Join("testdata", "amx", "c6i.txt")}}, "testdata/lowp/claims.csv")
	found := 0
	for _, w := range r.Warnings {
		if w.Instance == "c7i.xlarge" && strings.Contains(w.Text, "could not use them (denied by the kernel: operation not permitted)") {
			found++
		}
	}
	if found != 1 {
		t.Errorf("%d warnings naming why AMX went unused, want 1: %v", found, r.Warnings)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
