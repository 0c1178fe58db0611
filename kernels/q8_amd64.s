//go:build gc && !purego && !noasm

#include "textflag.h"
#include "amx_amd64.h"

// The amd64 Q8_0 loops; q8_amd64.go has their contracts and the reasoning
// behind the layouts. In Go's operand order VPDPBUSD s, u, acc adds to
// each int32 lane of acc the four products of the unsigned bytes of u by
// the signed bytes of s; s may be memory.

// The amx prefill tile's macros (see q8TilesAMX), here because some
// name its arguments.

// Set 0: TILEZERO TMM2; TILELOADD (AX)(BX*1), TMM0; TILELOADD (SI)(CX*1),
// TMM1; TDPBSSD TMM1, TMM0, TMM2. AMX_STORE0: TILESTORED TMM2,
// (R8)(R11*1).
#define AMX_SET0 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd0; \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x4b; BYTE $0x04; BYTE $0x18; \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x4b; BYTE $0x0c; BYTE $0x0e; \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x73; BYTE $0x5e; BYTE $0xd0
#define AMX_STORE0 \
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x14; BYTE $0x18

// Set 1: TILEZERO TMM5; TILELOADD (AX)(BX*1), TMM3; TILELOADD (SI)(CX*1),
// TMM4; TDPBSSD TMM4, TMM3, TMM5. AMX_STORE1: TILESTORED TMM5,
// (R9)(R11*1).
#define AMX_SET1 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xe8; \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x4b; BYTE $0x1c; BYTE $0x18; \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x4b; BYTE $0x24; BYTE $0x0e; \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x5b; BYTE $0x5e; BYTE $0xeb
#define AMX_STORE1 \
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x2c; BYTE $0x19

// AMX_STEP is one block's product in set s (AMX_SET0 or AMX_SET1), then
// the codes and the sliver a block on; it prefetches 4 lines of the next
// token tile's codes (DX), which the two passes' 32 steps cover.
#define AMX_STEP(set) \
	set; \
	PREFETCHT0 (DX); \
	PREFETCHT0 64(DX); \
	PREFETCHT0 128(DX); \
	PREFETCHT0 192(DX); \
	ADDQ $256, DX; \
	ADDQ $32, AX; \
	ADDQ $1152, SI; \
	DECQ R13

// AMX_SCALE adds token t's block products to its float32 sums f: D from
// the stored tile at c (64 bytes a token), converted exactly; S = xs
// (broadcast) times the half's ws (Z28), exact; one fused multiply-add.
#define AMX_SCALE(c, t, f) \
	VBROADCASTSS (t*64)(R12), Z30; \
	VMULPS Z30, Z28, Z26; \
	VCVTDQ2PS (t*64)(c), Z24; \
	VFMADD231PS Z26, Z24, f

// AMX_EPILOGUE scales the block whose tile is stored at c, its rows'
// scales at ws(SI) (SI is past the block, one or two blocks on), and moves
// R12 (the tokens' scales) a block on.
#define AMX_EPILOGUE(c, ws) \
	VMOVUPS ws(SI), Z28; \
	AMX_SCALE(c, 0, Z0); \
	AMX_SCALE(c, 1, Z1); \
	AMX_SCALE(c, 2, Z2); \
	AMX_SCALE(c, 3, Z3); \
	AMX_SCALE(c, 4, Z4); \
	AMX_SCALE(c, 5, Z5); \
	AMX_SCALE(c, 6, Z6); \
	AMX_SCALE(c, 7, Z7); \
	AMX_SCALE(c, 8, Z8); \
	AMX_SCALE(c, 9, Z9); \
	AMX_SCALE(c, 10, Z10); \
	AMX_SCALE(c, 11, Z11); \
	AMX_SCALE(c, 12, Z12); \
	AMX_SCALE(c, 13, Z13); \
	AMX_SCALE(c, 14, Z14); \
	AMX_SCALE(c, 15, Z15); \
	ADDQ $4, R12

// AMX_LOADY and AMX_STOREY move a token's 16 outputs of the half through
// the mask K1.
#define AMX_LOADY(f) VMOVUPS.Z (R15), K1, f
#define AMX_STOREY(f) VMOVUPS f, K1, (R15)

// AMX_YROW applies op to token t's row at R15, unless t is past the
// tokens (R14), and moves R15 a row on (R10 bytes).
#define AMX_YROW(op, t, f, label) \
	CMPQ R14, $t; \
	JLE  label; \
	op(f); \
	ADDQ R10, R15

#define AMX_YROWS(op, label) \
	AMX_YROW(op, 0, Z0, label); \
	AMX_YROW(op, 1, Z1, label); \
	AMX_YROW(op, 2, Z2, label); \
	AMX_YROW(op, 3, Z3, label); \
	AMX_YROW(op, 4, Z4, label); \
	AMX_YROW(op, 5, Z5, label); \
	AMX_YROW(op, 6, Z6, label); \
	AMX_YROW(op, 7, Z7, label); \
	AMX_YROW(op, 8, Z8, label); \
	AMX_YROW(op, 9, Z9, label); \
	AMX_YROW(op, 10, Z10, label); \
	AMX_YROW(op, 11, Z11, label); \
	AMX_YROW(op, 12, Z12, label); \
	AMX_YROW(op, 13, Z13, label); \
	AMX_YROW(op, 14, Z14, label); \
	AMX_YROW(op, 15, Z15, label)

#define AMX_ZERO \
	VPXORD Z0, Z0, Z0; \
	VMOVDQA64 Z0, Z1; \
	VMOVDQA64 Z0, Z2; \
	VMOVDQA64 Z0, Z3; \
	VMOVDQA64 Z0, Z4; \
	VMOVDQA64 Z0, Z5; \
	VMOVDQA64 Z0, Z6; \
	VMOVDQA64 Z0, Z7; \
	VMOVDQA64 Z0, Z8; \
	VMOVDQA64 Z0, Z9; \
	VMOVDQA64 Z0, Z10; \
	VMOVDQA64 Z0, Z11; \
	VMOVDQA64 Z0, Z12; \
	VMOVDQA64 Z0, Z13; \
	VMOVDQA64 Z0, Z14; \
	VMOVDQA64 Z0, Z15

// AMX_HALF is one pass of a token tile: the 16 rows of half h (byte
// offset 64h in the sliver's groups and scales, columns 16h on in y, mask
// in DX), all the blocks; the tile's codes, scales, outputs and tokens are
// at 0, 8, 16 and 24(SP).
#define AMX_HALF(h, ldl, ld, st, ast, bst, al, bl, sc, sd) \
	KMOVW DX, K1; \
	MOVQ 0(SP), AX; \
	LEAQ (8192+4096*h)(AX), DX; \
	MOVQ 8(SP), R12; \
	MOVQ 24(SP), R14; \
	MOVQ b+32(FP), SI; \
	ADDQ $(64*h), SI; \
	MOVQ blocks+8(FP), R13; \
	AMX_ZERO; \
	MOVQ 16(SP), R15; \
	ADDQ $(64*h), R15; \
	CMPQ load+72(FP), $0; \
	JEQ  ldl; \
	AMX_YROWS(AMX_LOADY, ldl); \
ldl: \
	AMX_STEP(AMX_SET0); \
	TESTQ R13, R13; \
	JEQ  al; \
	AMX_STEP(AMX_SET1); \
	AMX_STORE0; \
	TESTQ R13, R13; \
	JEQ  bl; \
ast: \
	AMX_STEP(AMX_SET0); \
	AMX_STORE1; \
	AMX_EPILOGUE(R8, -2432); \
	TESTQ R13, R13; \
	JEQ  bst; \
	AMX_STEP(AMX_SET1); \
	AMX_STORE0; \
	AMX_EPILOGUE(R9, -2432); \
	TESTQ R13, R13; \
	JNE  ast; \
bl: \
	AMX_EPILOGUE(R8, -1280); \
	AMX_STORE1; \
	AMX_EPILOGUE(R9, -128); \
	JMP  sc; \
bst: \
	AMX_EPILOGUE(R9, -1280); \
	AMX_STORE0; \
	AMX_EPILOGUE(R8, -128); \
	JMP  sc; \
al: \
	AMX_STORE0; \
	AMX_EPILOGUE(R8, -128); \
sc: \
	MOVQ 16(SP), R15; \
	ADDQ $(64*h), R15; \
	AMX_YROWS(AMX_STOREY, sd); \
sd:

