//go:build !purego

#include "textflag.h"

// AVX2 twins of Expf, Tanhf, GeluTanh and Softcap (elementwise.go), eight lanes at a
// time with the same float32 operations in the same order and no FMA, so that every
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

// func expShiftAsm(x *float32, n int, m float32)
TEXT ·expShiftAsm(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSS m+16(FP), Y8

exloop:
	VMOVUPS (SI), Y0
	VSUBPS  Y8, Y0, Y0
	EXP
	VMOVUPS Y1, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     exloop
	VZEROUPPER
	RET

// func softcapAsm(x *float32, n int, cap float32)
TEXT ·softcapAsm(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSS cap+16(FP), Y8

scloop:
	VMOVUPS (SI), Y0
	VDIVPS  Y8, Y0, Y0
	TANH
	VMULPS  Y5, Y8, Y5
	VMOVUPS Y5, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     scloop
	VZEROUPPER
	RET

// func geluTanhAsm(a, b *float32, n int)
// u = float32(√(2/π)·(v + 0.044715·v·v·v)) in float64, four lanes per half.
TEXT ·geluTanhAsm(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	MOVQ n+16(FP), CX

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
