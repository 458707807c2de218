# Generator for simd/qgemm_amd64.s: python3 scripts/simdgen/gen_qgemm_amd64.py
import os, sys
out = []
def w(s=""): out.append(s)

w('''//go:build !purego

#include "textflag.h"

// Integer kernels for AVX2 (+FMA, F16C). See qgemm.go for the algorithms and
// qgemm_amd64.go for the contracts. Register conventions in the GEMM
// micro-kernels: Y0-Y3 int32 accumulators (one per token, 8 rows in the
// lanes), Y4-Y7 float32 accumulators, Y8/Y9 the weight vector (and its
// absolute value), Y10/Y11 broadcast activations, Y12 the int16 ones of
// VPMADDWD.

DATA qc80<>+0(SB)/8, $0x8080808080808080
DATA qc80<>+8(SB)/8, $0x8080808080808080
DATA qc80<>+16(SB)/8, $0x8080808080808080
DATA qc80<>+24(SB)/8, $0x8080808080808080
GLOBL qc80<>(SB), RODATA|NOPTR, $32

DATA qc0f<>+0(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA qc0f<>+8(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA qc0f<>+16(SB)/8, $0x0f0f0f0f0f0f0f0f
DATA qc0f<>+24(SB)/8, $0x0f0f0f0f0f0f0f0f
GLOBL qc0f<>(SB), RODATA|NOPTR, $32

DATA qones<>+0(SB)/8, $0x0001000100010001
DATA qones<>+8(SB)/8, $0x0001000100010001
DATA qones<>+16(SB)/8, $0x0001000100010001
DATA qones<>+24(SB)/8, $0x0001000100010001
GLOBL qones<>(SB), RODATA|NOPTR, $32

DATA qabs<>+0(SB)/8, $0x7fffffff7fffffff
DATA qabs<>+8(SB)/8, $0x7fffffff7fffffff
DATA qabs<>+16(SB)/8, $0x7fffffff7fffffff
DATA qabs<>+24(SB)/8, $0x7fffffff7fffffff
GLOBL qabs<>(SB), RODATA|NOPTR, $32

DATA qdff<>+0(SB)/8, $0x000000ff000000ff
DATA qdff<>+8(SB)/8, $0x000000ff000000ff
DATA qdff<>+16(SB)/8, $0x000000ff000000ff
DATA qdff<>+24(SB)/8, $0x000000ff000000ff
GLOBL qdff<>(SB), RODATA|NOPTR, $32

DATA qd0f<>+0(SB)/8, $0x0000000f0000000f
DATA qd0f<>+8(SB)/8, $0x0000000f0000000f
DATA qd0f<>+16(SB)/8, $0x0000000f0000000f
DATA qd0f<>+24(SB)/8, $0x0000000f0000000f
GLOBL qd0f<>(SB), RODATA|NOPTR, $32

DATA qd30<>+0(SB)/8, $0x0000003000000030
DATA qd30<>+8(SB)/8, $0x0000003000000030
DATA qd30<>+16(SB)/8, $0x0000003000000030
DATA qd30<>+24(SB)/8, $0x0000003000000030
GLOBL qd30<>(SB), RODATA|NOPTR, $32

DATA qexp<>+0(SB)/8, $0x7fff00007fff0000
DATA qexp<>+8(SB)/8, $0x7fff00007fff0000
DATA qexp<>+16(SB)/8, $0x7fff00007fff0000
DATA qexp<>+24(SB)/8, $0x7fff00007fff0000
GLOBL qexp<>(SB), RODATA|NOPTR, $32

DATA qsign<>+0(SB)/8, $0x8000000080000000
DATA qsign<>+8(SB)/8, $0x8000000080000000
DATA qsign<>+16(SB)/8, $0x8000000080000000
DATA qsign<>+24(SB)/8, $0x8000000080000000
GLOBL qsign<>(SB), RODATA|NOPTR, $32

// VPERMD indices that undo the lane interleaving of VPACKUSDW+VPACKUSWB.
DATA qperm<>+0(SB)/8, $0x0000000400000000
DATA qperm<>+8(SB)/8, $0x0000000500000001
DATA qperm<>+16(SB)/8, $0x0000000600000002
DATA qperm<>+24(SB)/8, $0x0000000700000003
GLOBL qperm<>(SB), RODATA|NOPTR, $32

// Shift counts of the Q4 sub-scale and min high bits: (H<<4) >> 2j and
// H >> (12+2j) put bits 2j..2j+1 and 16+2j..17+2j at bits 4..5.
DATA qshsc<>+0(SB)/8, $0x0000000200000000
DATA qshsc<>+8(SB)/8, $0x0000000600000004
DATA qshsc<>+16(SB)/8, $0x0000000a00000008
DATA qshsc<>+24(SB)/8, $0x0000000e0000000c
GLOBL qshsc<>(SB), RODATA|NOPTR, $32
DATA qshmc<>+0(SB)/8, $0x0000000e0000000c
DATA qshmc<>+8(SB)/8, $0x0000001200000010
DATA qshmc<>+16(SB)/8, $0x0000001600000014
DATA qshmc<>+24(SB)/8, $0x0000001a00000018
GLOBL qshmc<>(SB), RODATA|NOPTR, $32

// 8 all-ones dwords then 8 zero dwords: the row mask for nr rows starts at
// byte 32 - 4·nr.
DATA qrowmask<>+0(SB)/8, $-1
DATA qrowmask<>+8(SB)/8, $-1
DATA qrowmask<>+16(SB)/8, $-1
DATA qrowmask<>+24(SB)/8, $-1
DATA qrowmask<>+32(SB)/8, $0
DATA qrowmask<>+40(SB)/8, $0
DATA qrowmask<>+48(SB)/8, $0
DATA qrowmask<>+56(SB)/8, $0
GLOBL qrowmask<>(SB), RODATA|NOPTR, $64

DATA qf127<>+0(SB)/4, $0x42fe0000
GLOBL qf127<>(SB), RODATA|NOPTR, $4
DATA qfm127<>+0(SB)/4, $0xc2fe0000
GLOBL qfm127<>(SB), RODATA|NOPTR, $4
''')

