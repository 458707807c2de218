//go:build !purego

#include "textflag.h"

// AVX2 twins of Expf, Tanhf, GeluTanh and Softcap (elementwise.go), eight lanes at a
// time (sixteen on zmm at the AVX-512F level) with the same float32 operations in
// the same order and no FMA, so that every
// lane equals the Go function's result bit for bit. Special inputs (±Inf, NaN,
// beyond the exponent range) are computed with garbage and then blended, as the Go
// branches would give them.

DATA ew_log2e<>+0(SB)/4, $0x3fb8aa3b
DATA ew_log2e<>+4(SB)/4, $0x3fb8aa3b
DATA ew_log2e<>+8(SB)/4, $0x3fb8aa3b
DATA ew_log2e<>+12(SB)/4, $0x3fb8aa3b
DATA ew_log2e<>+16(SB)/4, $0x3fb8aa3b
DATA ew_log2e<>+20(SB)/4, $0x3fb8aa3b
DATA ew_log2e<>+24(SB)/4, $0x3fb8aa3b
DATA ew_log2e<>+28(SB)/4, $0x3fb8aa3b
GLOBL ew_log2e<>(SB), RODATA|NOPTR, $32

DATA ew_half<>+0(SB)/4, $0x3f000000
DATA ew_half<>+4(SB)/4, $0x3f000000
DATA ew_half<>+8(SB)/4, $0x3f000000
DATA ew_half<>+12(SB)/4, $0x3f000000
DATA ew_half<>+16(SB)/4, $0x3f000000
DATA ew_half<>+20(SB)/4, $0x3f000000
DATA ew_half<>+24(SB)/4, $0x3f000000
DATA ew_half<>+28(SB)/4, $0x3f000000
GLOBL ew_half<>(SB), RODATA|NOPTR, $32

DATA ew_c1<>+0(SB)/4, $0x3f318000
DATA ew_c1<>+4(SB)/4, $0x3f318000
DATA ew_c1<>+8(SB)/4, $0x3f318000
DATA ew_c1<>+12(SB)/4, $0x3f318000
DATA ew_c1<>+16(SB)/4, $0x3f318000
DATA ew_c1<>+20(SB)/4, $0x3f318000
DATA ew_c1<>+24(SB)/4, $0x3f318000
DATA ew_c1<>+28(SB)/4, $0x3f318000
GLOBL ew_c1<>(SB), RODATA|NOPTR, $32

DATA ew_c2<>+0(SB)/4, $0xb95e8083
DATA ew_c2<>+4(SB)/4, $0xb95e8083
DATA ew_c2<>+8(SB)/4, $0xb95e8083
DATA ew_c2<>+12(SB)/4, $0xb95e8083
DATA ew_c2<>+16(SB)/4, $0xb95e8083
DATA ew_c2<>+20(SB)/4, $0xb95e8083
DATA ew_c2<>+24(SB)/4, $0xb95e8083
DATA ew_c2<>+28(SB)/4, $0xb95e8083
GLOBL ew_c2<>(SB), RODATA|NOPTR, $32

DATA ew_p0<>+0(SB)/4, $0x39506967
DATA ew_p0<>+4(SB)/4, $0x39506967
DATA ew_p0<>+8(SB)/4, $0x39506967
DATA ew_p0<>+12(SB)/4, $0x39506967
DATA ew_p0<>+16(SB)/4, $0x39506967
DATA ew_p0<>+20(SB)/4, $0x39506967
DATA ew_p0<>+24(SB)/4, $0x39506967
DATA ew_p0<>+28(SB)/4, $0x39506967
GLOBL ew_p0<>(SB), RODATA|NOPTR, $32

DATA ew_p1<>+0(SB)/4, $0x3ab743ce
DATA ew_p1<>+4(SB)/4, $0x3ab743ce
DATA ew_p1<>+8(SB)/4, $0x3ab743ce
DATA ew_p1<>+12(SB)/4, $0x3ab743ce
DATA ew_p1<>+16(SB)/4, $0x3ab743ce
DATA ew_p1<>+20(SB)/4, $0x3ab743ce
DATA ew_p1<>+24(SB)/4, $0x3ab743ce
DATA ew_p1<>+28(SB)/4, $0x3ab743ce
GLOBL ew_p1<>(SB), RODATA|NOPTR, $32

