//go:build gc && !purego && !noasm

package kernels

// fmaChainsNEON is the number of independent chains fmaLoopNEON keeps, one
// 4-lane vector register each. Neoverse V1 and V2 issue 4 128-bit FMLAs a
// cycle with a 4-cycle latency, so 16 chains in flight fill them; N1 and
// N2 need 8 (2 pipes). 28 chains leave the loop counter no say: one
// iteration is 28 FMLAs, 7 cycles on V1/V2, 14 on N1, against 2
// instructions of loop overhead, and every chain has 7 cycles or more to
// wait out its 4-cycle latency.
const fmaChainsNEON = 28

// fmaLoopNEON is tier.fmaLoop for NEON: iters steps of fmaChainsNEON
// 4-lane FMLAs, returning the sum of every lane of every chain.
//
// The portable loop's step is x = x·y + z, which shrinks toward a fixed
// point. FMLA's only form is x += y·z (the accumulator is the addend), so
// each chain here is x += y·z with the same y = 0.999999 and z = 1e-6: x
// climbs by about 1e-6 a step from its start in [1, 2) until the
// increment falls below half an ulp of x (at x = 32, after some 2.4e7
// steps) and stays there. Values are thus bounded and normal whatever
// iters is (no overflow, no denormals that could slow the pipes), the FMA
// timing does not depend on them, and for short runs the result still
// follows iters.
//
//go:noescape
func fmaLoopNEON(iters int) float32

// fmaFlopsPerIterNEON counts a step: chains × 4 lanes × 2 flops.
const fmaFlopsPerIterNEON = fmaChainsNEON * 4 * 2
