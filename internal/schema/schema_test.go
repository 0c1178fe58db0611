package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestFormatNameOrdersKeys(t *testing.T) {
	got := FormatName(Attention,
		Param{KeyMode, ModeParallel}, Param{KeyCausal, CausalTrue}, Param{KeyThreads, ThreadsAll},
		Param{KeySeq, "2048"}, Param{KeyDim, "64"}, Param{KeyHeads, "8"}, Param{KeyImpl, ""})
	want := "Attention/seq=2048/dim=64/heads=8/threads=all/causal=true/mode=parallel"
	if got != want {
		t.Errorf("FormatName = %q, want %q", got, want)
	}
	if got := FormatName(FMAPeak, Param{KeyImpl, "avx2"}, Param{KeyThreads, "1"}); got != "FMAPeak/threads=1/impl=avx2" {
		t.Errorf("FormatName = %q", got)
	}
	for _, bad := range [][]Param{{{"size", "1"}}, {{KeyN, "1"}, {KeyN, "2"}}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FormatName(%v) did not panic", bad)
				}
			}()
			FormatName(Sgemm, bad...)
		}()
	}
}

func TestParseThreads(t *testing.T) {
	for _, tt := range []struct {
		list, want, err string
	}{
		{"", "", ""},
		{"1,all,cores", "1 all cores", ""},
		{" 01 , 4", "1 4", ""},
		{"0", "", "0 copies: want 1 to 4096"},
		{"-3", "", "-3 copies"},
		{"4097", "", "4097 copies: want 1 to 4096"},
		{"100000", "", "want 1 to 4096"},
		{"bogus", "", `"bogus" is not 1, all, cores or a number of copies`},
		{"all,1,all", "", "all listed twice"},
		{"1,01", "", "1 listed twice"},
	} {
		keys, err := ParseThreads(tt.list)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseThreads(%q) error %v, want %q", tt.list, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("ParseThreads(%q): %v", tt.list, err)
		case tt.err == "" && strings.Join(keys, " ") != tt.want:
			t.Errorf("ParseThreads(%q) = %q, want %q", tt.list, keys, tt.want)
		}
	}
}

func TestSMT(t *testing.T) {
	for _, tt := range []struct {
		cores, cpus int
		want        bool
	}{{2, 4, true}, {4, 4, false}, {0, 4, false}, {1, 1, false}} {
		if got := SMT(tt.cores, tt.cpus); got != tt.want {
			t.Errorf("SMT(%d, %d) = %v", tt.cores, tt.cpus, got)
		}
	}
}

func TestKernels(t *testing.T) {
	seen := map[string]bool{}
	for i, k := range Kernels() {
		if seen[k.Name] || k.Unit == "" || KernelRank(k.Name) != i {
			t.Errorf("kernel %d %+v: repeated, unitless or misranked", i, k)
		}
		seen[k.Name] = true
		if got, ok := LookupKernel(k.Name); !ok || !reflect.DeepEqual(got, k) {
			t.Errorf("LookupKernel(%s) = %+v, %v", k.Name, got, ok)
		}
	}
	if _, ok := LookupKernel("Dgemm"); ok || KernelRank("Dgemm") != len(Kernels()) {
		t.Errorf("an unknown kernel is known or ranked among the suite's")
	}
}

