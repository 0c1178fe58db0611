package kernels

import (
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// unitRoundoff is u for float32: the largest relative error of one rounding.
const unitRoundoff = 1.0 / (1 << 24)

// randSlice returns n values uniform in [-1, 1) from a fixed seed, so every
// run tests the same inputs.
func randSlice(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*r.Float32() - 1
	}
	return x
}

// forEachTier runs f as a subtest once per tier this CPU has. It logs the
// tiers this build knows for GOARCH but the CPU cannot run, so that -v
// output says what went untested here: a pass on a host without AVX-512
// says nothing about the avx512 code.
func forEachTier(t *testing.T, f func(t *testing.T, ti Tier)) {
	t.Helper()
	for _, msg := range skippedTiers(&cpuid.CPU) {
		t.Log(msg)
	}
	for _, ti := range Tiers() {
		t.Run("tier="+ti.Name(), func(t *testing.T) { f(t, ti) })
	}
}

// skippedTiers describes each tier of simdTable that c cannot run, with
// the features it lacks, and says so when the build has no SIMD tiers for
// GOARCH at all. For cpuid.CPU these are the tiers missing from Tiers().
func skippedTiers(c *cpuid.CPUInfo) []string {
	if len(simdTable) == 0 {
		return []string{"this build has no SIMD tiers for " + runtime.GOARCH + ": testing portable only"}
	}
	var msgs []string
	for _, s := range simdTable {
		if missing := s.needs.Missing(c); missing != nil {
			msgs = append(msgs, "skipped "+s.needs.Name+": not supported by this CPU (lacks "+strings.Join(missing, ", ")+")")
		}
	}
	return msgs
}

// mustPanic checks that f panics with exactly want.
func mustPanic(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil {
			t.Errorf("no panic, want %q", want)
			return
		}
		if msg, _ := r.(string); msg != want {
			t.Errorf("panic %q, want %q", r, want)
		}
	}()
	f()
}

func bitsEqual(a, b []float32) (int, bool) {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i, false
		}
	}
	return -1, true
}

// TestToBF16s checks ToBF16s against ToBF16, bit for bit, on every length
// to 70 and a long one, of values of every class: ties, NaNs of both
// signs, infinities, zeros, subnormals, the largest finite values.
func TestToBF16s(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	special := []uint32{0, 1 << 31, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001, 0x7f800001, 0x7f7fffff, 0xff7fffff, 1, 0x807fffff, 0x3f808000, 0x3f818000, 0x3f807fff, 0x3f808001}
	for _, n := range append(makeRange(0, 70), 1000) {
		src := make([]float32, n)
		for i := range src {
			b := r.Uint32()
			if r.IntN(3) == 0 {
				b = special[r.IntN(len(special))]
			}
			src[i] = math.Float32frombits(b)
		}
		dst := make([]BF16, n+1)
		dst[n] = 0x1234
		ToBF16s(dst, src)
		for i, v := range src {
			if dst[i] != ToBF16(v) {
				t.Fatalf("n=%d: ToBF16s(%#x) = %#x, ToBF16 %#x", n, math.Float32bits(v), dst[i], ToBF16(v))
			}
		}
		if dst[n] != 0x1234 {
			t.Fatalf("n=%d: dst[n] written", n)
		}
	}
	mustPanic(t, "kernels: ToBF16s: len(dst) = 1 < len(src) = 2", func() { ToBF16s(make([]BF16, 1), make([]float32, 2)) })
}

func makeRange(lo, hi int) []int {
	var out []int
	for i := lo; i < hi; i++ {
		out = append(out, i)
	}
	return out
}
