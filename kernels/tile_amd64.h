// Row macros shared by the register tiles of gemm_amd64.s, bf16_amd64.s
// and int8_amd64.s. A row of a tile is two vectors, r0 and r1, the second
// w bytes into the row of C; the C pointer is DX with the row stride in
// bytes in R8, and a copy of the C pointer in R9 for the prefetches.
// The 12-row tiles keep C in Z0..Z23 (row i in Z(2i), Z(2i+1)), the 6-row
// tiles in Y0..Y11.

// PREFETCH_C_ROW fetches the row of the C tile at R9, whose lines are
// needed at the end of the k loop, where a miss would stall the stores,
// and moves R9 to the next row.
#define PREFETCH_C_ROW(w) \
	PREFETCHT0 (R9); \
	PREFETCHT0 w(R9); \
	ADDQ R8, R9

// PREFETCH_C_6ROWS and PREFETCH_C_12ROWS fetch a whole tile of C.
#define PREFETCH_C_6ROWS(w) \
	PREFETCH_C_ROW(w); \
	PREFETCH_C_ROW(w); \
	PREFETCH_C_ROW(w); \
	PREFETCH_C_ROW(w); \
	PREFETCH_C_ROW(w); \
	PREFETCH_C_ROW(w)

#define PREFETCH_C_12ROWS(w) \
	PREFETCH_C_6ROWS(w); \
	PREFETCH_C_6ROWS(w)

// XOR_ROW clears a row's accumulators with the xor op (VXORPS, or
// VPXOR for the int32 AVX2 tile); w is unused, for ROWS_Y0_Y11 and
// ROWS_Z0_Z23. VXORPS on ZMM needs AVX-512 DQ, which every AVX-512 tier
// requires.
#define XOR_ROW(op, w, r0, r1) \
	op r0, r0, r0; \
	op r1, r1, r1

#define ZERO_Y0_Y11 \
	ROWS_Y0_Y11(XOR_ROW, VXORPS, 0)

#define ZERO_Z0_Z23 \
	ROWS_Z0_Z23(XOR_ROW, VXORPS, 0)

// STORE_ROW stores a row to the row of C at DX with the move mov
// (VMOVUPS for fp32, VMOVDQU/VMOVDQU32 for int32), without reading C, and
// moves DX to the next row.
#define STORE_ROW(mov, w, r0, r1) \
	mov r0, 0(DX); \
	mov r1, w(DX); \
	ADDQ R8, DX

// ROWS6 (six rows, in r0..r11), ROWS_Y0_Y11 and ROWS_Z0_Z23 apply a row
// macro ROW(x, w, r0, r1) to every row of a tile, top to bottom: XOR_ROW and STORE_ROW here,
// ADD_STORE_ROW (int8_amd64.s), LOAD_ROW (bf16_amd64.s), SCALE_ROW and
// STORE_ROW_BETA (gemm_amd64.s).
#define ROWS6(ROW, x, w, r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11) \
	ROW(x, w, r0, r1); \
	ROW(x, w, r2, r3); \
	ROW(x, w, r4, r5); \
	ROW(x, w, r6, r7); \
	ROW(x, w, r8, r9); \
	ROW(x, w, r10, r11)

#define ROWS_Y0_Y11(ROW, x, w) \
	ROWS6(ROW, x, w, Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11)

#define ROWS_Z0_Z23(ROW, x, w) \
	ROWS6(ROW, x, w, Z0, Z1, Z2, Z3, Z4, Z5, Z6, Z7, Z8, Z9, Z10, Z11); \
	ROWS6(ROW, x, w, Z12, Z13, Z14, Z15, Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23)

// STORE_Y0_Y11 and STORE_Z0_Z23 store a whole tile with STORE_ROW.
#define STORE_Y0_Y11(mov) \
	ROWS_Y0_Y11(STORE_ROW, mov, 32)

#define STORE_Z0_Z23(mov) \
	ROWS_Z0_Z23(STORE_ROW, mov, 64)
