//go:build !purego

#include "textflag.h"

// Integer kernels for arm64: plain NEON (Cortex-A72), NEON with the
// dot-product extension (SDOT, Cortex-A76) and with the int8 matrix
// multiply (SMMLA, FEAT_I8MM). See qgemm.go for the algorithms
// and qgemm_arm64.go for the contracts. The Go assembler lacks most of these
// vector instructions: they are WORDs, each with its instruction in the
// comment. Registers: R0-R17, R19-R25 and V0-V31 are scratch here (R18 is
// the platform register, R26-R30 are the assembler's and the runtime's).

// func quantActsNEON(x *float32, q *int8, s *float32, m *int32, nb int)
//
// As Go computes it on arm64: amax is the integer maximum of the absolute
// values' bits (the float order; a NaN wins), inv = 127/amax, q =
// FCVTNS(FMAX(-127, FMIN(127, x·inv))) (FMIN/FMAX propagate NaN, FCVTNS
// rounds to nearest even and gives 0 for NaN, like Go's int32()), the low
// bytes (XTN), and the wrapping int32 sum.
TEXT ·quantActsNEON(SB), NOSPLIT, $0-40
	MOVD x+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2
	MOVD m+24(FP), R3
	MOVD nb+32(FP), R4
	WORD $0x52a85fc5 // mov w5, #0x42fe0000
	WORD $0x4e040cbf // dup v31.4s, w5
	WORD $0x52b85fc5 // mov w5, #0xc2fe0000
	WORD $0x4e040cbe // dup v30.4s, w5
	WORD $0x1e2700bd // fmov s29, w5
qaloop:
	WORD $0x4cdf2800 // ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0], #64
	WORD $0x4cdf2804 // ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [x0], #64
	WORD $0x4ea0f810 // fabs v16.4s, v0.4s
	WORD $0x4ea0f831 // fabs v17.4s, v1.4s
	WORD $0x4ea0f852 // fabs v18.4s, v2.4s
	WORD $0x4ea0f873 // fabs v19.4s, v3.4s
	WORD $0x4ea0f894 // fabs v20.4s, v4.4s
	WORD $0x4ea0f8b5 // fabs v21.4s, v5.4s
	WORD $0x4ea0f8d6 // fabs v22.4s, v6.4s
	WORD $0x4ea0f8f7 // fabs v23.4s, v7.4s
	WORD $0x6eb16610 // umax v16.4s, v16.4s, v17.4s
	WORD $0x6eb36652 // umax v18.4s, v18.4s, v19.4s
	WORD $0x6eb56694 // umax v20.4s, v20.4s, v21.4s
	WORD $0x6eb766d6 // umax v22.4s, v22.4s, v23.4s
	WORD $0x6eb26610 // umax v16.4s, v16.4s, v18.4s
	WORD $0x6eb66694 // umax v20.4s, v20.4s, v22.4s
	WORD $0x6eb46610 // umax v16.4s, v16.4s, v20.4s
	WORD $0x6eb0aa10 // umaxv s16, v16.4s
	WORD $0x1e260206 // fmov w6, s16
	MOVW $0x03800000, R7 // amax < quant.ActMinMax (2^-120): a zero block
	CMPW R7, R6
	BLO  qazero
	WORD $0x1e3f1a11 // fdiv s17, s16, s31
	WORD $0xbc004451 // str s17, [x2], #4
	WORD $0x4e040610 // dup v16.4s, v16.s[0]
	WORD $0x6e30fff0 // fdiv v16.4s, v31.4s, v16.4s
	WORD $0x6e30dc00 // fmul v0.4s, v0.4s, v16.4s
	WORD $0x6e30dc21 // fmul v1.4s, v1.4s, v16.4s
	WORD $0x6e30dc42 // fmul v2.4s, v2.4s, v16.4s
	WORD $0x6e30dc63 // fmul v3.4s, v3.4s, v16.4s
	WORD $0x6e30dc84 // fmul v4.4s, v4.4s, v16.4s
	WORD $0x6e30dca5 // fmul v5.4s, v5.4s, v16.4s
	WORD $0x6e30dcc6 // fmul v6.4s, v6.4s, v16.4s
	WORD $0x6e30dce7 // fmul v7.4s, v7.4s, v16.4s
	WORD $0x4ebff400 // fmin v0.4s, v0.4s, v31.4s
	WORD $0x4ebff421 // fmin v1.4s, v1.4s, v31.4s
	WORD $0x4ebff442 // fmin v2.4s, v2.4s, v31.4s
	WORD $0x4ebff463 // fmin v3.4s, v3.4s, v31.4s
	WORD $0x4ebff484 // fmin v4.4s, v4.4s, v31.4s
	WORD $0x4ebff4a5 // fmin v5.4s, v5.4s, v31.4s
	WORD $0x4ebff4c6 // fmin v6.4s, v6.4s, v31.4s
	WORD $0x4ebff4e7 // fmin v7.4s, v7.4s, v31.4s
	WORD $0x4e3ef400 // fmax v0.4s, v0.4s, v30.4s
	WORD $0x4e3ef421 // fmax v1.4s, v1.4s, v30.4s
	WORD $0x4e3ef442 // fmax v2.4s, v2.4s, v30.4s
	WORD $0x4e3ef463 // fmax v3.4s, v3.4s, v30.4s
	WORD $0x4e3ef484 // fmax v4.4s, v4.4s, v30.4s
	WORD $0x4e3ef4a5 // fmax v5.4s, v5.4s, v30.4s
	WORD $0x4e3ef4c6 // fmax v6.4s, v6.4s, v30.4s
	WORD $0x4e3ef4e7 // fmax v7.4s, v7.4s, v30.4s
	WORD $0x4e21a800 // fcvtns v0.4s, v0.4s
	WORD $0x4e21a821 // fcvtns v1.4s, v1.4s
	WORD $0x4e21a842 // fcvtns v2.4s, v2.4s
	WORD $0x4e21a863 // fcvtns v3.4s, v3.4s
	WORD $0x4e21a884 // fcvtns v4.4s, v4.4s
	WORD $0x4e21a8a5 // fcvtns v5.4s, v5.4s
	WORD $0x4e21a8c6 // fcvtns v6.4s, v6.4s
	WORD $0x4e21a8e7 // fcvtns v7.4s, v7.4s
	WORD $0x4ea18410 // add v16.4s, v0.4s, v1.4s
	WORD $0x4ea38451 // add v17.4s, v2.4s, v3.4s
	WORD $0x4ea58492 // add v18.4s, v4.4s, v5.4s
	WORD $0x4ea784d3 // add v19.4s, v6.4s, v7.4s
	WORD $0x4eb18610 // add v16.4s, v16.4s, v17.4s
	WORD $0x4eb38652 // add v18.4s, v18.4s, v19.4s
	WORD $0x4eb28610 // add v16.4s, v16.4s, v18.4s
	WORD $0x4eb1ba10 // addv s16, v16.4s
	WORD $0xbc004470 // str s16, [x3], #4
	WORD $0x0e612800 // xtn v0.4h, v0.4s
	WORD $0x4e612820 // xtn2 v0.8h, v1.4s
	WORD $0x0e612842 // xtn v2.4h, v2.4s
	WORD $0x4e612862 // xtn2 v2.8h, v3.4s
	WORD $0x0e612884 // xtn v4.4h, v4.4s
	WORD $0x4e6128a4 // xtn2 v4.8h, v5.4s
	WORD $0x0e6128c6 // xtn v6.4h, v6.4s
	WORD $0x4e6128e6 // xtn2 v6.8h, v7.4s
	WORD $0x0e212800 // xtn v0.8b, v0.8h
	WORD $0x4e212840 // xtn2 v0.16b, v2.8h
	WORD $0x0e212884 // xtn v4.8b, v4.8h
	WORD $0x4e2128c4 // xtn2 v4.16b, v6.8h
	WORD $0xac811020 // stp q0, q4, [x1], #32

qanext:
	SUBS $1, R4, R4
	BNE  qaloop
	RET

qazero:
	WORD $0x4f00e400 // movi v0.16b, #0
	WORD $0xac810020 // stp q0, q0, [x1], #32
	WORD $0xb800445f // str wzr, [x2], #4
	WORD $0xb800447f // str wzr, [x3], #4
	B    qanext

// func streamReadNEON(p *byte, n int) uint64
// n is a positive multiple of 256.
TEXT ·streamReadNEON(SB), NOSPLIT, $0-24
	MOVD p+0(FP), R0
	MOVD n+8(FP), R1
	WORD $0x6f00e410 // movi v16.2d, #0
	WORD $0x6f00e411 // movi v17.2d, #0
	WORD $0x6f00e412 // movi v18.2d, #0
	WORD $0x6f00e413 // movi v19.2d, #0
srloop:
	WORD $0x4cdf2c00 // ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x0], #64
	WORD $0x4cdf2c04 // ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x0], #64
	WORD $0x4cdf2c14 // ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x0], #64
	WORD $0x4cdf2c18 // ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x0], #64
	WORD $0x4ee08610 // add v16.2d, v16.2d, v0.2d
	WORD $0x4ee18631 // add v17.2d, v17.2d, v1.2d
	WORD $0x4ee28652 // add v18.2d, v18.2d, v2.2d
	WORD $0x4ee38673 // add v19.2d, v19.2d, v3.2d
	WORD $0x4ee48610 // add v16.2d, v16.2d, v4.2d
	WORD $0x4ee58631 // add v17.2d, v17.2d, v5.2d
	WORD $0x4ee68652 // add v18.2d, v18.2d, v6.2d
	WORD $0x4ee78673 // add v19.2d, v19.2d, v7.2d
	WORD $0x4ef48610 // add v16.2d, v16.2d, v20.2d
	WORD $0x4ef58631 // add v17.2d, v17.2d, v21.2d
	WORD $0x4ef68652 // add v18.2d, v18.2d, v22.2d
	WORD $0x4ef78673 // add v19.2d, v19.2d, v23.2d
	WORD $0x4ef88610 // add v16.2d, v16.2d, v24.2d
	WORD $0x4ef98631 // add v17.2d, v17.2d, v25.2d
	WORD $0x4efa8652 // add v18.2d, v18.2d, v26.2d
	WORD $0x4efb8673 // add v19.2d, v19.2d, v27.2d
	SUBS $256, R1, R1
	BNE  srloop
	WORD $0x4ef18610 // add v16.2d, v16.2d, v17.2d
	WORD $0x4ef38652 // add v18.2d, v18.2d, v19.2d
	WORD $0x4ef28610 // add v16.2d, v16.2d, v18.2d
	WORD $0x5ef1ba10 // addp d16, v16.2d
	WORD $0x9e660202 // fmov x2, d16
	MOVD R2, ret+16(FP)
	RET

