//go:build gc && !purego && !noasm

#include "textflag.h"

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
// FADD Vd.4S, Vn.4S, Vm.4S and the pairwise adds, as in fmapeak_arm64.s.
#define FADD4(d, n, m) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FADDP4(d, n, m) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FADDP2S(d, n) WORD $(0x7E30D800 | ((n)<<5) | (d))

// ZEROACC clears the 24 accumulators V8-V31.
#define ZEROACC \
	VEOR	V8.B16, V8.B16, V8.B16; \
	VEOR	V9.B16, V9.B16, V9.B16; \
	VEOR	V10.B16, V10.B16, V10.B16; \
	VEOR	V11.B16, V11.B16, V11.B16; \
	VEOR	V12.B16, V12.B16, V12.B16; \
	VEOR	V13.B16, V13.B16, V13.B16; \
	VEOR	V14.B16, V14.B16, V14.B16; \
	VEOR	V15.B16, V15.B16, V15.B16; \
	VEOR	V16.B16, V16.B16, V16.B16; \
	VEOR	V17.B16, V17.B16, V17.B16; \
	VEOR	V18.B16, V18.B16, V18.B16; \
	VEOR	V19.B16, V19.B16, V19.B16; \
	VEOR	V20.B16, V20.B16, V20.B16; \
	VEOR	V21.B16, V21.B16, V21.B16; \
	VEOR	V22.B16, V22.B16, V22.B16; \
	VEOR	V23.B16, V23.B16, V23.B16; \
	VEOR	V24.B16, V24.B16, V24.B16; \
	VEOR	V25.B16, V25.B16, V25.B16; \
	VEOR	V26.B16, V26.B16, V26.B16; \
	VEOR	V27.B16, V27.B16, V27.B16; \
	VEOR	V28.B16, V28.B16, V28.B16; \
	VEOR	V29.B16, V29.B16, V29.B16; \
	VEOR	V30.B16, V30.B16, V30.B16; \
	VEOR	V31.B16, V31.B16, V31.B16

// TILEARGS loads the common arguments: R0 k steps (or groups), R1 packed
// A, R2 packed B, R3 C, R4 C's row stride in bytes, R5 whether to start
// from C.
#define TILEARGS \
	MOVD	kq+0(FP), R0; \
	MOVD	a+8(FP), R1; \
	MOVD	b+16(FP), R2; \
	MOVD	c+24(FP), R3; \
	MOVD	ldc+32(FP), R4; \
	MOVD	acc+40(FP), R5; \
	LSL	$2, R4

// ---------------------------------------------------------------------
// Register use:
//	V0-V3	A: row pairs 0-3 of one k group, then V0, V1 pairs 4-5
//	V4-V7	B: column pairs 0-3 of one k group
//	V8-V31	accumulators: row pair p, column pair c in V(8+4p+c)

// MPAIR accumulates row pair p, held in V(ra), with all four column pairs.
#define MPAIR(p, ra) \
	BFMMLA(8+4*(p), ra, 4); \
	BFMMLA(9+4*(p), ra, 5); \
	BFMMLA(10+4*(p), ra, 6); \
	BFMMLA(11+4*(p), ra, 7)

#define MKSTEP \
	VLD1.P	64(R1), [V0.B16, V1.B16, V2.B16, V3.B16]; \
	VLD1.P	64(R2), [V4.B16, V5.B16, V6.B16, V7.B16]; \
	MPAIR(0, 0); MPAIR(1, 1); MPAIR(2, 2); MPAIR(3, 3); \
	VLD1.P	32(R1), [V0.B16, V1.B16]; \
	MPAIR(4, 0); MPAIR(5, 1)

// ZIP1 and ZIP2 on doublewords with a register given by number, which
// Go's assembler only takes in register lists (llvm-mc: zip1 v0.2d, v8.2d,
// v9.2d is 0x4EC93900, zip2 v2.2d, v8.2d, v9.2d 0x4EC97902).
#define ZIP1D(d, n, m) WORD $(0x4EC03800 | ((m)<<16) | ((n)<<5) | (d))
#define ZIP2D(d, n, m) WORD $(0x4EC07800 | ((m)<<16) | ((n)<<5) | (d))

// Row pair p of C is 2×8; its accumulators V(8+4p)..V(11+4p) hold 2×2
// blocks. Row 2p, columns 0-3, is the lower halves of the first two
// (ZIP1 on doublewords), columns 4-7 of the last two; row 2p+1 the upper
// halves (ZIP2). MLOADPAIR is the inverse: two rows of C into the blocks.
// Both take the pair's four accumulators by number.
#define MLOADPAIR(a0, a1, a2, a3) \
	VLD1.P	(R6)(R4), [V0.S4, V1.S4]; \
	VLD1.P	(R6)(R4), [V2.S4, V3.S4]; \
	ZIP1D(a0, 0, 2); \
	ZIP2D(a1, 0, 2); \
	ZIP1D(a2, 1, 3); \
	ZIP2D(a3, 1, 3)

