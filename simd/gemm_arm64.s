//go:build !purego

#include "textflag.h"

// NEON kernels. All take k ≥ 8 and work like the amd64 ones: main loops
// over 8 values (two 4-lane registers per row), then the last k%8 = t
// values by stepping every pointer back 8-t values and redoing one 8-value
// step with both operands ANDed with a mask that keeps the last t lanes.

// The Go assembler has no vector FADD / FADDP; these are their encodings
// (ARMv8-A, .4S arrangement): Vd = Vn + Vm, and Vd = pairwise sums of the
// concatenation Vm:Vn = [n0+n1, n2+n3, m0+m1, m2+m3].
#define FADD4(m, n, d) WORD $(0x4E20D400 | ((m)<<16) | ((n)<<5) | (d))
#define FADDP4(m, n, d) WORD $(0x6E20D400 | ((m)<<16) | ((n)<<5) | (d))

// tailmask: 8 zero words then 8 all-ones words; the 8 words at
// tailmask+4·t keep the last t lanes.
DATA tailmask<>+0x00(SB)/8, $0
DATA tailmask<>+0x08(SB)/8, $0
DATA tailmask<>+0x10(SB)/8, $0
DATA tailmask<>+0x18(SB)/8, $0
DATA tailmask<>+0x20(SB)/8, $-1
DATA tailmask<>+0x28(SB)/8, $-1
DATA tailmask<>+0x30(SB)/8, $-1
DATA tailmask<>+0x38(SB)/8, $-1
GLOBL tailmask<>(SB), RODATA|NOPTR, $64

// TAILSETUP: t = k%8 in R12 (the caller has branched away if 0); R13 =
// (8-t) << shift bytes to step back; V16, V17 = masks for lanes 0-3, 4-7.
#define TAILMASK \
	MOVD $tailmask<>(SB), R14 \
	ADD  R12<<2, R14, R14     \
	VLD1 (R14), [V16.S4, V17.S4]

#define ZERO16 \
	VEOR V0.B16, V0.B16, V0.B16    \
	VEOR V1.B16, V1.B16, V1.B16    \
	VEOR V2.B16, V2.B16, V2.B16    \
	VEOR V3.B16, V3.B16, V3.B16    \
	VEOR V4.B16, V4.B16, V4.B16    \
	VEOR V5.B16, V5.B16, V5.B16    \
	VEOR V6.B16, V6.B16, V6.B16    \
	VEOR V7.B16, V7.B16, V7.B16    \
	VEOR V8.B16, V8.B16, V8.B16    \
	VEOR V9.B16, V9.B16, V9.B16    \
	VEOR V10.B16, V10.B16, V10.B16 \
	VEOR V11.B16, V11.B16, V11.B16 \
	VEOR V12.B16, V12.B16, V12.B16 \
	VEOR V13.B16, V13.B16, V13.B16 \
	VEOR V14.B16, V14.B16, V14.B16 \
	VEOR V15.B16, V15.B16, V15.B16

// TILE16 does the 16 FMLAs of one 4-lane slice: weight rows in w0..w3,
// tokens in x0..x3, accumulator V(4i+j) for token i, row j.
#define TILE16(w0, w1, w2, w3, x0, x1, x2, x3) \
	VFMLA w0.S4, x0.S4, V0.S4  \
	VFMLA w1.S4, x0.S4, V1.S4  \
	VFMLA w2.S4, x0.S4, V2.S4  \
	VFMLA w3.S4, x0.S4, V3.S4  \
	VFMLA w0.S4, x1.S4, V4.S4  \
	VFMLA w1.S4, x1.S4, V5.S4  \
	VFMLA w2.S4, x1.S4, V6.S4  \
	VFMLA w3.S4, x1.S4, V7.S4  \
	VFMLA w0.S4, x2.S4, V8.S4  \
	VFMLA w1.S4, x2.S4, V9.S4  \
	VFMLA w2.S4, x2.S4, V10.S4 \
	VFMLA w3.S4, x2.S4, V11.S4 \
	VFMLA w0.S4, x3.S4, V12.S4 \
	VFMLA w1.S4, x3.S4, V13.S4 \
	VFMLA w2.S4, x3.S4, V14.S4 \
	VFMLA w3.S4, x3.S4, V15.S4

