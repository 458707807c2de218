//go:build !purego

#include "textflag.h"

// func axpyAsm(y *float32, a float32, x *float32, n int)
// 8 floats per iteration: two 4-lane FMLAs against the broadcast a.
TEXT ·axpyAsm(SB), NOSPLIT, $0-32
	MOVD  y+0(FP), R0
	FMOVS a+8(FP), F0
	VDUP  V0.S[0], V0.S4
	MOVD  x+16(FP), R1
	MOVD  n+24(FP), R2

loop:
	CBZ   R2, done
	VLD1  (R1), [V1.S4, V2.S4]
	VLD1  (R0), [V3.S4, V4.S4]
	VFMLA V1.S4, V0.S4, V3.S4
	VFMLA V2.S4, V0.S4, V4.S4
	VST1.P [V3.S4, V4.S4], 32(R0)
	ADD   $32, R1
	SUB   $8, R2
	B     loop

done:
	RET