// func peakNEON(n int) int64
// n iterations of 8 independent SMULL+SMLAL2+SADALP chains: 128
// multiply-adds per iteration.
TEXT ·peakNEON(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	LSL  $7, R0, R1
	MOVD R1, ret+8(FP)
	WORD $0x4f00e47e // movi v30.16b, #3
	WORD $0x4f00e4bf // movi v31.16b, #5
	WORD $0x4f000400 // movi v0.4s, #0
	WORD $0x4f000401 // movi v1.4s, #0
	WORD $0x4f000402 // movi v2.4s, #0
	WORD $0x4f000403 // movi v3.4s, #0
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4f000407 // movi v7.4s, #0
pnloop:
	WORD $0x0e3fc3d0 // smull v16.8h, v30.8b, v31.8b
	WORD $0x4e3f83d0 // smlal2 v16.8h, v30.16b, v31.16b
	WORD $0x4e606a00 // sadalp v0.4s, v16.8h
	WORD $0x0e3fc3d1 // smull v17.8h, v30.8b, v31.8b
	WORD $0x4e3f83d1 // smlal2 v17.8h, v30.16b, v31.16b
	WORD $0x4e606a21 // sadalp v1.4s, v17.8h
	WORD $0x0e3fc3d2 // smull v18.8h, v30.8b, v31.8b
	WORD $0x4e3f83d2 // smlal2 v18.8h, v30.16b, v31.16b
	WORD $0x4e606a42 // sadalp v2.4s, v18.8h
	WORD $0x0e3fc3d3 // smull v19.8h, v30.8b, v31.8b
	WORD $0x4e3f83d3 // smlal2 v19.8h, v30.16b, v31.16b
	WORD $0x4e606a63 // sadalp v3.4s, v19.8h
	WORD $0x0e3fc3d4 // smull v20.8h, v30.8b, v31.8b
	WORD $0x4e3f83d4 // smlal2 v20.8h, v30.16b, v31.16b
	WORD $0x4e606a84 // sadalp v4.4s, v20.8h
	WORD $0x0e3fc3d5 // smull v21.8h, v30.8b, v31.8b
	WORD $0x4e3f83d5 // smlal2 v21.8h, v30.16b, v31.16b
	WORD $0x4e606aa5 // sadalp v5.4s, v21.8h
	WORD $0x0e3fc3d6 // smull v22.8h, v30.8b, v31.8b
	WORD $0x4e3f83d6 // smlal2 v22.8h, v30.16b, v31.16b
	WORD $0x4e606ac6 // sadalp v6.4s, v22.8h
	WORD $0x0e3fc3d7 // smull v23.8h, v30.8b, v31.8b
	WORD $0x4e3f83d7 // smlal2 v23.8h, v30.16b, v31.16b
	WORD $0x4e606ae7 // sadalp v7.4s, v23.8h
	SUBS $1, R0, R0
	BNE  pnloop
	RET

// func peakSDOT(n int) int64
// n iterations of 16 independent SDOTs: 256 multiply-adds per iteration.
TEXT ·peakSDOT(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	LSL  $8, R0, R1
	MOVD R1, ret+8(FP)
	WORD $0x4f00e47e // movi v30.16b, #3
	WORD $0x4f00e4bf // movi v31.16b, #5
	WORD $0x4f000400 // movi v0.4s, #0
	WORD $0x4f000401 // movi v1.4s, #0
	WORD $0x4f000402 // movi v2.4s, #0
	WORD $0x4f000403 // movi v3.4s, #0
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
	WORD $0x4f00040c // movi v12.4s, #0
	WORD $0x4f00040d // movi v13.4s, #0
	WORD $0x4f00040e // movi v14.4s, #0
	WORD $0x4f00040f // movi v15.4s, #0
psloop:
	WORD $0x4e9f97c0 // sdot v0.4s, v30.16b, v31.16b
	WORD $0x4e9f97c1 // sdot v1.4s, v30.16b, v31.16b
	WORD $0x4e9f97c2 // sdot v2.4s, v30.16b, v31.16b
	WORD $0x4e9f97c3 // sdot v3.4s, v30.16b, v31.16b
	WORD $0x4e9f97c4 // sdot v4.4s, v30.16b, v31.16b
	WORD $0x4e9f97c5 // sdot v5.4s, v30.16b, v31.16b
	WORD $0x4e9f97c6 // sdot v6.4s, v30.16b, v31.16b
	WORD $0x4e9f97c7 // sdot v7.4s, v30.16b, v31.16b
	WORD $0x4e9f97c8 // sdot v8.4s, v30.16b, v31.16b
	WORD $0x4e9f97c9 // sdot v9.4s, v30.16b, v31.16b
	WORD $0x4e9f97ca // sdot v10.4s, v30.16b, v31.16b
	WORD $0x4e9f97cb // sdot v11.4s, v30.16b, v31.16b
	WORD $0x4e9f97cc // sdot v12.4s, v30.16b, v31.16b
	WORD $0x4e9f97cd // sdot v13.4s, v30.16b, v31.16b
	WORD $0x4e9f97ce // sdot v14.4s, v30.16b, v31.16b
	WORD $0x4e9f97cf // sdot v15.4s, v30.16b, v31.16b
	SUBS $1, R0, R0
	BNE  psloop
	RET

// func gemvQ8NEON(w *byte, rb int, nr int, q *int8, s *float32, nb int, out *float32)
//
// One row at a time, four blocks per iteration: codes flipped to signed
// (EOR 0x80), SMULL/SMLAL2 (two products per int16 lane, at most 2·128·127) and SADDLP/SADALP
// into one int32x4 per block, an ADDP tree to the four exact block sums,
// converted and multiplied-added with d·s (the four fp16 d gathered and
// widened by FCVTL).
TEXT ·gemvQ8NEON(SB), NOSPLIT, $0-56
	MOVD w+0(FP), R0
	MOVD rb+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD q+24(FP), R3
	MOVD s+32(FP), R4
	MOVD nb+40(FP), R5
	MOVD out+48(FP), R6
	WORD $0x4f04e41f // movi v31.16b, #0x80

gemvQ8NEONrow:
	MOVD R0, R7
	MOVD R3, R8
	MOVD R4, R9
	MOVD R5, R10
	WORD $0x4f00041e // movi v30.4s, #0
	WORD $0x4f00041d // movi v29.4s, #0
	CMP  $4, R10
	BLT  gemvQ8NEONtail

gemvQ8NEONloop4:
	WORD $0xf98200e0 // prfm pldl1keep, [x7, #1024]
	WORD $0xf98220e0 // prfm pldl1keep, [x7, #1088]
	WORD $0xf98240e0 // prfm pldl1keep, [x7, #1152]
	WORD $0x3cc020e0 // ldur q0, [x7, #2]
	WORD $0x3cc120e1 // ldur q1, [x7, #18]
	WORD $0x6e3f1c00 // eor v0.16b, v0.16b, v31.16b
	WORD $0x6e3f1c21 // eor v1.16b, v1.16b, v31.16b
	WORD $0x4cdfa102 // ld1 {v2.16b, v3.16b}, [x8], #32
	WORD $0x0e22c00e // smull v14.8h, v0.8b, v2.8b
	WORD $0x4e22800e // smlal2 v14.8h, v0.16b, v2.16b
	WORD $0x0e23c02f // smull v15.8h, v1.8b, v3.8b
	WORD $0x4e23802f // smlal2 v15.8h, v1.16b, v3.16b
	WORD $0x4e6029c4 // saddlp v4.4s, v14.8h
	WORD $0x4e6069e4 // sadalp v4.4s, v15.8h
	WORD $0x3cc240e8 // ldur q8, [x7, #36]
	WORD $0x3cc340e9 // ldur q9, [x7, #52]
	WORD $0x6e3f1d08 // eor v8.16b, v8.16b, v31.16b
	WORD $0x6e3f1d29 // eor v9.16b, v9.16b, v31.16b
	WORD $0x4cdfa10a // ld1 {v10.16b, v11.16b}, [x8], #32
	WORD $0x0e2ac110 // smull v16.8h, v8.8b, v10.8b
	WORD $0x4e2a8110 // smlal2 v16.8h, v8.16b, v10.16b
	WORD $0x0e2bc131 // smull v17.8h, v9.8b, v11.8b
	WORD $0x4e2b8131 // smlal2 v17.8h, v9.16b, v11.16b
	WORD $0x4e602a05 // saddlp v5.4s, v16.8h
	WORD $0x4e606a25 // sadalp v5.4s, v17.8h
	WORD $0x3cc460e0 // ldur q0, [x7, #70]
	WORD $0x3cc560e1 // ldur q1, [x7, #86]
	WORD $0x6e3f1c00 // eor v0.16b, v0.16b, v31.16b
	WORD $0x6e3f1c21 // eor v1.16b, v1.16b, v31.16b
	WORD $0x4cdfa102 // ld1 {v2.16b, v3.16b}, [x8], #32
	WORD $0x0e22c00e // smull v14.8h, v0.8b, v2.8b
	WORD $0x4e22800e // smlal2 v14.8h, v0.16b, v2.16b
	WORD $0x0e23c02f // smull v15.8h, v1.8b, v3.8b
	WORD $0x4e23802f // smlal2 v15.8h, v1.16b, v3.16b
	WORD $0x4e6029c6 // saddlp v6.4s, v14.8h
	WORD $0x4e6069e6 // sadalp v6.4s, v15.8h
	WORD $0x3cc680e8 // ldur q8, [x7, #104]
	WORD $0x3cc780e9 // ldur q9, [x7, #120]
	WORD $0x6e3f1d08 // eor v8.16b, v8.16b, v31.16b
	WORD $0x6e3f1d29 // eor v9.16b, v9.16b, v31.16b
	WORD $0x4cdfa10a // ld1 {v10.16b, v11.16b}, [x8], #32
	WORD $0x0e2ac110 // smull v16.8h, v8.8b, v10.8b
	WORD $0x4e2a8110 // smlal2 v16.8h, v8.16b, v10.16b
	WORD $0x0e2bc131 // smull v17.8h, v9.8b, v11.8b
	WORD $0x4e2b8131 // smlal2 v17.8h, v9.16b, v11.16b
	WORD $0x4e602a07 // saddlp v7.4s, v16.8h
	WORD $0x4e606a27 // sadalp v7.4s, v17.8h
	WORD $0x4ea5bc84 // addp v4.4s, v4.4s, v5.4s
	WORD $0x4ea7bcc6 // addp v6.4s, v6.4s, v7.4s
	WORD $0x4ea6bc84 // addp v4.4s, v4.4s, v6.4s
	WORD $0x4e21d884 // scvtf v4.4s, v4.4s
	WORD $0x794000eb // ldrh w11, [x7]
	WORD $0x794044ec // ldrh w12, [x7, #34]
	WORD $0x794088ed // ldrh w13, [x7, #68]
	WORD $0x7940ccee // ldrh w14, [x7, #102]
	WORD $0xaa0c416b // orr x11, x11, x12, lsl #16
	WORD $0xaa0e41ad // orr x13, x13, x14, lsl #16
	WORD $0xaa0d816b // orr x11, x11, x13, lsl #32
	WORD $0x9e67016c // fmov d12, x11
	WORD $0x0e21798c // fcvtl v12.4s, v12.4h
	WORD $0x4cdf792d // ld1 {v13.4s}, [x9], #16
	WORD $0x6e2ddd8c // fmul v12.4s, v12.4s, v13.4s
	WORD $0x4e2ccc9e // fmla v30.4s, v4.4s, v12.4s
	WORD $0x910220e7 // add x7, x7, #136
	WORD $0xd100114a // sub x10, x10, #4
	CMP  $4, R10
	BGE  gemvQ8NEONloop4

gemvQ8NEONtail:
	CBZ  R10, gemvQ8NEONdone

gemvQ8NEONloop1:
	WORD $0x3cc020e0 // ldur q0, [x7, #2]
	WORD $0x3cc120e1 // ldur q1, [x7, #18]
	WORD $0x6e3f1c00 // eor v0.16b, v0.16b, v31.16b
	WORD $0x6e3f1c21 // eor v1.16b, v1.16b, v31.16b
	WORD $0x4cdfa102 // ld1 {v2.16b, v3.16b}, [x8], #32
	WORD $0x0e22c00e // smull v14.8h, v0.8b, v2.8b
	WORD $0x4e22800e // smlal2 v14.8h, v0.16b, v2.16b
	WORD $0x0e23c02f // smull v15.8h, v1.8b, v3.8b
	WORD $0x4e23802f // smlal2 v15.8h, v1.16b, v3.16b
	WORD $0x4e6029c4 // saddlp v4.4s, v14.8h
	WORD $0x4e6069e4 // sadalp v4.4s, v15.8h
	WORD $0x4eb1b884 // addv s4, v4.4s
	WORD $0x5e21d884 // scvtf s4, s4
	WORD $0x7d4000ec // ldr h12, [x7]
	WORD $0x1ee2418c // fcvt s12, h12
	WORD $0xbc40452d // ldr s13, [x9], #4
	WORD $0x1e2d098c // fmul s12, s12, s13
	WORD $0x1f0c749d // fmadd s29, s4, s12, s29
	WORD $0x910088e7 // add x7, x7, #34
	SUBS $1, R10, R10
	BNE  gemvQ8NEONloop1

gemvQ8NEONdone:
	WORD $0x6e3ed7de // faddp v30.4s, v30.4s, v30.4s
	WORD $0x7e30dbde // faddp s30, v30.2s
	WORD $0x1e3d2bde // fadd s30, s30, s29
	WORD $0xbc0044de // str s30, [x6], #4
	ADD  R1, R0, R0
	SUBS $1, R2, R2
	BNE  gemvQ8NEONrow
	RET

// func gemvQ8SDOT(w *byte, rb int, nr int, q *int8, s *float32, nb int, out *float32)
//
// One row at a time, four blocks per iteration: codes flipped to signed
// (EOR 0x80), SDOT
// into one int32x4 per block, an ADDP tree to the four exact block sums,
// converted and multiplied-added with d·s (the four fp16 d gathered and
// widened by FCVTL).
TEXT ·gemvQ8SDOT(SB), NOSPLIT, $0-56
	MOVD w+0(FP), R0
	MOVD rb+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD q+24(FP), R3
	MOVD s+32(FP), R4
	MOVD nb+40(FP), R5
	MOVD out+48(FP), R6
	WORD $0x4f04e41f // movi v31.16b, #0x80

gemvQ8SDOTrow:
	MOVD R0, R7
	MOVD R3, R8
	MOVD R4, R9
	MOVD R5, R10
	WORD $0x4f00041e // movi v30.4s, #0
	WORD $0x4f00041d // movi v29.4s, #0
	CMP  $4, R10
	BLT  gemvQ8SDOTtail

gemvQ8SDOTloop4:
	WORD $0xf98200e0 // prfm pldl1keep, [x7, #1024]
	WORD $0xf98220e0 // prfm pldl1keep, [x7, #1088]
	WORD $0xf98240e0 // prfm pldl1keep, [x7, #1152]
	WORD $0x3cc020e0 // ldur q0, [x7, #2]
	WORD $0x3cc120e1 // ldur q1, [x7, #18]
	WORD $0x6e3f1c00 // eor v0.16b, v0.16b, v31.16b
	WORD $0x6e3f1c21 // eor v1.16b, v1.16b, v31.16b
	WORD $0x4cdfa102 // ld1 {v2.16b, v3.16b}, [x8], #32
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4e829404 // sdot v4.4s, v0.16b, v2.16b
	WORD $0x4e839424 // sdot v4.4s, v1.16b, v3.16b
	WORD $0x3cc240e8 // ldur q8, [x7, #36]
	WORD $0x3cc340e9 // ldur q9, [x7, #52]
	WORD $0x6e3f1d08 // eor v8.16b, v8.16b, v31.16b
	WORD $0x6e3f1d29 // eor v9.16b, v9.16b, v31.16b
	WORD $0x4cdfa10a // ld1 {v10.16b, v11.16b}, [x8], #32
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4e8a9505 // sdot v5.4s, v8.16b, v10.16b
	WORD $0x4e8b9525 // sdot v5.4s, v9.16b, v11.16b
	WORD $0x3cc460e0 // ldur q0, [x7, #70]
	WORD $0x3cc560e1 // ldur q1, [x7, #86]
	WORD $0x6e3f1c00 // eor v0.16b, v0.16b, v31.16b
	WORD $0x6e3f1c21 // eor v1.16b, v1.16b, v31.16b
	WORD $0x4cdfa102 // ld1 {v2.16b, v3.16b}, [x8], #32
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4e829406 // sdot v6.4s, v0.16b, v2.16b
	WORD $0x4e839426 // sdot v6.4s, v1.16b, v3.16b
	WORD $0x3cc680e8 // ldur q8, [x7, #104]
	WORD $0x3cc780e9 // ldur q9, [x7, #120]
	WORD $0x6e3f1d08 // eor v8.16b, v8.16b, v31.16b
	WORD $0x6e3f1d29 // eor v9.16b, v9.16b, v31.16b
	WORD $0x4cdfa10a // ld1 {v10.16b, v11.16b}, [x8], #32
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4e8a9507 // sdot v7.4s, v8.16b, v10.16b
	WORD $0x4e8b9527 // sdot v7.4s, v9.16b, v11.16b
	WORD $0x4ea5bc84 // addp v4.4s, v4.4s, v5.4s
	WORD $0x4ea7bcc6 // addp v6.4s, v6.4s, v7.4s
	WORD $0x4ea6bc84 // addp v4.4s, v4.4s, v6.4s
	WORD $0x4e21d884 // scvtf v4.4s, v4.4s
	WORD $0x794000eb // ldrh w11, [x7]
	WORD $0x794044ec // ldrh w12, [x7, #34]
	WORD $0x794088ed // ldrh w13, [x7, #68]
	WORD $0x7940ccee // ldrh w14, [x7, #102]
	WORD $0xaa0c416b // orr x11, x11, x12, lsl #16
	WORD $0xaa0e41ad // orr x13, x13, x14, lsl #16
	WORD $0xaa0d816b // orr x11, x11, x13, lsl #32
	WORD $0x9e67016c // fmov d12, x11
	WORD $0x0e21798c // fcvtl v12.4s, v12.4h
	WORD $0x4cdf792d // ld1 {v13.4s}, [x9], #16
	WORD $0x6e2ddd8c // fmul v12.4s, v12.4s, v13.4s
	WORD $0x4e2ccc9e // fmla v30.4s, v4.4s, v12.4s
	WORD $0x910220e7 // add x7, x7, #136
	WORD $0xd100114a // sub x10, x10, #4
	CMP  $4, R10
	BGE  gemvQ8SDOTloop4

gemvQ8SDOTtail:
	CBZ  R10, gemvQ8SDOTdone

gemvQ8SDOTloop1:
	WORD $0x3cc020e0 // ldur q0, [x7, #2]
	WORD $0x3cc120e1 // ldur q1, [x7, #18]
	WORD $0x6e3f1c00 // eor v0.16b, v0.16b, v31.16b
	WORD $0x6e3f1c21 // eor v1.16b, v1.16b, v31.16b
	WORD $0x4cdfa102 // ld1 {v2.16b, v3.16b}, [x8], #32
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4e829404 // sdot v4.4s, v0.16b, v2.16b
	WORD $0x4e839424 // sdot v4.4s, v1.16b, v3.16b
	WORD $0x4eb1b884 // addv s4, v4.4s
	WORD $0x5e21d884 // scvtf s4, s4
	WORD $0x7d4000ec // ldr h12, [x7]
	WORD $0x1ee2418c // fcvt s12, h12
	WORD $0xbc40452d // ldr s13, [x9], #4
	WORD $0x1e2d098c // fmul s12, s12, s13
	WORD $0x1f0c749d // fmadd s29, s4, s12, s29
	WORD $0x910088e7 // add x7, x7, #34
	SUBS $1, R10, R10
	BNE  gemvQ8SDOTloop1

gemvQ8SDOTdone:
	WORD $0x6e3ed7de // faddp v30.4s, v30.4s, v30.4s
	WORD $0x7e30dbde // faddp s30, v30.2s
	WORD $0x1e3d2bde // fadd s30, s30, s29
	WORD $0xbc0044de // str s30, [x6], #4
	ADD  R1, R0, R0
	SUBS $1, R2, R2
	BNE  gemvQ8SDOTrow
	RET

// USHL shift counts (negative: right) of the Q4 sub-scale and min high
// bits: (H<<4) >> 2j for j = 0..3 and 4..7, and H >> (12+2j) for j = 0..3.
DATA qshift<>+0(SB)/4, $0
DATA qshift<>+4(SB)/4, $-2
DATA qshift<>+8(SB)/4, $-4
DATA qshift<>+12(SB)/4, $-6
DATA qshift<>+16(SB)/4, $-8
DATA qshift<>+20(SB)/4, $-10
DATA qshift<>+24(SB)/4, $-12
DATA qshift<>+28(SB)/4, $-14
DATA qshift<>+32(SB)/4, $-12
DATA qshift<>+36(SB)/4, $-14
DATA qshift<>+40(SB)/4, $-16
DATA qshift<>+44(SB)/4, $-18
GLOBL qshift<>(SB), RODATA|NOPTR, $48

// func gemvQ4NEON(w *byte, rb int, nr int, q *int8, s *float32, m *int32, nsb int, out *float32, lut *byte)
//
// One row at a time. Per super-block: the header decoded in vector form
// (lanes = sub-blocks 0-3 and 4-7) into S_j·s_j and the mins term
// −Σ M_j·s_j·sum_j (one multiply-subtract into V29); per 32 codes: nibbles,
// TBL through the level table, SMULL/SMLAL2/SADALP with the activations into one
// int32x4 per sub-block, an ADDP tree to the exact sub-block sums,
// converted and multiplied-added with S_j·s_j.
TEXT ·gemvQ4NEON(SB), NOSPLIT, $0-72
	MOVD w+0(FP), R0
	MOVD rb+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD q+24(FP), R3
	MOVD s+32(FP), R4
	MOVD m+40(FP), R5
	MOVD nsb+48(FP), R6
	MOVD out+56(FP), R15
	MOVD lut+64(FP), R16
	MOVD $qshift<>(SB), R17
	WORD $0x4f00e5ff // movi v31.16b, #0x0f
	WORD $0x4f0005fc // movi v28.4s, #0x0f
	WORD $0x4f01061b // movi v27.4s, #0x30
	WORD $0x4c406a38 // ld1 {v24.4s, v25.4s, v26.4s}, [x17]

gemvQ4NEONrow:
	MOVD R0, R7
	MOVD R3, R8
	MOVD R4, R9
	MOVD R5, R10
	MOVD R6, R11
	WORD $0x4f00041e // movi v30.4s, #0
	WORD $0x4f00041d // movi v29.4s, #0
gemvQ4NEONloop:
	WORD $0xf98200e0 // prfm pldl1keep, [x7, #1024]
	WORD $0xf98220e0 // prfm pldl1keep, [x7, #1088]
	WORD $0xf98240e0 // prfm pldl1keep, [x7, #1152]
	WORD $0xb94000ec // ldr w12, [x7]
	WORD $0x530f3d8d // ubfx w13, w12, #15, #1
	WORD $0x531e7d8e // lsr w14, w12, #30
	WORD $0x121f01ce // and w14, w14, #2
	WORD $0x2a0e01ad // orr w13, w13, w14
	WORD $0x8b0d120d // add x13, x16, x13, lsl #4
	WORD $0x4c4071b7 // ld1 {v23.16b}, [x13]
	WORD $0x530f398d // lsl w13, w12, #17
	WORD $0x53017dad // lsr w13, w13, #1
	WORD $0x4e040db6 // dup v22.4s, w13
	WORD $0x53107d8d // lsr w13, w12, #16
	WORD $0x530f39ad // lsl w13, w13, #17
	WORD $0x53017dad // lsr w13, w13, #1
	WORD $0x4e040db5 // dup v21.4s, w13
	WORD $0xfc4040f4 // ldr d20, [x7, #4]
	WORD $0x2f08a694 // uxtl v20.8h, v20.8b
	WORD $0x6f10a693 // uxtl2 v19.4s, v20.8h
	WORD $0x2f10a694 // uxtl v20.4s, v20.4h
	WORD $0xb9400ced // ldr w13, [x7, #12]
	WORD $0x4e040db2 // dup v18.4s, w13
	WORD $0x4f245651 // shl v17.4s, v18.4s, #4
	WORD $0x6eb84630 // ushl v16.4s, v17.4s, v24.4s
	WORD $0x6eb94631 // ushl v17.4s, v17.4s, v25.4s
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4e3b1e31 // and v17.16b, v17.16b, v27.16b
	WORD $0x4e3c1e8c // and v12.16b, v20.16b, v28.16b
	WORD $0x4eac1e10 // orr v16.16b, v16.16b, v12.16b
	WORD $0x4e3c1e6c // and v12.16b, v19.16b, v28.16b
	WORD $0x4eac1e31 // orr v17.16b, v17.16b, v12.16b
	WORD $0x6eba464c // ushl v12.4s, v18.4s, v26.4s
	WORD $0x4e3b1d8c // and v12.16b, v12.16b, v27.16b
	WORD $0x6f3c0694 // ushr v20.4s, v20.4s, #4
	WORD $0x4eac1e94 // orr v20.16b, v20.16b, v12.16b
	WORD $0x4f00050d // movi v13.4s, #8
	WORD $0x6ead874d // sub v13.4s, v26.4s, v13.4s
	WORD $0x6ead464c // ushl v12.4s, v18.4s, v13.4s
	WORD $0x4e3b1d8c // and v12.16b, v12.16b, v27.16b
	WORD $0x6f3c0673 // ushr v19.4s, v19.4s, #4
	WORD $0x4eac1e73 // orr v19.16b, v19.16b, v12.16b
	WORD $0x4e21da10 // scvtf v16.4s, v16.4s
	WORD $0x4e21da31 // scvtf v17.4s, v17.4s
	WORD $0x6e36de10 // fmul v16.4s, v16.4s, v22.4s
	WORD $0x6e36de31 // fmul v17.4s, v17.4s, v22.4s
	WORD $0x4cdfa92c // ld1 {v12.4s, v13.4s}, [x9], #32
	WORD $0x6e2cde10 // fmul v16.4s, v16.4s, v12.4s
	WORD $0x6e2dde31 // fmul v17.4s, v17.4s, v13.4s
	WORD $0x4e21da94 // scvtf v20.4s, v20.4s
	WORD $0x4e21da73 // scvtf v19.4s, v19.4s
	WORD $0x6e35de94 // fmul v20.4s, v20.4s, v21.4s
	WORD $0x6e35de73 // fmul v19.4s, v19.4s, v21.4s
	WORD $0x4cdfa955 // ld1 {v21.4s, v22.4s}, [x10], #32
	WORD $0x4e21dab5 // scvtf v21.4s, v21.4s
	WORD $0x4e21dad6 // scvtf v22.4s, v22.4s
	WORD $0x6e2cdeb5 // fmul v21.4s, v21.4s, v12.4s
	WORD $0x6e2dded6 // fmul v22.4s, v22.4s, v13.4s
	WORD $0x4eb5ce9d // fmls v29.4s, v20.4s, v21.4s
	WORD $0x4eb6ce7d // fmls v29.4s, v19.4s, v22.4s
	WORD $0x3dc004e0 // ldr q0, [x7, #16]
	WORD $0x3dc008e1 // ldr q1, [x7, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x0e28c00e // smull v14.8h, v0.8b, v8.8b
	WORD $0x4e28800e // smlal2 v14.8h, v0.16b, v8.16b
	WORD $0x0e29c02f // smull v15.8h, v1.8b, v9.8b
	WORD $0x4e29802f // smlal2 v15.8h, v1.16b, v9.16b
	WORD $0x4e6029c4 // saddlp v4.4s, v14.8h
	WORD $0x4e6069e4 // sadalp v4.4s, v15.8h
	WORD $0x0e2ac04c // smull v12.8h, v2.8b, v10.8b
	WORD $0x4e2a804c // smlal2 v12.8h, v2.16b, v10.16b
	WORD $0x0e2bc06d // smull v13.8h, v3.8b, v11.8b
	WORD $0x4e2b806d // smlal2 v13.8h, v3.16b, v11.16b
	WORD $0x4e602985 // saddlp v5.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x3dc00ce0 // ldr q0, [x7, #48]
	WORD $0x3dc010e1 // ldr q1, [x7, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x0e28c00e // smull v14.8h, v0.8b, v8.8b
	WORD $0x4e28800e // smlal2 v14.8h, v0.16b, v8.16b
	WORD $0x0e29c02f // smull v15.8h, v1.8b, v9.8b
	WORD $0x4e29802f // smlal2 v15.8h, v1.16b, v9.16b
	WORD $0x4e6029c6 // saddlp v6.4s, v14.8h
	WORD $0x4e6069e6 // sadalp v6.4s, v15.8h
	WORD $0x0e2ac04c // smull v12.8h, v2.8b, v10.8b
	WORD $0x4e2a804c // smlal2 v12.8h, v2.16b, v10.16b
	WORD $0x0e2bc06d // smull v13.8h, v3.8b, v11.8b
	WORD $0x4e2b806d // smlal2 v13.8h, v3.16b, v11.16b
	WORD $0x4e602987 // saddlp v7.4s, v12.8h
	WORD $0x4e6069a7 // sadalp v7.4s, v13.8h
	WORD $0x4ea5bc84 // addp v4.4s, v4.4s, v5.4s
	WORD $0x4ea7bcc6 // addp v6.4s, v6.4s, v7.4s
	WORD $0x4ea6bc92 // addp v18.4s, v4.4s, v6.4s
	WORD $0x3dc014e0 // ldr q0, [x7, #80]
	WORD $0x3dc018e1 // ldr q1, [x7, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x0e28c00e // smull v14.8h, v0.8b, v8.8b
	WORD $0x4e28800e // smlal2 v14.8h, v0.16b, v8.16b
	WORD $0x0e29c02f // smull v15.8h, v1.8b, v9.8b
	WORD $0x4e29802f // smlal2 v15.8h, v1.16b, v9.16b
	WORD $0x4e6029c4 // saddlp v4.4s, v14.8h
	WORD $0x4e6069e4 // sadalp v4.4s, v15.8h
	WORD $0x0e2ac04c // smull v12.8h, v2.8b, v10.8b
	WORD $0x4e2a804c // smlal2 v12.8h, v2.16b, v10.16b
	WORD $0x0e2bc06d // smull v13.8h, v3.8b, v11.8b
	WORD $0x4e2b806d // smlal2 v13.8h, v3.16b, v11.16b
	WORD $0x4e602985 // saddlp v5.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x3dc01ce0 // ldr q0, [x7, #112]
	WORD $0x3dc020e1 // ldr q1, [x7, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x0e28c00e // smull v14.8h, v0.8b, v8.8b
	WORD $0x4e28800e // smlal2 v14.8h, v0.16b, v8.16b
	WORD $0x0e29c02f // smull v15.8h, v1.8b, v9.8b
	WORD $0x4e29802f // smlal2 v15.8h, v1.16b, v9.16b
	WORD $0x4e6029c6 // saddlp v6.4s, v14.8h
	WORD $0x4e6069e6 // sadalp v6.4s, v15.8h
	WORD $0x0e2ac04c // smull v12.8h, v2.8b, v10.8b
	WORD $0x4e2a804c // smlal2 v12.8h, v2.16b, v10.16b
	WORD $0x0e2bc06d // smull v13.8h, v3.8b, v11.8b
	WORD $0x4e2b806d // smlal2 v13.8h, v3.16b, v11.16b
	WORD $0x4e602987 // saddlp v7.4s, v12.8h
	WORD $0x4e6069a7 // sadalp v7.4s, v13.8h
	WORD $0x4ea5bc84 // addp v4.4s, v4.4s, v5.4s
	WORD $0x4ea7bcc6 // addp v6.4s, v6.4s, v7.4s
	WORD $0x4ea6bc93 // addp v19.4s, v4.4s, v6.4s
	WORD $0x4e21da52 // scvtf v18.4s, v18.4s
	WORD $0x4e21da73 // scvtf v19.4s, v19.4s
	WORD $0x4e30ce5e // fmla v30.4s, v18.4s, v16.4s
	WORD $0x4e31ce7e // fmla v30.4s, v19.4s, v17.4s
	WORD $0x910240e7 // add x7, x7, #144
	SUBS $1, R11, R11
	BNE  gemvQ4NEONloop
	WORD $0x4e3dd7de // fadd v30.4s, v30.4s, v29.4s
	WORD $0x6e3ed7de // faddp v30.4s, v30.4s, v30.4s
	WORD $0x7e30dbde // faddp s30, v30.2s
	WORD $0xbc0045fe // str s30, [x15], #4
	ADD  R1, R0, R0
	SUBS $1, R2, R2
	BNE  gemvQ4NEONrow
	RET

// func gemvQ4SDOT(w *byte, rb int, nr int, q *int8, s *float32, m *int32, nsb int, out *float32, lut *byte)
//
// One row at a time. Per super-block: the header decoded in vector form
// (lanes = sub-blocks 0-3 and 4-7) into S_j·s_j and the mins term
// −Σ M_j·s_j·sum_j (one multiply-subtract into V29); per 32 codes: nibbles,
// TBL through the level table, SDOT with the activations into one
// int32x4 per sub-block, an ADDP tree to the exact sub-block sums,
// converted and multiplied-added with S_j·s_j.
TEXT ·gemvQ4SDOT(SB), NOSPLIT, $0-72
	MOVD w+0(FP), R0
	MOVD rb+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD q+24(FP), R3
	MOVD s+32(FP), R4
	MOVD m+40(FP), R5
	MOVD nsb+48(FP), R6
	MOVD out+56(FP), R15
	MOVD lut+64(FP), R16
	MOVD $qshift<>(SB), R17
	WORD $0x4f00e5ff // movi v31.16b, #0x0f
	WORD $0x4f0005fc // movi v28.4s, #0x0f
	WORD $0x4f01061b // movi v27.4s, #0x30
	WORD $0x4c406a38 // ld1 {v24.4s, v25.4s, v26.4s}, [x17]

gemvQ4SDOTrow:
	MOVD R0, R7
	MOVD R3, R8
	MOVD R4, R9
	MOVD R5, R10
	MOVD R6, R11
	WORD $0x4f00041e // movi v30.4s, #0
	WORD $0x4f00041d // movi v29.4s, #0
gemvQ4SDOTloop:
	WORD $0xf98200e0 // prfm pldl1keep, [x7, #1024]
	WORD $0xf98220e0 // prfm pldl1keep, [x7, #1088]
	WORD $0xf98240e0 // prfm pldl1keep, [x7, #1152]
	WORD $0xb94000ec // ldr w12, [x7]
	WORD $0x530f3d8d // ubfx w13, w12, #15, #1
	WORD $0x531e7d8e // lsr w14, w12, #30
	WORD $0x121f01ce // and w14, w14, #2
	WORD $0x2a0e01ad // orr w13, w13, w14
	WORD $0x8b0d120d // add x13, x16, x13, lsl #4
	WORD $0x4c4071b7 // ld1 {v23.16b}, [x13]
	WORD $0x530f398d // lsl w13, w12, #17
	WORD $0x53017dad // lsr w13, w13, #1
	WORD $0x4e040db6 // dup v22.4s, w13
	WORD $0x53107d8d // lsr w13, w12, #16
	WORD $0x530f39ad // lsl w13, w13, #17
	WORD $0x53017dad // lsr w13, w13, #1
	WORD $0x4e040db5 // dup v21.4s, w13
	WORD $0xfc4040f4 // ldr d20, [x7, #4]
	WORD $0x2f08a694 // uxtl v20.8h, v20.8b
	WORD $0x6f10a693 // uxtl2 v19.4s, v20.8h
	WORD $0x2f10a694 // uxtl v20.4s, v20.4h
	WORD $0xb9400ced // ldr w13, [x7, #12]
	WORD $0x4e040db2 // dup v18.4s, w13
	WORD $0x4f245651 // shl v17.4s, v18.4s, #4
	WORD $0x6eb84630 // ushl v16.4s, v17.4s, v24.4s
	WORD $0x6eb94631 // ushl v17.4s, v17.4s, v25.4s
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4e3b1e31 // and v17.16b, v17.16b, v27.16b
	WORD $0x4e3c1e8c // and v12.16b, v20.16b, v28.16b
	WORD $0x4eac1e10 // orr v16.16b, v16.16b, v12.16b
	WORD $0x4e3c1e6c // and v12.16b, v19.16b, v28.16b
	WORD $0x4eac1e31 // orr v17.16b, v17.16b, v12.16b
	WORD $0x6eba464c // ushl v12.4s, v18.4s, v26.4s
	WORD $0x4e3b1d8c // and v12.16b, v12.16b, v27.16b
	WORD $0x6f3c0694 // ushr v20.4s, v20.4s, #4
	WORD $0x4eac1e94 // orr v20.16b, v20.16b, v12.16b
	WORD $0x4f00050d // movi v13.4s, #8
	WORD $0x6ead874d // sub v13.4s, v26.4s, v13.4s
	WORD $0x6ead464c // ushl v12.4s, v18.4s, v13.4s
	WORD $0x4e3b1d8c // and v12.16b, v12.16b, v27.16b
	WORD $0x6f3c0673 // ushr v19.4s, v19.4s, #4
	WORD $0x4eac1e73 // orr v19.16b, v19.16b, v12.16b
	WORD $0x4e21da10 // scvtf v16.4s, v16.4s
	WORD $0x4e21da31 // scvtf v17.4s, v17.4s
	WORD $0x6e36de10 // fmul v16.4s, v16.4s, v22.4s
	WORD $0x6e36de31 // fmul v17.4s, v17.4s, v22.4s
	WORD $0x4cdfa92c // ld1 {v12.4s, v13.4s}, [x9], #32
	WORD $0x6e2cde10 // fmul v16.4s, v16.4s, v12.4s
	WORD $0x6e2dde31 // fmul v17.4s, v17.4s, v13.4s
	WORD $0x4e21da94 // scvtf v20.4s, v20.4s
	WORD $0x4e21da73 // scvtf v19.4s, v19.4s
	WORD $0x6e35de94 // fmul v20.4s, v20.4s, v21.4s
	WORD $0x6e35de73 // fmul v19.4s, v19.4s, v21.4s
	WORD $0x4cdfa955 // ld1 {v21.4s, v22.4s}, [x10], #32
	WORD $0x4e21dab5 // scvtf v21.4s, v21.4s
	WORD $0x4e21dad6 // scvtf v22.4s, v22.4s
	WORD $0x6e2cdeb5 // fmul v21.4s, v21.4s, v12.4s
	WORD $0x6e2dded6 // fmul v22.4s, v22.4s, v13.4s
	WORD $0x4eb5ce9d // fmls v29.4s, v20.4s, v21.4s
	WORD $0x4eb6ce7d // fmls v29.4s, v19.4s, v22.4s
	WORD $0x3dc004e0 // ldr q0, [x7, #16]
	WORD $0x3dc008e1 // ldr q1, [x7, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4e889404 // sdot v4.4s, v0.16b, v8.16b
	WORD $0x4e899424 // sdot v4.4s, v1.16b, v9.16b
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4e8a9445 // sdot v5.4s, v2.16b, v10.16b
	WORD $0x4e8b9465 // sdot v5.4s, v3.16b, v11.16b
	WORD $0x3dc00ce0 // ldr q0, [x7, #48]
	WORD $0x3dc010e1 // ldr q1, [x7, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4e889406 // sdot v6.4s, v0.16b, v8.16b
	WORD $0x4e899426 // sdot v6.4s, v1.16b, v9.16b
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4e8a9447 // sdot v7.4s, v2.16b, v10.16b
	WORD $0x4e8b9467 // sdot v7.4s, v3.16b, v11.16b
	WORD $0x4ea5bc84 // addp v4.4s, v4.4s, v5.4s
	WORD $0x4ea7bcc6 // addp v6.4s, v6.4s, v7.4s
	WORD $0x4ea6bc92 // addp v18.4s, v4.4s, v6.4s
	WORD $0x3dc014e0 // ldr q0, [x7, #80]
	WORD $0x3dc018e1 // ldr q1, [x7, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4e889404 // sdot v4.4s, v0.16b, v8.16b
	WORD $0x4e899424 // sdot v4.4s, v1.16b, v9.16b
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4e8a9445 // sdot v5.4s, v2.16b, v10.16b
	WORD $0x4e8b9465 // sdot v5.4s, v3.16b, v11.16b
	WORD $0x3dc01ce0 // ldr q0, [x7, #112]
	WORD $0x3dc020e1 // ldr q1, [x7, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0002e0 // tbl v0.16b, {v23.16b}, v0.16b
	WORD $0x4e0102e1 // tbl v1.16b, {v23.16b}, v1.16b
	WORD $0x4e0202e2 // tbl v2.16b, {v23.16b}, v2.16b
	WORD $0x4e0302e3 // tbl v3.16b, {v23.16b}, v3.16b
	WORD $0x4cdf2108 // ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4e889406 // sdot v6.4s, v0.16b, v8.16b
	WORD $0x4e899426 // sdot v6.4s, v1.16b, v9.16b
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4e8a9447 // sdot v7.4s, v2.16b, v10.16b
	WORD $0x4e8b9467 // sdot v7.4s, v3.16b, v11.16b
	WORD $0x4ea5bc84 // addp v4.4s, v4.4s, v5.4s
	WORD $0x4ea7bcc6 // addp v6.4s, v6.4s, v7.4s
	WORD $0x4ea6bc93 // addp v19.4s, v4.4s, v6.4s
	WORD $0x4e21da52 // scvtf v18.4s, v18.4s
	WORD $0x4e21da73 // scvtf v19.4s, v19.4s
	WORD $0x4e30ce5e // fmla v30.4s, v18.4s, v16.4s
	WORD $0x4e31ce7e // fmla v30.4s, v19.4s, v17.4s
	WORD $0x910240e7 // add x7, x7, #144
	SUBS $1, R11, R11
	BNE  gemvQ4SDOTloop
	WORD $0x4e3dd7de // fadd v30.4s, v30.4s, v29.4s
	WORD $0x6e3ed7de // faddp v30.4s, v30.4s, v30.4s
	WORD $0x7e30dbde // faddp s30, v30.2s
	WORD $0xbc0045fe // str s30, [x15], #4
	ADD  R1, R0, R0
	SUBS $1, R2, R2
	BNE  gemvQ4SDOTrow
	RET

// func packQ8NEON(dst *byte, rows *[8]*byte, nb int)
//
// The panel layout of the arm64 micro-kernels, per 32-value block: for each
// 4-value step j, 16 bytes [row 0's 4 codes, …, row 3's] then the same for
// rows 4-7; then the 8 rows' scales (Q8: d; Q4: S_j, then −M_j) as float32.
// Q8 codes are flipped to signed; LD4 (single structure) loads transpose
// the rows.
TEXT ·packQ8NEON(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD nb+16(FP), R2
	MOVD 0(R1), R8
	ADD  $2, R8, R8
	MOVD 8(R1), R9
	ADD  $2, R9, R9
	MOVD 16(R1), R10
	ADD  $2, R10, R10
	MOVD 24(R1), R11
	ADD  $2, R11, R11
	MOVD 32(R1), R12
	ADD  $2, R12, R12
	MOVD 40(R1), R13
	ADD  $2, R13, R13
	MOVD 48(R1), R14
	ADD  $2, R14, R14
	MOVD 56(R1), R15
	ADD  $2, R15, R15
	WORD $0x4f04e41f // movi v31.16b, #0x80
p8nloop:
	WORD $0x0dffa100 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x8], #16
	WORD $0x0dffb120 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x9], #16
	WORD $0x4dffa140 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x10], #16
	WORD $0x4dffb160 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x11], #16
	WORD $0x0dffa104 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x8], #16
	WORD $0x0dffb124 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x9], #16
	WORD $0x4dffa144 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x10], #16
	WORD $0x4dffb164 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x11], #16
	WORD $0x0dffa190 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x12], #16
	WORD $0x0dffb1b0 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x13], #16
	WORD $0x4dffa1d0 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x14], #16
	WORD $0x4dffb1f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x15], #16
	WORD $0x0dffa194 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x12], #16
	WORD $0x0dffb1b4 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x13], #16
	WORD $0x4dffa1d4 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x14], #16
	WORD $0x4dffb1f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x15], #16
	WORD $0x6e3f1c00 // eor v0.16b, v0.16b, v31.16b
	WORD $0x6e3f1c21 // eor v1.16b, v1.16b, v31.16b
	WORD $0x6e3f1c42 // eor v2.16b, v2.16b, v31.16b
	WORD $0x6e3f1c63 // eor v3.16b, v3.16b, v31.16b
	WORD $0x6e3f1c84 // eor v4.16b, v4.16b, v31.16b
	WORD $0x6e3f1ca5 // eor v5.16b, v5.16b, v31.16b
	WORD $0x6e3f1cc6 // eor v6.16b, v6.16b, v31.16b
	WORD $0x6e3f1ce7 // eor v7.16b, v7.16b, v31.16b
	WORD $0x6e3f1e10 // eor v16.16b, v16.16b, v31.16b
	WORD $0x6e3f1e31 // eor v17.16b, v17.16b, v31.16b
	WORD $0x6e3f1e52 // eor v18.16b, v18.16b, v31.16b
	WORD $0x6e3f1e73 // eor v19.16b, v19.16b, v31.16b
	WORD $0x6e3f1e94 // eor v20.16b, v20.16b, v31.16b
	WORD $0x6e3f1eb5 // eor v21.16b, v21.16b, v31.16b
	WORD $0x6e3f1ed6 // eor v22.16b, v22.16b, v31.16b
	WORD $0x6e3f1ef7 // eor v23.16b, v23.16b, v31.16b
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x785de103 // ldurh w3, [x8, #-34]
	WORD $0x4e021c78 // ins v24.h[0], w3
	WORD $0x785de123 // ldurh w3, [x9, #-34]
	WORD $0x4e061c78 // ins v24.h[1], w3
	WORD $0x785de143 // ldurh w3, [x10, #-34]
	WORD $0x4e0a1c78 // ins v24.h[2], w3
	WORD $0x785de163 // ldurh w3, [x11, #-34]
	WORD $0x4e0e1c78 // ins v24.h[3], w3
	WORD $0x785de183 // ldurh w3, [x12, #-34]
	WORD $0x4e021c79 // ins v25.h[0], w3
	WORD $0x785de1a3 // ldurh w3, [x13, #-34]
	WORD $0x4e061c79 // ins v25.h[1], w3
	WORD $0x785de1c3 // ldurh w3, [x14, #-34]
	WORD $0x4e0a1c79 // ins v25.h[2], w3
	WORD $0x785de1e3 // ldurh w3, [x15, #-34]
	WORD $0x4e0e1c79 // ins v25.h[3], w3
	WORD $0x0e217b18 // fcvtl v24.4s, v24.4h
	WORD $0x0e217b39 // fcvtl v25.4s, v25.4h
	WORD $0xad086418 // stp q24, q25, [x0, #256]
	WORD $0x91048000 // add x0, x0, #288
	ADD  $2, R8, R8
	ADD  $2, R9, R9
	ADD  $2, R10, R10
	ADD  $2, R11, R11
	ADD  $2, R12, R12
	ADD  $2, R13, R13
	ADD  $2, R14, R14
	ADD  $2, R15, R15
	SUBS $1, R2, R2
	BNE  p8nloop
	RET