DATA ew_p2<>+0(SB)/4, $0x3c088908
DATA ew_p2<>+4(SB)/4, $0x3c088908
DATA ew_p2<>+8(SB)/4, $0x3c088908
DATA ew_p2<>+12(SB)/4, $0x3c088908
DATA ew_p2<>+16(SB)/4, $0x3c088908
DATA ew_p2<>+20(SB)/4, $0x3c088908
DATA ew_p2<>+24(SB)/4, $0x3c088908
DATA ew_p2<>+28(SB)/4, $0x3c088908
GLOBL ew_p2<>(SB), RODATA|NOPTR, $32

DATA ew_p3<>+0(SB)/4, $0x3d2aa9c1
DATA ew_p3<>+4(SB)/4, $0x3d2aa9c1
DATA ew_p3<>+8(SB)/4, $0x3d2aa9c1
DATA ew_p3<>+12(SB)/4, $0x3d2aa9c1
DATA ew_p3<>+16(SB)/4, $0x3d2aa9c1
DATA ew_p3<>+20(SB)/4, $0x3d2aa9c1
DATA ew_p3<>+24(SB)/4, $0x3d2aa9c1
DATA ew_p3<>+28(SB)/4, $0x3d2aa9c1
GLOBL ew_p3<>(SB), RODATA|NOPTR, $32

DATA ew_p4<>+0(SB)/4, $0x3e2aaaaa
DATA ew_p4<>+4(SB)/4, $0x3e2aaaaa
DATA ew_p4<>+8(SB)/4, $0x3e2aaaaa
DATA ew_p4<>+12(SB)/4, $0x3e2aaaaa
DATA ew_p4<>+16(SB)/4, $0x3e2aaaaa
DATA ew_p4<>+20(SB)/4, $0x3e2aaaaa
DATA ew_p4<>+24(SB)/4, $0x3e2aaaaa
DATA ew_p4<>+28(SB)/4, $0x3e2aaaaa
GLOBL ew_p4<>(SB), RODATA|NOPTR, $32

DATA ew_p5<>+0(SB)/4, $0x3f000000
DATA ew_p5<>+4(SB)/4, $0x3f000000
DATA ew_p5<>+8(SB)/4, $0x3f000000
DATA ew_p5<>+12(SB)/4, $0x3f000000
DATA ew_p5<>+16(SB)/4, $0x3f000000
DATA ew_p5<>+20(SB)/4, $0x3f000000
DATA ew_p5<>+24(SB)/4, $0x3f000000
DATA ew_p5<>+28(SB)/4, $0x3f000000
GLOBL ew_p5<>(SB), RODATA|NOPTR, $32

DATA ew_one<>+0(SB)/4, $0x3f800000
DATA ew_one<>+4(SB)/4, $0x3f800000
DATA ew_one<>+8(SB)/4, $0x3f800000
DATA ew_one<>+12(SB)/4, $0x3f800000
DATA ew_one<>+16(SB)/4, $0x3f800000
DATA ew_one<>+20(SB)/4, $0x3f800000
DATA ew_one<>+24(SB)/4, $0x3f800000
DATA ew_one<>+28(SB)/4, $0x3f800000
GLOBL ew_one<>(SB), RODATA|NOPTR, $32

DATA ew_two<>+0(SB)/4, $0x40000000
DATA ew_two<>+4(SB)/4, $0x40000000
DATA ew_two<>+8(SB)/4, $0x40000000
DATA ew_two<>+12(SB)/4, $0x40000000
DATA ew_two<>+16(SB)/4, $0x40000000
DATA ew_two<>+20(SB)/4, $0x40000000
DATA ew_two<>+24(SB)/4, $0x40000000
DATA ew_two<>+28(SB)/4, $0x40000000
GLOBL ew_two<>(SB), RODATA|NOPTR, $32

DATA ew_nine<>+0(SB)/4, $0x41100000
DATA ew_nine<>+4(SB)/4, $0x41100000
DATA ew_nine<>+8(SB)/4, $0x41100000
DATA ew_nine<>+12(SB)/4, $0x41100000
DATA ew_nine<>+16(SB)/4, $0x41100000
DATA ew_nine<>+20(SB)/4, $0x41100000
DATA ew_nine<>+24(SB)/4, $0x41100000
DATA ew_nine<>+28(SB)/4, $0x41100000
GLOBL ew_nine<>(SB), RODATA|NOPTR, $32

