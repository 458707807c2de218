//go:build !purego

#include "textflag.h"

// Nearest level, branch-free, for the 8 lanes of Y7 (t): Y9 = index, Y8 =
// level, counting the thresholds below t by binary search. Like Go's
// nearest on amd64, a t that is NaN or ≥ 2^63 (where int(t) overflows to
// MinInt64, so bin 0 is looked up) gets index 1 if thr[0] − t has its sign
// bit set, else 0 (a NaN keeps its sign through the subtraction).
// Clobbers Y10-Y13; DX = *q4vtab.
#define NEAREST \
	VCMPPS    $0x1e, 0(DX), Y7, Y10      \
	VANDPS    q4c8<>(SB), Y10, Y9         \
	VMOVUPS   32(DX), Y11                 \
	VBLENDVPS Y10, 64(DX), Y11, Y11       \
	VCMPPS    $0x1e, Y11, Y7, Y12         \
	VANDPS    q4c4<>(SB), Y12, Y12        \
	VPADDD    Y12, Y9, Y9                 \
	VPERMPS   96(DX), Y9, Y11             \
	VPERMPS   128(DX), Y9, Y13            \
	VBLENDVPS Y10, Y13, Y11, Y11          \
	VCMPPS    $0x1e, Y11, Y7, Y12         \
	VANDPS    q4c2<>(SB), Y12, Y12        \
	VPADDD    Y12, Y9, Y9                 \
	VPERMPS   160(DX), Y9, Y11            \
	VPERMPS   192(DX), Y9, Y13            \
	VBLENDVPS Y10, Y13, Y11, Y11          \
	VCMPPS    $0x1e, Y11, Y7, Y12         \
	VPSUBD    Y12, Y9, Y9                 \
	VPERMPS   224(DX), Y9, Y8             \
	VPERMPS   256(DX), Y9, Y13            \
	VBLENDVPS Y10, Y13, Y8, Y8            \
	VCMPPS    $0x15, q4big<>(SB), Y7, Y12 \
	VMOVUPS   320(DX), Y11                \
	VSUBPS    Y7, Y11, Y11                \
	VPSRLD    $31, Y11, Y13               \
	VBLENDVPS Y12, Y13, Y9, Y9            \
	VPSRAD    $31, Y11, Y11               \
	VANDPS    288(DX), Y11, Y11           \
	VBLENDVPS Y12, Y11, Y8, Y8

// One weight of q4FitAVX2: SI → x row, DI → h row; accumulators A, B, C.
#define FITSTEP(off, A, B, C) \
	VMOVUPS off(SI), Y6     \
	VADDPS  Y14, Y6, Y7     \
	VMULPS  Y15, Y7, Y7     \
	NEAREST                 \
	VMULPS  off(DI), Y8, Y11 \
	VADDPS  Y11, A, A       \
	VMULPS  Y8, Y11, Y12    \
	VADDPS  Y12, B, B       \
	VMULPS  Y6, Y11, Y12    \
	VADDPS  Y12, C, C

// func q4FitAVX2(xt, ht *[32][8]float32, tm, inv *[8]float32, tab *q4vtab, out *[3][8]float32)
TEXT ·q4FitAVX2(SB), NOSPLIT, $0-48
	MOVQ    xt+0(FP), SI
	MOVQ    ht+8(FP), DI
	MOVQ    tm+16(FP), AX
	VMOVUPS (AX), Y14
	MOVQ    inv+24(FP), AX
	VMOVUPS (AX), Y15
	MOVQ    tab+32(FP), DX
	MOVQ    out+40(FP), R8
	VXORPS  Y0, Y0, Y0
	VXORPS  Y1, Y1, Y1
	VXORPS  Y2, Y2, Y2
	VXORPS  Y3, Y3, Y3
	VXORPS  Y4, Y4, Y4
	VXORPS  Y5, Y5, Y5
	MOVQ    $16, CX

fitloop:
	FITSTEP(0, Y0, Y2, Y4)
	FITSTEP(32, Y1, Y3, Y5)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     fitloop

	VADDPS  Y1, Y0, Y0
	VADDPS  Y3, Y2, Y2
	VADDPS  Y5, Y4, Y4
	VMOVUPS Y0, 0(R8)
	VMOVUPS Y2, 32(R8)
	VMOVUPS Y4, 64(R8)
	VZEROUPPER
	RET

// One weight of q4AssignAVX2: Y2 = S, Y15 = M, Y14 = inv; accumulator A;
// codes to R9.
#define ASSIGNSTEP(off, A) \
	VMOVUPS off(SI), Y6      \
	VADDPS  Y15, Y6, Y7      \
	VMULPS  Y14, Y7, Y7      \
	NEAREST                  \
	VMOVDQU Y9, off(R9)      \
	VMULPS  Y2, Y8, Y11      \
	VSUBPS  Y15, Y11, Y11    \
	VSUBPS  Y6, Y11, Y11     \
	VMULPS  off(DI), Y11, Y12 \
	VMULPS  Y11, Y12, Y12    \
	VADDPS  Y12, A, A

