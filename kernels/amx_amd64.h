// Intel AMX instructions as bytes, for amx_amd64.s: the Go assembler (as
// of Go 1.26) has no AMX mnemonics. One macro per instruction and operand
// set, named after it in Go's operand order (sources first, destination
// last). Each macro's comment gives the AT&T form whose encoding GNU as
// (binutils 2.40, `as --64`, then `objdump -d`) printed, byte for byte;
// TestAMXEncodings finds these instructions in the built test binary.
//
// The forms: LDTILECFG and TILERELEASE are VEX.128.NP.0F38.W0 49;
// TILEZERO is VEX.128.F2.0F38.W0 49 /r (mod=11); TILELOADD is
// VEX.128.F2.0F38.W0 4B /r and TILESTORED VEX.128.F3.0F38.W0 4B /r, both
// with a SIB byte whose index register is the row stride in bytes (scale
// 1); TILELOADDT1 is VEX.128.66.0F38.W0 4B /r; TDPBF16PS is VEX.128.F3.0F38.W0 5C /r and TDPBSSD VEX.128.F2.0F38.W0
// 5E /r, with the destination in ModRM.reg, the first source (A) in
// ModRM.rm and the second (B) in VEX.vvvv.

// LDTILECFG (DI): c4 e2 78 49 07 (ldtilecfg (%rdi))
#define LDTILECFG_DI \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0x07

// TILERELEASE: c4 e2 78 49 c0 (tilerelease)
#define TILERELEASE \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0xc0

// TILEZERO TMMn: c4 e2 7b 49 c0/c8/d0/d8 (tilezero %tmm0 .. %tmm3)
#define TILEZERO_TMM0 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc0
#define TILEZERO_TMM1 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc8
#define TILEZERO_TMM2 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd0
#define TILEZERO_TMM3 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd8

// The A operand tiles of the GEMM kernels, rows R8 bytes apart.

// TILELOADD (SI)(R8*1), TMM4: c4 a2 7b 4b 24 06 (tileloadd (%rsi,%r8,1),%tmm4)
#define TILELOADD_SI_R8_TMM4 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x24; BYTE $0x06
// TILELOADD (DI)(R8*1), TMM5: c4 a2 7b 4b 2c 07 (tileloadd (%rdi,%r8,1),%tmm5)
#define TILELOADD_DI_R8_TMM5 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x2c; BYTE $0x07

// The source tiles of the peak loops, all from (SI), rows R8 bytes apart
// (TMM4 as above).

// TILELOADD (SI)(R8*1), TMM5: c4 a2 7b 4b 2c 06 (tileloadd (%rsi,%r8,1),%tmm5)
#define TILELOADD_SI_R8_TMM5 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x2c; BYTE $0x06
// TILELOADD (SI)(R8*1), TMM6: c4 a2 7b 4b 34 06 (tileloadd (%rsi,%r8,1),%tmm6)
#define TILELOADD_SI_R8_TMM6 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x34; BYTE $0x06
// TILELOADD (SI)(R8*1), TMM7: c4 a2 7b 4b 3c 06 (tileloadd (%rsi,%r8,1),%tmm7)
#define TILELOADD_SI_R8_TMM7 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x3c; BYTE $0x06

// The B operand tiles: the two 16-column halves of a 32-column sliver,
// rows R9 bytes apart. The GEMM kernels load them with TILELOADDT1.

// TILELOADDT1 (CX)(R9*1), TMM6: c4 a2 79 4b 34 09 (tileloaddt1 (%rcx,%r9,1),%tmm6)
// TILELOADDT1 is TILELOADD (VEX.128.66.0F38.W0 4B /r) with a hint that
// the data will not be reused soon.
#define TILELOADDT1_CX_R9_TMM6 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x79; BYTE $0x4b; BYTE $0x34; BYTE $0x09
// TILELOADDT1 64(CX)(R9*1), TMM7: c4 a2 79 4b 7c 09 40 (tileloaddt1 0x40(%rcx,%r9,1),%tmm7)
#define TILELOADDT1_64CX_R9_TMM7 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x79; BYTE $0x4b; BYTE $0x7c; BYTE $0x09; BYTE $0x40

// The C accumulator tiles of a 32×32 block, stored: rows 0-15 at DX,
// rows 16-31 at R11, rows R10 bytes apart; columns 16-31 64 bytes in.

