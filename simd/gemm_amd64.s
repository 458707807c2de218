//go:build !purego

#include "textflag.h"

// AVX2 + FMA kernels. All take k ≥ 8. The main loops run over k&^7 (or
// &^15, &^31); the remaining k%8 = t values are done by one more 8-wide step
// over the last 8 values, [k-8, k), with both operands ANDed with a mask
// that keeps only the last t lanes (0·0 = 0, so NaN or Inf in lanes already
// counted cannot leak in). This stays inside the rows, unlike a full step
// past k, and avoids a scalar loop.

// tailmask: 8 zero dwords then 8 all-ones dwords; the 8 dwords at
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

// HSUM4 reduces four 8-lane accumulators (weight rows 0..3 of one token) to
// one XMM [Σa, Σb, Σc, Σd]; yc is clobbered (xc is its low half).
#define HSUM4(ya, yb, yc, yd, xa, xc) \
	VHADDPS      yb, ya, ya \
	VHADDPS      yd, yc, yc \
	VHADDPS      yc, ya, ya \
	VEXTRACTF128 $1, ya, xc \
	VADDPS       xc, xa, xa

// One 8-wide step of the 4×3 tile: x rows in Y12..Y14 already loaded, weight
// row at (wreg)(AX*4) into Y15, FMAs into accumulators a0..a2 (tokens 0..2).
#define TILEROW(wreg, a0, a1, a2) \
	VMOVUPS     (wreg)(AX*4), Y15 \
	VFMADD231PS Y15, Y12, a0      \
	VFMADD231PS Y15, Y13, a1      \
	VFMADD231PS Y15, Y14, a2

// The same for the masked tail step (mask at (SI)).
#define TILEROWMASK(wreg, a0, a1, a2) \
	VMOVUPS     (wreg)(AX*4), Y15 \
	VANDPS      (SI), Y15, Y15    \
	VFMADD231PS Y15, Y12, a0      \
	VFMADD231PS Y15, Y13, a1      \
	VFMADD231PS Y15, Y14, a2

// func tileF32(w *float32, ldw int, x *float32, ldx int, k int, out *float32, ldo int, acc int)
//
// Accumulator Y(3j+i) holds weight row j × token i. Per 8 values: 3 token
// loads, 4 weight loads, 12 FMAs.
TEXT ·tileF32(SB), NOSPLIT, $0-64
	MOVQ w+0(FP), R8
	MOVQ ldw+8(FP), BX
	SHLQ $2, BX
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	LEAQ (R10)(BX*1), R11
	MOVQ x+16(FP), R12
	MOVQ ldx+24(FP), DX
	SHLQ $2, DX
	LEAQ (R12)(DX*1), R13
	LEAQ (R13)(DX*1), R14
	MOVQ k+32(FP), CX

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	MOVQ CX, DX
	ANDQ $-8, DX
	XORQ AX, AX

tileloop:
	VMOVUPS (R12)(AX*4), Y12
	VMOVUPS (R13)(AX*4), Y13
	VMOVUPS (R14)(AX*4), Y14
	TILEROW(R8, Y0, Y1, Y2)
	TILEROW(R9, Y3, Y4, Y5)
	TILEROW(R10, Y6, Y7, Y8)
	TILEROW(R11, Y9, Y10, Y11)
	ADDQ $8, AX
	CMPQ AX, DX
	JB   tileloop

	ANDQ $7, CX
	JZ   tilereduce
	LEAQ -8(AX)(CX*1), AX
	LEAQ tailmask<>(SB), SI
	LEAQ (SI)(CX*4), SI
	VMOVUPS (R12)(AX*4), Y12
	VANDPS  (SI), Y12, Y12
	VMOVUPS (R13)(AX*4), Y13
	VANDPS  (SI), Y13, Y13
	VMOVUPS (R14)(AX*4), Y14
	VANDPS  (SI), Y14, Y14
	TILEROWMASK(R8, Y0, Y1, Y2)
	TILEROWMASK(R9, Y3, Y4, Y5)
	TILEROWMASK(R10, Y6, Y7, Y8)
	TILEROWMASK(R11, Y9, Y10, Y11)

tilereduce:
	HSUM4(Y0, Y3, Y6, Y9, X0, X6)
	HSUM4(Y1, Y4, Y7, Y10, X1, X7)
	HSUM4(Y2, Y5, Y8, Y11, X2, X8)

	MOVQ out+40(FP), SI
	MOVQ ldo+48(FP), DI
	SHLQ $2, DI
	MOVQ acc+56(FP), BX
	TESTQ BX, BX
	JZ   tilestore
	VADDPS (SI), X0, X0
	VADDPS (SI)(DI*1), X1, X1
	VADDPS (SI)(DI*2), X2, X2