// TestTables: every kernel names a data type, a title, and claim metrics
// or why it has none; every metric has a kernel; every data type has its
// config key among ConfigKeys and an environment variable.
func TestTables(t *testing.T) {
	for _, k := range Kernels() {
		if _, ok := LookupDataType(k.DataType); !ok {
			t.Errorf("%s: data type %q is not in the table", k.Name, k.DataType)
		}
		if k.Title == "" {
			t.Errorf("%s: no title", k.Name)
		}
		if _, ok := find(units, func(u Unit) bool { return u.Name == k.Unit }); !ok {
			t.Errorf("%s: unit %q is not in the unit table", k.Name, k.Unit)
		}
		if (len(k.Metrics) == 0) == (k.Why == "") {
			t.Errorf("%s: want claim metrics or a reason for none, not both", k.Name)
		}
		for _, m := range k.Metrics {
			if _, ok := LookupMetric(m); !ok {
				t.Errorf("%s: metric %q is not in the table", k.Name, m)
			}
		}
		if b := k.Bound; b != nil {
			if !slices.Contains(FactUnits(), b.Fact) || k.Peak != "" {
				t.Errorf("%s: bound %+v: fact not a fact unit, or a peak as well", k.Name, *b)
			}
			for _, d := range DataTypes() {
				if _, ok := LookupKernel(k.BoundKernel(d.Name)); !ok {
					t.Errorf("%s: bound for %s is %q, not a kernel", k.Name, d.Name, k.BoundKernel(d.Name))
				}
			}
		}
		if p := k.Peak; p != "" {
			if pk, ok := LookupKernel(p); !ok || !pk.Probe || pk.DataType != k.DataType || pk.Unit != k.Unit {
				t.Errorf("%s: peak %q is not a probe of its data type and unit", k.Name, p)
			}
		}
	}
	for _, m := range Metrics() {
		if ks, err := MetricKernels(m.Name); err != nil || len(ks) == 0 {
			t.Errorf("metric %s: %v", m.Name, err)
		}
	}
	if _, err := MetricKernels("latency"); err == nil {
		t.Error("an unknown metric has kernels")
	}
	envs := map[string]bool{}
	for _, d := range DataTypes() {
		if !slices.Contains(ConfigKeys, d.ConfigKey) || d.Env == "" || envs[d.Env] {
			t.Errorf("data type %s: config key %q not in ConfigKeys, or env %q empty or repeated", d.Name, d.ConfigKey, d.Env)
		}
		envs[d.Env] = true
	}
	if len(ConfigKeys) != len(slices.Compact(slices.Sorted(slices.Values(ConfigKeys)))) {
		t.Errorf("ConfigKeys repeats a key: %v", ConfigKeys)
	}
}

func TestParseInstance(t *testing.T) {
	for _, tt := range []struct {
		name string
		want InstanceName
	}{
		{"c8g.xlarge", InstanceName{AWS, "c8g", "c", "xlarge"}},
		{"p6-b200.48xlarge", InstanceName{AWS, "p6-b200", "p", "48xlarge"}},
		{"trn2.48xlarge", InstanceName{AWS, "trn2", "trn", "48xlarge"}},
		{"c7g.metal", InstanceName{AWS, "c7g", "c", "metal"}},
		{"m7i.metal-24xl", InstanceName{AWS, "m7i", "m", "metal-24xl"}},
		{"u-6tb1.112xlarge", InstanceName{AWS, "u-6tb1", "u-", "112xlarge"}},
		{"c4a-standard-4", InstanceName{GCP, "c4a", "standard", "4"}},
		{"c3-standard-4-lssd", InstanceName{GCP, "c3", "standard", "4-lssd"}},
		{"n2-custom-4-8192", InstanceName{GCP, "n2", "custom", "4-8192"}},
		{"e2-medium", InstanceName{GCP, "e2", GCPSharedClass, "medium"}},
		{"f1-micro", InstanceName{GCP, "f1", GCPSharedClass, "micro"}},
		{"Standard_D4ps_v6", InstanceName{Azure, "Dpsv6", "D", "4"}},
		{"Standard_E8-4ds_v5", InstanceName{Azure, "Edsv5", "E", "8"}},
		{"Standard_HB120rs_v3", InstanceName{Azure, "HBrsv3", "HB", "120"}},
		{"Standard_NC24ads_A100_v4", InstanceName{Azure, "NCadsv4", "NC", "24"}},
		{"Standard_D2_v2_Promo", InstanceName{Azure, "Dv2", "D", "2"}},
		{"Basic_A0", InstanceName{Azure, "Basic_A0", "", "Basic_A0"}},
		{"c8g", InstanceName{"", "c8g", "", "c8g"}},
		{"unknown", InstanceName{"", "unknown", "", "unknown"}},
		{"HVM domU", InstanceName{"", "HVM domU", "", "HVM domU"}},
	} {
		if got := ParseInstance(tt.name); got != tt.want {
			t.Errorf("ParseInstance(%q) = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"c7g.xlarge", "c4a-standard-4", "Standard_D4ps_v6", "us-east-1", "westeurope"} {
		if err := CheckName(ok); err != nil {
			t.Errorf("CheckName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", " ", "c7g.xlarge ", "bad name", "a\nb", "x=y", "a/b", "c7g\tlarge", "é"} {
		if err := CheckName(bad); err == nil {
			t.Errorf("CheckName(%q) accepted", bad)
		}
	}
}

// Finding 14 of issue 23: names are bounded, in one line.
func TestCheckNameLength(t *testing.T) {
	if err := CheckName(strings.Repeat("a", MaxNameLen)); err != nil {
		t.Error(err)
	}
	err := CheckName(strings.Repeat("a", 70000))
	if err == nil || strings.Contains(err.Error(), "\n") || len(err.Error()) > 200 {
		t.Errorf("70,000-byte name: %v", err)
	}
}
