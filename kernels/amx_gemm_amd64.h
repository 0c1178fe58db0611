// The body of the AMX GEMM kernels amxGemmBF16 and amxGemmInt8, which
// amx_amd64.s assembles once for each, after its TEXT line and with
// TDP_TMMb_TMMa_TMMc defined as that kernel's tile product (TMMc +=
// TMMa · TMMb). The layouts, loops and registers are in its comment.

// The macros, once for both kernels.
#ifndef AMX_GEMM_MACROS
#define AMX_GEMM_MACROS

// STORE_ROWS stores Z0-Z3 as two rows of 128 bytes at DX with mov
// (VMOVDQU64, or VMOVNTDQ for non-temporal stores), moving DX on a row
// (R10 bytes) after each.
#define STORE_ROWS(mov) \
	mov Z0, (DX); \
	mov Z1, 64(DX); \
	ADDQ R10, DX; \
	mov Z2, (DX); \
	mov Z3, 64(DX); \
	ADDQ R10, DX

// COPY_ROWS copies two rows of a block's sums from acc (R11) to C (DX,
// rows R10 bytes apart), with non-temporal stores when nt != 0: the
// vector work between tile products. ntl and donel are its labels.
#define COPY_ROWS(ntl, donel) \
	VMOVDQU64 (R11), Z0; \
	VMOVDQU64 64(R11), Z1; \
	VMOVDQU64 128(R11), Z2; \
	VMOVDQU64 192(R11), Z3; \
	ADDQ $256, R11; \
	CMPQ nt+88(FP), $0; \
	JNE  ntl; \
	STORE_ROWS(VMOVDQU64); \
	JMP  donel; \
ntl: \
	STORE_ROWS(VMOVNTDQ); \
donel: \
	SUBQ $2, cr-64(SP)

// COPY_REST copies the rows of the block being copied that are left
// (cr), from cs to cd, then goes on at endl.
#define COPY_REST(loopl, ntl, donel, endl) \
	MOVQ cd-48(SP), DX; \
	MOVQ cs-56(SP), R11; \
	MOVQ ldc+40(FP), R10; \
loopl: \
	CMPQ cr-64(SP), $0; \
	JEQ  endl; \
	COPY_ROWS(ntl, donel); \
	JMP  loopl; \
endl:

// PACK_PIECES copies four 64-byte pieces of the next panel's step, rows
// lda bytes apart from R14, to R15 in the panel layout, and moves R14 to
// the next step's first row after a step's 32 rows. samel is its label.
#define PACK_PIECES(samel) \
	VMOVDQU64 (R14), Z4; \
	VMOVDQU64 Z4, 0(R15); \
	ADDQ lda+104(FP), R14; \
	VMOVDQU64 (R14), Z4; \
	VMOVDQU64 Z4, 64(R15); \
	ADDQ lda+104(FP), R14; \
	VMOVDQU64 (R14), Z4; \
	VMOVDQU64 Z4, 128(R15); \
	ADDQ lda+104(FP), R14; \
	VMOVDQU64 (R14), Z4; \
	VMOVDQU64 Z4, 192(R15); \
	ADDQ lda+104(FP), R14; \
	ADDQ $256, R15; \
	SUBQ $4, ptot-72(SP); \
	SUBQ $4, prow-80(SP); \
	JNE  samel; \
	MOVQ $32, prow-80(SP); \
	SUBQ pwrap-88(SP), R14; \
samel:

// K_STEP is a k step: the four tile products, each operand tile
// reloaded for the next step right after its last product in this one.
// TDP_* are the kernel's, so K_STEP expands to each kernel's product.
#define K_STEP \
	ADDQ astep+136(FP), SI; \
	ADDQ astep+136(FP), DI; \
	ADDQ $2048, CX; \
	TDP_TMM6_TMM4_TMM0; \
	TDP_TMM7_TMM4_TMM1; \
	TILELOADD_SI_R8_TMM4; \
	TDP_TMM6_TMM5_TMM2; \
	TILELOADDT1_CX_R9_TMM6; \
	TDP_TMM7_TMM5_TMM3; \
	TILELOADDT1_64CX_R9_TMM7; \
	TILELOADD_DI_R8_TMM5

#endif

	MOVQ cfg+0(FP), DI
	LDTILECFG_DI
	MOVQ a+8(FP), AX
	MOVQ arow+128(FP), R8
	MOVQ b+16(FP), BX
	MOVQ BX, bk-24(SP)
	MOVQ $128, R9
	MOVQ ksteps+56(FP), CX
	MOVQ CX, left-8(SP)
	MOVQ $0, cr-64(SP)
	MOVQ nextSteps+120(FP), CX
	SHLQ $5, CX
	MOVQ CX, ptot-72(SP)
	MOVQ $32, prow-80(SP)
	MOVQ lda+104(FP), CX
	SHLQ $5, CX
	SUBQ $64, CX
	MOVQ CX, pwrap-88(SP)
	MOVQ next+96(FP), R14
	MOVQ nextDst+112(FP), R15

