//go:build !purego

#include "textflag.h"

// func dot2x4AVX2(a *float32, pix, rs, S int, w *float32, K, L int, acc *[8]float32)
TEXT ·dot2x4AVX2(SB), NOSPLIT, $0-64
	MOVQ a+0(FP), SI
	MOVQ pix+8(FP), AX
	MOVQ rs+16(FP), R13
	MOVQ S+24(FP), R14
	MOVQ w+32(FP), DI
	MOVQ K+40(FP), BX
	MOVQ L+48(FP), CX
	MOVQ acc+56(FP), DX
	SHLQ $2, AX
	SHLQ $2, R13
	SHLQ $2, BX
	SHLQ $2, CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

segment:
	LEAQ (SI)(AX*1), R8   // input 1
	LEAQ (DI)(BX*1), R9   // weight row 1
	LEAQ (R9)(BX*1), R10  // weight row 2
	LEAQ (R10)(BX*1), R11 // weight row 3
	XORQ R12, R12

loop:
	VMOVUPS     (SI)(R12*1), Y8
	VMOVUPS     (R8)(R12*1), Y9
	VMOVUPS     (DI)(R12*1), Y10
	VFMADD231PS Y10, Y8, Y0
	VFMADD231PS Y10, Y9, Y4
	VMOVUPS     (R9)(R12*1), Y11
	VFMADD231PS Y11, Y8, Y1
	VFMADD231PS Y11, Y9, Y5
	VMOVUPS     (R10)(R12*1), Y12
	VFMADD231PS Y12, Y8, Y2
	VFMADD231PS Y12, Y9, Y6
	VMOVUPS     (R11)(R12*1), Y13
	VFMADD231PS Y13, Y8, Y3
	VFMADD231PS Y13, Y9, Y7
	ADDQ        $32, R12
	CMPQ        R12, CX
	JLT         loop

	ADDQ R13, SI // next segment: input rows rs apart, weight segments L apart
	ADDQ CX, DI
	DECQ R14
	JNZ  segment

	// Per 128-bit lane, hadd(hadd(s0,s1), hadd(s2,s3)) = [s0, s1, s2, s3] partial sums;
	// adding the two lanes finishes the reduction.
	VHADDPS      Y1, Y0, Y0
	VHADDPS      Y3, Y2, Y2
	VHADDPS      Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VHADDPS      Y5, Y4, Y4
	VHADDPS      Y7, Y6, Y6
	VHADDPS      Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS       X5, X4, X4
	VMOVUPS      (DX), X8
	VADDPS       X8, X0, X0
	VMOVUPS      X0, (DX)
	VMOVUPS      16(DX), X9
	VADDPS       X9, X4, X4
	VMOVUPS      X4, 16(DX)
	VZEROUPPER
	RET
