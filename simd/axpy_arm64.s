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

// func axpyRowsAsm(y *float32, a *float32, x *float32, n, rows, ld int)
// y in chunks of 32 floats held in eight registers across all the rows (then 8 at a
// time): per row a[j] broadcast and one FMLA per register, as in axpyAsm.
TEXT ·axpyRowsAsm(SB), NOSPLIT, $0-48
	MOVD y+0(FP), R0
	MOVD a+8(FP), R1
	MOVD x+16(FP), R2
	MOVD n+24(FP), R3
	MOVD rows+32(FP), R4
	MOVD ld+40(FP), R5
	LSL  $2, R5, R5

chunk32:
	CMP  $32, R3
	BLT  chunk8
	ADD  $64, R0, R6
	VLD1 (R0), [V1.S4, V2.S4, V3.S4, V4.S4]
	VLD1 (R6), [V5.S4, V6.S4, V7.S4, V8.S4]
	MOVD R2, R7
	MOVD R1, R8
	MOVD R4, R9

rows32:
	FMOVS (R8), F0
	ADD   $4, R8
	VDUP  V0.S[0], V0.S4
	ADD   $64, R7, R10
	VLD1  (R7), [V16.S4, V17.S4, V18.S4, V19.S4]
	VLD1  (R10), [V20.S4, V21.S4, V22.S4, V23.S4]
	VFMLA V16.S4, V0.S4, V1.S4
	VFMLA V17.S4, V0.S4, V2.S4
	VFMLA V18.S4, V0.S4, V3.S4
	VFMLA V19.S4, V0.S4, V4.S4
	VFMLA V20.S4, V0.S4, V5.S4
	VFMLA V21.S4, V0.S4, V6.S4
	VFMLA V22.S4, V0.S4, V7.S4
	VFMLA V23.S4, V0.S4, V8.S4
	ADD   R5, R7, R7
	SUBS  $1, R9, R9
	BNE   rows32
	VST1  [V1.S4, V2.S4, V3.S4, V4.S4], (R0)
	VST1  [V5.S4, V6.S4, V7.S4, V8.S4], (R6)
	ADD   $128, R0
	ADD   $128, R2
	SUB   $32, R3
	B     chunk32

chunk8:
	CBZ  R3, rowsdone
	VLD1 (R0), [V1.S4, V2.S4]
	MOVD R2, R7
	MOVD R1, R8
	MOVD R4, R9

rows8:
	FMOVS (R8), F0
	ADD   $4, R8
	VDUP  V0.S[0], V0.S4
	VLD1  (R7), [V16.S4, V17.S4]
	VFMLA V16.S4, V0.S4, V1.S4
	VFMLA V17.S4, V0.S4, V2.S4
	ADD   R5, R7, R7
	SUBS  $1, R9, R9
	BNE   rows8
	VST1.P [V1.S4, V2.S4], 32(R0)
	ADD   $32, R2
	SUB   $8, R3
	B     chunk8

rowsdone:
	RET
