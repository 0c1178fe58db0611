//go:build gc && !purego && !noasm

#include "textflag.h"

// The MatVecBF16 loop (see matvec_bf16_amd64.go). It takes four rows of
// B at a time, each a sequential stream that the hardware prefetchers
// follow, and per vector of columns load y, add the four rows' products
// in row order (fused multiply-adds of exact products) and store y back:
// the order of every column's sum is that of the portable loop. A bf16 is
// widened to float32 by a zero extension to 32 bits and a shift left by
// 16 (VPMOVZXWD, VPSLLD).

// MV_PREFETCH asks for the lines of the rows 8 on (R15 bytes on) that
// this step's columns will take two passes from now (the next 4 rows' part
// of this band of columns follows, in memory, the part of the whole rows
// outside the band: when the band is narrow, as each goroutine's is, no
// prefetcher that follows a row sees it coming).
#define MV_PREFETCH(off) \
	PREFETCHT0 off(R10)(R15*1); \
	PREFETCHT0 off(R11)(R15*1); \
	PREFETCHT0 off(R12)(R15*1); \
	PREFETCHT0 off(R13)(R15*1)

// MV2_X broadcasts x[p] (at off(SI)) as a float32 into y, through AX.
#define MV2_X(off, y) \
	MOVWLZX off(SI), AX; \
	SHLL $16, AX; \
	VMOVD AX, X15; \
	VPBROADCASTD X15, y

// MV2_ROW adds row r's 8 values at col (bytes on from rp, which walks the
// row) times x (xy) to acc.
#define MV2_ROW(rp, col, xy, acc) \
	VPMOVZXWD col(rp), Y14; \
	VPSLLD $16, Y14, Y14; \
	VFMADD231PS xy, Y14, acc

// MV2_VEC is the 8 columns at element DX + 8v of the 4 rows.
#define MV2_VEC(v, acc) \
	VMOVUPS (v*32)(DI)(DX*4), acc; \
	MV2_ROW(R10, v*16, Y8, acc); \
	MV2_ROW(R11, v*16, Y9, acc); \
	MV2_ROW(R12, v*16, Y10, acc); \
	MV2_ROW(R13, v*16, Y11, acc); \
	VMOVUPS acc, (v*32)(DI)(DX*4)

// func matVecBF16AVX2(k, n int, x *BF16, b *BF16, ldb int, y *float32)
//
// Register use: CX rows left, R8 n, SI x, BX row p of B, R9 ldb in bytes,
// R15 8·ldb in bytes, DI y; per 4 rows Y8-Y11 their x, R10-R13 walk the
// rows, DX the column, R14 counts steps of 32 columns.
TEXT ·matVecBF16AVX2(SB), NOSPLIT, $0-48
	MOVQ k+0(FP), CX
	MOVQ n+8(FP), R8
	MOVQ x+16(FP), SI
	MOVQ b+24(FP), BX
	MOVQ ldb+32(FP), R9
	SHLQ $1, R9
	MOVQ y+40(FP), DI
	LEAQ (R9*8), R15

mv2Rows4:
	CMPQ CX, $4
	JB   mv2Row1
	MV2_X(0, Y8)
	MV2_X(2, Y9)
	MV2_X(4, Y10)
	MV2_X(6, Y11)
	MOVQ BX, R10
	LEAQ (BX)(R9*1), R11
	LEAQ (BX)(R9*2), R12
	LEAQ (R11)(R9*2), R13
	XORQ DX, DX
	MOVQ R8, R14
	SHRQ $5, R14
	JEQ  mv2Cols8

mv2Cols32:
	MV_PREFETCH(0)
	MV2_VEC(0, Y0)
	MV2_VEC(1, Y1)
	MV2_VEC(2, Y2)
	MV2_VEC(3, Y3)
	ADDQ $32, DX
	ADDQ $64, R10
	ADDQ $64, R11
	ADDQ $64, R12
	ADDQ $64, R13
	DECQ R14
	JNE  mv2Cols32

mv2Cols8:
	CMPQ DX, R8
	JAE  mv2Next4
	MV_PREFETCH(0)
	MV2_VEC(0, Y0)
	ADDQ $8, DX
	ADDQ $16, R10
	ADDQ $16, R11
	ADDQ $16, R12
	ADDQ $16, R13
	JMP  mv2Cols8

mv2Next4:
	LEAQ (BX)(R9*4), BX
	ADDQ $8, SI
	SUBQ $4, CX
	JMP  mv2Rows4

mv2Row1:
	TESTQ CX, CX
	JEQ  mv2Done
	MV2_X(0, Y8)
	XORQ DX, DX
	MOVQ BX, R10

mv2Col1:
	VMOVUPS (DI)(DX*4), Y0
	MV2_ROW(R10, 0, Y8, Y0)
	VMOVUPS Y0, (DI)(DX*4)
	ADDQ $8, DX
	ADDQ $16, R10
	CMPQ DX, R8
	JB   mv2Col1
	ADDQ R9, BX
	ADDQ $2, SI
	DECQ CX
	JMP  mv2Row1

mv2Done:
	VZEROUPPER
	RET
