//go:build gc && !purego && !noasm

#include "textflag.h"
#include "amx_amd64.h"

// The AMX kernels: GEMM blocks and peak loops for TDPBF16PS (bf16 pairs
// into fp32) and TDPBSSD (signed int8 quads into int32), and XGETBV for
// the tile state check. Every function that touches tiles loads the
// configuration first and releases the tiles last (see amx_amd64.go).
// The AMX instructions are bytes, from amx_amd64.h.

// PEAK_SETUP starts the register-only loops (amxDotBF16, amxDotInt8,
// amxMixInt8), whose first two arguments are cfg and src: it loads the
// tile configuration, the source tiles TMM4-7 from src (rows 64 bytes
// apart) and zeroes the sums tiles TMM0-3.
#define PEAK_SETUP \
	MOVQ cfg+0(FP), DI; \
	LDTILECFG_DI; \
	MOVQ src+8(FP), SI; \
	MOVQ $64, R8; \
	TILELOADD_SI_R8_TMM4; \
	TILELOADD_SI_R8_TMM5; \
	TILELOADD_SI_R8_TMM6; \
	TILELOADD_SI_R8_TMM7; \
	TILEZERO_TMM0; \
	TILEZERO_TMM1; \
	TILEZERO_TMM2; \
	TILEZERO_TMM3

// PEAK_LOOP is the body of a peak loop (amxDotBF16, amxDotInt8): iters
// steps of the four independent products t0-t3 on TMM0-3, then the sums
// stored to out as a 32×32 block of 32-bit words.
#define PEAK_LOOP(t0, t1, t2, t3) \
	PEAK_SETUP; \
	MOVQ iters+24(FP), CX; \
	TESTQ CX, CX; \
	JEQ  done; \
loop: \
	t0; \
	t1; \
	t2; \
	t3; \
	DECQ CX; \
	JNE  loop; \
done: \
	MOVQ out+16(FP), DX; \
	STORE_SUMS_DX; \
	TILERELEASE; \
	RET

