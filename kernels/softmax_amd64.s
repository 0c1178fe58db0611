//go:build gc && !purego && !noasm

#include "textflag.h"

// Constants of the vector exp, the same as expf's (softmax.go).
DATA expc<>+0(SB)/4, $0x3fb8aa3b // log2e
DATA expc<>+4(SB)/4, $0x3f318000 // ln2hi
DATA expc<>+8(SB)/4, $0xb95e8083 // ln2lo
DATA expc<>+12(SB)/4, $0xc2aeac50 // minarg
DATA expc<>+16(SB)/4, $0x800000 // fltmin
DATA expc<>+20(SB)/4, $0x39500d01 // c7
DATA expc<>+24(SB)/4, $0x3ab60b61 // c6
DATA expc<>+28(SB)/4, $0x3c088889 // c5
DATA expc<>+32(SB)/4, $0x3d2aaaab // c4
DATA expc<>+36(SB)/4, $0x3e2aaaab // c3
DATA expc<>+40(SB)/4, $0x3f000000 // c2
DATA expc<>+44(SB)/4, $0x3f800000 // one
GLOBL expc<>(SB), RODATA|NOPTR, $48

// EXP_CONSTS broadcasts the constants the exp loop keeps in registers.
#define EXP_CONSTS(log2e, ln2hi, ln2lo, minarg, fltmin, c7, c6, one) \
	VBROADCASTSS expc<>+0(SB), log2e; \
	VBROADCASTSS expc<>+4(SB), ln2hi; \
	VBROADCASTSS expc<>+8(SB), ln2lo; \
	VBROADCASTSS expc<>+12(SB), minarg; \
	VBROADCASTSS expc<>+16(SB), fltmin; \
	VBROADCASTSS expc<>+20(SB), c7; \
	VBROADCASTSS expc<>+24(SB), c6; \
	VBROADCASTSS expc<>+44(SB), one

// EXP_POLY sets p = exp(x) given n = round(x*log2e), for normal results:
// Cody-Waite reduction to r, the degree-7 polynomial by Horner's rule in
// FMAs (t holds the constants not kept in registers), then 2**n through
// the exponent bits. It clobbers n.
#define EXP_POLY(x, n, r, p, t, ln2hi, ln2lo, c7, c6, one) \
	VMOVAPS x, r; \
	VFNMADD231PS ln2hi, n, r; \
	VFNMADD231PS ln2lo, n, r; \
	VMOVAPS c7, p; \
	VFMADD213PS c6, r, p; \
	VBROADCASTSS expc<>+28(SB), t; \
	VFMADD213PS t, r, p; \
	VBROADCASTSS expc<>+32(SB), t; \
	VFMADD213PS t, r, p; \
	VBROADCASTSS expc<>+36(SB), t; \
	VFMADD213PS t, r, p; \
	VBROADCASTSS expc<>+40(SB), t; \
	VFMADD213PS t, r, p; \
	VFMADD213PS one, r, p; \
	VFMADD213PS one, r, p; \
	VCVTPS2DQ n, n; \
	VPSLLD $23, n, n; \
	VPADDD n, p, p

// SWIGLU_ARGS loads swiGLU's arguments: dst in DI, gate in SI, up in
// DX, n in CX.
#define SWIGLU_ARGS \
	MOVQ dst+0(FP), DI; \
	MOVQ gate+8(FP), SI; \
	MOVQ up+16(FP), DX; \
	MOVQ n+24(FP), CX

// SWIGLU_OUT finishes a vector of swiGLU and steps on: with the gates v,
// their exps e and s (e or 1), it stores v·s/(1+e)·up at DI (d is
// clobbered), then moves SI, DI and DX on by bytes and counts lanes off
// CX. one holds 1.
#define SWIGLU_OUT(v, e, s, d, one, bytes, lanes) \
	VADDPS one, e, d; \
	VMULPS s, v, s; \
	VDIVPS d, s, s; \
	VMULPS (DX), s, s; \
	VMOVUPS s, (DI); \
	ADDQ $bytes, SI; \
	ADDQ $bytes, DI; \
	ADDQ $bytes, DX; \
	SUBQ $lanes, CX