tilestore:
	VMOVUPS X0, (SI)
	VMOVUPS X1, (SI)(DI*1)
	VMOVUPS X2, (SI)(DI*2)
	VZEROUPPER
	RET

// func gemv4F32(w *float32, ldw int, x *float32, k int, out *float32, acc int)
//
// Two accumulators per weight row (8 independent FMA chains: FMA latency 4 ×
// 2 per cycle); the weights are FMA memory operands since each is used once.
TEXT ·gemv4F32(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), R8
	MOVQ ldw+8(FP), BX
	SHLQ $2, BX
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	LEAQ (R10)(BX*1), R11
	MOVQ x+16(FP), R12
	MOVQ k+24(FP), CX

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-16, DX
	JZ   gemv8

gemv16:
	VMOVUPS     (R12)(AX*4), Y12
	VMOVUPS     32(R12)(AX*4), Y13
	VFMADD231PS (R8)(AX*4), Y12, Y0
	VFMADD231PS 32(R8)(AX*4), Y13, Y4
	VFMADD231PS (R9)(AX*4), Y12, Y1
	VFMADD231PS 32(R9)(AX*4), Y13, Y5
	VFMADD231PS (R10)(AX*4), Y12, Y2
	VFMADD231PS 32(R10)(AX*4), Y13, Y6
	VFMADD231PS (R11)(AX*4), Y12, Y3
	VFMADD231PS 32(R11)(AX*4), Y13, Y7
	ADDQ        $16, AX
	CMPQ        AX, DX
	JB          gemv16

gemv8:
	MOVQ CX, DX
	ANDQ $-8, DX
	CMPQ AX, DX
	JAE  gemvtail
	VMOVUPS     (R12)(AX*4), Y12
	VFMADD231PS (R8)(AX*4), Y12, Y0
	VFMADD231PS (R9)(AX*4), Y12, Y1
	VFMADD231PS (R10)(AX*4), Y12, Y2
	VFMADD231PS (R11)(AX*4), Y12, Y3
	ADDQ        $8, AX

gemvtail:
	ANDQ $7, CX
	JZ   gemvreduce
	LEAQ -8(AX)(CX*1), AX
	LEAQ tailmask<>(SB), SI
	LEAQ (SI)(CX*4), SI
	VMOVUPS     (R12)(AX*4), Y12
	VANDPS      (SI), Y12, Y12
	VMOVUPS     (R8)(AX*4), Y13
	VANDPS      (SI), Y13, Y13
	VFMADD231PS Y13, Y12, Y0
	VMOVUPS     (R9)(AX*4), Y13
	VANDPS      (SI), Y13, Y13
	VFMADD231PS Y13, Y12, Y1
	VMOVUPS     (R10)(AX*4), Y13
	VANDPS      (SI), Y13, Y13
	VFMADD231PS Y13, Y12, Y2
	VMOVUPS     (R11)(AX*4), Y13
	VANDPS      (SI), Y13, Y13
	VFMADD231PS Y13, Y12, Y3

gemvreduce:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	HSUM4(Y0, Y1, Y2, Y3, X0, X2)
	MOVQ out+32(FP), SI
	MOVQ acc+40(FP), BX
	TESTQ BX, BX
	JZ   gemvstore
	VADDPS (SI), X0, X0

gemvstore:
	VMOVUPS X0, (SI)
	VZEROUPPER
	RET

// BF16ROW widens 8 bfloat16 weights at off(wreg)(AX*2) (VPMOVZXWD: u16 →
// u32, then << 16 puts them in the top half) and FMAs them with xv into acc.
#define BF16ROW(off, wreg, tmp, xv, acc) \
	VPMOVZXWD   off(wreg)(AX*2), tmp \
	VPSLLD      $16, tmp, tmp        \
	VFMADD231PS tmp, xv, acc

