//go:build gc && !purego && !noasm

#include "textflag.h"
#include "transpose_amd64.h"

// Packing for the GemmBF16 tiers (see bf16Gemm): A and B from row-major
// bf16 into the pair slivers gemmTile12x32BF16 reads, and widened to fp32
// for the fp32 tiers.

// WIDEN_CHUNK widens one chunk of bf16 at AX, two vectors r0, r1 of fp32
// (w bytes each, from w/2 bytes of bf16 each), to DI with the move mov,
// and moves AX and DI to the next chunk.
#define WIDEN_CHUNK(mov, half, w, r0, r1) \
	VPMOVZXWD 0(AX), r0; \
	VPMOVZXWD half(AX), r1; \
	VPSLLD $16, r0, r0; \
	VPSLLD $16, r1, r1; \
	mov r0, 0(DI); \
	mov r1, w(DI); \
	ADDQ $w, AX; \
	ADDQ DX, DI

// func pack12x16PairsAVX512(dst *uint32, a *BF16, stride, blocks int)
//
// Packs 12 rows of A, stride bytes apart, into an A sliver of bf16 pairs,
// 16 pairs (32 k) at a time: dst[q*12+i] is the 32 bits at
// a + i*stride + 4q for q < 16*blocks. A pair is 32 bits, so this is
// pack12x16AVX512's 12×16 transpose of 32-bit values (pack_amd64.s),
// with the row stride in bytes, since a bf16 row of odd length does not
// start on a 32-bit boundary.
TEXT ·pack12x16PairsAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), AX
	MOVQ stride+16(FP), R8
	TRANSPOSE12_PTRS
	MOVQ blocks+24(FP), DX
	TRANSPOSE12_PS_BLOCKS

// func interleaveRowsAVX512(dst *uint32, r0, r1 *BF16, slivers, step int)
//
// Packs 32 columns of two rows of B, r0 (k = 2q) and r1 (k = 2q+1), as one
// k step of each of slivers B slivers, step bytes apart: 32-bit word j of
// sliver s is r0[32s+j] | r1[32s+j]<<16. Zero-extending each 16 columns to
// 32 bits and shifting r1's up by 16 is four instructions for 16 words,
// with the loads folded in; the stores, not these, bound it.
TEXT ·interleaveRowsAVX512(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ r0+8(FP), AX
	MOVQ r1+16(FP), BX
	MOVQ slivers+24(FP), CX
	MOVQ step+32(FP), DX
	TESTQ CX, CX
	JEQ  ildone

illoop:
	VPMOVZXWD 0(AX), Z0
	VPMOVZXWD 32(AX), Z1
	VPMOVZXWD 0(BX), Z2
	VPMOVZXWD 32(BX), Z3
	VPSLLD $16, Z2, Z2
	VPSLLD $16, Z3, Z3
	VPORD Z2, Z0, Z0
	VPORD Z3, Z1, Z1
	VMOVDQU32 Z0, 0(DI)
	VMOVDQU32 Z1, 64(DI)
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ DX, DI
	DECQ CX
	JNE  illoop

ildone:
	VZEROUPPER
	RET

// func widen32AVX512(dst *uint32, src *BF16, chunks, step int)
//
// Widens chunks runs of 32 bf16 at src, consecutive, to fp32 at dst, step
// bytes apart: zero-extend to 32 bits, shift left by 16.
TEXT ·widen32AVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), AX
	MOVQ chunks+16(FP), CX
	MOVQ step+24(FP), DX
	TESTQ CX, CX
	JEQ  w32done

w32loop:
	WIDEN_CHUNK(VMOVDQU32, 32, 64, Z0, Z1)
	DECQ CX
	JNE  w32loop

w32done:
	VZEROUPPER
	RET

// func widen16AVX2(dst *uint32, src *BF16, chunks, step int)
//
// is widen32AVX512 for the AVX2 tile's 16-column slivers, in AVX2.
TEXT ·widen16AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), AX
	MOVQ chunks+16(FP), CX
	MOVQ step+24(FP), DX
	TESTQ CX, CX
	JEQ  w16done

w16loop:
	WIDEN_CHUNK(VMOVDQU, 16, 32, Y0, Y1)
	DECQ CX
	JNE  w16loop

w16done:
	VZEROUPPER
	RET
