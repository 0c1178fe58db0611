//go:build gc && !purego && !noasm

#include "textflag.h"
#include "tile_amd64.h"
#include "transpose_amd64.h"

// Register tiles and peak loops for GemmInt8 and DotPeakInt8 (see
// int8Kernel for the packed layouts the tiles read).
//
// The 12x32 tile (avx512vnni) keeps C in Z0..Z23 (row i in Z(2i),
// Z(2i+1)); per group of 4 k it loads 32 columns of B (2 vectors of 16
// columns × 4 bytes), broadcasts the 4 bytes of A of each row and issues
// 24 VPDPBUSD. In Go's operand order VPDPBUSD s, u, acc adds to each int32
// lane of acc the 4 products of the unsigned bytes of u by the signed
// bytes of s: u is the broadcast A+128, s is B. The assembler encodes
// VPDPBUSD Z1, Z2, Z3 as 62 f2 6d 48 50 d9, as llvm-mc does for
// vpdpbusd zmm3, zmm2, zmm1.
//
// The 6x16 tile (avx2) keeps C in Y0..Y11; per pair of k it loads 16
// columns of B (2 vectors of 8 columns × 2 int16), broadcasts the pair of
// each row and issues 12 VPMADDWD, each into Y15 and added to its
// accumulator with VPADDD. One temporary is enough: register renaming
// gives every VPMADDWD its own.

// INT8_TILE_ARGS loads the arguments: groups in CX, A at AX, B at DI, C
// at DX with its row stride in bytes in R8 and a copy in R9 for the
// prefetches, add in BX.
#define INT8_TILE_ARGS \
	MOVQ groups+0(FP), CX; \
	MOVQ a+8(FP), AX; \
	MOVQ b+16(FP), DI; \
	MOVQ c+24(FP), DX; \
	MOVQ ldc+32(FP), R8; \
	SHLQ $2, R8; \
	MOVQ DX, R9; \
	MOVQ add+40(FP), BX

// DP_ROW adds the 4-byte dot products of the A dword at a (broadcast
// through bc) with the B vectors b0, b1 to a row.
#define DP_ROW(a, bc, b0, b1, r0, r1) \
	VPBROADCASTD a, bc; \
	VPDPBUSD b0, bc, r0; \
	VPDPBUSD b1, bc, r1

// MADD_ROW adds the products of the A pair at a (broadcast through bc)
// with the B vectors b0, b1 to a row, through the temporary t.
#define MADD_ROW(a, bc, t, b0, b1, r0, r1) \
	VPBROADCASTD a, bc; \
	VPMADDWD b0, bc, t; \
	VPADDD t, r0, r0; \
	VPMADDWD b1, bc, t; \
	VPADDD t, r1, r1

// ADD_STORE_ROW adds the row of C at DX to a row and stores it there
// (STORE_ROW, tile_amd64.h).
#define ADD_STORE_ROW(mov, w, r0, r1) \
	VPADDD 0(DX), r0, r0; \
	VPADDD w(DX), r1, r1; \
	STORE_ROW(mov, w, r0, r1)

// func int8Tile12x32VNNI(groups int, a, b *byte, c *int32, ldc, add int)
TEXT ·int8Tile12x32VNNI(SB), NOSPLIT, $0-48
	INT8_TILE_ARGS
	// The header of the B sliver, -128·Σ B per column, starts every row:
	// it cancels the +128 of A.
	VMOVDQU32 0(DI), Z0
	VMOVDQU32 64(DI), Z1
	ADDQ $128, DI
	VMOVDQA64 Z0, Z2
	VMOVDQA64 Z1, Z3
	VMOVDQA64 Z0, Z4
	VMOVDQA64 Z1, Z5
	VMOVDQA64 Z0, Z6
	VMOVDQA64 Z1, Z7
	VMOVDQA64 Z0, Z8
	VMOVDQA64 Z1, Z9
	VMOVDQA64 Z0, Z10
	VMOVDQA64 Z1, Z11
	VMOVDQA64 Z0, Z12
	VMOVDQA64 Z1, Z13
	VMOVDQA64 Z0, Z14
	VMOVDQA64 Z1, Z15
	VMOVDQA64 Z0, Z16
	VMOVDQA64 Z1, Z17
	VMOVDQA64 Z0, Z18
	VMOVDQA64 Z1, Z19
	VMOVDQA64 Z0, Z20
	VMOVDQA64 Z1, Z21
	VMOVDQA64 Z0, Z22
	VMOVDQA64 Z1, Z23
	PREFETCH_C_12ROWS(127)
	TESTQ CX, CX
	JEQ  vnniStore

