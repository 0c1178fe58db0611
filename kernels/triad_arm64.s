//go:build gc && !purego && !noasm

#include "textflag.h"

// func triad2(a, b, c []float64, s float64)
//
// a[i] = b[i] + s*c[i] for i < len(a), one fused multiply-add per element
// (as Go's triadGo on arm64), with ordinary stores. 8 doubles, one 64-byte
// line of each array, an iteration: two 4-register loads, 4 FMLAs on 2
// lanes, one 4-register store; then 2 at a time, then the last one.
TEXT ·triad2(SB), NOSPLIT, $0-80
	MOVD	a_base+0(FP), R0
	MOVD	a_len+8(FP), R3
	MOVD	b_base+24(FP), R1
	MOVD	c_base+48(FP), R2
	FMOVD	s+72(FP), F31
	VDUP	V31.D[0], V31.D2

loop8:
	CMP	$8, R3
	BLT	loop2
	VLD1.P	64(R1), [V0.D2, V1.D2, V2.D2, V3.D2]
	VLD1.P	64(R2), [V4.D2, V5.D2, V6.D2, V7.D2]
	VFMLA	V31.D2, V4.D2, V0.D2
	VFMLA	V31.D2, V5.D2, V1.D2
	VFMLA	V31.D2, V6.D2, V2.D2
	VFMLA	V31.D2, V7.D2, V3.D2
	VST1.P	[V0.D2, V1.D2, V2.D2, V3.D2], 64(R0)
	SUB	$8, R3
	B	loop8

loop2:
	CMP	$2, R3
	BLT	loop1
	VLD1.P	16(R1), [V0.D2]
	VLD1.P	16(R2), [V4.D2]
	VFMLA	V31.D2, V4.D2, V0.D2
	VST1.P	[V0.D2], 16(R0)
	SUB	$2, R3
	B	loop2

loop1:
	CBZ	R3, done
	FMOVD	(R1), F0
	FMOVD	(R2), F4
	FMADDD	F31, F0, F4, F0 // F0 = F0 + F4*F31
	FMOVD	F0, (R0)

done:
	RET