// EXP_AVX2 sets p = exp(x) on 8 lanes, with the constants EXP_CONSTS
// put in Y6-Y13: n = round(x*log2e), EXP_POLY, and 0 where x is below
// ln(2**-126) or the result is not normal. It clobbers n, r, t, m1, m2.
#define EXP_AVX2(x, n, r, p, t, m1, m2) \
	VMULPS Y13, x, n; \
	VROUNDPS $0, n, n; \
	EXP_POLY(x, n, r, p, t, Y12, Y11, Y8, Y7, Y6); \
	VCMPPS $1, Y10, x, m1; \
	VCMPPS $1, Y9, p, m2; \
	VORPS m2, m1, m1; \
	VANDNPS p, m1, p

// EXP_AVX512 is EXP_AVX2 on 16 lanes, the constants in Z6-Z13, the
// masks in K1 and K2.
#define EXP_AVX512(x, n, r, p, t) \
	VMULPS Z13, x, n; \
	VRNDSCALEPS $0, n, n; \
	EXP_POLY(x, n, r, p, t, Z12, Z11, Z8, Z7, Z6); \
	VCMPPS $1, Z10, x, K1; \
	VCMPPS $1, Z9, p, K2; \
	KORW K1, K2, K1; \
	KNOTW K1, K1; \
	VMOVAPS.Z p, K1, p

// REDUCE4 folds the four lanes of X0 with op (VMAXPS, VADDPS) and returns
// the result at ret.
#define REDUCE4(op, ret) \
	VPERMILPS $0x4e, X0, X1; \
	op X1, X0, X0; \
	VPERMILPS $0xb1, X0, X1; \
	op X1, X0, X0; \
	VMOVSS X0, ret

