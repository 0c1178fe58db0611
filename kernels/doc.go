// Package kernels holds the compute kernels that ppbench times: single
// precision matrix multiply (Sgemm), multi-head attention (Attention), the
// STREAM triad (Triad) and an FMA peak loop (FMAPeak).
//
// The package does no I/O and reads no flags. Every kernel has a portable
// pure-Go implementation; SIMD versions are chosen once at init from the CPU
// features and can be lowered with SetImpl or the PPBENCH_IMPL environment
// variable. Impl names the tier in use.
//
// Arguments that do not fit (negative sizes, short slices, a leading
// dimension smaller than a row) make the kernels panic with a message that
// starts with "kernels:" and names the argument, as reference BLAS does.
package kernels
