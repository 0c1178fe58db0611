//go:build gc && !purego && !noasm

#include "textflag.h"

// QuantizeQ8Row's vector loop (quant_amd64.go): per block of 32 values,
// the largest |v| by its bits (unsigned max of the bits with the sign
// cleared, as the Go loop takes it, NaN above +Inf), d = that / 127 and
// id = 1/d (0 when d is 0) in scalar float32, then each code as
// float32(v·id) + 1.5·2²³ − 1.5·2²³ truncated to int32 and to its low
// byte: the same float32 operations as the Go loop, and Go's conversion
// of a float32 to int8 on amd64 (CVTTSS2SL, then the low byte).

DATA quantConst<>+0(SB)/4, $0x7fffffff // the sign cleared
DATA quantConst<>+4(SB)/4, $0x42fe0000 // 127
DATA quantConst<>+8(SB)/4, $0x3f800000 // 1
DATA quantConst<>+12(SB)/4, $0x4b400000 // 1.5·2²³
GLOBL quantConst<>(SB), RODATA|NOPTR, $16

// func quantizeQ8AVX512(q *int8, d *float32, x *float32, blocks int)
TEXT ·quantizeQ8AVX512(SB), NOSPLIT, $0-32
	MOVQ q+0(FP), DI
	MOVQ d+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ blocks+24(FP), CX
	VPBROADCASTD quantConst<>+0(SB), Z31
	VBROADCASTSS quantConst<>+12(SB), Z30

block:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	VPANDD Z31, Z0, Z2
	VPANDD Z31, Z1, Z3
	VPMAXUD Z3, Z2, Z2
	VEXTRACTI64X4 $1, Z2, Y3
	VPMAXUD Y3, Y2, Y2
	VEXTRACTI128 $1, Y2, X3
	VPMAXUD X3, X2, X2
	VPSHUFD $0x4e, X2, X3
	VPMAXUD X3, X2, X2
	VPSHUFD $0xb1, X2, X3
	VPMAXUD X3, X2, X2
	VDIVSS quantConst<>+4(SB), X2, X4
	VMOVSS X4, (DX)
	VXORPS X5, X5, X5
	VMOVD X4, AX
	TESTL AX, AX
	JEQ  scaled
	VMOVSS quantConst<>+8(SB), X5
	VDIVSS X4, X5, X5

scaled:
	VBROADCASTSS X5, Z5
	VMULPS Z5, Z0, Z0
	VMULPS Z5, Z1, Z1
	VADDPS Z30, Z0, Z0
	VADDPS Z30, Z1, Z1
	VSUBPS Z30, Z0, Z0
	VSUBPS Z30, Z1, Z1
	VCVTTPS2DQ Z0, Z0
	VCVTTPS2DQ Z1, Z1
	VPMOVDB Z0, (DI)
	VPMOVDB Z1, 16(DI)
	ADDQ $128, SI
	ADDQ $32, DI
	ADDQ $4, DX
	DECQ CX
	JNE  block
	VZEROUPPER
	RET
