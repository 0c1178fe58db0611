package kernels

import (
	"fmt"
	"strings"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// A Tier is one implementation level of every kernel: the portable pure-Go
// code, or the code for one SIMD extension. Tiers lists those this CPU can
// run; Widest is the default and LookupTier finds one by name.
//
// Within a tier results are bitwise reproducible, whatever the number of
// threads. Across tiers they differ by rounding (FMA contraction, summation
// order), within the tolerances the tests state.
//
// A Tier is a small comparable value, to be passed by value and compared
// with ==. The zero Tier has no kernels: its methods panic.
type Tier struct {
	t *tier
}

// tier is what a Tier points to: the kernels' innermost loops at one level.
// Tiers point to it rather than copy it so that a Tier stays one word, and
// so that the tier a kernel call runs is fixed by its receiver alone.
type tier struct {
	name string
	gemm *gemmTier

	// Softmax steps of Attention.
	rowMax    func(x []float32) float32            // max of x, -Inf when empty
	expSubSum func(x []float32, m float32) float32 // x[i] = exp(x[i]-m); returns the sum, in index order
	scaleRow  func(x []float32, s float32)         // x[i] *= s
	// swiGLU is SwiGLU in one pass, giving swiGLUWith(expSubSum)'s bits;
	// nil where the tier has none (swiGLUWith then runs).
	swiGLU func(dst, gate, up []float32)

	triad func(a, b, c []float64, s float64) // a[i] = b[i] + s*c[i]

	// fmaLoop runs iters steps of independent multiply-add chains in
	// registers, fmaFlopsPerIter flops a step, and returns a value that
	// depends on every chain.
	fmaLoop         func(iters int) float32
	fmaFlopsPerIter int
}

// portable is the pure-Go tier, available everywhere.
var portable = tier{
	name:      "portable",
	gemm:      &portableGemm,
	rowMax:    rowMaxGo,
	expSubSum: expSubSumGo,
	scaleRow:  scaleRowGo,
	triad:     triadGo,
	fmaLoop:   fmaLoopGo,

	fmaFlopsPerIter: 12 * 2,
}

// A simdTier is one SIMD tier this build has, with the CPU features its
// code needs. Each architecture's dispatch file lists them in simdTable,
// narrowest first; builds without assembly list none. needs.Name names the
// tier, so that the kernels and package host cannot name a set apart.
type simdTier struct {
	needs isa.Set
	t     tier // with name unset
}

// tiers lists what this CPU can run, the portable tier first and the widest
// SIMD last. It is detected once, as the package loads: the CPU does not
// change under a running program, and nothing here may be changed later.
var tiers = available(&cpuid.CPU)

// available returns the portable tier followed by the SIMD tiers c
// supports, narrowest first. The SIMD tiers' blocking is fitted to the
// caches the CPU reports.
func available(c *cpuid.CPUInfo) []*tier {
	ts := []*tier{&portable}
	l1d, l2 := cacheSizes()
	for _, t := range simdTiers(c) {
		g := t.gemm.fitCaches(l1d, l2)
		t.gemm = &g
		ts = append(ts, &t)
	}
	return ts
}

// simdTiers returns the tiers of simdTable whose features c has, narrowest
// first. Dispatch depends on c alone, so tests can hand it made-up CPUs.
func simdTiers(c *cpuid.CPUInfo) []tier {
	var ts []tier
	for _, s := range simdTable {
		if s.needs.On(c) {
			t := s.t
			t.name = s.needs.Name
			ts = append(ts, t)
		}
	}
	return ts
}

// Tiers returns the tiers this CPU can run, the portable tier first and the
// widest last. The slice is the caller's.
func Tiers() []Tier {
	ts := make([]Tier, len(tiers))
	for i, t := range tiers {
		ts[i] = Tier{t}
	}
	return ts
}

// Widest returns the widest tier this CPU can run, the last of Tiers: the
// one to time unless asked otherwise.
func Widest() Tier { return Tier{tiers[len(tiers)-1]} }

// Portable returns the pure-Go tier, which every CPU and every build runs,
// the first of Tiers.
func Portable() Tier { return Tier{&portable} }

// LookupTier returns the tier called name, or Widest for "". A name this
// CPU cannot run, known elsewhere or not at all, is an error that lists the
// tiers it can: a benchmark asked for one tier must not time another.
func LookupTier(name string) (Tier, error) {
	if name == "" {
		return Widest(), nil
	}
	names := make([]string, len(tiers))
	for i, t := range tiers {
		if t.name == name {
			return Tier{t}, nil
		}
		names[i] = t.name
	}
	return Tier{}, fmt.Errorf("tier %q is not available on this CPU (have %s)", name, strings.Join(names, ", "))
}

// Name returns the tier's name: "portable" (pure Go), "avx2" (AVX2 and
// FMA3), "avx512" (AVX-512 F, VL, BW and DQ) or "neon" (Advanced SIMD).
func (t Tier) Name() string { return t.get().name }

// get returns the tier t points to, and panics for the zero Tier with a
// message that says where a real one comes from.
func (t Tier) get() *tier {
	if t.t == nil {
		panic("kernels: method called on the zero Tier; get a tier from Tiers, Widest or LookupTier")
	}
	return t.t
}