vnniLoop:
	VMOVDQU32 0(DI), Z24
	VMOVDQU32 64(DI), Z25
	// B streams from L2: ask for it four groups ahead.
	PREFETCHT0 512(DI)
	PREFETCHT0 576(DI)
	DP_ROW(0(AX), Z26, Z24, Z25, Z0, Z1)
	DP_ROW(4(AX), Z27, Z24, Z25, Z2, Z3)
	DP_ROW(8(AX), Z26, Z24, Z25, Z4, Z5)
	DP_ROW(12(AX), Z27, Z24, Z25, Z6, Z7)
	DP_ROW(16(AX), Z26, Z24, Z25, Z8, Z9)
	DP_ROW(20(AX), Z27, Z24, Z25, Z10, Z11)
	DP_ROW(24(AX), Z26, Z24, Z25, Z12, Z13)
	DP_ROW(28(AX), Z27, Z24, Z25, Z14, Z15)
	DP_ROW(32(AX), Z26, Z24, Z25, Z16, Z17)
	DP_ROW(36(AX), Z27, Z24, Z25, Z18, Z19)
	DP_ROW(40(AX), Z26, Z24, Z25, Z20, Z21)
	DP_ROW(44(AX), Z27, Z24, Z25, Z22, Z23)
	ADDQ $48, AX
	ADDQ $128, DI
	DECQ CX
	JNE  vnniLoop

vnniStore:
	TESTQ BX, BX
	JEQ  vnniOverwrite
	ROWS_Z0_Z23(ADD_STORE_ROW, VMOVDQU32, 64)
	VZEROUPPER
	RET

vnniOverwrite:
	STORE_Z0_Z23(VMOVDQU32)
	VZEROUPPER
	RET

// func int8Tile6x16AVX2(groups int, a, b *byte, c *int32, ldc, add int)
TEXT ·int8Tile6x16AVX2(SB), NOSPLIT, $0-48
	INT8_TILE_ARGS
	ROWS_Y0_Y11(XOR_ROW, VPXOR, 0)
	PREFETCH_C_6ROWS(63)
	TESTQ CX, CX
	JEQ  avx2Store

avx2Loop:
	VMOVDQU 0(DI), Y12
	VMOVDQU 32(DI), Y13
	MADD_ROW(0(AX), Y14, Y15, Y12, Y13, Y0, Y1)
	MADD_ROW(4(AX), Y14, Y15, Y12, Y13, Y2, Y3)
	MADD_ROW(8(AX), Y14, Y15, Y12, Y13, Y4, Y5)
	MADD_ROW(12(AX), Y14, Y15, Y12, Y13, Y6, Y7)
	MADD_ROW(16(AX), Y14, Y15, Y12, Y13, Y8, Y9)
	MADD_ROW(20(AX), Y14, Y15, Y12, Y13, Y10, Y11)
	ADDQ $24, AX
	ADDQ $64, DI
	DECQ CX
	JNE  avx2Loop

avx2Store:
	TESTQ BX, BX
	JEQ  avx2Overwrite
	ROWS_Y0_Y11(ADD_STORE_ROW, VMOVDQU, 32)
	VZEROUPPER
	RET

avx2Overwrite:
	STORE_Y0_Y11(VMOVDQU)
	VZEROUPPER
	RET

// SUM12 adds the int32 chains r1..r11 to r0, pairwise in a tree.
#define SUM12(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11) \
	VPADDD r1, r0, r0; \
	VPADDD r3, r2, r2; \
	VPADDD r5, r4, r4; \
	VPADDD r7, r6, r6; \
	VPADDD r9, r8, r8; \
	VPADDD r11, r10, r10; \
	VPADDD r2, r0, r0; \
	VPADDD r6, r4, r4; \
	VPADDD r10, r8, r8; \
	VPADDD r4, r0, r0; \
	VPADDD r8, r0, r0