// The decode loops read the rows as two streams, the first half of them
// and the second, a row of each in turn, so that the hardware prefetchers
// follow two sequences of pages ahead of the loads rather than one: the
// current row's weights, scales and output are at R10, R11 and DI, the
// other stream's next row's at 0(SP), 8(SP) and 16(SP). The second
// stream starts ceil(rows/2) rows in (R8 rows, R9 blocks a row).
#define Q8_SECOND_STREAM \
	LEAQ 1(R8), AX; \
	SHRQ $1, AX; \
	MOVQ R9, CX; \
	IMULQ AX, CX; \
	LEAQ (R11)(CX*2), BX; \
	MOVQ BX, 8(SP); \
	SHLQ $5, CX; \
	ADDQ R10, CX; \
	MOVQ CX, 0(SP); \
	LEAQ (DI)(AX*4), BX; \
	MOVQ BX, 16(SP)

// Q8_NEXT_ROW moves the current stream a row on and switches streams.
#define Q8_NEXT_ROW \
	MOVQ R9, AX; \
	SHLQ $5, AX; \
	ADDQ R10, AX; \
	MOVQ 0(SP), R10; \
	MOVQ AX, 0(SP); \
	LEAQ (R11)(R9*2), AX; \
	MOVQ 8(SP), R11; \
	MOVQ AX, 8(SP); \
	LEAQ 4(DI), AX; \
	MOVQ 16(SP), DI; \
	MOVQ AX, 16(SP)

// ---------------------------------------------------------------------
// Activation preparation.

// func q8CorrAVX2(q *int8, blocks int, corr *int32)
//
// corr[b] = -128·Σ q[32b : 32b+32]. VPSADBW of the codes xor 0x80 (the
// codes plus 128, as unsigned bytes) with zero sums each 8 of them into a
// qword, S = Σ(q+128) = Σq + 4096 over a block; -128·Σq is then
// 524288 - 128·S. Four blocks at a time: their qword sums are merged into
// dwords ([a0 b0 a1 b1 | a2 b2 a3 b3], [c0 d0 ...]) and added across.
TEXT ·q8CorrAVX2(SB), NOSPLIT, $0-24
	MOVQ q+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ corr+16(FP), DI
	MOVL $0x80808080, AX
	MOVD AX, X15
	VPBROADCASTD X15, Y15
	VPXOR Y14, Y14, Y14
	MOVL $524288, AX
	MOVD AX, X13
	VPBROADCASTD X13, X13

corrLoop4:
	CMPQ CX, $4
	JB   corrTail
	VPXOR (SI), Y15, Y0
	VPXOR 32(SI), Y15, Y1
	VPXOR 64(SI), Y15, Y2
	VPXOR 96(SI), Y15, Y3
	VPSADBW Y14, Y0, Y0
	VPSADBW Y14, Y1, Y1
	VPSADBW Y14, Y2, Y2
	VPSADBW Y14, Y3, Y3
	VPSLLQ $32, Y1, Y1
	VPOR Y1, Y0, Y0
	VPSLLQ $32, Y3, Y3
	VPOR Y3, Y2, Y2
	VPUNPCKLQDQ Y2, Y0, Y4
	VPUNPCKHQDQ Y2, Y0, Y5
	VPADDD Y5, Y4, Y4
	VEXTRACTI128 $1, Y4, X5
	VPADDD X5, X4, X4
	VPSLLD $7, X4, X4
	VPSUBD X4, X13, X4
	VMOVDQU X4, (DI)
	ADDQ $128, SI
	ADDQ $16, DI
	SUBQ $4, CX
	JMP  corrLoop4

corrTail:
	TESTQ CX, CX
	JEQ  corrDone
	VPXOR (SI), Y15, Y0
	VPSADBW Y14, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDQ X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDQ X1, X0, X0
	VPSLLD $7, X0, X0
	VPSUBD X0, X13, X0
	VMOVD X0, (DI)
	ADDQ $32, SI
	ADDQ $4, DI
	DECQ CX
	JMP  corrTail

corrDone:
	VZEROUPPER
	RET

// Q8_PREFETCH prefetches into L2 the lines a tile is given for the next
// pack (q8Prefetch at off(FP)): 4 of codes and one of scales, each when
// its address is not zero.
#define Q8_PREFETCH(codes, scales, reg, label1, label2) \
	MOVQ codes, reg; \
	TESTQ reg, reg; \
	JEQ  label1; \
	PREFETCHT1 (reg); \
	PREFETCHT1 64(reg); \
	PREFETCHT1 128(reg); \
	PREFETCHT1 192(reg); \
label1: \
	MOVQ scales, reg; \
	TESTQ reg, reg; \
	JEQ  label2; \
	PREFETCHT1 (reg); \
label2:

// ---------------------------------------------------------------------
// avx512vnni decode.

#define Q8_PF 2048

#define Q8_PF2 2048

// VNNI_CHUNK is the dot product of 64 bytes of a weight row (two blocks)
// with the activation codes: the weights xor 0x80 (Z31), i.e. plus 128 as
// unsigned bytes, into wz; their products with the signed codes at xoff(DX)
// summed by fours into the 16 dword lanes of az (zeroed: a zero idiom,
// which the core drops at rename). The -128·Σx the offset adds is taken
// off per block later (corr).
#define VNNI_CHUNK(woff, xoff, wz, az) \
	PREFETCHT0 (woff+Q8_PF)(SI); \
	VPXORD woff(SI), Z31, wz; \
	VPXORD az, az, az; \
	VPDPBUSD xoff(DX), wz, az

// VNNI_CHUNK_MASKED is VNNI_CHUNK on the bytes of the tail chunk that
// the mask at moff(R15) selects; the others read as zero (and add
// nothing: the codes they meet are the zero padding of the activations).
#define VNNI_CHUNK_MASKED(off, moff, wz, az) \
	KMOVQ moff(R15), K1; \
	VMOVDQU8.Z off(SI), K1, wz; \
	VPXORD wz, Z31, wz; \
	VPXORD az, az, az; \
	VPDPBUSD off(DX), wz, az

// VNNI_PAIR sums two chunks' 4-dword partials by block: chunk a holds
// blocks 2i, 2i+1 in 128-bit lanes (0,1) and (2,3), chunk b the next two;
// the result holds in 128-bit lane L the four partials of block L of the
// four (lanes 0 and 2 of each chunk plus lanes 1 and 3).
#define VNNI_PAIR(a, b, t, out) \
	VSHUFI32X4 $0x88, b, a, out; \
	VSHUFI32X4 $0xdd, b, a, t; \
	VPADDD t, out, out

// VNNI_TREE reduces the 8 chunk sums Z8-Z15 (16 blocks) to the 16 block
// dot products in Z22, in block order (Z30 holds the permutation). After
// the pairs, Z16-Z19 hold blocks 0-3, 4-7, 8-11 and 12-15 by 128-bit lane;
// interleaving by dwords and then qwords, with adds, leaves dword 4L+j of
// Z22 the sum of lane L of Z(16+j), block 4j+L: VPERMD puts block b in
// dword b.
#define VNNI_TREE \
	VNNI_PAIR(Z8, Z9, Z20, Z16); \
	VNNI_PAIR(Z10, Z11, Z21, Z17); \
	VNNI_PAIR(Z12, Z13, Z22, Z18); \
	VNNI_PAIR(Z14, Z15, Z23, Z19); \
	VPUNPCKLDQ Z17, Z16, Z20; \
	VPUNPCKHDQ Z17, Z16, Z21; \
	VPADDD Z21, Z20, Z20; \
	VPUNPCKLDQ Z19, Z18, Z21; \
	VPUNPCKHDQ Z19, Z18, Z22; \
	VPADDD Z22, Z21, Z21; \
	VPUNPCKLQDQ Z21, Z20, Z22; \
	VPUNPCKHQDQ Z21, Z20, Z23; \
	VPADDD Z23, Z22, Z22; \
	VPERMD Z22, Z30, Z22

// VNNI_SCALE adds the 16 block products to the accumulator Z29: D (Z22)
// plus the offset correction, converted exactly, times S = ws·xs (Z23,
// exact: see Q8Tier), one rounding each (the fused multiply-add).
#define VNNI_SCALE \
	VPADDD (R14)(AX*1), Z22, Z22; \
	VCVTDQ2PS Z22, Z22; \
	VMULPS (R13)(AX*1), Z23, Z23; \
	VFMADD231PS Z23, Z22, Z29