// func packQ4NEON(dst *byte, rows *[8]*byte, nsb int, lut *byte, scratch *[2048]byte)
//
// Per super-block: the 4-row headers are transposed (TRN1/TRN2) so that
// each field has rows in its lanes, giving S_j = d·sc_j and −M_j for 4 rows
// at a time; each row's codes go through its level table (TBL) into
// scratch, from which LD4 loads transpose them as in packQ8NEON.
TEXT ·packQ4NEON(SB), NOSPLIT, $0-40
	MOVD dst+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD nsb+16(FP), R2
	MOVD lut+24(FP), R3
	MOVD scratch+32(FP), R4
	MOVD 0(R1), R8
	MOVD 8(R1), R9
	MOVD 16(R1), R10
	MOVD 24(R1), R11
	MOVD 32(R1), R12
	MOVD 40(R1), R13
	MOVD 48(R1), R14
	MOVD 56(R1), R15
	WORD $0x4f00e5ff // movi v31.16b, #0x0f
	WORD $0x4f0005fc // movi v28.4s, #0x0f
	WORD $0x4f01061b // movi v27.4s, #0x30
p4nloop:
	WORD $0x3dc00100 // ldr q0, [x8]
	WORD $0x3dc00121 // ldr q1, [x9]
	WORD $0x3dc00142 // ldr q2, [x10]
	WORD $0x3dc00163 // ldr q3, [x11]
	WORD $0x4e812804 // trn1 v4.4s, v0.4s, v1.4s
	WORD $0x4e816805 // trn2 v5.4s, v0.4s, v1.4s
	WORD $0x4e832846 // trn1 v6.4s, v2.4s, v3.4s
	WORD $0x4e836847 // trn2 v7.4s, v2.4s, v3.4s
	WORD $0x4ec62880 // trn1 v0.2d, v4.2d, v6.2d
	WORD $0x4ec728a1 // trn1 v1.2d, v5.2d, v7.2d
	WORD $0x4ec66882 // trn2 v2.2d, v4.2d, v6.2d
	WORD $0x4ec768a3 // trn2 v3.2d, v5.2d, v7.2d
	WORD $0x4f315404 // shl v4.4s, v0.4s, #17
	WORD $0x6f3f0484 // ushr v4.4s, v4.4s, #1
	WORD $0x6f300405 // ushr v5.4s, v0.4s, #16
	WORD $0x4f3154a5 // shl v5.4s, v5.4s, #17
	WORD $0x6f3f04a5 // ushr v5.4s, v5.4s, #1
	WORD $0x6ea0f8a5 // fneg v5.4s, v5.4s
	WORD $0x4f245466 // shl v6.4s, v3.4s, #4
	WORD $0x4e3c1c27 // and v7.16b, v1.16b, v28.16b
	WORD $0x4e3b1cd0 // and v16.16b, v6.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d804007 // str q7, [x0, #256]
	WORD $0x6f3c0427 // ushr v7.4s, v1.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f340470 // ushr v16.4s, v3.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d804807 // str q7, [x0, #288]
	WORD $0x6f380427 // ushr v7.4s, v1.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3e04d0 // ushr v16.4s, v6.4s, #2
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d809007 // str q7, [x0, #576]
	WORD $0x6f340427 // ushr v7.4s, v1.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f320470 // ushr v16.4s, v3.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d809807 // str q7, [x0, #608]
	WORD $0x6f300427 // ushr v7.4s, v1.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3c04d0 // ushr v16.4s, v6.4s, #4
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d80e007 // str q7, [x0, #896]
	WORD $0x6f2c0427 // ushr v7.4s, v1.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f300470 // ushr v16.4s, v3.4s, #16
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d80e807 // str q7, [x0, #928]
	WORD $0x6f280427 // ushr v7.4s, v1.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3a04d0 // ushr v16.4s, v6.4s, #6
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d813007 // str q7, [x0, #1216]
	WORD $0x6f240427 // ushr v7.4s, v1.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2e0470 // ushr v16.4s, v3.4s, #18
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d813807 // str q7, [x0, #1248]
	WORD $0x4e3c1c47 // and v7.16b, v2.16b, v28.16b
	WORD $0x6f3804d0 // ushr v16.4s, v6.4s, #8
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d818007 // str q7, [x0, #1536]
	WORD $0x6f3c0447 // ushr v7.4s, v2.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2c0470 // ushr v16.4s, v3.4s, #20
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d818807 // str q7, [x0, #1568]
	WORD $0x6f380447 // ushr v7.4s, v2.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3604d0 // ushr v16.4s, v6.4s, #10
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d81d007 // str q7, [x0, #1856]
	WORD $0x6f340447 // ushr v7.4s, v2.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2a0470 // ushr v16.4s, v3.4s, #22
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d81d807 // str q7, [x0, #1888]
	WORD $0x6f300447 // ushr v7.4s, v2.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3404d0 // ushr v16.4s, v6.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d822007 // str q7, [x0, #2176]
	WORD $0x6f2c0447 // ushr v7.4s, v2.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f280470 // ushr v16.4s, v3.4s, #24
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d822807 // str q7, [x0, #2208]
	WORD $0x6f280447 // ushr v7.4s, v2.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3204d0 // ushr v16.4s, v6.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d827007 // str q7, [x0, #2496]
	WORD $0x6f240447 // ushr v7.4s, v2.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f260470 // ushr v16.4s, v3.4s, #26
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d827807 // str q7, [x0, #2528]
	WORD $0x3dc00180 // ldr q0, [x12]
	WORD $0x3dc001a1 // ldr q1, [x13]
	WORD $0x3dc001c2 // ldr q2, [x14]
	WORD $0x3dc001e3 // ldr q3, [x15]
	WORD $0x4e812804 // trn1 v4.4s, v0.4s, v1.4s
	WORD $0x4e816805 // trn2 v5.4s, v0.4s, v1.4s
	WORD $0x4e832846 // trn1 v6.4s, v2.4s, v3.4s
	WORD $0x4e836847 // trn2 v7.4s, v2.4s, v3.4s
	WORD $0x4ec62880 // trn1 v0.2d, v4.2d, v6.2d
	WORD $0x4ec728a1 // trn1 v1.2d, v5.2d, v7.2d
	WORD $0x4ec66882 // trn2 v2.2d, v4.2d, v6.2d
	WORD $0x4ec768a3 // trn2 v3.2d, v5.2d, v7.2d
	WORD $0x4f315404 // shl v4.4s, v0.4s, #17
	WORD $0x6f3f0484 // ushr v4.4s, v4.4s, #1
	WORD $0x6f300405 // ushr v5.4s, v0.4s, #16
	WORD $0x4f3154a5 // shl v5.4s, v5.4s, #17
	WORD $0x6f3f04a5 // ushr v5.4s, v5.4s, #1
	WORD $0x6ea0f8a5 // fneg v5.4s, v5.4s
	WORD $0x4f245466 // shl v6.4s, v3.4s, #4
	WORD $0x4e3c1c27 // and v7.16b, v1.16b, v28.16b
	WORD $0x4e3b1cd0 // and v16.16b, v6.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d804407 // str q7, [x0, #272]
	WORD $0x6f3c0427 // ushr v7.4s, v1.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f340470 // ushr v16.4s, v3.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d804c07 // str q7, [x0, #304]
	WORD $0x6f380427 // ushr v7.4s, v1.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3e04d0 // ushr v16.4s, v6.4s, #2
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d809407 // str q7, [x0, #592]
	WORD $0x6f340427 // ushr v7.4s, v1.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f320470 // ushr v16.4s, v3.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d809c07 // str q7, [x0, #624]
	WORD $0x6f300427 // ushr v7.4s, v1.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3c04d0 // ushr v16.4s, v6.4s, #4
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d80e407 // str q7, [x0, #912]
	WORD $0x6f2c0427 // ushr v7.4s, v1.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f300470 // ushr v16.4s, v3.4s, #16
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d80ec07 // str q7, [x0, #944]
	WORD $0x6f280427 // ushr v7.4s, v1.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3a04d0 // ushr v16.4s, v6.4s, #6
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d813407 // str q7, [x0, #1232]
	WORD $0x6f240427 // ushr v7.4s, v1.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2e0470 // ushr v16.4s, v3.4s, #18
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d813c07 // str q7, [x0, #1264]
	WORD $0x4e3c1c47 // and v7.16b, v2.16b, v28.16b
	WORD $0x6f3804d0 // ushr v16.4s, v6.4s, #8
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d818407 // str q7, [x0, #1552]
	WORD $0x6f3c0447 // ushr v7.4s, v2.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2c0470 // ushr v16.4s, v3.4s, #20
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d818c07 // str q7, [x0, #1584]
	WORD $0x6f380447 // ushr v7.4s, v2.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3604d0 // ushr v16.4s, v6.4s, #10
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d81d407 // str q7, [x0, #1872]
	WORD $0x6f340447 // ushr v7.4s, v2.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2a0470 // ushr v16.4s, v3.4s, #22
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d81dc07 // str q7, [x0, #1904]
	WORD $0x6f300447 // ushr v7.4s, v2.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3404d0 // ushr v16.4s, v6.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d822407 // str q7, [x0, #2192]
	WORD $0x6f2c0447 // ushr v7.4s, v2.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f280470 // ushr v16.4s, v3.4s, #24
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d822c07 // str q7, [x0, #2224]
	WORD $0x6f280447 // ushr v7.4s, v2.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3204d0 // ushr v16.4s, v6.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x3d827407 // str q7, [x0, #2512]
	WORD $0x6f240447 // ushr v7.4s, v2.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f260470 // ushr v16.4s, v3.4s, #26
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x3d827c07 // str q7, [x0, #2544]
	WORD $0xb9400105 // ldr w5, [x8]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00500 // ldr q0, [x8, #16]
	WORD $0x3dc00901 // ldr q1, [x8, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d00 // ldr q0, [x8, #48]
	WORD $0x3dc01101 // ldr q1, [x8, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01500 // ldr q0, [x8, #80]
	WORD $0x3dc01901 // ldr q1, [x8, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d00 // ldr q0, [x8, #112]
	WORD $0x3dc02101 // ldr q1, [x8, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400125 // ldr w5, [x9]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00520 // ldr q0, [x9, #16]
	WORD $0x3dc00921 // ldr q1, [x9, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d20 // ldr q0, [x9, #48]
	WORD $0x3dc01121 // ldr q1, [x9, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01520 // ldr q0, [x9, #80]
	WORD $0x3dc01921 // ldr q1, [x9, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d20 // ldr q0, [x9, #112]
	WORD $0x3dc02121 // ldr q1, [x9, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400145 // ldr w5, [x10]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00540 // ldr q0, [x10, #16]
	WORD $0x3dc00941 // ldr q1, [x10, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d40 // ldr q0, [x10, #48]
	WORD $0x3dc01141 // ldr q1, [x10, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01540 // ldr q0, [x10, #80]
	WORD $0x3dc01941 // ldr q1, [x10, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d40 // ldr q0, [x10, #112]
	WORD $0x3dc02141 // ldr q1, [x10, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400165 // ldr w5, [x11]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00560 // ldr q0, [x11, #16]
	WORD $0x3dc00961 // ldr q1, [x11, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d60 // ldr q0, [x11, #48]
	WORD $0x3dc01161 // ldr q1, [x11, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01560 // ldr q0, [x11, #80]
	WORD $0x3dc01961 // ldr q1, [x11, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d60 // ldr q0, [x11, #112]
	WORD $0x3dc02161 // ldr q1, [x11, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400185 // ldr w5, [x12]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00580 // ldr q0, [x12, #16]
	WORD $0x3dc00981 // ldr q1, [x12, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d80 // ldr q0, [x12, #48]
	WORD $0x3dc01181 // ldr q1, [x12, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01580 // ldr q0, [x12, #80]
	WORD $0x3dc01981 // ldr q1, [x12, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d80 // ldr q0, [x12, #112]
	WORD $0x3dc02181 // ldr q1, [x12, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb94001a5 // ldr w5, [x13]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc005a0 // ldr q0, [x13, #16]
	WORD $0x3dc009a1 // ldr q1, [x13, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00da0 // ldr q0, [x13, #48]
	WORD $0x3dc011a1 // ldr q1, [x13, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc015a0 // ldr q0, [x13, #80]
	WORD $0x3dc019a1 // ldr q1, [x13, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01da0 // ldr q0, [x13, #112]
	WORD $0x3dc021a1 // ldr q1, [x13, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb94001c5 // ldr w5, [x14]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc005c0 // ldr q0, [x14, #16]
	WORD $0x3dc009c1 // ldr q1, [x14, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00dc0 // ldr q0, [x14, #48]
	WORD $0x3dc011c1 // ldr q1, [x14, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc015c0 // ldr q0, [x14, #80]
	WORD $0x3dc019c1 // ldr q1, [x14, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01dc0 // ldr q0, [x14, #112]
	WORD $0x3dc021c1 // ldr q1, [x14, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb94001e5 // ldr w5, [x15]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc005e0 // ldr q0, [x15, #16]
	WORD $0x3dc009e1 // ldr q1, [x15, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00de0 // ldr q0, [x15, #48]
	WORD $0x3dc011e1 // ldr q1, [x15, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc015e0 // ldr q0, [x15, #80]
	WORD $0x3dc019e1 // ldr q1, [x15, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01de0 // ldr q0, [x15, #112]
	WORD $0x3dc021e1 // ldr q1, [x15, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xd1200084 // sub x4, x4, #2048
	ADD  $0, R4, R19
	ADD  $256, R4, R20
	ADD  $512, R4, R21
	ADD  $768, R4, R22
	ADD  $1024, R4, R23
	ADD  $1280, R4, R24
	ADD  $1536, R4, R25
	ADD  $1792, R4, R17
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	WORD $0x0dffa260 // ld4 {v0.s, v1.s, v2.s, v3.s}[0], [x19], #16
	WORD $0x0dffb280 // ld4 {v0.s, v1.s, v2.s, v3.s}[1], [x20], #16
	WORD $0x4dffa2a0 // ld4 {v0.s, v1.s, v2.s, v3.s}[2], [x21], #16
	WORD $0x4dffb2c0 // ld4 {v0.s, v1.s, v2.s, v3.s}[3], [x22], #16
	WORD $0x0dffa264 // ld4 {v4.s, v5.s, v6.s, v7.s}[0], [x19], #16
	WORD $0x0dffb284 // ld4 {v4.s, v5.s, v6.s, v7.s}[1], [x20], #16
	WORD $0x4dffa2a4 // ld4 {v4.s, v5.s, v6.s, v7.s}[2], [x21], #16
	WORD $0x4dffb2c4 // ld4 {v4.s, v5.s, v6.s, v7.s}[3], [x22], #16
	WORD $0x0dffa2f0 // ld4 {v16.s, v17.s, v18.s, v19.s}[0], [x23], #16
	WORD $0x0dffb310 // ld4 {v16.s, v17.s, v18.s, v19.s}[1], [x24], #16
	WORD $0x4dffa330 // ld4 {v16.s, v17.s, v18.s, v19.s}[2], [x25], #16
	WORD $0x4dffb230 // ld4 {v16.s, v17.s, v18.s, v19.s}[3], [x17], #16
	WORD $0x0dffa2f4 // ld4 {v20.s, v21.s, v22.s, v23.s}[0], [x23], #16
	WORD $0x0dffb314 // ld4 {v20.s, v21.s, v22.s, v23.s}[1], [x24], #16
	WORD $0x4dffa334 // ld4 {v20.s, v21.s, v22.s, v23.s}[2], [x25], #16
	WORD $0x4dffb234 // ld4 {v20.s, v21.s, v22.s, v23.s}[3], [x17], #16
	WORD $0xad004000 // stp q0, q16, [x0, #0]
	WORD $0xad014401 // stp q1, q17, [x0, #32]
	WORD $0xad024802 // stp q2, q18, [x0, #64]
	WORD $0xad034c03 // stp q3, q19, [x0, #96]
	WORD $0xad045004 // stp q4, q20, [x0, #128]
	WORD $0xad055405 // stp q5, q21, [x0, #160]
	WORD $0xad065806 // stp q6, q22, [x0, #192]
	WORD $0xad075c07 // stp q7, q23, [x0, #224]
	WORD $0x91050000 // add x0, x0, #320
	ADD  $144, R8, R8
	ADD  $144, R9, R9
	ADD  $144, R10, R10
	ADD  $144, R11, R11
	ADD  $144, R12, R12
	ADD  $144, R13, R13
	ADD  $144, R14, R14
	ADD  $144, R15, R15
	SUBS $1, R2, R2
	BNE  p4nloop
	RET

