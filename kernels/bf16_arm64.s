//go:build gc && !purego && !noasm

#include "textflag.h"
#include "neon_arm64.h"

// The BFMMLA register tile and dot-peak loop; see bf16_arm64.go for the
// contract and rounding, int8_arm64.go for the tile's instruction budget.
// The tile is int8_arm64.s's SMMLA tile with BFMMLA for SMMLA: both take
// 16-byte operands that are 2×(16 bytes / 2) matrices and accumulate 2×2
// blocks of 32-bit lanes, so loads, registers and the ZIP stores are the
// same (the lanes are float32 bits here; they are only moved).
//
// Go's assembler has no BFMMLA; it is emitted with WORD (Arm ARM,
// "BFMMLA"):
//
//	BFMMLA Vd.4S, Vn.8H, Vm.8H	0 1 1 01110 010 Rm 1110 11 Rn Rd
//
// Checked against llvm-mc (-mattr=+bf16): bfmmla v31.4s, v1.8h, v7.8h is
// 0x6E47EC3F.
#define BFMMLA(d, n, m) WORD $(0x6E40EC00 | ((m)<<16) | ((n)<<5) | (d))
#define BFMPAIRS MPAIRS(BFMMLA)
#define BFMKSTEP MKSTEP(BFMMLA)

// func tileBFMMLA12x8(kq int, a, b *BF16, c *float32, ldc int, acc int)
TEXT ·tileBFMMLA12x8(SB), NOSPLIT, $0-48
	TILE(MLOADPAIRS, BFMKSTEP, MSTOREPAIRS)

// func dotLoopBFMMLA(iters int) int64
TEXT ·dotLoopBFMMLA(SB), NOSPLIT, $0-16
	MOVD	iters+0(FP), R1
	// Accumulator k starts at 1 + k/32 in every lane.
	MOVW	$0x3F800000, R2 // 1
	VDUP	R2, V8.S4
	MOVW	$0x3D000000, R2 // 1/32
	VDUP	R2, V3.S4
	FSTEPS9TO31(3)
	// Every operand lane is bf16 2⁻¹⁰ (0x3A80): products of 2⁻²⁰.
	MOVW	$0x3A803A80, R2
	VDUP	R2, V0.S4
	VDUP	R2, V1.S4
	VDUP	R2, V2.S4
	VDUP	R2, V3.S4
	VDUP	R2, V4.S4
	VDUP	R2, V5.S4
	VDUP	R2, V6.S4
	VDUP	R2, V7.S4
	DOTLOOP(BFMPAIRS)
	// A fixed tree over the 24 accumulators, then the 4 lanes.
	FSUM8TO31L1
	FSUM8TO31L2
	FADD4(8, 8, 12)
	FADD4(16, 16, 20)
	FADD4(24, 24, 28)
	FADD4(8, 8, 16)
	FADD4(8, 8, 24)
	FADDP4(8, 8, 8)
	FADDP2S(8, 8)
	FMOVS	F8, R0
	MOVWU	R0, R0
	MOVD	R0, ret+8(FP)
	RET
