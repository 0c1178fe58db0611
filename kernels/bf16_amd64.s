//go:build gc && !purego && !noasm

#include "textflag.h"
#include "tile_amd64.h"

// The avx512bf16 kernels of GemmBF16 and DotPeakBF16, on VDPBF16PS: each
// 32-bit lane of the destination adds the two products of the bf16 pairs
// in the same lane of the sources, a[2i]·b[2i] and a[2i+1]·b[2i+1], to its
// fp32 sum. A pair is two consecutive k of one row of A or one column of
// B, so the packed operands hold k in pairs (see bf16_amd64.go).
//
// The Go assembler (as of Go 1.26) does not know VDPBF16PS, so it is
// written out as bytes: EVEX.512.F3.0F38.W0 52 /r. Each is preceded by the
// instruction in Go syntax; the bytes were checked against
// `llvm-mc-19 -triple=x86_64 -show-encoding` on the AT&T forms
//	vdpbf16ps 4(%rax){1to16}, %zmm24, %zmm2
//	vdpbf16ps %zmm31, %zmm30, %zmm0
// The memory forms use the embedded broadcast {1to16} of one pair of A
// and a disp8 scaled by 4 (EVEX disp8*N, N=4 for a 32-bit broadcast);
// llvm-mc encodes a zero displacement with mod=00 and no disp8, and so do
// these bytes.
//
// VDPBF16PS rounds to nearest even whatever MXCSR says, and treats
// denormal inputs and results as zero. Products of two bf16 are exact in
// fp32 and each lane adds them one at a time, so a sum of k products still
// rounds at most k times: the bound GemmBF16's tests state holds, for
// inputs whose products are normal.

// LOAD_ROW loads a row of the C tile at R9 into its accumulators with
// the move mov and moves R9 to the next row.
#define LOAD_ROW(mov, w, r0, r1) \
	mov 0(R9), r0; \
	mov w(R9), r1; \
	ADDQ R8, R9

// func gemmTile12x32BF16(kw int, a, b *uint32, c *float32, ldc int, load int)
//
// computes the 12×32 tile of C from a packed sliver of A (kw pairs, each
// step 12 pairs: one per row) and of B (kw steps of 32 pairs: one per
// column). C is in Z0..Z23, row i in Z(2i) (columns 0-15) and Z(2i+1)
// (16-31). Per step it loads the two B vectors and issues 24 VDPBF16PS,
// each broadcasting its row's pair of A from memory ({1to16}), so that no
// register or instruction is spent on the broadcasts. With load != 0 the
// sums start from C and go on in k, rather than from zero: the k blocks of
// GemmBF16 then round exactly as one unblocked loop would.
TEXT ·gemmTile12x32BF16(SB), NOSPLIT, $0-48
	MOVQ kw+0(FP), CX
	MOVQ a+8(FP), AX
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), DX
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	MOVQ DX, R9
	MOVQ load+40(FP), R10
	TESTQ R10, R10
	JNE  loadc
	ZERO_Z0_Z23
	// The C lines are needed at the end of the k loop, where a miss
	// would stall the stores.
	PREFETCH_C_12ROWS(127)
	JMP  start

loadc:
	ROWS_Z0_Z23(LOAD_ROW, VMOVUPS, 64)

start:
	TESTQ CX, CX
	JEQ  store