// func q4AssignAVX2(xt, ht *[32][8]float32, S, M, inv *[8]float32, tab *q4vtab, errs *[8]float32, ct *[32][8]int32)
TEXT ·q4AssignAVX2(SB), NOSPLIT, $0-64
	MOVQ    xt+0(FP), SI
	MOVQ    ht+8(FP), DI
	MOVQ    S+16(FP), AX
	VMOVUPS (AX), Y2
	MOVQ    M+24(FP), AX
	VMOVUPS (AX), Y15
	MOVQ    inv+32(FP), AX
	VMOVUPS (AX), Y14
	MOVQ    tab+40(FP), DX
	MOVQ    errs+48(FP), R8
	MOVQ    ct+56(FP), R9
	VXORPS  Y0, Y0, Y0
	VXORPS  Y1, Y1, Y1
	MOVQ    $16, CX

assignloop:
	ASSIGNSTEP(0, Y0)
	ASSIGNSTEP(32, Y1)
	ADDQ    $64, SI
	ADDQ    $64, DI
	ADDQ    $64, R9
	DECQ    CX
	JNZ     assignloop

	VADDPS  Y1, Y0, Y0
	VMOVUPS Y0, (R8)
	VZEROUPPER
	RET

// func q8ErrsAVX2(x, h *[32]float32, cand *[8]uint16, errs *[8]float32)
// Per lane (candidate fp16 scale d, inv = 1/d): Σ h·(d·rne(clamp(x·inv, −128, 127)) − x)².
TEXT ·q8ErrsAVX2(SB), NOSPLIT, $0-32
	MOVQ      x+0(FP), SI
	MOVQ      h+8(FP), DI
	MOVQ      cand+16(FP), AX
	VCVTPH2PS (AX), Y1
	VMOVUPS   q8one<>(SB), Y2
	VDIVPS    Y1, Y2, Y2
	MOVQ      errs+24(FP), R8
	VMOVUPS q8hi<>(SB), Y3
	VMOVUPS q8lo<>(SB), Y8
	VXORPS  Y0, Y0, Y0
	MOVQ    $32, CX

q8loop:
	VBROADCASTSS (SI), Y4
	VMULPS       Y2, Y4, Y5
	VMINPS       Y3, Y5, Y5
	VMAXPS       Y8, Y5, Y5
	VROUNDPS     $0, Y5, Y5
	VMULPS       Y1, Y5, Y5
	VSUBPS       Y4, Y5, Y5
	VBROADCASTSS (DI), Y6
	VMULPS       Y5, Y6, Y6
	VMULPS       Y5, Y6, Y6
	VADDPS       Y6, Y0, Y0
	ADDQ         $4, SI
	ADDQ         $4, DI
	DECQ         CX
	JNZ          q8loop

	VMOVUPS Y0, (R8)
	VZEROUPPER
	RET

// func q8CodesAVX2(x *[32]float32, inv float32, dst *[32]byte)
// dst[i] = rne(clamp(x[i]·inv, −128, 127)) + 128.
TEXT ·q8CodesAVX2(SB), NOSPLIT, $0-24
	MOVQ         x+0(FP), SI
	VBROADCASTSS inv+8(FP), Y0
	MOVQ         dst+16(FP), DI
	VMOVUPS      q8hi<>(SB), Y5
	VMOVUPS      q8lo<>(SB), Y6
	VMULPS       0(SI), Y0, Y1
	VMULPS       32(SI), Y0, Y2
	VMULPS       64(SI), Y0, Y3
	VMULPS       96(SI), Y0, Y4
	VMINPS       Y5, Y1, Y1
	VMINPS       Y5, Y2, Y2
	VMINPS       Y5, Y3, Y3
	VMINPS       Y5, Y4, Y4
	VMAXPS       Y6, Y1, Y1
	VMAXPS       Y6, Y2, Y2
	VMAXPS       Y6, Y3, Y3
	VMAXPS       Y6, Y4, Y4
	VCVTPS2DQ    Y1, Y1
	VCVTPS2DQ    Y2, Y2
	VCVTPS2DQ    Y3, Y3
	VCVTPS2DQ    Y4, Y4
	VPACKSSDW    Y2, Y1, Y1
	VPACKSSDW    Y4, Y3, Y3
	VPACKSSWB    Y3, Y1, Y1
	VMOVDQU      q8perm<>(SB), Y2
	VPERMD       Y1, Y2, Y1
	VPXOR        q8x80<>(SB), Y1, Y1
	VMOVDQU      Y1, (DI)
	VZEROUPPER
	RET