DATA ew_hi<>+0(SB)/4, $0x42b0c0a5
DATA ew_hi<>+4(SB)/4, $0x42b0c0a5
DATA ew_hi<>+8(SB)/4, $0x42b0c0a5
DATA ew_hi<>+12(SB)/4, $0x42b0c0a5
DATA ew_hi<>+16(SB)/4, $0x42b0c0a5
DATA ew_hi<>+20(SB)/4, $0x42b0c0a5
DATA ew_hi<>+24(SB)/4, $0x42b0c0a5
DATA ew_hi<>+28(SB)/4, $0x42b0c0a5
GLOBL ew_hi<>(SB), RODATA|NOPTR, $32

DATA ew_lo<>+0(SB)/4, $0xc2aeac50
DATA ew_lo<>+4(SB)/4, $0xc2aeac50
DATA ew_lo<>+8(SB)/4, $0xc2aeac50
DATA ew_lo<>+12(SB)/4, $0xc2aeac50
DATA ew_lo<>+16(SB)/4, $0xc2aeac50
DATA ew_lo<>+20(SB)/4, $0xc2aeac50
DATA ew_lo<>+24(SB)/4, $0xc2aeac50
DATA ew_lo<>+28(SB)/4, $0xc2aeac50
GLOBL ew_lo<>(SB), RODATA|NOPTR, $32

DATA ew_inf<>+0(SB)/4, $0x7f800000
DATA ew_inf<>+4(SB)/4, $0x7f800000
DATA ew_inf<>+8(SB)/4, $0x7f800000
DATA ew_inf<>+12(SB)/4, $0x7f800000
DATA ew_inf<>+16(SB)/4, $0x7f800000
DATA ew_inf<>+20(SB)/4, $0x7f800000
DATA ew_inf<>+24(SB)/4, $0x7f800000
DATA ew_inf<>+28(SB)/4, $0x7f800000
GLOBL ew_inf<>(SB), RODATA|NOPTR, $32

DATA ew_abs<>+0(SB)/4, $0x7fffffff
DATA ew_abs<>+4(SB)/4, $0x7fffffff
DATA ew_abs<>+8(SB)/4, $0x7fffffff
DATA ew_abs<>+12(SB)/4, $0x7fffffff
DATA ew_abs<>+16(SB)/4, $0x7fffffff
DATA ew_abs<>+20(SB)/4, $0x7fffffff
DATA ew_abs<>+24(SB)/4, $0x7fffffff
DATA ew_abs<>+28(SB)/4, $0x7fffffff
GLOBL ew_abs<>(SB), RODATA|NOPTR, $32

DATA ew_sign<>+0(SB)/4, $0x80000000
DATA ew_sign<>+4(SB)/4, $0x80000000
DATA ew_sign<>+8(SB)/4, $0x80000000
DATA ew_sign<>+12(SB)/4, $0x80000000
DATA ew_sign<>+16(SB)/4, $0x80000000
DATA ew_sign<>+20(SB)/4, $0x80000000
DATA ew_sign<>+24(SB)/4, $0x80000000
DATA ew_sign<>+28(SB)/4, $0x80000000
GLOBL ew_sign<>(SB), RODATA|NOPTR, $32

DATA ew_bias<>+0(SB)/4, $0x0000007f
DATA ew_bias<>+4(SB)/4, $0x0000007f
DATA ew_bias<>+8(SB)/4, $0x0000007f
DATA ew_bias<>+12(SB)/4, $0x0000007f
DATA ew_bias<>+16(SB)/4, $0x0000007f
DATA ew_bias<>+20(SB)/4, $0x0000007f
DATA ew_bias<>+24(SB)/4, $0x0000007f
DATA ew_bias<>+28(SB)/4, $0x0000007f
GLOBL ew_bias<>(SB), RODATA|NOPTR, $32

DATA ew_gk<>+0(SB)/8, $0x3fa6e4e26d4801f7
DATA ew_gk<>+8(SB)/8, $0x3fa6e4e26d4801f7
DATA ew_gk<>+16(SB)/8, $0x3fa6e4e26d4801f7
DATA ew_gk<>+24(SB)/8, $0x3fa6e4e26d4801f7
GLOBL ew_gk<>(SB), RODATA|NOPTR, $32

DATA ew_s2pi<>+0(SB)/8, $0x3fe9884533d43651
DATA ew_s2pi<>+8(SB)/8, $0x3fe9884533d43651
DATA ew_s2pi<>+16(SB)/8, $0x3fe9884533d43651
DATA ew_s2pi<>+24(SB)/8, $0x3fe9884533d43651
GLOBL ew_s2pi<>(SB), RODATA|NOPTR, $32


