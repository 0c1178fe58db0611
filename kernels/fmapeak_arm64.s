//go:build gc && !purego && !noasm

#include "textflag.h"

// FADD Vd.4S, Vn.4S, Vm.4S (not in Go's assembler), as in softmax_arm64.s.
#define FADD4(d, n, m) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))
// FADDP Vd.4S, Vn.4S, Vm.4S and FADDP Sd, Vn.2S: pairwise adds.
#define FADDP4(d, n, m) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FADDP2S(d, n) WORD $(0x7E30D800 | ((n)<<5) | (d))

// FMA4 advances one chain: Vx += V0*V1, fused, 4 lanes.
#define FMA4(x) VFMLA V0.S4, V1.S4, x.S4

// func fmaLoopNEON(iters int) float32
TEXT ·fmaLoopNEON(SB), NOSPLIT, $0-12
	MOVD	iters+0(FP), R0
	MOVW	$0x3F7FFFEF, R1 // y = float32(0.999999)
	VDUP	R1, V0.S4
	MOVW	$0x358637BD, R1 // z = float32(1e-6)
	VDUP	R1, V1.S4

	// Chain k starts at 1 + k/32, so every chain holds its own value.
	MOVW	$0x3F800000, R1 // 1
	VDUP	R1, V4.S4
	MOVW	$0x3D000000, R1 // 1/32
	VDUP	R1, V2.S4
	FADD4(5, 4, 2)
	FADD4(6, 5, 2)
	FADD4(7, 6, 2)
	FADD4(8, 7, 2)
	FADD4(9, 8, 2)
	FADD4(10, 9, 2)
	FADD4(11, 10, 2)
	FADD4(12, 11, 2)
	FADD4(13, 12, 2)
	FADD4(14, 13, 2)
	FADD4(15, 14, 2)
	FADD4(16, 15, 2)
	FADD4(17, 16, 2)
	FADD4(18, 17, 2)
	FADD4(19, 18, 2)
	FADD4(20, 19, 2)
	FADD4(21, 20, 2)
	FADD4(22, 21, 2)
	FADD4(23, 22, 2)
	FADD4(24, 23, 2)
	FADD4(25, 24, 2)
	FADD4(26, 25, 2)
	FADD4(27, 26, 2)
	FADD4(28, 27, 2)
	FADD4(29, 28, 2)
	FADD4(30, 29, 2)
	FADD4(31, 30, 2)

	CMP	$0, R0
	BLE	sum

loop:
	FMA4(V4)
	FMA4(V5)
	FMA4(V6)
	FMA4(V7)
	FMA4(V8)
	FMA4(V9)
	FMA4(V10)
	FMA4(V11)
	FMA4(V12)
	FMA4(V13)
	FMA4(V14)
	FMA4(V15)
	FMA4(V16)
	FMA4(V17)
	FMA4(V18)
	FMA4(V19)
	FMA4(V20)
	FMA4(V21)
	FMA4(V22)
	FMA4(V23)
	FMA4(V24)
	FMA4(V25)
	FMA4(V26)
	FMA4(V27)
	FMA4(V28)
	FMA4(V29)
	FMA4(V30)
	FMA4(V31)
	SUBS	$1, R0, R0
	BNE	loop

sum:
	// Sum the 28 chains (a fixed tree), then the 4 lanes.
	FADD4(4, 4, 5)
	FADD4(6, 6, 7)
	FADD4(8, 8, 9)
	FADD4(10, 10, 11)
	FADD4(12, 12, 13)
	FADD4(14, 14, 15)
	FADD4(16, 16, 17)
	FADD4(18, 18, 19)
	FADD4(20, 20, 21)
	FADD4(22, 22, 23)
	FADD4(24, 24, 25)
	FADD4(26, 26, 27)
	FADD4(28, 28, 29)
	FADD4(30, 30, 31)
	FADD4(4, 4, 6)
	FADD4(8, 8, 10)
	FADD4(12, 12, 14)
	FADD4(16, 16, 18)
	FADD4(20, 20, 22)
	FADD4(24, 24, 26)
	FADD4(28, 28, 30)
	FADD4(4, 4, 8)
	FADD4(12, 12, 16)
	FADD4(20, 20, 24)
	FADD4(4, 4, 12)
	FADD4(20, 20, 28)
	FADD4(4, 4, 20)
	FADDP4(4, 4, 4)
	FADDP2S(4, 4)
	FMOVS	F4, ret+8(FP)
	RET
