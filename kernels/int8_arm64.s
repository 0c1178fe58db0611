//go:build gc && !purego && !noasm

#include "textflag.h"
#include "neon_arm64.h"

// The arm64 int8 register tiles and dot-peak loops; see int8_arm64.go for
// the contracts, the packed layouts and the instruction budgets.
//
// Go's assembler has none of SMLAL (by element), SDOT or SMMLA, so they
// are emitted with WORD. The encodings (Arm ARM, "SMLAL, SMLAL2 (by
// element)", "SDOT (by element)" and "SMMLA (vector)"):
//
//	SMLAL{2} Vd.4S, Vn.{4,8}H, Vm.H[i]	0 Q 0 01111 01 L M Rm 0010 H 0 Rn Rd
//	SDOT Vd.4S, Vn.16B, Vm.4B[i]		0 1 0 01111 10 L M Rm 1110 H 0 Rn Rd
//	SMMLA Vd.4S, Vn.16B, Vm.16B		0 1 0 01110 100 Rm 1010 01 Rn Rd
//
// SMLAL's by-element form takes 16-bit lanes: Vm is one of V0-V15 (Rm,
// 4 bits) and the lane index i is H:L:M; Q = 1 (0x4F402000) is SMLAL2, on
// the upper four lanes of Vn. SDOT's lane i (a group of 4 bytes) is H:L
// and M:Rm the full 5-bit number of Vm. Rn is in bits 9-5, Rd in 4-0.
// Checked against llvm-mc (-mattr=+dotprod,+i8mm):
//
//	smlal v31.4s, v2.4h, v1.h[3]	0x0F71205F
//	smlal2 v9.4s, v2.8h, v0.h[7]	0x4F702849
//	sdot v31.4s, v4.16b, v2.4b[3]	0x4FA2E89F
//	smmla v31.4s, v1.16b, v7.16b	0x4E87A43F
#define SMLALE(d, n, m, i) WORD $(0x0F402000 | ((((i)>>1)&1)<<21) | (((i)&1)<<20) | ((m)<<16) | (((i)>>2)<<11) | ((n)<<5) | (d))
#define SMLAL2E(d, n, m, i) WORD $(0x4F402000 | ((((i)>>1)&1)<<21) | (((i)&1)<<20) | ((m)<<16) | (((i)>>2)<<11) | ((n)<<5) | (d))
// SMMLA is in neon_arm64.h, which q8_arm64.s shares.

// SUMACC adds the 24 accumulators' int32 lanes (wrapping) into R0, sign
// extended: the dot loops' result, which depends on every accumulator.
#define SUMACC \
	VADD	V9.S4, V8.S4, V8.S4; \
	VADD	V11.S4, V10.S4, V10.S4; \
	VADD	V13.S4, V12.S4, V12.S4; \
	VADD	V15.S4, V14.S4, V14.S4; \
	VADD	V17.S4, V16.S4, V16.S4; \
	VADD	V19.S4, V18.S4, V18.S4; \
	VADD	V21.S4, V20.S4, V20.S4; \
	VADD	V23.S4, V22.S4, V22.S4; \
	VADD	V25.S4, V24.S4, V24.S4; \
	VADD	V27.S4, V26.S4, V26.S4; \
	VADD	V29.S4, V28.S4, V28.S4; \
	VADD	V31.S4, V30.S4, V30.S4; \
	VADD	V10.S4, V8.S4, V8.S4; \
	VADD	V14.S4, V12.S4, V12.S4; \
	VADD	V18.S4, V16.S4, V16.S4; \
	VADD	V22.S4, V20.S4, V20.S4; \
	VADD	V26.S4, V24.S4, V24.S4; \
	VADD	V30.S4, V28.S4, V28.S4; \
	VADD	V12.S4, V8.S4, V8.S4; \
	VADD	V20.S4, V16.S4, V16.S4; \
	VADD	V28.S4, V24.S4, V24.S4; \
	VADD	V16.S4, V8.S4, V8.S4; \
	VADD	V24.S4, V8.S4, V8.S4; \
	VADDV	V8.S4, V8; \
	VMOV	V8.S[0], R0; \
	SXTW	R0, R0

// INT8DOT is a dot loop's end: from zeroed accumulators, step R1 times,
// then return the sum.
#define INT8DOT(step) \
	ZEROACC; \
	DOTLOOP(step); \
	SUMACC; \
	MOVD	R0, ret+8(FP); \
	RET

// The row-major tiles (SMLAL, SDOT) keep row i of C, columns 0-3 and 4-7,
// in V(8+2i) and V(9+2i). LOADROW starts a row from C (a later k block
// adds to the earlier ones' sums) and STOREROW writes it back; R6 and R3
// walk C's rows, R4 bytes apart.
#define LOADROW(d0, d1) VLD1.P	(R6)(R4), [V(d0).S4, V(d1).S4]
#define STOREROW(d0, d1) VST1.P	[V(d0).S4, V(d1).S4], (R3)(R4)

#define LOADROWS \
	MOVD	R3, R6; \
	LOADROW(8, 9); LOADROW(10, 11); LOADROW(12, 13); LOADROW(14, 15); \
	LOADROW(16, 17); LOADROW(18, 19); LOADROW(20, 21); LOADROW(22, 23); \
	LOADROW(24, 25); LOADROW(26, 27); LOADROW(28, 29); LOADROW(30, 31)