// TILEHALFMASK loads 4 values of each row and token, masks them with m and
// accumulates.
#define TILEHALFMASK(m) \
	VLD1.P 16(R4), [V18.S4]          \
	VLD1.P 16(R5), [V19.S4]          \
	VLD1.P 16(R6), [V20.S4]          \
	VLD1.P 16(R7), [V21.S4]          \
	VLD1.P 16(R0), [V22.S4]          \
	VLD1.P 16(R1), [V23.S4]          \
	VLD1.P 16(R2), [V24.S4]          \
	VLD1.P 16(R3), [V25.S4]          \
	VAND   m.B16, V18.B16, V18.B16   \
	VAND   m.B16, V19.B16, V19.B16   \
	VAND   m.B16, V20.B16, V20.B16   \
	VAND   m.B16, V21.B16, V21.B16   \
	VAND   m.B16, V22.B16, V22.B16   \
	VAND   m.B16, V23.B16, V23.B16   \
	VAND   m.B16, V24.B16, V24.B16   \
	VAND   m.B16, V25.B16, V25.B16   \
	TILE16(V22, V23, V24, V25, V18, V19, V20, V21)

// GEMVSETUP: rows R0..R3 (row stride ldw << shift bytes), x in R4, k in R10.
#define GEMVSETUP(shift) \
	MOVD w+0(FP), R0      \
	MOVD ldw+8(FP), R8    \
	LSL  $shift, R8       \
	ADD  R8, R0, R1       \
	ADD  R8, R1, R2       \
	ADD  R8, R2, R3       \
	MOVD x+16(FP), R4     \
	MOVD k+24(FP), R10    \
	ZERO16

// GEMVSTORE reduces V0..V3 (+ V4..V7) to [Σrow0..Σrow3] and stores or adds.
#define GEMVSTORE \
	FADD4(4, 0, 0)        \
	FADD4(5, 1, 1)        \
	FADD4(6, 2, 2)        \
	FADD4(7, 3, 3)        \
	FADDP4(1, 0, 20)      \
	FADDP4(3, 2, 21)      \
	FADDP4(21, 20, 16)    \
	MOVD out+32(FP), R0   \
	MOVD acc+40(FP), R9   \
	CBZ  R9, 3(PC)        \
	VLD1 (R0), [V20.S4]   \
	FADD4(20, 16, 16)     \
	VST1 [V16.S4], (R0)

// func tileF32(w *float32, ldw int, x *float32, ldx int, k int, out *float32, ldo int, acc int)
TEXT ·tileF32(SB), NOSPLIT, $0-64
	MOVD w+0(FP), R0
	MOVD ldw+8(FP), R8
	LSL  $2, R8
	ADD  R8, R0, R1
	ADD  R8, R1, R2
	ADD  R8, R2, R3
	MOVD x+16(FP), R4
	MOVD ldx+24(FP), R9
	LSL  $2, R9
	ADD  R9, R4, R5
	ADD  R9, R5, R6
	ADD  R9, R6, R7
	MOVD k+32(FP), R10
	ZERO16
	LSR  $3, R10, R11

tileloop:
	VLD1.P 32(R4), [V16.S4, V17.S4]
	VLD1.P 32(R5), [V18.S4, V19.S4]
	VLD1.P 32(R6), [V20.S4, V21.S4]
	VLD1.P 32(R7), [V22.S4, V23.S4]
	VLD1.P 32(R0), [V24.S4, V25.S4]
	VLD1.P 32(R1), [V26.S4, V27.S4]
	VLD1.P 32(R2), [V28.S4, V29.S4]
	VLD1.P 32(R3), [V30.S4, V31.S4]
	TILE16(V24, V26, V28, V30, V16, V18, V20, V22)
	TILE16(V25, V27, V29, V31, V17, V19, V21, V23)
	SUBS $1, R11, R11
	BNE  tileloop

	ANDS $7, R10, R12
	BEQ  tilereduce
	MOVD $8, R13
	SUB  R12, R13, R13
	LSL  $2, R13
	SUB  R13, R0, R0
	SUB  R13, R1, R1
	SUB  R13, R2, R2
	SUB  R13, R3, R3
	SUB  R13, R4, R4
	SUB  R13, R5, R5
	SUB  R13, R6, R6
	SUB  R13, R7, R7
	TAILMASK
	TILEHALFMASK(V16)
	TILEHALFMASK(V17)

tilereduce:
	FADDP4(1, 0, 20)
	FADDP4(3, 2, 21)
	FADDP4(21, 20, 16)
	FADDP4(5, 4, 20)
	FADDP4(7, 6, 21)
	FADDP4(21, 20, 17)
	FADDP4(9, 8, 20)
	FADDP4(11, 10, 21)
	FADDP4(21, 20, 18)
	FADDP4(13, 12, 20)
	FADDP4(15, 14, 21)
	FADDP4(21, 20, 19)
	MOVD out+40(FP), R0
	MOVD ldo+48(FP), R8
	LSL  $2, R8
	ADD  R8, R0, R1
	ADD  R8, R1, R2
	ADD  R8, R2, R3
	MOVD acc+56(FP), R9
	CBZ  R9, tilestore
	VLD1 (R0), [V20.S4]
	VLD1 (R1), [V21.S4]
	VLD1 (R2), [V22.S4]
	VLD1 (R3), [V23.S4]
	FADD4(20, 16, 16)
	FADD4(21, 17, 17)
	FADD4(22, 18, 18)
	FADD4(23, 19, 19)