// func tileQ8SDOT(p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int)
//
// 8 rows × 4 tokens: per 4-value step, two weight vectors (rows 0-3, 4-7)
// and SDOT by element with each token's 4 activation bytes (a 16-byte load
// of each token covers 4 steps); int32 accumulators v0-v7 (lanes = rows),
// zeroed per block; per block and token: convert, × d (Q4: S_j), × the
// token's scale into the float accumulators v8-v15.
TEXT ·tileQ8SDOT(SB), NOSPLIT, $0-56
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2
	MOVD off+24(FP), R4
	MOVD out+32(FP), R5
	MOVD nb+40(FP), R6
	MOVD acc+48(FP), R7
	MOVD R1, R8
	MOVD R2, R12
	MOVD 8(R4), R21
	ADD  R21<<3, R1, R9
	ADD  R21, R2, R13
	MOVD 16(R4), R21
	ADD  R21<<3, R1, R10
	ADD  R21, R2, R14
	MOVD 24(R4), R21
	ADD  R21<<3, R1, R11
	ADD  R21, R2, R15
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
	WORD $0x4f00040c // movi v12.4s, #0
	WORD $0x4f00040d // movi v13.4s, #0
	WORD $0x4f00040e // movi v14.4s, #0
	WORD $0x4f00040f // movi v15.4s, #0
tileQ8SDOTloop:
	WORD $0x4f000400 // movi v0.4s, #0
	WORD $0x4f000401 // movi v1.4s, #0
	WORD $0x4f000402 // movi v2.4s, #0
	WORD $0x4f000403 // movi v3.4s, #0
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4cdf7110 // ld1 {v16.16b}, [x8], #16
	WORD $0x4cdf7131 // ld1 {v17.16b}, [x9], #16
	WORD $0x4cdf7152 // ld1 {v18.16b}, [x10], #16
	WORD $0x4cdf7173 // ld1 {v19.16b}, [x11], #16
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90e280 // sdot v0.4s, v20.16b, v16.4b[0]
	WORD $0x4f90e2a1 // sdot v1.4s, v21.16b, v16.4b[0]
	WORD $0x4f91e282 // sdot v2.4s, v20.16b, v17.4b[0]
	WORD $0x4f91e2a3 // sdot v3.4s, v21.16b, v17.4b[0]
	WORD $0x4f92e284 // sdot v4.4s, v20.16b, v18.4b[0]
	WORD $0x4f92e2a5 // sdot v5.4s, v21.16b, v18.4b[0]
	WORD $0x4f93e286 // sdot v6.4s, v20.16b, v19.4b[0]
	WORD $0x4f93e2a7 // sdot v7.4s, v21.16b, v19.4b[0]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0e2c0 // sdot v0.4s, v22.16b, v16.4b[1]
	WORD $0x4fb0e2e1 // sdot v1.4s, v23.16b, v16.4b[1]
	WORD $0x4fb1e2c2 // sdot v2.4s, v22.16b, v17.4b[1]
	WORD $0x4fb1e2e3 // sdot v3.4s, v23.16b, v17.4b[1]
	WORD $0x4fb2e2c4 // sdot v4.4s, v22.16b, v18.4b[1]
	WORD $0x4fb2e2e5 // sdot v5.4s, v23.16b, v18.4b[1]
	WORD $0x4fb3e2c6 // sdot v6.4s, v22.16b, v19.4b[1]
	WORD $0x4fb3e2e7 // sdot v7.4s, v23.16b, v19.4b[1]
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90ea80 // sdot v0.4s, v20.16b, v16.4b[2]
	WORD $0x4f90eaa1 // sdot v1.4s, v21.16b, v16.4b[2]
	WORD $0x4f91ea82 // sdot v2.4s, v20.16b, v17.4b[2]
	WORD $0x4f91eaa3 // sdot v3.4s, v21.16b, v17.4b[2]
	WORD $0x4f92ea84 // sdot v4.4s, v20.16b, v18.4b[2]
	WORD $0x4f92eaa5 // sdot v5.4s, v21.16b, v18.4b[2]
	WORD $0x4f93ea86 // sdot v6.4s, v20.16b, v19.4b[2]
	WORD $0x4f93eaa7 // sdot v7.4s, v21.16b, v19.4b[2]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0eac0 // sdot v0.4s, v22.16b, v16.4b[3]
	WORD $0x4fb0eae1 // sdot v1.4s, v23.16b, v16.4b[3]
	WORD $0x4fb1eac2 // sdot v2.4s, v22.16b, v17.4b[3]
	WORD $0x4fb1eae3 // sdot v3.4s, v23.16b, v17.4b[3]
	WORD $0x4fb2eac4 // sdot v4.4s, v22.16b, v18.4b[3]
	WORD $0x4fb2eae5 // sdot v5.4s, v23.16b, v18.4b[3]
	WORD $0x4fb3eac6 // sdot v6.4s, v22.16b, v19.4b[3]
	WORD $0x4fb3eae7 // sdot v7.4s, v23.16b, v19.4b[3]
	WORD $0x4cdf7110 // ld1 {v16.16b}, [x8], #16
	WORD $0x4cdf7131 // ld1 {v17.16b}, [x9], #16
	WORD $0x4cdf7152 // ld1 {v18.16b}, [x10], #16
	WORD $0x4cdf7173 // ld1 {v19.16b}, [x11], #16
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90e280 // sdot v0.4s, v20.16b, v16.4b[0]
	WORD $0x4f90e2a1 // sdot v1.4s, v21.16b, v16.4b[0]
	WORD $0x4f91e282 // sdot v2.4s, v20.16b, v17.4b[0]
	WORD $0x4f91e2a3 // sdot v3.4s, v21.16b, v17.4b[0]
	WORD $0x4f92e284 // sdot v4.4s, v20.16b, v18.4b[0]
	WORD $0x4f92e2a5 // sdot v5.4s, v21.16b, v18.4b[0]
	WORD $0x4f93e286 // sdot v6.4s, v20.16b, v19.4b[0]
	WORD $0x4f93e2a7 // sdot v7.4s, v21.16b, v19.4b[0]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0e2c0 // sdot v0.4s, v22.16b, v16.4b[1]
	WORD $0x4fb0e2e1 // sdot v1.4s, v23.16b, v16.4b[1]
	WORD $0x4fb1e2c2 // sdot v2.4s, v22.16b, v17.4b[1]
	WORD $0x4fb1e2e3 // sdot v3.4s, v23.16b, v17.4b[1]
	WORD $0x4fb2e2c4 // sdot v4.4s, v22.16b, v18.4b[1]
	WORD $0x4fb2e2e5 // sdot v5.4s, v23.16b, v18.4b[1]
	WORD $0x4fb3e2c6 // sdot v6.4s, v22.16b, v19.4b[1]
	WORD $0x4fb3e2e7 // sdot v7.4s, v23.16b, v19.4b[1]
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90ea80 // sdot v0.4s, v20.16b, v16.4b[2]
	WORD $0x4f90eaa1 // sdot v1.4s, v21.16b, v16.4b[2]
	WORD $0x4f91ea82 // sdot v2.4s, v20.16b, v17.4b[2]
	WORD $0x4f91eaa3 // sdot v3.4s, v21.16b, v17.4b[2]
	WORD $0x4f92ea84 // sdot v4.4s, v20.16b, v18.4b[2]
	WORD $0x4f92eaa5 // sdot v5.4s, v21.16b, v18.4b[2]
	WORD $0x4f93ea86 // sdot v6.4s, v20.16b, v19.4b[2]
	WORD $0x4f93eaa7 // sdot v7.4s, v21.16b, v19.4b[2]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0eac0 // sdot v0.4s, v22.16b, v16.4b[3]
	WORD $0x4fb0eae1 // sdot v1.4s, v23.16b, v16.4b[3]
	WORD $0x4fb1eac2 // sdot v2.4s, v22.16b, v17.4b[3]
	WORD $0x4fb1eae3 // sdot v3.4s, v23.16b, v17.4b[3]
	WORD $0x4fb2eac4 // sdot v4.4s, v22.16b, v18.4b[3]
	WORD $0x4fb2eae5 // sdot v5.4s, v23.16b, v18.4b[3]
	WORD $0x4fb3eac6 // sdot v6.4s, v22.16b, v19.4b[3]
	WORD $0x4fb3eae7 // sdot v7.4s, v23.16b, v19.4b[3]
	WORD $0x4cdfa818 // ld1 {v24.4s, v25.4s}, [x0], #32
	WORD $0x4ddfc99c // ld1r {v28.4s}, [x12], #4
	WORD $0x4e21d81d // scvtf v29.4s, v0.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfa8 // fmla v8.4s, v29.4s, v28.4s
	WORD $0x4e21d83e // scvtf v30.4s, v1.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfc9 // fmla v9.4s, v30.4s, v28.4s
	WORD $0x4ddfc9bc // ld1r {v28.4s}, [x13], #4
	WORD $0x4e21d85d // scvtf v29.4s, v2.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfaa // fmla v10.4s, v29.4s, v28.4s
	WORD $0x4e21d87e // scvtf v30.4s, v3.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcb // fmla v11.4s, v30.4s, v28.4s
	WORD $0x4ddfc9dc // ld1r {v28.4s}, [x14], #4
	WORD $0x4e21d89d // scvtf v29.4s, v4.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfac // fmla v12.4s, v29.4s, v28.4s
	WORD $0x4e21d8be // scvtf v30.4s, v5.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcd // fmla v13.4s, v30.4s, v28.4s
	WORD $0x4ddfc9fc // ld1r {v28.4s}, [x15], #4
	WORD $0x4e21d8dd // scvtf v29.4s, v6.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfae // fmla v14.4s, v29.4s, v28.4s
	WORD $0x4e21d8fe // scvtf v30.4s, v7.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcf // fmla v15.4s, v30.4s, v28.4s
	SUBS $1, R6, R6
	BNE  tileQ8SDOTloop
	MOVD 0(R5), R21
	CBZ  R7, tileQ8SDOTset0
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd508 // fadd v8.4s, v8.4s, v28.4s
	WORD $0x4e3dd529 // fadd v9.4s, v9.4s, v29.4s
