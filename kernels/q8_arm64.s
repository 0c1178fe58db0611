//go:build gc && !purego && !noasm

#include "textflag.h"
#include "neon_arm64.h"

// The arm64 Q8_0 loops; q8_arm64.go has their contracts and the budgets.
// Go's assembler has none of these vector forms, so they are WORDs
// (Arm ARM encodings, checked against llvm-mc -mattr=+dotprod):
//
//	sdot v16.4s, v0.16b, v8.16b	0x4E889410	SDOT (vector)
//	scvtf v22.4s, v22.4s		0x4E21DAD6
//	fcvtl v23.4s, v23.4h		0x0E217AF7
//	fmul v23.4s, v23.4s, v24.4s	0x6E38DEF7
//	addp v20.4s, v16.4s, v17.4s	0x4EB1BE14
//	fmla v25.4s, v22.4s, v23.4s	0x4E37CED9
//	fmul v6.4s, v2.4s, v21.s[1]	0x4FB59046	FMUL (by element)
//	fsub v8.4s, v8.4s, v7.4s	0x4EA7D508
//
// SDOTE is SDOT by element, as int8_arm64.s encodes it (lane i is H:L,
// M:Rm the full 5-bit number of Vm); FMULE's lane is encoded alike.
#define SDOTV(d, n, m) WORD $(0x4E809400 | ((m)<<16) | ((n)<<5) | (d))
#define SCVTF4(d, n) WORD $(0x4E21D800 | ((n)<<5) | (d))
#define FCVTL4(d, n) WORD $(0x0E217800 | ((n)<<5) | (d))
#define FMUL4(d, n, m) WORD $(0x6E20DC00 | ((m)<<16) | ((n)<<5) | (d))
#define ADDP4(d, n, m) WORD $(0x4EA0BC00 | ((m)<<16) | ((n)<<5) | (d))
#define FMLA4(d, n, m) WORD $(0x4E20CC00 | ((m)<<16) | ((n)<<5) | (d))
#define FSUB4(d, n, m) WORD $(0x4EA0D400 | ((m)<<16) | ((n)<<5) | (d))
#define FMULE(d, n, m, i) WORD $(0x4F809000 | (((i)&1)<<21) | ((m)<<16) | (((i)>>1)<<11) | ((n)<<5) | (d))

// ---------------------------------------------------------------------
// Decode.

// SD_GROUP_TAIL is the end of a group of 4 blocks, their dot products
// (two SDOT each) in V16-V19: pairwise adds leave the 4 block sums in
// V22 in block order; converted (exactly), times S = ws·xs (V23, exact),
// one fused multiply-add into the row's 4 chains (V25).
#define SD_GROUP_TAIL \
	ADDP4(20, 16, 17); \
	ADDP4(21, 18, 19); \
	ADDP4(22, 20, 21); \
	SCVTF4(22, 22); \
	FCVTL4(23, 23); \
	VLD1.P	16(R10), [V24.S4]; \
	FMUL4(23, 23, 24); \
	FMLA4(25, 22, 23)

// SD_ZERO clears the block sums V16-V19: MOVI, which depends on nothing
// (an EOR of a register with itself would wait for its last use).
#define SD_ZERO \
	VMOVI	$0, V16.B16; \
	VMOVI	$0, V17.B16; \
	VMOVI	$0, V18.B16; \
	VMOVI	$0, V19.B16

// SD_BLOCK is one block of the tail: 32 codes of the row (R7) and of
// the activations (R9) into V(acc).
#define SD_BLOCK(acc) \
	VLD1.P	32(R7), [V0.B16, V1.B16]; \
	VLD1.P	32(R9), [V8.B16, V9.B16]; \
	SDOTV(acc, 0, 8); \
	SDOTV(acc, 1, 9)