loop:
	VMOVUPS 0(DI), Z24
	VMOVUPS 64(DI), Z25
	// B streams from L2, A stays in L1 (as for the fp32 avx512 tile):
	// ask for B four steps ahead. A prefetch past the end of B is
	// harmless: it never faults.
	PREFETCHT0 512(DI)
	PREFETCHT0 576(DI)
	// VDPBF16PS 0(AX){1to16}, Z24, Z0
	BYTE $0x62; BYTE $0xf2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x00
	// VDPBF16PS 0(AX){1to16}, Z25, Z1
	BYTE $0x62; BYTE $0xf2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x08
	// VDPBF16PS 4(AX){1to16}, Z24, Z2
	BYTE $0x62; BYTE $0xf2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x50; BYTE $0x01
	// VDPBF16PS 4(AX){1to16}, Z25, Z3
	BYTE $0x62; BYTE $0xf2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x58; BYTE $0x01
	// VDPBF16PS 8(AX){1to16}, Z24, Z4
	BYTE $0x62; BYTE $0xf2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x60; BYTE $0x02
	// VDPBF16PS 8(AX){1to16}, Z25, Z5
	BYTE $0x62; BYTE $0xf2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x68; BYTE $0x02
	// VDPBF16PS 12(AX){1to16}, Z24, Z6
	BYTE $0x62; BYTE $0xf2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x70; BYTE $0x03
	// VDPBF16PS 12(AX){1to16}, Z25, Z7
	BYTE $0x62; BYTE $0xf2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x78; BYTE $0x03
	// VDPBF16PS 16(AX){1to16}, Z24, Z8
	BYTE $0x62; BYTE $0x72; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x40; BYTE $0x04
	// VDPBF16PS 16(AX){1to16}, Z25, Z9
	BYTE $0x62; BYTE $0x72; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x48; BYTE $0x04
	// VDPBF16PS 20(AX){1to16}, Z24, Z10
	BYTE $0x62; BYTE $0x72; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x50; BYTE $0x05
	// VDPBF16PS 20(AX){1to16}, Z25, Z11
	BYTE $0x62; BYTE $0x72; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x58; BYTE $0x05
	// VDPBF16PS 24(AX){1to16}, Z24, Z12
	BYTE $0x62; BYTE $0x72; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x60; BYTE $0x06
	// VDPBF16PS 24(AX){1to16}, Z25, Z13
	BYTE $0x62; BYTE $0x72; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x68; BYTE $0x06
	// VDPBF16PS 28(AX){1to16}, Z24, Z14
	BYTE $0x62; BYTE $0x72; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x70; BYTE $0x07
	// VDPBF16PS 28(AX){1to16}, Z25, Z15
	BYTE $0x62; BYTE $0x72; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x78; BYTE $0x07
	// VDPBF16PS 32(AX){1to16}, Z24, Z16
	BYTE $0x62; BYTE $0xe2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x40; BYTE $0x08
	// VDPBF16PS 32(AX){1to16}, Z25, Z17
	BYTE $0x62; BYTE $0xe2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x48; BYTE $0x08
	// VDPBF16PS 36(AX){1to16}, Z24, Z18
	BYTE $0x62; BYTE $0xe2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x50; BYTE $0x09
	// VDPBF16PS 36(AX){1to16}, Z25, Z19
	BYTE $0x62; BYTE $0xe2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x58; BYTE $0x09
	// VDPBF16PS 40(AX){1to16}, Z24, Z20
	BYTE $0x62; BYTE $0xe2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x60; BYTE $0x0a
	// VDPBF16PS 40(AX){1to16}, Z25, Z21
	BYTE $0x62; BYTE $0xe2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x68; BYTE $0x0a
	// VDPBF16PS 44(AX){1to16}, Z24, Z22
	BYTE $0x62; BYTE $0xe2; BYTE $0x3e; BYTE $0x50; BYTE $0x52; BYTE $0x70; BYTE $0x0b
	// VDPBF16PS 44(AX){1to16}, Z25, Z23
	BYTE $0x62; BYTE $0xe2; BYTE $0x36; BYTE $0x50; BYTE $0x52; BYTE $0x78; BYTE $0x0b
	ADDQ $48, AX
	ADDQ $128, DI
	DECQ CX
	JNE  loop

store:
	STORE_Z0_Z23(VMOVUPS)
	VZEROUPPER
	RET

// func dotLoopAVX512BF16(iters int) int64
//
// runs iters steps of 24 independent VDPBF16PS chains on zmm registers
// (24·32 products, 1536 flops a step): enough chains to cover the
// instruction's latency on two pipes. Each chain adds 2·(1·2⁻³¹) a lane a
// step, so its sums stay normal and far from overflow for any iters. It
// returns the bits of the sum of every chain's first lane.
TEXT ·dotLoopAVX512BF16(SB), NOSPLIT, $0-16
	MOVQ iters+0(FP), CX
	MOVL $0x3f803f80, AX // the bf16 pair (1, 1)
	VPBROADCASTD AX, Z30
	MOVL $0x30003000, AX // the bf16 pair (2⁻³¹, 2⁻³¹)
	VPBROADCASTD AX, Z31
	ZERO_Z0_Z23
	TESTQ CX, CX
	JEQ  dotdone