# ---------------- QuantizeActs
w('''// func quantActsAVX2(x *float32, q *int8, s *float32, m *int32, nb int)
//
// Per block of 32: amax as the integer maximum of the absolute values' bits
// (the float order for non-negative floats; a NaN wins, as in Go's max),
// inv = 127/amax, q = RNE(max(-127, min(127, x·inv))) with NaN propagated
// like Go's min/max, VCVTPS2DQ (RNE, NaN → 0x80000000 like Go's int32()),
// the low byte of each dword (Go's int8()), and the wrapping int32 sum.
TEXT ·quantActsAVX2(SB), NOSPLIT, $0-40
	MOVQ x+0(FP), SI
	MOVQ q+8(FP), DI
	MOVQ s+16(FP), R8
	MOVQ m+24(FP), R9
	MOVQ nb+32(FP), CX
	VMOVDQU qabs<>(SB), Y15
	VBROADCASTSS qf127<>(SB), Y14
	VBROADCASTSS qfm127<>(SB), Y13
	VMOVDQU qdff<>(SB), Y12
	VMOVDQU qperm<>(SB), Y11

qaloop:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VPAND Y15, Y0, Y4
	VPAND Y15, Y1, Y5
	VPAND Y15, Y2, Y6
	VPAND Y15, Y3, Y7
	VPMAXSD Y5, Y4, Y4
	VPMAXSD Y7, Y6, Y6
	VPMAXSD Y6, Y4, Y4
	VEXTRACTI128 $1, Y4, X5
	VPMAXSD X5, X4, X4
	VPSHUFD $0x4e, X4, X5
	VPMAXSD X5, X4, X4
	VPSHUFD $0xb1, X4, X5
	VPMAXSD X5, X4, X4
	VMOVD X4, AX
	CMPL AX, $0x03800000 // amax < quant.ActMinMax (2^-120): a zero block
	JCS   qazero
	VDIVSS X14, X4, X5
	VMOVSS X5, (R8)
	VPBROADCASTD X4, Y4
	VDIVPS Y4, Y14, Y4
	VMULPS Y4, Y0, Y0
	VMULPS Y4, Y1, Y1
	VMULPS Y4, Y2, Y2
	VMULPS Y4, Y3, Y3
	VMINPS Y0, Y14, Y0
	VMINPS Y1, Y14, Y1
	VMINPS Y2, Y14, Y2
	VMINPS Y3, Y14, Y3
	VMAXPS Y0, Y13, Y0
	VMAXPS Y1, Y13, Y1
	VMAXPS Y2, Y13, Y2
	VMAXPS Y3, Y13, Y3
	VCVTPS2DQ Y0, Y0
	VCVTPS2DQ Y1, Y1
	VCVTPS2DQ Y2, Y2
	VCVTPS2DQ Y3, Y3
	VPADDD Y1, Y0, Y4
	VPADDD Y3, Y2, Y5
	VPADDD Y5, Y4, Y4
	VEXTRACTI128 $1, Y4, X5
	VPADDD X5, X4, X4
	VPSHUFD $0x4e, X4, X5
	VPADDD X5, X4, X4
	VPSHUFD $0xb1, X4, X5
	VPADDD X5, X4, X4
	VMOVD X4, (R9)
	VPAND Y12, Y0, Y0
	VPAND Y12, Y1, Y1
	VPAND Y12, Y2, Y2
	VPAND Y12, Y3, Y3
	VPACKUSDW Y1, Y0, Y0
	VPACKUSDW Y3, Y2, Y2
	VPACKUSWB Y2, Y0, Y0
	VPERMD Y0, Y11, Y0
	VMOVDQU Y0, (DI)

qanext:
	ADDQ $128, SI
	ADDQ $32, DI
	ADDQ $4, R8
	ADDQ $4, R9
	DECQ CX
	JNZ  qaloop
	VZEROUPPER
	RET

qazero:
	VPXOR   Y0, Y0, Y0
	VMOVDQU Y0, (DI)
	MOVL    $0, (R8)
	MOVL    $0, (R9)
	JMP     qanext

// func streamReadAVX2(p *byte, n int) uint64
// n is a positive multiple of 256.
TEXT ·streamReadAVX2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3

srloop:
	VPADDQ 0(SI), Y0, Y0
	VPADDQ 32(SI), Y1, Y1
	VPADDQ 64(SI), Y2, Y2
	VPADDQ 96(SI), Y3, Y3
	VPADDQ 128(SI), Y0, Y0
	VPADDQ 160(SI), Y1, Y1
	VPADDQ 192(SI), Y2, Y2
	VPADDQ 224(SI), Y3, Y3
	ADDQ $256, SI
	SUBQ $256, CX
	JNZ  srloop
	VPADDQ Y1, Y0, Y0
	VPADDQ Y3, Y2, Y2
	VPADDQ Y2, Y0, Y0
	VEXTRACTI128 $1, Y0, X1
	VPADDQ X1, X0, X0
	VPSHUFD $0x4e, X0, X1
	VPADDQ X1, X0, X0
	VMOVQ X0, AX
	MOVQ AX, ret+16(FP)
	VZEROUPPER
	RET

// func peakAVX2(n int) int64
// n iterations of 8 independent VPMADDUBSW+VPMADDWD+VPADDD chains: 256
// multiply-adds per iteration.
TEXT ·peakAVX2(SB), NOSPLIT, $0-16
	MOVQ n+0(FP), CX
	MOVQ CX, AX
	SHLQ $8, AX
	MOVQ AX, ret+8(FP)
	VMOVDQU qones<>(SB), Y14
	VMOVDQU qc0f<>(SB), Y15
	VMOVDQU qc80<>(SB), Y13
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1
	VPXOR Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7

pkloop:''')
for i in range(8):
    t = 8 + i % 4
    w(f'''	VPMADDUBSW Y13, Y15, Y{t}
	VPMADDWD Y14, Y{t}, Y{t}
	VPADDD Y{t}, Y{i}, Y{i}''')