// func q8MatVecSDOT(rows, nb int, w *int8, ws *F16, x *int8, xs *float32, y *float32)
//
// Register use: R0 rows left, R1 nb, R2 the weight row, R3 its scales, R4
// the codes (padded with zeros to 16 blocks), R5 their scales (likewise),
// R6 y, R19-R21 the other stream's; per row R7, R8, R9, R10 walk the
// weights, scales, codes and code scales, R11 counts groups of 4 blocks,
// R12 the tail.
TEXT ·q8MatVecSDOT(SB), NOSPLIT, $0-56
	MOVD	rows+0(FP), R0
	MOVD	nb+8(FP), R1
	MOVD	w+16(FP), R2
	MOVD	ws+24(FP), R3
	MOVD	x+32(FP), R4
	MOVD	xs+40(FP), R5
	MOVD	y+48(FP), R6
	CBZ	R0, sdDone
	// The rows are read as two streams, the first half of them and the
	// second, a row of each in turn, so that the hardware prefetchers
	// follow two sequences of pages: R19, R20, R21 hold the other
	// stream's next row (weights, scales, output), which starts
	// ceil(rows/2) rows in.
	ADD	$1, R0, R22
	LSR	$1, R22, R22
	MUL	R1, R22, R23
	ADD	R23<<5, R2, R19
	ADD	R23<<1, R3, R20
	ADD	R22<<2, R6, R21

sdRow:
	MOVD	R2, R7
	MOVD	R3, R8
	MOVD	R4, R9
	MOVD	R5, R10
	VEOR	V25.B16, V25.B16, V25.B16
	LSR	$2, R1, R11
	CBZ	R11, sdTail

sdGroup:
	PRFM	2048(R7), PLDL1KEEP
	PRFM	2112(R7), PLDL1KEEP
	VLD1.P	64(R7), [V0.B16, V1.B16, V2.B16, V3.B16]
	VLD1.P	64(R7), [V4.B16, V5.B16, V6.B16, V7.B16]
	VLD1.P	64(R9), [V8.B16, V9.B16, V10.B16, V11.B16]
	VLD1.P	64(R9), [V12.B16, V13.B16, V14.B16, V15.B16]
	VLD1.P	8(R8), [V23.H4]
	SD_ZERO
	SDOTV(16, 0, 8)
	SDOTV(17, 2, 10)
	SDOTV(18, 4, 12)
	SDOTV(19, 6, 14)
	SDOTV(16, 1, 9)
	SDOTV(17, 3, 11)
	SDOTV(18, 5, 13)
	SDOTV(19, 7, 15)
	SD_GROUP_TAIL
	SUBS	$1, R11, R11
	BNE	sdGroup

sdTail:
	// nb%4 blocks left: the same group, with zero sums and scales for
	// the blocks past the row (the code scales there are zero padding).
	AND	$3, R1, R12
	CBZ	R12, sdSum
	SD_ZERO
	VEOR	V23.B16, V23.B16, V23.B16
	SD_BLOCK(16)
	MOVHU	(R8), R13
	VMOV	R13, V23.H[0]
	CMP	$1, R12
	BEQ	sdTailDone
	SD_BLOCK(17)
	MOVHU	2(R8), R13
	VMOV	R13, V23.H[1]
	CMP	$2, R12
	BEQ	sdTailDone
	SD_BLOCK(18)
	MOVHU	4(R8), R13
	VMOV	R13, V23.H[2]

sdTailDone:
	SD_GROUP_TAIL

sdSum:
	// The 4 chains into one: (c0+c1) + (c2+c3).
	FADDP4(25, 25, 25)
	FADDP2S(25, 25)
	FMOVS	F25, (R6)
	// This stream a row on, and the other's turn.
	ADD	R1<<5, R2, R22
	MOVD	R19, R2
	MOVD	R22, R19
	ADD	R1<<1, R3, R22
	MOVD	R20, R3
	MOVD	R22, R20
	ADD	$4, R6, R22
	MOVD	R21, R6
	MOVD	R22, R21
	SUBS	$1, R0, R0
	BNE	sdRow

sdDone:
	RET

// ---------------------------------------------------------------------
// Prefill: the sliver packer and the 6×8 tile.

