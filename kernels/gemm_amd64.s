//go:build gc && !purego && !noasm

#include "textflag.h"
#include "tile_amd64.h"

// Register tiles for Sgemm and Attention (see gemmTier.tile for the
// contract). Element (i, p) of the mr×kc sliver of A is read at
// a[i*lda + p*ka]: a packed sliver has lda=1, ka=mr; rows of A read in
// place have lda = the row stride, ka=1. One code path serves both, so
// an element rounds the same whichever way its A was laid out.
//
// The 6x16 AVX2 tile keeps C in Y0..Y11 (row i in Y(2i), Y(2i+1)); per k
// step it loads one 16-wide row of B, broadcasts 6 values of A and issues
// 12 FMAs, which two FMA ports retire in 6 cycles with load slots to spare.
// The 12x32 AVX-512 tile keeps C in Z0..Z23 and issues 24 FMAs per 2 B
// loads and 12 broadcasts: 12 cycles on two 512-bit FMA ports. It also
// prefetches B, which Sgemm streams from L2 for this tile.
//
// Both tiles are built from the macros below, one row of the tile (two
// vectors, r0 and r1, the second w bytes into the row) at a time.

// TILE_ARGS loads the arguments: k steps in CX; A at AX, with rows 4 and
// 8 at BX and R11, the row stride in R10 (3 rows in R12) and the k stride
// in R13, all in bytes; B at DI; C at DX with its row stride in R8 and a
// copy in R9 for the prefetches.
#define TILE_ARGS \
	MOVQ kc+0(FP), CX; \
	MOVQ a+8(FP), AX; \
	MOVQ lda+16(FP), R10; \
	SHLQ $2, R10; \
	LEAQ (R10)(R10*2), R12; \
	LEAQ (AX)(R10*4), BX; \
	LEAQ (BX)(R10*4), R11; \
	MOVQ ka+24(FP), R13; \
	SHLQ $2, R13; \
	MOVQ b+32(FP), DI; \
	MOVQ c+40(FP), DX; \
	MOVQ ldc+48(FP), R8; \
	SHLQ $2, R8; \
	MOVQ DX, R9

// FMA_ROW adds a times the B vectors b0, b1 to a row, broadcasting a
// through bc.
#define FMA_ROW(a, bc, b0, b1, r0, r1) \
	VBROADCASTSS a, bc; \
	VFMADD231PS b0, bc, r0; \
	VFMADD231PS b1, bc, r1

// SCALE_ROW multiplies a row by alpha in s; w is unused, for ROWS_Y0_Y11
// and ROWS_Z0_Z23 (tile_amd64.h).
#define SCALE_ROW(s, w, r0, r1) \
	VMULPS s, r0, r0; \
	VMULPS s, r1, r1

// STORE_ROW_BETA stores row + beta*C (beta in s) to the row of C at DX,
// with one fused multiply-add, and moves DX to the next row.
#define STORE_ROW_BETA(s, w, r0, r1) \
	VFMADD231PS 0(DX), s, r0; \
	VMOVUPS r0, 0(DX); \
	VFMADD231PS w(DX), s, r1; \
	VMOVUPS r1, w(DX); \
	ADDQ R8, DX

// func gemmTile6x16AVX2(kc int, a *float32, lda, ka int, b, c *float32, ldc int, alpha, beta float32)
TEXT ·gemmTile6x16AVX2(SB), NOSPLIT, $0-64
	TILE_ARGS
	ZERO_Y0_Y11
	PREFETCH_C_6ROWS(63)
	TESTQ CX, CX
	JEQ  store