w('''	DECQ CX
	JNZ  pkloop
	VZEROUPPER
	RET
''')

# ---------------- GEMV Q8
def gq8int(ow, oq, dst):
    # int32 partial sums (8 lanes) of one block into dst
    w(f"""	VMOVDQU {ow+2}(AX), Y4
	VPXOR Y15, Y4, Y4
	VPABSB Y4, Y5
	VMOVDQU {oq}(BX), {dst}
	VPSIGNB Y4, {dst}, {dst}
	VPMADDUBSW {dst}, Y5, {dst}
	VPMADDWD Y14, {dst}, {dst}""")

w("""// func gemvQ8AVX2(w *byte, rb int, nr int, q *int8, s *float32, nb int, out *float32)
//
// Software prefetch 2 KB ahead (measured: the hardware prefetcher alone
// left ~25% of the read bandwidth unused). One row at a time (one
// sequential stream through the matrix), four
// blocks per iteration. Per block: flip the codes to signed (XOR 0x80),
// |w| and q·sign(w) (VPABSB, VPSIGNB: the pairs of VPMADDUBSW stay
// ≤ 2·128·127), VPMADDWD with ones. The four blocks' int32 vectors are
// reduced exactly by a VPHADDD tree to one int32 sum per block, converted
// and multiplied-added with d·s (the four d gathered and widened by
// VCVTPH2PS) into X0.
TEXT ·gemvQ8AVX2(SB), NOSPLIT, $0-56
	MOVQ w+0(FP), SI
	MOVQ rb+8(FP), R8
	MOVQ nr+16(FP), R9
	MOVQ q+24(FP), DI
	MOVQ s+32(FP), R10
	MOVQ nb+40(FP), R11
	MOVQ out+48(FP), R12
	VMOVDQU qc80<>(SB), Y15
	VMOVDQU qones<>(SB), Y14

g8row:
	MOVQ SI, AX
	MOVQ DI, BX
	MOVQ R10, DX
	MOVQ R11, CX
	VXORPS Y0, Y0, Y0
	CMPQ CX, $4
	JB   g8tail

g8loop4:
	PREFETCHT0 2048(AX)
	PREFETCHT0 2112(AX)
	PREFETCHT0 2176(AX)""")
