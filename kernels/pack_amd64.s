//go:build gc && !purego && !noasm

#include "textflag.h"
#include "transpose_amd64.h"

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
	TRANSPOSE12_PTRS
	MOVQ blocks+24(FP), DX
	TRANSPOSE12_PS_BLOCKS