// func q8PackBSDOT(dst *byte, codes *[8]*int8, blocks int, mask *[8]uint32)
//
// Packs 8 weight rows of blocks blocks for the tile: block b of the
// sliver starts at dst + 288·b and holds 8 groups of 32 bytes, one per 4
// codes: the 4 codes of rows 0-3, then of rows 4-7 (the scales, 32 more
// bytes, are the Go side's). Per 16 codes of the 8 rows, two 4×4
// transposes of words (TRN1/TRN2 by words, then doublewords) put each
// group of 4 rows in one register. Rows whose mask word is zero are
// written as zeros.
TEXT ·q8PackBSDOT(SB), NOSPLIT, $0-32
	MOVD	dst+0(FP), R0
	MOVD	codes+8(FP), R1
	MOVD	blocks+16(FP), R2
	MOVD	mask+24(FP), R3
	VLD1	(R3), [V30.S4, V31.S4]
	LDP	0(R1), (R4, R5)
	LDP	16(R1), (R6, R7)
	LDP	32(R1), (R8, R9)
	LDP	48(R1), (R10, R11)
	LSL	$1, R2, R2       // chunks of 16 codes
	MOVD	ZR, R12          // chunk index

pbChunk:
	VLD1.P	16(R4), [V0.B16]
	VLD1.P	16(R5), [V1.B16]
	VLD1.P	16(R6), [V2.B16]
	VLD1.P	16(R7), [V3.B16]
	VLD1.P	16(R8), [V4.B16]
	VLD1.P	16(R9), [V5.B16]
	VLD1.P	16(R10), [V6.B16]
	VLD1.P	16(R11), [V7.B16]
	VTRN1	V1.S4, V0.S4, V16.S4   // r0.0 r1.0 r0.2 r1.2
	VTRN2	V1.S4, V0.S4, V17.S4   // r0.1 r1.1 r0.3 r1.3
	VTRN1	V3.S4, V2.S4, V18.S4
	VTRN2	V3.S4, V2.S4, V19.S4
	VTRN1	V5.S4, V4.S4, V20.S4
	VTRN2	V5.S4, V4.S4, V21.S4
	VTRN1	V7.S4, V6.S4, V22.S4
	VTRN2	V7.S4, V6.S4, V23.S4
	VTRN1	V18.D2, V16.D2, V0.D2  // group 0, rows 0-3
	VTRN1	V22.D2, V20.D2, V1.D2  // group 0, rows 4-7
	VTRN1	V19.D2, V17.D2, V2.D2  // group 1
	VTRN1	V23.D2, V21.D2, V3.D2
	VTRN2	V18.D2, V16.D2, V4.D2  // group 2
	VTRN2	V22.D2, V20.D2, V5.D2
	VTRN2	V19.D2, V17.D2, V6.D2  // group 3
	VTRN2	V23.D2, V21.D2, V7.D2
	VAND	V30.B16, V0.B16, V0.B16
	VAND	V31.B16, V1.B16, V1.B16
	VAND	V30.B16, V2.B16, V2.B16
	VAND	V31.B16, V3.B16, V3.B16
	VAND	V30.B16, V4.B16, V4.B16
	VAND	V31.B16, V5.B16, V5.B16
	VAND	V30.B16, V6.B16, V6.B16
	VAND	V31.B16, V7.B16, V7.B16
	// Groups 4(c%2).. of block c/2: 288·(c/2) + 128·(c%2).
	LSR	$1, R12, R13
	MOVD	$288, R14
	MUL	R14, R13, R13
	AND	$1, R12, R14
	ADD	R14<<7, R13, R13
	ADD	R0, R13, R13
	VST1.P	[V0.B16, V1.B16], 32(R13)
	VST1.P	[V2.B16, V3.B16], 32(R13)
	VST1.P	[V4.B16, V5.B16], 32(R13)
	VST1.P	[V6.B16, V7.B16], 32(R13)
	ADD	$1, R12, R12
	CMP	R2, R12
	BLT	pbChunk
	RET