#define MSTOREPAIR(a0, a1, a2, a3) \
	ZIP1D(0, a0, a1); \
	ZIP1D(1, a2, a3); \
	ZIP2D(2, a0, a1); \
	ZIP2D(3, a2, a3); \
	VST1.P	[V0.S4, V1.S4], (R3)(R4); \
	VST1.P	[V2.S4, V3.S4], (R3)(R4)

// func tileBFMMLA12x8(kq int, a, b *BF16, c *float32, ldc int, acc int)
TEXT ·tileBFMMLA12x8(SB), NOSPLIT, $0-48
	TILEARGS
	CBNZ	R5, bmload
	ZEROACC
	B	bmstart
bmload:
	MOVD	R3, R6
	MLOADPAIR(8, 9, 10, 11); MLOADPAIR(12, 13, 14, 15); MLOADPAIR(16, 17, 18, 19)
	MLOADPAIR(20, 21, 22, 23); MLOADPAIR(24, 25, 26, 27); MLOADPAIR(28, 29, 30, 31)
bmstart:
	LSR	$2, R0, R7
	AND	$3, R0, R8
	CBZ	R7, bmtail
bmloop4:
	MKSTEP
	MKSTEP
	MKSTEP
	MKSTEP
	SUBS	$1, R7, R7
	BNE	bmloop4
bmtail:
	CBZ	R8, bmstore
bmloop1:
	MKSTEP
	SUBS	$1, R8, R8
	BNE	bmloop1
bmstore:
	MSTOREPAIR(8, 9, 10, 11); MSTOREPAIR(12, 13, 14, 15); MSTOREPAIR(16, 17, 18, 19)
	MSTOREPAIR(20, 21, 22, 23); MSTOREPAIR(24, 25, 26, 27); MSTOREPAIR(28, 29, 30, 31)
	RET

// func dotLoopBFMMLA(iters int) int64
TEXT ·dotLoopBFMMLA(SB), NOSPLIT, $0-16
	MOVD	iters+0(FP), R1
	// Accumulator k starts at 1 + k/32 in every lane.
	MOVW	$0x3F800000, R2 // 1
	VDUP	R2, V8.S4
	MOVW	$0x3D000000, R2 // 1/32
	VDUP	R2, V3.S4
	FADD4(9, 8, 3)
	FADD4(10, 9, 3)
	FADD4(11, 10, 3)
	FADD4(12, 11, 3)
	FADD4(13, 12, 3)
	FADD4(14, 13, 3)
	FADD4(15, 14, 3)
	FADD4(16, 15, 3)
	FADD4(17, 16, 3)
	FADD4(18, 17, 3)
	FADD4(19, 18, 3)
	FADD4(20, 19, 3)
	FADD4(21, 20, 3)
	FADD4(22, 21, 3)
	FADD4(23, 22, 3)
	FADD4(24, 23, 3)
	FADD4(25, 24, 3)
	FADD4(26, 25, 3)
	FADD4(27, 26, 3)
	FADD4(28, 27, 3)
	FADD4(29, 28, 3)
	FADD4(30, 29, 3)
	FADD4(31, 30, 3)
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
	CMP	$0, R1
	BLE	bdsum
bdloop:
	MPAIR(0, 0); MPAIR(1, 1); MPAIR(2, 2)
	MPAIR(3, 3); MPAIR(4, 0); MPAIR(5, 1)
	SUBS	$1, R1, R1
	BNE	bdloop
bdsum:
	// A fixed tree over the 24 accumulators, then the 4 lanes.
	FADD4(8, 8, 9)
	FADD4(10, 10, 11)
	FADD4(12, 12, 13)
	FADD4(14, 14, 15)
	FADD4(16, 16, 17)
	FADD4(18, 18, 19)
	FADD4(20, 20, 21)
	FADD4(22, 22, 23)
	FADD4(24, 24, 25)
	FADD4(26, 26, 27)
	FADD4(28, 28, 29)
	FADD4(30, 30, 31)
	FADD4(8, 8, 10)
	FADD4(12, 12, 14)
	FADD4(16, 16, 18)
	FADD4(20, 20, 22)
	FADD4(24, 24, 26)
	FADD4(28, 28, 30)
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
