//go:build gc && !purego && !noasm

#include "textflag.h"

// Sgemm's small-m kernels (gemmTier.small): C = alpha·A·op(B) + beta·C
// for at most 4 rows of A, one k block, B read in place. Each element of
// C is the tile kernels' sequence (gemmTier.tile): fused multiply-adds in
// increasing k from zero, one rounding of alpha·acc, then one fused
// multiply-add of beta·C (C not read when beta is ±0). Rows of A past m
// repeat row m-1, so that the loops need no branch on m; their results
// are not stored. Column edges take masked loads and stores (AVX-512).

// MASK sets k to the lanes of a 16-lane vector at column off of a chunk
// of AX columns: clamp(AX-off, 0, 16) low bits. It uses BX and CX.
#define MASK(off, k) \
	MOVQ AX, CX; \
	SUBQ $off, CX; \
	XORQ BX, BX; \
	CMPQ CX, BX; \
	CMOVQLT BX, CX; \
	MOVQ $16, BX; \
	CMPQ CX, BX; \
	CMOVQGT BX, CX; \
	MOVL $1, BX; \
	SHLL CX, BX; \
	DECL BX; \
	KMOVW BX, k

// ROW_PTRS sets R8-R11 to rows 0-3 of A from base (a register), rows R13
// bytes apart, rows past DI (m) repeating row m-1. It uses BX and CX.
#define ROW_PTRS(base) \
	MOVQ base, R8; \
	XORQ CX, CX; \
	MOVQ R13, BX; \
	CMPQ DI, $1; \
	CMOVQLE CX, BX; \
	LEAQ (R8)(BX*1), R9; \
	MOVQ R13, BX; \
	CMPQ DI, $2; \
	CMOVQLE CX, BX; \
	LEAQ (R9)(BX*1), R10; \
	MOVQ R13, BX; \
	CMPQ DI, $3; \
	CMOVQLE CX, BX; \
	LEAQ (R10)(BX*1), R11

// OUT stores accumulator r (lanes k) to the C row at DX+off: alpha·r in
// Z24, plus beta (Z25) times C where BX != 0 (3(PC) skips the two
// instructions that read C).
#define OUT(r, k, off) \
	VMULPS Z24, r, r; \
	TESTL BX, BX; \
	JEQ  3(PC); \
	VMOVUPS.Z off(DX), k, Z26; \
	VFMADD231PS Z26, Z25, r; \
	VMOVUPS r, k, off(DX)

// ZERO4 clears four accumulators.
#define ZERO4(r0, r1, r2, r3) \
	VXORPS r0, r0, r0; \
	VXORPS r1, r1, r1; \
	VXORPS r2, r2, r2; \
	VXORPS r3, r3, r3

// FMA4 adds a row's broadcast A value (bc) times the four B vectors of
// the chunk (Z16-Z19) to the row's accumulators.
#define FMA4(bc, r0, r1, r2, r3) \
	VFMADD231PS Z16, bc, r0; \
	VFMADD231PS Z17, bc, r1; \
	VFMADD231PS Z18, bc, r2; \
	VFMADD231PS Z19, bc, r3

// OUT4 stores a row's four accumulators to the chunk's 64 columns of C
// at DX, lanes K1-K4.
#define OUT4(r0, r1, r2, r3) \
	OUT(r0, K1, 0); \
	OUT(r1, K2, 64); \
	OUT(r2, K3, 128); \
	OUT(r3, K4, 192)

// SMALL_ARGS loads the arguments both kernels keep in registers: m (DI),
// n (SI), lda (R13), ldb (R14), B (R12) and C (DX).
#define SMALL_ARGS \
	MOVQ m+0(FP), DI; \
	MOVQ n+8(FP), SI; \
	MOVQ lda+32(FP), R13; \
	MOVQ ldb+48(FP), R14; \
	MOVQ b+40(FP), R12; \
	MOVQ c+56(FP), DX

// A_NEXT moves the four A row pointers one k on.
#define A_NEXT \
	ADDQ $4, R8; \
	ADDQ $4, R9; \
	ADDQ $4, R10; \
	ADDQ $4, R11

// CHUNK_COLS sets AX to the columns of the next chunk: the n left (SI),
// at most width.
#define CHUNK_COLS(width) \
	MOVQ SI, AX; \
	MOVQ $width, BX; \
	CMPQ AX, BX; \
	CMOVQGT BX, AX

// CHUNK_ROWS starts a chunk's k loop: the A row pointers from A's first
// row, R15 at the chunk's B (R12) and CX the kc steps.
#define CHUNK_ROWS \
	MOVQ a+24(FP), BX; \
	ROW_PTRS(BX); \
	MOVQ R12, R15; \
	MOVQ kc+16(FP), CX

// SCALARS sets up OUT: alpha in Z24, beta in Z25 and BX (its bits, sign
// cleared), and keeps the chunk's first C row in R15.
#define SCALARS \
	VBROADCASTSS alpha+72(FP), Z24; \
	VBROADCASTSS beta+76(FP), Z25; \
	MOVL beta+76(FP), BX; \
	ANDL $0x7fffffff, BX; \
	MOVQ DX, R15

