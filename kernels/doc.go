// Package kernels holds the compute kernels that ppbench times: the fp32
// kernels of a Tier (matrix multiply, multi-head attention, the STREAM
// triad, an FMA peak loop), the reduced-precision ones of a BF16Tier or
// an Int8Tier (matrix multiply and dot-product peak loops, and a bf16
// matrix-vector product), and the Q8_0 block-quantised product of a
// Q8Tier that LLM inference runs on (package kernels/llm builds a model's
// forward pass from them); the suite's kernel table in package
// internal/schema lists them all.
//
// The kernels are methods of a Tier, one implementation level of all of
// them. Every kernel has a portable pure-Go tier; the SIMD tiers a CPU can
// run are found from the features github.com/klauspost/cpuid/v2 reports,
// against the feature sets of package internal/isa:
//
//	portable  pure Go, everywhere (and the only tier with -tags purego or noasm, or gccgo)
//	avx2      amd64 with AVX2 and FMA3: 6×16 register tile, 8-lane exp
//	avx512    amd64 with AVX-512 F, VL, BW and DQ: 12×32 tile, 16-lane exp
//	neon      arm64 with Advanced SIMD: 12×8 tile, 4-lane exp
//
// The package does no I/O and reads no flags and no environment: callers
// choose the tier. Tiers lists those the CPU can run, Widest is the usual
// choice and LookupTier finds one by name, so that a program can take the
// name from its own flag or environment variable and report an unknown one
// as an error. SelfCheck compares a tier with the portable one on the
// running host. The tiers share everything but their innermost loops:
// packing, cache blocking (fitted to the caches CPUID reports) and
// threading are Go.
//
// Within a tier results do not depend on the number of threads. Across
// tiers they differ by rounding only (fused multiply-adds, summation
// order), within the bounds the tests derive from k and float32 epsilon.
//
// Arguments that do not fit (negative sizes, short slices, a leading
// dimension smaller than a row) make the kernels panic with a message that
// starts with "kernels:" and names the argument, as reference BLAS does.
// So does calling a method of the zero Tier.
package kernels