// The 6×8 tile keeps token t's int32 block sums for rows 0-3 and 4-7 in
// V(8+2t), V(9+2t) and its float32 sums in V(20+2t), V(21+2t). Per group
// of 4 codes: A (the 6 tokens' 4 codes, 24 bytes) in V0 (tokens 0-3) and
// V1 (4-5), B (the 8 rows' 4 codes) in V2, V3; SDOT by element t%4 of
// A register t/4.
#define TD_ROW(t) \
	SDOTE(8+2*(t), 2, (t)/4, (t)%4); \
	SDOTE(9+2*(t), 3, (t)/4, (t)%4)

#define TD_GROUP \
	VLD1.P	16(R1), [V0.B16]; \
	VLD1.P	8(R1), [V1.B8]; \
	VLD1.P	32(R2), [V2.B16, V3.B16]; \
	TD_ROW(0); TD_ROW(1); TD_ROW(2); TD_ROW(3); TD_ROW(4); TD_ROW(5)

// The int32 block sums start each block at 0x4B400000 (V7), the bits of
// the float32 1.5·2²³: after the block's SDOTs the register holds the
// bits of 1.5·2²³ + D exactly, as |D| <= 2¹⁹ < 2²², so that one FSUB of
// 1.5·2²³ (the same register, as a float) converts D, exactly, where
// SCVTF takes two vector slots on Neoverse V1 and V2.
//
// TD_SCALE adds token t's block products to its float32 sums: S = the
// rows' ws (V2, V3) times the token's xs (element t%4 of V4 or V5),
// exact; D converted; one fused multiply-add each.
#define TD_SCALE(t) \
	FMULE(6, 2, 4+(t)/4, (t)%4); \
	FSUB4(8+2*(t), 8+2*(t), 7); \
	FMLA4(20+2*(t), 8+2*(t), 6); \
	FMULE(6, 3, 4+(t)/4, (t)%4); \
	FSUB4(9+2*(t), 9+2*(t), 7); \
	FMLA4(21+2*(t), 9+2*(t), 6)

// TD_START starts the int32 sums (a register move from V7: it does not
// wait for the sums' last use, as an EOR with itself would).
#define TD_START \
	VMOV	V7.B16, V8.B16; \
	VMOV	V7.B16, V9.B16; \
	VMOV	V7.B16, V10.B16; \
	VMOV	V7.B16, V11.B16; \
	VMOV	V7.B16, V12.B16; \
	VMOV	V7.B16, V13.B16; \
	VMOV	V7.B16, V14.B16; \
	VMOV	V7.B16, V15.B16; \
	VMOV	V7.B16, V16.B16; \
	VMOV	V7.B16, V17.B16; \
	VMOV	V7.B16, V18.B16; \
	VMOV	V7.B16, V19.B16

// TILE_PREFETCH prefetches into L2 the lines of the next pack a tile is
// given (see q8Prefetch), 4 of codes and one of scales, each when its
// address (codes, scales: the tile's arguments) is not zero. It uses R0;
// l1 and l2 are its labels.
#define TILE_PREFETCH(codes, scales, l1, l2) \
	MOVD	codes, R0; \
	CBZ	R0, l1; \
	PRFM	(R0), PLDL2KEEP; \
	PRFM	64(R0), PLDL2KEEP; \
	PRFM	128(R0), PLDL2KEEP; \
	PRFM	192(R0), PLDL2KEEP; \
l1: \
	MOVD	scales, R0; \
	CBZ	R0, l2; \
	PRFM	(R0), PLDL2KEEP; \
l2:

// func q8TileSDOT6x8(blocks int, a *byte, xs *float32, b *byte, y *float32, ldy, load int, pf q8Prefetch)
//
// The 6×8 tile over blocks blocks: A as q8PrepSDOT lays it out (per
// block, 8 groups of 24 bytes), xs the tokens' scales (per block, 6
// float32), b the sliver (see q8PackBSDOT), y the 6×8 outputs, rows ldy
// floats apart, loaded first when load is 1 and zeroed otherwise.
//
// Register use: R0 blocks, R1 A, R2 the sliver, R3 xs, R4 y, R5 ldy in
// bytes, R6 a copy of y; V6 the products S, V7 the constant 0x4B400000.
TEXT ·q8TileSDOT6x8(SB), NOSPLIT, $0-72
	TILE_PREFETCH(pf_codes+56(FP), pf_scales+64(FP), tdPf1, tdPf2)
	MOVD	blocks+0(FP), R0
	MOVD	a+8(FP), R1
	MOVD	xs+16(FP), R3
	MOVD	b+24(FP), R2
	MOVD	y+32(FP), R4
	MOVD	ldy+40(FP), R5
	MOVD	load+48(FP), R7
	LSL	$2, R5
	MOVD	R4, R6
	MOVW	$0x4B400000, R8
	VDUP	R8, V7.S4
	CBNZ	R7, tdLoad
	ZERO20TO31
	B	tdStart

tdLoad:
	VLD1.P	(R6)(R5), [V20.S4, V21.S4]
	VLD1.P	(R6)(R5), [V22.S4, V23.S4]
	VLD1.P	(R6)(R5), [V24.S4, V25.S4]
	VLD1.P	(R6)(R5), [V26.S4, V27.S4]
	VLD1.P	(R6)(R5), [V28.S4, V29.S4]
	VLD1.P	(R6)(R5), [V30.S4, V31.S4]

tdStart:
	CBZ	R0, tdStore

tdBlock:
	TD_START
	TD_GROUP
	TD_GROUP
	TD_GROUP
	TD_GROUP
	TD_GROUP
	TD_GROUP
	TD_GROUP
	TD_GROUP
	VLD1.P	32(R2), [V2.S4, V3.S4]
	VLD1.P	16(R3), [V4.S4]
	VLD1.P	8(R3), [V5.S2]
	TD_SCALE(0)
	TD_SCALE(1)
	TD_SCALE(2)
	TD_SCALE(3)
	TD_SCALE(4)
	TD_SCALE(5)
	SUBS	$1, R0, R0
	BNE	tdBlock

tdStore:
	VST1.P	[V20.S4, V21.S4], (R4)(R5)
	VST1.P	[V22.S4, V23.S4], (R4)(R5)
	VST1.P	[V24.S4, V25.S4], (R4)(R5)
	VST1.P	[V26.S4, V27.S4], (R4)(R5)
	VST1.P	[V28.S4, V29.S4], (R4)(R5)
	VST1.P	[V30.S4, V31.S4], (R4)(R5)
	RET

// ---------------------------------------------------------------------
// Prefill of the i8mm tier: the sliver packer and the 6×8 SMMLA tile
// (q8_arm64.go has the layouts and the budget).
//
// SMMLA is neon_arm64.h's (int8_arm64.s's comment gives its Arm ARM
// form); ZIP1, ZIP2, UZP1 and UZP2 on words take registers by
// number here. Checked against llvm-mc (-mattr=+i8mm):
//
//	smmla v8.4s, v4.16b, v0.16b	0x4E80A488
//	zip1 v20.4s, v0.4s, v2.4s	0x4E823814
//	zip2 v21.4s, v0.4s, v2.4s	0x4E827815
//	uzp1 v0.4s, v20.4s, v21.4s	0x4E951A80
//	uzp2 v2.4s, v20.4s, v21.4s	0x4E955A82
#define ZIP1S(d, n, m) WORD $(0x4E803800 | ((m)<<16) | ((n)<<5) | (d))
#define ZIP2S(d, n, m) WORD $(0x4E807800 | ((m)<<16) | ((n)<<5) | (d))
#define UZP1S(d, n, m) WORD $(0x4E801800 | ((m)<<16) | ((n)<<5) | (d))
#define UZP2S(d, n, m) WORD $(0x4E805800 | ((m)<<16) | ((n)<<5) | (d))