// func gemv4BF16(w *uint16, ldw int, x *float32, k int, out *float32, acc int)
//
// Bound by DRAM bandwidth, like gemv4F32: 8–10 GB/s of bf16 weights on this
// Zen 3 VM against 10–11 GB/s for a plain read of the same array. A variant
// that widened 16 weights per 32-byte load (shift for the even elements,
// mask for the odd, x pre-permuted: 5 instructions per 16 weights instead
// of 8) measured the same from DRAM and from L2 (~40 GFLOP/s), so the
// simpler form stays.
TEXT ·gemv4BF16(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), R8
	MOVQ ldw+8(FP), BX
	SHLQ $1, BX
	LEAQ (R8)(BX*1), R9
	LEAQ (R9)(BX*1), R10
	LEAQ (R10)(BX*1), R11
	MOVQ x+16(FP), R12
	MOVQ k+24(FP), CX

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-16, DX
	JZ   bgemv8

bgemv16:
	VMOVUPS (R12)(AX*4), Y12
	VMOVUPS 32(R12)(AX*4), Y13
	BF16ROW(0, R8, Y8, Y12, Y0)
	BF16ROW(16, R8, Y9, Y13, Y4)
	BF16ROW(0, R9, Y10, Y12, Y1)
	BF16ROW(16, R9, Y11, Y13, Y5)
	BF16ROW(0, R10, Y14, Y12, Y2)
	BF16ROW(16, R10, Y15, Y13, Y6)
	BF16ROW(0, R11, Y8, Y12, Y3)
	BF16ROW(16, R11, Y9, Y13, Y7)
	ADDQ $16, AX
	CMPQ AX, DX
	JB   bgemv16

bgemv8:
	MOVQ CX, DX
	ANDQ $-8, DX
	CMPQ AX, DX
	JAE  bgemvtail
	VMOVUPS (R12)(AX*4), Y12
	BF16ROW(0, R8, Y8, Y12, Y0)
	BF16ROW(0, R9, Y9, Y12, Y1)
	BF16ROW(0, R10, Y10, Y12, Y2)
	BF16ROW(0, R11, Y11, Y12, Y3)
	ADDQ $8, AX

bgemvtail:
	ANDQ $7, CX
	JZ   bgemvreduce
	LEAQ -8(AX)(CX*1), AX
	LEAQ tailmask<>(SB), SI
	LEAQ (SI)(CX*4), SI
	VMOVUPS     (R12)(AX*4), Y12
	VANDPS      (SI), Y12, Y12
	VPMOVZXWD   (R8)(AX*2), Y8
	VPSLLD      $16, Y8, Y8
	VANDPS      (SI), Y8, Y8
	VFMADD231PS Y8, Y12, Y0
	VPMOVZXWD   (R9)(AX*2), Y9
	VPSLLD      $16, Y9, Y9
	VANDPS      (SI), Y9, Y9
	VFMADD231PS Y9, Y12, Y1
	VPMOVZXWD   (R10)(AX*2), Y10
	VPSLLD      $16, Y10, Y10
	VANDPS      (SI), Y10, Y10
	VFMADD231PS Y10, Y12, Y2
	VPMOVZXWD   (R11)(AX*2), Y11
	VPSLLD      $16, Y11, Y11
	VANDPS      (SI), Y11, Y11
	VFMADD231PS Y11, Y12, Y3

bgemvreduce:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	HSUM4(Y0, Y1, Y2, Y3, X0, X2)
	MOVQ out+32(FP), SI
	MOVQ acc+40(FP), BX
	TESTQ BX, BX
	JZ   bgemvstore
	VADDPS (SI), X0, X0

bgemvstore:
	VMOVUPS X0, (SI)
	VZEROUPPER
	RET

