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

// ACC_ROWS adds two rows of the sums in staging (R11, rows 128 bytes
// apart) to two rows of the block's sums so far at R12 (rows cas bytes
// apart; none when R12 is 0) and stores them to DX (rows R10 bytes
// apart), with non-temporal stores when cn != 0: the vector work between
// tile products. ADD_SUMS is the kernel's add (VADDPS or VPADDD).
// nosrcl, ntl and donel are its labels.
#define ACC_ROWS(nosrcl, ntl, donel) \
	VMOVDQU64 (R11), Z0; \
	VMOVDQU64 64(R11), Z1; \
	VMOVDQU64 128(R11), Z2; \
	VMOVDQU64 192(R11), Z3; \
	ADDQ $256, R11; \
	TESTQ R12, R12; \
	JEQ  nosrcl; \
	ADD_SUMS (R12), Z0, Z0; \
	ADD_SUMS 64(R12), Z1, Z1; \
	ADDQ cas-112(SP), R12; \
	ADD_SUMS (R12), Z2, Z2; \
	ADD_SUMS 64(R12), Z3, Z3; \
	ADDQ cas-112(SP), R12; \
nosrcl: \
	CMPQ cn-128(SP), $0; \
	JNE  ntl; \
	STORE_ROWS(VMOVDQU64); \
	JMP  donel; \
ntl: \
	STORE_ROWS(VMOVNTDQ); \
donel: \
	SUBQ $2, cr-64(SP)

// ACC_REST adds the rows left (cr) of the block being added, then goes
// on at endl.
#define ACC_REST(loopl, nosrcl, ntl, donel, endl) \
	MOVQ cd-48(SP), DX; \
	MOVQ cs-56(SP), R11; \
	MOVQ cdl-120(SP), R10; \
	MOVQ ca-104(SP), R12; \
loopl: \
	CMPQ cr-64(SP), $0; \
	JEQ  endl; \
	ACC_ROWS(nosrcl, ntl, donel); \
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

// AT_C and AT_ACC point the row pointer slot ptr and its stride slot
// at the block's rows in C (stride ldc) or in acc (stride 128). They use
// R13.
#define AT_C(ptr, stride) \
	MOVQ cb-32(SP), R13; \
	MOVQ R13, ptr; \
	MOVQ ldc+40(FP), R13; \
	MOVQ R13, stride

#define AT_ACC(ptr, stride) \
	MOVQ ab-40(SP), R13; \
	MOVQ R13, ptr; \
	MOVQ $128, stride

// NEXT_BLOCK moves C, acc and B on to the next block of the panel and
// counts it off (bl, whose flags it leaves).
#define NEXT_BLOCK \
	ADDQ $128, cb-32(SP); \
	ADDQ $4096, ab-40(SP); \
	ADDQ bsliver+24(FP), BX; \
	DECQ bl-96(SP)

// SET_JOB sets up the addition of the sums just stored to staging
// (ACC_ROWS, 32 rows): to C after the last k block (non-temporal where
// nt), else to acc; of C's sums with load in the first k block, of
// acc's after it, else of none. It uses R13. dstaccl, srcl, srcaccl and
// endl are its labels.
#define SET_JOB(dstaccl, srcl, srcaccl, endl) \
	MOVQ acc+48(FP), R13; \
	MOVQ R13, cs-56(SP); \
	MOVQ $32, cr-64(SP); \
	MOVQ left-8(SP), R13; \
	CMPQ R13, n-16(SP); \
	JNE  dstaccl; \
	AT_C(cd-48(SP), cdl-120(SP)); \
	MOVQ nt+88(FP), R13; \
	MOVQ R13, cn-128(SP); \
	JMP  srcl; \
dstaccl: \
	AT_ACC(cd-48(SP), cdl-120(SP)); \
	MOVQ $0, cn-128(SP); \
srcl: \
	MOVQ left-8(SP), R13; \
	CMPQ R13, ksteps+56(FP); \
	JNE  srcaccl; \
	MOVQ $0, ca-104(SP); \
	CMPQ load+80(FP), $0; \
	JEQ  endl; \
	AT_C(ca-104(SP), cas-112(SP)); \
	JMP  endl; \
srcaccl: \
	AT_ACC(ca-104(SP), cas-112(SP)); \
