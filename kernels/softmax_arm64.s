//go:build gc && !purego && !noasm

#include "textflag.h"

// Softmax steps for the NEON tier; see softmax_arm64.go for the contracts.
//
// Go's assembler lacks the vector floating-point arithmetic and compare
// instructions used here, so they are emitted with WORD. Each is the
// Advanced SIMD three-same (or two-register misc) encoding for 128-bit
// vectors of 4 float32 (Arm ARM), base | Rm<<16 | Rn<<5 | Rd, with the base
// checked against llvm-mc:
//
//	FADD   Vd.4S, Vn.4S, Vm.4S	0x4E20D400	d = n + m
//	FSUB   Vd.4S, Vn.4S, Vm.4S	0x4EA0D400	d = n - m
//	FMUL   Vd.4S, Vn.4S, Vm.4S	0x6E20DC00	d = n * m
//	FMAXNM Vd.4S, Vn.4S, Vm.4S	0x4E20C400	d = maxNum(n, m)
//	FADDP  Vd.4S, Vn.4S, Vm.4S	0x6E20D400	pairwise add
//	FCMGT  Vd.4S, Vn.4S, Vm.4S	0x6EA0E400	d = n > m ? ~0 : 0
//	FCMGE  Vd.4S, Vn.4S, Vm.4S	0x6E20E400	d = n >= m ? ~0 : 0
//	FCMEQ  Vd.4S, Vn.4S, Vm.4S	0x4E20E400	d = n == m ? ~0 : 0
//	CMHS   Vd.4S, Vn.4S, Vm.4S	0x6EA03C00	unsigned n >= m
//	CMGE   Vd.4S, Vn.4S, Vm.4S	0x4EA03C00	signed n >= m
//	FRINTM Vd.4S, Vn.4S		0x4E219800	round toward -Inf
//	FCVTZS Vd.4S, Vn.4S		0x4EA1B800	to int32, toward zero
//	FMAXNMV Sd, Vn.4S		0x6E30C800	maxNum across lanes
//	FADDP  Sd, Vn.2S		0x7E30D800	d = n[0] + n[1]
//	FMAXNM Sd, Sn, Sm		0x1E206800	scalar
#define OP3(base, d, n, m) WORD $((base) | ((m)<<16) | ((n)<<5) | (d))
#define FADD4(d, n, m) OP3(0x4E20D400, d, n, m)
#define FSUB4(d, n, m) OP3(0x4EA0D400, d, n, m)
#define FMUL4(d, n, m) OP3(0x6E20DC00, d, n, m)
#define FMAXNM4(d, n, m) OP3(0x4E20C400, d, n, m)
#define FADDP4(d, n, m) OP3(0x6E20D400, d, n, m)
#define FCMGT4(d, n, m) OP3(0x6EA0E400, d, n, m)
#define FCMGE4(d, n, m) OP3(0x6E20E400, d, n, m)
#define FCMEQ4(d, n, m) OP3(0x4E20E400, d, n, m)
#define CMHS4(d, n, m) OP3(0x6EA03C00, d, n, m)
#define CMGE4(d, n, m) OP3(0x4EA03C00, d, n, m)
#define FRINTM4(d, n) OP3(0x4E219800, d, n, 0)
#define FCVTZS4(d, n) OP3(0x4EA1B800, d, n, 0)
#define FMAXNMV4(d, n) OP3(0x6E30C800, d, n, 0)
#define FADDP2S(d, n) OP3(0x7E30D800, d, n, 0)
#define FMAXNMS(d, n, m) OP3(0x1E206800, d, n, m)

// The integer and bitwise forms are in Go's assembler, but only with
// named registers; the EXP4 macro below takes register numbers, so it
// uses these encodings (llvm-mc checked) as well:
//
//	ORR  Vd.16B, Vn.16B, Vn.16B	0x4EA01C00	MOV: d = n
//	FMLA Vd.4S, Vn.4S, Vm.4S	0x4E20CC00	d += n * m, fused
//	FMLS Vd.4S, Vn.4S, Vm.4S	0x4EA0CC00	d -= n * m, fused
//	ADD  Vd.4S, Vn.4S, Vm.4S	0x4EA08400	d = n + m, int32
//	SHL  Vd.4S, Vn.4S, #sh		0x4F005400	immh:immb = 32+sh
//	AND  Vd.16B, Vn.16B, Vm.16B	0x4E201C00
//	BIT  Vd.16B, Vn.16B, Vm.16B	0x6EA01C00	d = n where m is set
//	BIF  Vd.16B, Vn.16B, Vm.16B	0x6EE01C00	d = n where m is clear
#define MOV16(d, n) OP3(0x4EA01C00, d, n, n)
#define FMLA4(d, n, m) OP3(0x4E20CC00, d, n, m)
#define FMLS4(d, n, m) OP3(0x4EA0CC00, d, n, m)
#define ADD4(d, n, m) OP3(0x4EA08400, d, n, m)
#define SHL4(d, n, sh) WORD $(0x4F005400 | ((32+(sh))<<16) | ((n)<<5) | (d))
#define AND16(d, n, m) OP3(0x4E201C00, d, n, m)
#define BIT16(d, n, m) OP3(0x6EA01C00, d, n, m)
#define BIF16(d, n, m) OP3(0x6EE01C00, d, n, m)