for i in range(4):
    gq8int(34*i, 32*i, f'Y{8+i}')
w("""	VPHADDD Y9, Y8, Y8
	VPHADDD Y11, Y10, Y10
	VPHADDD Y10, Y8, Y8
	VEXTRACTI128 $1, Y8, X9
	VPADDD X9, X8, X8
	VCVTDQ2PS X8, X8
	MOVWLZX (AX), R13
	VMOVD R13, X9
	VPINSRW $1, 34(AX), X9, X9
	VPINSRW $2, 68(AX), X9, X9
	VPINSRW $3, 102(AX), X9, X9
	VCVTPH2PS X9, X9
	VMULPS (DX), X9, X9
	VFMADD231PS X9, X8, X0
	ADDQ $136, AX
	ADDQ $128, BX
	ADDQ $16, DX
	SUBQ $4, CX
	CMPQ CX, $4
	JAE  g8loop4

g8tail:
	TESTQ CX, CX
	JZ    g8done

g8loop1:""")
gq8int(0, 0, 'Y8')
w("""	VEXTRACTI128 $1, Y8, X9
	VPADDD X9, X8, X8
	VPSHUFD $0x4e, X8, X9
	VPADDD X9, X8, X8
	VPSHUFD $0xb1, X8, X9
	VPADDD X9, X8, X8
	VCVTDQ2PS X8, X8
	MOVWLZX (AX), R13
	VMOVD R13, X9
	VCVTPH2PS X9, X9
	VMULSS (DX), X9, X9
	VFMADD231SS X9, X8, X0
	ADDQ $34, AX
	ADDQ $32, BX
	ADDQ $4, DX
	DECQ CX
	JNZ  g8loop1

g8done:
	VMOVHLPS X0, X1, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0
	VMOVSS X0, (R12)
	ADDQ $4, R12
	ADDQ R8, SI
	DECQ R9
	JNZ  g8row
	VZEROUPPER
	RET
""")

# ---------------- GEMV Q4
w("""// func gemvQ4AVX2(w *byte, rb int, nr int, q *int8, s *float32, m *int32, nsb int, out *float32, lut *byte)
//
// One row at a time. Per super-block: the header decoded in vector form
// (lanes = the 8 sub-blocks) into S_j·s_j (Y7) and the mins term
// −Σ M_j·(s_j·sum_j), one vector multiply-add into Y1 (m holds the
// token's precomputed s_j·sum_j). Per 32 codes: two
// nibble vectors, two VPSHUFB through the super-block's level table,
// VPMADDUBSW with the activations (levels ≤ 127: no saturation), VPMADDWD;
// a VPHADDD tree reduces the 8 sub-blocks exactly to one int32 sum each, in
// the lanes of one vector, converted and multiplied-added with S_j·s_j.
TEXT ·gemvQ4AVX2(SB), NOSPLIT, $0-72
	MOVQ w+0(FP), SI
	MOVQ rb+8(FP), R8
	MOVQ q+24(FP), R10
	MOVQ s+32(FP), R11
	MOVQ m+40(FP), R12
	MOVQ out+56(FP), R14
	MOVQ lut+64(FP), R15
	VMOVDQU qc0f<>(SB), Y15
	VMOVDQU qones<>(SB), Y14

g4row:
	MOVQ SI, AX
	MOVQ R10, BX
	MOVQ R11, DX
	MOVQ R12, DI
	MOVQ nsb+48(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1

g4loop:
	PREFETCHT0 2048(AX)
	PREFETCHT0 2112(AX)
	PREFETCHT0 2176(AX)
	MOVL (AX), R9
	MOVL R9, R13
	SHRL $15, R9
	ANDL $1, R9
	SHRL $30, R13
	ANDL $2, R13
	ORL  R13, R9
	SHLL $4, R9
	VBROADCASTI128 (R15)(R9*1), Y10
	VPBROADCASTD (AX), Y9
	VPSLLD $16, Y9, Y8
	VPAND qexp<>(SB), Y8, Y8
	VPAND qexp<>(SB), Y9, Y9
	VPMOVZXBD 4(AX), Y11
	VPBROADCASTD 12(AX), Y12
	VPSLLD $4, Y12, Y13
	VPSRLVD qshsc<>(SB), Y13, Y13
	VPAND qd30<>(SB), Y13, Y13
	VPAND qd0f<>(SB), Y11, Y7
	VPOR Y13, Y7, Y7
	VPSRLVD qshmc<>(SB), Y12, Y12
	VPAND qd30<>(SB), Y12, Y12
	VPSRLD $4, Y11, Y11
	VPOR Y12, Y11, Y11
	VCVTDQ2PS Y7, Y7
	VMULPS Y8, Y7, Y7
	VMULPS (DX), Y7, Y7
	VCVTDQ2PS Y11, Y11
	VMULPS Y9, Y11, Y11
	VFNMADD231PS (DI), Y11, Y1""")