// func q8PackBSMMLA(dst *byte, codes *[8]*int8, blocks int)
//
// Packs the codes of 8 weight rows of blocks blocks for the tile: block b
// of the sliver starts at dst + 320·b and holds 4 groups of 8 codes, each
// 4 row pairs of 16 bytes, rows 2c and 2c+1 side by side (ZIP1 and ZIP2
// on doublewords of the two rows' 16 codes); the scales, 64 more bytes,
// are the Go side's.
TEXT ·q8PackBSMMLA(SB), NOSPLIT, $0-24
	MOVD	dst+0(FP), R0
	MOVD	codes+8(FP), R1
	MOVD	blocks+16(FP), R2
	LDP	0(R1), (R4, R5)
	LDP	16(R1), (R6, R7)
	LDP	32(R1), (R8, R9)
	LDP	48(R1), (R10, R11)
	CBZ	R2, pmDone

pmBlock:
	VLD1.P	32(R4), [V0.B16, V1.B16]
	VLD1.P	32(R5), [V2.B16, V3.B16]
	VLD1.P	32(R6), [V4.B16, V5.B16]
	VLD1.P	32(R7), [V6.B16, V7.B16]
	VLD1.P	32(R8), [V8.B16, V9.B16]
	VLD1.P	32(R9), [V10.B16, V11.B16]
	VLD1.P	32(R10), [V12.B16, V13.B16]
	VLD1.P	32(R11), [V14.B16, V15.B16]
	ZIP1D(16, 0, 2)   // group 0, rows 0-1
	ZIP1D(17, 4, 6)
	ZIP1D(18, 8, 10)
	ZIP1D(19, 12, 14)
	ZIP2D(20, 0, 2)   // group 1
	ZIP2D(21, 4, 6)
	ZIP2D(22, 8, 10)
	ZIP2D(23, 12, 14)
	ZIP1D(24, 1, 3)   // group 2
	ZIP1D(25, 5, 7)
	ZIP1D(26, 9, 11)
	ZIP1D(27, 13, 15)
	ZIP2D(28, 1, 3)   // group 3
	ZIP2D(29, 5, 7)
	ZIP2D(30, 9, 11)
	ZIP2D(31, 13, 15)
	VST1.P	[V16.B16, V17.B16, V18.B16, V19.B16], 64(R0)
	VST1.P	[V20.B16, V21.B16, V22.B16, V23.B16], 64(R0)
	VST1.P	[V24.B16, V25.B16, V26.B16, V27.B16], 64(R0)
	VST1.P	[V28.B16, V29.B16, V30.B16, V31.B16], 64(R0)
	ADD	$64, R0
	SUBS	$1, R2, R2
	BNE	pmBlock

pmDone:
	RET

// The 6×8 tile keeps token pair q's int32 block sums with row pair c in
// V(8+4q+c) and its float32 sums in V(20+4q+c), lanes [w0·t0, w0·t1,
// w1·t0, w1·t1]. Per group of 8 codes: the row pairs in V4-V7, the token
// pairs in V0-V2.
#define TM_PAIR(q) \
	SMMLA(8+4*(q), 4, q); \
	SMMLA(9+4*(q), 5, q); \
	SMMLA(10+4*(q), 6, q); \
	SMMLA(11+4*(q), 7, q)

#define TM_GROUP \
	VLD1.P	64(R2), [V4.B16, V5.B16, V6.B16, V7.B16]; \
	VLD1.P	48(R1), [V0.B16, V1.B16, V2.B16]; \
	TM_PAIR(0); TM_PAIR(1); TM_PAIR(2)

// TM_SCALE adds token pair q's block products to its float32 sums, as
// TD_SCALE does: S = the row pair's scales (V4-V7) times the token pair's
// (V0), exact, into V1 or V2; D converted in place (its register starts
// again at the next block); one fused multiply-add each.
#define TM_SCALE1(q, c, s) \
	FMUL4(s, 4+(c), 0); \
	FSUB4(8+4*(q)+(c), 8+4*(q)+(c), 3); \
	FMLA4(20+4*(q)+(c), 8+4*(q)+(c), s)

#define TM_SCALE(q) \
	VLD1.P	16(R1), [V0.S4]; \
	TM_SCALE1(q, 0, 1); \
	TM_SCALE1(q, 1, 2); \
	TM_SCALE1(q, 2, 1); \
	TM_SCALE1(q, 3, 2)

