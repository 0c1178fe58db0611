package kernels

import (
	"fmt"
	"math"
	"sync/atomic"
)

// FMAPeak runs iters steps of a register-only loop of independent
// multiply-add chains, enough of them to keep every FMA pipe of the widest
// cores busy (a chain waits out the FMA latency, so pipes × latency chains
// are needed: 16 on Neoverse V1/V2), on the widest vectors of tier t. It
// returns the floating-point operations done, counting a
// multiply-add as two, so flops/second is the core's FP32 peak at this tier.
//
// The loop touches no memory, so it measures the execution units alone.
func (t Tier) FMAPeak(iters int) (flops float64) {
	ti := t.get()
	if iters < 0 {
		panic(fmt.Sprintf("kernels: FMAPeak: iters = %d < 0", iters))
	}
	r := ti.fmaLoop(iters)
	// Publishing the result keeps the compiler from dropping the loop.
	fmaSink.Store(math.Float32bits(r))
	return t.FMAPeakFLOPs(iters)
}

// FMAPeakFLOPs returns the floating-point operations t.FMAPeak(iters) does,
// without running it. Tiers differ: each keeps as many chains as its
// vectors and registers allow.
func (t Tier) FMAPeakFLOPs(iters int) float64 {
	return float64(iters) * float64(t.get().fmaFlopsPerIter)
}

// fmaSink holds the bits of the last FMAPeak result; atomic because rate
// mode runs FMAPeak on many goroutines at once.
var fmaSink atomic.Uint32

// fmaLoopGo keeps 12 scalar chains: more spill on amd64 (15 usable
// registers). Each step is x = x*y + z, which Go fuses into one
// instruction on arm64 and not on amd64. y < 1 keeps x bounded, away from
// overflow and denormals.
func fmaLoopGo(iters int) float32 {
	const y, z = 0.999999, 1e-6
	x0, x1, x2, x3, x4, x5 := float32(0), float32(0.1), float32(0.2), float32(0.3), float32(0.4), float32(0.5)
	x6, x7, x8, x9, x10, x11 := float32(0.6), float32(0.7), float32(0.8), float32(0.9), float32(1.0), float32(1.1)
	for range iters {
		x0 = x0*y + z
		x1 = x1*y + z
		x2 = x2*y + z
		x3 = x3*y + z
		x4 = x4*y + z
		x5 = x5*y + z
		x6 = x6*y + z
		x7 = x7*y + z
		x8 = x8*y + z
		x9 = x9*y + z
		x10 = x10*y + z
		x11 = x11*y + z
	}
	return x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11
}
