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

// func sgemmSmallNN(m, n, kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32)
//
// B is kc×n. The strides lda, ldb and ldc are in bytes. Chunks of 64 columns: row i's sums in
// Z(4i)..Z(4i+3), four rows of B loaded per k step, one broadcast of A
// per row. m is 1 to 4; n and kc at least 1.
TEXT ·sgemmSmallNN(SB), NOSPLIT, $0-80
	MOVQ m+0(FP), DI
	MOVQ n+8(FP), SI
	MOVQ lda+32(FP), R13
	MOVQ ldb+48(FP), R14
	MOVQ b+40(FP), R12
	MOVQ c+56(FP), DX

nnchunk:
	MOVQ SI, AX
	MOVQ $64, BX
	CMPQ AX, BX
	CMOVQGT BX, AX
	MASK(0, K1)
	MASK(16, K2)
	MASK(32, K3)
	MASK(48, K4)
	MOVQ a+24(FP), BX
	ROW_PTRS(BX)
	MOVQ R12, R15
	MOVQ kc+16(FP), CX
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	VXORPS Z12, Z12, Z12
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
	VXORPS Z15, Z15, Z15

nnk:
	VMOVUPS.Z (R15), K1, Z16
	VMOVUPS.Z 64(R15), K2, Z17
	VMOVUPS.Z 128(R15), K3, Z18
	VMOVUPS.Z 192(R15), K4, Z19
	VBROADCASTSS (R8), Z20
	VBROADCASTSS (R9), Z21
	VBROADCASTSS (R10), Z22
	VBROADCASTSS (R11), Z23
	VFMADD231PS Z16, Z20, Z0
	VFMADD231PS Z17, Z20, Z1
	VFMADD231PS Z18, Z20, Z2
	VFMADD231PS Z19, Z20, Z3
	VFMADD231PS Z16, Z21, Z4
	VFMADD231PS Z17, Z21, Z5
	VFMADD231PS Z18, Z21, Z6
	VFMADD231PS Z19, Z21, Z7
	VFMADD231PS Z16, Z22, Z8
	VFMADD231PS Z17, Z22, Z9
	VFMADD231PS Z18, Z22, Z10
	VFMADD231PS Z19, Z22, Z11
	VFMADD231PS Z16, Z23, Z12
	VFMADD231PS Z17, Z23, Z13
	VFMADD231PS Z18, Z23, Z14
	VFMADD231PS Z19, Z23, Z15
	ADDQ R14, R15
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ CX
	JNE  nnk

	VBROADCASTSS alpha+72(FP), Z24
	VBROADCASTSS beta+76(FP), Z25
	MOVL beta+76(FP), BX
	ANDL $0x7fffffff, BX
	MOVQ DX, R15
	OUT(Z0, K1, 0)
	OUT(Z1, K2, 64)
	OUT(Z2, K3, 128)
	OUT(Z3, K4, 192)
	CMPQ DI, $1
	JEQ  nnnext
	ADDQ ldc+64(FP), DX
	OUT(Z4, K1, 0)
	OUT(Z5, K2, 64)
	OUT(Z6, K3, 128)
	OUT(Z7, K4, 192)
	CMPQ DI, $2
	JEQ  nnnext
	ADDQ ldc+64(FP), DX
	OUT(Z8, K1, 0)
	OUT(Z9, K2, 64)
	OUT(Z10, K3, 128)
	OUT(Z11, K4, 192)
	CMPQ DI, $3
	JEQ  nnnext
	ADDQ ldc+64(FP), DX
	OUT(Z12, K1, 0)
	OUT(Z13, K2, 64)
	OUT(Z14, K3, 128)
	OUT(Z15, K4, 192)

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
	MOVQ m+0(FP), DI
	MOVQ n+8(FP), SI
	MOVQ lda+32(FP), R13
	MOVQ ldb+48(FP), R14
	MOVQ b+40(FP), R12
	MOVQ c+56(FP), DX
	VPBROADCASTD ldb+48(FP), Z30
	VPMULLD smallIota<>(SB), Z30, Z30
	SHLQ $4, R14

ntchunk:
	MOVQ SI, AX
	MOVQ $16, BX
	CMPQ AX, BX
	CMOVQGT BX, AX
	MASK(0, K1)
	MOVQ a+24(FP), BX
	ROW_PTRS(BX)
	MOVQ R12, R15
	MOVQ kc+16(FP), CX
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3

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
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ CX
	JNE  ntk

	VBROADCASTSS alpha+72(FP), Z24
	VBROADCASTSS beta+76(FP), Z25
	MOVL beta+76(FP), BX
	ANDL $0x7fffffff, BX
	MOVQ DX, R15
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