// EXP: Y1 = Expf(Y0). Clobbers Y2, Y3, Y4.
#define EXP \
	VMULPS     ew_log2e<>(SB), Y0, Y1 \
	VADDPS     ew_half<>(SB), Y1, Y1  \
	VROUNDPS   $1, Y1, Y1             \
	VMULPS     ew_c1<>(SB), Y1, Y2    \
	VSUBPS     Y2, Y0, Y2             \
	VMULPS     ew_c2<>(SB), Y1, Y3    \
	VSUBPS     Y3, Y2, Y2             \
	VMULPS     ew_p0<>(SB), Y2, Y3    \
	VADDPS     ew_p1<>(SB), Y3, Y3    \
	VMULPS     Y2, Y3, Y3             \
	VADDPS     ew_p2<>(SB), Y3, Y3    \
	VMULPS     Y2, Y3, Y3             \
	VADDPS     ew_p3<>(SB), Y3, Y3    \
	VMULPS     Y2, Y3, Y3             \
	VADDPS     ew_p4<>(SB), Y3, Y3    \
	VMULPS     Y2, Y3, Y3             \
	VADDPS     ew_p5<>(SB), Y3, Y3    \
	VMULPS     Y2, Y3, Y3             \
	VMULPS     Y2, Y3, Y3             \
	VADDPS     Y2, Y3, Y3             \
	VADDPS     ew_one<>(SB), Y3, Y3   \
	VCVTTPS2DQ Y1, Y4                 \
	VPADDD     ew_bias<>(SB), Y4, Y4  \
	VPSLLD     $23, Y4, Y4            \
	VMULPS     Y4, Y3, Y1             \
	VCMPPS     $0x1e, ew_hi<>(SB), Y0, Y4 \
	VBLENDVPS  Y4, ew_inf<>(SB), Y1, Y1   \
	VCMPPS     $0x11, ew_lo<>(SB), Y0, Y4 \
	VANDNPS    Y1, Y4, Y1             \
	VCMPPS     $3, Y0, Y0, Y4         \
	VBLENDVPS  Y4, Y0, Y1, Y1

// TANH: Y5 = Tanhf(Y0). Clobbers Y0–Y4, Y6, Y7.
#define TANH \
	VMOVAPS   Y0, Y7                 \
	VANDPS    ew_abs<>(SB), Y0, Y6   \
	VADDPS    Y6, Y6, Y0             \
	EXP                              \
	VADDPS    ew_one<>(SB), Y1, Y1   \
	VMOVUPS   ew_two<>(SB), Y2       \
	VDIVPS    Y1, Y2, Y2             \
	VMOVUPS   ew_one<>(SB), Y5       \
	VSUBPS    Y2, Y5, Y5             \
	VCMPPS    $0x1e, ew_nine<>(SB), Y6, Y4 \
	VBLENDVPS Y4, ew_one<>(SB), Y5, Y5     \
	VXORPS    Y4, Y4, Y4             \
	VCMPPS    $0x11, Y4, Y7, Y4      \
	VANDPS    ew_sign<>(SB), Y4, Y4  \
	VXORPS    Y4, Y5, Y5

