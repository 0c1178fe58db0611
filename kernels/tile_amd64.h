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

// ZERO_ROW clears a row's accumulators (VXORPS on ZMM needs AVX-512 DQ,
// which every AVX-512 tier requires).
#define ZERO_ROW(r0, r1) \
	VXORPS r0, r0, r0; \
	VXORPS r1, r1, r1

#define ZERO_Y0_Y11 \
	ZERO_ROW(Y0, Y1); \
	ZERO_ROW(Y2, Y3); \
	ZERO_ROW(Y4, Y5); \
	ZERO_ROW(Y6, Y7); \
	ZERO_ROW(Y8, Y9); \
	ZERO_ROW(Y10, Y11)

#define ZERO_Z0_Z23 \
	ZERO_ROW(Z0, Z1); \
	ZERO_ROW(Z2, Z3); \
	ZERO_ROW(Z4, Z5); \
	ZERO_ROW(Z6, Z7); \
	ZERO_ROW(Z8, Z9); \
	ZERO_ROW(Z10, Z11); \
	ZERO_ROW(Z12, Z13); \
	ZERO_ROW(Z14, Z15); \
	ZERO_ROW(Z16, Z17); \
	ZERO_ROW(Z18, Z19); \
	ZERO_ROW(Z20, Z21); \
	ZERO_ROW(Z22, Z23)

// STORE_ROW stores a row to the row of C at DX with the move mov
// (VMOVUPS for fp32, VMOVDQU/VMOVDQU32 for int32), without reading C, and
// moves DX to the next row.
#define STORE_ROW(mov, w, r0, r1) \
	mov r0, 0(DX); \
	mov r1, w(DX); \
	ADDQ R8, DX

// STORE_Y0_Y11 and STORE_Z0_Z23 store a whole tile with STORE_ROW.
#define STORE_Y0_Y11(mov) \
	STORE_ROW(mov, 32, Y0, Y1); \
	STORE_ROW(mov, 32, Y2, Y3); \
	STORE_ROW(mov, 32, Y4, Y5); \
	STORE_ROW(mov, 32, Y6, Y7); \
	STORE_ROW(mov, 32, Y8, Y9); \
	STORE_ROW(mov, 32, Y10, Y11)

#define STORE_Z0_Z23(mov) \
	STORE_ROW(mov, 64, Z0, Z1); \
	STORE_ROW(mov, 64, Z2, Z3); \
	STORE_ROW(mov, 64, Z4, Z5); \
	STORE_ROW(mov, 64, Z6, Z7); \
	STORE_ROW(mov, 64, Z8, Z9); \
	STORE_ROW(mov, 64, Z10, Z11); \
	STORE_ROW(mov, 64, Z12, Z13); \
	STORE_ROW(mov, 64, Z14, Z15); \
	STORE_ROW(mov, 64, Z16, Z17); \
	STORE_ROW(mov, 64, Z18, Z19); \
	STORE_ROW(mov, 64, Z20, Z21); \
	STORE_ROW(mov, 64, Z22, Z23)
