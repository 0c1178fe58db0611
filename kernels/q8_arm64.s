//go:build gc && !purego && !noasm

#include "textflag.h"

// func q8PrefetchLine(p unsafe.Pointer)
TEXT ·q8PrefetchLine(SB), NOSPLIT, $0-8
	MOVD	p+0(FP), R0
	PRFM	(R0), PLDL2KEEP
	RET
