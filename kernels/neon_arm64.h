// Macros the arm64 assembly files share (int8_arm64.s, q8_arm64.s,
// bf16_arm64.s, fmapeak_arm64.s). Go's assembler lacks these instructions' forms, so
// several are WORD encodings; each notes where it was checked.

// SDOT Vd.4S, Vn.16B, Vm.4B[i]: by element (lane i of Vm, m < 16); the
// int8 and Q8_0 tiers' encoding, checked with GNU as in int8_arm64.s
// ("sdot v31.4s, v4.16b, v2.4b[3]" is 0x4FA2E89F).
#define SDOTE(d, n, m, i) WORD $(0x4F80E000 | (((i)&1)<<21) | ((m)<<16) | (((i)>>1)<<11) | ((n)<<5) | (d))

// SMMLA Vd.4S, Vn.16B, Vm.16B: a 2×8 by 8×2 int8 matrix product added to
// a 2×2 int32 block; the int8 and Q8_0 i8mm tiers' encoding, checked with
// llvm-mc in int8_arm64.s ("smmla v31.4s, v1.16b, v7.16b" is 0x4E87A43F).
#define SMMLA(d, n, m) WORD $(0x4E80A400 | ((m)<<16) | ((n)<<5) | (d))

// FADD Vd.4S, Vn.4S, Vm.4S (not in Go's assembler), as in softmax_arm64.s.
#define FADD4(d, n, m) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))
// FADDP Vd.4S, Vn.4S, Vm.4S and FADDP Sd, Vn.2S: pairwise adds.
#define FADDP4(d, n, m) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FADDP2S(d, n) WORD $(0x7E30D800 | ((n)<<5) | (d))

// FSTEPS9TO31 makes V9-V31 each V(s) more than the one before: with V8
// set, chain k holds its own value.
#define FSTEPS9TO31(s) \
	FADD4(9, 8, s); FADD4(10, 9, s); FADD4(11, 10, s); FADD4(12, 11, s); \
	FADD4(13, 12, s); FADD4(14, 13, s); FADD4(15, 14, s); FADD4(16, 15, s); \
	FADD4(17, 16, s); FADD4(18, 17, s); FADD4(19, 18, s); FADD4(20, 19, s); \
	FADD4(21, 20, s); FADD4(22, 21, s); FADD4(23, 22, s); FADD4(24, 23, s); \
	FADD4(25, 24, s); FADD4(26, 25, s); FADD4(27, 26, s); FADD4(28, 27, s); \
	FADD4(29, 28, s); FADD4(30, 29, s); FADD4(31, 30, s)

// FSUM8TO31L1 and FSUM8TO31L2 are the first two levels of a fixed float32
// tree over V8-V31: the adjacent pairs into the even registers, then
// those pairs into V8, V12, ..., V28.
#define FSUM8TO31L1 \
	FADD4(8, 8, 9); FADD4(10, 10, 11); FADD4(12, 12, 13); FADD4(14, 14, 15); \
	FADD4(16, 16, 17); FADD4(18, 18, 19); FADD4(20, 20, 21); FADD4(22, 22, 23); \
	FADD4(24, 24, 25); FADD4(26, 26, 27); FADD4(28, 28, 29); FADD4(30, 30, 31)

#define FSUM8TO31L2 \
	FADD4(8, 8, 10); FADD4(12, 12, 14); FADD4(16, 16, 18); \
	FADD4(20, 20, 22); FADD4(24, 24, 26); FADD4(28, 28, 30)

// ZEROACC clears the 24 accumulators V8-V31; ZERO20TO31 the last 12,
// the accumulators of the Q8_0 tiles.
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
	ZERO20TO31

#define ZERO20TO31 \
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

// TILE is a whole 12×8 tile function's body: the arguments, the
// accumulators cleared or loaded from C (load), four k steps (step) per
// iteration, then the kq%4 left over one at a time, and C written back
// (store).
#define TILE(load, step, store) \
	TILEARGS; \
	CBNZ	R5, tload; \
	ZEROACC; \
	B	tstart; \
tload: \
	load; \
tstart: \
	LSR	$2, R0, R7; \
	AND	$3, R0, R8; \
	CBZ	R7, ttail; \
tloop4: \
	step; \
	step; \
	step; \
	step; \
	SUBS	$1, R7, R7; \
	BNE	tloop4; \
ttail: \
	CBZ	R8, tstore; \
tloop1: \
	step; \
	SUBS	$1, R8, R8; \
	BNE	tloop1; \
tstore: \
	store; \
	RET

// DOTLOOP runs step R1 times (none for R1 <= 0); the dot loops' sum
// follows it.
#define DOTLOOP(step) \
	CMP	$0, R1; \
	BLE	dsum; \
dloop: \
	step; \
	SUBS	$1, R1, R1; \
	BNE	dloop; \
dsum:

// ---------------------------------------------------------------------
// The 2×2-block (SMMLA, BFMMLA) tiles.
//
// Register use:
//	V0-V3	A: row pairs 0-3 of one k group, then V0, V1 pairs 4-5
//	V4-V7	B: column pairs 0-3 of one k group
//	V8-V31	accumulators: row pair p, column pair c in V(8+4p+c)

// MPAIR accumulates row pair p, held in V(ra), with all four column pairs,
// by the instruction op (SMMLA or BFMMLA).
#define MPAIR(op, p, ra) \
	op(8+4*(p), ra, 4); \
	op(9+4*(p), ra, 5); \
	op(10+4*(p), ra, 6); \
	op(11+4*(p), ra, 7)

// MPAIRS is all six row pairs, with A and B already in V0-V7.
#define MPAIRS(op) \
	MPAIR(op, 0, 0); MPAIR(op, 1, 1); MPAIR(op, 2, 2); \
	MPAIR(op, 3, 3); MPAIR(op, 4, 0); MPAIR(op, 5, 1)

// MKSTEP is one k group: load A and B, accumulate.
#define MKSTEP(op) \
	VLD1.P	64(R1), [V0.B16, V1.B16, V2.B16, V3.B16]; \
	VLD1.P	64(R2), [V4.B16, V5.B16, V6.B16, V7.B16]; \
	MPAIR(op, 0, 0); MPAIR(op, 1, 1); MPAIR(op, 2, 2); MPAIR(op, 3, 3); \
	VLD1.P	32(R1), [V0.B16, V1.B16]; \
	MPAIR(op, 4, 0); MPAIR(op, 5, 1)

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

// MLOADPAIRS and MSTOREPAIRS move the whole tile, R6 and R3 walking C.
#define MLOADPAIRS \
	MOVD	R3, R6; \
	MLOADPAIR(8, 9, 10, 11); MLOADPAIR(12, 13, 14, 15); MLOADPAIR(16, 17, 18, 19); \
	MLOADPAIR(20, 21, 22, 23); MLOADPAIR(24, 25, 26, 27); MLOADPAIR(28, 29, 30, 31)

#define MSTOREPAIRS \
	MSTOREPAIR(8, 9, 10, 11); MSTOREPAIR(12, 13, 14, 15); MSTOREPAIR(16, 17, 18, 19); \
	MSTOREPAIR(20, 21, 22, 23); MSTOREPAIR(24, 25, 26, 27); MSTOREPAIR(28, 29, 30, 31)