A = ['Y2', 'Y3', 'Y8', 'Y9']
for p in range(4):
    w(f"""	VMOVDQU {16+32*p}(AX), Y5
	VPSRLW $4, Y5, Y6
	VPAND Y15, Y5, Y5
	VPAND Y15, Y6, Y6
	VPSHUFB Y5, Y10, Y5
	VPSHUFB Y6, Y10, Y6
	VPMADDUBSW {64*p}(BX), Y5, Y5
	VPMADDUBSW {64*p+32}(BX), Y6, Y6
	VPMADDWD Y14, Y5, Y5
	VPMADDWD Y14, Y6, Y6
	VPHADDD Y6, Y5, {A[p]}""")
w("""	VPHADDD Y3, Y2, Y2
	VPHADDD Y9, Y8, Y8
	VPERM2I128 $0x20, Y8, Y2, Y3
	VPERM2I128 $0x31, Y8, Y2, Y9
	VPADDD Y9, Y3, Y3
	VCVTDQ2PS Y3, Y3
	VFMADD231PS Y7, Y3, Y0
	ADDQ $144, AX
	ADDQ $256, BX
	ADDQ $32, DX
	ADDQ $32, DI
	DECQ CX
	JNZ  g4loop
	VADDPS Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVHLPS X0, X1, X1
	VADDPS X1, X0, X0
	VMOVSHDUP X0, X1
	VADDSS X1, X0, X0
	VMOVSS X0, (R14)
	ADDQ $4, R14
	ADDQ R8, SI
	DECQ nr+16(FP)
	JNZ  g4row
	VZEROUPPER
	RET
""")

# ---------------- transpose
def transpose_store(off, stride=32, withabs=False):
    # In: Y0..Y7 = 8 rows of 8 dwords. Out: step j (dword j of every row)
    # stored at off+stride·j(DI), and its absolute bytes at +32 if withabs.
    w(f'''	VPUNPCKLDQ Y1, Y0, Y8
	VPUNPCKHDQ Y1, Y0, Y9
	VPUNPCKLDQ Y3, Y2, Y10
	VPUNPCKHDQ Y3, Y2, Y11
	VPUNPCKLDQ Y5, Y4, Y0
	VPUNPCKHDQ Y5, Y4, Y1
	VPUNPCKLDQ Y7, Y6, Y2
	VPUNPCKHDQ Y7, Y6, Y3
	VPUNPCKLQDQ Y10, Y8, Y4
	VPUNPCKHQDQ Y10, Y8, Y5
	VPUNPCKLQDQ Y11, Y9, Y6
	VPUNPCKHQDQ Y11, Y9, Y7
	VPUNPCKLQDQ Y2, Y0, Y8
	VPUNPCKHQDQ Y2, Y0, Y9
	VPUNPCKLQDQ Y3, Y1, Y10
	VPUNPCKHQDQ Y3, Y1, Y11''')
    for j in range(4):
        w(f'''	VPERM2I128 $0x20, Y{8+j}, Y{4+j}, Y0
	VMOVDQU Y0, {off+stride*j}(DI)
	VPERM2I128 $0x31, Y{8+j}, Y{4+j}, Y1
	VMOVDQU Y1, {off+stride*(j+4)}(DI)''')
        if withabs:
            w(f'''	VPABSB Y0, Y0
	VMOVDQU Y0, {off+stride*j+32}(DI)
	VPABSB Y1, Y1
	VMOVDQU Y1, {off+stride*(j+4)+32}(DI)''')

