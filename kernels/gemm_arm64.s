//go:build gc && !purego && !noasm

#include "textflag.h"

// The 12×8 NEON register tile; see gemm_arm64.go for the contract and the
// instruction budget.
//
// Go's assembler has only the vector-by-vector form of FMLA, so the
// by-element forms are emitted with WORD. The encodings (Arm ARM, "FMLA (by
// element)" and "FMUL (by element)", single precision, 128-bit vectors):
//
//	FMLA Vd.4S, Vn.4S, Vm.S[i]	0 1 0 01111 1 0 L M Rm 0001 H 0 Rn Rd
//	FMUL Vd.4S, Vn.4S, Vm.S[i]	0 1 0 01111 1 0 L M Rm 1001 H 0 Rn Rd
//
// that is 0x4F801000 (FMLA) or 0x4F809000 (FMUL), with the lane index i
// split into H (bit 11) and L (bit 21), M:Rm (bits 20-16) the full 5-bit
// number of Vm (any of V0-V31 for .S lanes), Rn in bits 9-5 and Rd in 4-0.
// Checked against llvm-mc: fmla v31.4s, v4.4s, v2.s[3] is 0x4FA2189F.
#define FMLAE(d, n, m, i) WORD $(0x4F801000 | (((i)&1)<<21) | ((m)<<16) | (((i)>>1)<<11) | ((n)<<5) | (d))
#define FMULE(d, n, m, i) WORD $(0x4F809000 | (((i)&1)<<21) | ((m)<<16) | (((i)>>1)<<11) | ((n)<<5) | (d))

// Register use:
//	V0-V2	A: the 12 values of one k step (rows 0-3, 4-7, 8-11)
//	V3-V4	B: the 8 values of one k step (columns 0-3, 4-7)
//	V5, V6	alpha and beta, lane 0
//	V8-V31	accumulators: row i, columns 4j..4j+3 in V(8+2i+j)

// ROW accumulates row i of the tile: B times lane i%4 of A register i/4.
#define ROW(i) \
	FMLAE(8+2*(i), 3, (i)/4, (i)%4); \
	FMLAE(9+2*(i), 4, (i)/4, (i)%4)

// KSTEP is one k step: two loads (five 128-bit vectors) and 24 FMLAs.
#define KSTEP \
	VLD1.P	48(R1), [V0.S4, V1.S4, V2.S4]; \
	VLD1.P	32(R2), [V3.S4, V4.S4]; \
	ROW(0); ROW(1); ROW(2); ROW(3); ROW(4); ROW(5); \
	ROW(6); ROW(7); ROW(8); ROW(9); ROW(10); ROW(11)

// STORE0 writes one row, accumulators Vd0 and Vd1, as alpha·acc, without
// reading C.
#define STORE0(d0, d1) \
	FMULE(d0, d0, 5, 0); \
	FMULE(d1, d1, 5, 0); \
	VST1.P	[V(d0).S4, V(d1).S4], (R3)(R4)

// STORE writes one row as alpha·acc + beta·C: acc is scaled by alpha,
// then beta·C is added in one fused step.
#define STORE(d0, d1) \
	VLD1	(R3), [V0.S4, V1.S4]; \
	FMULE(d0, d0, 5, 0); \
	FMULE(d1, d1, 5, 0); \
	FMLAE(d0, 0, 6, 0); \
	FMLAE(d1, 1, 6, 0); \
	VST1.P	[V(d0).S4, V(d1).S4], (R3)(R4)

// func tile12x8(kc int, a, b, c *float32, ldc int, alpha, beta float32)
TEXT ·tile12x8(SB), NOSPLIT, $0-48
	MOVD	kc+0(FP), R0
	MOVD	a+8(FP), R1
	MOVD	b+16(FP), R2
	MOVD	c+24(FP), R3
	MOVD	ldc+32(FP), R4
	LSL	$2, R4 // row stride in bytes

	VEOR	V8.B16, V8.B16, V8.B16
	VEOR	V9.B16, V9.B16, V9.B16
	VEOR	V10.B16, V10.B16, V10.B16
	VEOR	V11.B16, V11.B16, V11.B16
	VEOR	V12.B16, V12.B16, V12.B16
	VEOR	V13.B16, V13.B16, V13.B16
	VEOR	V14.B16, V14.B16, V14.B16
	VEOR	V15.B16, V15.B16, V15.B16
	VEOR	V16.B16, V16.B16, V16.B16
	VEOR	V17.B16, V17.B16, V17.B16
	VEOR	V18.B16, V18.B16, V18.B16
	VEOR	V19.B16, V19.B16, V19.B16
	VEOR	V20.B16, V20.B16, V20.B16
	VEOR	V21.B16, V21.B16, V21.B16
	VEOR	V22.B16, V22.B16, V22.B16
	VEOR	V23.B16, V23.B16, V23.B16
	VEOR	V24.B16, V24.B16, V24.B16
	VEOR	V25.B16, V25.B16, V25.B16
	VEOR	V26.B16, V26.B16, V26.B16
	VEOR	V27.B16, V27.B16, V27.B16
	VEOR	V28.B16, V28.B16, V28.B16
	VEOR	V29.B16, V29.B16, V29.B16
	VEOR	V30.B16, V30.B16, V30.B16
	VEOR	V31.B16, V31.B16, V31.B16

	// Four k steps per iteration, then the kc%4 left over one at a time.
	// Every accumulator still sees its products in increasing k.
	LSR	$2, R0, R5
	AND	$3, R0, R6
	CBZ	R5, tail

loop4:
	KSTEP
	KSTEP
	KSTEP
	KSTEP
	SUBS	$1, R5, R5
	BNE	loop4

tail:
	CBZ	R6, store

loop1:
	KSTEP
	SUBS	$1, R6, R6
	BNE	loop1

store:
	FMOVS	alpha+40(FP), F5
	FMOVS	beta+44(FP), F6
	FCMPS	$(0.0), F6
	BNE	withbeta

	// beta == 0: C is written, never read (it may hold NaN).
	STORE0(8, 9)
	STORE0(10, 11)
	STORE0(12, 13)
	STORE0(14, 15)
	STORE0(16, 17)
	STORE0(18, 19)
	STORE0(20, 21)
	STORE0(22, 23)
	STORE0(24, 25)
	STORE0(26, 27)
	STORE0(28, 29)
	STORE0(30, 31)
	RET

withbeta:
	STORE(8, 9)
	STORE(10, 11)
	STORE(12, 13)
	STORE(14, 15)
	STORE(16, 17)
	STORE(18, 19)
	STORE(20, 21)
	STORE(22, 23)
	STORE(24, 25)
	STORE(26, 27)
	STORE(28, 29)
	STORE(30, 31)
	RET
