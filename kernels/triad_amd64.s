//go:build gc && !purego && !noasm

#include "textflag.h"

// TRIAD_ARGS loads a, b, c and n into DI, SI, DX and CX.
#define TRIAD_ARGS \
	MOVQ a+0(FP), DI; \
	MOVQ b+8(FP), SI; \
	MOVQ c+16(FP), DX; \
	MOVQ n+24(FP), CX

// TRIAD4 computes four vectors of a = b + s*c at byte offsets o0..o3,
// loads first, then the fused multiply-adds, then the stores.
#define TRIAD4(s, o0, o1, o2, o3, r0, r1, r2, r3) \
	VMOVUPD o0(SI), r0; \
	VMOVUPD o1(SI), r1; \
	VMOVUPD o2(SI), r2; \
	VMOVUPD o3(SI), r3; \
	VFMADD231PD o0(DX), s, r0; \
	VFMADD231PD o1(DX), s, r1; \
	VFMADD231PD o2(DX), s, r2; \
	VFMADD231PD o3(DX), s, r3; \
	VMOVUPD r0, o0(DI); \
	VMOVUPD r1, o1(DI); \
	VMOVUPD r2, o2(DI); \
	VMOVUPD r3, o3(DI)

// FMA_CONSTS broadcasts the FMA loop's y = 0.999999 into y (through its
// low lane yx) and z = 1e-6 into z.
#define FMA_CONSTS(yx, y, zx, z) \
	MOVL $0x3f7fffef, AX; \
	VMOVD AX, yx; \
	VBROADCASTSS yx, y; \
	MOVL $0x358637bd, AX; \
	VMOVD AX, zx; \
	VBROADCASTSS zx, z

// SET6 starts six chains at z.
#define SET6(z, r0, r1, r2, r3, r4, r5) \
	VMOVAPS z, r0; \
	VMOVAPS z, r1; \
	VMOVAPS z, r2; \
	VMOVAPS z, r3; \
	VMOVAPS z, r4; \
	VMOVAPS z, r5

// SUM_X0_X11 adds the first lanes of X1..X11 to X0, in order.
#define SUM_X0_X11 \
	VADDSS X1, X0, X0; \
	VADDSS X2, X0, X0; \
	VADDSS X3, X0, X0; \
	VADDSS X4, X0, X0; \
	VADDSS X5, X0, X0; \
	VADDSS X6, X0, X0; \
	VADDSS X7, X0, X0; \
	VADDSS X8, X0, X0; \
	VADDSS X9, X0, X0; \
	VADDSS X10, X0, X0; \
	VADDSS X11, X0, X0

// FMA6 steps six chains: x = x*y + z.
#define FMA6(y, z, r0, r1, r2, r3, r4, r5) \
	VFMADD213PS z, y, r0; \
	VFMADD213PS z, y, r1; \
	VFMADD213PS z, y, r2; \
	VFMADD213PS z, y, r3; \
	VFMADD213PS z, y, r4; \
	VFMADD213PS z, y, r5

// func triadAVX2(a, b, c *float64, n int, s float64)
// sets a[i] = b[i] + s*c[i] for i < n, n a positive multiple of 16, with
// one fused multiply-add per element and ordinary stores.
TEXT ·triadAVX2(SB), NOSPLIT, $0-40
	TRIAD_ARGS
	VBROADCASTSD s+32(FP), Y15
triadAVX2loop:
	TRIAD4(Y15, 0, 32, 64, 96, Y0, Y1, Y2, Y3)
	ADDQ $128, SI
	ADDQ $128, DX
	ADDQ $128, DI
	SUBQ $16, CX
	JNE  triadAVX2loop
	VZEROUPPER
	RET

// func triadAVX512(a, b, c *float64, n int, s float64)
// sets a[i] = b[i] + s*c[i] for i < n, n a positive multiple of 32, with
// one fused multiply-add per element and ordinary stores.
TEXT ·triadAVX512(SB), NOSPLIT, $0-40
	TRIAD_ARGS
	VBROADCASTSD s+32(FP), Z15
triadAVX512loop:
	TRIAD4(Z15, 0, 64, 128, 192, Z0, Z1, Z2, Z3)
	ADDQ $256, SI
	ADDQ $256, DX
	ADDQ $256, DI
	SUBQ $32, CX
	JNE  triadAVX512loop
	VZEROUPPER
	RET

// func fmaLoopAVX2(iters int) float32
// runs iters steps of 12 independent chains x = x*y + z on 8-lane
// vectors (192 flops a step) and returns the sum of the chains'
// first lanes. y < 1 keeps every x bounded and normal.
TEXT ·fmaLoopAVX2(SB), NOSPLIT, $0-12
	MOVQ iters+0(FP), CX
	FMA_CONSTS(X12, Y12, X13, Y13)
	SET6(Y13, Y0, Y1, Y2, Y3, Y4, Y5)
	SET6(Y13, Y6, Y7, Y8, Y9, Y10, Y11)
	TESTQ CX, CX
	JEQ  fmaAVX2done
fmaAVX2loop:
	FMA6(Y12, Y13, Y0, Y1, Y2, Y3, Y4, Y5)
	FMA6(Y12, Y13, Y6, Y7, Y8, Y9, Y10, Y11)
	DECQ CX
	JNE  fmaAVX2loop
fmaAVX2done:
	SUM_X0_X11
	VMOVSS X0, ret+8(FP)
	VZEROUPPER
	RET

// func fmaLoopAVX512(iters int) float32
// runs iters steps of 24 independent chains x = x*y + z on 16-lane
// vectors (768 flops a step) and returns the sum of the chains'
// first lanes. y < 1 keeps every x bounded and normal.
TEXT ·fmaLoopAVX512(SB), NOSPLIT, $0-12
	MOVQ iters+0(FP), CX
	FMA_CONSTS(X24, Z24, X25, Z25)
	SET6(Z25, Z0, Z1, Z2, Z3, Z4, Z5)
	SET6(Z25, Z6, Z7, Z8, Z9, Z10, Z11)
	SET6(Z25, Z12, Z13, Z14, Z15, Z16, Z17)
	SET6(Z25, Z18, Z19, Z20, Z21, Z22, Z23)
	TESTQ CX, CX
	JEQ  fmaAVX512done
fmaAVX512loop:
	FMA6(Z24, Z25, Z0, Z1, Z2, Z3, Z4, Z5)
	FMA6(Z24, Z25, Z6, Z7, Z8, Z9, Z10, Z11)
	FMA6(Z24, Z25, Z12, Z13, Z14, Z15, Z16, Z17)
	FMA6(Z24, Z25, Z18, Z19, Z20, Z21, Z22, Z23)
	DECQ CX
	JNE  fmaAVX512loop
fmaAVX512done:
	SUM_X0_X11
	VADDSS X12, X0, X0
	VADDSS X13, X0, X0
	VADDSS X14, X0, X0
	VADDSS X15, X0, X0
	VADDSS X16, X0, X0
	VADDSS X17, X0, X0
	VADDSS X18, X0, X0
	VADDSS X19, X0, X0
	VADDSS X20, X0, X0
	VADDSS X21, X0, X0
	VADDSS X22, X0, X0
	VADDSS X23, X0, X0
	VMOVSS X0, ret+8(FP)
	VZEROUPPER
	RET

