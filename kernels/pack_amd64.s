//go:build gc && !purego && !noasm

#include "textflag.h"

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

// func pack12x16AVX512(dst, a *float32, lda, blocks int)
//
// Packs 12 rows of A, lda floats apart, k-major into dst for the AVX-512
// tile, 16 k at a time: dst[p*12+i] = a[i*lda+p] for p < 16*blocks. Each
// block loads 16 values of each row, transposes the 12×16 (padded to
// 16×16 with zeros, Z31) in three shuffle stages - 32-bit and 64-bit
// interleaves within 128-bit lanes, then a 4×4 transpose of the lanes -
// and stores the 12 valid lanes of each of the 16 results (mask K1).
TEXT ·pack12x16AVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ a+8(FP), AX
	MOVQ lda+16(FP), R8
	SHLQ $2, R8              // row stride in bytes
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