// TILESTORED TMM0, (DX)(R10*1): c4 a2 7a 4b 04 12 (tilestored %tmm0,(%rdx,%r10,1))
#define TILESTORED_TMM0_DX_R10 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7a; BYTE $0x4b; BYTE $0x04; BYTE $0x12
// TILESTORED TMM1, 64(DX)(R10*1): c4 a2 7a 4b 4c 12 40 (tilestored %tmm1,0x40(%rdx,%r10,1))
#define TILESTORED_TMM1_64DX_R10 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7a; BYTE $0x4b; BYTE $0x4c; BYTE $0x12; BYTE $0x40
// TILESTORED TMM2, (R11)(R10*1): c4 82 7a 4b 14 13 (tilestored %tmm2,(%r11,%r10,1))
#define TILESTORED_TMM2_R11_R10 \
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x14; BYTE $0x13
// TILESTORED TMM3, 64(R11)(R10*1): c4 82 7a 4b 5c 13 40 (tilestored %tmm3,0x40(%r11,%r10,1))
#define TILESTORED_TMM3_64R11_R10 \
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x5c; BYTE $0x13; BYTE $0x40

// STORE_SUMS_DX stores TMM0-3, a 32×32 block of 32-bit sums, at DX as
// 32 rows of 128 bytes (TMM0 rows 0-15 left, TMM1 right, TMM2 and TMM3
// rows 16-31), using R10 and R11.
#define STORE_SUMS_DX \
	MOVQ $128, R10; \
	MOVQ DX, R11; \
	ADDQ $2048, R11; \
	TILESTORED_TMM0_DX_R10; \
	TILESTORED_TMM1_64DX_R10; \
	TILESTORED_TMM2_R11_R10; \
	TILESTORED_TMM3_64R11_R10

// TILESTORED TMM0, (DI)(R8*1): c4 a2 7a 4b 04 07 (tilestored %tmm0,(%rdi,%r8,1))
#define TILESTORED_TMM0_DI_R8 \
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7a; BYTE $0x4b; BYTE $0x04; BYTE $0x07

// The 2×2 block products: TMM0 += TMM4·TMM6, TMM1 += TMM4·TMM7,
// TMM2 += TMM5·TMM6, TMM3 += TMM5·TMM7 (A tiles TMM4-5, B tiles TMM6-7).

// TDPBF16PS TMM6, TMM4, TMM0: c4 e2 4a 5c c4 (tdpbf16ps %tmm6,%tmm4,%tmm0)
#define TDPBF16PS_TMM6_TMM4_TMM0 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4a; BYTE $0x5c; BYTE $0xc4
// TDPBF16PS TMM7, TMM4, TMM1: c4 e2 42 5c cc (tdpbf16ps %tmm7,%tmm4,%tmm1)
#define TDPBF16PS_TMM7_TMM4_TMM1 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x42; BYTE $0x5c; BYTE $0xcc
// TDPBF16PS TMM6, TMM5, TMM2: c4 e2 4a 5c d5 (tdpbf16ps %tmm6,%tmm5,%tmm2)
#define TDPBF16PS_TMM6_TMM5_TMM2 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4a; BYTE $0x5c; BYTE $0xd5
// TDPBF16PS TMM7, TMM5, TMM3: c4 e2 42 5c dd (tdpbf16ps %tmm7,%tmm5,%tmm3)
#define TDPBF16PS_TMM7_TMM5_TMM3 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x42; BYTE $0x5c; BYTE $0xdd

// TDPBSSD TMM6, TMM4, TMM0: c4 e2 4b 5e c4 (tdpbssd %tmm6,%tmm4,%tmm0)
#define TDPBSSD_TMM6_TMM4_TMM0 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4b; BYTE $0x5e; BYTE $0xc4
// TDPBSSD TMM7, TMM4, TMM1: c4 e2 43 5e cc (tdpbssd %tmm7,%tmm4,%tmm1)
#define TDPBSSD_TMM7_TMM4_TMM1 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x43; BYTE $0x5e; BYTE $0xcc
// TDPBSSD TMM6, TMM5, TMM2: c4 e2 4b 5e d5 (tdpbssd %tmm6,%tmm5,%tmm2)
#define TDPBSSD_TMM6_TMM5_TMM2 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4b; BYTE $0x5e; BYTE $0xd5
// TDPBSSD TMM7, TMM5, TMM3: c4 e2 43 5e dd (tdpbssd %tmm7,%tmm5,%tmm3)
#define TDPBSSD_TMM7_TMM5_TMM3 \
	BYTE $0xc4; BYTE $0xe2; BYTE $0x43; BYTE $0x5e; BYTE $0xdd