// EXPZ, TANHZ: EXP and TANH on zmm registers (Z0 in, Z1 / Z5 out, the same
// registers clobbered), for the AVX-512F level: the same operations in the same
// order, constants broadcast from the tables' first lane, the blends done with
// mask registers K1–K3 (VBLENDVPS has no zmm form). Only AVX-512F instructions
// (VPANDD and VPXORD for the bit operations, which VANDPS/VXORPS would need
// AVX-512DQ for).
#define EXPZ \
	VMULPS.BCST   ew_log2e<>(SB), Z0, Z1 \
	VADDPS.BCST   ew_half<>(SB), Z1, Z1  \
	VRNDSCALEPS   $1, Z1, Z1             \
	VMULPS.BCST   ew_c1<>(SB), Z1, Z2    \
	VSUBPS        Z2, Z0, Z2             \
	VMULPS.BCST   ew_c2<>(SB), Z1, Z3    \
	VSUBPS        Z3, Z2, Z2             \
	VMULPS.BCST   ew_p0<>(SB), Z2, Z3    \
	VADDPS.BCST   ew_p1<>(SB), Z3, Z3    \
	VMULPS        Z2, Z3, Z3             \
	VADDPS.BCST   ew_p2<>(SB), Z3, Z3    \
	VMULPS        Z2, Z3, Z3             \
	VADDPS.BCST   ew_p3<>(SB), Z3, Z3    \
	VMULPS        Z2, Z3, Z3             \
	VADDPS.BCST   ew_p4<>(SB), Z3, Z3    \
	VMULPS        Z2, Z3, Z3             \
	VADDPS.BCST   ew_p5<>(SB), Z3, Z3    \
	VMULPS        Z2, Z3, Z3             \
	VMULPS        Z2, Z3, Z3             \
	VADDPS        Z2, Z3, Z3             \
	VADDPS.BCST   ew_one<>(SB), Z3, Z3   \
	VCVTTPS2DQ    Z1, Z4                 \
	VPADDD.BCST   ew_bias<>(SB), Z4, Z4  \
	VPSLLD        $23, Z4, Z4            \
	VMULPS        Z4, Z3, Z1             \
	VCMPPS.BCST   $0x1e, ew_hi<>(SB), Z0, K1 \
	VBROADCASTSS  ew_inf<>(SB), K1, Z1   \
	VCMPPS.BCST   $0x11, ew_lo<>(SB), Z0, K2 \
	VPXORD        Z1, Z1, K2, Z1         \
	VCMPPS        $3, Z0, Z0, K3         \
	VMOVAPS       Z0, K3, Z1

#define TANHZ \
	VMOVAPS       Z0, Z7                 \
	VPANDD.BCST   ew_abs<>(SB), Z0, Z6   \
	VADDPS        Z6, Z6, Z0             \
	EXPZ                                 \
	VADDPS.BCST   ew_one<>(SB), Z1, Z1   \
	VBROADCASTSS  ew_two<>(SB), Z2       \
	VDIVPS        Z1, Z2, Z2             \
	VBROADCASTSS  ew_one<>(SB), Z5       \
	VSUBPS        Z2, Z5, Z5             \
	VCMPPS.BCST   $0x1e, ew_nine<>(SB), Z6, K1 \
	VBROADCASTSS  ew_one<>(SB), K1, Z5   \
	VPXORD        Z4, Z4, Z4             \
	VCMPPS        $0x11, Z4, Z7, K2      \
	VPXORD.BCST   ew_sign<>(SB), Z5, K2, Z5