// TM_START starts the int32 sums at 1.5·2²³ (V3), as TD_START does.
#define TM_START \
	VMOV	V3.B16, V8.B16; \
	VMOV	V3.B16, V9.B16; \
	VMOV	V3.B16, V10.B16; \
	VMOV	V3.B16, V11.B16; \
	VMOV	V3.B16, V12.B16; \
	VMOV	V3.B16, V13.B16; \
	VMOV	V3.B16, V14.B16; \
	VMOV	V3.B16, V15.B16; \
	VMOV	V3.B16, V16.B16; \
	VMOV	V3.B16, V17.B16; \
	VMOV	V3.B16, V18.B16; \
	VMOV	V3.B16, V19.B16

// TM_LOADPAIR reads tokens 2q and 2q+1 of y (R6, rows R5 bytes apart)
// into token pair q's float32 sums: zipping the two rows' words gives
// [t0, t1] of each weight row in turn, which is the lanes' order.
// TM_STOREPAIR is the inverse, unzipping through V0-V3 to y (R4).
#define TM_LOADPAIR(q) \
	VLD1.P	(R6)(R5), [V0.S4, V1.S4]; \
	VLD1.P	(R6)(R5), [V2.S4, V3.S4]; \
	ZIP1S(20+4*(q), 0, 2); \
	ZIP2S(21+4*(q), 0, 2); \
	ZIP1S(22+4*(q), 1, 3); \
	ZIP2S(23+4*(q), 1, 3)

#define TM_STOREPAIR(q) \
	UZP1S(0, 20+4*(q), 21+4*(q)); \
	UZP1S(1, 22+4*(q), 23+4*(q)); \
	UZP2S(2, 20+4*(q), 21+4*(q)); \
	UZP2S(3, 22+4*(q), 23+4*(q)); \
	VST1.P	[V0.S4, V1.S4], (R4)(R5); \
	VST1.P	[V2.S4, V3.S4], (R4)(R5)

// func q8TileSMMLA6x8(blocks int, a *byte, b *byte, y *float32, ldy, load int, pf q8Prefetch)
//
// The 6×8 tile over blocks blocks: a as q8PrepSMMLA lays it out (per
// block, 4 groups of 3 token pairs' codes, then the 3 pairs' scales), b
// the sliver (see q8PackBSMMLA), y the 6×8 outputs, rows ldy floats
// apart, loaded first when load is 1 and zeroed otherwise.
//
// Register use: R0 blocks, R1 a, R2 the sliver, R4 y, R5 ldy in bytes, R6
// a copy of y; V3 the constant 0x4B400000 (1.5·2²³).
TEXT ·q8TileSMMLA6x8(SB), NOSPLIT, $0-64
	TILE_PREFETCH(pf_codes+48(FP), pf_scales+56(FP), tmPf1, tmPf2)
	MOVD	blocks+0(FP), R0
	MOVD	a+8(FP), R1
	MOVD	b+16(FP), R2
	MOVD	y+24(FP), R4
	MOVD	ldy+32(FP), R5
	MOVD	load+40(FP), R7
	LSL	$2, R5
	MOVD	R4, R6
	CBNZ	R7, tmLoad
	ZERO20TO31
	B	tmStart

tmLoad:
	TM_LOADPAIR(0)
	TM_LOADPAIR(1)
	TM_LOADPAIR(2)

tmStart:
	MOVW	$0x4B400000, R8
	VDUP	R8, V3.S4
	CBZ	R0, tmStore

tmBlock:
	TM_START
	TM_GROUP
	TM_GROUP
	TM_GROUP
	TM_GROUP
	VLD1.P	64(R2), [V4.S4, V5.S4, V6.S4, V7.S4]
	TM_SCALE(0)
	TM_SCALE(1)
	TM_SCALE(2)
	SUBS	$1, R0, R0
	BNE	tmBlock

tmStore:
	TM_STOREPAIR(0)
	TM_STOREPAIR(1)
	TM_STOREPAIR(2)
	RET