tilestore:
	VST1 [V16.S4], (R0)
	VST1 [V17.S4], (R1)
	VST1 [V18.S4], (R2)
	VST1 [V19.S4], (R3)
	RET

// func gemv4F32(w *float32, ldw int, x *float32, k int, out *float32, acc int)
//
// Two accumulators per row (V0..V3 for lanes 0-3 of each 8, V4..V7 for 4-7).
TEXT ·gemv4F32(SB), NOSPLIT, $0-48
	GEMVSETUP(2)
	LSR $3, R10, R11

gemvloop:
	VLD1.P 32(R4), [V16.S4, V17.S4]
	VLD1.P 32(R0), [V18.S4, V19.S4]
	VLD1.P 32(R1), [V20.S4, V21.S4]
	VLD1.P 32(R2), [V22.S4, V23.S4]
	VLD1.P 32(R3), [V24.S4, V25.S4]
	VFMLA  V18.S4, V16.S4, V0.S4
	VFMLA  V20.S4, V16.S4, V1.S4
	VFMLA  V22.S4, V16.S4, V2.S4
	VFMLA  V24.S4, V16.S4, V3.S4
	VFMLA  V19.S4, V17.S4, V4.S4
	VFMLA  V21.S4, V17.S4, V5.S4
	VFMLA  V23.S4, V17.S4, V6.S4
	VFMLA  V25.S4, V17.S4, V7.S4
	SUBS   $1, R11, R11
	BNE    gemvloop

	ANDS $7, R10, R12
	BEQ  gemvreduce
	MOVD $8, R13
	SUB  R12, R13, R13
	LSL  $2, R13
	SUB  R13, R0, R0
	SUB  R13, R1, R1
	SUB  R13, R2, R2
	SUB  R13, R3, R3
	SUB  R13, R4, R4
	TAILMASK
	VLD1.P 32(R4), [V18.S4, V19.S4]
	VLD1.P 32(R0), [V20.S4, V21.S4]
	VLD1.P 32(R1), [V22.S4, V23.S4]
	VLD1.P 32(R2), [V24.S4, V25.S4]
	VLD1.P 32(R3), [V26.S4, V27.S4]
	VAND   V16.B16, V18.B16, V18.B16
	VAND   V17.B16, V19.B16, V19.B16
	VAND   V16.B16, V20.B16, V20.B16
	VAND   V17.B16, V21.B16, V21.B16
	VAND   V16.B16, V22.B16, V22.B16
	VAND   V17.B16, V23.B16, V23.B16
	VAND   V16.B16, V24.B16, V24.B16
	VAND   V17.B16, V25.B16, V25.B16
	VAND   V16.B16, V26.B16, V26.B16
	VAND   V17.B16, V27.B16, V27.B16
	VFMLA  V20.S4, V18.S4, V0.S4
	VFMLA  V22.S4, V18.S4, V1.S4
	VFMLA  V24.S4, V18.S4, V2.S4
	VFMLA  V26.S4, V18.S4, V3.S4
	VFMLA  V21.S4, V19.S4, V4.S4
	VFMLA  V23.S4, V19.S4, V5.S4
	VFMLA  V25.S4, V19.S4, V6.S4
	VFMLA  V27.S4, V19.S4, V7.S4

gemvreduce:
	GEMVSTORE
	RET

// WIDEN8 widens the 8 bfloat16 values in src (.H8) to two .S4 registers:
// ZIP1/ZIP2 with zero (V31) interleave a zero half-word below each value,
// i.e. value << 16.
#define WIDEN8(src, lo, hi) \
	VZIP1 src.H8, V31.H8, lo.H8 \
	VZIP2 src.H8, V31.H8, hi.H8

// BROW: one row's 8 bfloat16 weights from (wreg), post-incremented.
#define BROW(wreg, t, lo, hi, acclo, acchi) \
	VLD1.P 16(wreg), [t.H8]   \
	WIDEN8(t, lo, hi)          \
	VFMLA  lo.S4, V16.S4, acclo.S4 \
	VFMLA  hi.S4, V17.S4, acchi.S4

// BROWMASK: the same for the tail step, masks in V18/V19 (x already masked).
#define BROWMASK(wreg, t, lo, hi, acclo, acchi) \
	VLD1.P 16(wreg), [t.H8]        \
	WIDEN8(t, lo, hi)               \
	VAND   V18.B16, lo.B16, lo.B16 \
	VAND   V19.B16, hi.B16, hi.B16 \
	VFMLA  lo.S4, V16.S4, acclo.S4 \
	VFMLA  hi.S4, V17.S4, acchi.S4