endl:

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
	MOVQ $0, cd-48(SP)
	MOVQ $0, cs-56(SP)
	MOVQ $0, ca-104(SP)
	MOVQ $0, cdl-120(SP)
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
	ADDQ $4096, DX
	MOVQ DX, ab-40(SP)
	MOVQ blocks+72(FP), DX
	MOVQ DX, bl-96(SP)

block:
	// Each k block's sums start from zero: the sums so far are added
	// by the vector unit (ACC_ROWS).
	TILEZERO_TMM0
	TILEZERO_TMM1
	TILEZERO_TMM2
	TILEZERO_TMM3
	MOVQ AX, SI
	MOVQ R8, DI
	SHLQ $4, DI
	ADDQ AX, DI
	MOVQ BX, CX
	TILELOADD_SI_R8_TMM4
	TILELOADDT1_CX_R9_TMM6
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	MOVQ n-16(SP), R13

kloop:
	// R13 steps to go, the first's tiles loaded.
	MOVQ cd-48(SP), DX
	MOVQ cs-56(SP), R11
	MOVQ cdl-120(SP), R10
	MOVQ ca-104(SP), R12
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
	JEQ  pfnoacc
	ACC_ROWS(pfnosrc, pfnt, pfdone)

pfnoacc:
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
	JEQ  pknoacc
	ACC_ROWS(pknosrc, pknt, pkdone)

pknoacc:
	DECQ R13
	JNE  kpk

klast:
	TDP_TMM6_TMM4_TMM0
	TDP_TMM7_TMM4_TMM1
	MOVQ DX, cd-48(SP)
	MOVQ R11, cs-56(SP)
	MOVQ R12, ca-104(SP)
	CMPQ bl-96(SP), $1
	JEQ  kplain
	CMPQ n-16(SP), $1
	JEQ  kplain

	// The switch to the next block of the k block, fused with its first
	// step: each sums tile is stored and zeroed right before its first
	// product in the next block, so that the products go on while the
	// last ones of this block drain, and the next block's operand tiles
	// load as this block's are freed.
	MOVQ AX, SI
	TILELOADD_SI_R8_TMM4
	TDP_TMM6_TMM5_TMM2
	MOVQ BX, CX
	ADDQ bsliver+24(FP), CX
	TILELOADDT1_CX_R9_TMM6
	TDP_TMM7_TMM5_TMM3
	TILELOADDT1_64CX_R9_TMM7
	MOVQ R8, DI
	SHLQ $4, DI
	ADDQ AX, DI
	TILELOADD_DI_R8_TMM5
	ACC_REST(sflushloop, sflushnosrc, sflushnt, sflushdone, sflushend)
	MOVQ acc+48(FP), DX
	MOVQ $128, R10
	LEAQ 2048(DX), R11
	ADDQ astep+136(FP), SI
	ADDQ astep+136(FP), DI
	ADDQ $2048, CX
	TILESTORED_TMM0_DX_R10
	TILEZERO_TMM0
	TDP_TMM6_TMM4_TMM0
	TILESTORED_TMM1_64DX_R10
	TILEZERO_TMM1
	TDP_TMM7_TMM4_TMM1
	TILELOADD_SI_R8_TMM4
	TILESTORED_TMM2_R11_R10
	TILEZERO_TMM2
	TDP_TMM6_TMM5_TMM2
	TILELOADDT1_CX_R9_TMM6
	TILESTORED_TMM3_64R11_R10
	TILEZERO_TMM3
	TDP_TMM7_TMM5_TMM3
	TILELOADDT1_64CX_R9_TMM7
	TILELOADD_DI_R8_TMM5
	SET_JOB(sdstacc, ssrc, ssrcacc, sjobset)
	NEXT_BLOCK
	MOVQ n-16(SP), R13
	DECQ R13
	JMP  kloop

kplain:
	TDP_TMM6_TMM5_TMM2
	TDP_TMM7_TMM5_TMM3

	// Finish adding the previous block while the products drain, then
	// store this block's sums to staging.
	ACC_REST(flushloop, flushnosrc, flushnt, flushdone, flushend)
	MOVQ acc+48(FP), DX
	STORE_SUMS_DX
	SET_JOB(dstacc, src, srcacc, jobset)
	NEXT_BLOCK
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
	ACC_REST(finalloop, finalnosrc, finalnt, finaldone, finalend)

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