#define STOREROWS \
	STOREROW(8, 9); STOREROW(10, 11); STOREROW(12, 13); STOREROW(14, 15); \
	STOREROW(16, 17); STOREROW(18, 19); STOREROW(20, 21); STOREROW(22, 23); \
	STOREROW(24, 25); STOREROW(26, 27); STOREROW(28, 29); STOREROW(30, 31)

// ---------------------------------------------------------------------
// SMLAL: 12×8, int16 (widened int8) operands, one k per step.
//
// Register use:
//	V0, V1	A: the 12 values of one k step (rows 0-7, 8-11)
//	V2	B: the 8 values of one k step
//	V8-V31	accumulators, row-major (above)

// SROW accumulates row i: B's lower and upper four columns times A's lane.
#define SROW(i) \
	SMLALE(8+2*(i), 2, (i)/8, (i)%8); \
	SMLAL2E(9+2*(i), 2, (i)/8, (i)%8)

#define SROWS \
	SROW(0); SROW(1); SROW(2); SROW(3); SROW(4); SROW(5); \
	SROW(6); SROW(7); SROW(8); SROW(9); SROW(10); SROW(11)

#define SKSTEP \
	VLD1.P	16(R1), [V0.H8]; \
	VLD1.P	8(R1), [V1.H4]; \
	VLD1.P	16(R2), [V2.H8]; \
	SROWS

// func tileSMLAL12x8(kq int, a, b *int16, c *int32, ldc int, acc int)
TEXT ·tileSMLAL12x8(SB), NOSPLIT, $0-48
	TILE(LOADROWS, SKSTEP, STOREROWS)

// func dotLoopSMLAL(iters int) int64
//
// 24 independent SMLAL/SMLAL2 chains, as in the tile's k step; the sums
// wrap, which costs nothing and is never looked at but as a whole.
TEXT ·dotLoopSMLAL(SB), NOSPLIT, $0-16
	MOVD	iters+0(FP), R1
	MOVW	$0x00030005, R2
	VDUP	R2, V0.S4
	VDUP	R2, V1.S4
	MOVW	$0x00070002, R2
	VDUP	R2, V2.S4
	INT8DOT(SROWS)

// ---------------------------------------------------------------------
// SDOT: 12×8, int8 operands, four k (one group) per step.
//
// Register use:
//	V0-V2	A: one k group of 12 rows, 4 bytes a row (rows 0-3, 4-7, 8-11)
//	V3, V4	B: one k group of 8 columns, 4 bytes a column
//	V8-V31	accumulators, row-major (above)

// DROW accumulates row i: the 4-byte groups of B's 8 columns dotted with
// row i's group, lane i%4 of A register i/4.
#define DROW(i) \
	SDOTE(8+2*(i), 3, (i)/4, (i)%4); \
	SDOTE(9+2*(i), 4, (i)/4, (i)%4)

#define DROWS \
	DROW(0); DROW(1); DROW(2); DROW(3); DROW(4); DROW(5); \
	DROW(6); DROW(7); DROW(8); DROW(9); DROW(10); DROW(11)

#define DKSTEP \
	VLD1.P	48(R1), [V0.B16, V1.B16, V2.B16]; \
	VLD1.P	32(R2), [V3.B16, V4.B16]; \
	DROWS

// func tileSDOT12x8(kq int, a, b *int8, c *int32, ldc int, acc int)
TEXT ·tileSDOT12x8(SB), NOSPLIT, $0-48
	TILE(LOADROWS, DKSTEP, STOREROWS)

// func dotLoopSDOT(iters int) int64
TEXT ·dotLoopSDOT(SB), NOSPLIT, $0-16
	MOVD	iters+0(FP), R1
	MOVW	$0x01fe03fd, R2
	VDUP	R2, V0.S4
	VDUP	R2, V1.S4
	VDUP	R2, V2.S4
	MOVW	$0x7f80ff01, R2
	VDUP	R2, V3.S4
	VDUP	R2, V4.S4
	INT8DOT(DROWS)

// ---------------------------------------------------------------------
// SMMLA: 12×8 as six row pairs by four column pairs, eight k (one group)
// per step. SMMLA Vd, Vn, Vm treats Vn as a 2×8 matrix (row 0 in bytes
// 0-7, row 1 in 8-15), Vm as the transpose of an 8×2 one (column 0 in
// bytes 0-7, column 1 in 8-15), and adds their 2×2 product to Vd's lanes
// [r0c0, r0c1, r1c0, r1c1]. Register use: neon_arm64.h.

#define SMPAIRS MPAIRS(SMMLA)
#define SMKSTEP MKSTEP(SMMLA)

// func tileSMMLA12x8(kq int, a, b *int8, c *int32, ldc int, acc int)
TEXT ·tileSMMLA12x8(SB), NOSPLIT, $0-48
	TILE(MLOADPAIRS, SMKSTEP, MSTOREPAIRS)

// func dotLoopSMMLA(iters int) int64
TEXT ·dotLoopSMMLA(SB), NOSPLIT, $0-16
	MOVD	iters+0(FP), R1
	MOVW	$0x01fe03fd, R2
	VDUP	R2, V0.S4
	VDUP	R2, V1.S4
	VDUP	R2, V2.S4
	VDUP	R2, V3.S4
	MOVW	$0x7f80ff01, R2
	VDUP	R2, V4.S4
	VDUP	R2, V5.S4
	VDUP	R2, V6.S4
	VDUP	R2, V7.S4
	INT8DOT(SMPAIRS)
