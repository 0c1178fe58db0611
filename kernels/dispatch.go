package kernels

import (
	"fmt"
	"os"
	"strings"

	"github.com/klauspost/cpuid/v2"
	"github.com/ppbench/ppbench/internal/isa"
)

// tier is one implementation level of every kernel. Within a tier results
// are bitwise reproducible; across tiers they differ by rounding (FMA
// contraction, summation order), within the tolerances the tests state.
type tier struct {
	name string
	gemm *gemmTier

	// Softmax steps of Attention.
	rowMax    func(x []float32) float32            // max of x, -Inf when empty
	expSubSum func(x []float32, m float32) float32 // x[i] = exp(x[i]-m); returns the sum, in index order
	scaleRow  func(x []float32, s float32)         // x[i] *= s

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

// tiers lists what this CPU can run, from the portable tier up to the
// widest SIMD; impl is the one in use.
var (
	tiers = available(&cpuid.CPU)
	impl  = tiers[len(tiers)-1]
)

// EnvImpl names the environment variable that lowers the kernel tier at
// start-up, for example PPBENCH_IMPL=portable.
const EnvImpl = "PPBENCH_IMPL"

// envErr is why the tier PPBENCH_IMPL names could not be selected; nil
// when it was, or when the variable is unset.
var envErr error

func init() {
	if name := os.Getenv(EnvImpl); name != "" {
		if err := SetImpl(name); err != nil {
			envErr = fmt.Errorf("%s=%s: %v", EnvImpl, name, err)
		}
	}
}

// EnvError reports a PPBENCH_IMPL that names no tier this CPU has. The
// kernels then run the default tier, so a program that times them must
// check this first: a benchmark must not silently run another tier than
// asked. A package-level init cannot return an error, hence this call.
func EnvError() error { return envErr }

// available returns the portable tier followed by the SIMD tiers c
// supports, narrowest first. The SIMD tiers' blocking is fitted to the
// caches the CPU reports.
func available(c *cpuid.CPUInfo) []tier {
	ts := []tier{portable}
	l1d, l2 := cacheSizes()
	for _, t := range simdTiers(c) {
		g := t.gemm.fitCaches(l1d, l2)
		t.gemm = &g
		ts = append(ts, t)
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

// Impl returns the name of the kernel tier in use: "portable" (pure Go),
// "avx2" (AVX2 and FMA3), "avx512" (AVX-512 F, VL, BW, DQ), "neon" or "sve".
func Impl() string { return impl.name }

// Impls returns the tiers this CPU can run, the portable tier first and the
// widest last.
func Impls() []string {
	names := make([]string, len(tiers))
	for i, t := range tiers {
		names[i] = t.name
	}
	return names
}

// SetImpl selects the kernel tier by name. It is not safe to call while
// kernels run.
func SetImpl(name string) error {
	for _, t := range tiers {
		if t.name == name {
			impl = t
			return nil
		}
	}
	return fmt.Errorf("tier %q is not available on this CPU (have %s)", name, strings.Join(Impls(), ", "))
}