// func gemv4BF16(w *uint16, ldw int, x *float32, k int, out *float32, acc int)
TEXT ·gemv4BF16(SB), NOSPLIT, $0-48
	GEMVSETUP(1)
	VEOR V31.B16, V31.B16, V31.B16
	LSR  $3, R10, R11

bgemvloop:
	VLD1.P 32(R4), [V16.S4, V17.S4]
	BROW(R0, V20, V21, V22, V0, V4)
	BROW(R1, V23, V24, V25, V1, V5)
	BROW(R2, V26, V27, V28, V2, V6)
	BROW(R3, V20, V21, V22, V3, V7)
	SUBS $1, R11, R11
	BNE  bgemvloop

	ANDS $7, R10, R12
	BEQ  bgemvreduce
	MOVD $8, R13
	SUB  R12, R13, R13
	LSL  $1, R13, R15
	SUB  R15, R0, R0
	SUB  R15, R1, R1
	SUB  R15, R2, R2
	SUB  R15, R3, R3
	LSL  $2, R13
	SUB  R13, R4, R4
	TAILMASK
	VMOV V16.B16, V18.B16
	VMOV V17.B16, V19.B16
	VLD1.P 32(R4), [V16.S4, V17.S4]
	VAND   V18.B16, V16.B16, V16.B16
	VAND   V19.B16, V17.B16, V17.B16
	BROWMASK(R0, V20, V21, V22, V0, V4)
	BROWMASK(R1, V23, V24, V25, V1, V5)
	BROWMASK(R2, V26, V27, V28, V2, V6)
	BROWMASK(R3, V20, V21, V22, V3, V7)

bgemvreduce:
	GEMVSTORE
	RET

// func cvtBF16(dst *float32, src *uint16, n int)
TEXT ·cvtBF16(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD src+8(FP), R1
	MOVD n+16(FP), R10
	VEOR V31.B16, V31.B16, V31.B16
	LSR  $3, R10, R11

cvtloop:
	VLD1.P 16(R1), [V0.H8]
	WIDEN8(V0, V1, V2)
	VST1.P [V1.S4, V2.S4], 32(R0)
	SUBS   $1, R11, R11
	BNE    cvtloop

	ANDS $7, R10, R12
	BEQ  cvtdone
	MOVD $8, R13
	SUB  R12, R13, R13
	SUB  R13<<1, R1, R1
	SUB  R13<<2, R0, R0
	VLD1 (R1), [V0.H8]
	WIDEN8(V0, V1, V2)
	VST1 [V1.S4, V2.S4], (R0)

cvtdone:
	RET

// func dotF32(a, b *float32, n int) float32
//
// Four accumulators over 16 values per iteration.
TEXT ·dotF32(SB), NOSPLIT, $0-28
	MOVD a+0(FP), R0
	MOVD b+8(FP), R1
	MOVD n+16(FP), R10
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	LSR  $4, R10, R11
	CBZ  R11, dot8

dot16:
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R1), [V20.S4, V21.S4, V22.S4, V23.S4]
	VFMLA  V20.S4, V4.S4, V0.S4
	VFMLA  V21.S4, V5.S4, V1.S4
	VFMLA  V22.S4, V6.S4, V2.S4
	VFMLA  V23.S4, V7.S4, V3.S4
	SUBS   $1, R11, R11
	BNE    dot16

dot8:
	TBZ    $3, R10, dottail
	VLD1.P 32(R0), [V4.S4, V5.S4]
	VLD1.P 32(R1), [V20.S4, V21.S4]
	VFMLA  V20.S4, V4.S4, V0.S4
	VFMLA  V21.S4, V5.S4, V1.S4

dottail:
	ANDS $7, R10, R12
	BEQ  dotreduce
	MOVD $8, R13
	SUB  R12, R13, R13
	LSL  $2, R13
	SUB  R13, R0, R0
	SUB  R13, R1, R1
	TAILMASK
	VLD1   (R0), [V4.S4, V5.S4]
	VLD1   (R1), [V20.S4, V21.S4]
	VAND   V16.B16, V4.B16, V4.B16
	VAND   V17.B16, V5.B16, V5.B16
	VAND   V16.B16, V20.B16, V20.B16
	VAND   V17.B16, V21.B16, V21.B16
	VFMLA  V20.S4, V4.S4, V2.S4
	VFMLA  V21.S4, V5.S4, V3.S4

dotreduce:
	FADD4(1, 0, 0)
	FADD4(3, 2, 2)
	FADD4(2, 0, 0)
	FADDP4(0, 0, 0)
	FADDP4(0, 0, 0)
	FMOVS F0, ret+24(FP)
	RET