// func xgetbv0() (eax, edx uint32)
//
// returns XCR0, the state components the OS has enabled.
TEXT ·xgetbv0(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func amxGemmBF16(cfg *[64]byte, a, b *byte, bsliver int, c unsafe.Pointer, ldc int, acc *byte, ksteps, kc, blocks, load, nt int, next *byte, lda int, nextDst *byte, nextSteps, arow, astep int)
// func amxGemmInt8(cfg *[64]byte, a, b *byte, bsliver int, c unsafe.Pointer, ldc int, acc *byte, ksteps, kc, blocks, load, nt int, next *byte, lda int, nextDst *byte, nextSteps, arow, astep int)
//
//
// computes blocks 32×32 blocks of C = A·B (C += A·B with load != 0),
// side by side (128 bytes apart, rows ldc bytes apart), over ksteps k
// steps of the A panel at a and the packed B slivers at b, bsliver bytes
// apart (layouts in amx_gemm_amd64.go). A's rows are arow bytes apart and
// its steps astep: packed, 64 and 2048; read in place, lda and 64.
// ksteps, kc and blocks are at least 1. acc holds 4 KiB of staging, then
// blocks 32×32 blocks of sums.
//
// The steps go in k blocks of kc. In each, every block in turn runs the
// k block's steps in TMM0-3 from zero and stores them to staging: the A
// panel's share (32 rows of kc·64 bytes) is read from L1 by all the
// blocks while each B sliver streams from L2. While the next block runs,
// the vector unit adds staging to the block's sums so far (none, C's
// with load, or acc's) and stores the sums to acc, or after the last k
// block to C, two rows a step, with non-temporal stores when nt != 0
// (C's rows 64-byte aligned): C is written once, and never by tile
// stores, whose 16 rows (C's rows are often a multiple of 4 KiB apart)
// would all go to one L1 set, evicting the A panel there, and stall on
// lines not in cache. The tiles never load sums: staging stays in L1,
// and the switch from one block to the next is the next block's first
// step, each sums tile stored and zeroed just before its first product
// there, so that the tile products do not wait for all four of the last
// block's to drain (see amxBlocking).
//
// Between the tile products the kernel also does one of two things. With
// nextSteps = 0 it prefetches into L2 the next kc·astep bytes of A (for a
// packed panel, its next k block or the next panel's first: panels are
// packed one after another), 256 bytes a step, all of them when
// blocks·kc ≥ 128 (for A read in place, the first row's only: the
// hardware prefetchers follow rows). With
// nextSteps > 0 it packs the next panel instead: it copies nextSteps
// whole steps of 32 rows of A (rows lda bytes apart from next) to nextDst
// in the panel layout, four 64-byte pieces a step, finishing any left
// after the last block. So A is read once from memory, by the first
// column panel's kernels, and not by a separate packing pass.
//
// Each k loop is software-pipelined: each operand tile is reloaded for
// the next step right after its last product in this one (A0 after the
// second product, B0 after the third, B1 and A1 after the fourth), so
// that a load waits only on the product still reading its tile. B is
// loaded with TILELOADDT1: a B tile is used once per k block and comes
// from L2, and unlike TILELOADD it leaves the A panel in L1 (on the
// Sapphire Rapids guest, TILELOADD for B was 25% slower).
//
// Registers: AX the A panel's k block, SI and DI its two tiles' step, R8
// = arow; BX the block's B sliver, CX its step, R9 = 128, the B row
// stride; R13 the steps to go. In the k loop, DX, R10, R11 and R12: the
// addition's destination, its row stride, staging and the sums so far
// (0: none); outside it, where the tiles store. R14, R15: the next line
// to prefetch and the end of the next k block, or the packing's source
// and destination; Z0-Z4 the vector data. Locals: left, the steps from
// this k block on; n, this k block's steps; bk, this k block's B; cb and
// ab, the block's C and acc; bl, the blocks to go; cd, cdl, cs, ca, cas,
// cn and cr, the addition's destination and its row stride, staging,
// the sums so far and their row stride, non-temporal or not and rows to
// go; ptot, the pieces of the next panel to go, prow, the rows to go in
// its step, and pwrap, the source's step back from a step's last row to
// the next step's first.
//
// The two kernels are one body, amx_gemm_amd64.h, assembled twice: its
// products TDP_TMMb_TMMa_TMMc are TDPBF16PS in amxGemmBF16 and TDPBSSD in
// amxGemmInt8, which take the same tiles and differ only in what a tile
// row holds, and its ADD_SUMS is VADDPS in one and VPADDD in the other.
#define TDP_TMM6_TMM4_TMM0 TDPBF16PS_TMM6_TMM4_TMM0
#define TDP_TMM7_TMM4_TMM1 TDPBF16PS_TMM7_TMM4_TMM1
#define TDP_TMM6_TMM5_TMM2 TDPBF16PS_TMM6_TMM5_TMM2
#define TDP_TMM7_TMM5_TMM3 TDPBF16PS_TMM7_TMM5_TMM3
#define ADD_SUMS VADDPS
TEXT ·amxGemmBF16(SB), NOSPLIT, $128-144
#include "amx_gemm_amd64.h"

#undef TDP_TMM6_TMM4_TMM0
#undef TDP_TMM7_TMM4_TMM1
#undef TDP_TMM6_TMM5_TMM2
#undef TDP_TMM7_TMM5_TMM3
#define TDP_TMM6_TMM4_TMM0 TDPBSSD_TMM6_TMM4_TMM0
#define TDP_TMM7_TMM4_TMM1 TDPBSSD_TMM7_TMM4_TMM1
#define TDP_TMM6_TMM5_TMM2 TDPBSSD_TMM6_TMM5_TMM2
#define TDP_TMM7_TMM5_TMM3 TDPBSSD_TMM7_TMM5_TMM3
#undef ADD_SUMS
#define ADD_SUMS VPADDD
TEXT ·amxGemmInt8(SB), NOSPLIT, $128-144
#include "amx_gemm_amd64.h"

// func amxPackA(dst, src *byte, lda, rows, steps int)
//
// packs steps whole tile steps (64 bytes of k) of rows rows of A (rows lda
// bytes apart from src) into the tile layout at dst: step s of row r at
// 2048·s + 64·r, so that a step's A0 (rows 0-15) and A1 (rows 16-31) are
// 1 KiB each, rows 64 bytes apart. rows is 1 to 32; steps at least 1.
TEXT ·amxPackA(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lda+16(FP), R8
	MOVQ rows+24(FP), R9

prow:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ steps+32(FP), CX

pstep:
	VMOVDQU64 (AX), Z0
	VMOVDQU64 Z0, (BX)
	ADDQ $64, AX
	ADDQ $2048, BX
	DECQ CX
	JNE  pstep

	ADDQ R8, SI
	ADDQ $64, DI
	DECQ R9
	JNE  prow
	VZEROUPPER
	RET

// func amxPackBPairs(dst, src *byte, ldb, pairs, slivers, sliver int)
//
// packs pairs bf16 pair rows of slivers 32-column slivers of B (rows ldb
// bytes apart from src, the slivers' columns side by side) as the B tiles
// read them: row q of sliver s (128 bytes at dst + s·sliver + 128·q)
// holds, for column j, the words src[2q][32s+j] and src[2q+1][32s+j]:
// each word zero-extended to 32 bits, the second shifted up 16. The rows
// are read in order, across the slivers, so that the reads stream (on
// the Sapphire Rapids guest, 13-15 GB/s of B from L3 whether or not the
// rows ahead were prefetched; one sliver at a time, down the rows, was
// 30-40% slower). pairs and slivers are at least 1.
TEXT ·amxPackBPairs(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ldb+16(FP), R8
	MOVQ pairs+24(FP), DX
	MOVQ sliver+40(FP), R10

prow:
	MOVQ SI, AX
	LEAQ (SI)(R8*1), BX
	MOVQ DI, R11
	MOVQ slivers+32(FP), CX

psliver:
	VPMOVZXWD (AX), Z0
	VPMOVZXWD 32(AX), Z1
	VPMOVZXWD (BX), Z2
	VPMOVZXWD 32(BX), Z3
	VPSLLD $16, Z2, Z2
	VPSLLD $16, Z3, Z3
	VPORD Z2, Z0, Z0
	VPORD Z3, Z1, Z1
	VMOVDQU32 Z0, (R11)
	VMOVDQU32 Z1, 64(R11)
	ADDQ $64, AX
	ADDQ $64, BX
	ADDQ R10, R11
	DECQ CX
	JNE  psliver

	LEAQ (SI)(R8*2), SI
	ADDQ $128, DI
	DECQ DX
	JNE  prow
	VZEROUPPER
	RET

// func amxPackBQuads(dst, src *byte, ldb, quads, slivers, sliver int)
//
// packs quads int8 quad rows of slivers 32-column slivers of B (rows ldb
// bytes apart from src, the slivers' columns side by side) as the B tiles
// read them: row q of sliver s (128 bytes at dst + s·sliver + 128·q)
// holds, for column j, the bytes src[4q..4q+3][32s+j]. Byte unpacks pair
// rows 0-1 and 2-3, word unpacks make the quads, four columns to each
// 128-bit lane, and lane permutes put the lanes in column order. The
// rows are read in order, across the slivers (see amxPackBPairs). quads
// and slivers are at least 1.
TEXT ·amxPackBQuads(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ldb+16(FP), R8
	MOVQ quads+24(FP), DX
	MOVQ sliver+40(FP), R10
	LEAQ (R8)(R8*2), R9

qrow:
	MOVQ SI, AX
	MOVQ DI, R11
	MOVQ slivers+32(FP), CX

qsliver:
	VMOVDQU (AX), Y0
	VMOVDQU (AX)(R8*1), Y1
	VMOVDQU (AX)(R8*2), Y2
	VMOVDQU (AX)(R9*1), Y3
	VPUNPCKLBW Y1, Y0, Y4
	VPUNPCKHBW Y1, Y0, Y5
	VPUNPCKLBW Y3, Y2, Y6
	VPUNPCKHBW Y3, Y2, Y7
	VPUNPCKLWD Y6, Y4, Y0
	VPUNPCKHWD Y6, Y4, Y1
	VPUNPCKLWD Y7, Y5, Y2
	VPUNPCKHWD Y7, Y5, Y3
	VPERM2I128 $0x20, Y1, Y0, Y4
	VPERM2I128 $0x20, Y3, Y2, Y5
	VPERM2I128 $0x31, Y1, Y0, Y6
	VPERM2I128 $0x31, Y3, Y2, Y7
	VMOVDQU Y4, (R11)
	VMOVDQU Y5, 32(R11)
	VMOVDQU Y6, 64(R11)
	VMOVDQU Y7, 96(R11)
	ADDQ $32, AX
	ADDQ R10, R11
	DECQ CX
	JNE  qsliver

	LEAQ (SI)(R8*4), SI
	ADDQ $128, DI
	DECQ DX
	JNE  qrow
	VZEROUPPER
	RET

// func amxDotBF16(cfg *[64]byte, src *byte, out *uint32, iters int)
// func amxDotInt8(cfg *[64]byte, src *byte, out *uint32, iters int)
//
// run iters steps of four independent TDPBF16PS (TDPBSSD) on TMM0-3,
// from sources TMM4-7 loaded from the 1 KiB at src, and store TMM0-3 to
// out as a 32×32 block of 32-bit words.
TEXT ·amxDotBF16(SB), NOSPLIT, $0-32
	PEAK_LOOP(TDPBF16PS_TMM6_TMM4_TMM0, TDPBF16PS_TMM7_TMM4_TMM1, TDPBF16PS_TMM6_TMM5_TMM2, TDPBF16PS_TMM7_TMM5_TMM3)

TEXT ·amxDotInt8(SB), NOSPLIT, $0-32
	PEAK_LOOP(TDPBSSD_TMM6_TMM4_TMM0, TDPBSSD_TMM7_TMM4_TMM1, TDPBSSD_TMM6_TMM5_TMM2, TDPBSSD_TMM7_TMM5_TMM3)

// SIDE_STEP is amxStreamBF16's side traffic of one k step: lines-24(SP)
// lines from pos-8(SP) by kind-32(SP), back to base-40(SP) at
// end-16(SP). It uses AX and BX; linel, ntl, loadl, nextl and donel are
// its labels.
#define SIDE_STEP(linel, ntl, loadl, nextl, donel) \
	MOVQ lines-24(SP), AX; \
	TESTQ AX, AX; \
	JEQ  donel; \
	MOVQ pos-8(SP), BX; \
linel: \
	CMPQ kind-32(SP), $1; \
	JEQ  ntl; \
	CMPQ kind-32(SP), $2; \
	JEQ  loadl; \
	PREFETCHT0 (BX); \
	JMP  nextl; \
ntl: \
	VMOVNTDQ Z31, (BX); \
	JMP  nextl; \
loadl: \
	VMOVDQU64 (BX), Z30; \
nextl: \
	ADDQ $64, BX; \
	CMPQ BX, end-16(SP); \
	JLT  2(PC); \
	MOVQ base-40(SP), BX; \
	DECQ AX; \
	JNE  linel; \
	MOVQ BX, pos-8(SP); \
donel:

// func amxStreamBF16(cfg *[64]byte, a, b *byte, out *uint32, blocks, steps, bblocks, areuse, achunks int, side *amxSide)
//
// runs the GEMM kernels' k step (two A tiles, two B tiles, four
// TDPBF16PS, each operand reloaded right after its last product) on
// operands laid out as the kernels read them, with nothing else around
// it: blocks blocks of steps k steps into one 32×32 block of sums in
// TMM0-3, stored to out at the end. A is achunks panels of steps steps
// one after another (panel c at a + 2048·steps·c, its step s 2048·s on:
// A0, then A1 1 KiB on, rows 64 bytes apart); areuse blocks in turn read
// the same panel before the next, in a cycle, as the kernels move to the
// next k block of A after a column panel's blocks. Block j reads the B
// sliver steps at b + 2048·steps·(j mod bblocks) (step s 2048·s on,
// halves 64 bytes apart, rows 128 apart). So the sizes of what A and B
// cycle through set which cache each stream comes from, and the rate is
// what the tile loop can reach there. blocks, steps, bblocks, areuse and
// achunks are at least 1.
//
// With side not nil, every k step also moves side.lines 64-byte lines of
// side.base, on from where the last step left off and round again at
// side.bytes, by side.kind (amxSideNTStore: a non-temporal store of all
// ones bytes; amxSideLoad; amxSidePrefetch: PREFETCHT0), after its tile
// products: the traffic a GEMM's k step carries beside its tiles. With
// side.alone the tile work is left out and the steps move only that.
TEXT ·amxStreamBF16(SB), NOSPLIT, $40-80
	MOVQ cfg+0(FP), DI
	LDTILECFG_DI
	MOVQ $64, R8
	MOVQ $128, R9
	TILEZERO_TMM0
	TILEZERO_TMM1
	TILEZERO_TMM2
	TILEZERO_TMM3
	MOVQ $0, lines-24(SP)
	MOVQ side+72(FP), AX
	TESTQ AX, AX
	JEQ  snoside
	MOVQ 0(AX), BX
	MOVQ BX, base-40(SP)
	MOVQ BX, pos-8(SP)
	ADDQ 8(AX), BX
	MOVQ BX, end-16(SP)
	MOVQ 16(AX), BX
	MOVQ BX, lines-24(SP)
	MOVQ 24(AX), BX
	MOVQ BX, kind-32(SP)
	VPTERNLOGD $0xff, Z31, Z31, Z31
	CMPB 32(AX), $0
	JEQ  snoside

	// The traffic alone, as many steps as the tile loop would run.
	MOVQ blocks+32(FP), R13
	IMULQ steps+40(FP), R13

salone:
	SIDE_STEP(aline, ant, aload, anext, adone)
	DECQ R13
	JNE  salone
	JMP  sdone

snoside:
	MOVQ blocks+32(FP), DX
	MOVQ b+16(FP), CX
	MOVQ bblocks+48(FP), R12
	MOVQ a+8(FP), R15
	MOVQ areuse+56(FP), R10
	MOVQ achunks+64(FP), R11
	MOVQ steps+40(FP), R14
	SHLQ $11, R14

sblock:
	MOVQ R15, SI
	LEAQ 1024(SI), DI
	TILELOADD_SI_R8_TMM4
	TILELOADDT1_CX_R9_TMM6
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	MOVQ steps+40(FP), R13
	DECQ R13
	JEQ  slast

sstep:
	ADDQ $2048, SI
	ADDQ $2048, DI
	ADDQ $2048, CX
	TDPBF16PS_TMM6_TMM4_TMM0
	TDPBF16PS_TMM7_TMM4_TMM1
	TILELOADD_SI_R8_TMM4
	TDPBF16PS_TMM6_TMM5_TMM2
	TILELOADDT1_CX_R9_TMM6
	TDPBF16PS_TMM7_TMM5_TMM3
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	SIDE_STEP(sline, snt, sload, snext, sside)
	DECQ R13
	JNE  sstep

slast:
	TDPBF16PS_TMM6_TMM4_TMM0
	TDPBF16PS_TMM7_TMM4_TMM1
	TDPBF16PS_TMM6_TMM5_TMM2
	TDPBF16PS_TMM7_TMM5_TMM3
	SIDE_STEP(lline, lnt, lload, lnext, lside)
	ADDQ $2048, CX
	DECQ R12
	JNE  snowrap
	MOVQ b+16(FP), CX
	MOVQ bblocks+48(FP), R12

snowrap:
	// The next A panel after areuse blocks, the first after achunks.
	DECQ R10
	JNE  sanext
	MOVQ areuse+56(FP), R10
	ADDQ R14, R15
	DECQ R11
	JNE  sanext
	MOVQ a+8(FP), R15
	MOVQ achunks+64(FP), R11

sanext:
	DECQ DX
	JNE  sblock

sdone:
	MOVQ out+24(FP), DX
	STORE_SUMS_DX
	TILERELEASE
	SFENCE
	VZEROUPPER
	RET

// MIX_ROW is one row of amxMixInt8's vector work: sums s converted,
// scaled by the product of two scales (Z14, Z15) and added to f.
#define MIX_ROW(s, f) \
	VCVTDQ2PS s, Z24; \
	VMULPS Z14, Z15, Z25; \
	VFMADD231PS Z25, Z24, f

// func amxMixInt8(cfg *[64]byte, src *byte, out *uint32, iters, products, rows int)
//
// runs iters steps, each of products (0 or 4) independent TDPBSSD on
// TMM0-3, from TMM4-7 loaded from src (rows 64 bytes apart), then the
// vector work of rescaling rows (a multiple of 8) rows of int32 sums as
// the q8_0 AMX tile does a row: a conversion to float32, a product of
// two scales and a fused multiply-add, all on registers. So it times the
// two halves of a Q8_0 block on AMX with nothing between them, and the
// time of both together says how far the chip runs them side by side.
// It stores TMM0-3 to out as amxDotInt8 does.
TEXT ·amxMixInt8(SB), NOSPLIT, $0-48
	PEAK_SETUP
	VPXORD Z16, Z16, Z16
	VMOVDQA64 Z16, Z17
	VMOVDQA64 Z16, Z18
	VMOVDQA64 Z16, Z19
	VMOVDQA64 Z16, Z20
	VMOVDQA64 Z16, Z21
	VMOVDQA64 Z16, Z22
	VMOVDQA64 Z16, Z23
	VMOVDQA64 Z16, Z14
	VMOVDQA64 Z16, Z15
	MOVQ iters+24(FP), CX
	TESTQ CX, CX
	JEQ  mdone

mstep:
	CMPQ products+32(FP), $0
	JEQ  mrows
	TDPBSSD_TMM6_TMM4_TMM0
	TDPBSSD_TMM7_TMM4_TMM1
	TDPBSSD_TMM6_TMM5_TMM2
	TDPBSSD_TMM7_TMM5_TMM3

mrows:
	MOVQ rows+40(FP), DX
	SHRQ $3, DX
	JEQ  mnext

mgroup:
	MIX_ROW(Z16, Z0)
	MIX_ROW(Z17, Z1)
	MIX_ROW(Z18, Z2)
	MIX_ROW(Z19, Z3)
	MIX_ROW(Z20, Z4)
	MIX_ROW(Z21, Z5)
	MIX_ROW(Z22, Z6)
	MIX_ROW(Z23, Z7)
	DECQ DX
	JNE  mgroup

mnext:
	DECQ CX
	JNE  mstep

mdone:
	MOVQ out+16(FP), DX
	STORE_SUMS_DX
	TILERELEASE
	VZEROUPPER
	RET