dotloop:
	// VDPBF16PS Z31, Z30, Z0
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xc7
	// VDPBF16PS Z31, Z30, Z1
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xcf
	// VDPBF16PS Z31, Z30, Z2
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xd7
	// VDPBF16PS Z31, Z30, Z3
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xdf
	// VDPBF16PS Z31, Z30, Z4
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xe7
	// VDPBF16PS Z31, Z30, Z5
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xef
	// VDPBF16PS Z31, Z30, Z6
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xf7
	// VDPBF16PS Z31, Z30, Z7
	BYTE $0x62; BYTE $0x92; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xff
	// VDPBF16PS Z31, Z30, Z8
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xc7
	// VDPBF16PS Z31, Z30, Z9
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xcf
	// VDPBF16PS Z31, Z30, Z10
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xd7
	// VDPBF16PS Z31, Z30, Z11
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xdf
	// VDPBF16PS Z31, Z30, Z12
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xe7
	// VDPBF16PS Z31, Z30, Z13
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xef
	// VDPBF16PS Z31, Z30, Z14
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xf7
	// VDPBF16PS Z31, Z30, Z15
	BYTE $0x62; BYTE $0x12; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xff
	// VDPBF16PS Z31, Z30, Z16
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xc7
	// VDPBF16PS Z31, Z30, Z17
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xcf
	// VDPBF16PS Z31, Z30, Z18
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xd7
	// VDPBF16PS Z31, Z30, Z19
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xdf
	// VDPBF16PS Z31, Z30, Z20
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xe7
	// VDPBF16PS Z31, Z30, Z21
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xef
	// VDPBF16PS Z31, Z30, Z22
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xf7
	// VDPBF16PS Z31, Z30, Z23
	BYTE $0x62; BYTE $0x82; BYTE $0x0e; BYTE $0x40; BYTE $0x52; BYTE $0xff
	DECQ CX
	JNE  dotloop

dotdone:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z5, Z4, Z4
	VADDPS Z7, Z6, Z6
	VADDPS Z9, Z8, Z8
	VADDPS Z11, Z10, Z10
	VADDPS Z13, Z12, Z12
	VADDPS Z15, Z14, Z14
	VADDPS Z17, Z16, Z16
	VADDPS Z19, Z18, Z18
	VADDPS Z21, Z20, Z20
	VADDPS Z23, Z22, Z22
	VADDPS Z2, Z0, Z0
	VADDPS Z6, Z4, Z4
	VADDPS Z10, Z8, Z8
	VADDPS Z14, Z12, Z12
	VADDPS Z18, Z16, Z16
	VADDPS Z22, Z20, Z20
	VADDPS Z4, Z0, Z0
	VADDPS Z12, Z8, Z8
	VADDPS Z20, Z16, Z16
	VADDPS Z8, Z0, Z0
	VADDPS Z16, Z0, Z0
	VMOVD X0, AX
	MOVQ AX, ret+8(FP)
	VZEROUPPER
	RET

// TO_BF16 rounds the 8 float32 in x to bfloat16 as ToBF16 does, in the
// low half of each 32-bit lane: b + 0x7fff + (b>>16 & 1), shifted down
// (to nearest, ties to even), or b>>16 | 0x40 (a quiet NaN) where x is a
// NaN. Y13-Y15 hold 0x40, 1 and 0x7fff; t and u are clobbered.
#define TO_BF16(x, t, u) \
	VPSRLD $16, x, t; \
	VPAND Y14, t, u; \
	VPADDD u, x, u; \
	VPADDD Y15, u, u; \
	VPSRLD $16, u, u; \
	VPOR Y13, t, t; \
	VCMPPS $3, x, x, x; \
	VBLENDVPS x, t, u, x

// DWORDS sets every dword of y (whose low half is x) to imm, using AX.
#define DWORDS(imm, x, y) \
	MOVL $imm, AX; \
	MOVL AX, x; \
	VPBROADCASTD x, y

// func toBF16sAVX2(dst *BF16, src *float32, n int)
TEXT ·toBF16sAVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	DWORDS(0x40, X13, Y13)
	DWORDS(1, X14, Y14)
	DWORDS(0x7fff, X15, Y15)

tobf16loop:
	VMOVDQU (SI), Y0
	VMOVDQU 32(SI), Y1
	TO_BF16(Y0, Y2, Y3)
	TO_BF16(Y1, Y4, Y5)
	VPACKUSDW Y1, Y0, Y0          // words of Y0 and Y1, interleaved by 128-bit lane
	VPERMQ $0xd8, Y0, Y0          // in order
	VMOVDQU Y0, (DI)
	ADDQ $64, SI
	ADDQ $32, DI
	SUBQ $16, CX
	JNE  tobf16loop
	VZEROUPPER
	RET