def transpose_q8():
    # Like transpose_store, but each step w_j becomes |w_j| at 64j and its
    # sign mask at 64j+32; C (Σ of |w| where w < 0, per dword lane) goes to
    # 512. Uses Y12 = bytes of 1, Y13 = 0, Y14 = int16 ones.
    w('''	VPUNPCKLDQ Y1, Y0, Y8
	VPUNPCKHDQ Y1, Y0, Y9
	VPUNPCKLDQ Y3, Y2, Y10
	VPUNPCKHDQ Y3, Y2, Y11
	VPUNPCKLDQ Y5, Y4, Y0
	VPUNPCKHDQ Y5, Y4, Y1
	VPUNPCKLDQ Y7, Y6, Y2
	VPUNPCKHDQ Y7, Y6, Y3
	VPUNPCKLQDQ Y10, Y8, Y4
	VPUNPCKHQDQ Y10, Y8, Y5
	VPUNPCKLQDQ Y11, Y9, Y6
	VPUNPCKHQDQ Y11, Y9, Y7
	VPUNPCKLQDQ Y2, Y0, Y8
	VPUNPCKHQDQ Y2, Y0, Y9
	VPUNPCKLQDQ Y3, Y1, Y10
	VPUNPCKHQDQ Y3, Y1, Y11
	VPXOR Y15, Y15, Y15''')
    # Y15 now accumulates C (the 0x80 constant is reloaded at the end).
    for j in range(4):
        for half, imm in ((0, '$0x20'), (1, '$0x31')):
            step = j + 4 * half
            w(f'''	VPERM2I128 {imm}, Y{8+j}, Y{4+j}, Y0
	VPCMPGTB Y0, Y13, Y1
	VPABSB Y0, Y0
	VMOVDQU Y0, {64*step}(DI)
	VMOVDQU Y1, {64*step+32}(DI)
	VPAND Y1, Y0, Y0
	VPMADDUBSW Y12, Y0, Y0
	VPMADDWD Y14, Y0, Y0
	VPADDD Y0, Y15, Y15''')
    w('''	VMOVDQU Y15, 512(DI)
	VMOVDQU qc80<>(SB), Y15''')

ROWS = ['R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15']
def load_rows():
    w('''	MOVQ rows+8(FP), AX''')
    for i, r in enumerate(ROWS):
        w(f'''	MOVQ {8*i}(AX), {r}''')

w('''// func packQ8AVX2(dst *byte, rows *[8]*byte, nb int)
//
// Per block: the codes of 8 rows flipped to signed (XOR 0x80) and
// transposed 8×8 in dwords (step j at 32j), then the rows' d as float32.
TEXT ·packQ8AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI''')
load_rows()
w('''	MOVQ nb+16(FP), CX
	VMOVDQU qc80<>(SB), Y15

p8loop:''')
for i, r in enumerate(ROWS):
    w(f'''	VPXOR 2({r}), Y15, Y{i}''')
transpose_store(0)
w('''	MOVWLZX (R8), AX
	VMOVD AX, X0''')
for i, r in enumerate(ROWS[1:], 1):
    w(f'''	VPINSRW ${i}, ({r}), X0, X0''')
w('''	VCVTPH2PS X0, Y0
	VMOVUPS Y0, 256(DI)''')
for r in ROWS:
    w(f'''	ADDQ $34, {r}''')
w('''	ADDQ $288, DI
	DECQ CX
	JNZ  p8loop
	VZEROUPPER
	RET
''')

w('''// func packQ4AVX2(dst *byte, rows *[8]*byte, nsb int, lut *byte)
//
// Per super-block: the 8 rows' level tables, broadcast to 32 bytes, go to
// the stack; the 8 headers are transposed so that each field has the rows
// in its lanes, and S_j = d·sc_j, −M_j = −dmin·mc_j are computed for all
// rows at once; the codes of each sub-block are mapped through the tables
// and transposed 8×8 in dwords.
TEXT ·packQ4AVX2(SB), NOSPLIT, $256-32
	MOVQ dst+0(FP), DI''')
load_rows()
w('''	MOVQ nsb+16(FP), CX
	MOVQ lut+24(FP), SI
	VMOVDQU qc0f<>(SB), Y12

p4loop:''')
for i, r in enumerate(ROWS):
    w(f'''	MOVL ({r}), AX
	MOVL AX, BX
	SHRL $15, AX
	ANDL $1, AX
	SHRL $30, BX
	ANDL $2, BX
	ORL  BX, AX
	SHLL $4, AX
	VBROADCASTI128 (SI)(AX*1), Y0
	VMOVDQU Y0, {32*i}(SP)''')