// DP6 steps six VPDPBUSD chains by the bytes of u and s.
#define DP6(s, u, r0, r1, r2, r3, r4, r5) \
	VPDPBUSD s, u, r0; \
	VPDPBUSD s, u, r1; \
	VPDPBUSD s, u, r2; \
	VPDPBUSD s, u, r3; \
	VPDPBUSD s, u, r4; \
	VPDPBUSD s, u, r5

// func dotLoopInt8VNNI(iters int) int64
// runs iters steps of 12 independent VPDPBUSD chains on 512-bit vectors
// (64 multiply-adds each, 1536 operations a step) and returns the first
// lane of their sum (wrapped to int32, as the lanes are). 12 chains, as
// the reference loop in shared/anchors/lowp.c keeps, keep VPDPBUSD busy
// wherever its latency times its issue rate (on Zen 4, one a cycle) is
// at most 12.
TEXT ·dotLoopInt8VNNI(SB), NOSPLIT, $0-16
	MOVQ iters+0(FP), CX
	MOVL $0x03030303, AX
	VPBROADCASTD AX, Z30
	MOVL $0xfefefefe, AX
	VPBROADCASTD AX, Z31
	MOVL $1, AX
	VPBROADCASTD AX, Z0
	VMOVDQA64 Z0, Z1
	VMOVDQA64 Z0, Z2
	VMOVDQA64 Z0, Z3
	VMOVDQA64 Z0, Z4
	VMOVDQA64 Z0, Z5
	VMOVDQA64 Z0, Z6
	VMOVDQA64 Z0, Z7
	VMOVDQA64 Z0, Z8
	VMOVDQA64 Z0, Z9
	VMOVDQA64 Z0, Z10
	VMOVDQA64 Z0, Z11
	TESTQ CX, CX
	JEQ  vnniDotDone

vnniDotLoop:
	DP6(Z31, Z30, Z0, Z1, Z2, Z3, Z4, Z5)
	DP6(Z31, Z30, Z6, Z7, Z8, Z9, Z10, Z11)
	DECQ CX
	JNE  vnniDotLoop

vnniDotDone:
	SUM12(Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11)
	VMOVD X0, AX
	MOVLQSX AX, AX
	MOVQ AX, ret+8(FP)
	VZEROUPPER
	RET

// MADD6 steps six VPMADDWD+VPADDD chains by the int16 pairs of x and y,
// through the temporaries t0, t1.
#define MADD6(x, y, t0, t1, r0, r1, r2, r3, r4, r5) \
	VPMADDWD x, y, t0; \
	VPADDD t0, r0, r0; \
	VPMADDWD x, y, t1; \
	VPADDD t1, r1, r1; \
	VPMADDWD x, y, t0; \
	VPADDD t0, r2, r2; \
	VPMADDWD x, y, t1; \
	VPADDD t1, r3, r3; \
	VPMADDWD x, y, t0; \
	VPADDD t0, r4, r4; \
	VPMADDWD x, y, t1; \
	VPADDD t1, r5, r5

// func dotLoopInt8AVX2(iters int) int64
// runs iters steps of 12 independent chains acc += VPMADDWD(x, y) on
// 256-bit vectors, the avx2 tile's instruction pair (16 multiply-adds
// each, 384 operations a step), and returns the first lane of their sum.
TEXT ·dotLoopInt8AVX2(SB), NOSPLIT, $0-16
	MOVQ iters+0(FP), CX
	MOVL $0x00030003, AX
	VMOVD AX, X12
	VPBROADCASTD X12, Y12
	MOVL $0xfffefffe, AX
	VMOVD AX, X13
	VPBROADCASTD X13, Y13
	MOVL $1, AX
	VMOVD AX, X0
	VPBROADCASTD X0, Y0
	VMOVDQA Y0, Y1
	VMOVDQA Y0, Y2
	VMOVDQA Y0, Y3
	VMOVDQA Y0, Y4
	VMOVDQA Y0, Y5
	VMOVDQA Y0, Y6
	VMOVDQA Y0, Y7
	VMOVDQA Y0, Y8
	VMOVDQA Y0, Y9
	VMOVDQA Y0, Y10
	VMOVDQA Y0, Y11
	TESTQ CX, CX
	JEQ  avx2DotDone