// func q8MaxAVX2(x *[32]float32) (amax float32, bad bool)
// amax = max |x[i]|; bad if some x[i] is ±Inf or NaN (x − x is NaN).
TEXT ·q8MaxAVX2(SB), NOSPLIT, $0-13
	MOVQ       x+0(FP), SI
	VMOVUPS    0(SI), Y0
	VMOVUPS    32(SI), Y1
	VMOVUPS    64(SI), Y2
	VMOVUPS    96(SI), Y3
	VSUBPS     Y0, Y0, Y4
	VSUBPS     Y1, Y1, Y5
	VSUBPS     Y2, Y2, Y6
	VSUBPS     Y3, Y3, Y7
	VORPS      Y5, Y4, Y4
	VORPS      Y7, Y6, Y6
	VORPS      Y6, Y4, Y4
	VCMPPS     $3, Y4, Y4, Y4
	VMOVMSKPS  Y4, AX
	TESTL      AX, AX
	SETNE      bad+12(FP)
	VMOVUPS    q8abs<>(SB), Y4
	VANDPS     Y4, Y0, Y0
	VANDPS     Y4, Y1, Y1
	VANDPS     Y4, Y2, Y2
	VANDPS     Y4, Y3, Y3
	VMAXPS     Y1, Y0, Y0
	VMAXPS     Y3, Y2, Y2
	VMAXPS     Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS     X1, X0, X0
	VPERMILPS  $0x4e, X0, X1
	VMAXPS     X1, X0, X0
	VPERMILPS  $0xb1, X0, X1
	VMAXPS     X1, X0, X0
	VMOVSS     X0, amax+8(FP)
	VZEROUPPER
	RET

DATA q4c8<>+0(SB)/8, $0x0000000800000008
DATA q4c8<>+8(SB)/8, $0x0000000800000008
DATA q4c8<>+16(SB)/8, $0x0000000800000008
DATA q4c8<>+24(SB)/8, $0x0000000800000008
GLOBL q4c8<>(SB), RODATA|NOPTR, $32

DATA q4c4<>+0(SB)/8, $0x0000000400000004
DATA q4c4<>+8(SB)/8, $0x0000000400000004
DATA q4c4<>+16(SB)/8, $0x0000000400000004
DATA q4c4<>+24(SB)/8, $0x0000000400000004
GLOBL q4c4<>(SB), RODATA|NOPTR, $32

DATA q4c2<>+0(SB)/8, $0x0000000200000002
DATA q4c2<>+8(SB)/8, $0x0000000200000002
DATA q4c2<>+16(SB)/8, $0x0000000200000002
DATA q4c2<>+24(SB)/8, $0x0000000200000002
GLOBL q4c2<>(SB), RODATA|NOPTR, $32

// 2^63 as float32
DATA q4big<>+0(SB)/8, $0x5f0000005f000000
DATA q4big<>+8(SB)/8, $0x5f0000005f000000
DATA q4big<>+16(SB)/8, $0x5f0000005f000000
DATA q4big<>+24(SB)/8, $0x5f0000005f000000
GLOBL q4big<>(SB), RODATA|NOPTR, $32

// 127.0 and -128.0 as float32
DATA q8hi<>+0(SB)/8, $0x42fe000042fe0000
DATA q8hi<>+8(SB)/8, $0x42fe000042fe0000
DATA q8hi<>+16(SB)/8, $0x42fe000042fe0000
DATA q8hi<>+24(SB)/8, $0x42fe000042fe0000
GLOBL q8hi<>(SB), RODATA|NOPTR, $32

DATA q8lo<>+0(SB)/8, $0xc3000000c3000000
DATA q8lo<>+8(SB)/8, $0xc3000000c3000000
DATA q8lo<>+16(SB)/8, $0xc3000000c3000000
DATA q8lo<>+24(SB)/8, $0xc3000000c3000000
GLOBL q8lo<>(SB), RODATA|NOPTR, $32

DATA q8one<>+0(SB)/8, $0x3f8000003f800000
DATA q8one<>+8(SB)/8, $0x3f8000003f800000
DATA q8one<>+16(SB)/8, $0x3f8000003f800000
DATA q8one<>+24(SB)/8, $0x3f8000003f800000
GLOBL q8one<>(SB), RODATA|NOPTR, $32

// dword order after VPACKSSDW+VPACKSSWB of four vectors: 0,4,1,5,2,6,3,7
DATA q8perm<>+0(SB)/8, $0x0000000400000000
DATA q8perm<>+8(SB)/8, $0x0000000500000001
DATA q8perm<>+16(SB)/8, $0x0000000600000002
DATA q8perm<>+24(SB)/8, $0x0000000700000003
GLOBL q8perm<>(SB), RODATA|NOPTR, $32

DATA q8x80<>+0(SB)/8, $0x8080808080808080
DATA q8x80<>+8(SB)/8, $0x8080808080808080
DATA q8x80<>+16(SB)/8, $0x8080808080808080
DATA q8x80<>+24(SB)/8, $0x8080808080808080
GLOBL q8x80<>(SB), RODATA|NOPTR, $32

DATA q8abs<>+0(SB)/8, $0x7fffffff7fffffff
DATA q8abs<>+8(SB)/8, $0x7fffffff7fffffff
DATA q8abs<>+16(SB)/8, $0x7fffffff7fffffff
DATA q8abs<>+24(SB)/8, $0x7fffffff7fffffff
GLOBL q8abs<>(SB), RODATA|NOPTR, $32