// func q8MatVecVNNI(rows, nb int, w *int8, ws *F16, x *int8, xs *float32, corr *int32, tail *[9]uint64, y *float32)
//
// Register use: R8 rows left, R9 nb, R10 the weight row, R11 its scales,
// R12 x, R13 xs, R14 corr, R15 the tail masks, DI y; per row SI, BX, DX
// walk the weights, scales and codes, AX the byte offset of the group in
// xs and corr, CX counts groups. Z31 holds 0x80 bytes, Z30 the block
// permutation, Z29 the row's 16 float32 chains.
TEXT ·q8MatVecVNNI(SB), NOSPLIT, $24-72
	MOVQ rows+0(FP), R8
	MOVQ nb+8(FP), R9
	MOVQ w+16(FP), R10
	MOVQ ws+24(FP), R11
	MOVQ x+32(FP), R12
	MOVQ xs+40(FP), R13
	MOVQ corr+48(FP), R14
	MOVQ tail+56(FP), R15
	MOVQ y+64(FP), DI
	MOVL $0x80808080, AX
	VPBROADCASTD AX, Z31
	VMOVDQU32 ·q8TreePerm(SB), Z30
	TESTQ R8, R8
	JEQ  mvDone
	Q8_SECOND_STREAM

mvRow:
	MOVQ R10, SI
	MOVQ R11, BX
	MOVQ R12, DX
	XORQ AX, AX
	VPXORD Z29, Z29, Z29
	MOVQ R9, CX
	SHRQ $4, CX
	JEQ  mvTail

mvGroup:
	VNNI_CHUNK(0, 0, Z0, Z8)
	VNNI_CHUNK(64, 64, Z1, Z9)
	VNNI_CHUNK(128, 128, Z2, Z10)
	VNNI_CHUNK(192, 192, Z3, Z11)
	VNNI_CHUNK(256, 256, Z4, Z12)
	VNNI_CHUNK(320, 320, Z5, Z13)
	VNNI_CHUNK(384, 384, Z6, Z14)
	VNNI_CHUNK(448, 448, Z7, Z15)
	VNNI_TREE
	VCVTPH2PS (BX), Z23
	VNNI_SCALE
	ADDQ $512, SI
	ADDQ $512, DX
	ADDQ $32, BX
	ADDQ $64, AX
	DECQ CX
	JNE  mvGroup

mvTail:
	// nb%16 blocks left: the same sums on masked loads (tail[8] holds
	// the mask of the scales, tail[c] that of chunk c's bytes).
	MOVQ R9, CX
	ANDQ $15, CX
	JEQ  mvSum
	VNNI_CHUNK_MASKED(0, 0, Z0, Z8)
	VNNI_CHUNK_MASKED(64, 8, Z1, Z9)
	VNNI_CHUNK_MASKED(128, 16, Z2, Z10)
	VNNI_CHUNK_MASKED(192, 24, Z3, Z11)
	VNNI_CHUNK_MASKED(256, 32, Z4, Z12)
	VNNI_CHUNK_MASKED(320, 40, Z5, Z13)
	VNNI_CHUNK_MASKED(384, 48, Z6, Z14)
	VNNI_CHUNK_MASKED(448, 56, Z7, Z15)
	VNNI_TREE
	KMOVW 64(R15), K1
	VMOVDQU16.Z (BX), K1, Y23
	VCVTPH2PS Y23, Z23
	VNNI_SCALE

mvSum:
	// The 16 chains into one, in a fixed tree.
	VEXTRACTF64X4 $1, Z29, Y0
	VADDPS Y0, Y29, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVHLPS X0, X0, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0
	VMOVSS X0, (DI)
	Q8_NEXT_ROW
	DECQ R8
	JNE  mvRow

mvDone:
	VZEROUPPER
	RET

// q8TreePerm is VNNI_TREE's permutation: dword b of the result is dword
// 4(b%4) + b/4 of the interleaved sums.
DATA ·q8TreePerm+0(SB)/4, $0
DATA ·q8TreePerm+4(SB)/4, $4
DATA ·q8TreePerm+8(SB)/4, $8
DATA ·q8TreePerm+12(SB)/4, $12
DATA ·q8TreePerm+16(SB)/4, $1
DATA ·q8TreePerm+20(SB)/4, $5
DATA ·q8TreePerm+24(SB)/4, $9
DATA ·q8TreePerm+28(SB)/4, $13
DATA ·q8TreePerm+32(SB)/4, $2
DATA ·q8TreePerm+36(SB)/4, $6
DATA ·q8TreePerm+40(SB)/4, $10
DATA ·q8TreePerm+44(SB)/4, $14
DATA ·q8TreePerm+48(SB)/4, $3
DATA ·q8TreePerm+52(SB)/4, $7
DATA ·q8TreePerm+56(SB)/4, $11
DATA ·q8TreePerm+60(SB)/4, $15
GLOBL ·q8TreePerm(SB), RODATA|NOPTR, $64

// ---------------------------------------------------------------------
// avx512vnni prefill: the B packer and the 6×32 tile.

// TRANSPOSE16 transposes the 16×16 dwords in Z0-Z15 (row r in Zr) in
// place, through Z16-Z31: afterwards Zk holds dword k of every row. The
// rows are interleaved by dwords, then by qwords, so that Z(4g+e) holds
// dword e of each 128-bit lane of rows 4g..4g+3; a 4×4 transpose of
// 128-bit lanes across Z(e), Z(4+e), Z(8+e), Z(12+e) finishes it.
#define T16_LANES(a, b, c, d) \
	VSHUFI32X4 $0x44, b, a, Z16; \
	VSHUFI32X4 $0xee, b, a, Z17; \
	VSHUFI32X4 $0x44, d, c, Z18; \
	VSHUFI32X4 $0xee, d, c, Z19; \
	VSHUFI32X4 $0x88, Z18, Z16, a; \
	VSHUFI32X4 $0xdd, Z18, Z16, b; \
	VSHUFI32X4 $0x88, Z19, Z17, c; \
	VSHUFI32X4 $0xdd, Z19, Z17, d

#define TRANSPOSE16 \
	VPUNPCKLDQ Z1, Z0, Z16; \
	VPUNPCKHDQ Z1, Z0, Z17; \
	VPUNPCKLDQ Z3, Z2, Z18; \
	VPUNPCKHDQ Z3, Z2, Z19; \
	VPUNPCKLDQ Z5, Z4, Z20; \
	VPUNPCKHDQ Z5, Z4, Z21; \
	VPUNPCKLDQ Z7, Z6, Z22; \
	VPUNPCKHDQ Z7, Z6, Z23; \
	VPUNPCKLDQ Z9, Z8, Z24; \
	VPUNPCKHDQ Z9, Z8, Z25; \
	VPUNPCKLDQ Z11, Z10, Z26; \
	VPUNPCKHDQ Z11, Z10, Z27; \
	VPUNPCKLDQ Z13, Z12, Z28; \
	VPUNPCKHDQ Z13, Z12, Z29; \
	VPUNPCKLDQ Z15, Z14, Z30; \
	VPUNPCKHDQ Z15, Z14, Z31; \
	VPUNPCKLQDQ Z18, Z16, Z0; \
	VPUNPCKHQDQ Z18, Z16, Z1; \
	VPUNPCKLQDQ Z19, Z17, Z2; \
	VPUNPCKHQDQ Z19, Z17, Z3; \
	VPUNPCKLQDQ Z22, Z20, Z4; \
	VPUNPCKHQDQ Z22, Z20, Z5; \
	VPUNPCKLQDQ Z23, Z21, Z6; \
	VPUNPCKHQDQ Z23, Z21, Z7; \
	VPUNPCKLQDQ Z26, Z24, Z8; \
	VPUNPCKHQDQ Z26, Z24, Z9; \
	VPUNPCKLQDQ Z27, Z25, Z10; \
	VPUNPCKHQDQ Z27, Z25, Z11; \
	VPUNPCKLQDQ Z30, Z28, Z12; \
	VPUNPCKHQDQ Z30, Z28, Z13; \
	VPUNPCKLQDQ Z31, Z29, Z14; \
	VPUNPCKHQDQ Z31, Z29, Z15; \
	T16_LANES(Z0, Z4, Z8, Z12); \
	T16_LANES(Z1, Z5, Z9, Z13); \
	T16_LANES(Z2, Z6, Z10, Z14); \
	T16_LANES(Z3, Z7, Z11, Z15)

// PACK_LOAD loads row r's bytes (mask K1) at offset DX of its pointer,
// entry r of the table at SI.
#define PACK_LOAD(r, z) \
	MOVQ (r*8)(SI), AX; \
	VMOVDQU8.Z (AX)(DX*1), K1, z

// PACK_STORE stores group vector z, the lanes of valid rows (K2) xor the
// bias (Z16) and the others zero, at off(DI).
#define PACK_STORE(z, off) \
	VPXORD.Z Z16, z, K2, z; \
	VMOVDQU32 z, off(DI)

// PACK_LOAD_WS loads row r's scales (mask K1) as float32 into z.
#define PACK_LOAD_WS(r, y, z) \
	MOVQ (r*8)(SI), AX; \
	VMOVDQU16.Z (AX), K1, y; \
	VCVTPH2PS y, z