tileQ8SDOTset0:
	WORD $0xad0026a8 // stp q8, q9, [x21]
	MOVD 8(R5), R21
	CBZ  R7, tileQ8SDOTset1
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd54a // fadd v10.4s, v10.4s, v28.4s
	WORD $0x4e3dd56b // fadd v11.4s, v11.4s, v29.4s
tileQ8SDOTset1:
	WORD $0xad002eaa // stp q10, q11, [x21]
	MOVD 16(R5), R21
	CBZ  R7, tileQ8SDOTset2
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd58c // fadd v12.4s, v12.4s, v28.4s
	WORD $0x4e3dd5ad // fadd v13.4s, v13.4s, v29.4s
tileQ8SDOTset2:
	WORD $0xad0036ac // stp q12, q13, [x21]
	MOVD 24(R5), R21
	CBZ  R7, tileQ8SDOTset3
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd5ce // fadd v14.4s, v14.4s, v28.4s
	WORD $0x4e3dd5ef // fadd v15.4s, v15.4s, v29.4s
tileQ8SDOTset3:
	WORD $0xad003eae // stp q14, q15, [x21]
	RET

// func tileQ4SDOT(p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int)
//
// 8 rows × 4 tokens: per 4-value step, two weight vectors (rows 0-3, 4-7)
// and SDOT by element with each token's 4 activation bytes (a 16-byte load
// of each token covers 4 steps); int32 accumulators v0-v7 (lanes = rows),
// zeroed per block; per block and token: convert, × d (Q4: S_j), × the
// token's scale into the float accumulators v8-v15 (Q4: plus −M_j times the token's scale·sum).
TEXT ·tileQ4SDOT(SB), NOSPLIT, $0-64
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2
	MOVD ss+24(FP), R3
	MOVD off+32(FP), R4
	MOVD out+40(FP), R5
	MOVD nb+48(FP), R6
	MOVD acc+56(FP), R7
	MOVD R1, R8
	MOVD R2, R12
	MOVD R3, R16
	MOVD 8(R4), R21
	ADD  R21<<3, R1, R9
	ADD  R21, R2, R13
	ADD  R21, R3, R17
	MOVD 16(R4), R21
	ADD  R21<<3, R1, R10
	ADD  R21, R2, R14
	ADD  R21, R3, R19
	MOVD 24(R4), R21
	ADD  R21<<3, R1, R11
	ADD  R21, R2, R15
	ADD  R21, R3, R20
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
	WORD $0x4f00040c // movi v12.4s, #0
	WORD $0x4f00040d // movi v13.4s, #0
	WORD $0x4f00040e // movi v14.4s, #0
	WORD $0x4f00040f // movi v15.4s, #0
tileQ4SDOTloop:
	WORD $0x4f000400 // movi v0.4s, #0
	WORD $0x4f000401 // movi v1.4s, #0
	WORD $0x4f000402 // movi v2.4s, #0
	WORD $0x4f000403 // movi v3.4s, #0
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4cdf7110 // ld1 {v16.16b}, [x8], #16
	WORD $0x4cdf7131 // ld1 {v17.16b}, [x9], #16
	WORD $0x4cdf7152 // ld1 {v18.16b}, [x10], #16
	WORD $0x4cdf7173 // ld1 {v19.16b}, [x11], #16
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90e280 // sdot v0.4s, v20.16b, v16.4b[0]
	WORD $0x4f90e2a1 // sdot v1.4s, v21.16b, v16.4b[0]
	WORD $0x4f91e282 // sdot v2.4s, v20.16b, v17.4b[0]
	WORD $0x4f91e2a3 // sdot v3.4s, v21.16b, v17.4b[0]
	WORD $0x4f92e284 // sdot v4.4s, v20.16b, v18.4b[0]
	WORD $0x4f92e2a5 // sdot v5.4s, v21.16b, v18.4b[0]
	WORD $0x4f93e286 // sdot v6.4s, v20.16b, v19.4b[0]
	WORD $0x4f93e2a7 // sdot v7.4s, v21.16b, v19.4b[0]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0e2c0 // sdot v0.4s, v22.16b, v16.4b[1]
	WORD $0x4fb0e2e1 // sdot v1.4s, v23.16b, v16.4b[1]
	WORD $0x4fb1e2c2 // sdot v2.4s, v22.16b, v17.4b[1]
	WORD $0x4fb1e2e3 // sdot v3.4s, v23.16b, v17.4b[1]
	WORD $0x4fb2e2c4 // sdot v4.4s, v22.16b, v18.4b[1]
	WORD $0x4fb2e2e5 // sdot v5.4s, v23.16b, v18.4b[1]
	WORD $0x4fb3e2c6 // sdot v6.4s, v22.16b, v19.4b[1]
	WORD $0x4fb3e2e7 // sdot v7.4s, v23.16b, v19.4b[1]
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90ea80 // sdot v0.4s, v20.16b, v16.4b[2]
	WORD $0x4f90eaa1 // sdot v1.4s, v21.16b, v16.4b[2]
	WORD $0x4f91ea82 // sdot v2.4s, v20.16b, v17.4b[2]
	WORD $0x4f91eaa3 // sdot v3.4s, v21.16b, v17.4b[2]
	WORD $0x4f92ea84 // sdot v4.4s, v20.16b, v18.4b[2]
	WORD $0x4f92eaa5 // sdot v5.4s, v21.16b, v18.4b[2]
	WORD $0x4f93ea86 // sdot v6.4s, v20.16b, v19.4b[2]
	WORD $0x4f93eaa7 // sdot v7.4s, v21.16b, v19.4b[2]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0eac0 // sdot v0.4s, v22.16b, v16.4b[3]
	WORD $0x4fb0eae1 // sdot v1.4s, v23.16b, v16.4b[3]
	WORD $0x4fb1eac2 // sdot v2.4s, v22.16b, v17.4b[3]
	WORD $0x4fb1eae3 // sdot v3.4s, v23.16b, v17.4b[3]
	WORD $0x4fb2eac4 // sdot v4.4s, v22.16b, v18.4b[3]
	WORD $0x4fb2eae5 // sdot v5.4s, v23.16b, v18.4b[3]
	WORD $0x4fb3eac6 // sdot v6.4s, v22.16b, v19.4b[3]
	WORD $0x4fb3eae7 // sdot v7.4s, v23.16b, v19.4b[3]
	WORD $0x4cdf7110 // ld1 {v16.16b}, [x8], #16
	WORD $0x4cdf7131 // ld1 {v17.16b}, [x9], #16
	WORD $0x4cdf7152 // ld1 {v18.16b}, [x10], #16
	WORD $0x4cdf7173 // ld1 {v19.16b}, [x11], #16
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90e280 // sdot v0.4s, v20.16b, v16.4b[0]
	WORD $0x4f90e2a1 // sdot v1.4s, v21.16b, v16.4b[0]
	WORD $0x4f91e282 // sdot v2.4s, v20.16b, v17.4b[0]
	WORD $0x4f91e2a3 // sdot v3.4s, v21.16b, v17.4b[0]
	WORD $0x4f92e284 // sdot v4.4s, v20.16b, v18.4b[0]
	WORD $0x4f92e2a5 // sdot v5.4s, v21.16b, v18.4b[0]
	WORD $0x4f93e286 // sdot v6.4s, v20.16b, v19.4b[0]
	WORD $0x4f93e2a7 // sdot v7.4s, v21.16b, v19.4b[0]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0e2c0 // sdot v0.4s, v22.16b, v16.4b[1]
	WORD $0x4fb0e2e1 // sdot v1.4s, v23.16b, v16.4b[1]
	WORD $0x4fb1e2c2 // sdot v2.4s, v22.16b, v17.4b[1]
	WORD $0x4fb1e2e3 // sdot v3.4s, v23.16b, v17.4b[1]
	WORD $0x4fb2e2c4 // sdot v4.4s, v22.16b, v18.4b[1]
	WORD $0x4fb2e2e5 // sdot v5.4s, v23.16b, v18.4b[1]
	WORD $0x4fb3e2c6 // sdot v6.4s, v22.16b, v19.4b[1]
	WORD $0x4fb3e2e7 // sdot v7.4s, v23.16b, v19.4b[1]
	WORD $0x4cdfa014 // ld1 {v20.16b, v21.16b}, [x0], #32
	WORD $0x4f90ea80 // sdot v0.4s, v20.16b, v16.4b[2]
	WORD $0x4f90eaa1 // sdot v1.4s, v21.16b, v16.4b[2]
	WORD $0x4f91ea82 // sdot v2.4s, v20.16b, v17.4b[2]
	WORD $0x4f91eaa3 // sdot v3.4s, v21.16b, v17.4b[2]
	WORD $0x4f92ea84 // sdot v4.4s, v20.16b, v18.4b[2]
	WORD $0x4f92eaa5 // sdot v5.4s, v21.16b, v18.4b[2]
	WORD $0x4f93ea86 // sdot v6.4s, v20.16b, v19.4b[2]
	WORD $0x4f93eaa7 // sdot v7.4s, v21.16b, v19.4b[2]
	WORD $0x4cdfa016 // ld1 {v22.16b, v23.16b}, [x0], #32
	WORD $0x4fb0eac0 // sdot v0.4s, v22.16b, v16.4b[3]
	WORD $0x4fb0eae1 // sdot v1.4s, v23.16b, v16.4b[3]
	WORD $0x4fb1eac2 // sdot v2.4s, v22.16b, v17.4b[3]
	WORD $0x4fb1eae3 // sdot v3.4s, v23.16b, v17.4b[3]
	WORD $0x4fb2eac4 // sdot v4.4s, v22.16b, v18.4b[3]
	WORD $0x4fb2eae5 // sdot v5.4s, v23.16b, v18.4b[3]
	WORD $0x4fb3eac6 // sdot v6.4s, v22.16b, v19.4b[3]
	WORD $0x4fb3eae7 // sdot v7.4s, v23.16b, v19.4b[3]
	WORD $0x4cdfa818 // ld1 {v24.4s, v25.4s}, [x0], #32
	WORD $0x4cdfa81a // ld1 {v26.4s, v27.4s}, [x0], #32
	WORD $0x4ddfc99c // ld1r {v28.4s}, [x12], #4
	WORD $0x4e21d81d // scvtf v29.4s, v0.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfa8 // fmla v8.4s, v29.4s, v28.4s
	WORD $0x4e21d83e // scvtf v30.4s, v1.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfc9 // fmla v9.4s, v30.4s, v28.4s
	WORD $0x4ddfca1f // ld1r {v31.4s}, [x16], #4
	WORD $0x4e3fcf48 // fmla v8.4s, v26.4s, v31.4s
	WORD $0x4e3fcf69 // fmla v9.4s, v27.4s, v31.4s
	WORD $0x4ddfc9bc // ld1r {v28.4s}, [x13], #4
	WORD $0x4e21d85d // scvtf v29.4s, v2.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfaa // fmla v10.4s, v29.4s, v28.4s
	WORD $0x4e21d87e // scvtf v30.4s, v3.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcb // fmla v11.4s, v30.4s, v28.4s
	WORD $0x4ddfca3f // ld1r {v31.4s}, [x17], #4
	WORD $0x4e3fcf4a // fmla v10.4s, v26.4s, v31.4s
	WORD $0x4e3fcf6b // fmla v11.4s, v27.4s, v31.4s
	WORD $0x4ddfc9dc // ld1r {v28.4s}, [x14], #4
	WORD $0x4e21d89d // scvtf v29.4s, v4.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfac // fmla v12.4s, v29.4s, v28.4s
	WORD $0x4e21d8be // scvtf v30.4s, v5.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcd // fmla v13.4s, v30.4s, v28.4s
	WORD $0x4ddfca7f // ld1r {v31.4s}, [x19], #4
	WORD $0x4e3fcf4c // fmla v12.4s, v26.4s, v31.4s
	WORD $0x4e3fcf6d // fmla v13.4s, v27.4s, v31.4s
	WORD $0x4ddfc9fc // ld1r {v28.4s}, [x15], #4
	WORD $0x4e21d8dd // scvtf v29.4s, v6.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfae // fmla v14.4s, v29.4s, v28.4s
	WORD $0x4e21d8fe // scvtf v30.4s, v7.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcf // fmla v15.4s, v30.4s, v28.4s
	WORD $0x4ddfca9f // ld1r {v31.4s}, [x20], #4
	WORD $0x4e3fcf4e // fmla v14.4s, v26.4s, v31.4s
	WORD $0x4e3fcf6f // fmla v15.4s, v27.4s, v31.4s
	SUBS $1, R6, R6
	BNE  tileQ4SDOTloop
	MOVD 0(R5), R21
	CBZ  R7, tileQ4SDOTset0
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd508 // fadd v8.4s, v8.4s, v28.4s
	WORD $0x4e3dd529 // fadd v9.4s, v9.4s, v29.4s
tileQ4SDOTset0:
	WORD $0xad0026a8 // stp q8, q9, [x21]
	MOVD 8(R5), R21
	CBZ  R7, tileQ4SDOTset1
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd54a // fadd v10.4s, v10.4s, v28.4s
	WORD $0x4e3dd56b // fadd v11.4s, v11.4s, v29.4s
tileQ4SDOTset1:
	WORD $0xad002eaa // stp q10, q11, [x21]
	MOVD 16(R5), R21
	CBZ  R7, tileQ4SDOTset2
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd58c // fadd v12.4s, v12.4s, v28.4s
	WORD $0x4e3dd5ad // fadd v13.4s, v13.4s, v29.4s
tileQ4SDOTset2:
	WORD $0xad0036ac // stp q12, q13, [x21]
	MOVD 24(R5), R21
	CBZ  R7, tileQ4SDOTset3
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd5ce // fadd v14.4s, v14.4s, v28.4s
	WORD $0x4e3dd5ef // fadd v15.4s, v15.4s, v29.4s
tileQ4SDOTset3:
	WORD $0xad003eae // stp q14, q15, [x21]
	RET

// func tileQ8NEON(p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int)
//
// 8 rows × 2 tokens (only off[0..1] and out[0..1] are used): per pair of
// 4-value steps, four weight vectors and per token two LD1R broadcasts of
// 4 activation bytes; SMULL/SMULL2 then SMLAL/SMLAL2 (two products per
// int16 lane, at most 2·128·127) and SADDLP/SADALP into int32 accumulators
// holding two lanes per row, combined per block by ADDP; then as in the
// SDOT kernel.
TEXT ·tileQ8NEON(SB), NOSPLIT, $0-56
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2
	MOVD off+24(FP), R4
	MOVD out+32(FP), R5
	MOVD nb+40(FP), R6
	MOVD acc+48(FP), R7
	MOVD R1, R8
	MOVD R2, R12
	MOVD 8(R4), R21
	ADD  R21<<3, R1, R9
	ADD  R21, R2, R13
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
tileQ8NEONloop:
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e602980 // saddlp v0.4s, v12.8h
	WORD $0x4e6029a1 // saddlp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6029c2 // saddlp v2.4s, v14.8h
	WORD $0x4e6029e3 // saddlp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e602984 // saddlp v4.4s, v12.8h
	WORD $0x4e6029a5 // saddlp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6029c6 // saddlp v6.4s, v14.8h
	WORD $0x4e6029e7 // saddlp v7.4s, v15.8h
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e606980 // sadalp v0.4s, v12.8h
	WORD $0x4e6069a1 // sadalp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6069c2 // sadalp v2.4s, v14.8h
	WORD $0x4e6069e3 // sadalp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e606984 // sadalp v4.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6069c6 // sadalp v6.4s, v14.8h
	WORD $0x4e6069e7 // sadalp v7.4s, v15.8h
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e606980 // sadalp v0.4s, v12.8h
	WORD $0x4e6069a1 // sadalp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6069c2 // sadalp v2.4s, v14.8h
	WORD $0x4e6069e3 // sadalp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e606984 // sadalp v4.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6069c6 // sadalp v6.4s, v14.8h
	WORD $0x4e6069e7 // sadalp v7.4s, v15.8h
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e606980 // sadalp v0.4s, v12.8h
	WORD $0x4e6069a1 // sadalp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6069c2 // sadalp v2.4s, v14.8h
	WORD $0x4e6069e3 // sadalp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e606984 // sadalp v4.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6069c6 // sadalp v6.4s, v14.8h
	WORD $0x4e6069e7 // sadalp v7.4s, v15.8h
	WORD $0x4cdfa818 // ld1 {v24.4s, v25.4s}, [x0], #32
	WORD $0x4ddfc99c // ld1r {v28.4s}, [x12], #4
	WORD $0x4ea1bc1d // addp v29.4s, v0.4s, v1.4s
	WORD $0x4e21dbbd // scvtf v29.4s, v29.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfa8 // fmla v8.4s, v29.4s, v28.4s
	WORD $0x4ea3bc5e // addp v30.4s, v2.4s, v3.4s
	WORD $0x4e21dbde // scvtf v30.4s, v30.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfc9 // fmla v9.4s, v30.4s, v28.4s
	WORD $0x4ddfc9bc // ld1r {v28.4s}, [x13], #4
	WORD $0x4ea5bc9d // addp v29.4s, v4.4s, v5.4s
	WORD $0x4e21dbbd // scvtf v29.4s, v29.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfaa // fmla v10.4s, v29.4s, v28.4s
	WORD $0x4ea7bcde // addp v30.4s, v6.4s, v7.4s
	WORD $0x4e21dbde // scvtf v30.4s, v30.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcb // fmla v11.4s, v30.4s, v28.4s
	SUBS $1, R6, R6
	BNE  tileQ8NEONloop
	MOVD 0(R5), R21
	CBZ  R7, tileQ8NEONset0
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd508 // fadd v8.4s, v8.4s, v28.4s
	WORD $0x4e3dd529 // fadd v9.4s, v9.4s, v29.4s
tileQ8NEONset0:
	WORD $0xad0026a8 // stp q8, q9, [x21]
	MOVD 8(R5), R21
	CBZ  R7, tileQ8NEONset1
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd54a // fadd v10.4s, v10.4s, v28.4s
	WORD $0x4e3dd56b // fadd v11.4s, v11.4s, v29.4s
tileQ8NEONset1:
	WORD $0xad002eaa // stp q10, q11, [x21]
	RET