w('''	VMOVDQU (R8), X0
	VINSERTI128 $1, (R12), Y0, Y0
	VMOVDQU (R9), X1
	VINSERTI128 $1, (R13), Y1, Y1
	VMOVDQU (R10), X2
	VINSERTI128 $1, (R14), Y2, Y2
	VMOVDQU (R11), X3
	VINSERTI128 $1, (R15), Y3, Y3
	VPUNPCKLDQ Y1, Y0, Y4
	VPUNPCKHDQ Y1, Y0, Y5
	VPUNPCKLDQ Y3, Y2, Y6
	VPUNPCKHDQ Y3, Y2, Y7
	VPUNPCKLQDQ Y6, Y4, Y0
	VPUNPCKHQDQ Y6, Y4, Y1
	VPUNPCKLQDQ Y7, Y5, Y2
	VPUNPCKHQDQ Y7, Y5, Y3
	VPSLLD $16, Y0, Y4
	VPAND qexp<>(SB), Y4, Y4
	VPAND qexp<>(SB), Y0, Y5
	VPOR qsign<>(SB), Y5, Y5
	VPSLLD $4, Y3, Y6
	VMOVDQU qd0f<>(SB), Y10
	VMOVDQU qd30<>(SB), Y11''')
for j in range(8):
    B = 'Y1' if j < 4 else 'Y2'
    sh = 8 * (j % 4)
    w(f'''	VPSRLD ${sh}, {B}, Y7
	VPAND Y10, Y7, Y7
	VPSRLD ${2*j}, Y6, Y8
	VPAND Y11, Y8, Y8
	VPOR Y8, Y7, Y7
	VCVTDQ2PS Y7, Y7
	VMULPS Y4, Y7, Y7
	VMOVUPS Y7, {320*j+256}(DI)
	VPSRLD ${sh+4}, {B}, Y7
	VPAND Y10, Y7, Y7
	VPSRLD ${12+2*j}, Y3, Y8
	VPAND Y11, Y8, Y8
	VPOR Y8, Y7, Y7
	VCVTDQ2PS Y7, Y7
	VMULPS Y5, Y7, Y7
	VMOVUPS Y7, {320*j+288}(DI)''')
for p in range(4):
    for h in range(2):
        j = 2 * p + h
        for i, r in enumerate(ROWS):
            if h == 0:
                w(f'''	VPAND {16+32*p}({r}), Y12, Y{i}''')
            else:
                w(f'''	VMOVDQU {16+32*p}({r}), Y{i}
	VPSRLW $4, Y{i}, Y{i}
	VPAND Y12, Y{i}, Y{i}''')
            w(f'''	VMOVDQU {32*i}(SP), Y13
	VPSHUFB Y{i}, Y13, Y{i}''')
        transpose_store(320 * j)
for r in ROWS:
    w(f'''	ADDQ $144, {r}''')
w('''	ADDQ $2560, DI
	DECQ CX
	JNZ  p4loop
	VZEROUPPER
	RET
''')

# ---------------- tiles
OFFS = [None, 'R8', 'R9', 'R10']
OFFS2 = OFFS
def qaddr(j, t):
    return f'{4*j}(BX)' if t == 0 else f'{4*j}(BX)({OFFS[t]}*8)'
def saddr(base, t, offs=OFFS):
    return f'({base})' if t == 0 else f'({base})({offs[t]}*1)'

