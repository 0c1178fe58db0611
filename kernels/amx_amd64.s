//go:build gc && !purego && !noasm

#include "textflag.h"
#include "amx_amd64.h"

// The AMX kernels: GEMM blocks and peak loops for TDPBF16PS (bf16 pairs
// into fp32) and TDPBSSD (signed int8 quads into int32), and XGETBV for
// the tile state check. Every function that touches tiles loads the
// configuration first and releases the tiles last (see amx_amd64.go).
// The AMX instructions are bytes, from amx_amd64.h.

// func xgetbv0() (eax, edx uint32)
//
// returns XCR0, the state components the OS has enabled.
TEXT ·xgetbv0(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// func amxGemmBF16(cfg *[64]byte, a *byte, lda int, b *byte, bsliver int, c unsafe.Pointer, ldc, steps, blocks, load int)
//
// computes blocks 32×32 blocks of C, side by side (128 bytes apart), from
// the 32-row A panel at a (rows lda bytes apart) and steps k steps of the
// B slivers at b, bsliver bytes apart (see amx_gemm_amd64.go). With load
// != 0 each block's sums start from C (a later k block), else from zero.
// steps and blocks are at least 1.
//
// Registers: AX the A panel, SI and DI its two tiles' step, R8 lda; BX
// the block's B sliver, CX its step, R9 = 128, the B row stride; DX the
// block of C (rows 0-15), R11 its rows 16-31, R10 ldc in bytes; R12 the
// blocks and R13 the steps to go.
//
// The k loop is software-pipelined: each operand tile is reloaded for
// the next step right after its last product in this one (A0 after the
// second product, B0 after the third, B1 and A1 after the fourth), so
// that a load waits only on the product still reading its tile and
// overlaps the products after it; on the Sapphire Rapids guest this was
// 5% faster at n=2048 than loading each step's tiles at its top, the same
// at n=1024. B is loaded with TILELOADDT1: each B tile is used
// once per call while the A panel is used again by every block, and on
// the Sapphire Rapids guest GemmBF16 n=1024 ran 5-8% faster than with
// TILELOADD (within the noise of a shared 2-vCPU host, but never slower).
// Software prefetch of the next sliver (16 or 32 lines a step) was
// 10-25% slower: the hardware prefetchers already stream B from L2, and
// prefetching the next block's C helped nothing measurable either.
TEXT ·amxGemmBF16(SB), NOSPLIT, $0-80
	MOVQ cfg+0(FP), DI
	LDTILECFG_DI
	MOVQ a+8(FP), AX
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ $128, R9
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R10
	MOVQ blocks+64(FP), R12

block:
	MOVQ R10, R11
	SHLQ $4, R11
	ADDQ DX, R11
	MOVQ load+72(FP), CX
	TESTQ CX, CX
	JNE  loadc
	TILEZERO_TMM0
	TILEZERO_TMM1
	TILEZERO_TMM2
	TILEZERO_TMM3
	JMP  kinit

loadc:
	TILELOADD_DX_R10_TMM0
	TILELOADD_64DX_R10_TMM1
	TILELOADD_R11_R10_TMM2
	TILELOADD_64R11_R10_TMM3

kinit:
	MOVQ AX, SI
	MOVQ R8, DI
	SHLQ $4, DI
	ADDQ AX, DI
	MOVQ BX, CX
	MOVQ steps+56(FP), R13

	TILELOADD_SI_R8_TMM4
	TILELOADDT1_CX_R9_TMM6
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	DECQ R13
	JEQ  klast

kloop:
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $2048, CX
	TDPBF16PS_TMM6_TMM4_TMM0
	TDPBF16PS_TMM7_TMM4_TMM1
	TILELOADD_SI_R8_TMM4
	TDPBF16PS_TMM6_TMM5_TMM2
	TILELOADDT1_CX_R9_TMM6
	TDPBF16PS_TMM7_TMM5_TMM3
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	DECQ R13
	JNE  kloop

klast:
	TDPBF16PS_TMM6_TMM4_TMM0
	TDPBF16PS_TMM7_TMM4_TMM1
	TDPBF16PS_TMM6_TMM5_TMM2
	TDPBF16PS_TMM7_TMM5_TMM3

	TILESTORED_TMM0_DX_R10
	TILESTORED_TMM1_64DX_R10
	TILESTORED_TMM2_R11_R10
	TILESTORED_TMM3_64R11_R10
	ADDQ $128, DX
	ADDQ bsliver+32(FP), BX
	DECQ R12
	JNE  block

	TILERELEASE
	RET

// func amxGemmInt8(cfg *[64]byte, a *byte, lda int, b *byte, bsliver int, c unsafe.Pointer, ldc, steps, blocks, load int)
//
// computes blocks 32×32 blocks of C, side by side (128 bytes apart), from
// the 32-row A panel at a (rows lda bytes apart) and steps k steps of the
// B slivers at b, bsliver bytes apart (see amx_gemm_amd64.go). With load
// != 0 each block's sums start from C (a later k block), else from zero.
// steps and blocks are at least 1.
//
// Registers: AX the A panel, SI and DI its two tiles' step, R8 lda; BX
// the block's B sliver, CX its step, R9 = 128, the B row stride; DX the
// block of C (rows 0-15), R11 its rows 16-31, R10 ldc in bytes; R12 the
// blocks and R13 the steps to go.
//
// The k loop is software-pipelined: each operand tile is reloaded for
// the next step right after its last product in this one (A0 after the
// second product, B0 after the third, B1 and A1 after the fourth), so
// that a load waits only on the product still reading its tile and
// overlaps the products after it; on the Sapphire Rapids guest this was
// 5% faster at n=2048 than loading each step's tiles at its top, the same
// at n=1024. B is loaded with TILELOADDT1: each B tile is used
// once per call while the A panel is used again by every block, and on
// the Sapphire Rapids guest GemmBF16 n=1024 ran 5-8% faster than with
// TILELOADD (within the noise of a shared 2-vCPU host, but never slower).
// Software prefetch of the next sliver (16 or 32 lines a step) was
// 10-25% slower: the hardware prefetchers already stream B from L2, and
// prefetching the next block's C helped nothing measurable either.
TEXT ·amxGemmInt8(SB), NOSPLIT, $0-80
	MOVQ cfg+0(FP), DI
	LDTILECFG_DI
	MOVQ a+8(FP), AX
	MOVQ lda+16(FP), R8
	MOVQ b+24(FP), BX
	MOVQ $128, R9
	MOVQ c+40(FP), DX
	MOVQ ldc+48(FP), R10
	MOVQ blocks+64(FP), R12

block:
	MOVQ R10, R11
	SHLQ $4, R11
	ADDQ DX, R11
	MOVQ load+72(FP), CX
	TESTQ CX, CX
	JNE  loadc
	TILEZERO_TMM0
	TILEZERO_TMM1
	TILEZERO_TMM2
	TILEZERO_TMM3
	JMP  kinit

loadc:
	TILELOADD_DX_R10_TMM0
	TILELOADD_64DX_R10_TMM1
	TILELOADD_R11_R10_TMM2
	TILELOADD_64R11_R10_TMM3

kinit:
	MOVQ AX, SI
	MOVQ R8, DI
	SHLQ $4, DI
	ADDQ AX, DI
	MOVQ BX, CX
	MOVQ steps+56(FP), R13

	TILELOADD_SI_R8_TMM4
	TILELOADDT1_CX_R9_TMM6
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	DECQ R13
	JEQ  klast

kloop:
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $2048, CX
	TDPBSSD_TMM6_TMM4_TMM0
	TDPBSSD_TMM7_TMM4_TMM1
	TILELOADD_SI_R8_TMM4
	TDPBSSD_TMM6_TMM5_TMM2
	TILELOADDT1_CX_R9_TMM6
	TDPBSSD_TMM7_TMM5_TMM3
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	DECQ R13
	JNE  kloop

klast:
	TDPBSSD_TMM6_TMM4_TMM0
	TDPBSSD_TMM7_TMM4_TMM1
	TDPBSSD_TMM6_TMM5_TMM2
	TDPBSSD_TMM7_TMM5_TMM3

	TILESTORED_TMM0_DX_R10
	TILESTORED_TMM1_64DX_R10
	TILESTORED_TMM2_R11_R10
	TILESTORED_TMM3_64R11_R10
	ADDQ $128, DX
	ADDQ bsliver+32(FP), BX
	DECQ R12
	JNE  block

	TILERELEASE
	RET

// func amxDotBF16(cfg *[64]byte, src *byte, out *uint32, iters int)
//
// runs iters steps of four independent TDPBF16PS on TMM0-3, from sources
// TMM4-7 loaded from the 1 KiB at src, and stores TMM0-3 to out as a
// 32×32 block of 32-bit words.
TEXT ·amxDotBF16(SB), NOSPLIT, $0-32
	MOVQ cfg+0(FP), DI
	LDTILECFG_DI
	MOVQ src+8(FP), SI
	MOVQ $64, R8
	TILELOADD_SI_R8_TMM4
	TILELOADD_SI_R8_TMM5
	TILELOADD_SI_R8_TMM6
	TILELOADD_SI_R8_TMM7
	TILEZERO_TMM0
	TILEZERO_TMM1
	TILEZERO_TMM2
	TILEZERO_TMM3
	MOVQ iters+24(FP), CX
	TESTQ CX, CX
	JEQ  done

loop:
	TDPBF16PS_TMM6_TMM4_TMM0
	TDPBF16PS_TMM7_TMM4_TMM1
	TDPBF16PS_TMM6_TMM5_TMM2
	TDPBF16PS_TMM7_TMM5_TMM3
	DECQ CX
	JNE  loop

done:
	MOVQ out+16(FP), DX
	MOVQ $128, R10
	MOVQ DX, R11
	ADDQ $2048, R11
	TILESTORED_TMM0_DX_R10
	TILESTORED_TMM1_64DX_R10
	TILESTORED_TMM2_R11_R10
	TILESTORED_TMM3_64R11_R10
	TILERELEASE
	RET

// func amxDotInt8(cfg *[64]byte, src *byte, out *uint32, iters int)
//
// runs iters steps of four independent TDPBSSD on TMM0-3, from sources
// TMM4-7 loaded from the 1 KiB at src, and stores TMM0-3 to out as a
// 32×32 block of 32-bit words.
TEXT ·amxDotInt8(SB), NOSPLIT, $0-32
	MOVQ cfg+0(FP), DI
	LDTILECFG_DI
	MOVQ src+8(FP), SI
	MOVQ $64, R8
	TILELOADD_SI_R8_TMM4
	TILELOADD_SI_R8_TMM5
	TILELOADD_SI_R8_TMM6
	TILELOADD_SI_R8_TMM7
	TILEZERO_TMM0
	TILEZERO_TMM1
	TILEZERO_TMM2
	TILEZERO_TMM3
	MOVQ iters+24(FP), CX
	TESTQ CX, CX
	JEQ  done

loop:
	TDPBSSD_TMM6_TMM4_TMM0
	TDPBSSD_TMM7_TMM4_TMM1
	TDPBSSD_TMM6_TMM5_TMM2
	TDPBSSD_TMM7_TMM5_TMM3
	DECQ CX
	JNE  loop

done:
	MOVQ out+16(FP), DX
	MOVQ $128, R10
	MOVQ DX, R11
	ADDQ $2048, R11
	TILESTORED_TMM0_DX_R10
	TILESTORED_TMM1_64DX_R10
	TILESTORED_TMM2_R11_R10
	TILESTORED_TMM3_64R11_R10
	TILERELEASE
	RET