// func tileQ4NEON(p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int)
//
// 8 rows × 2 tokens (only off[0..1] and out[0..1] are used): per pair of
// 4-value steps, four weight vectors and per token two LD1R broadcasts of
// 4 activation bytes; SMULL/SMULL2 then SMLAL/SMLAL2 (two products per
// int16 lane, at most 2·128·127) and SADDLP/SADALP into int32 accumulators
// holding two lanes per row, combined per block by ADDP; then as in the
// SDOT kernel.
TEXT ·tileQ4NEON(SB), NOSPLIT, $0-64
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2
	MOVD ss+24(FP), R3
	MOVD off+32(FP), R4
	MOVD out+40(FP), R5
	MOVD nb+48(FP), R6
	MOVD acc+56(FP), R7
	MOVD R1, R8
	MOVD R2, R12
	MOVD 8(R4), R21
	ADD  R21<<3, R1, R9
	ADD  R21, R2, R13
	MOVD R3, R16
	ADD  R21, R3, R17
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
tileQ4NEONloop:
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e602980 // saddlp v0.4s, v12.8h
	WORD $0x4e6029a1 // saddlp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6029c2 // saddlp v2.4s, v14.8h
	WORD $0x4e6029e3 // saddlp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e602984 // saddlp v4.4s, v12.8h
	WORD $0x4e6029a5 // saddlp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6029c6 // saddlp v6.4s, v14.8h
	WORD $0x4e6029e7 // saddlp v7.4s, v15.8h
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e606980 // sadalp v0.4s, v12.8h
	WORD $0x4e6069a1 // sadalp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6069c2 // sadalp v2.4s, v14.8h
	WORD $0x4e6069e3 // sadalp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e606984 // sadalp v4.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6069c6 // sadalp v6.4s, v14.8h
	WORD $0x4e6069e7 // sadalp v7.4s, v15.8h
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e606980 // sadalp v0.4s, v12.8h
	WORD $0x4e6069a1 // sadalp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6069c2 // sadalp v2.4s, v14.8h
	WORD $0x4e6069e3 // sadalp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e606984 // sadalp v4.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6069c6 // sadalp v6.4s, v14.8h
	WORD $0x4e6069e7 // sadalp v7.4s, v15.8h
	WORD $0x4cdf2010 // ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64
	WORD $0x4ddfc914 // ld1r {v20.4s}, [x8], #4
	WORD $0x4ddfc915 // ld1r {v21.4s}, [x8], #4
	WORD $0x4ddfc936 // ld1r {v22.4s}, [x9], #4
	WORD $0x4ddfc937 // ld1r {v23.4s}, [x9], #4
	WORD $0x0e34c20c // smull v12.8h, v16.8b, v20.8b
	WORD $0x4e34c20d // smull2 v13.8h, v16.16b, v20.16b
	WORD $0x0e35824c // smlal v12.8h, v18.8b, v21.8b
	WORD $0x4e35824d // smlal2 v13.8h, v18.16b, v21.16b
	WORD $0x4e606980 // sadalp v0.4s, v12.8h
	WORD $0x4e6069a1 // sadalp v1.4s, v13.8h
	WORD $0x0e34c22e // smull v14.8h, v17.8b, v20.8b
	WORD $0x4e34c22f // smull2 v15.8h, v17.16b, v20.16b
	WORD $0x0e35826e // smlal v14.8h, v19.8b, v21.8b
	WORD $0x4e35826f // smlal2 v15.8h, v19.16b, v21.16b
	WORD $0x4e6069c2 // sadalp v2.4s, v14.8h
	WORD $0x4e6069e3 // sadalp v3.4s, v15.8h
	WORD $0x0e36c20c // smull v12.8h, v16.8b, v22.8b
	WORD $0x4e36c20d // smull2 v13.8h, v16.16b, v22.16b
	WORD $0x0e37824c // smlal v12.8h, v18.8b, v23.8b
	WORD $0x4e37824d // smlal2 v13.8h, v18.16b, v23.16b
	WORD $0x4e606984 // sadalp v4.4s, v12.8h
	WORD $0x4e6069a5 // sadalp v5.4s, v13.8h
	WORD $0x0e36c22e // smull v14.8h, v17.8b, v22.8b
	WORD $0x4e36c22f // smull2 v15.8h, v17.16b, v22.16b
	WORD $0x0e37826e // smlal v14.8h, v19.8b, v23.8b
	WORD $0x4e37826f // smlal2 v15.8h, v19.16b, v23.16b
	WORD $0x4e6069c6 // sadalp v6.4s, v14.8h
	WORD $0x4e6069e7 // sadalp v7.4s, v15.8h
	WORD $0x4cdfa818 // ld1 {v24.4s, v25.4s}, [x0], #32
	WORD $0x4cdfa81a // ld1 {v26.4s, v27.4s}, [x0], #32
	WORD $0x4ddfc99c // ld1r {v28.4s}, [x12], #4
	WORD $0x4ddfca1f // ld1r {v31.4s}, [x16], #4
	WORD $0x4ea1bc1d // addp v29.4s, v0.4s, v1.4s
	WORD $0x4e21dbbd // scvtf v29.4s, v29.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfa8 // fmla v8.4s, v29.4s, v28.4s
	WORD $0x4e3fcf48 // fmla v8.4s, v26.4s, v31.4s
	WORD $0x4ea3bc5e // addp v30.4s, v2.4s, v3.4s
	WORD $0x4e21dbde // scvtf v30.4s, v30.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfc9 // fmla v9.4s, v30.4s, v28.4s
	WORD $0x4e3fcf69 // fmla v9.4s, v27.4s, v31.4s
	WORD $0x4ddfc9bc // ld1r {v28.4s}, [x13], #4
	WORD $0x4ddfca3f // ld1r {v31.4s}, [x17], #4
	WORD $0x4ea5bc9d // addp v29.4s, v4.4s, v5.4s
	WORD $0x4e21dbbd // scvtf v29.4s, v29.4s
	WORD $0x6e38dfbd // fmul v29.4s, v29.4s, v24.4s
	WORD $0x4e3ccfaa // fmla v10.4s, v29.4s, v28.4s
	WORD $0x4e3fcf4a // fmla v10.4s, v26.4s, v31.4s
	WORD $0x4ea7bcde // addp v30.4s, v6.4s, v7.4s
	WORD $0x4e21dbde // scvtf v30.4s, v30.4s
	WORD $0x6e39dfde // fmul v30.4s, v30.4s, v25.4s
	WORD $0x4e3ccfcb // fmla v11.4s, v30.4s, v28.4s
	WORD $0x4e3fcf6b // fmla v11.4s, v27.4s, v31.4s
	SUBS $1, R6, R6
	BNE  tileQ4NEONloop
	MOVD 0(R5), R21
	CBZ  R7, tileQ4NEONset0
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd508 // fadd v8.4s, v8.4s, v28.4s
	WORD $0x4e3dd529 // fadd v9.4s, v9.4s, v29.4s
tileQ4NEONset0:
	WORD $0xad0026a8 // stp q8, q9, [x21]
	MOVD 8(R5), R21
	CBZ  R7, tileQ4NEONset1
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd54a // fadd v10.4s, v10.4s, v28.4s
	WORD $0x4e3dd56b // fadd v11.4s, v11.4s, v29.4s
tileQ4NEONset1:
	WORD $0xad002eaa // stp q10, q11, [x21]
	RET

// func ssumNEON(dst *float32, s *float32, m *int32, n int)
// dst[i] = s[i]·float32(m[i]) for i < n, n a positive multiple of 8.
TEXT ·ssumNEON(SB), NOSPLIT, $0-32
	MOVD dst+0(FP), R0
	MOVD s+8(FP), R1
	MOVD m+16(FP), R2
	MOVD n+24(FP), R3
ssnloop:
	WORD $0x4cdfa820 // ld1 {v0.4s, v1.4s}, [x1], #32
	WORD $0x4cdfa842 // ld1 {v2.4s, v3.4s}, [x2], #32
	WORD $0x4e21d842 // scvtf v2.4s, v2.4s
	WORD $0x4e21d863 // scvtf v3.4s, v3.4s
	WORD $0x6e22dc00 // fmul v0.4s, v0.4s, v2.4s
	WORD $0x6e23dc21 // fmul v1.4s, v1.4s, v3.4s
	WORD $0x4c9fa800 // st1 {v0.4s, v1.4s}, [x0], #32
	SUBS $8, R3, R3
	BNE  ssnloop
	RET

