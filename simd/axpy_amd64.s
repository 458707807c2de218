//go:build !purego

#include "textflag.h"

// func axpyAsm(y *float32, a float32, x *float32, n int)
// 32 floats per iteration in four independent FMAs, then 8 at a time.
TEXT ·axpyAsm(SB), NOSPLIT, $0-32
	MOVQ         y+0(FP), DI
	VBROADCASTSS a+8(FP), Y0
	MOVQ         x+16(FP), SI
	MOVQ         n+24(FP), CX

loop32:
	CMPQ        CX, $32
	JLT         loop8
	VMOVUPS     (SI), Y1
	VMOVUPS     32(SI), Y2
	VMOVUPS     64(SI), Y3
	VMOVUPS     96(SI), Y4
	VFMADD213PS (DI), Y0, Y1
	VFMADD213PS 32(DI), Y0, Y2
	VFMADD213PS 64(DI), Y0, Y3
	VFMADD213PS 96(DI), Y0, Y4
	VMOVUPS     Y1, (DI)
	VMOVUPS     Y2, 32(DI)
	VMOVUPS     Y3, 64(DI)
	VMOVUPS     Y4, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	JMP         loop32

loop8:
	CMPQ        CX, $8
	JLT         done
	VMOVUPS     (SI), Y1
	VFMADD213PS (DI), Y0, Y1
	VMOVUPS     Y1, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         loop8

done:
	VZEROUPPER
	RET

// func axpyRowsAsm(y *float32, a *float32, x *float32, n, rows, ld int)
// y in chunks of 64 floats held in eight registers across all the rows (then 8 at a
// time): per row one broadcast of a[j] and one FMA per register, a·x + y fused as in
// axpyAsm, so the sums have its bits.
TEXT ·axpyRowsAsm(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ a+8(FP), R8
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	MOVQ rows+32(FP), R9
	MOVQ ld+40(FP), DX
	SHLQ $2, DX

chunk64:
	CMPQ    CX, $64
	JLT     chunk8
	VMOVUPS (DI), Y1
	VMOVUPS 32(DI), Y2
	VMOVUPS 64(DI), Y3
	VMOVUPS 96(DI), Y4
	VMOVUPS 128(DI), Y5
	VMOVUPS 160(DI), Y6
	VMOVUPS 192(DI), Y7
	VMOVUPS 224(DI), Y8
	MOVQ    SI, R10
	MOVQ    R8, R11
	MOVQ    R9, R12

rows64:
	VBROADCASTSS (R11), Y0
	VFMADD231PS  (R10), Y0, Y1
	VFMADD231PS  32(R10), Y0, Y2
	VFMADD231PS  64(R10), Y0, Y3
	VFMADD231PS  96(R10), Y0, Y4
	VFMADD231PS  128(R10), Y0, Y5
	VFMADD231PS  160(R10), Y0, Y6
	VFMADD231PS  192(R10), Y0, Y7
	VFMADD231PS  224(R10), Y0, Y8
	ADDQ         DX, R10
	ADDQ         $4, R11
	DECQ         R12
	JNZ          rows64
	VMOVUPS      Y1, (DI)
	VMOVUPS      Y2, 32(DI)
	VMOVUPS      Y3, 64(DI)
	VMOVUPS      Y4, 96(DI)
	VMOVUPS      Y5, 128(DI)
	VMOVUPS      Y6, 160(DI)
	VMOVUPS      Y7, 192(DI)
	VMOVUPS      Y8, 224(DI)
	ADDQ         $256, DI
	ADDQ         $256, SI
	SUBQ         $64, CX
	JMP          chunk64

chunk8:
	CMPQ    CX, $8
	JLT     rowsdone
	VMOVUPS (DI), Y1
	MOVQ    SI, R10
	MOVQ    R8, R11
	MOVQ    R9, R12

rows8:
	VBROADCASTSS (R11), Y0
	VFMADD231PS  (R10), Y0, Y1
	ADDQ         DX, R10
	ADDQ         $4, R11
	DECQ         R12
	JNZ          rows8
	VMOVUPS      Y1, (DI)
	ADDQ         $32, DI
	ADDQ         $32, SI
	SUBQ         $8, CX
	JMP          chunk8

rowsdone:
	VZEROUPPER
	RET