def tile(name, q4):
    args = 'p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, nr int, acc int' if q4 else \
           'p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, nr int, acc int'
    frame = 72 if q4 else 64
    w(f'// func {name}({args})')
    w(f'TEXT ·{name}(SB), NOSPLIT, $0-{frame}')
    w("""	MOVQ p+0(FP), AX
	MOVQ q+8(FP), BX
	MOVQ s+16(FP), DX""")
    if q4:
        w("""	MOVQ ss+24(FP), DI
	MOVQ off+32(FP), SI
	MOVQ nb+48(FP), CX""")
    else:
        w("""	MOVQ off+24(FP), SI
	MOVQ nb+40(FP), CX""")
    w("""	MOVQ 8(SI), R8
	MOVQ 16(SI), R9
	MOVQ 24(SI), R10
	VMOVDQU qones<>(SB), Y12""")
    for i in range(4, 8):
        w(f'	VXORPS Y{i}, Y{i}, Y{i}')
    lbl = 't4' if q4 else 't8'
    w(f'\n{lbl}loop:')
    for j in range(8):
        if q4:
            w(f'	VMOVDQU {32*j}(AX), Y8')
        else:
            w(f'	VMOVDQU {32*j}(AX), Y9')
            w('	VPABSB Y9, Y8')
        for t in range(4):
            r = 10 + t % 2
            w(f'	VPBROADCASTD {qaddr(j, t)}, Y{r}')
            if q4:
                w(f'	VPMADDUBSW Y{r}, Y8, Y{r}')
            else:
                w(f"""	VPSIGNB Y9, Y{r}, Y{r}
	VPMADDUBSW Y{r}, Y8, Y{r}""")
            if j == 0:
                w(f'	VPMADDWD Y12, Y{r}, Y{t}')
            else:
                w(f"""	VPMADDWD Y12, Y{r}, Y{r}
	VPADDD Y{r}, Y{t}, Y{t}""")
    if q4:
        w("""	VMOVUPS 256(AX), Y8
	VMOVUPS 288(AX), Y9""")
    else:
        w('	VMOVUPS 256(AX), Y8')
    for t in range(4):
        w(f"""	VCVTDQ2PS Y{t}, Y10
	VMULPS Y8, Y10, Y10
	VBROADCASTSS {saddr('DX', t)}, Y11
	VFMADD231PS Y11, Y10, Y{4+t}""")
        if q4:
            w(f"""	VBROADCASTSS {saddr('DI', t, OFFS2)}, Y11
	VFMADD231PS Y11, Y9, Y{4+t}""")
    w(f"""	ADDQ ${320 if q4 else 288}, AX
	ADDQ $32, BX
	ADDQ $4, DX""")
    if q4:
        w('	ADDQ $4, DI')
    w(f"""	DECQ CX
	JNZ  {lbl}loop""")
    # store
    base = 8 if q4 else 0
    w(f"""	MOVQ out+{32+base}(FP), SI
	MOVQ acc+{56+base}(FP), DX
	MOVQ nr+{48+base}(FP), CX
	CMPQ CX, $8
	JNE  {lbl}mask
	TESTQ DX, DX
	JZ   {lbl}full""")
    for t in range(4):
        w(f"""	MOVQ {8*t}(SI), DI
	VADDPS (DI), Y{4+t}, Y{4+t}""")
    w(f'\n{lbl}full:')
    for t in range(4):
        w(f"""	MOVQ {8*t}(SI), DI
	VMOVUPS Y{4+t}, (DI)""")
    w(f"""	VZEROUPPER
	RET

{lbl}mask:
	SHLQ $2, CX
	NEGQ CX
	LEAQ qrowmask<>(SB), R8
	VMOVDQU 32(R8)(CX*1), Y13
	TESTQ DX, DX
	JZ   {lbl}set""")
    for t in range(4):
        w(f"""	MOVQ {8*t}(SI), DI
	VMASKMOVPS (DI), Y13, Y8
	VADDPS Y8, Y{4+t}, Y{4+t}""")
    w(f'\n{lbl}set:')
    for t in range(4):
        w(f"""	MOVQ {8*t}(SI), DI
	VMASKMOVPS Y{4+t}, Y13, (DI)""")
    w("""	VZEROUPPER
	RET
""")

w("""// The prefill micro-kernels: a packed panel of 8 rows × nb blocks times 4
// tokens. Per 4 values: one weight vector (8 rows × 4 codes: Q4 levels, or
// Q8 signed codes w and |w| = VPABSB(w)), and per token a broadcast of 4
// activation bytes, (Q8: VPSIGNB by w: the pairs of VPMADDUBSW(|w|,
// q·sign(w)) stay ≤ 2·128·127,) VPMADDUBSW, VPMADDWD and VPADDD into the
// token's int32 accumulator (lanes = rows; the first step of a block sets
// it). Per block and token: convert, scale by the rows' d (Q4: S_j) and by
// the token's scale, accumulate in float32 (Q4: plus −M_j times the token's
// precomputed scale·sum). Tokens 1-3 are addressed by offsets from token 0
// (R8-R10, also for the Q4 scale·sums), so that edge tiles can repeat a
// token. Full tiles (8 rows) are stored plainly, edge tiles with a mask.
""")
tile('tileQ8AVX2', False)
tile('tileQ4AVX2', True)

w("""// func ssumAVX2(dst *float32, s *float32, m *int32, n int)
// dst[i] = s[i]·float32(m[i]) for i < n, n a positive multiple of 8.
TEXT ·ssumAVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ s+8(FP), SI
	MOVQ m+16(FP), DX
	MOVQ n+24(FP), CX

ssloop:
	VCVTDQ2PS (DX), Y0
	VMULPS (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $8, CX
	JNZ  ssloop
	VZEROUPPER
	RET
""")

# The output: simd/qgemm_amd64.s, or the path given as the first argument (the regeneration
# test writes to a temporary file and compares).
dst = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'simd', 'qgemm_amd64.s')
with open(dst, 'w') as f:
    f.write('\n'.join(['// Code generated by scripts/simdgen/gen_qgemm_amd64.py; DO NOT EDIT.', ''] + out) + '\n')