// func peakMM(n int) int64
// n iterations of 16 independent SMMLAs: 512 multiply-adds per iteration.
TEXT ·peakMM(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	LSL  $9, R0, R1
	MOVD R1, ret+8(FP)
	WORD $0x4f00e47e // movi v30.16b, #3
	WORD $0x4f00e4bf // movi v31.16b, #5
	WORD $0x4f000400 // movi v0.4s, #0
	WORD $0x4f000401 // movi v1.4s, #0
	WORD $0x4f000402 // movi v2.4s, #0
	WORD $0x4f000403 // movi v3.4s, #0
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
	WORD $0x4f00040c // movi v12.4s, #0
	WORD $0x4f00040d // movi v13.4s, #0
	WORD $0x4f00040e // movi v14.4s, #0
	WORD $0x4f00040f // movi v15.4s, #0
pmloop:
	WORD $0x4e9fa7c0 // smmla v0.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c1 // smmla v1.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c2 // smmla v2.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c3 // smmla v3.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c4 // smmla v4.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c5 // smmla v5.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c6 // smmla v6.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c7 // smmla v7.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c8 // smmla v8.4s, v30.16b, v31.16b
	WORD $0x4e9fa7c9 // smmla v9.4s, v30.16b, v31.16b
	WORD $0x4e9fa7ca // smmla v10.4s, v30.16b, v31.16b
	WORD $0x4e9fa7cb // smmla v11.4s, v30.16b, v31.16b
	WORD $0x4e9fa7cc // smmla v12.4s, v30.16b, v31.16b
	WORD $0x4e9fa7cd // smmla v13.4s, v30.16b, v31.16b
	WORD $0x4e9fa7ce // smmla v14.4s, v30.16b, v31.16b
	WORD $0x4e9fa7cf // smmla v15.4s, v30.16b, v31.16b
	SUBS $1, R0, R0
	BNE  pmloop
	RET

// func packQ8MM(dst *byte, rows *[8]*byte, nb int)
//
// The panel layout of the SMMLA kernels, per 32-value block: for each
// 8-value chunk c and row pair p, 16 bytes [row 2p's 8 codes, row 2p+1's]
// (the 2×8 matrix operand of SMMLA; Q8 codes flipped to signed), then the
// scales in the lane pattern of the 2×2 results, [d_2p, d_2p, d_2p+1,
// d_2p+1] for p = 0..3 (Q4: S_j, then −M_j).
TEXT ·packQ8MM(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD nb+16(FP), R2
	MOVD 0(R1), R8
	MOVD 8(R1), R9
	MOVD 16(R1), R10
	MOVD 24(R1), R11
	MOVD 32(R1), R12
	MOVD 40(R1), R13
	MOVD 48(R1), R14
	MOVD 56(R1), R15
	WORD $0x4f04e41f // movi v31.16b, #0x80
p8mloop:
	WORD $0x3cc02100 // ldur q0, [x8, #2]
	WORD $0x3cc12101 // ldur q1, [x8, #18]
	WORD $0x3cc02122 // ldur q2, [x9, #2]
	WORD $0x3cc12123 // ldur q3, [x9, #18]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x6e3f1c84 // eor v4.16b, v4.16b, v31.16b
	WORD $0x6e3f1ca5 // eor v5.16b, v5.16b, v31.16b
	WORD $0x6e3f1cc6 // eor v6.16b, v6.16b, v31.16b
	WORD $0x6e3f1ce7 // eor v7.16b, v7.16b, v31.16b
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3cc02140 // ldur q0, [x10, #2]
	WORD $0x3cc12141 // ldur q1, [x10, #18]
	WORD $0x3cc02162 // ldur q2, [x11, #2]
	WORD $0x3cc12163 // ldur q3, [x11, #18]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x6e3f1c84 // eor v4.16b, v4.16b, v31.16b
	WORD $0x6e3f1ca5 // eor v5.16b, v5.16b, v31.16b
	WORD $0x6e3f1cc6 // eor v6.16b, v6.16b, v31.16b
	WORD $0x6e3f1ce7 // eor v7.16b, v7.16b, v31.16b
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3cc02180 // ldur q0, [x12, #2]
	WORD $0x3cc12181 // ldur q1, [x12, #18]
	WORD $0x3cc021a2 // ldur q2, [x13, #2]
	WORD $0x3cc121a3 // ldur q3, [x13, #18]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x6e3f1c84 // eor v4.16b, v4.16b, v31.16b
	WORD $0x6e3f1ca5 // eor v5.16b, v5.16b, v31.16b
	WORD $0x6e3f1cc6 // eor v6.16b, v6.16b, v31.16b
	WORD $0x6e3f1ce7 // eor v7.16b, v7.16b, v31.16b
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3cc021c0 // ldur q0, [x14, #2]
	WORD $0x3cc121c1 // ldur q1, [x14, #18]
	WORD $0x3cc021e2 // ldur q2, [x15, #2]
	WORD $0x3cc121e3 // ldur q3, [x15, #18]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x6e3f1c84 // eor v4.16b, v4.16b, v31.16b
	WORD $0x6e3f1ca5 // eor v5.16b, v5.16b, v31.16b
	WORD $0x6e3f1cc6 // eor v6.16b, v6.16b, v31.16b
	WORD $0x6e3f1ce7 // eor v7.16b, v7.16b, v31.16b
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x79400103 // ldrh w3, [x8]
	WORD $0x4e021c78 // ins v24.h[0], w3
	WORD $0x79400123 // ldrh w3, [x9]
	WORD $0x4e061c78 // ins v24.h[1], w3
	WORD $0x79400143 // ldrh w3, [x10]
	WORD $0x4e0a1c78 // ins v24.h[2], w3
	WORD $0x79400163 // ldrh w3, [x11]
	WORD $0x4e0e1c78 // ins v24.h[3], w3
	WORD $0x79400183 // ldrh w3, [x12]
	WORD $0x4e021c79 // ins v25.h[0], w3
	WORD $0x794001a3 // ldrh w3, [x13]
	WORD $0x4e061c79 // ins v25.h[1], w3
	WORD $0x794001c3 // ldrh w3, [x14]
	WORD $0x4e0a1c79 // ins v25.h[2], w3
	WORD $0x794001e3 // ldrh w3, [x15]
	WORD $0x4e0e1c79 // ins v25.h[3], w3
	WORD $0x0e217b18 // fcvtl v24.4s, v24.4h
	WORD $0x0e217b39 // fcvtl v25.4s, v25.4h
	WORD $0x4e983b1a // zip1 v26.4s, v24.4s, v24.4s
	WORD $0x4e987b1b // zip2 v27.4s, v24.4s, v24.4s
	WORD $0x4e993b3c // zip1 v28.4s, v25.4s, v25.4s
	WORD $0x4e997b3d // zip2 v29.4s, v25.4s, v25.4s
	WORD $0xad086c1a // stp q26, q27, [x0, #256]
	WORD $0xad09741c // stp q28, q29, [x0, #288]
	WORD $0x91050000 // add x0, x0, #320
	ADD  $34, R8, R8
	ADD  $34, R9, R9
	ADD  $34, R10, R10
	ADD  $34, R11, R11
	ADD  $34, R12, R12
	ADD  $34, R13, R13
	ADD  $34, R14, R14
	ADD  $34, R15, R15
	SUBS $1, R2, R2
	BNE  p8mloop
	RET

// func packQ4MM(dst *byte, rows *[8]*byte, nsb int, lut *byte, scratch *[2048]byte)
//
// packQ4NEON's header decoding and level tables, in the layout of packQ8MM
// (per sub-block: 256 bytes of levels, 64 of S_j, 64 of −M_j).
TEXT ·packQ4MM(SB), NOSPLIT, $0-40
	MOVD dst+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD nsb+16(FP), R2
	MOVD lut+24(FP), R3
	MOVD scratch+32(FP), R4
	MOVD 0(R1), R8
	MOVD 8(R1), R9
	MOVD 16(R1), R10
	MOVD 24(R1), R11
	MOVD 32(R1), R12
	MOVD 40(R1), R13
	MOVD 48(R1), R14
	MOVD 56(R1), R15
	WORD $0x4f00e5ff // movi v31.16b, #0x0f
	WORD $0x4f0005fc // movi v28.4s, #0x0f
	WORD $0x4f01061b // movi v27.4s, #0x30
p4mloop:
	WORD $0x3dc00100 // ldr q0, [x8]
	WORD $0x3dc00121 // ldr q1, [x9]
	WORD $0x3dc00142 // ldr q2, [x10]
	WORD $0x3dc00163 // ldr q3, [x11]
	WORD $0x4e812804 // trn1 v4.4s, v0.4s, v1.4s
	WORD $0x4e816805 // trn2 v5.4s, v0.4s, v1.4s
	WORD $0x4e832846 // trn1 v6.4s, v2.4s, v3.4s
	WORD $0x4e836847 // trn2 v7.4s, v2.4s, v3.4s
	WORD $0x4ec62880 // trn1 v0.2d, v4.2d, v6.2d
	WORD $0x4ec728a1 // trn1 v1.2d, v5.2d, v7.2d
	WORD $0x4ec66882 // trn2 v2.2d, v4.2d, v6.2d
	WORD $0x4ec768a3 // trn2 v3.2d, v5.2d, v7.2d
	WORD $0x4f315404 // shl v4.4s, v0.4s, #17
	WORD $0x6f3f0484 // ushr v4.4s, v4.4s, #1
	WORD $0x6f300405 // ushr v5.4s, v0.4s, #16
	WORD $0x4f3154a5 // shl v5.4s, v5.4s, #17
	WORD $0x6f3f04a5 // ushr v5.4s, v5.4s, #1
	WORD $0x6ea0f8a5 // fneg v5.4s, v5.4s
	WORD $0x4f245466 // shl v6.4s, v3.4s, #4
	WORD $0x4e3c1c27 // and v7.16b, v1.16b, v28.16b
	WORD $0x4e3b1cd0 // and v16.16b, v6.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d804011 // str q17, [x0, #256]
	WORD $0x3d804412 // str q18, [x0, #272]
	WORD $0x6f3c0427 // ushr v7.4s, v1.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f340470 // ushr v16.4s, v3.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d805011 // str q17, [x0, #320]
	WORD $0x3d805412 // str q18, [x0, #336]
	WORD $0x6f380427 // ushr v7.4s, v1.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3e04d0 // ushr v16.4s, v6.4s, #2
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d80a011 // str q17, [x0, #640]
	WORD $0x3d80a412 // str q18, [x0, #656]
	WORD $0x6f340427 // ushr v7.4s, v1.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f320470 // ushr v16.4s, v3.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d80b011 // str q17, [x0, #704]
	WORD $0x3d80b412 // str q18, [x0, #720]
	WORD $0x6f300427 // ushr v7.4s, v1.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3c04d0 // ushr v16.4s, v6.4s, #4
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d810011 // str q17, [x0, #1024]
	WORD $0x3d810412 // str q18, [x0, #1040]
	WORD $0x6f2c0427 // ushr v7.4s, v1.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f300470 // ushr v16.4s, v3.4s, #16
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d811011 // str q17, [x0, #1088]
	WORD $0x3d811412 // str q18, [x0, #1104]
	WORD $0x6f280427 // ushr v7.4s, v1.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3a04d0 // ushr v16.4s, v6.4s, #6
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d816011 // str q17, [x0, #1408]
	WORD $0x3d816412 // str q18, [x0, #1424]
	WORD $0x6f240427 // ushr v7.4s, v1.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2e0470 // ushr v16.4s, v3.4s, #18
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d817011 // str q17, [x0, #1472]
	WORD $0x3d817412 // str q18, [x0, #1488]
	WORD $0x4e3c1c47 // and v7.16b, v2.16b, v28.16b
	WORD $0x6f3804d0 // ushr v16.4s, v6.4s, #8
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d81c011 // str q17, [x0, #1792]
	WORD $0x3d81c412 // str q18, [x0, #1808]
	WORD $0x6f3c0447 // ushr v7.4s, v2.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2c0470 // ushr v16.4s, v3.4s, #20
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d81d011 // str q17, [x0, #1856]
	WORD $0x3d81d412 // str q18, [x0, #1872]
	WORD $0x6f380447 // ushr v7.4s, v2.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3604d0 // ushr v16.4s, v6.4s, #10
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d822011 // str q17, [x0, #2176]
	WORD $0x3d822412 // str q18, [x0, #2192]
	WORD $0x6f340447 // ushr v7.4s, v2.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2a0470 // ushr v16.4s, v3.4s, #22
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d823011 // str q17, [x0, #2240]
	WORD $0x3d823412 // str q18, [x0, #2256]
	WORD $0x6f300447 // ushr v7.4s, v2.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3404d0 // ushr v16.4s, v6.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d828011 // str q17, [x0, #2560]
	WORD $0x3d828412 // str q18, [x0, #2576]
	WORD $0x6f2c0447 // ushr v7.4s, v2.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f280470 // ushr v16.4s, v3.4s, #24
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d829011 // str q17, [x0, #2624]
	WORD $0x3d829412 // str q18, [x0, #2640]
	WORD $0x6f280447 // ushr v7.4s, v2.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3204d0 // ushr v16.4s, v6.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d82e011 // str q17, [x0, #2944]
	WORD $0x3d82e412 // str q18, [x0, #2960]
	WORD $0x6f240447 // ushr v7.4s, v2.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f260470 // ushr v16.4s, v3.4s, #26
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d82f011 // str q17, [x0, #3008]
	WORD $0x3d82f412 // str q18, [x0, #3024]
	WORD $0x3dc00180 // ldr q0, [x12]
	WORD $0x3dc001a1 // ldr q1, [x13]
	WORD $0x3dc001c2 // ldr q2, [x14]
	WORD $0x3dc001e3 // ldr q3, [x15]
	WORD $0x4e812804 // trn1 v4.4s, v0.4s, v1.4s
	WORD $0x4e816805 // trn2 v5.4s, v0.4s, v1.4s
	WORD $0x4e832846 // trn1 v6.4s, v2.4s, v3.4s
	WORD $0x4e836847 // trn2 v7.4s, v2.4s, v3.4s
	WORD $0x4ec62880 // trn1 v0.2d, v4.2d, v6.2d
	WORD $0x4ec728a1 // trn1 v1.2d, v5.2d, v7.2d
	WORD $0x4ec66882 // trn2 v2.2d, v4.2d, v6.2d
	WORD $0x4ec768a3 // trn2 v3.2d, v5.2d, v7.2d
	WORD $0x4f315404 // shl v4.4s, v0.4s, #17
	WORD $0x6f3f0484 // ushr v4.4s, v4.4s, #1
	WORD $0x6f300405 // ushr v5.4s, v0.4s, #16
	WORD $0x4f3154a5 // shl v5.4s, v5.4s, #17
	WORD $0x6f3f04a5 // ushr v5.4s, v5.4s, #1
	WORD $0x6ea0f8a5 // fneg v5.4s, v5.4s
	WORD $0x4f245466 // shl v6.4s, v3.4s, #4
	WORD $0x4e3c1c27 // and v7.16b, v1.16b, v28.16b
	WORD $0x4e3b1cd0 // and v16.16b, v6.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d804811 // str q17, [x0, #288]
	WORD $0x3d804c12 // str q18, [x0, #304]
	WORD $0x6f3c0427 // ushr v7.4s, v1.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f340470 // ushr v16.4s, v3.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d805811 // str q17, [x0, #352]
	WORD $0x3d805c12 // str q18, [x0, #368]
	WORD $0x6f380427 // ushr v7.4s, v1.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3e04d0 // ushr v16.4s, v6.4s, #2
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d80a811 // str q17, [x0, #672]
	WORD $0x3d80ac12 // str q18, [x0, #688]
	WORD $0x6f340427 // ushr v7.4s, v1.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f320470 // ushr v16.4s, v3.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d80b811 // str q17, [x0, #736]
	WORD $0x3d80bc12 // str q18, [x0, #752]
	WORD $0x6f300427 // ushr v7.4s, v1.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3c04d0 // ushr v16.4s, v6.4s, #4
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d810811 // str q17, [x0, #1056]
	WORD $0x3d810c12 // str q18, [x0, #1072]
	WORD $0x6f2c0427 // ushr v7.4s, v1.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f300470 // ushr v16.4s, v3.4s, #16
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d811811 // str q17, [x0, #1120]
	WORD $0x3d811c12 // str q18, [x0, #1136]
	WORD $0x6f280427 // ushr v7.4s, v1.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3a04d0 // ushr v16.4s, v6.4s, #6
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d816811 // str q17, [x0, #1440]
	WORD $0x3d816c12 // str q18, [x0, #1456]
	WORD $0x6f240427 // ushr v7.4s, v1.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2e0470 // ushr v16.4s, v3.4s, #18
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d817811 // str q17, [x0, #1504]
	WORD $0x3d817c12 // str q18, [x0, #1520]
	WORD $0x4e3c1c47 // and v7.16b, v2.16b, v28.16b
	WORD $0x6f3804d0 // ushr v16.4s, v6.4s, #8
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d81c811 // str q17, [x0, #1824]
	WORD $0x3d81cc12 // str q18, [x0, #1840]
	WORD $0x6f3c0447 // ushr v7.4s, v2.4s, #4
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2c0470 // ushr v16.4s, v3.4s, #20
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d81d811 // str q17, [x0, #1888]
	WORD $0x3d81dc12 // str q18, [x0, #1904]
	WORD $0x6f380447 // ushr v7.4s, v2.4s, #8
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3604d0 // ushr v16.4s, v6.4s, #10
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d822811 // str q17, [x0, #2208]
	WORD $0x3d822c12 // str q18, [x0, #2224]
	WORD $0x6f340447 // ushr v7.4s, v2.4s, #12
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f2a0470 // ushr v16.4s, v3.4s, #22
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d823811 // str q17, [x0, #2272]
	WORD $0x3d823c12 // str q18, [x0, #2288]
	WORD $0x6f300447 // ushr v7.4s, v2.4s, #16
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3404d0 // ushr v16.4s, v6.4s, #12
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d828811 // str q17, [x0, #2592]
	WORD $0x3d828c12 // str q18, [x0, #2608]
	WORD $0x6f2c0447 // ushr v7.4s, v2.4s, #20
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f280470 // ushr v16.4s, v3.4s, #24
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d829811 // str q17, [x0, #2656]
	WORD $0x3d829c12 // str q18, [x0, #2672]
	WORD $0x6f280447 // ushr v7.4s, v2.4s, #24
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f3204d0 // ushr v16.4s, v6.4s, #14
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e24dce7 // fmul v7.4s, v7.4s, v4.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d82e811 // str q17, [x0, #2976]
	WORD $0x3d82ec12 // str q18, [x0, #2992]
	WORD $0x6f240447 // ushr v7.4s, v2.4s, #28
	WORD $0x4e3c1ce7 // and v7.16b, v7.16b, v28.16b
	WORD $0x6f260470 // ushr v16.4s, v3.4s, #26
	WORD $0x4e3b1e10 // and v16.16b, v16.16b, v27.16b
	WORD $0x4eb01ce7 // orr v7.16b, v7.16b, v16.16b
	WORD $0x4e21d8e7 // scvtf v7.4s, v7.4s
	WORD $0x6e25dce7 // fmul v7.4s, v7.4s, v5.4s
	WORD $0x4e8738f1 // zip1 v17.4s, v7.4s, v7.4s
	WORD $0x4e8778f2 // zip2 v18.4s, v7.4s, v7.4s
	WORD $0x3d82f811 // str q17, [x0, #3040]
	WORD $0x3d82fc12 // str q18, [x0, #3056]
	WORD $0xb9400105 // ldr w5, [x8]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00500 // ldr q0, [x8, #16]
	WORD $0x3dc00901 // ldr q1, [x8, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d00 // ldr q0, [x8, #48]
	WORD $0x3dc01101 // ldr q1, [x8, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01500 // ldr q0, [x8, #80]
	WORD $0x3dc01901 // ldr q1, [x8, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d00 // ldr q0, [x8, #112]
	WORD $0x3dc02101 // ldr q1, [x8, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400125 // ldr w5, [x9]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00520 // ldr q0, [x9, #16]
	WORD $0x3dc00921 // ldr q1, [x9, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d20 // ldr q0, [x9, #48]
	WORD $0x3dc01121 // ldr q1, [x9, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01520 // ldr q0, [x9, #80]
	WORD $0x3dc01921 // ldr q1, [x9, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d20 // ldr q0, [x9, #112]
	WORD $0x3dc02121 // ldr q1, [x9, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400145 // ldr w5, [x10]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00540 // ldr q0, [x10, #16]
	WORD $0x3dc00941 // ldr q1, [x10, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d40 // ldr q0, [x10, #48]
	WORD $0x3dc01141 // ldr q1, [x10, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01540 // ldr q0, [x10, #80]
	WORD $0x3dc01941 // ldr q1, [x10, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d40 // ldr q0, [x10, #112]
	WORD $0x3dc02141 // ldr q1, [x10, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400165 // ldr w5, [x11]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00560 // ldr q0, [x11, #16]
	WORD $0x3dc00961 // ldr q1, [x11, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d60 // ldr q0, [x11, #48]
	WORD $0x3dc01161 // ldr q1, [x11, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01560 // ldr q0, [x11, #80]
	WORD $0x3dc01961 // ldr q1, [x11, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d60 // ldr q0, [x11, #112]
	WORD $0x3dc02161 // ldr q1, [x11, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb9400185 // ldr w5, [x12]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc00580 // ldr q0, [x12, #16]
	WORD $0x3dc00981 // ldr q1, [x12, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00d80 // ldr q0, [x12, #48]
	WORD $0x3dc01181 // ldr q1, [x12, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc01580 // ldr q0, [x12, #80]
	WORD $0x3dc01981 // ldr q1, [x12, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01d80 // ldr q0, [x12, #112]
	WORD $0x3dc02181 // ldr q1, [x12, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb94001a5 // ldr w5, [x13]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc005a0 // ldr q0, [x13, #16]
	WORD $0x3dc009a1 // ldr q1, [x13, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00da0 // ldr q0, [x13, #48]
	WORD $0x3dc011a1 // ldr q1, [x13, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc015a0 // ldr q0, [x13, #80]
	WORD $0x3dc019a1 // ldr q1, [x13, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01da0 // ldr q0, [x13, #112]
	WORD $0x3dc021a1 // ldr q1, [x13, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb94001c5 // ldr w5, [x14]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc005c0 // ldr q0, [x14, #16]
	WORD $0x3dc009c1 // ldr q1, [x14, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00dc0 // ldr q0, [x14, #48]
	WORD $0x3dc011c1 // ldr q1, [x14, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc015c0 // ldr q0, [x14, #80]
	WORD $0x3dc019c1 // ldr q1, [x14, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01dc0 // ldr q0, [x14, #112]
	WORD $0x3dc021c1 // ldr q1, [x14, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xb94001e5 // ldr w5, [x15]
	WORD $0x530f3ca6 // ubfx w6, w5, #15, #1
	WORD $0x531e7ca7 // lsr w7, w5, #30
	WORD $0x121f00e7 // and w7, w7, #2
	WORD $0x2a0700c6 // orr w6, w6, w7
	WORD $0x8b061066 // add x6, x3, x6, lsl #4
	WORD $0x4c4070de // ld1 {v30.16b}, [x6]
	WORD $0x3dc005e0 // ldr q0, [x15, #16]
	WORD $0x3dc009e1 // ldr q1, [x15, #32]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad000480 // stp q0, q1, [x4, #0]
	WORD $0xad010c82 // stp q2, q3, [x4, #32]
	WORD $0x3dc00de0 // ldr q0, [x15, #48]
	WORD $0x3dc011e1 // ldr q1, [x15, #64]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad020480 // stp q0, q1, [x4, #64]
	WORD $0xad030c82 // stp q2, q3, [x4, #96]
	WORD $0x3dc015e0 // ldr q0, [x15, #80]
	WORD $0x3dc019e1 // ldr q1, [x15, #96]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad040480 // stp q0, q1, [x4, #128]
	WORD $0xad050c82 // stp q2, q3, [x4, #160]
	WORD $0x3dc01de0 // ldr q0, [x15, #112]
	WORD $0x3dc021e1 // ldr q1, [x15, #128]
	WORD $0x6f0c0402 // ushr v2.16b, v0.16b, #4
	WORD $0x6f0c0423 // ushr v3.16b, v1.16b, #4
	WORD $0x4e3f1c00 // and v0.16b, v0.16b, v31.16b
	WORD $0x4e3f1c21 // and v1.16b, v1.16b, v31.16b
	WORD $0x4e0003c0 // tbl v0.16b, {v30.16b}, v0.16b
	WORD $0x4e0103c1 // tbl v1.16b, {v30.16b}, v1.16b
	WORD $0x4e0203c2 // tbl v2.16b, {v30.16b}, v2.16b
	WORD $0x4e0303c3 // tbl v3.16b, {v30.16b}, v3.16b
	WORD $0xad060480 // stp q0, q1, [x4, #192]
	WORD $0xad070c82 // stp q2, q3, [x4, #224]
	WORD $0x91040084 // add x4, x4, #256
	WORD $0xd1200084 // sub x4, x4, #2048
	MOVD R4, R19
	WORD $0x3dc00260 // ldr q0, [x19, #0]
	WORD $0x3dc00661 // ldr q1, [x19, #16]
	WORD $0x3dc04262 // ldr q2, [x19, #256]
	WORD $0x3dc04663 // ldr q3, [x19, #272]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc08260 // ldr q0, [x19, #512]
	WORD $0x3dc08661 // ldr q1, [x19, #528]
	WORD $0x3dc0c262 // ldr q2, [x19, #768]
	WORD $0x3dc0c663 // ldr q3, [x19, #784]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc10260 // ldr q0, [x19, #1024]
	WORD $0x3dc10661 // ldr q1, [x19, #1040]
	WORD $0x3dc14262 // ldr q2, [x19, #1280]
	WORD $0x3dc14663 // ldr q3, [x19, #1296]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc18260 // ldr q0, [x19, #1536]
	WORD $0x3dc18661 // ldr q1, [x19, #1552]
	WORD $0x3dc1c262 // ldr q2, [x19, #1792]
	WORD $0x3dc1c663 // ldr q3, [x19, #1808]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	WORD $0x3dc00a60 // ldr q0, [x19, #32]
	WORD $0x3dc00e61 // ldr q1, [x19, #48]
	WORD $0x3dc04a62 // ldr q2, [x19, #288]
	WORD $0x3dc04e63 // ldr q3, [x19, #304]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc08a60 // ldr q0, [x19, #544]
	WORD $0x3dc08e61 // ldr q1, [x19, #560]
	WORD $0x3dc0ca62 // ldr q2, [x19, #800]
	WORD $0x3dc0ce63 // ldr q3, [x19, #816]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc10a60 // ldr q0, [x19, #1056]
	WORD $0x3dc10e61 // ldr q1, [x19, #1072]
	WORD $0x3dc14a62 // ldr q2, [x19, #1312]
	WORD $0x3dc14e63 // ldr q3, [x19, #1328]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc18a60 // ldr q0, [x19, #1568]
	WORD $0x3dc18e61 // ldr q1, [x19, #1584]
	WORD $0x3dc1ca62 // ldr q2, [x19, #1824]
	WORD $0x3dc1ce63 // ldr q3, [x19, #1840]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	WORD $0x3dc01260 // ldr q0, [x19, #64]
	WORD $0x3dc01661 // ldr q1, [x19, #80]
	WORD $0x3dc05262 // ldr q2, [x19, #320]
	WORD $0x3dc05663 // ldr q3, [x19, #336]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc09260 // ldr q0, [x19, #576]
	WORD $0x3dc09661 // ldr q1, [x19, #592]
	WORD $0x3dc0d262 // ldr q2, [x19, #832]
	WORD $0x3dc0d663 // ldr q3, [x19, #848]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc11260 // ldr q0, [x19, #1088]
	WORD $0x3dc11661 // ldr q1, [x19, #1104]
	WORD $0x3dc15262 // ldr q2, [x19, #1344]
	WORD $0x3dc15663 // ldr q3, [x19, #1360]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc19260 // ldr q0, [x19, #1600]
	WORD $0x3dc19661 // ldr q1, [x19, #1616]
	WORD $0x3dc1d262 // ldr q2, [x19, #1856]
	WORD $0x3dc1d663 // ldr q3, [x19, #1872]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	WORD $0x3dc01a60 // ldr q0, [x19, #96]
	WORD $0x3dc01e61 // ldr q1, [x19, #112]
	WORD $0x3dc05a62 // ldr q2, [x19, #352]
	WORD $0x3dc05e63 // ldr q3, [x19, #368]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc09a60 // ldr q0, [x19, #608]
	WORD $0x3dc09e61 // ldr q1, [x19, #624]
	WORD $0x3dc0da62 // ldr q2, [x19, #864]
	WORD $0x3dc0de63 // ldr q3, [x19, #880]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc11a60 // ldr q0, [x19, #1120]
	WORD $0x3dc11e61 // ldr q1, [x19, #1136]
	WORD $0x3dc15a62 // ldr q2, [x19, #1376]
	WORD $0x3dc15e63 // ldr q3, [x19, #1392]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc19a60 // ldr q0, [x19, #1632]
	WORD $0x3dc19e61 // ldr q1, [x19, #1648]
	WORD $0x3dc1da62 // ldr q2, [x19, #1888]
	WORD $0x3dc1de63 // ldr q3, [x19, #1904]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	WORD $0x3dc02260 // ldr q0, [x19, #128]
	WORD $0x3dc02661 // ldr q1, [x19, #144]
	WORD $0x3dc06262 // ldr q2, [x19, #384]
	WORD $0x3dc06663 // ldr q3, [x19, #400]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc0a260 // ldr q0, [x19, #640]
	WORD $0x3dc0a661 // ldr q1, [x19, #656]
	WORD $0x3dc0e262 // ldr q2, [x19, #896]
	WORD $0x3dc0e663 // ldr q3, [x19, #912]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc12260 // ldr q0, [x19, #1152]
	WORD $0x3dc12661 // ldr q1, [x19, #1168]
	WORD $0x3dc16262 // ldr q2, [x19, #1408]
	WORD $0x3dc16663 // ldr q3, [x19, #1424]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc1a260 // ldr q0, [x19, #1664]
	WORD $0x3dc1a661 // ldr q1, [x19, #1680]
	WORD $0x3dc1e262 // ldr q2, [x19, #1920]
	WORD $0x3dc1e663 // ldr q3, [x19, #1936]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	WORD $0x3dc02a60 // ldr q0, [x19, #160]
	WORD $0x3dc02e61 // ldr q1, [x19, #176]
	WORD $0x3dc06a62 // ldr q2, [x19, #416]
	WORD $0x3dc06e63 // ldr q3, [x19, #432]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc0aa60 // ldr q0, [x19, #672]
	WORD $0x3dc0ae61 // ldr q1, [x19, #688]
	WORD $0x3dc0ea62 // ldr q2, [x19, #928]
	WORD $0x3dc0ee63 // ldr q3, [x19, #944]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc12a60 // ldr q0, [x19, #1184]
	WORD $0x3dc12e61 // ldr q1, [x19, #1200]
	WORD $0x3dc16a62 // ldr q2, [x19, #1440]
	WORD $0x3dc16e63 // ldr q3, [x19, #1456]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc1aa60 // ldr q0, [x19, #1696]
	WORD $0x3dc1ae61 // ldr q1, [x19, #1712]
	WORD $0x3dc1ea62 // ldr q2, [x19, #1952]
	WORD $0x3dc1ee63 // ldr q3, [x19, #1968]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	WORD $0x3dc03260 // ldr q0, [x19, #192]
	WORD $0x3dc03661 // ldr q1, [x19, #208]
	WORD $0x3dc07262 // ldr q2, [x19, #448]
	WORD $0x3dc07663 // ldr q3, [x19, #464]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc0b260 // ldr q0, [x19, #704]
	WORD $0x3dc0b661 // ldr q1, [x19, #720]
	WORD $0x3dc0f262 // ldr q2, [x19, #960]
	WORD $0x3dc0f663 // ldr q3, [x19, #976]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc13260 // ldr q0, [x19, #1216]
	WORD $0x3dc13661 // ldr q1, [x19, #1232]
	WORD $0x3dc17262 // ldr q2, [x19, #1472]
	WORD $0x3dc17663 // ldr q3, [x19, #1488]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc1b260 // ldr q0, [x19, #1728]
	WORD $0x3dc1b661 // ldr q1, [x19, #1744]
	WORD $0x3dc1f262 // ldr q2, [x19, #1984]
	WORD $0x3dc1f663 // ldr q3, [x19, #2000]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	WORD $0x3dc03a60 // ldr q0, [x19, #224]
	WORD $0x3dc03e61 // ldr q1, [x19, #240]
	WORD $0x3dc07a62 // ldr q2, [x19, #480]
	WORD $0x3dc07e63 // ldr q3, [x19, #496]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800004 // str q4, [x0, #0]
	WORD $0x3d801005 // str q5, [x0, #64]
	WORD $0x3d802006 // str q6, [x0, #128]
	WORD $0x3d803007 // str q7, [x0, #192]
	WORD $0x3dc0ba60 // ldr q0, [x19, #736]
	WORD $0x3dc0be61 // ldr q1, [x19, #752]
	WORD $0x3dc0fa62 // ldr q2, [x19, #992]
	WORD $0x3dc0fe63 // ldr q3, [x19, #1008]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800404 // str q4, [x0, #16]
	WORD $0x3d801405 // str q5, [x0, #80]
	WORD $0x3d802406 // str q6, [x0, #144]
	WORD $0x3d803407 // str q7, [x0, #208]
	WORD $0x3dc13a60 // ldr q0, [x19, #1248]
	WORD $0x3dc13e61 // ldr q1, [x19, #1264]
	WORD $0x3dc17a62 // ldr q2, [x19, #1504]
	WORD $0x3dc17e63 // ldr q3, [x19, #1520]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800804 // str q4, [x0, #32]
	WORD $0x3d801805 // str q5, [x0, #96]
	WORD $0x3d802806 // str q6, [x0, #160]
	WORD $0x3d803807 // str q7, [x0, #224]
	WORD $0x3dc1ba60 // ldr q0, [x19, #1760]
	WORD $0x3dc1be61 // ldr q1, [x19, #1776]
	WORD $0x3dc1fa62 // ldr q2, [x19, #2016]
	WORD $0x3dc1fe63 // ldr q3, [x19, #2032]
	WORD $0x4ec23804 // zip1 v4.2d, v0.2d, v2.2d
	WORD $0x4ec27805 // zip2 v5.2d, v0.2d, v2.2d
	WORD $0x4ec33826 // zip1 v6.2d, v1.2d, v3.2d
	WORD $0x4ec37827 // zip2 v7.2d, v1.2d, v3.2d
	WORD $0x3d800c04 // str q4, [x0, #48]
	WORD $0x3d801c05 // str q5, [x0, #112]
	WORD $0x3d802c06 // str q6, [x0, #176]
	WORD $0x3d803c07 // str q7, [x0, #240]
	WORD $0x91060000 // add x0, x0, #384
	ADD  $144, R8, R8
	ADD  $144, R9, R9
	ADD  $144, R10, R10
	ADD  $144, R11, R11
	ADD  $144, R12, R12
	ADD  $144, R13, R13
	ADD  $144, R14, R14
	ADD  $144, R15, R15
	SUBS $1, R2, R2
	BNE  p4mloop
	RET

// func tileQ8MM(p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int)
//
// 8 rows × 4 tokens with SMMLA: per 8-value chunk, 4 weight vectors (row
// pairs) times 2 activation vectors (token pairs, interleaved per block by
// ZIP1/ZIP2 of the tokens' 32 bytes) into 8 int32 accumulators holding 2×2
// (rows × tokens) block sums; per block: convert, × the rows' scale pattern,
// × the token pair's [s, s', s, s'] into 8 float accumulators;
// UZP1/UZP2 turn them back into 8 rows per token at the end.
TEXT ·tileQ8MM(SB), NOSPLIT, $0-56
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2
	MOVD off+24(FP), R4
	MOVD out+32(FP), R5
	MOVD nb+40(FP), R6
	MOVD acc+48(FP), R7
	MOVD R1, R8
	MOVD R2, R12
	MOVD 8(R4), R21
	ADD  R21<<3, R1, R9
	ADD  R21, R2, R13
	MOVD 16(R4), R21
	ADD  R21<<3, R1, R10
	ADD  R21, R2, R14
	MOVD 24(R4), R21
	ADD  R21<<3, R1, R11
	ADD  R21, R2, R15
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
	WORD $0x4f00040c // movi v12.4s, #0
	WORD $0x4f00040d // movi v13.4s, #0
	WORD $0x4f00040e // movi v14.4s, #0
	WORD $0x4f00040f // movi v15.4s, #0
tileQ8MMloop:
	WORD $0x4f000400 // movi v0.4s, #0
	WORD $0x4f000401 // movi v1.4s, #0
	WORD $0x4f000402 // movi v2.4s, #0
	WORD $0x4f000403 // movi v3.4s, #0
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4cdfa118 // ld1 {v24.16b, v25.16b}, [x8], #32
	WORD $0x4cdfa13a // ld1 {v26.16b, v27.16b}, [x9], #32
	WORD $0x4eda3b10 // zip1 v16.2d, v24.2d, v26.2d
	WORD $0x4eda7b11 // zip2 v17.2d, v24.2d, v26.2d
	WORD $0x4edb3b32 // zip1 v18.2d, v25.2d, v27.2d
	WORD $0x4edb7b33 // zip2 v19.2d, v25.2d, v27.2d
	WORD $0x4cdfa158 // ld1 {v24.16b, v25.16b}, [x10], #32
	WORD $0x4cdfa17a // ld1 {v26.16b, v27.16b}, [x11], #32
	WORD $0x4eda3b14 // zip1 v20.2d, v24.2d, v26.2d
	WORD $0x4eda7b15 // zip2 v21.2d, v24.2d, v26.2d
	WORD $0x4edb3b36 // zip1 v22.2d, v25.2d, v27.2d
	WORD $0x4edb7b37 // zip2 v23.2d, v25.2d, v27.2d
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e90a780 // smmla v0.4s, v28.16b, v16.16b
	WORD $0x4e94a781 // smmla v1.4s, v28.16b, v20.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e90a7a2 // smmla v2.4s, v29.16b, v16.16b
	WORD $0x4e94a7a3 // smmla v3.4s, v29.16b, v20.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e90a7c4 // smmla v4.4s, v30.16b, v16.16b
	WORD $0x4e94a7c5 // smmla v5.4s, v30.16b, v20.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e90a7e6 // smmla v6.4s, v31.16b, v16.16b
	WORD $0x4e94a7e7 // smmla v7.4s, v31.16b, v20.16b
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e91a780 // smmla v0.4s, v28.16b, v17.16b
	WORD $0x4e95a781 // smmla v1.4s, v28.16b, v21.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e91a7a2 // smmla v2.4s, v29.16b, v17.16b
	WORD $0x4e95a7a3 // smmla v3.4s, v29.16b, v21.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e91a7c4 // smmla v4.4s, v30.16b, v17.16b
	WORD $0x4e95a7c5 // smmla v5.4s, v30.16b, v21.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e91a7e6 // smmla v6.4s, v31.16b, v17.16b
	WORD $0x4e95a7e7 // smmla v7.4s, v31.16b, v21.16b
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e92a780 // smmla v0.4s, v28.16b, v18.16b
	WORD $0x4e96a781 // smmla v1.4s, v28.16b, v22.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e92a7a2 // smmla v2.4s, v29.16b, v18.16b
	WORD $0x4e96a7a3 // smmla v3.4s, v29.16b, v22.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e92a7c4 // smmla v4.4s, v30.16b, v18.16b
	WORD $0x4e96a7c5 // smmla v5.4s, v30.16b, v22.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e92a7e6 // smmla v6.4s, v31.16b, v18.16b
	WORD $0x4e96a7e7 // smmla v7.4s, v31.16b, v22.16b
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e93a780 // smmla v0.4s, v28.16b, v19.16b
	WORD $0x4e97a781 // smmla v1.4s, v28.16b, v23.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e93a7a2 // smmla v2.4s, v29.16b, v19.16b
	WORD $0x4e97a7a3 // smmla v3.4s, v29.16b, v23.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e93a7c4 // smmla v4.4s, v30.16b, v19.16b
	WORD $0x4e97a7c5 // smmla v5.4s, v30.16b, v23.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e93a7e6 // smmla v6.4s, v31.16b, v19.16b
	WORD $0x4e97a7e7 // smmla v7.4s, v31.16b, v23.16b
	WORD $0x4cdf2810 // ld1 {v16.4s, v17.4s, v18.4s, v19.4s}, [x0], #64
	WORD $0x0ddf8194 // ld1 {v20.s}[0], [x12], #4
	WORD $0x0ddf91b4 // ld1 {v20.s}[1], [x13], #4
	WORD $0x4e080694 // dup v20.2d, v20.d[0]
	WORD $0x0ddf81d5 // ld1 {v21.s}[0], [x14], #4
	WORD $0x0ddf91f5 // ld1 {v21.s}[1], [x15], #4
	WORD $0x4e0806b5 // dup v21.2d, v21.d[0]
	WORD $0x4e21d81c // scvtf v28.4s, v0.4s
	WORD $0x6e30df9c // fmul v28.4s, v28.4s, v16.4s
	WORD $0x4e34cf88 // fmla v8.4s, v28.4s, v20.4s
	WORD $0x4e21d83c // scvtf v28.4s, v1.4s
	WORD $0x6e30df9c // fmul v28.4s, v28.4s, v16.4s
	WORD $0x4e35cf89 // fmla v9.4s, v28.4s, v21.4s
	WORD $0x4e21d85c // scvtf v28.4s, v2.4s
	WORD $0x6e31df9c // fmul v28.4s, v28.4s, v17.4s
	WORD $0x4e34cf8a // fmla v10.4s, v28.4s, v20.4s
	WORD $0x4e21d87c // scvtf v28.4s, v3.4s
	WORD $0x6e31df9c // fmul v28.4s, v28.4s, v17.4s
	WORD $0x4e35cf8b // fmla v11.4s, v28.4s, v21.4s
	WORD $0x4e21d89c // scvtf v28.4s, v4.4s
	WORD $0x6e32df9c // fmul v28.4s, v28.4s, v18.4s
	WORD $0x4e34cf8c // fmla v12.4s, v28.4s, v20.4s
	WORD $0x4e21d8bc // scvtf v28.4s, v5.4s
	WORD $0x6e32df9c // fmul v28.4s, v28.4s, v18.4s
	WORD $0x4e35cf8d // fmla v13.4s, v28.4s, v21.4s
	WORD $0x4e21d8dc // scvtf v28.4s, v6.4s
	WORD $0x6e33df9c // fmul v28.4s, v28.4s, v19.4s
	WORD $0x4e34cf8e // fmla v14.4s, v28.4s, v20.4s
	WORD $0x4e21d8fc // scvtf v28.4s, v7.4s
	WORD $0x6e33df9c // fmul v28.4s, v28.4s, v19.4s
	WORD $0x4e35cf8f // fmla v15.4s, v28.4s, v21.4s
	SUBS $1, R6, R6
	BNE  tileQ8MMloop
	WORD $0x4e8a1910 // uzp1 v16.4s, v8.4s, v10.4s
	WORD $0x4e8e1991 // uzp1 v17.4s, v12.4s, v14.4s
	WORD $0x4e8a5912 // uzp2 v18.4s, v8.4s, v10.4s
	WORD $0x4e8e5993 // uzp2 v19.4s, v12.4s, v14.4s
	WORD $0x4e8b1934 // uzp1 v20.4s, v9.4s, v11.4s
	WORD $0x4e8f19b5 // uzp1 v21.4s, v13.4s, v15.4s
	WORD $0x4e8b5936 // uzp2 v22.4s, v9.4s, v11.4s
	WORD $0x4e8f59b7 // uzp2 v23.4s, v13.4s, v15.4s
	MOVD 0(R5), R21
	CBZ  R7, tileQ8MMset0
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd610 // fadd v16.4s, v16.4s, v28.4s
	WORD $0x4e3dd631 // fadd v17.4s, v17.4s, v29.4s
tileQ8MMset0:
	WORD $0xad0046b0 // stp q16, q17, [x21]
	MOVD 8(R5), R21
	CBZ  R7, tileQ8MMset1
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd652 // fadd v18.4s, v18.4s, v28.4s
	WORD $0x4e3dd673 // fadd v19.4s, v19.4s, v29.4s
tileQ8MMset1:
	WORD $0xad004eb2 // stp q18, q19, [x21]
	MOVD 16(R5), R21
	CBZ  R7, tileQ8MMset2
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd694 // fadd v20.4s, v20.4s, v28.4s
	WORD $0x4e3dd6b5 // fadd v21.4s, v21.4s, v29.4s
tileQ8MMset2:
	WORD $0xad0056b4 // stp q20, q21, [x21]
	MOVD 24(R5), R21
	CBZ  R7, tileQ8MMset3
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd6d6 // fadd v22.4s, v22.4s, v28.4s
	WORD $0x4e3dd6f7 // fadd v23.4s, v23.4s, v29.4s
tileQ8MMset3:
	WORD $0xad005eb6 // stp q22, q23, [x21]
	RET

// func tileQ4MM(p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int)
//
// 8 rows × 4 tokens with SMMLA: per 8-value chunk, 4 weight vectors (row
// pairs) times 2 activation vectors (token pairs, interleaved per block by
// ZIP1/ZIP2 of the tokens' 32 bytes) into 8 int32 accumulators holding 2×2
// (rows × tokens) block sums; per block: convert, × the rows' scale pattern,
// × the token pair's [s, s', s, s'] into 8 float accumulators (Q4: plus the mins);
// UZP1/UZP2 turn them back into 8 rows per token at the end.
TEXT ·tileQ4MM(SB), NOSPLIT, $0-64
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2
	MOVD ss+24(FP), R3
	MOVD off+32(FP), R4
	MOVD out+40(FP), R5
	MOVD nb+48(FP), R6
	MOVD acc+56(FP), R7
	MOVD R1, R8
	MOVD R2, R12
	MOVD R3, R16
	MOVD 8(R4), R21
	ADD  R21<<3, R1, R9
	ADD  R21, R2, R13
	ADD  R21, R3, R17
	MOVD 16(R4), R21
	ADD  R21<<3, R1, R10
	ADD  R21, R2, R14
	ADD  R21, R3, R19
	MOVD 24(R4), R21
	ADD  R21<<3, R1, R11
	ADD  R21, R2, R15
	ADD  R21, R3, R20
	WORD $0x4f000408 // movi v8.4s, #0
	WORD $0x4f000409 // movi v9.4s, #0
	WORD $0x4f00040a // movi v10.4s, #0
	WORD $0x4f00040b // movi v11.4s, #0
	WORD $0x4f00040c // movi v12.4s, #0
	WORD $0x4f00040d // movi v13.4s, #0
	WORD $0x4f00040e // movi v14.4s, #0
	WORD $0x4f00040f // movi v15.4s, #0
tileQ4MMloop:
	WORD $0x4f000400 // movi v0.4s, #0
	WORD $0x4f000401 // movi v1.4s, #0
	WORD $0x4f000402 // movi v2.4s, #0
	WORD $0x4f000403 // movi v3.4s, #0
	WORD $0x4f000404 // movi v4.4s, #0
	WORD $0x4f000405 // movi v5.4s, #0
	WORD $0x4f000406 // movi v6.4s, #0
	WORD $0x4f000407 // movi v7.4s, #0
	WORD $0x4cdfa118 // ld1 {v24.16b, v25.16b}, [x8], #32
	WORD $0x4cdfa13a // ld1 {v26.16b, v27.16b}, [x9], #32
	WORD $0x4eda3b10 // zip1 v16.2d, v24.2d, v26.2d
	WORD $0x4eda7b11 // zip2 v17.2d, v24.2d, v26.2d
	WORD $0x4edb3b32 // zip1 v18.2d, v25.2d, v27.2d
	WORD $0x4edb7b33 // zip2 v19.2d, v25.2d, v27.2d
	WORD $0x4cdfa158 // ld1 {v24.16b, v25.16b}, [x10], #32
	WORD $0x4cdfa17a // ld1 {v26.16b, v27.16b}, [x11], #32
	WORD $0x4eda3b14 // zip1 v20.2d, v24.2d, v26.2d
	WORD $0x4eda7b15 // zip2 v21.2d, v24.2d, v26.2d
	WORD $0x4edb3b36 // zip1 v22.2d, v25.2d, v27.2d
	WORD $0x4edb7b37 // zip2 v23.2d, v25.2d, v27.2d
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e90a780 // smmla v0.4s, v28.16b, v16.16b
	WORD $0x4e94a781 // smmla v1.4s, v28.16b, v20.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e90a7a2 // smmla v2.4s, v29.16b, v16.16b
	WORD $0x4e94a7a3 // smmla v3.4s, v29.16b, v20.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e90a7c4 // smmla v4.4s, v30.16b, v16.16b
	WORD $0x4e94a7c5 // smmla v5.4s, v30.16b, v20.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e90a7e6 // smmla v6.4s, v31.16b, v16.16b
	WORD $0x4e94a7e7 // smmla v7.4s, v31.16b, v20.16b
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e91a780 // smmla v0.4s, v28.16b, v17.16b
	WORD $0x4e95a781 // smmla v1.4s, v28.16b, v21.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e91a7a2 // smmla v2.4s, v29.16b, v17.16b
	WORD $0x4e95a7a3 // smmla v3.4s, v29.16b, v21.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e91a7c4 // smmla v4.4s, v30.16b, v17.16b
	WORD $0x4e95a7c5 // smmla v5.4s, v30.16b, v21.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e91a7e6 // smmla v6.4s, v31.16b, v17.16b
	WORD $0x4e95a7e7 // smmla v7.4s, v31.16b, v21.16b
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e92a780 // smmla v0.4s, v28.16b, v18.16b
	WORD $0x4e96a781 // smmla v1.4s, v28.16b, v22.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e92a7a2 // smmla v2.4s, v29.16b, v18.16b
	WORD $0x4e96a7a3 // smmla v3.4s, v29.16b, v22.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e92a7c4 // smmla v4.4s, v30.16b, v18.16b
	WORD $0x4e96a7c5 // smmla v5.4s, v30.16b, v22.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e92a7e6 // smmla v6.4s, v31.16b, v18.16b
	WORD $0x4e96a7e7 // smmla v7.4s, v31.16b, v22.16b
	WORD $0x4cdf701c // ld1 {v28.16b}, [x0], #16
	WORD $0x4e93a780 // smmla v0.4s, v28.16b, v19.16b
	WORD $0x4e97a781 // smmla v1.4s, v28.16b, v23.16b
	WORD $0x4cdf701d // ld1 {v29.16b}, [x0], #16
	WORD $0x4e93a7a2 // smmla v2.4s, v29.16b, v19.16b
	WORD $0x4e97a7a3 // smmla v3.4s, v29.16b, v23.16b
	WORD $0x4cdf701e // ld1 {v30.16b}, [x0], #16
	WORD $0x4e93a7c4 // smmla v4.4s, v30.16b, v19.16b
	WORD $0x4e97a7c5 // smmla v5.4s, v30.16b, v23.16b
	WORD $0x4cdf701f // ld1 {v31.16b}, [x0], #16
	WORD $0x4e93a7e6 // smmla v6.4s, v31.16b, v19.16b
	WORD $0x4e97a7e7 // smmla v7.4s, v31.16b, v23.16b
	WORD $0x4cdf2810 // ld1 {v16.4s, v17.4s, v18.4s, v19.4s}, [x0], #64
	WORD $0x4cdf2818 // ld1 {v24.4s, v25.4s, v26.4s, v27.4s}, [x0], #64
	WORD $0x0ddf8194 // ld1 {v20.s}[0], [x12], #4
	WORD $0x0ddf91b4 // ld1 {v20.s}[1], [x13], #4
	WORD $0x4e080694 // dup v20.2d, v20.d[0]
	WORD $0x0ddf8216 // ld1 {v22.s}[0], [x16], #4
	WORD $0x0ddf9236 // ld1 {v22.s}[1], [x17], #4
	WORD $0x4e0806d6 // dup v22.2d, v22.d[0]
	WORD $0x0ddf81d5 // ld1 {v21.s}[0], [x14], #4
	WORD $0x0ddf91f5 // ld1 {v21.s}[1], [x15], #4
	WORD $0x4e0806b5 // dup v21.2d, v21.d[0]
	WORD $0x0ddf8277 // ld1 {v23.s}[0], [x19], #4
	WORD $0x0ddf9297 // ld1 {v23.s}[1], [x20], #4
	WORD $0x4e0806f7 // dup v23.2d, v23.d[0]
	WORD $0x4e21d81c // scvtf v28.4s, v0.4s
	WORD $0x6e30df9c // fmul v28.4s, v28.4s, v16.4s
	WORD $0x4e34cf88 // fmla v8.4s, v28.4s, v20.4s
	WORD $0x4e36cf08 // fmla v8.4s, v24.4s, v22.4s
	WORD $0x4e21d83c // scvtf v28.4s, v1.4s
	WORD $0x6e30df9c // fmul v28.4s, v28.4s, v16.4s
	WORD $0x4e35cf89 // fmla v9.4s, v28.4s, v21.4s
	WORD $0x4e37cf09 // fmla v9.4s, v24.4s, v23.4s
	WORD $0x4e21d85c // scvtf v28.4s, v2.4s
	WORD $0x6e31df9c // fmul v28.4s, v28.4s, v17.4s
	WORD $0x4e34cf8a // fmla v10.4s, v28.4s, v20.4s
	WORD $0x4e36cf2a // fmla v10.4s, v25.4s, v22.4s
	WORD $0x4e21d87c // scvtf v28.4s, v3.4s
	WORD $0x6e31df9c // fmul v28.4s, v28.4s, v17.4s
	WORD $0x4e35cf8b // fmla v11.4s, v28.4s, v21.4s
	WORD $0x4e37cf2b // fmla v11.4s, v25.4s, v23.4s
	WORD $0x4e21d89c // scvtf v28.4s, v4.4s
	WORD $0x6e32df9c // fmul v28.4s, v28.4s, v18.4s
	WORD $0x4e34cf8c // fmla v12.4s, v28.4s, v20.4s
	WORD $0x4e36cf4c // fmla v12.4s, v26.4s, v22.4s
	WORD $0x4e21d8bc // scvtf v28.4s, v5.4s
	WORD $0x6e32df9c // fmul v28.4s, v28.4s, v18.4s
	WORD $0x4e35cf8d // fmla v13.4s, v28.4s, v21.4s
	WORD $0x4e37cf4d // fmla v13.4s, v26.4s, v23.4s
	WORD $0x4e21d8dc // scvtf v28.4s, v6.4s
	WORD $0x6e33df9c // fmul v28.4s, v28.4s, v19.4s
	WORD $0x4e34cf8e // fmla v14.4s, v28.4s, v20.4s
	WORD $0x4e36cf6e // fmla v14.4s, v27.4s, v22.4s
	WORD $0x4e21d8fc // scvtf v28.4s, v7.4s
	WORD $0x6e33df9c // fmul v28.4s, v28.4s, v19.4s
	WORD $0x4e35cf8f // fmla v15.4s, v28.4s, v21.4s
	WORD $0x4e37cf6f // fmla v15.4s, v27.4s, v23.4s
	SUBS $1, R6, R6
	BNE  tileQ4MMloop
	WORD $0x4e8a1910 // uzp1 v16.4s, v8.4s, v10.4s
	WORD $0x4e8e1991 // uzp1 v17.4s, v12.4s, v14.4s
	WORD $0x4e8a5912 // uzp2 v18.4s, v8.4s, v10.4s
	WORD $0x4e8e5993 // uzp2 v19.4s, v12.4s, v14.4s
	WORD $0x4e8b1934 // uzp1 v20.4s, v9.4s, v11.4s
	WORD $0x4e8f19b5 // uzp1 v21.4s, v13.4s, v15.4s
	WORD $0x4e8b5936 // uzp2 v22.4s, v9.4s, v11.4s
	WORD $0x4e8f59b7 // uzp2 v23.4s, v13.4s, v15.4s
	MOVD 0(R5), R21
	CBZ  R7, tileQ4MMset0
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd610 // fadd v16.4s, v16.4s, v28.4s
	WORD $0x4e3dd631 // fadd v17.4s, v17.4s, v29.4s
tileQ4MMset0:
	WORD $0xad0046b0 // stp q16, q17, [x21]
	MOVD 8(R5), R21
	CBZ  R7, tileQ4MMset1
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd652 // fadd v18.4s, v18.4s, v28.4s
	WORD $0x4e3dd673 // fadd v19.4s, v19.4s, v29.4s
tileQ4MMset1:
	WORD $0xad004eb2 // stp q18, q19, [x21]
	MOVD 16(R5), R21
	CBZ  R7, tileQ4MMset2
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd694 // fadd v20.4s, v20.4s, v28.4s
	WORD $0x4e3dd6b5 // fadd v21.4s, v21.4s, v29.4s
tileQ4MMset2:
	WORD $0xad0056b4 // stp q20, q21, [x21]
	MOVD 24(R5), R21
	CBZ  R7, tileQ4MMset3
	WORD $0xad4076bc // ldp q28, q29, [x21]
	WORD $0x4e3cd6d6 // fadd v22.4s, v22.4s, v28.4s
	WORD $0x4e3dd6f7 // fadd v23.4s, v23.4s, v29.4s
tileQ4MMset3:
	WORD $0xad005eb6 // stp q22, q23, [x21]
	RET