avx2DotLoop:
	MADD6(Y13, Y12, Y14, Y15, Y0, Y1, Y2, Y3, Y4, Y5)
	MADD6(Y13, Y12, Y14, Y15, Y6, Y7, Y8, Y9, Y10, Y11)
	DECQ CX
	JNE  avx2DotLoop

avx2DotDone:
	SUM12(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)
	VMOVD X0, AX
	MOVLQSX AX, AX
	MOVQ AX, ret+8(FP)
	VZEROUPPER
	RET

// XOR80_LOAD loads a row of A xor the bytes 0x80 in Z12 (see
// TRANSPOSE12_ROWS, transpose_amd64.h).
#define XOR80_LOAD(src, dst) \
	VPXORD src, Z12, dst

// func packA12x64VNNI(dst, a *byte, lda, blocks int)
//
// Packs 12 rows of A, lda bytes apart, into the vnni A sliver at dst, 16
// groups of 4 k (64 bytes of each row) a block, each byte xor 0x80. A
// group of 4 bytes is one dword, so this is the 12×16 dword transpose of
// pack12x16AVX512, with the xor folded into the loads (VPXORD from
// memory).
TEXT ·packA12x64VNNI(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), AX
	MOVQ lda+16(FP), R8
	TRANSPOSE12_PTRS
	MOVQ blocks+24(FP), DX
	TRANSPOSE12_MASK
	MOVL $0x80808080, R11
	TESTQ DX, DX
	JEQ  packADone

packALoop:
	// Z12 holds the xor until the first interleave overwrites it.
	VPBROADCASTD R11, Z12
	TRANSPOSE12_ROWS(XOR80_LOAD)
	// Then the transpose of pack12x16AVX512, by dwords and qwords.
	TRANSPOSE12_INTERLEAVE(VPUNPCKLDQ, VPUNPCKHDQ, VPUNPCKLQDQ, VPUNPCKHQDQ)
	TRANSPOSE12_STORE(VSHUFI32X4, VMOVDQU32)
	DECQ DX
	JNE  packALoop

packADone:
	VZEROUPPER
	RET

// func packB64VNNI(dst, b *byte, ldb, groups, sliver int)
//
// Packs groups groups of 4 rows of 64 columns of B, ldb bytes apart, into
// two vnni B slivers, the first at dst and the second sliver bytes after
// it, and writes their headers: -128 times each column's sum. The 4 rows
// of a group are interleaved by bytes, then by words, which leaves each
// 128-bit lane L of u0..u3 holding 4 columns (16L+4q .. 16L+4q+3 in uq)
// of 4 bytes; a 4×4 transpose of lanes puts 16 consecutive columns in
// each vector. The column sums come from VPDPBUSD of those vectors with
// bytes of ones: the sum of each column's 4 signed bytes, accumulated in
// its int32 lane.
TEXT ·packB64VNNI(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), AX
	MOVQ ldb+16(FP), R8
	LEAQ (R8)(R8*2), R9      // 3 rows
	MOVQ groups+24(FP), CX
	MOVQ sliver+32(FP), SI
	ADDQ DI, SI              // the second sliver
	LEAQ 128(DI), R10        // group pointers, past the headers
	LEAQ 128(SI), R11
	MOVL $0x01010101, DX
	VPBROADCASTD DX, Z27
	VPXORD Z28, Z28, Z28
	VPXORD Z29, Z29, Z29
	VPXORD Z30, Z30, Z30
	VPXORD Z31, Z31, Z31
	TESTQ CX, CX
	JEQ  packBDone

