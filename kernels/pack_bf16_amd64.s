//go:build gc && !purego && !noasm

#include "textflag.h"

// Packing for the GemmBF16 tiers (see bf16Gemm): A and B from row-major
// bf16 into the pair slivers gemmTile12x32BF16 reads, and widened to fp32
// for the fp32 tiers.

// LANES stores k = 4L+e for the 128-bit lanes L of u0, u4, u8 (element e
// of each lane of rows 0-3, 4-7 and 8-11) and zeros: a 4×4 transpose of
// lanes, whose results go to offsets off0, off4, off8, off12 of DI.
#define LANES(u0, u4, u8, off0, off4, off8, off12) \
	VSHUFF32X4 $0x44, u4, u0, Z24; \
	VSHUFF32X4 $0xee, u4, u0, Z25; \
	VSHUFF32X4 $0x44, Z31, u8, Z26; \
	VSHUFF32X4 $0xee, Z31, u8, Z27; \
	VSHUFF32X4 $0x88, Z26, Z24, Z28; \
	VSHUFF32X4 $0xdd, Z26, Z24, Z29; \
	VSHUFF32X4 $0x88, Z27, Z25, Z30; \
	VSHUFF32X4 $0xdd, Z27, Z25, Z12; \
	VMOVUPS Z28, K1, off0(DI); \
	VMOVUPS Z29, K1, off4(DI); \
	VMOVUPS Z30, K1, off8(DI); \
	VMOVUPS Z12, K1, off12(DI)

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
	LEAQ (R8)(R8*2), R9      // 3 rows
	LEAQ (AX)(R8*4), BX      // row 4
	LEAQ (BX)(R8*4), CX      // row 8
	MOVQ blocks+24(FP), DX
	VPXORD Z31, Z31, Z31
	MOVL $0x0fff, R10
	KMOVW R10, K1
	TESTQ DX, DX
	JEQ  done

loop:
	VMOVUPS (AX), Z0
	VMOVUPS (AX)(R8*1), Z1
	VMOVUPS (AX)(R8*2), Z2
	VMOVUPS (AX)(R9*1), Z3
	VMOVUPS (BX), Z4
	VMOVUPS (BX)(R8*1), Z5
	VMOVUPS (BX)(R8*2), Z6
	VMOVUPS (BX)(R9*1), Z7
	VMOVUPS (CX), Z8
	VMOVUPS (CX)(R8*1), Z9
	VMOVUPS (CX)(R8*2), Z10
	VMOVUPS (CX)(R9*1), Z11
	// Rows 2k, 2k+1 interleaved by 32 bits: t(2k), t(2k+1) in Z(12+2k), Z(13+2k).
	VUNPCKLPS Z1, Z0, Z12
	VUNPCKHPS Z1, Z0, Z13
	VUNPCKLPS Z3, Z2, Z14
	VUNPCKHPS Z3, Z2, Z15
	VUNPCKLPS Z5, Z4, Z16
	VUNPCKHPS Z5, Z4, Z17
	VUNPCKLPS Z7, Z6, Z18
	VUNPCKHPS Z7, Z6, Z19
	VUNPCKLPS Z9, Z8, Z20
	VUNPCKHPS Z9, Z8, Z21
	VUNPCKLPS Z11, Z10, Z22
	VUNPCKHPS Z11, Z10, Z23
	// Then by 64 bits: Z(4g+e) holds element e of each 128-bit lane of rows 4g..4g+3.
	VUNPCKLPD Z14, Z12, Z0
	VUNPCKHPD Z14, Z12, Z1
	VUNPCKLPD Z15, Z13, Z2
	VUNPCKHPD Z15, Z13, Z3
	VUNPCKLPD Z18, Z16, Z4
	VUNPCKHPD Z18, Z16, Z5
	VUNPCKLPD Z19, Z17, Z6
	VUNPCKHPD Z19, Z17, Z7
	VUNPCKLPD Z22, Z20, Z8
	VUNPCKHPD Z22, Z20, Z9
	VUNPCKLPD Z23, Z21, Z10
	VUNPCKHPD Z23, Z21, Z11
	// A 4×4 transpose of 128-bit lanes finishes k = 4L+e.
	LANES(Z0, Z4, Z8, 0, 192, 384, 576)
	LANES(Z1, Z5, Z9, 48, 240, 432, 624)
	LANES(Z2, Z6, Z10, 96, 288, 480, 672)
	LANES(Z3, Z7, Z11, 144, 336, 528, 720)
	ADDQ $768, DI
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ $64, CX
	DECQ DX
	JNE  loop

done:
	VZEROUPPER
	RET

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
	VPMOVZXWD 0(AX), Z0
	VPMOVZXWD 32(AX), Z1
	VPSLLD $16, Z0, Z0
	VPSLLD $16, Z1, Z1
	VMOVDQU32 Z0, 0(DI)
	VMOVDQU32 Z1, 64(DI)
	ADDQ $64, AX
	ADDQ DX, DI
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
	VPMOVZXWD 0(AX), Y0
	VPMOVZXWD 16(AX), Y1
	VPSLLD $16, Y0, Y0
	VPSLLD $16, Y1, Y1
	VMOVDQU Y0, 0(DI)
	VMOVDQU Y1, 32(DI)
	ADDQ $32, AX
	ADDQ DX, DI
	DECQ CX
	JNE  w16loop

w16done:
	VZEROUPPER
	RET
