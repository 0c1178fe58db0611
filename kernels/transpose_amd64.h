// The 12×16 transpose of 32-bit values that packs 12 rows of A for the
// AVX-512 tiles: pack12x16AVX512 (pack_amd64.s), pack12x16PairsAVX512
// (pack_bf16_amd64.s) and packA12x64VNNI (int8_amd64.s). Rows 0-3, 4-7
// and 8-11 start at AX, BX and CX, with the row stride in R8 (3 rows in
// R9); the block is stored at DI, 12 values (mask K1) for each of its 16
// k, and Z31 is zero, the padding to 16×16.

// TRANSPOSE12_PTRS sets R9, BX and CX from AX and the stride in R8.
#define TRANSPOSE12_PTRS \
	LEAQ (R8)(R8*2), R9; \
	LEAQ (AX)(R8*4), BX; \
	LEAQ (BX)(R8*4), CX

// TRANSPOSE12_MASK sets Z31 to zero and K1 to the 12 valid lanes.
#define TRANSPOSE12_MASK \
	VPXORD Z31, Z31, Z31; \
	MOVL $0x0fff, R10; \
	KMOVW R10, K1

// TRANSPOSE12_ROWS applies LOAD(src, dst) to the 16 values of each row:
// row r into Zr.
#define TRANSPOSE12_ROWS(LOAD) \
	LOAD((AX), Z0); \
	LOAD((AX)(R8*1), Z1); \
	LOAD((AX)(R8*2), Z2); \
	LOAD((AX)(R9*1), Z3); \
	LOAD((BX), Z4); \
	LOAD((BX)(R8*1), Z5); \
	LOAD((BX)(R8*2), Z6); \
	LOAD((BX)(R9*1), Z7); \
	LOAD((CX), Z8); \
	LOAD((CX)(R8*1), Z9); \
	LOAD((CX)(R8*2), Z10); \
	LOAD((CX)(R9*1), Z11)

// TRANSPOSE12_INTERLEAVE interleaves rows 2r, 2r+1 by 32 bits (lo32,
// hi32: t(2r), t(2r+1) in Z(12+2r), Z(13+2r)), then by 64 bits (lo64,
// hi64): Z(4g+e) then holds element e of each 128-bit lane of rows
// 4g..4g+3.
#define TRANSPOSE12_INTERLEAVE(lo32, hi32, lo64, hi64) \
	lo32 Z1, Z0, Z12; \
	hi32 Z1, Z0, Z13; \
	lo32 Z3, Z2, Z14; \
	hi32 Z3, Z2, Z15; \
	lo32 Z5, Z4, Z16; \
	hi32 Z5, Z4, Z17; \
	lo32 Z7, Z6, Z18; \
	hi32 Z7, Z6, Z19; \
	lo32 Z9, Z8, Z20; \
	hi32 Z9, Z8, Z21; \
	lo32 Z11, Z10, Z22; \
	hi32 Z11, Z10, Z23; \
	lo64 Z14, Z12, Z0; \
	hi64 Z14, Z12, Z1; \
	lo64 Z15, Z13, Z2; \
	hi64 Z15, Z13, Z3; \
	lo64 Z18, Z16, Z4; \
	hi64 Z18, Z16, Z5; \
	lo64 Z19, Z17, Z6; \
	hi64 Z19, Z17, Z7; \
	lo64 Z22, Z20, Z8; \
	hi64 Z22, Z20, Z9; \
	lo64 Z23, Z21, Z10; \
	hi64 Z23, Z21, Z11

// TRANSPOSE12_LANES stores k = 4L+e for the 128-bit lanes L of u0, u4,
// u8 (element e of each lane of rows 0-3, 4-7 and 8-11) and zeros: a 4×4
// transpose of lanes (shuf) whose results go to offsets off0, off4,
// off8, off12 of DI (mov, masked by K1).
#define TRANSPOSE12_LANES(shuf, mov, u0, u4, u8, off0, off4, off8, off12) \
	shuf $0x44, u4, u0, Z24; \
	shuf $0xee, u4, u0, Z25; \
	shuf $0x44, Z31, u8, Z26; \
	shuf $0xee, Z31, u8, Z27; \
	shuf $0x88, Z26, Z24, Z28; \
	shuf $0xdd, Z26, Z24, Z29; \
	shuf $0x88, Z27, Z25, Z30; \
	shuf $0xdd, Z27, Z25, Z12; \
	mov Z28, K1, off0(DI); \
	mov Z29, K1, off4(DI); \
	mov Z30, K1, off8(DI); \
	mov Z12, K1, off12(DI)

// TRANSPOSE12_STORE finishes the block from the interleaved Z0..Z11 and
// moves DI, AX, BX and CX to the next block.
#define TRANSPOSE12_STORE(shuf, mov) \
	TRANSPOSE12_LANES(shuf, mov, Z0, Z4, Z8, 0, 192, 384, 576); \
	TRANSPOSE12_LANES(shuf, mov, Z1, Z5, Z9, 48, 240, 432, 624); \
	TRANSPOSE12_LANES(shuf, mov, Z2, Z6, Z10, 96, 288, 480, 672); \
	TRANSPOSE12_LANES(shuf, mov, Z3, Z7, Z11, 144, 336, 528, 720); \
	ADDQ $768, DI; \
	ADDQ $64, AX; \
	ADDQ $64, BX; \
	ADDQ $64, CX

// TRANSPOSE12_LOADPS loads a row of fp32 or bf16 pairs.
#define TRANSPOSE12_LOADPS(src, dst) \
	VMOVUPS src, dst

// TRANSPOSE12_PS_BLOCKS is the rest of pack12x16AVX512 and
// pack12x16PairsAVX512 once dst is in DI, the row pointers are set
// (TRANSPOSE12_PTRS) and the count of blocks is in DX: it transposes DX
// blocks of 16 32-bit values of each row.
#define TRANSPOSE12_PS_BLOCKS \
	TRANSPOSE12_MASK; \
	TESTQ DX, DX; \
	JEQ  done; \
loop: \
	TRANSPOSE12_ROWS(TRANSPOSE12_LOADPS); \
	TRANSPOSE12_INTERLEAVE(VUNPCKLPS, VUNPCKHPS, VUNPCKLPD, VUNPCKHPD); \
	TRANSPOSE12_STORE(VSHUFF32X4, VMOVUPS); \
	DECQ DX; \
	JNE  loop; \
done: \
	VZEROUPPER; \
	RET
