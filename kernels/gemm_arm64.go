//go:build gc && !purego && !noasm

package kernels

import (
	"fmt"
	"unsafe"
)

// neonGemm is the NEON tier's SGEMM: a 12×8 register tile in assembly.
//
// Tile shape. AArch64 has 32 vector registers of 4 float32. A 12×8 tile
// keeps 24 accumulators (V8-V31), one k step of packed A in 3 registers and
// of B in 2, and leaves V5-V7 for alpha and beta. Each k step multiplies
// the 2 B vectors by each of the 12 A values with FMLA by element, so A is
// loaded as 3 plain vectors and never broadcast. Per k step:
//
//	loads: 5 × 128-bit (2 LD1 instructions, post-indexed)
//	FMLA:  24 (by element): 96 multiply-adds, 192 flops
//	other: 0.5 (loop counter and branch, amortised over 4 unrolled steps)
//
// Neoverse V1/V2 issue 4 128-bit FMLAs a cycle (4-cycle latency) and 3
// loads: the FMLAs take 6 cycles a step, the loads 1.7, so the loop is
// bound by the FMA pipes and can reach their full rate; the 24 independent
// accumulators cover the 16 (4 pipes × 4 cycles) a V1/V2 core needs in
// flight. Neoverse N1 (2 FMLA pipes, 2 loads a cycle): 12 cycles of FMLA
// against 2.5 of loads, again FMA bound. What is left is outside the k
// loop: zeroing and the alpha/beta update (24 vector loads, stores and
// 48 multiplies per tile, under 1% of a kc = 256 tile) and the Go packing,
// so the whole SGEMM should land near 85-90% of FMA peak.
//
// The alternative, broadcasting A with LD1R per row, needs 12 + 2 loads a
// step, and on Neoverse LD1R also takes a vector pipe, which would steal
// FMA slots; the by-element form costs nothing extra.
//
// Why 12×8 and not 8×12: nr = 8 divides the head size 64 of Attention (no
// padded columns in P·V, a 128-key block is 16 slivers) and the common
// powers of two of n, and the parallel split aligns bands to nr.
//
// Blocking for Neoverse caches (L1d 64 KiB, private L2 1 MiB on N1/V1,
// 2 MiB on V2):
//   - kc = 256: the B sliver the tile reuses for a whole A block is 8 KiB
//     and an A sliver 12 KiB, so both, the next A sliver being prefetched
//     and the C tile stay well inside L1; 256 k steps amortise the C update.
//   - mc = 384 (32 tiles): the packed A block is 384 KiB, under half the
//     smallest L2, and each packed B value is reused by 32 tiles, which
//     keeps packing B under a few percent of the work.
//   - nc = 4096: a kc×nc panel of B is 4 MiB; it is read once per A block
//     from L3 or memory at 2·mc = 768 flops per value, far below any
//     bandwidth limit, so it need not fit a core's share of L3.
//
// fitCaches would resize kc and mc from the cache sizes, but arm64 reports
// none (cache_arm64.go), so these values are the ones used.
var neonGemm = gemmTier{mr: 12, nr: 8, kc: 256, mc: 384, nc: 4096, tile: tileNEON}

// tileNEON is the gemmTier.tile contract for the 12×8 tile: it checks the
// slice bounds the assembly relies on and calls it.
func tileNEON(kc int, a, b, c []float32, ldc int, alpha, beta float32) {
	if kc < 0 || len(a) < kc*12 || len(b) < kc*8 || ldc < 8 || len(c) < 11*ldc+8 {
		panic(fmt.Sprintf("kernels: tileNEON: kc = %d, len(a) = %d, len(b) = %d, len(c) = %d, ldc = %d", kc, len(a), len(b), len(c), ldc))
	}
	tile12x8(kc, unsafe.SliceData(a), unsafe.SliceData(b), unsafe.SliceData(c), ldc, alpha, beta)
}

// tile12x8 computes the 12×8 tile
//
//	acc[i][j] = sum over p < kc of a[p*12+i] * b[p*8+j]   (p increasing, fused)
//	c[i*ldc+j] = alpha*acc[i][j] + beta*c[i*ldc+j]
//
// reading 12·kc values at a, 8·kc at b and 12 rows of 8 at c, ldc elements
// apart. When beta is zero, c is only written. Every accumulator takes its
// products one fused multiply-add at a time in increasing p, the order of
// the portable kernel on arm64.
//
//go:noescape
func tile12x8(kc int, a, b, c *float32, ldc int, alpha, beta float32)