// func rowMaxNEON(x []float32) float32
//
// Four accumulators of 4 lanes take 16 values an iteration (FMAXNM has a
// 2-cycle latency and 2 or 4 pipes), then one vector at a time, then the
// last 0-3 values one by one. Maximum is exact and FMAXNM ignores a quiet
// NaN beside a number, as the portable v > m does, so the result equals
// the portable one (up to the sign of a zero maximum).
TEXT ·rowMaxNEON(SB), NOSPLIT, $0-28
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
	MOVW	$0xFF800000, R2 // -Inf
	VDUP	R2, V0.S4
	VMOV	V0.B16, V1.B16
	VMOV	V0.B16, V2.B16
	VMOV	V0.B16, V3.B16

max16:
	CMP	$16, R1
	BLT	max4
	VLD1.P	64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	FMAXNM4(0, 0, 4)
	FMAXNM4(1, 1, 5)
	FMAXNM4(2, 2, 6)
	FMAXNM4(3, 3, 7)
	SUB	$16, R1
	B	max16

max4:
	FMAXNM4(0, 0, 1)
	FMAXNM4(2, 2, 3)
	FMAXNM4(0, 0, 2)

max4loop:
	CMP	$4, R1
	BLT	maxlanes
	VLD1.P	16(R0), [V4.S4]
	FMAXNM4(0, 0, 4)
	SUB	$4, R1
	B	max4loop

maxlanes:
	FMAXNMV4(0, 0) // F0 = max over lanes

max1:
	CBZ	R1, maxdone
	FMOVS.P	4(R0), F1
	FMAXNMS(0, 0, 1)
	SUB	$1, R1
	B	max1

maxdone:
	FMOVS	F0, ret+24(FP)
	RET

// func scaleRowNEON(x []float32, s float32)
//
// x[i] *= s, 16 values an iteration, then 4, then one at a time: one
// rounding per element, so the result equals the portable one exactly.
TEXT ·scaleRowNEON(SB), NOSPLIT, $0-28
	MOVD	x_base+0(FP), R0
	MOVD	x_len+8(FP), R1
	FMOVS	s+24(FP), F16
	VDUP	V16.S[0], V16.S4