// func cvtBF16(dst *float32, src *uint16, n int)
//
// The last n%8 values are widened by redoing the final 8 (overlapping,
// harmless: same values written twice).
TEXT ·cvtBF16(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ CX, DX
	ANDQ $-8, DX
	XORQ AX, AX

cvtloop:
	VPMOVZXWD (SI)(AX*2), Y0
	VPSLLD    $16, Y0, Y0
	VMOVUPS   Y0, (DI)(AX*4)
	ADDQ      $8, AX
	CMPQ      AX, DX
	JB        cvtloop

	CMPQ AX, CX
	JAE  cvtdone
	LEAQ -8(CX), AX
	VPMOVZXWD (SI)(AX*2), Y0
	VPSLLD    $16, Y0, Y0
	VMOVUPS   Y0, (DI)(AX*4)

cvtdone:
	VZEROUPPER
	RET

// func dotF32(a, b *float32, n int) float32
//
// Four accumulators over 32 values per iteration (FMA latency × throughput).
TEXT ·dotF32(SB), NOSPLIT, $0-28
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	MOVQ n+16(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-32, DX
	JZ   dot8

dot32:
	VMOVUPS     (SI)(AX*4), Y4
	VMOVUPS     32(SI)(AX*4), Y5
	VMOVUPS     64(SI)(AX*4), Y6
	VMOVUPS     96(SI)(AX*4), Y7
	VFMADD231PS (DI)(AX*4), Y4, Y0
	VFMADD231PS 32(DI)(AX*4), Y5, Y1
	VFMADD231PS 64(DI)(AX*4), Y6, Y2
	VFMADD231PS 96(DI)(AX*4), Y7, Y3
	ADDQ        $32, AX
	CMPQ        AX, DX
	JB          dot32

dot8:
	MOVQ CX, DX
	ANDQ $-8, DX
	CMPQ AX, DX
	JAE  dottail
	VMOVUPS     (SI)(AX*4), Y4
	VFMADD231PS (DI)(AX*4), Y4, Y0
	ADDQ        $8, AX
	JMP         dot8

dottail:
	ANDQ $7, CX
	JZ   dotreduce
	LEAQ -8(AX)(CX*1), AX
	LEAQ tailmask<>(SB), DX
	LEAQ (DX)(CX*4), DX
	VMOVUPS     (SI)(AX*4), Y4
	VANDPS      (DX), Y4, Y4
	VMOVUPS     (DI)(AX*4), Y5
	VANDPS      (DX), Y5, Y5
	VFMADD231PS Y5, Y4, Y1

dotreduce:
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VHADDPS      X0, X0, X0
	VHADDPS      X0, X0, X0
	VZEROUPPER
	MOVSS        X0, ret+24(FP)
	RET

// ---- Prefill path: 6 tokens × 16 weight rows, broadcast formulation ----
//
// The 4×3 dot-product tile above ends every call with horizontal sums and
// loads 7 vectors per 12 FMAs. For large matrices the weights are instead
// packed (transposed) into a panel p[kk*16 + j] = w[j, kk] once per k block
// and token block, and each k step is: 2 weight loads, 6 token broadcasts,
// 12 FMAs into 6×16 accumulators, with no reduction at the end. Measured on
// Zen 3 with data in L1: 84–87 GFLOP/s against 63–78 for the 4×3 tile.

// TRANSPOSE8 transposes Y0..Y7 (8 rows of 8) into Y8..Y15 (8 columns).
#define TRANSPOSE8 \
	VUNPCKLPS  Y1, Y0, Y8        \
	VUNPCKHPS  Y1, Y0, Y9        \
	VUNPCKLPS  Y3, Y2, Y10       \
	VUNPCKHPS  Y3, Y2, Y11       \
	VUNPCKLPS  Y5, Y4, Y12       \
	VUNPCKHPS  Y5, Y4, Y13       \
	VUNPCKLPS  Y7, Y6, Y14       \
	VUNPCKHPS  Y7, Y6, Y15       \
	VSHUFPS    $0x44, Y10, Y8, Y0  \
	VSHUFPS    $0xEE, Y10, Y8, Y1  \
	VSHUFPS    $0x44, Y11, Y9, Y2  \
	VSHUFPS    $0xEE, Y11, Y9, Y3  \
	VSHUFPS    $0x44, Y14, Y12, Y4 \
	VSHUFPS    $0xEE, Y14, Y12, Y5 \
	VSHUFPS    $0x44, Y15, Y13, Y6 \
	VSHUFPS    $0xEE, Y15, Y13, Y7 \
	VPERM2F128 $0x20, Y4, Y0, Y8 \
	VPERM2F128 $0x20, Y5, Y1, Y9 \
	VPERM2F128 $0x20, Y6, Y2, Y10 \
	VPERM2F128 $0x20, Y7, Y3, Y11 \
	VPERM2F128 $0x31, Y4, Y0, Y12 \
	VPERM2F128 $0x31, Y5, Y1, Y13 \
	VPERM2F128 $0x31, Y6, Y2, Y14 \
	VPERM2F128 $0x31, Y7, Y3, Y15

// STORECOLS stores the 8 columns Y8..Y15 to the panel (16 floats per k),
// at float offset half*8 within each k row.
#define STORECOLS(half) \
	VMOVUPS Y8, (0*64+half*32)(DI)  \
	VMOVUPS Y9, (1*64+half*32)(DI)  \
	VMOVUPS Y10, (2*64+half*32)(DI) \
	VMOVUPS Y11, (3*64+half*32)(DI) \
	VMOVUPS Y12, (4*64+half*32)(DI) \
	VMOVUPS Y13, (5*64+half*32)(DI) \
	VMOVUPS Y14, (6*64+half*32)(DI) \
	VMOVUPS Y15, (7*64+half*32)(DI)

// Row r of the 16 is at: 0 (R8), 1 (R8)(BX*1), 2 (R8)(BX*2), 3 (R9), 4
// (R9)(BX*1), 5 (R9)(BX*2), 6 (R10), 7 (R10)(BX*1); 8..15 the same from
// R11, R12, R13.
#define LOADROWSF32(a, b, c) \
	VMOVUPS (a), Y0        \
	VMOVUPS (a)(BX*1), Y1  \
	VMOVUPS (a)(BX*2), Y2  \
	VMOVUPS (b), Y3        \
	VMOVUPS (b)(BX*1), Y4  \
	VMOVUPS (b)(BX*2), Y5  \
	VMOVUPS (c), Y6        \
	VMOVUPS (c)(BX*1), Y7

#define WIDEN(src, y) \
	VPMOVZXWD src, y \
	VPSLLD    $16, y, y

#define LOADROWSBF16(a, b, c) \
	WIDEN((a), Y0)       \
	WIDEN((a)(BX*1), Y1) \
	WIDEN((a)(BX*2), Y2) \
	WIDEN((b), Y3)       \
	WIDEN((b)(BX*1), Y4) \
	WIDEN((b)(BX*2), Y5) \
	WIDEN((c), Y6)       \
	WIDEN((c)(BX*1), Y7)

// PACKSETUP: R8 = row 0, BX = row stride in bytes, R9..R13 = rows 3, 6, 8,
// 11, 14; DI = panel.
#define PACKSETUP \
	LEAQ (BX)(BX*2), DX   \
	LEAQ (R8)(DX*1), R9   \
	LEAQ (R9)(DX*1), R10  \
	LEAQ (R10)(BX*2), R11 \
	LEAQ (R11)(DX*1), R12 \
	LEAQ (R12)(DX*1), R13

#define ADVANCE(n) \
	ADDQ $n, R8  \
	ADDQ $n, R9  \
	ADDQ $n, R10 \
	ADDQ $n, R11 \
	ADDQ $n, R12 \
	ADDQ $n, R13

// func packF32x16(dst *float32, w *float32, ldw int, k int)
//
// dst[kk*16 + j] = w[j*ldw + kk] for j < 16, kk < k (k ≥ 8). The last k%8
// columns are done by redoing the final 8 (same values written twice).
TEXT ·packF32x16(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), R8
	MOVQ ldw+16(FP), BX
	SHLQ $2, BX
	MOVQ k+24(FP), CX
	PACKSETUP
	MOVQ CX, SI
	SHRQ $3, SI

packf32loop:
	LOADROWSF32(R8, R9, R10)
	TRANSPOSE8
	STORECOLS(0)
	LOADROWSF32(R11, R12, R13)
	TRANSPOSE8
	STORECOLS(1)
	ADVANCE(32)
	ADDQ $512, DI
	DECQ SI
	JNZ  packf32loop

	ANDQ $7, CX
	JZ   packf32done
	// Step back by 8-t columns and redo one 8-column step.
	MOVQ $8, SI
	SUBQ CX, SI
	MOVQ SI, DX
	SHLQ $2, DX
	SUBQ DX, R8
	SUBQ DX, R9
	SUBQ DX, R10
	SUBQ DX, R11
	SUBQ DX, R12
	SUBQ DX, R13
	SHLQ $6, SI
	SUBQ SI, DI
	LOADROWSF32(R8, R9, R10)
	TRANSPOSE8
	STORECOLS(0)
	LOADROWSF32(R11, R12, R13)
	TRANSPOSE8
	STORECOLS(1)

packf32done:
	VZEROUPPER
	RET

// func packBF16x16(dst *float32, w *uint16, ldw int, k int)
//
// packF32x16 with bfloat16 weights, widened on the way.
TEXT ·packBF16x16(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ w+8(FP), R8
	MOVQ ldw+16(FP), BX
	SHLQ $1, BX
	MOVQ k+24(FP), CX
	PACKSETUP
	MOVQ CX, SI
	SHRQ $3, SI

packbf16loop:
	LOADROWSBF16(R8, R9, R10)
	TRANSPOSE8
	STORECOLS(0)
	LOADROWSBF16(R11, R12, R13)
	TRANSPOSE8
	STORECOLS(1)
	ADVANCE(16)
	ADDQ $512, DI
	DECQ SI
	JNZ  packbf16loop

	ANDQ $7, CX
	JZ   packbf16done
	MOVQ $8, SI
	SUBQ CX, SI
	MOVQ SI, DX
	SHLQ $1, DX
	SUBQ DX, R8
	SUBQ DX, R9
	SUBQ DX, R10
	SUBQ DX, R11
	SUBQ DX, R12
	SUBQ DX, R13
	SHLQ $6, SI
	SUBQ SI, DI
	LOADROWSBF16(R8, R9, R10)
	TRANSPOSE8
	STORECOLS(0)
	LOADROWSBF16(R11, R12, R13)
	TRANSPOSE8
	STORECOLS(1)

packbf16done:
	VZEROUPPER
	RET

// BSTEP is one k step (off = 0..3 within the unrolled group): two panel
// loads, then per token one broadcast and two FMAs. Y14/Y15 alternate so
// consecutive broadcasts do not wait on each other.
#define BSTEP(off) \
	VMOVUPS      (off*64)(SI), Y12         \
	VMOVUPS      (off*64+32)(SI), Y13      \
	VBROADCASTSS (off*4)(R8)(AX*4), Y14    \
	VFMADD231PS  Y12, Y14, Y0              \
	VFMADD231PS  Y13, Y14, Y1              \
	VBROADCASTSS (off*4)(R9)(AX*4), Y15    \
	VFMADD231PS  Y12, Y15, Y2              \
	VFMADD231PS  Y13, Y15, Y3              \
	VBROADCASTSS (off*4)(R10)(AX*4), Y14   \
	VFMADD231PS  Y12, Y14, Y4              \
	VFMADD231PS  Y13, Y14, Y5              \
	VBROADCASTSS (off*4)(R11)(AX*4), Y15   \
	VFMADD231PS  Y12, Y15, Y6              \
	VFMADD231PS  Y13, Y15, Y7              \
	VBROADCASTSS (off*4)(R12)(AX*4), Y14   \
	VFMADD231PS  Y12, Y14, Y8              \
	VFMADD231PS  Y13, Y14, Y9              \
	VBROADCASTSS (off*4)(R13)(AX*4), Y15   \
	VFMADD231PS  Y12, Y15, Y10             \
	VFMADD231PS  Y13, Y15, Y11

// BOUT stores (acc = 0) or adds (acc = 1, flag in BX) one token's 16 sums.
#define BOUT(lo, hi) \
	TESTQ   BX, BX         \
	JZ      3(PC)          \
	VADDPS  (DI), lo, lo   \
	VADDPS  32(DI), hi, hi \
	VMOVUPS lo, (DI)       \
	VMOVUPS hi, 32(DI)     \
	ADDQ    DX, DI

// func tileB6x16(p *float32, x *float32, ldx int, k int, out *float32, ldo int, acc int)
//
// out[i*ldo + j] (=, or += if acc) Σ_kk x[i*ldx + kk] · p[kk*16 + j] for
// i < 6, j < 16, any k ≥ 1.
TEXT ·tileB6x16(SB), NOSPLIT, $0-56
	MOVQ p+0(FP), SI
	MOVQ x+8(FP), R8
	MOVQ ldx+16(FP), DX
	SHLQ $2, DX
	LEAQ (R8)(DX*1), R9
	LEAQ (R9)(DX*1), R10
	LEAQ (R10)(DX*1), R11
	LEAQ (R11)(DX*1), R12
	LEAQ (R12)(DX*1), R13
	MOVQ k+24(FP), CX

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	XORQ AX, AX
	MOVQ CX, DX
	ANDQ $-4, DX
	JZ   bone

bfour:
	BSTEP(0)
	BSTEP(1)
	BSTEP(2)
	BSTEP(3)
	ADDQ $256, SI
	ADDQ $4, AX
	CMPQ AX, DX
	JB   bfour

bone:
	CMPQ AX, CX
	JAE  bstore
	BSTEP(0)
	ADDQ $64, SI
	INCQ AX
	JMP  bone

bstore:
	MOVQ out+32(FP), DI
	MOVQ ldo+40(FP), DX
	SHLQ $2, DX
	MOVQ acc+48(FP), BX
	BOUT(Y0, Y1)
	BOUT(Y2, Y3)
	BOUT(Y4, Y5)
	BOUT(Y6, Y7)
	BOUT(Y8, Y9)
	BOUT(Y10, Y11)
	VZEROUPPER
	RET