loop:
	VMOVUPS 0(DI), Y12
	VMOVUPS 32(DI), Y13
	FMA_ROW((AX), Y14, Y12, Y13, Y0, Y1)
	FMA_ROW((AX)(R10*1), Y15, Y12, Y13, Y2, Y3)
	FMA_ROW((AX)(R10*2), Y14, Y12, Y13, Y4, Y5)
	FMA_ROW((AX)(R12*1), Y15, Y12, Y13, Y6, Y7)
	FMA_ROW((BX), Y14, Y12, Y13, Y8, Y9)
	FMA_ROW((BX)(R10*1), Y15, Y12, Y13, Y10, Y11)
	ADDQ R13, AX
	ADDQ R13, BX
	ADDQ $64, DI
	DECQ CX
	JNE  loop

store:
	// C = alpha*acc + beta*C: one rounding of alpha*acc, then one fused
	// multiply-add; C is not read when beta is ±0.
	VBROADCASTSS alpha+56(FP), Y14
	ROWS_Y0_Y11(SCALE_ROW, Y14, 0)
	MOVL beta+60(FP), AX
	ANDL $0x7fffffff, AX
	JEQ  nobeta
	VBROADCASTSS beta+60(FP), Y15
	ROWS_Y0_Y11(STORE_ROW_BETA, Y15, 32)
	VZEROUPPER
	RET

nobeta:
	STORE_Y0_Y11(VMOVUPS)
	VZEROUPPER
	RET

// func gemmTile12x32AVX512(kc int, a *float32, lda, ka int, b, c *float32, ldc int, alpha, beta float32)
TEXT ·gemmTile12x32AVX512(SB), NOSPLIT, $0-64
	TILE_ARGS
	ZERO_Z0_Z23
	PREFETCH_C_12ROWS(127)
	TESTQ CX, CX
	JEQ  store

loop:
	VMOVUPS 0(DI), Z24
	VMOVUPS 64(DI), Z25
	// B streams from L2 (gemmTier.streamB): ask for it four k steps
	// ahead, which the hardware prefetcher alone does not keep up with
	// (3-4% of Sgemm at n=1024-2048). Reading past the end of B is
	// harmless: a prefetch never faults.
	PREFETCHT0 512(DI)
	PREFETCHT0 576(DI)
	FMA_ROW((AX), Z26, Z24, Z25, Z0, Z1)
	FMA_ROW((AX)(R10*1), Z27, Z24, Z25, Z2, Z3)
	FMA_ROW((AX)(R10*2), Z26, Z24, Z25, Z4, Z5)
	FMA_ROW((AX)(R12*1), Z27, Z24, Z25, Z6, Z7)
	FMA_ROW((BX), Z26, Z24, Z25, Z8, Z9)
	FMA_ROW((BX)(R10*1), Z27, Z24, Z25, Z10, Z11)
	FMA_ROW((BX)(R10*2), Z26, Z24, Z25, Z12, Z13)
	FMA_ROW((BX)(R12*1), Z27, Z24, Z25, Z14, Z15)
	FMA_ROW((R11), Z26, Z24, Z25, Z16, Z17)
	FMA_ROW((R11)(R10*1), Z27, Z24, Z25, Z18, Z19)
	FMA_ROW((R11)(R10*2), Z26, Z24, Z25, Z20, Z21)
	FMA_ROW((R11)(R12*1), Z27, Z24, Z25, Z22, Z23)
	ADDQ R13, AX
	ADDQ R13, BX
	ADDQ R13, R11
	ADDQ $128, DI
	DECQ CX
	JNE  loop

store:
	// C = alpha*acc + beta*C: one rounding of alpha*acc, then one fused
	// multiply-add; C is not read when beta is ±0.
	VBROADCASTSS alpha+56(FP), Z26
	ROWS_Z0_Z23(SCALE_ROW, Z26, 0)
	MOVL beta+60(FP), AX
	ANDL $0x7fffffff, AX
	JEQ  nobeta
	VBROADCASTSS beta+60(FP), Z27
	ROWS_Z0_Z23(STORE_ROW_BETA, Z27, 64)
	VZEROUPPER
	RET

nobeta:
	STORE_Z0_Z23(VMOVUPS)
	VZEROUPPER
	RET