// PACK_WS stores the scales of block b (z), zero for invalid rows, unless
// b is past the last block.
#define PACK_WS(b, z) \
	CMPQ CX, $b; \
	JBE  packDone; \
	VMOVDQU32.Z z, K2, z; \
	VMOVDQU32 z, (b*1152+1024)(DI)

// func q8PackBVNNI(dst *byte, codes *[16]*int8, scales *[16]*F16, blocks, lanes int, bias uint32)
//
// Packs 16 weight rows of blocks (1 to 16) blocks for the tile: row r's
// codes start at codes[r], its scales at scales[r]. Block b of the sliver
// starts at dst + 1152·b: 8 groups of 128 bytes, then 128 bytes of
// scales; this half of the sliver writes the first 64 bytes of each (dst
// points 64 bytes in for the other half): group g holds, for each row, its
// 4 codes 4g..4g+3 of the block xor bias (0x80808080 for VPDPBUSD, which
// reads them as codes plus 128 unsigned; 0 for AMX's signed TDPBSSD), and
// the scales are float32. Rows whose bit in lanes is clear are written as
// zero codes and scales (they add nothing whatever they meet).
TEXT ·q8PackBVNNI(SB), NOSPLIT, $0-44
	MOVQ dst+0(FP), DI
	MOVQ codes+8(FP), SI
	MOVQ blocks+24(FP), CX
	MOVQ lanes+32(FP), AX
	KMOVW AX, K2
	XORQ DX, DX          // byte offset of the block pair in each row

packPair:
	// Two blocks of every row, or one: 64 bytes or 32.
	MOVQ $-1, AX
	CMPQ CX, $2
	JAE  packFull
	MOVL $0xffffffff, AX

packFull:
	KMOVQ AX, K1
	PACK_LOAD(0, Z0)
	PACK_LOAD(1, Z1)
	PACK_LOAD(2, Z2)
	PACK_LOAD(3, Z3)
	PACK_LOAD(4, Z4)
	PACK_LOAD(5, Z5)
	PACK_LOAD(6, Z6)
	PACK_LOAD(7, Z7)
	PACK_LOAD(8, Z8)
	PACK_LOAD(9, Z9)
	PACK_LOAD(10, Z10)
	PACK_LOAD(11, Z11)
	PACK_LOAD(12, Z12)
	PACK_LOAD(13, Z13)
	PACK_LOAD(14, Z14)
	PACK_LOAD(15, Z15)
	TRANSPOSE16
	MOVL bias+40(FP), AX
	VPBROADCASTD AX, Z16
	PACK_STORE(Z0, 0)
	PACK_STORE(Z1, 128)
	PACK_STORE(Z2, 256)
	PACK_STORE(Z3, 384)
	PACK_STORE(Z4, 512)
	PACK_STORE(Z5, 640)
	PACK_STORE(Z6, 768)
	PACK_STORE(Z7, 896)
	CMPQ CX, $2
	JB   packCodesDone
	PACK_STORE(Z8, 1152)
	PACK_STORE(Z9, 1280)
	PACK_STORE(Z10, 1408)
	PACK_STORE(Z11, 1536)
	PACK_STORE(Z12, 1664)
	PACK_STORE(Z13, 1792)
	PACK_STORE(Z14, 1920)
	PACK_STORE(Z15, 2048)
	ADDQ $2304, DI
	ADDQ $64, DX
	SUBQ $2, CX
	JNE  packPair
	JMP  packScales

packCodesDone:
	ADDQ $1152, DI