scale16:
	CMP	$16, R1
	BLT	scale4
	VLD1	(R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	FMUL4(0, 0, 16)
	FMUL4(1, 1, 16)
	FMUL4(2, 2, 16)
	FMUL4(3, 3, 16)
	VST1.P	[V0.S4, V1.S4, V2.S4, V3.S4], 64(R0)
	SUB	$16, R1
	B	scale16

scale4:
	CMP	$4, R1
	BLT	scale1
	VLD1	(R0), [V0.S4]
	FMUL4(0, 0, 16)
	VST1.P	[V0.S4], 16(R0)
	SUB	$4, R1
	B	scale4

scale1:
	CBZ	R1, scaledone
	FMOVS	(R0), F0
	FMULS	F16, F0, F0
	FMOVS.P	F0, 4(R0)
	SUB	$1, R1
	B	scale1

scaledone:
	RET

// EXP4 computes P = expf(X) in each of 4 lanes, the algorithm of expf in
// softmax.go step by step, each a*b+c fused as Go fuses it on arm64:
//
//	n = floor(x*log2e + 0.5)
//	r = x - n*ln2Hi - n*ln2Lo
//	p = Horner(1/5040, 1/720, 1/120, 1/24, 1/6, 1/2, 1, 1)(r)
//	bits = bits(p) + int32(n)<<23
//
// and then the special cases, as masks over the computed lanes:
// x < minArg, bits below the smallest normal or n < -126 give 0 (so
// -Inf, and every result that would be denormal, is exactly 0);
// x > maxArg gives +Inf; NaN gives x. Arguments are register numbers: the
// input x is kept, the result goes to p, and n, r, q, i and m are scratch.
// Constants live in V16-V31 (see expSubSum4).
#define EXP4(x, n, r, p, q, i, m) \
	MOV16(n, 18); \
	FMLA4(n, x, 17); \
	FRINTM4(n, n); \
	MOV16(r, x); \
	FMLS4(r, n, 19); \
	FMLS4(r, n, 20); \
	MOV16(p, 22); \
	FMLA4(p, r, 21); \
	MOV16(q, 23); \
	FMLA4(q, p, r); \
	MOV16(p, 24); \
	FMLA4(p, q, r); \
	MOV16(q, 25); \
	FMLA4(q, p, r); \
	MOV16(p, 18); \
	FMLA4(p, q, r); \
	MOV16(q, 26); \
	FMLA4(q, p, r); \
	MOV16(p, 26); \
	FMLA4(p, q, r); \
	FCVTZS4(i, n); \
	SHL4(q, i, 23); \
	ADD4(p, p, q); \
	CMHS4(q, p, 29); \
	CMGE4(m, i, 30); \
	AND16(q, q, m); \
	FCMGE4(m, x, 27); \
	AND16(q, q, m); \
	AND16(p, p, q); \
	FCMGT4(m, x, 28); \
	BIT16(p, 31, m); \
	FCMEQ4(m, x, x); \
	BIF16(p, x, m)

// func expSubSum4(x *float32, n int, m float32, consts *uint32) float32
//
// n is a multiple of 4. Two vectors (8 values) an iteration, each with its
// own registers so the two exp chains overlap, then one vector; the sum
// is kept in two 4-lane accumulators, V14 for the values at 8j..8j+3 (and
// the last 4 when n%8 == 4), V15 for 8j+4..8j+7, which are added
// together and then across lanes as (l0+l1)+(l2+l3) at the end.
TEXT ·expSubSum4(SB), NOSPLIT, $0-36
	MOVD	x+0(FP), R0
	MOVD	n+8(FP), R1
	FMOVS	m+16(FP), F16
	VDUP	V16.S[0], V16.S4
	MOVD	consts+24(FP), R2
	VLD1R.P	4(R2), [V17.S4] // log2e
	VLD1R.P	4(R2), [V18.S4] // 0.5
	VLD1R.P	4(R2), [V19.S4] // ln2Hi
	VLD1R.P	4(R2), [V20.S4] // ln2Lo
	VLD1R.P	4(R2), [V21.S4] // 1/5040
	VLD1R.P	4(R2), [V22.S4] // 1/720
	VLD1R.P	4(R2), [V23.S4] // 1/120
	VLD1R.P	4(R2), [V24.S4] // 1/24
	VLD1R.P	4(R2), [V25.S4] // 1/6
	VLD1R.P	4(R2), [V26.S4] // 1
	VLD1R.P	4(R2), [V27.S4] // minArg
	VLD1R.P	4(R2), [V28.S4] // maxArg
	VLD1R.P	4(R2), [V29.S4] // smallest normal, as bits
	VLD1R.P	4(R2), [V30.S4] // -126, int32
	VLD1R.P	4(R2), [V31.S4] // +Inf
	VEOR	V14.B16, V14.B16, V14.B16
	VEOR	V15.B16, V15.B16, V15.B16

exp8:
	CMP	$8, R1
	BLT	exp4
	VLD1	(R0), [V0.S4, V1.S4]
	FSUB4(0, 0, 16)
	FSUB4(1, 1, 16)
	EXP4(0, 2, 3, 4, 6, 7, 8)
	EXP4(1, 9, 10, 5, 11, 12, 13)
	VST1.P	[V4.S4, V5.S4], 32(R0)
	FADD4(14, 14, 4)
	FADD4(15, 15, 5)
	SUB	$8, R1
	B	exp8

exp4:
	CBZ	R1, expdone
	VLD1	(R0), [V0.S4]
	FSUB4(0, 0, 16)
	EXP4(0, 2, 3, 4, 6, 7, 8)
	VST1	[V4.S4], (R0)
	FADD4(14, 14, 4)

expdone:
	FADD4(14, 14, 15)
	FADDP4(14, 14, 14)
	FADDP2S(14, 14)
	FMOVS	F14, ret+32(FP)
	RET