// func sgemmSmallNN(m, n, kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
//
// B is kc×n. The strides lda, ldb and ldc are in bytes. Chunks of 64 columns: row i's sums in
// Z(4i)..Z(4i+3), four rows of B loaded per k step, one broadcast of A
// per row. m is 1 to 4; n and kc at least 1.
TEXT ·sgemmSmallNN(SB), NOSPLIT, $0-80
	SMALL_ARGS

nnchunk:
	CHUNK_COLS(64)
	MASK(0, K1)
	MASK(16, K2)
	MASK(32, K3)
	MASK(48, K4)
	CHUNK_ROWS
	ZERO4(Z0, Z1, Z2, Z3)
	ZERO4(Z4, Z5, Z6, Z7)
	ZERO4(Z8, Z9, Z10, Z11)
	ZERO4(Z12, Z13, Z14, Z15)

nnk:
	VMOVUPS.Z (R15), K1, Z16
	VMOVUPS.Z 64(R15), K2, Z17
	VMOVUPS.Z 128(R15), K3, Z18
	VMOVUPS.Z 192(R15), K4, Z19
	VBROADCASTSS (R8), Z20
	VBROADCASTSS (R9), Z21
	VBROADCASTSS (R10), Z22
	VBROADCASTSS (R11), Z23
	FMA4(Z20, Z0, Z1, Z2, Z3)
	FMA4(Z21, Z4, Z5, Z6, Z7)
	FMA4(Z22, Z8, Z9, Z10, Z11)
	FMA4(Z23, Z12, Z13, Z14, Z15)
	ADDQ R14, R15
	A_NEXT
	DECQ CX
	JNE  nnk

	SCALARS
	OUT4(Z0, Z1, Z2, Z3)
	CMPQ DI, $1
	JEQ  nnnext
	ADDQ ldc+64(FP), DX
	OUT4(Z4, Z5, Z6, Z7)
	CMPQ DI, $2
	JEQ  nnnext
	ADDQ ldc+64(FP), DX
	OUT4(Z8, Z9, Z10, Z11)
	CMPQ DI, $3
	JEQ  nnnext
	ADDQ ldc+64(FP), DX
	OUT4(Z12, Z13, Z14, Z15)

nnnext:
	LEAQ 256(R15), DX
	ADDQ $256, R12
	SUBQ AX, SI
	JGT  nnchunk
	VZEROUPPER
	RET

// smallIota is the lanes' numbers 0-15, as 32-bit words.
DATA smallIota<>+0(SB)/8, $0x0000000100000000
DATA smallIota<>+8(SB)/8, $0x0000000300000002
DATA smallIota<>+16(SB)/8, $0x0000000500000004
DATA smallIota<>+24(SB)/8, $0x0000000700000006
DATA smallIota<>+32(SB)/8, $0x0000000900000008
DATA smallIota<>+40(SB)/8, $0x0000000b0000000a
DATA smallIota<>+48(SB)/8, $0x0000000d0000000c
DATA smallIota<>+56(SB)/8, $0x0000000f0000000e
GLOBL smallIota<>(SB), RODATA|NOPTR, $64

// func sgemmSmallNT(m, n, kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
//
// B is n×kc, and op(B) its transpose: column j of op(B) is row j of B.
// The strides are in bytes, 16·ldb below 2³¹. Chunks of 16 columns, row
// i's sums in Z(i); per k step, one gather of the chunk's 16 rows of B
// (byte offsets 0, ldb, 2·ldb, … in Z30) and one broadcast of A per
// row. m is 1 to 4; n and kc at least 1.
TEXT ·sgemmSmallNT(SB), NOSPLIT, $0-80
	SMALL_ARGS
	VPBROADCASTD ldb+48(FP), Z30
	VPMULLD smallIota<>(SB), Z30, Z30
	SHLQ $4, R14

ntchunk:
	CHUNK_COLS(16)
	MASK(0, K1)
	CHUNK_ROWS
	ZERO4(Z0, Z1, Z2, Z3)

ntk:
	KMOVW K1, K2
	VXORPS Z16, Z16, Z16
	VGATHERDPS (R15)(Z30*1), K2, Z16
	VBROADCASTSS (R8), Z20
	VBROADCASTSS (R9), Z21
	VBROADCASTSS (R10), Z22
	VBROADCASTSS (R11), Z23
	VFMADD231PS Z16, Z20, Z0
	VFMADD231PS Z16, Z21, Z1
	VFMADD231PS Z16, Z22, Z2
	VFMADD231PS Z16, Z23, Z3
	ADDQ $4, R15
	A_NEXT
	DECQ CX
	JNE  ntk

	SCALARS
	OUT(Z0, K1, 0)
	CMPQ DI, $1
	JEQ  ntnext
	ADDQ ldc+64(FP), DX
	OUT(Z1, K1, 0)
	CMPQ DI, $2
	JEQ  ntnext
	ADDQ ldc+64(FP), DX
	OUT(Z2, K1, 0)
	CMPQ DI, $3
	JEQ  ntnext
	ADDQ ldc+64(FP), DX
	OUT(Z3, K1, 0)

ntnext:
	LEAQ 64(R15), DX
	ADDQ R14, R12
	SUBQ AX, SI
	JGT  ntchunk
	VZEROUPPER
	RET