packBLoop:
	VMOVDQU8 (AX), Z0
	VMOVDQU8 (AX)(R8*1), Z1
	VMOVDQU8 (AX)(R8*2), Z2
	VMOVDQU8 (AX)(R9*1), Z3
	LEAQ (AX)(R8*4), AX
	VPUNPCKLBW Z1, Z0, Z4
	VPUNPCKHBW Z1, Z0, Z5
	VPUNPCKLBW Z3, Z2, Z6
	VPUNPCKHBW Z3, Z2, Z7
	VPUNPCKLWD Z6, Z4, Z8    // columns 16L+0..3
	VPUNPCKHWD Z6, Z4, Z9    // 16L+4..7
	VPUNPCKLWD Z7, Z5, Z10   // 16L+8..11
	VPUNPCKHWD Z7, Z5, Z11   // 16L+12..15
	VSHUFI32X4 $0x44, Z9, Z8, Z12
	VSHUFI32X4 $0xee, Z9, Z8, Z13
	VSHUFI32X4 $0x44, Z11, Z10, Z14
	VSHUFI32X4 $0xee, Z11, Z10, Z15
	VSHUFI32X4 $0x88, Z14, Z12, Z16 // columns 0..15
	VSHUFI32X4 $0xdd, Z14, Z12, Z17 // 16..31
	VSHUFI32X4 $0x88, Z15, Z13, Z18 // 32..47
	VSHUFI32X4 $0xdd, Z15, Z13, Z19 // 48..63
	VMOVDQU32 Z16, (R10)
	VMOVDQU32 Z17, 64(R10)
	VMOVDQU32 Z18, (R11)
	VMOVDQU32 Z19, 64(R11)
	VPDPBUSD Z16, Z27, Z28
	VPDPBUSD Z17, Z27, Z29
	VPDPBUSD Z18, Z27, Z30
	VPDPBUSD Z19, Z27, Z31
	ADDQ $128, R10
	ADDQ $128, R11
	DECQ CX
	JNE  packBLoop

packBDone:
	// The headers: 0 - 128·sum.
	VPXORD Z26, Z26, Z26
	VPSLLD $7, Z28, Z28
	VPSLLD $7, Z29, Z29
	VPSLLD $7, Z30, Z30
	VPSLLD $7, Z31, Z31
	VPSUBD Z28, Z26, Z28
	VPSUBD Z29, Z26, Z29
	VPSUBD Z30, Z26, Z30
	VPSUBD Z31, Z26, Z31
	VMOVDQU32 Z28, (DI)
	VMOVDQU32 Z29, 64(DI)
	VMOVDQU32 Z30, (SI)
	VMOVDQU32 Z31, 64(SI)
	VZEROUPPER
	RET

// func packB16PairsAVX2(dst, b *byte, ldb, pairs, slivers, sliver int)
//
// Packs pairs pairs of rows of B, ldb bytes apart, across slivers avx2 B
// slivers of 16 columns, sliver bytes apart. Each pair of rows is read
// once for all the slivers, so that the rows stream in order. Per sliver,
// VPMOVSXBW widens 16 bytes of each row to int16, VPUNPCKLWD/HWD pair
// them column by column (within 128-bit lanes: columns 0-3 and 8-11, then
// 4-7 and 12-15) and VPERM2I128 puts columns 0-7 and 8-15 in order.
TEXT ·packB16PairsAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ b+8(FP), AX
	MOVQ ldb+16(FP), R8
	MOVQ pairs+24(FP), CX
	MOVQ slivers+32(FP), R9
	MOVQ sliver+40(FP), R10
	TESTQ CX, CX
	JEQ  pairsDone
	TESTQ R9, R9
	JEQ  pairsDone

pairsRow:
	MOVQ AX, SI              // row 2g
	LEAQ (AX)(R8*1), BX      // row 2g+1
	MOVQ DI, DX              // group g of sliver 0
	MOVQ R9, R11

pairsSliver:
	VPMOVSXBW (SI), Y0
	VPMOVSXBW (BX), Y1
	VPUNPCKLWD Y1, Y0, Y2
	VPUNPCKHWD Y1, Y0, Y3
	VPERM2I128 $0x20, Y3, Y2, Y4
	VPERM2I128 $0x31, Y3, Y2, Y5
	VMOVDQU Y4, (DX)
	VMOVDQU Y5, 32(DX)
	ADDQ $16, SI
	ADDQ $16, BX
	ADDQ R10, DX
	DECQ R11
	JNE  pairsSliver

	LEAQ (AX)(R8*2), AX
	ADDQ $64, DI
	DECQ CX
	JNE  pairsRow

pairsDone:
	VZEROUPPER
	RET