// func expShiftAsm(x *float32, n int, m float32)
// With useElemZmm (the AVX-512F level), 16 values at a time on zmm while 16
// remain, then 8 on ymm; the two give the same bits.
TEXT ·expShiftAsm(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSS m+16(FP), Y8
	CMPB         ·useElemZmm(SB), $0
	JEQ          exloop
	VBROADCASTSS m+16(FP), Z8

exzloop:
	CMPQ    CX, $16
	JLT     exrest
	VMOVUPS (SI), Z0
	VSUBPS  Z8, Z0, Z0
	EXPZ
	VMOVUPS Z1, (SI)
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     exzloop

exrest:
	TESTQ CX, CX
	JZ    exdone

exloop:
	VMOVUPS (SI), Y0
	VSUBPS  Y8, Y0, Y0
	EXP
	VMOVUPS Y1, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     exloop

exdone:
	VZEROUPPER
	RET

// func softcapAsm(x *float32, n int, cap float32)
// zmm as expShiftAsm.
TEXT ·softcapAsm(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSS cap+16(FP), Y8
	CMPB         ·useElemZmm(SB), $0
	JEQ          scloop
	VBROADCASTSS cap+16(FP), Z8

sczloop:
	CMPQ    CX, $16
	JLT     screst
	VMOVUPS (SI), Z0
	VDIVPS  Z8, Z0, Z0
	TANHZ
	VMULPS  Z5, Z8, Z5
	VMOVUPS Z5, (SI)
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     sczloop

screst:
	TESTQ CX, CX
	JZ    scdone

scloop:
	VMOVUPS (SI), Y0
	VDIVPS  Y8, Y0, Y0
	TANH
	VMULPS  Y5, Y8, Y5
	VMOVUPS Y5, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     scloop

scdone:
	VZEROUPPER
	RET

// func geluTanhAsm(a, b *float32, n int)
// u = float32(√(2/π)·(v + 0.044715·v·v·v)) in float64, four lanes per half
// (eight on zmm, as expShiftAsm).
TEXT ·geluTanhAsm(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	MOVQ n+16(FP), CX
	CMPB ·useElemZmm(SB), $0
	JEQ  glloop

glzloop:
	CMPQ          CX, $16
	JLT           glrest
	VMOVUPS       (SI), Z8
	VCVTPS2PD     Y8, Z9
	VEXTRACTF64X4 $1, Z8, Y10
	VCVTPS2PD     Y10, Z10
	VMULPD.BCST   ew_gk<>(SB), Z9, Z11
	VMULPD        Z9, Z11, Z11
	VMULPD        Z9, Z11, Z11
	VADDPD        Z11, Z9, Z11
	VMULPD.BCST   ew_s2pi<>(SB), Z11, Z11
	VCVTPD2PS     Z11, Y11
	VMULPD.BCST   ew_gk<>(SB), Z10, Z12
	VMULPD        Z10, Z12, Z12
	VMULPD        Z10, Z12, Z12
	VADDPD        Z12, Z10, Z12
	VMULPD.BCST   ew_s2pi<>(SB), Z12, Z12
	VCVTPD2PS     Z12, Y12
	VINSERTF64X4  $1, Y12, Z11, Z0
	TANHZ
	VADDPS.BCST   ew_one<>(SB), Z5, Z5
	VMULPS.BCST   ew_half<>(SB), Z8, Z9
	VMULPS        Z5, Z9, Z9
	TESTQ         DI, DI
	JZ            glzstore
	VMULPS        (DI), Z9, Z9
	ADDQ          $64, DI

glzstore:
	VMOVUPS Z9, (SI)
	ADDQ    $64, SI
	SUBQ    $16, CX
	JMP     glzloop

glrest:
	TESTQ CX, CX
	JZ    gldone

glloop:
	VMOVUPS      (SI), Y8
	VCVTPS2PD    X8, Y9
	VEXTRACTF128 $1, Y8, X10
	VCVTPS2PD    X10, Y10
	VMULPD       ew_gk<>(SB), Y9, Y11
	VMULPD       Y9, Y11, Y11
	VMULPD       Y9, Y11, Y11
	VADDPD       Y11, Y9, Y11
	VMULPD       ew_s2pi<>(SB), Y11, Y11
	VCVTPD2PSY   Y11, X11
	VMULPD       ew_gk<>(SB), Y10, Y12
	VMULPD       Y10, Y12, Y12
	VMULPD       Y10, Y12, Y12
	VADDPD       Y12, Y10, Y12
	VMULPD       ew_s2pi<>(SB), Y12, Y12
	VCVTPD2PSY   Y12, X12
	VINSERTF128  $1, X12, Y11, Y0
	TANH
	VADDPS       ew_one<>(SB), Y5, Y5
	VMULPS       ew_half<>(SB), Y8, Y9
	VMULPS       Y5, Y9, Y9
	TESTQ        DI, DI
	JZ           glstore
	VMULPS       (DI), Y9, Y9
	ADDQ         $32, DI

glstore:
	VMOVUPS Y9, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     glloop

gldone:
	VZEROUPPER
	RET

// func scaleAsm(x *float32, n int, a float32)
TEXT ·scaleAsm(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSS a+16(FP), Y8

mulloop:
	VMULPS  (SI), Y8, Y0
	VMOVUPS Y0, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     mulloop
	VZEROUPPER
	RET

// func maxAsm(x *float32, n int) float32
// Two chains of VMAXPS (one is ~3 cycles per 8 values), folded at the end.
TEXT ·maxAsm(SB), NOSPLIT, $0-20
	MOVQ    x+0(FP), SI
	MOVQ    n+8(FP), CX
	VMOVUPS (SI), Y0
	VMOVAPS Y0, Y1
	ADDQ    $32, SI
	SUBQ    $8, CX
	JZ      maxfold

maxloop:
	VMAXPS (SI), Y0, Y0
	ADDQ   $32, SI
	SUBQ   $8, CX
	JZ     maxfold
	VMAXPS (SI), Y1, Y1
	ADDQ   $32, SI
	SUBQ   $8, CX
	JNZ    maxloop

maxfold:
	VMAXPS       Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VMOVHLPS     X0, X1, X1
	VMAXPS       X1, X0, X0
	VMOVSHDUP    X0, X1
	VMAXSS       X1, X0, X0
	VMOVSS       X0, ret+16(FP)
	VZEROUPPER
	RET
