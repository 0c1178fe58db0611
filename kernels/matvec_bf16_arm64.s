//go:build gc && !purego && !noasm

#include "textflag.h"

// The MatVecBF16 NEON loop (see matvec_bf16_arm64.go): four rows of B at
// a time, each a sequential stream; per 16 columns, y loaded, the four
// rows' products added in row order (FMLA by element, of exact products),
// y stored. A bf16 is widened to float32 by ZIP1/ZIP2 of its halfwords
// under zeros (V31): each word becomes the bf16 shifted left by 16. (SHLL
// by 16 would do the same, but Neoverse V1 and V2 issue it on two of
// their four vector pipes, and llvm-mca finds the loop bound by them.)
// WORD encodings, checked against llvm-mc:
//
//	shll v16.4s, v4.4h, #16		0x2E613890
//	zip1 v16.8h, v31.8h, v4.8h	0x4E443BF0
//	zip2 v17.8h, v31.8h, v4.8h	0x4E447BF1
//	fmla v0.4s, v16.4s, v28.s[3]	0x4FBC1A00
#define SHLL16(d, n) WORD $(0x2E613800 | ((n)<<5) | (d))
#define WIDENLO(d, n) WORD $(0x4E403BE0 | ((n)<<16) | (d))
#define WIDENHI(d, n) WORD $(0x4E407BE0 | ((n)<<16) | (d))
#define FMLAE(d, n, m, i) WORD $(0x4F801000 | (((i)&1)<<21) | ((m)<<16) | (((i)>>1)<<11) | ((n)<<5) | (d))

// MVN_ROW adds row i's 16 values (at R(rp), then 32 bytes on) times x[i]
// (lane i of V28) to the 16 columns in V0-V3.
#define MVN_ROW(rp, i) \
	VLD1.P	32(rp), [V4.H8, V5.H8]; \
	WIDENLO(16, 4); \
	WIDENHI(17, 4); \
	WIDENLO(18, 5); \
	WIDENHI(19, 5); \
	FMLAE(0, 16, 28, i); \
	FMLAE(1, 17, 28, i); \
	FMLAE(2, 18, 28, i); \
	FMLAE(3, 19, 28, i)

// MVN_ROW8 is MVN_ROW on 8 columns (V0-V1).
#define MVN_ROW8(rp, i) \
	VLD1.P	16(rp), [V4.H8]; \
	WIDENLO(16, 4); \
	WIDENHI(17, 4); \
	FMLAE(0, 16, 28, i); \
	FMLAE(1, 17, 28, i)

// func matVecBF16NEON(k, n int, x *BF16, b *BF16, ldb int, y *float32)
//
// Register use: R0 rows left, R1 n, R2 x, R3 row p of B, R4 ldb in bytes,
// R5 y, R12 8·ldb in bytes, V31 zero; per 4 rows V28 their x, R6-R9 the rows, R10
// y's cursor, R11 the columns left.
TEXT ·matVecBF16NEON(SB), NOSPLIT, $0-48
	MOVD	k+0(FP), R0
	MOVD	n+8(FP), R1
	MOVD	x+16(FP), R2
	MOVD	b+24(FP), R3
	MOVD	ldb+32(FP), R4
	MOVD	y+40(FP), R5
	LSL	$1, R4
	LSL	$3, R4, R12
	VEOR	V31.B16, V31.B16, V31.B16

mvnRows4:
	CMP	$4, R0
	BLT	mvnRow1
	VLD1.P	8(R2), [V28.H4]
	SHLL16(28, 28)
	MOVD	R3, R6
	ADD	R4, R3, R7
	ADD	R4, R7, R8
	ADD	R4, R8, R9
	MOVD	R5, R10
	MOVD	R1, R11

mvnCols16:
	CMP	$16, R11
	BLT	mvnCols8
	// The lines of the rows 8 on that these columns take two passes
	// from now (R12 = 8·ldb bytes): a goroutine's band of columns is a
	// narrow part of every row, which no prefetcher follows from row to
	// row.
	ADD	R12, R6, R13
	PRFM	(R13), PLDL2KEEP
	ADD	R12, R7, R13
	PRFM	(R13), PLDL2KEEP
	ADD	R12, R8, R13
	PRFM	(R13), PLDL2KEEP
	ADD	R12, R9, R13
	PRFM	(R13), PLDL2KEEP
	VLD1	(R10), [V0.S4, V1.S4, V2.S4, V3.S4]
	MVN_ROW(R6, 0)
	MVN_ROW(R7, 1)
	MVN_ROW(R8, 2)
	MVN_ROW(R9, 3)
	// Not VST1.P: the next loads of y would wait for its address update,
	// which waits for the stored data.
	VST1	[V0.S4, V1.S4, V2.S4, V3.S4], (R10)
	ADD	$64, R10
	SUB	$16, R11, R11
	B	mvnCols16

mvnCols8:
	CBZ	R11, mvnNext4
	VLD1	(R10), [V0.S4, V1.S4]
	MVN_ROW8(R6, 0)
	MVN_ROW8(R7, 1)
	MVN_ROW8(R8, 2)
	MVN_ROW8(R9, 3)
	VST1.P	[V0.S4, V1.S4], 32(R10)

mvnNext4:
	ADD	R4<<2, R3, R3
	SUB	$4, R0, R0
	B	mvnRows4

mvnRow1:
	// The last k%4 rows, one at a time, 8 columns a step.
	CBZ	R0, mvnDone
	VLD1.P	2(R2), V28.H[0]
	SHLL16(28, 28)
	MOVD	R3, R6
	MOVD	R5, R10
	MOVD	R1, R11

mvnCol1:
	VLD1	(R10), [V0.S4, V1.S4]
	MVN_ROW8(R6, 0)
	VST1.P	[V0.S4, V1.S4], 32(R10)
	SUBS	$8, R11, R11
	BNE	mvnCol1
	ADD	R4, R3, R3
	SUB	$1, R0, R0
	B	mvnRow1

mvnDone:
	RET