packScales:
	// Back to block 0, then the scales: row r's blocks (mask K1) as
	// float32 in Zr, transposed so that Zb holds block b's.
	MOVQ dst+0(FP), DI
	MOVQ scales+16(FP), SI
	MOVQ blocks+24(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	XORQ DX, DX
	PACK_LOAD_WS(0, Y0, Z0)
	PACK_LOAD_WS(1, Y1, Z1)
	PACK_LOAD_WS(2, Y2, Z2)
	PACK_LOAD_WS(3, Y3, Z3)
	PACK_LOAD_WS(4, Y4, Z4)
	PACK_LOAD_WS(5, Y5, Z5)
	PACK_LOAD_WS(6, Y6, Z6)
	PACK_LOAD_WS(7, Y7, Z7)
	PACK_LOAD_WS(8, Y8, Z8)
	PACK_LOAD_WS(9, Y9, Z9)
	PACK_LOAD_WS(10, Y10, Z10)
	PACK_LOAD_WS(11, Y11, Z11)
	PACK_LOAD_WS(12, Y12, Z12)
	PACK_LOAD_WS(13, Y13, Z13)
	PACK_LOAD_WS(14, Y14, Z14)
	PACK_LOAD_WS(15, Y15, Z15)
	TRANSPOSE16
	PACK_WS(0, Z0)
	PACK_WS(1, Z1)
	PACK_WS(2, Z2)
	PACK_WS(3, Z3)
	PACK_WS(4, Z4)
	PACK_WS(5, Z5)
	PACK_WS(6, Z6)
	PACK_WS(7, Z7)
	PACK_WS(8, Z8)
	PACK_WS(9, Z9)
	PACK_WS(10, Z10)
	PACK_WS(11, Z11)
	PACK_WS(12, Z12)
	PACK_WS(13, Z13)
	PACK_WS(14, Z14)
	PACK_WS(15, Z15)

packDone:
	VZEROUPPER
	RET

// TILE_INIT starts a token's two int32 accumulators at the -128·Σx of its
// block (broadcast loads, which take no vector port).
#define TILE_INIT(c, z0, z1) \
	VPBROADCASTD c, z0; \
	VPBROADCASTD c, z1

// TILE_DOT adds a token's 4 codes (broadcast into bz) times the group's
// 32 weight rows (Z24, Z25) to its accumulators.
#define TILE_DOT(x, bz, a0, a1) \
	VPBROADCASTD x, bz; \
	VPDPBUSD bz, Z24, a0; \
	VPDPBUSD bz, Z25, a1

// TILE_GROUP is group g (4 codes) of the block for all six tokens.
#define TILE_GROUP(g) \
	VMOVDQU32 (g*128)(SI), Z24; \
	VMOVDQU32 (g*128+64)(SI), Z25; \
	TILE_DOT((g*4)(AX), Z26, Z0, Z1); \
	TILE_DOT((g*4)(AX)(R8*1), Z27, Z2, Z3); \
	TILE_DOT((g*4)(AX)(R8*2), Z26, Z4, Z5); \
	TILE_DOT((g*4)(BX), Z27, Z6, Z7); \
	TILE_DOT((g*4)(BX)(R8*1), Z26, Z8, Z9); \
	TILE_DOT((g*4)(BX)(R8*2), Z27, Z10, Z11)

// TILE_SCALE adds a token's block products to its float32 accumulators:
// S = xs (broadcast) times the rows' ws (Z24, Z25), exact; D converted,
// exactly; one fused multiply-add each.
#define TILE_SCALE(xs, a0, a1, f0, f1) \
	VBROADCASTSS xs, Z26; \
	VMULPS Z26, Z24, Z27; \
	VCVTDQ2PS a0, a0; \
	VFMADD231PS Z27, a0, f0; \
	VMULPS Z26, Z25, Z28; \
	VCVTDQ2PS a1, a1; \
	VFMADD231PS Z28, a1, f1

// TILE_YROW loads (op = TILE_LOADY) or stores (TILE_STOREY) a token's
// 32 outputs at off(base) ... through the column masks K1, K2, skipping
// tokens from R14 on.
#define TILE_LOADY(addr, addr64, f0, f1) \
	VMOVUPS.Z addr, K1, f0; \
	VMOVUPS.Z addr64, K2, f1

#define TILE_STOREY(addr, addr64, f0, f1) \
	VMOVUPS f0, K1, addr; \
	VMOVUPS f1, K2, addr64

#define TILE_YROWS(op, label) \
	op((DI), 64(DI), Z12, Z13); \
	CMPQ R14, $1; \
	JLE  label; \
	op((DI)(R11*1), 64(DI)(R11*1), Z14, Z15); \
	CMPQ R14, $2; \
	JLE  label; \
	op((DI)(R11*2), 64(DI)(R11*2), Z16, Z17); \
	CMPQ R14, $3; \
	JLE  label; \
	op((R15), 64(R15), Z18, Z19); \
	CMPQ R14, $4; \
	JLE  label; \
	op((R15)(R11*1), 64(R15)(R11*1), Z20, Z21); \
	CMPQ R14, $5; \
	JLE  label; \
	op((R15)(R11*2), 64(R15)(R11*2), Z22, Z23); \
label:

// func q8TileVNNI(blocks int, x *int8, ldx int, xs *float32, corr *int32, ldp int, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch)
//
// The 6×32 tile: tokens t = 0..5 (codes at x + t·ldx, block scales and
// corrections at xs, corr + t·ldp·4 bytes) through a packed weight sliver
// of 32 rows, blocks blocks (see q8PackBVNNI), into y + t·ldy (floats):
// the first rows tokens and cols columns are stored, starting from what y
// holds when load is 1, from zero otherwise.
//
// Register use: Z0-Z11 int32 block sums (token t in Z(2t), Z(2t+1)),
// Z12-Z23 float32 sums, Z24-Z25 the weights of a group, then their
// scales, Z26-Z28 broadcasts and products. AX and BX are tokens 0 and 3
// of x (R8 ldx), CX and R10 of xs, R12 and R13 of corr (R9 ldp in
// bytes), SI the sliver, DX counts blocks; DI and R15 are tokens 0 and 3
// of y (R11 ldy in bytes), R14 the tokens to store.
TEXT ·q8TileVNNI(SB), NOSPLIT, $0-112
	Q8_PREFETCH(pf_codes+96(FP), pf_scales+104(FP), AX, vnniPf1, vnniPf2)
	// The next tile's outputs, 6 rows below, into L1.
	MOVQ y+56(FP), AX
	MOVQ ldy+64(FP), BX
	SHLQ $2, BX
	LEAQ (BX)(BX*2), CX
	LEAQ (AX)(CX*2), AX
	PREFETCHT0 (AX)
	PREFETCHT0 64(AX)
	PREFETCHT0 (AX)(BX*1)
	PREFETCHT0 64(AX)(BX*1)
	PREFETCHT0 (AX)(BX*2)
	PREFETCHT0 64(AX)(BX*2)
	ADDQ CX, AX
	PREFETCHT0 (AX)
	PREFETCHT0 64(AX)
	PREFETCHT0 (AX)(BX*1)
	PREFETCHT0 64(AX)(BX*1)
	PREFETCHT0 (AX)(BX*2)
	PREFETCHT0 64(AX)(BX*2)
	MOVQ blocks+0(FP), DX
	MOVQ x+8(FP), AX
	MOVQ ldx+16(FP), R8
	MOVQ xs+24(FP), CX
	MOVQ corr+32(FP), R12
	MOVQ ldp+40(FP), R9
	SHLQ $2, R9
	MOVQ b+48(FP), SI
	MOVQ y+56(FP), DI
	MOVQ ldy+64(FP), R11
	SHLQ $2, R11
	MOVQ rows+72(FP), R14
	LEAQ (AX)(R8*2), BX
	ADDQ R8, BX
	LEAQ (CX)(R9*2), R10
	ADDQ R9, R10
	LEAQ (R12)(R9*2), R13
	ADDQ R9, R13
	LEAQ (DI)(R11*2), R15
	ADDQ R11, R15
	// The column masks: cols (1 to 32) lanes.
	MOVQ cols+80(FP), CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1
	SHRQ $16, AX
	KMOVW AX, K2
	MOVQ x+8(FP), AX
	MOVQ xs+24(FP), CX
	VPXORD Z12, Z12, Z12
	VMOVDQA64 Z12, Z13
	VMOVDQA64 Z12, Z14
	VMOVDQA64 Z12, Z15
	VMOVDQA64 Z12, Z16
	VMOVDQA64 Z12, Z17
	VMOVDQA64 Z12, Z18
	VMOVDQA64 Z12, Z19
	VMOVDQA64 Z12, Z20
	VMOVDQA64 Z12, Z21
	VMOVDQA64 Z12, Z22
	VMOVDQA64 Z12, Z23
	CMPQ load+88(FP), $0
	JEQ  tileStart
	TILE_YROWS(TILE_LOADY, tileLoaded)

tileStart:
	// R15 walks the next tile's codes, which follow this one's (6·ldx
	// bytes), 3 lines a block: 48 lines, all of them, by the last block.
	LEAQ (R8)(R8*2), R15
	LEAQ (AX)(R15*2), R15

tileBlock:
	PREFETCHT0 (R15)
	PREFETCHT0 64(R15)
	PREFETCHT0 128(R15)
	ADDQ $192, R15
	TILE_INIT((R12), Z0, Z1)
	TILE_INIT((R12)(R9*1), Z2, Z3)
	TILE_INIT((R12)(R9*2), Z4, Z5)
	TILE_INIT((R13), Z6, Z7)
	TILE_INIT((R13)(R9*1), Z8, Z9)
	TILE_INIT((R13)(R9*2), Z10, Z11)
	TILE_GROUP(0)
	TILE_GROUP(1)
	TILE_GROUP(2)
	TILE_GROUP(3)
	TILE_GROUP(4)
	TILE_GROUP(5)
	TILE_GROUP(6)
	TILE_GROUP(7)
	VMOVUPS 1024(SI), Z24
	VMOVUPS 1088(SI), Z25
	TILE_SCALE((CX), Z0, Z1, Z12, Z13)
	TILE_SCALE((CX)(R9*1), Z2, Z3, Z14, Z15)
	TILE_SCALE((CX)(R9*2), Z4, Z5, Z16, Z17)
	TILE_SCALE((R10), Z6, Z7, Z18, Z19)
	TILE_SCALE((R10)(R9*1), Z8, Z9, Z20, Z21)
	TILE_SCALE((R10)(R9*2), Z10, Z11, Z22, Z23)
	ADDQ $32, AX
	ADDQ $32, BX
	ADDQ $4, CX
	ADDQ $4, R10
	ADDQ $4, R12
	ADDQ $4, R13
	ADDQ $1152, SI
	DECQ DX
	JNE  tileBlock

	LEAQ (DI)(R11*2), R15
	ADDQ R11, R15
	TILE_YROWS(TILE_STOREY, tileStored)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------
// avx2.

// func q8WidenAVX2(dst *int16, src *int8, n int)
//
// dst[i] = src[i] for i < n, n a multiple of 32.
TEXT ·q8WidenAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $5, CX
	JEQ  widenDone

widenLoop:
	VPMOVSXBW (SI), Y0
	VPMOVSXBW 16(SI), Y1
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	ADDQ $32, SI
	ADDQ $64, DI
	DECQ CX
	JNE  widenLoop

widenDone:
	VZEROUPPER
	RET

// Q8_HALF_TO_FLOAT converts the 8 halves, zero-extended, in the dwords of
// h to float32 in h, exactly, with integer operations (the avx2 set has
// no F16C), through t0-t3. With e = h & 0x7fff: a normal half is the
// float with bits e<<13 + (127-15)<<23; Inf and NaN (e > 0x7bff) are
// e<<13 with the exponent all ones; a subnormal one (e < 0x400) is e
// times 2⁻²⁴, which VCVTDQ2PS and a multiply by a power of two give
// exactly. The sign goes back in last.
#define Q8_HALF_TO_FLOAT(h, t0, t1, t2, t3) \
	VPAND ·q8HalfConst+0(SB), h, t0; \
	VPXOR t0, h, h; \
	VPSLLD $16, h, h; \
	VPSLLD $13, t0, t1; \
	VPADDD ·q8HalfConst+32(SB), t1, t2; \
	VPOR ·q8HalfConst+96(SB), t1, t1; \
	VPCMPGTD ·q8HalfConst+64(SB), t0, t3; \
	VPBLENDVB t3, t1, t2, t2; \
	VCVTDQ2PS t0, t1; \
	VMULPS ·q8HalfConst+128(SB), t1, t1; \
	VPCMPGTD ·q8HalfConst+160(SB), t0, t3; \
	VPBLENDVB t3, t2, t1, t2; \
	VPOR t2, h, h

// The constants of Q8_HALF_TO_FLOAT, 8 dwords each: 0x7fff, the exponent
// rebias, the largest finite half's bits, the Inf exponent, 2⁻²⁴, the
// largest subnormal half's bits.
DATA ·q8HalfConst+0(SB)/8, $0x00007fff00007fff
DATA ·q8HalfConst+8(SB)/8, $0x00007fff00007fff
DATA ·q8HalfConst+16(SB)/8, $0x00007fff00007fff
DATA ·q8HalfConst+24(SB)/8, $0x00007fff00007fff
DATA ·q8HalfConst+32(SB)/8, $0x3800000038000000
DATA ·q8HalfConst+40(SB)/8, $0x3800000038000000
DATA ·q8HalfConst+48(SB)/8, $0x3800000038000000
DATA ·q8HalfConst+56(SB)/8, $0x3800000038000000
DATA ·q8HalfConst+64(SB)/8, $0x00007bff00007bff
DATA ·q8HalfConst+72(SB)/8, $0x00007bff00007bff
DATA ·q8HalfConst+80(SB)/8, $0x00007bff00007bff
DATA ·q8HalfConst+88(SB)/8, $0x00007bff00007bff
DATA ·q8HalfConst+96(SB)/8, $0x7f8000007f800000
DATA ·q8HalfConst+104(SB)/8, $0x7f8000007f800000
DATA ·q8HalfConst+112(SB)/8, $0x7f8000007f800000
DATA ·q8HalfConst+120(SB)/8, $0x7f8000007f800000
DATA ·q8HalfConst+128(SB)/8, $0x3380000033800000
DATA ·q8HalfConst+136(SB)/8, $0x3380000033800000
DATA ·q8HalfConst+144(SB)/8, $0x3380000033800000
DATA ·q8HalfConst+152(SB)/8, $0x3380000033800000
DATA ·q8HalfConst+160(SB)/8, $0x000003ff000003ff
DATA ·q8HalfConst+168(SB)/8, $0x000003ff000003ff
DATA ·q8HalfConst+176(SB)/8, $0x000003ff000003ff
DATA ·q8HalfConst+184(SB)/8, $0x000003ff000003ff
GLOBL ·q8HalfConst(SB), RODATA|NOPTR, $192

// A2_BLOCK adds block i of the group (32 codes at SI + 32i, their widened
// activations at DX + 64i, S at 24+4i(SP)) to the accumulator acc: 8 lane
// partials of 4 products each, converted, times S.
#define A2_BLOCK(i, acc) \
	VPMOVSXBW (i*32)(SI), Y5; \
	VPMOVSXBW (i*32+16)(SI), Y6; \
	VPMADDWD (i*64)(DX), Y5, Y5; \
	VPMADDWD (i*64+32)(DX), Y6, Y6; \
	VPADDD Y6, Y5, Y5; \
	VCVTDQ2PS Y5, Y5; \
	VBROADCASTSS (i*4+24)(SP), Y7; \
	VFMADD231PS Y7, Y5, acc

// A2_INSERT puts half i of the tail's scales into word i of X4, unless
// the tail has fewer blocks (CX).
#define A2_INSERT(i) \
	CMPQ CX, $i; \
	JBE  a2Inserted; \
	MOVWLZX (i*2)(BX), R13; \
	VPINSRW $i, R13, X4, X4

// func q8MatVecAVX2(rows, nb int, w *int8, ws *F16, x *int16, xs *float32, y *float32)
//
// Register use: R8 rows left, R9 nb, R10 the weight row, R11 its scales,
// R12 x, R14 xs, DI y; per row SI, BX, DX walk the weights, scales and
// widened codes, AX the byte offset of the group in xs, CX counts groups.
// Y0-Y3 accumulate blocks 4j+i in Yi; S, the 8 blocks' ws·xs, is stored
// at 24(SP) for the broadcasts, after the second stream's pointers.
TEXT ·q8MatVecAVX2(SB), NOSPLIT, $56-56
	MOVQ rows+0(FP), R8
	MOVQ nb+8(FP), R9
	MOVQ w+16(FP), R10
	MOVQ ws+24(FP), R11
	MOVQ x+32(FP), R12
	MOVQ xs+40(FP), R14
	MOVQ y+48(FP), DI
	TESTQ R8, R8
	JEQ  a2Done
	Q8_SECOND_STREAM

a2Row:
	MOVQ R10, SI
	MOVQ R11, BX
	MOVQ R12, DX
	XORQ AX, AX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	MOVQ R9, CX
	SHRQ $3, CX
	JEQ  a2Tail

a2Group:
	PREFETCHT0 (Q8_PF2)(SI)
	PREFETCHT0 (Q8_PF2+64)(SI)
	PREFETCHT0 (Q8_PF2+128)(SI)
	PREFETCHT0 (Q8_PF2+192)(SI)
	VPMOVZXWD (BX), Y4
	Q8_HALF_TO_FLOAT(Y4, Y5, Y6, Y7, Y8)
	VMULPS (R14)(AX*1), Y4, Y4
	VMOVUPS Y4, 24(SP)
	A2_BLOCK(0, Y0)
	A2_BLOCK(1, Y1)
	A2_BLOCK(2, Y2)
	A2_BLOCK(3, Y3)
	A2_BLOCK(4, Y0)
	A2_BLOCK(5, Y1)
	A2_BLOCK(6, Y2)
	A2_BLOCK(7, Y3)
	ADDQ $256, SI
	ADDQ $512, DX
	ADDQ $16, BX
	ADDQ $32, AX
	DECQ CX
	JNE  a2Group

a2Tail:
	// nb%8 blocks left, all into Y0; their scales one by one.
	MOVQ R9, CX
	ANDQ $7, CX
	JEQ  a2Sum
	VPXOR X4, X4, X4
	A2_INSERT(0)
	A2_INSERT(1)
	A2_INSERT(2)
	A2_INSERT(3)
	A2_INSERT(4)
	A2_INSERT(5)
	A2_INSERT(6)

a2Inserted:
	VPMOVZXWD X4, Y4
	Q8_HALF_TO_FLOAT(Y4, Y5, Y6, Y7, Y8)
	VMULPS (R14)(AX*1), Y4, Y4
	VMOVUPS Y4, 24(SP)
	XORQ R13, R13

a2TailBlock:
	VPMOVSXBW (SI), Y5
	VPMOVSXBW 16(SI), Y6
	VPMADDWD (DX), Y5, Y5
	VPMADDWD 32(DX), Y6, Y6
	VPADDD Y6, Y5, Y5
	VCVTDQ2PS Y5, Y5
	VBROADCASTSS 24(SP)(R13*4), Y7
	VFMADD231PS Y7, Y5, Y0
	ADDQ $32, SI
	ADDQ $64, DX
	INCQ R13
	CMPQ R13, CX
	JB   a2TailBlock

a2Sum:
	// The accumulators into one, then its lanes, in a fixed tree.
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVHLPS X0, X0, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0
	VMOVSS X0, (DI)
	Q8_NEXT_ROW
	DECQ R8
	JNE  a2Row

a2Done:
	VZEROUPPER
	RET

// func q8PackBAVX2(dst *byte, codes *[8]*int8, blocks, lanes int)
//
// Packs 8 weight rows of blocks blocks for the avx2 tile: block b of the
// sliver starts at dst + 1088·b and holds 16 groups of 64 bytes, one per
// pair of codes; this half of the sliver writes the first 32 bytes of each
// group (dst points 32 bytes in for the other half): the 8 rows' pairs as
// int16. Per 16 codes of the 8 rows: VPMOVSXBW widens each row's to 8
// pairs (dwords), and an 8×8 dword transpose puts each pair of the 8 rows
// in one vector. Rows whose bit in lanes is clear are written as zeros.
TEXT ·q8PackBAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ codes+8(FP), SI
	MOVQ blocks+16(FP), CX
	SHLQ $1, CX          // chunks of 16 codes
	MOVQ lanes+24(FP), R11
	XORQ DX, DX          // byte offset of the chunk in each row
	XORQ R9, R9          // chunk index

a2PackChunk:
	MOVQ 0(SI), AX
	VPMOVSXBW (AX)(DX*1), Y0
	MOVQ 8(SI), AX
	VPMOVSXBW (AX)(DX*1), Y1
	MOVQ 16(SI), AX
	VPMOVSXBW (AX)(DX*1), Y2
	MOVQ 24(SI), AX
	VPMOVSXBW (AX)(DX*1), Y3
	MOVQ 32(SI), AX
	VPMOVSXBW (AX)(DX*1), Y4
	MOVQ 40(SI), AX
	VPMOVSXBW (AX)(DX*1), Y5
	MOVQ 48(SI), AX
	VPMOVSXBW (AX)(DX*1), Y6
	MOVQ 56(SI), AX
	VPMOVSXBW (AX)(DX*1), Y7
	VPUNPCKLDQ Y1, Y0, Y8
	VPUNPCKHDQ Y1, Y0, Y9
	VPUNPCKLDQ Y3, Y2, Y10
	VPUNPCKHDQ Y3, Y2, Y11
	VPUNPCKLDQ Y5, Y4, Y12
	VPUNPCKHDQ Y5, Y4, Y13
	VPUNPCKLDQ Y7, Y6, Y14
	VPUNPCKHDQ Y7, Y6, Y15
	VPUNPCKLQDQ Y10, Y8, Y0
	VPUNPCKHQDQ Y10, Y8, Y1
	VPUNPCKLQDQ Y11, Y9, Y2
	VPUNPCKHQDQ Y11, Y9, Y3
	VPUNPCKLQDQ Y14, Y12, Y4
	VPUNPCKHQDQ Y14, Y12, Y5
	VPUNPCKLQDQ Y15, Y13, Y6
	VPUNPCKHQDQ Y15, Y13, Y7
	VPERM2I128 $0x20, Y4, Y0, Y8
	VPERM2I128 $0x20, Y5, Y1, Y9
	VPERM2I128 $0x20, Y6, Y2, Y10
	VPERM2I128 $0x20, Y7, Y3, Y11
	VPERM2I128 $0x31, Y4, Y0, Y12
	VPERM2I128 $0x31, Y5, Y1, Y13
	VPERM2I128 $0x31, Y6, Y2, Y14
	VPERM2I128 $0x31, Y7, Y3, Y15
	// Pairs 0-7 of the chunk, in Y8-Y15, to groups 8(R9%2).. of block
	// R9/2: offset 1088·(R9/2) + 512·(R9%2).
	MOVQ R9, AX
	SHRQ $1, AX
	IMULQ $1088, AX
	MOVQ R9, R10
	ANDQ $1, R10
	SHLQ $9, R10
	ADDQ R10, AX
	ADDQ DI, AX
	// The lane mask: dword i all ones when bit i of lanes is set.
	VMOVD R11, X0
	VPBROADCASTD X0, Y0
	VPAND ·q8LaneBits(SB), Y0, Y0
	VPCMPEQD ·q8LaneBits(SB), Y0, Y0
	VPAND Y0, Y8, Y8
	VPAND Y0, Y9, Y9
	VPAND Y0, Y10, Y10
	VPAND Y0, Y11, Y11
	VPAND Y0, Y12, Y12
	VPAND Y0, Y13, Y13
	VPAND Y0, Y14, Y14
	VPAND Y0, Y15, Y15
	VMOVDQU Y8, (AX)
	VMOVDQU Y9, 64(AX)
	VMOVDQU Y10, 128(AX)
	VMOVDQU Y11, 192(AX)
	VMOVDQU Y12, 256(AX)
	VMOVDQU Y13, 320(AX)
	VMOVDQU Y14, 384(AX)
	VMOVDQU Y15, 448(AX)
	ADDQ $16, DX
	INCQ R9
	CMPQ R9, CX
	JB   a2PackChunk
	VZEROUPPER
	RET

DATA ·q8LaneBits+0(SB)/8, $0x0000000200000001
DATA ·q8LaneBits+8(SB)/8, $0x0000000800000004
DATA ·q8LaneBits+16(SB)/8, $0x0000002000000010
DATA ·q8LaneBits+24(SB)/8, $0x0000008000000040
GLOBL ·q8LaneBits(SB), RODATA|NOPTR, $32

// q8ColMask holds 16 dwords of all ones, then 16 of zeros: the 8 dwords
// at 4(16-c) are the mask of the first c of 8 lanes (c <= 8), those at
// 4(24-c) of lanes 8.. of the first c (c <= 16).
DATA ·q8ColMask+0(SB)/8, $-1
DATA ·q8ColMask+8(SB)/8, $-1
DATA ·q8ColMask+16(SB)/8, $-1
DATA ·q8ColMask+24(SB)/8, $-1
DATA ·q8ColMask+32(SB)/8, $-1
DATA ·q8ColMask+40(SB)/8, $-1
DATA ·q8ColMask+48(SB)/8, $-1
DATA ·q8ColMask+56(SB)/8, $-1
DATA ·q8ColMask+64(SB)/8, $0
DATA ·q8ColMask+72(SB)/8, $0
DATA ·q8ColMask+80(SB)/8, $0
DATA ·q8ColMask+88(SB)/8, $0
DATA ·q8ColMask+96(SB)/8, $0
DATA ·q8ColMask+104(SB)/8, $0
DATA ·q8ColMask+112(SB)/8, $0
DATA ·q8ColMask+120(SB)/8, $0
GLOBL ·q8ColMask(SB), RODATA|NOPTR, $128

// A2_DOT adds a token's pair of codes (at x, broadcast) times the pair of
// each of the 16 rows (Y12, Y13) to its accumulators, through Y15.
#define A2_DOT(x, a0, a1) \
	VPBROADCASTD x, Y14; \
	VPMADDWD Y14, Y12, Y15; \
	VPADDD Y15, a0, a0; \
	VPMADDWD Y14, Y13, Y15; \
	VPADDD Y15, a1, a1

// A2_PAIR is pair p (codes 2p, 2p+1) of the block for the three tokens,
// whose widened codes are 1024 bytes apart.
#define A2_PAIR(p) \
	VMOVDQU (p*64)(SI), Y12; \
	VMOVDQU (p*64+32)(SI), Y13; \
	A2_DOT((p*4)(AX), Y0, Y1); \
	A2_DOT((p*4+1024)(AX), Y2, Y3); \
	A2_DOT((p*4+2048)(AX), Y4, Y5)

// A2_SCALE adds a token's block products to its float32 accumulators:
// S = xs (broadcast) times the rows' ws (Y12, Y13), exact; D converted
// exactly; one fused multiply-add each.
#define A2_SCALE(xs, a0, a1, f0, f1) \
	VBROADCASTSS xs, Y14; \
	VMULPS Y14, Y12, Y15; \
	VCVTDQ2PS a0, a0; \
	VFMADD231PS Y15, a0, f0; \
	VMULPS Y14, Y13, Y15; \
	VCVTDQ2PS a1, a1; \
	VFMADD231PS Y15, a1, f1

// A2_LOADY and A2_STOREY move a token's 16 outputs through the column
// masks Y12, Y13.
#define A2_LOADY(addr, addr32, f0, f1) \
	VMASKMOVPS addr, Y12, f0; \
	VMASKMOVPS addr32, Y13, f1

#define A2_STOREY(addr, addr32, f0, f1) \
	VMASKMOVPS f0, Y12, addr; \
	VMASKMOVPS f1, Y13, addr32

// A2_YROWS applies op to the tokens' rows of y, up to R14 of them.
#define A2_YROWS(op, label) \
	op((DI), 32(DI), Y6, Y7); \
	CMPQ R14, $1; \
	JLE  label; \
	op((DI)(R11*1), 32(DI)(R11*1), Y8, Y9); \
	CMPQ R14, $2; \
	JLE  label; \
	op((DI)(R11*2), 32(DI)(R11*2), Y10, Y11); \
label:

// A2_COLMASKS loads the masks of the first cols (R15) of 16 columns into
// Y12, Y13 (see q8ColMask).
#define A2_COLMASKS \
	MOVQ $16, R13; \
	SUBQ R15, R13; \
	LEAQ ·q8ColMask(SB), R12; \
	VMOVDQU (R12)(R13*4), Y12; \
	VMOVDQU 32(R12)(R13*4), Y13

// func q8TileAVX2(blocks int, x *byte, xs *float32, corr *int32, b *byte, y *float32, ldy, rows, cols, load int, pf q8Prefetch)
//
// The 3×16 tile: tokens t = 0..2 (widened codes at x + 1024t bytes, 512
// a k block; block scales at xs + 64t bytes) through a packed sliver of 16
// weight rows (see q8PackBAVX2 and q8PackAVX2), blocks blocks, into y +
// t·ldy (floats): the first rows tokens and cols columns are stored,
// starting from what y holds when load is 1, from zero otherwise. corr is
// not read: the products are exact without an offset.
//
// Register use: Y0-Y5 int32 block sums (token t in Y(2t), Y(2t+1)),
// Y6-Y11 float32 sums, Y12-Y13 the rows' pairs of a group, then their
// scales, Y14 broadcasts, Y15 products. AX the codes, CX the scales, SI
// the sliver, DX counts blocks, DI y (R11 ldy in bytes), R14 the tokens
// to store, R15 the columns.
TEXT ·q8TileAVX2(SB), NOSPLIT, $0-96
	Q8_PREFETCH(pf_codes+80(FP), pf_scales+88(FP), AX, a2Pf1, a2Pf2)
	MOVQ blocks+0(FP), DX
	MOVQ x+8(FP), AX
	MOVQ xs+16(FP), CX
	MOVQ b+32(FP), SI
	MOVQ y+40(FP), DI
	MOVQ ldy+48(FP), R11
	SHLQ $2, R11
	MOVQ rows+56(FP), R14
	MOVQ cols+64(FP), R15
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	CMPQ load+72(FP), $0
	JEQ  a2TileBlock
	A2_COLMASKS
	A2_YROWS(A2_LOADY, a2Loaded)

a2TileBlock:
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	A2_PAIR(0)
	A2_PAIR(1)
	A2_PAIR(2)
	A2_PAIR(3)
	A2_PAIR(4)
	A2_PAIR(5)
	A2_PAIR(6)
	A2_PAIR(7)
	A2_PAIR(8)
	A2_PAIR(9)
	A2_PAIR(10)
	A2_PAIR(11)
	A2_PAIR(12)
	A2_PAIR(13)
	A2_PAIR(14)
	A2_PAIR(15)
	VMOVUPS 1024(SI), Y12
	VMOVUPS 1056(SI), Y13
	A2_SCALE((CX), Y0, Y1, Y6, Y7)
	A2_SCALE(64(CX), Y2, Y3, Y8, Y9)
	A2_SCALE(128(CX), Y4, Y5, Y10, Y11)
	ADDQ $64, AX
	ADDQ $4, CX
	ADDQ $1088, SI
	DECQ DX
	JNE  a2TileBlock

	A2_COLMASKS
	A2_YROWS(A2_STOREY, a2Stored)
	VZEROUPPER
	RET

// ---------------------------------------------------------------------
// amx prefill: 16 tokens by 32 weight rows a call, as two passes of 16
// rows, one 32-code block a step: TDPBSSD of the 16×32 tokens' codes by
// the block's 32×16 codes of the half (signed by signed, no offset) into
// a 16×16 int32 tile, stored, then scaled with AVX-512 into the 16
// tokens' float32 sums, Z0-Z15, as the vnni tile scales. Tile registers
// are not renamed: a TDPBSSD cannot reuse its tiles until the previous
// one has finished (about 50 cycles), so the blocks alternate between
// two sets of tiles, TMM0-2 and TMM3-5. A block's sums tile is stored
// after the next block's product is issued (a store right after its own
// product holds every tile instruction behind it until that product
// ends), and scaled a block later still, so that the vector loads do not
// read a tile store in flight: 7-8% faster than storing and scaling at
// once (benchstat, 5 alternated runs, 512 tokens through 2048×8192 and
// 8192×2048 weights). Four sums tiles (TMM6 and TMM7 as well), stored
// two blocks late, bought nothing more. What bounds it: on the
// development host (512 tokens by 2048×8192 weights, threads 1) the tile
// instructions alone ran at about 1,000 GOP/s and the scaling alone at
// about 900, but the two together at about 550, as if they barely
// overlapped; scaling before the next block's product rather than after
// it made no difference. Taking one part out at a time (builds that give
// wrong sums, for timing only: 512 tokens through 2048×8192 weights held
// in cache, threads 1, medians of 3 alternated runs) shows where a block
// goes. As it stands the tile runs at about 515 GOP/s, 99 cycles a 16×16
// block product; without the scaling 722 GOP/s (so the scaling costs about
// 29 cycles, near the 24 that its 48 vector operations need on two ports),
// without the tile stores 605, without TDPBSSD itself 589, without
// TILEZERO no faster. The product is a small share: the rest is the tile
// loads and stores, packing the weights (a sixth of the time, q8PackBVNNI
// in a CPU profile) and each pass's loads and stores of y, over only 16
// blocks. The two sides barely overlap, and memory is not what couples
// them: scaling from bytes no tile store writes was no faster. Scaling a
// block before storing the previous one's tile, reading A's tile from one
// cache line, and prefetching a whole row of the next sliver per tile (so
// that the 32 tiles of a 512-token prompt cover all 32 rows, not 16), made
// no measurable difference (a q8_0 prefill +2%, 4 alternated runs).
// BenchmarkAMXWithVector (./kernels) shows why there is little to win: on
// registers alone, four TDPBSSD at a block's depth took 20.9 ns (as long
// as at depth 64), the rescaling of their 64 rows 29.8 ns, and both in one
// loop 64.5 ns, longer than the sum (medians of 6 runs; a build that put
// each product amid the rescaling of 16 rows took as long). That is 1,015
// GOP/s for Q8_0 on this host's AMX before any load or store, 34% of
// GemmInt8 n = 1024 at threads 1 (2,988 GOP/s, the same sitting); this
// tile runs at 513 GOP/s on weights in cache, half of that ceiling. The
// AMX encodings (the Go assembler has no AMX mnemonics) were checked
// against llvm-mc -mattr=+amx-int8,+amx-tile; LDTILECFG_DI and TILERELEASE
// are amx_amd64.h's.

// func q8TilesAMX(cfg *[64]byte, blocks int, x *int8, xs *float32, b *byte, y *float32, ldy, m, cols, load int, scratch *byte, pf *q8Prefetches)
//
// The 16×32 tiles of m tokens (tile i's codes at x + 8192i, 512 a token
// and k block; its scales at xs + 1024i bytes, 64 a token) through a
// sliver of 32 weight rows packed with raw codes (q8PackBVNNI, bias 0),
// blocks blocks, into y + t·ldy for token t: cols columns are stored,
// starting from what y holds when load is 1, from zero otherwise. scratch
// holds the two sets' stored tiles (1 KiB each). Loading the tile
// configuration and releasing the tiles cost a few hundred cycles, so
// one call runs every token tile of the sliver; tile i prefetches its
// share of the next sliver (pf, as q8Prefetches.tile(i) gives it).
//
// Register use: AX the codes (BX their stride, 512), SI the sliver's half
// (CX its group stride, 128), R8, R9 the two stored tiles (R11 their
// stride, 64), R12 xs, R13 counts blocks, R14 the tile's tokens to store,
// R15 walks y's rows (R10 ldy in bytes), DX the half's column mask; the
// tile's codes, scales, outputs, tokens left and index at 0-32(SP).
TEXT ·q8TilesAMX(SB), NOSPLIT, $40-96
	MOVQ cfg+0(FP), DI
	LDTILECFG_DI
	MOVQ scratch+80(FP), R8
	LEAQ 1024(R8), R9
	MOVQ $512, BX
	MOVQ $64, R11
	MOVQ ldy+48(FP), R10
	SHLQ $2, R10
	MOVQ x+16(FP), AX
	MOVQ AX, 0(SP)
	MOVQ xs+24(FP), AX
	MOVQ AX, 8(SP)
	MOVQ y+40(FP), AX
	MOVQ AX, 16(SP)
	MOVQ m+56(FP), AX
	MOVQ AX, 24(SP)
	MOVQ $0, 32(SP)

amxTile:
	// Tile i's prefetches: chunk i of the next sliver's codes (row i/2,
	// 256 bytes from (i%2)·256) and row i's scales.
	MOVQ pf+88(FP), DI
	MOVQ 0(DI), AX
	TESTQ AX, AX
	JEQ  amxPfDone
	MOVQ 32(SP), CX
	MOVQ 16(DI), DX
	CMPQ CX, DX
	JAE  amxPfCodes
	MOVQ 32(DI), SI
	IMULQ CX, SI
	ADDQ 8(DI), SI
	PREFETCHT1 (SI)

amxPfCodes:
	SHLQ $1, DX
	CMPQ CX, DX
	JAE  amxPfDone
	MOVQ CX, SI
	SHRQ $1, SI
	IMULQ 24(DI), SI
	ADDQ SI, AX
	ANDQ $1, CX
	SHLQ $8, CX
	ADDQ CX, AX
	PREFETCHT1 (AX)
	PREFETCHT1 64(AX)
	PREFETCHT1 128(AX)
	PREFETCHT1 192(AX)

amxPfDone:
	// The column masks: cols (1 to 32) lanes, the first 16 in DX.
	MOVQ cols+64(FP), CX
	MOVQ $1, DI
	SHLQ CX, DI
	DECQ DI
	MOVQ $128, CX
	MOVQ DI, DX
	AMX_HALF(0, amxLd0, amxLoad0, amxSt0, amxA0, amxB0, amxLastA0, amxLastB0, amxScaled0, amxStored0)
	MOVQ cols+64(FP), CX
	CMPQ CX, $16
	JLE  amxNext
	MOVQ $1, DI
	SHLQ CX, DI
	DECQ DI
	MOVQ $128, CX
	MOVQ DI, DX
	SHRQ $16, DX
	AMX_HALF(1, amxLd1, amxLoad1, amxSt1, amxA1, amxB1, amxLastA1, amxLastB1, amxScaled1, amxStored1)

amxNext:
	ADDQ $8192, 0(SP)
	ADDQ $1024, 8(SP)
	MOVQ R10, AX
	SHLQ $4, AX
	ADDQ AX, 16(SP)
	INCQ 32(SP)
	SUBQ $16, 24(SP)
	CMPQ 24(SP), $0
	JG   amxTile

amxDone:
	TILERELEASE
	VZEROUPPER
	RET
