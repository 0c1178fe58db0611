package host

import (
	"testing"
)

func TestReadStealTicks(t *testing.T) {
	steal, total, err := readStealTicks(fixture("aws-c7g.xlarge", nil).fsys)
	// cpu  10132153 290696 3084719 46828483 16683 0 25195 175628 0 0
	const wantTotal = 10132153 + 290696 + 3084719 + 46828483 + 16683 + 0 + 25195 + 175628
	if err != nil || steal != 175628 || total != wantTotal {
		t.Errorf("readStealTicks = %d, %d, %v; want 175628, %d, nil", steal, total, err, wantTotal)
	}
	if _, _, err := readStealTicks(fixture("nonexistent", nil).fsys); err == nil {
		t.Errorf("readStealTicks without /proc/stat: no error")
	}
}

func TestParseStealTicks(t *testing.T) {
	tests := []struct {
		name, in     string
		steal, total uint64
		ok           bool
	}{
		{"no guest fields", "cpu  1 2 3 4 5 6 7 8\n", 8, 36, true},
		{"guest not counted twice", "cpu  1 2 3 4 5 6 7 8 100 200\n", 8, 36, true},
		{"per-cpu lines ignored", "cpu0 1 1 1 1 1 1 1 1\ncpu  1 2 3 4 5 6 7 8 0 0\n", 8, 36, true},
		{"too old for steal", "cpu  1 2 3 4 5 6 7\n", 0, 0, false},
		{"not a number", "cpu  1 2 3 x 5 6 7 8\n", 0, 0, false},
		{"negative", "cpu  1 2 3 -4 5 6 7 8\n", 0, 0, false},
		{"no cpu line", "intr 1 2\nctxt 3\n", 0, 0, false},
		{"empty", "", 0, 0, false},
	}
	for _, tt := range tests {
		steal, total, err := parseStealTicks([]byte(tt.in))
		if steal != tt.steal || total != tt.total || (err == nil) != tt.ok {
			t.Errorf("%s: got %d, %d, %v; want %d, %d, ok=%v", tt.name, steal, total, err, tt.steal, tt.total, tt.ok)
		}
	}
}

func TestStealPercent(t *testing.T) {
	tests := []struct {
		s0, t0, s1, t1 uint64
		want           float64
	}{
		{100, 10000, 104, 11000, 0.4},
		{100, 10000, 100, 10000, 0},
		{100, 10000, 90, 11000, 0},
		{100, 10000, 100, 9000, 0},
		{0, 0, 50, 100, 50},
	}
	for _, tt := range tests {
		if got := StealPercent(tt.s0, tt.t0, tt.s1, tt.t1); got != tt.want {
			t.Errorf("StealPercent(%d, %d, %d, %d) = %v, want %v", tt.s0, tt.t0, tt.s1, tt.t1, got, tt.want)
		}
	}
}

// TestReadStealTicksLive checks the real /proc/stat where there is one.
func TestReadStealTicksLive(t *testing.T) {
	steal, total, err := ReadStealTicks()
	if err != nil {
		t.Skipf("no /proc/stat here: %v", err)
	}
	if total == 0 || steal > total {
		t.Errorf("ReadStealTicks = %d, %d", steal, total)
	}
}
