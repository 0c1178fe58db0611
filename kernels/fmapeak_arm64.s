//go:build gc && !purego && !noasm

#include "textflag.h"
#include "neon_arm64.h"

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
	FSTEPS9TO31(2)

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
	FSUM8TO31L1
	FADD4(4, 4, 6)
	FSUM8TO31L2
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