// func rowMaxAVX2(x *float32, n int) float32
// returns the max of x[0:n], n a positive multiple of 8.
TEXT ·rowMaxAVX2(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VMOVUPS (SI), Y0
	ADDQ $32, SI
	SUBQ $8, CX
	JEQ  maxAVX2reduce
maxAVX2loop:
	VMAXPS (SI), Y0, Y0
	ADDQ $32, SI
	SUBQ $8, CX
	JNE  maxAVX2loop
maxAVX2reduce:
	VEXTRACTF128 $1, Y0, X1
	VMAXPS X1, X0, X0
	REDUCE4(VMAXPS, ret+16(FP))
	VZEROUPPER
	RET

// func scaleRowAVX2(x *float32, n int, s float32)
// sets x[i] *= s for i < n, n a positive multiple of 8.
TEXT ·scaleRowAVX2(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSS s+16(FP), Y1
scaleAVX2loop:
	VMULPS (SI), Y1, Y0
	VMOVUPS Y0, (SI)
	ADDQ $32, SI
	SUBQ $8, CX
	JNE  scaleAVX2loop
	VZEROUPPER
	RET

// func expSubSumAVX2(x *float32, n int, m float32) float32
// sets x[i] = exp(x[i]-m) for i < n, n a positive multiple of 8, and
// returns their sum, added lane-wise and then across lanes. The exp is
// expf's algorithm on 8 lanes: round to nearest, Cody-Waite reduction,
// the degree-7 polynomial by FMA, 2**n through the exponent, and results
// below the normal range (or x-m below ln(2**-126)) set to exactly 0.
TEXT ·expSubSumAVX2(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSS m+16(FP), Y15
	VXORPS Y14, Y14, Y14
	EXP_CONSTS(Y13, Y12, Y11, Y10, Y9, Y8, Y7, Y6)
expAVX2loop:
	VMOVUPS (SI), Y0
	VSUBPS Y15, Y0, Y0            // x = x - m
	EXP_AVX2(Y0, Y1, Y2, Y3, Y4, Y4, Y5)
	VMOVUPS Y3, (SI)
	VADDPS Y3, Y14, Y14
	ADDQ $32, SI
	SUBQ $8, CX
	JNE  expAVX2loop
	VEXTRACTF128 $1, Y14, X1
	VADDPS X1, X14, X0
	REDUCE4(VADDPS, ret+24(FP))
	VZEROUPPER
	RET

// func rowMaxAVX512(x *float32, n int) float32
// returns the max of x[0:n], n a positive multiple of 16.
TEXT ·rowMaxAVX512(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VMOVUPS (SI), Z0
	ADDQ $64, SI
	SUBQ $16, CX
	JEQ  maxAVX512reduce
maxAVX512loop:
	VMAXPS (SI), Z0, Z0
	ADDQ $64, SI
	SUBQ $16, CX
	JNE  maxAVX512loop
maxAVX512reduce:
	VEXTRACTF32X8 $1, Z0, Y1
	VMAXPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS X1, X0, X0
	REDUCE4(VMAXPS, ret+16(FP))
	VZEROUPPER
	RET

// func scaleRowAVX512(x *float32, n int, s float32)
// sets x[i] *= s for i < n, n a positive multiple of 16.
TEXT ·scaleRowAVX512(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSS s+16(FP), Z1
scaleAVX512loop:
	VMULPS (SI), Z1, Z0
	VMOVUPS Z0, (SI)
	ADDQ $64, SI
	SUBQ $16, CX
	JNE  scaleAVX512loop
	VZEROUPPER
	RET

// func expSubSumAVX512(x *float32, n int, m float32) float32
// sets x[i] = exp(x[i]-m) for i < n, n a positive multiple of 16, and
// returns their sum, added lane-wise and then across lanes. The exp is
// expf's algorithm on 16 lanes: round to nearest, Cody-Waite reduction,
// the degree-7 polynomial by FMA, 2**n through the exponent, and results
// below the normal range (or x-m below ln(2**-126)) set to exactly 0.
TEXT ·expSubSumAVX512(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ n+8(FP), CX
	VBROADCASTSS m+16(FP), Z15
	VPXORD Z14, Z14, Z14
	EXP_CONSTS(Z13, Z12, Z11, Z10, Z9, Z8, Z7, Z6)
expAVX512loop:
	VMOVUPS (SI), Z0
	VSUBPS Z15, Z0, Z0            // x = x - m
	EXP_AVX512(Z0, Z1, Z2, Z3, Z4)
	VMOVUPS Z3, (SI)
	VADDPS Z3, Z14, Z14
	ADDQ $64, SI
	SUBQ $16, CX
	JNE  expAVX512loop
	VEXTRACTF32X8 $1, Z14, Y1
	VADDPS Y1, Y14, Y14
	VEXTRACTF128 $1, Y14, X1
	VADDPS X1, X14, X0
	REDUCE4(VADDPS, ret+24(FP))
	VZEROUPPER
	RET


// func swiGLUAVX2(dst, gate, up *float32, n int)
// sets dst[i] = v·s/(1+e)·up[i] for i < n, n a positive multiple of 8,
// with v = gate[i], e = exp(−|v|) as expSubSumAVX2 computes it, and s = e
// where v's sign bit is set, 1 where not: swiGLUWith's operations in its
// order, so its bits.
TEXT ·swiGLUAVX2(SB), NOSPLIT, $0-32
	SWIGLU_ARGS
	EXP_CONSTS(Y13, Y12, Y11, Y10, Y9, Y8, Y7, Y6)
	MOVL $0x80000000, AX
	MOVL AX, X15
	VBROADCASTSS X15, Y15         // the sign bit
swiAVX2loop:
	VMOVUPS (SI), Y5              // v
	VORPS Y15, Y5, Y0             // x = −|v|
	EXP_AVX2(Y0, Y1, Y2, Y3, Y4, Y4, Y2) // e
	VBLENDVPS Y5, Y3, Y6, Y2      // s: e where v's sign is set, else 1
	SWIGLU_OUT(Y5, Y3, Y2, Y4, Y6, 32, 8)
	JNE  swiAVX2loop
	VZEROUPPER
	RET

// func swiGLUAVX512(dst, gate, up *float32, n int)
// is swiGLUAVX2 on 16 lanes, n a positive multiple of 16, e as
// expSubSumAVX512 computes it.
TEXT ·swiGLUAVX512(SB), NOSPLIT, $0-32
	SWIGLU_ARGS
	EXP_CONSTS(Z13, Z12, Z11, Z10, Z9, Z8, Z7, Z6)
	MOVL $0x80000000, AX
	VPBROADCASTD AX, Z15          // the sign bit
swiAVX512loop:
	VMOVUPS (SI), Z5              // v
	VPORD Z15, Z5, Z0             // x = −|v|
	EXP_AVX512(Z0, Z1, Z2, Z3, Z4) // e
	VPMOVD2M Z5, K3               // v's sign bits
	VMOVAPS Z6, Z2
	VMOVAPS Z3, K3, Z2            // s: e where v's sign is set, else 1
	SWIGLU_OUT(Z5, Z3, Z2, Z4, Z6, 64, 16)
	JNE  swiAVX512loop
	VZEROUPPER
	RET