kblock:
	MOVQ left-8(SP), R13
	MOVQ kc+64(FP), CX
	CMPQ R13, CX
	CMOVQGT CX, R13
	MOVQ R13, n-16(SP)
	CMPQ nextSteps+120(FP), $0
	JNE  kpfset
	MOVQ R13, R14
	IMULQ astep+136(FP), R14
	ADDQ AX, R14
	MOVQ CX, R15
	IMULQ astep+136(FP), R15
	ADDQ R14, R15

kpfset:
	MOVQ c+32(FP), DX
	MOVQ DX, cb-32(SP)
	MOVQ acc+48(FP), DX
	MOVQ DX, ab-40(SP)
	MOVQ blocks+72(FP), R12

block:
	// The sums so far: none, C's or acc's.
	MOVQ left-8(SP), CX
	CMPQ CX, ksteps+56(FP)
	JNE  fromacc
	CMPQ load+80(FP), $0
	JNE  fromc
	TILEZERO_TMM0
	TILEZERO_TMM1
	TILEZERO_TMM2
	TILEZERO_TMM3
	JMP  kinit

fromc:
	MOVQ cb-32(SP), DX
	MOVQ ldc+40(FP), R10
	JMP  loadc

fromacc:
	MOVQ ab-40(SP), DX
	MOVQ $128, R10

loadc:
	MOVQ R10, R11
	SHLQ $4, R11
	ADDQ DX, R11
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
	MOVQ n-16(SP), R13
	MOVQ cd-48(SP), DX
	MOVQ cs-56(SP), R11
	MOVQ ldc+40(FP), R10

	TILELOADD_SI_R8_TMM4
	TILELOADDT1_CX_R9_TMM6
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	DECQ R13
	JEQ  klast
	CMPQ nextSteps+120(FP), $0
	JNE  kpk

kpf:
	PREFETCHT1 (R14)
	PREFETCHT1 64(R14)
	PREFETCHT1 128(R14)
	PREFETCHT1 192(R14)
	ADDQ $256, R14
	CMPQ R14, R15
	CMOVQGT R15, R14
	K_STEP
	CMPQ cr-64(SP), $0
	JEQ  pfnocopy
	COPY_ROWS(pfcnt, pfcdone)

pfnocopy:
	DECQ R13
	JNE  kpf
	JMP  klast

kpk:
	K_STEP
	CMPQ ptot-72(SP), $0
	JEQ  pknopack
	PACK_PIECES(pkpsame)

pknopack:
	CMPQ cr-64(SP), $0
	JEQ  pknocopy
	COPY_ROWS(pkcnt, pkcdone)

pknocopy:
	DECQ R13
	JNE  kpk
	JMP  klast

klast:
	TDP_TMM6_TMM4_TMM0
	TDP_TMM7_TMM4_TMM1
	TDP_TMM6_TMM5_TMM2
	TDP_TMM7_TMM5_TMM3
	MOVQ DX, cd-48(SP)
	MOVQ R11, cs-56(SP)

	MOVQ ab-40(SP), DX
	STORE_SUMS_DX

	// After the last k block: finish copying the previous block to C,
	// then start on this one.
	MOVQ left-8(SP), CX
	CMPQ CX, n-16(SP)
	JNE  nextblock
	COPY_REST(flushloop, flushnt, flushdone, flushend)
	MOVQ cb-32(SP), CX
	MOVQ CX, cd-48(SP)
	MOVQ ab-40(SP), CX
	MOVQ CX, cs-56(SP)
	MOVQ $32, cr-64(SP)

nextblock:
	ADDQ $128, cb-32(SP)
	ADDQ $4096, ab-40(SP)
	ADDQ bsliver+24(FP), BX
	DECQ R12
	JNE  block

	// The next k block: A and B n steps on.
	MOVQ n-16(SP), R13
	MOVQ R13, CX
	IMULQ astep+136(FP), CX
	ADDQ CX, AX
	MOVQ R13, CX
	SHLQ $11, CX
	MOVQ bk-24(SP), BX
	ADDQ CX, BX
	MOVQ BX, bk-24(SP)
	MOVQ left-8(SP), CX
	SUBQ R13, CX
	MOVQ CX, left-8(SP)
	JNE  kblock

	TILERELEASE
	COPY_REST(finalloop, finalnt, finaldone, finalend)

	// The rest of the next panel.

packrest:
	CMPQ ptot-72(SP), $0
	JEQ  done
	PACK_PIECES(restsame)
	JMP  packrest

done:
	SFENCE
	VZEROUPPER
	RET
