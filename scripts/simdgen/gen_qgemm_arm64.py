# Generator for simd/qgemm_arm64.s. Vector instructions that the Go
# assembler lacks are written in GNU syntax (lines passed to V()) and
# emitted as WORD with the instruction as a comment, encoded by llvm-mc.
import os, subprocess, re, sys

out = []
pending = []  # (index in out, gnu text)

def w(s=""):
    for line in s.split('\n'):
        out.append(line)

def V(*instrs):
    for ins in instrs:
        for one in ins.split(';'):
            one = one.strip()
            if not one:
                continue
            pending.append((len(out), one))
            out.append(None)

def encode_all():
    texts = sorted(set(t for _, t in pending))
    src = '\n'.join(texts) + '\n'
    r = subprocess.run(['llvm-mc', '-triple=aarch64', '-mattr=+dotprod,+i8mm,+fullfp16', '-show-encoding'],
                       input=src, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    enc = {}
    lines = [l for l in r.stdout.split('\n') if 'encoding:' in l]
    assert len(lines) == len(texts), (len(lines), len(texts))
    for t, l in zip(texts, lines):
        b = re.search(r'encoding: \[(.*?)\]', l).group(1).split(',')
        v = int(b[0], 16) | int(b[1], 16) << 8 | int(b[2], 16) << 16 | int(b[3], 16) << 24
        enc[t] = v
    for i, t in pending:
        out[i] = f'\tWORD $0x{enc[t]:08x} // {t}'

w('''//go:build !purego

#include "textflag.h"

// Integer kernels for arm64: plain NEON (Cortex-A72), NEON with the
// dot-product extension (SDOT, Cortex-A76) and with the int8 matrix
// multiply (SMMLA, FEAT_I8MM). See qgemm.go for the algorithms
// and qgemm_arm64.go for the contracts. The Go assembler lacks most of these
// vector instructions: they are WORDs, each with its instruction in the
// comment. Registers: R0-R17, R19-R25 and V0-V31 are scratch here (R18 is
// the platform register, R26-R30 are the assembler's and the runtime's).
''')

# ---------------------------------------------------------------- QuantizeActs
w('''// func quantActsNEON(x *float32, q *int8, s *float32, m *int32, nb int)
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
	MOVD nb+32(FP), R4''')
V('movi v31.4s, #0x42, lsl #24')       # 2^? placeholder replaced below
out.pop(); pending.pop()
V('mov w5, #0x42fe0000', 'dup v31.4s, w5', 'mov w5, #0xc2fe0000', 'dup v30.4s, w5', 'fmov s29, w5')
# s29 = -127; we want +127 in a scalar: use v31.s[0]
w('qaloop:')
V('ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0], #64',
  'ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [x0], #64',
  'bic v16.4s, #0x80, lsl #24', )
out.pop(); pending.pop()
for i in range(8):
    V(f'fabs v{16+i}.4s, v{i}.4s')
V('umax v16.4s, v16.4s, v17.4s', 'umax v18.4s, v18.4s, v19.4s', 'umax v20.4s, v20.4s, v21.4s', 'umax v22.4s, v22.4s, v23.4s',
  'umax v16.4s, v16.4s, v18.4s', 'umax v20.4s, v20.4s, v22.4s', 'umax v16.4s, v16.4s, v20.4s', 'umaxv s16, v16.4s',
  'fmov w6, s16')
w('''	MOVW $0x03800000, R7 // amax < quant.ActMinMax (2^-120): a zero block
	CMPW R7, R6
	BLO  qazero''')
V('fdiv s17, s16, s31', 'str s17, [x2], #4', 'dup v16.4s, v16.s[0]', 'fdiv v16.4s, v31.4s, v16.4s')
for i in range(8):
    V(f'fmul v{i}.4s, v{i}.4s, v16.4s')
for i in range(8):
    V(f'fmin v{i}.4s, v{i}.4s, v31.4s')
for i in range(8):
    V(f'fmax v{i}.4s, v{i}.4s, v30.4s')
for i in range(8):
    V(f'fcvtns v{i}.4s, v{i}.4s')
V('add v16.4s, v0.4s, v1.4s', 'add v17.4s, v2.4s, v3.4s', 'add v18.4s, v4.4s, v5.4s', 'add v19.4s, v6.4s, v7.4s',
  'add v16.4s, v16.4s, v17.4s', 'add v18.4s, v18.4s, v19.4s', 'add v16.4s, v16.4s, v18.4s', 'addv s16, v16.4s',
  'str s16, [x3], #4')
V('xtn v0.4h, v0.4s', 'xtn2 v0.8h, v1.4s', 'xtn v2.4h, v2.4s', 'xtn2 v2.8h, v3.4s',
  'xtn v4.4h, v4.4s', 'xtn2 v4.8h, v5.4s', 'xtn v6.4h, v6.4s', 'xtn2 v6.8h, v7.4s',
  'xtn v0.8b, v0.8h', 'xtn2 v0.16b, v2.8h', 'xtn v4.8b, v4.8h', 'xtn2 v4.16b, v6.8h',
  'stp q0, q4, [x1], #32')
w('''
qanext:
	SUBS $1, R4, R4
	BNE  qaloop
	RET

qazero:''')
V('movi v0.16b, #0', 'stp q0, q0, [x1], #32', 'str wzr, [x2], #4', 'str wzr, [x3], #4')
w('''	B    qanext
''')

# ---------------------------------------------------------------- StreamRead
w('''// func streamReadNEON(p *byte, n int) uint64
// n is a positive multiple of 256.
TEXT ·streamReadNEON(SB), NOSPLIT, $0-24
	MOVD p+0(FP), R0
	MOVD n+8(FP), R1''')
V('movi v16.2d, #0', 'movi v17.2d, #0', 'movi v18.2d, #0', 'movi v19.2d, #0')
w('srloop:')
V('ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x0], #64', 'ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x0], #64',
  'ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x0], #64', 'ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x0], #64',
  'add v16.2d, v16.2d, v0.2d', 'add v17.2d, v17.2d, v1.2d', 'add v18.2d, v18.2d, v2.2d', 'add v19.2d, v19.2d, v3.2d',
  'add v16.2d, v16.2d, v4.2d', 'add v17.2d, v17.2d, v5.2d', 'add v18.2d, v18.2d, v6.2d', 'add v19.2d, v19.2d, v7.2d',
  'add v16.2d, v16.2d, v20.2d', 'add v17.2d, v17.2d, v21.2d', 'add v18.2d, v18.2d, v22.2d', 'add v19.2d, v19.2d, v23.2d',
  'add v16.2d, v16.2d, v24.2d', 'add v17.2d, v17.2d, v25.2d', 'add v18.2d, v18.2d, v26.2d', 'add v19.2d, v19.2d, v27.2d')
w('''	SUBS $256, R1, R1
	BNE  srloop''')
V('add v16.2d, v16.2d, v17.2d', 'add v18.2d, v18.2d, v19.2d', 'add v16.2d, v16.2d, v18.2d', 'addp d16, v16.2d', 'fmov x2, d16')
w('''	MOVD R2, ret+16(FP)
	RET
''')

# ---------------------------------------------------------------- peaks
w('''// func peakNEON(n int) int64
// n iterations of 8 independent SMULL+SMLAL2+SADALP chains: 128
// multiply-adds per iteration.
TEXT ·peakNEON(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	LSL  $7, R0, R1
	MOVD R1, ret+8(FP)''')
V('movi v30.16b, #3', 'movi v31.16b, #5')
for i in range(8):
    V(f'movi v{i}.4s, #0')
w('pnloop:')
for i in range(8):
    V(f'smull v{16+i}.8h, v30.8b, v31.8b', f'smlal2 v{16+i}.8h, v30.16b, v31.16b', f'sadalp v{i}.4s, v{16+i}.8h')
w('''	SUBS $1, R0, R0
	BNE  pnloop
	RET

// func peakSDOT(n int) int64
// n iterations of 16 independent SDOTs: 256 multiply-adds per iteration.
TEXT ·peakSDOT(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	LSL  $8, R0, R1
	MOVD R1, ret+8(FP)''')
V('movi v30.16b, #3', 'movi v31.16b, #5')
for i in range(16):
    V(f'movi v{i}.4s, #0')
w('psloop:')
for i in range(16):
    V(f'sdot v{i}.4s, v30.16b, v31.16b')
w('''	SUBS $1, R0, R0
	BNE  psloop
	RET
''')

# ---------------------------------------------------------------- GEMV Q8
def dot32(acc, c0, c1, q0, q1, sdot, first=True, h0='v14', h1='v15'):
    # acc (int32x4) = (first ? 0 : acc) + Σ c·q over 32 bytes in (c0,c1)·(q0,q1)
    if sdot:
        if first:
            V(f'movi {acc}.4s, #0')
        V(f'sdot {acc}.4s, {c0}.16b, {q0}.16b', f'sdot {acc}.4s, {c1}.16b, {q1}.16b')
    else:
        V(f'smull {h0}.8h, {c0}.8b, {q0}.8b', f'smlal2 {h0}.8h, {c0}.16b, {q0}.16b',
          f'smull {h1}.8h, {c1}.8b, {q1}.8b', f'smlal2 {h1}.8h, {c1}.16b, {q1}.16b')
        if first:
            V(f'saddlp {acc}.4s, {h0}.8h')
        else:
            V(f'sadalp {acc}.4s, {h0}.8h')
        V(f'sadalp {acc}.4s, {h1}.8h')

def gemv_q8(name, sdot):
    w(f'''// func {name}(w *byte, rb int, nr int, q *int8, s *float32, nb int, out *float32)
//
// One row at a time, four blocks per iteration: codes flipped to signed
// (EOR 0x80), {'SDOT' if sdot else 'SMULL/SMLAL2 (two products per int16 lane, at most 2·128·127) and SADDLP/SADALP'}
// into one int32x4 per block, an ADDP tree to the four exact block sums,
// converted and multiplied-added with d·s (the four fp16 d gathered and
// widened by FCVTL).
TEXT ·{name}(SB), NOSPLIT, $0-56
	MOVD w+0(FP), R0
	MOVD rb+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD q+24(FP), R3
	MOVD s+32(FP), R4
	MOVD nb+40(FP), R5
	MOVD out+48(FP), R6''')
    V('movi v31.16b, #0x80')
    w(f'''
{name}row:
	MOVD R0, R7
	MOVD R3, R8
	MOVD R4, R9
	MOVD R5, R10''')
    V('movi v30.4s, #0', 'movi v29.4s, #0')
    w(f'''	CMP  $4, R10
	BLT  {name}tail

{name}loop4:''')
    V('prfm pldl1keep, [x7, #1024]', 'prfm pldl1keep, [x7, #1088]', 'prfm pldl1keep, [x7, #1152]')
    for i in range(4):
        a, b_, c, d = (0, 1, 2, 3) if i % 2 == 0 else (8, 9, 10, 11)
        V(f'ldur q{a}, [x7, #{34*i+2}]', f'ldur q{b_}, [x7, #{34*i+18}]',
          f'eor v{a}.16b, v{a}.16b, v31.16b', f'eor v{b_}.16b, v{b_}.16b, v31.16b',
          f'ld1 {{v{c}.16b, v{d}.16b}}, [x8], #32')
        dot32(f'v{4+i}', f'v{a}', f'v{b_}', f'v{c}', f'v{d}', sdot, True, 'v14' if i % 2 == 0 else 'v16', 'v15' if i % 2 == 0 else 'v17')
    V('addp v4.4s, v4.4s, v5.4s', 'addp v6.4s, v6.4s, v7.4s', 'addp v4.4s, v4.4s, v6.4s', 'scvtf v4.4s, v4.4s',
      'ldrh w11, [x7]', 'ldrh w12, [x7, #34]', 'ldrh w13, [x7, #68]', 'ldrh w14, [x7, #102]',
      'orr x11, x11, x12, lsl #16', 'orr x13, x13, x14, lsl #16', 'orr x11, x11, x13, lsl #32', 'fmov d12, x11',
      'fcvtl v12.4s, v12.4h', 'ld1 {v13.4s}, [x9], #16', 'fmul v12.4s, v12.4s, v13.4s', 'fmla v30.4s, v4.4s, v12.4s',
      'add x7, x7, #136', 'sub x10, x10, #4')
    w(f'''	CMP  $4, R10
	BGE  {name}loop4

{name}tail:
	CBZ  R10, {name}done

{name}loop1:''')
    V('ldur q0, [x7, #2]', 'ldur q1, [x7, #18]', 'eor v0.16b, v0.16b, v31.16b', 'eor v1.16b, v1.16b, v31.16b',
      'ld1 {v2.16b, v3.16b}, [x8], #32')
    dot32('v4', 'v0', 'v1', 'v2', 'v3', sdot, True)
    V('addv s4, v4.4s', 'scvtf s4, s4', 'ldr h12, [x7]', 'fcvt s12, h12', 'ldr s13, [x9], #4', 'fmul s12, s12, s13',
      'fmadd s29, s4, s12, s29', 'add x7, x7, #34')
    w(f'''	SUBS $1, R10, R10
	BNE  {name}loop1

{name}done:''')
    V('faddp v30.4s, v30.4s, v30.4s', 'faddp s30, v30.2s', 'fadd s30, s30, s29', 'str s30, [x6], #4')
    w(f'''	ADD  R1, R0, R0
	SUBS $1, R2, R2
	BNE  {name}row
	RET
''')

gemv_q8('gemvQ8NEON', False)
gemv_q8('gemvQ8SDOT', True)

# ---------------------------------------------------------------- GEMV Q4
def gemv_q4(name, sdot):
    w(f'''// func {name}(w *byte, rb int, nr int, q *int8, s *float32, m *int32, nsb int, out *float32, lut *byte)
//
// One row at a time. Per super-block: the header decoded in vector form
// (lanes = sub-blocks 0-3 and 4-7) into S_j·s_j and the mins term
// −Σ M_j·s_j·sum_j (one multiply-subtract into V29); per 32 codes: nibbles,
// TBL through the level table, {'SDOT' if sdot else 'SMULL/SMLAL2/SADALP'} with the activations into one
// int32x4 per sub-block, an ADDP tree to the exact sub-block sums,
// converted and multiplied-added with S_j·s_j.
TEXT ·{name}(SB), NOSPLIT, $0-72
	MOVD w+0(FP), R0
	MOVD rb+8(FP), R1
	MOVD nr+16(FP), R2
	MOVD q+24(FP), R3
	MOVD s+32(FP), R4
	MOVD m+40(FP), R5
	MOVD nsb+48(FP), R6
	MOVD out+56(FP), R15
	MOVD lut+64(FP), R16
	MOVD $qshift<>(SB), R17''')
    V('movi v31.16b, #0x0f', 'movi v28.4s, #0x0f', 'movi v27.4s, #0x30',
      'ld1 {v24.4s, v25.4s, v26.4s}, [x17]')  # v24: -2j (j=0..3), v25: -2j (j=4..7), v26: -(12+2j) j=0..3 ; j=4..7 = v26 - 8
    w(f'''
{name}row:
	MOVD R0, R7
	MOVD R3, R8
	MOVD R4, R9
	MOVD R5, R10
	MOVD R6, R11''')
    V('movi v30.4s, #0', 'movi v29.4s, #0')
    w(f'{name}loop:')
    V('prfm pldl1keep, [x7, #1024]', 'prfm pldl1keep, [x7, #1088]', 'prfm pldl1keep, [x7, #1152]',
      'ldr w12, [x7]', 'ubfx w13, w12, #15, #1', 'lsr w14, w12, #30', 'and w14, w14, #2', 'orr w13, w13, w14',
      'add x13, x16, x13, lsl #4', 'ld1 {v23.16b}, [x13]',            # LUT
      'lsl w13, w12, #17', 'lsr w13, w13, #1', 'dup v22.4s, w13',     # d
      'lsr w13, w12, #16', 'lsl w13, w13, #17', 'lsr w13, w13, #1', 'dup v21.4s, w13',  # dmin
      'ldr d20, [x7, #4]', 'uxtl v20.8h, v20.8b', 'uxtl2 v19.4s, v20.8h', 'uxtl v20.4s, v20.4h',  # v20: bytes 4-7, v19: bytes 8-11
      'ldr w13, [x7, #12]', 'dup v18.4s, w13',                          # H
      'shl v17.4s, v18.4s, #4',
      # sc lo (j 0-3) -> v16, sc hi (j 4-7) -> v17
      'ushl v16.4s, v17.4s, v24.4s', 'ushl v17.4s, v17.4s, v25.4s', 'and v16.16b, v16.16b, v27.16b', 'and v17.16b, v17.16b, v27.16b',
      'and v12.16b, v20.16b, v28.16b', 'orr v16.16b, v16.16b, v12.16b', 'and v12.16b, v19.16b, v28.16b', 'orr v17.16b, v17.16b, v12.16b',
      # mc lo -> v20, mc hi -> v19
      'ushl v12.4s, v18.4s, v26.4s', 'and v12.16b, v12.16b, v27.16b', 'ushr v20.4s, v20.4s, #4', 'orr v20.16b, v20.16b, v12.16b',
      'movi v13.4s, #8', 'add v13.4s, v26.4s, v13.4s', 'mvn v13.16b, v13.16b',
      )
    # v13 = -(12+2j+8) for j=4..7: v26 holds -(12+2j) for j 0..3 -> need -(20+2j') -> v26 - 8. use sub
    out.pop(); pending.pop(); out.pop(); pending.pop(); out.pop(); pending.pop()
    V('movi v13.4s, #8', 'sub v13.4s, v26.4s, v13.4s',
      'ushl v12.4s, v18.4s, v13.4s', 'and v12.16b, v12.16b, v27.16b', 'ushr v19.4s, v19.4s, #4', 'orr v19.16b, v19.16b, v12.16b',
      # S = d*sc, SS = S*s
      'scvtf v16.4s, v16.4s', 'scvtf v17.4s, v17.4s', 'fmul v16.4s, v16.4s, v22.4s', 'fmul v17.4s, v17.4s, v22.4s',
      'ld1 {v12.4s, v13.4s}, [x9], #32', 'fmul v16.4s, v16.4s, v12.4s', 'fmul v17.4s, v17.4s, v13.4s',
      # M = dmin*mc ; ssum = s*sums ; v29 -= M*ssum
      'scvtf v20.4s, v20.4s', 'scvtf v19.4s, v19.4s', 'fmul v20.4s, v20.4s, v21.4s', 'fmul v19.4s, v19.4s, v21.4s',
      'ld1 {v21.4s, v22.4s}, [x10], #32', 'scvtf v21.4s, v21.4s', 'scvtf v22.4s, v22.4s',
      'fmul v21.4s, v21.4s, v12.4s', 'fmul v22.4s, v22.4s, v13.4s',
      'fmls v29.4s, v20.4s, v21.4s', 'fmls v29.4s, v19.4s, v22.4s')
    # codes
    for p in range(4):
        V(f'ldr q0, [x7, #{16+32*p}]' if (16+32*p) % 16 == 0 else f'ldur q0, [x7, #{16+32*p}]',
          f'ldr q1, [x7, #{32+32*p}]' if (32+32*p) % 16 == 0 else f'ldur q1, [x7, #{32+32*p}]',
          'ushr v2.16b, v0.16b, #4', 'ushr v3.16b, v1.16b, #4', 'and v0.16b, v0.16b, v31.16b', 'and v1.16b, v1.16b, v31.16b',
          'tbl v0.16b, {v23.16b}, v0.16b', 'tbl v1.16b, {v23.16b}, v1.16b', 'tbl v2.16b, {v23.16b}, v2.16b', 'tbl v3.16b, {v23.16b}, v3.16b',
          'ld1 {v8.16b, v9.16b, v10.16b, v11.16b}, [x8], #64')
        dot32(f'v{4+(2*p)%4}', 'v0', 'v1', 'v8', 'v9', sdot, True)
        dot32(f'v{4+(2*p+1)%4}', 'v2', 'v3', 'v10', 'v11', sdot, True, 'v12', 'v13')
        if p == 1:
            V('addp v4.4s, v4.4s, v5.4s', 'addp v6.4s, v6.4s, v7.4s', 'addp v18.4s, v4.4s, v6.4s')
    V('addp v4.4s, v4.4s, v5.4s', 'addp v6.4s, v6.4s, v7.4s', 'addp v19.4s, v4.4s, v6.4s',
      'scvtf v18.4s, v18.4s', 'scvtf v19.4s, v19.4s', 'fmla v30.4s, v18.4s, v16.4s', 'fmla v30.4s, v19.4s, v17.4s',
      'add x7, x7, #144')
    w(f'''	SUBS $1, R11, R11
	BNE  {name}loop''')
    V('fadd v30.4s, v30.4s, v29.4s', 'faddp v30.4s, v30.4s, v30.4s', 'faddp s30, v30.2s', 'str s30, [x15], #4')
    w(f'''	ADD  R1, R0, R0
	SUBS $1, R2, R2
	BNE  {name}row
	RET
''')

w('''// USHL shift counts (negative: right) of the Q4 sub-scale and min high
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
''')
gemv_q4('gemvQ4NEON', False)
gemv_q4('gemvQ4SDOT', True)


# ---------------------------------------------------------------- packing
w("""// func packQ8NEON(dst *byte, rows *[8]*byte, nb int)
//
// The panel layout of the arm64 micro-kernels, per 32-value block: for each
// 4-value step j, 16 bytes [row 0's 4 codes, …, row 3's] then the same for
// rows 4-7; then the 8 rows' scales (Q8: d; Q4: S_j, then −M_j) as float32.
// Q8 codes are flipped to signed; LD4 (single structure) loads transpose
// the rows.
TEXT ·packQ8NEON(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD nb+16(FP), R2""")
for i in range(8):
    w(f"	MOVD {8*i}(R1), R{8+i}")
    w(f"	ADD  $2, R{8+i}, R{8+i}")
V('movi v31.16b, #0x80')
w('p8nloop:')
for g in range(2):
    base = 0 if g == 0 else 16
    for r in range(4):
        x = 8 + 4 * g + r
        V(f'ld4 {{v{base}.s, v{base+1}.s, v{base+2}.s, v{base+3}.s}}[{r}], [x{x}], #16')
    for r in range(4):
        x = 8 + 4 * g + r
        V(f'ld4 {{v{base+4}.s, v{base+5}.s, v{base+6}.s, v{base+7}.s}}[{r}], [x{x}], #16')
for i in list(range(8)) + list(range(16, 24)):
    V(f'eor v{i}.16b, v{i}.16b, v31.16b')
for j in range(8):
    V(f'stp q{j}, q{16+j}, [x0, #{32*j}]')
for r in range(8):
    V(f'ldurh w3, [x{8+r}, #-34]', f'ins v{24 + r // 4}.h[{r % 4}], w3')
V('fcvtl v24.4s, v24.4h', 'fcvtl v25.4s, v25.4h', 'stp q24, q25, [x0, #256]', 'add x0, x0, #288')
for i in range(8):
    w(f"	ADD  $2, R{8+i}, R{8+i}")
w("""	SUBS $1, R2, R2
	BNE  p8nloop
	RET
""")

w("""// func packQ4NEON(dst *byte, rows *[8]*byte, nsb int, lut *byte, scratch *[2048]byte)
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
	MOVD scratch+32(FP), R4""")
for i in range(8):
    w(f"	MOVD {8*i}(R1), R{8+i}")
V('movi v31.16b, #0x0f', 'movi v28.4s, #0x0f', 'movi v27.4s, #0x30')
w('p4nloop:')
for g in range(2):
    for r in range(4):
        V(f'ldr q{r}, [x{8+4*g+r}]')
    V('trn1 v4.4s, v0.4s, v1.4s', 'trn2 v5.4s, v0.4s, v1.4s', 'trn1 v6.4s, v2.4s, v3.4s', 'trn2 v7.4s, v2.4s, v3.4s',
      'trn1 v0.2d, v4.2d, v6.2d', 'trn1 v1.2d, v5.2d, v7.2d', 'trn2 v2.2d, v4.2d, v6.2d', 'trn2 v3.2d, v5.2d, v7.2d',
      'shl v4.4s, v0.4s, #17', 'ushr v4.4s, v4.4s, #1',
      'ushr v5.4s, v0.4s, #16', 'shl v5.4s, v5.4s, #17', 'ushr v5.4s, v5.4s, #1', 'fneg v5.4s, v5.4s',
      'shl v6.4s, v3.4s, #4')
    for j in range(8):
        B = 'v1' if j < 4 else 'v2'
        sh = 8 * (j % 4)
        if sh:
            V(f'ushr v7.4s, {B}.4s, #{sh}', 'and v7.16b, v7.16b, v28.16b')
        else:
            V(f'and v7.16b, {B}.16b, v28.16b')
        if j:
            V(f'ushr v16.4s, v6.4s, #{2*j}', 'and v16.16b, v16.16b, v27.16b')
        else:
            V('and v16.16b, v6.16b, v27.16b')
        V('orr v7.16b, v7.16b, v16.16b', 'scvtf v7.4s, v7.4s', 'fmul v7.4s, v7.4s, v4.4s', f'str q7, [x0, #{320*j+256+16*g}]')
        V(f'ushr v7.4s, {B}.4s, #{sh+4}', 'and v7.16b, v7.16b, v28.16b',
          f'ushr v16.4s, v3.4s, #{12+2*j}', 'and v16.16b, v16.16b, v27.16b',
          'orr v7.16b, v7.16b, v16.16b', 'scvtf v7.4s, v7.4s', 'fmul v7.4s, v7.4s, v5.4s', f'str q7, [x0, #{320*j+288+16*g}]')
# levels into scratch
for r in range(8):
    x = 8 + r
    V(f'ldr w5, [x{x}]', 'ubfx w6, w5, #15, #1', 'lsr w7, w5, #30', 'and w7, w7, #2', 'orr w6, w6, w7',
      'add x6, x3, x6, lsl #4', 'ld1 {v30.16b}, [x6]')
    for p in range(4):
        V(f'ldr q0, [x{x}, #{16+32*p}]', f'ldr q1, [x{x}, #{32+32*p}]',
          'ushr v2.16b, v0.16b, #4', 'ushr v3.16b, v1.16b, #4', 'and v0.16b, v0.16b, v31.16b', 'and v1.16b, v1.16b, v31.16b',
          'tbl v0.16b, {v30.16b}, v0.16b', 'tbl v1.16b, {v30.16b}, v1.16b', 'tbl v2.16b, {v30.16b}, v2.16b', 'tbl v3.16b, {v30.16b}, v3.16b',
          f'stp q0, q1, [x4, #{64*p}]', f'stp q2, q3, [x4, #{64*p+32}]')
    V('add x4, x4, #256')
V('sub x4, x4, #2048')
# transpose from scratch: row r's sub-block j at x4 + 256r + 32j
for r in range(8):
    w(f"	ADD  ${256*r}, R4, R{[19,20,21,22,23,24,25,17][r]}")
SR = ['x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x17']
for j in range(8):
    for g in range(2):
        base = 0 if g == 0 else 16
        for r in range(4):
            V(f'ld4 {{v{base}.s, v{base+1}.s, v{base+2}.s, v{base+3}.s}}[{r}], [{SR[4*g+r]}], #16')
        for r in range(4):
            V(f'ld4 {{v{base+4}.s, v{base+5}.s, v{base+6}.s, v{base+7}.s}}[{r}], [{SR[4*g+r]}], #16')
    for q in range(8):
        V(f'stp q{q}, q{16+q}, [x0, #{32*q}]')
    V('add x0, x0, #320')
for i in range(8):
    w(f"	ADD  $144, R{8+i}, R{8+i}")
w("""	SUBS $1, R2, R2
	BNE  p4nloop
	RET
""")

# ---------------------------------------------------------------- tiles
Q4NOTE = " (Q4: plus −M_j times the token's scale·sum)"
def tile_sdot(name, q4):
    args = 'p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int' if q4 else \
           'p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int'
    frame = 64 if q4 else 56
    o = 8 if q4 else 0
    w(f"""// func {name}({args})
//
// 8 rows × 4 tokens: per 4-value step, two weight vectors (rows 0-3, 4-7)
// and SDOT by element with each token's 4 activation bytes (a 16-byte load
// of each token covers 4 steps); int32 accumulators v0-v7 (lanes = rows),
// zeroed per block; per block and token: convert, × d (Q4: S_j), × the
// token's scale into the float accumulators v8-v15{Q4NOTE if q4 else ''}.
TEXT ·{name}(SB), NOSPLIT, $0-{frame}
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2""")
    if q4:
        w("	MOVD ss+24(FP), R3")
    w(f"""	MOVD off+{24+o}(FP), R4
	MOVD out+{32+o}(FP), R5
	MOVD nb+{40+o}(FP), R6
	MOVD acc+{48+o}(FP), R7""")
    SS = ['x16', 'x17', 'x19', 'x20']
    for t in range(4):
        if t == 0:
            w("	MOVD R1, R8\n	MOVD R2, R12")
            if q4:
                w("	MOVD R3, R16")
        else:
            w(f"	MOVD {8*t}(R4), R21")
            w(f"	ADD  R21<<3, R1, R{8+t}")
            w(f"	ADD  R21, R2, R{12+t}")
            if q4:
                w(f"	ADD  R21, R3, {['R16','R17','R19','R20'][t]}")
    for i in range(8, 16):
        V(f'movi v{i}.4s, #0')
    w(f'{name}loop:')
    for i in range(8):
        V(f'movi v{i}.4s, #0')
    for half in range(2):
        for t in range(4):
            V(f'ld1 {{v{16+t}.16b}}, [x{8+t}], #16')
        for jj in range(4):
            w0, w1 = (20, 21) if jj % 2 == 0 else (22, 23)
            V(f'ld1 {{v{w0}.16b, v{w1}.16b}}, [x0], #32')
            for t in range(4):
                V(f'sdot v{2*t}.4s, v{w0}.16b, v{16+t}.4b[{jj}]', f'sdot v{2*t+1}.4s, v{w1}.16b, v{16+t}.4b[{jj}]')
    V('ld1 {v24.4s, v25.4s}, [x0], #32')
    if q4:
        V('ld1 {v26.4s, v27.4s}, [x0], #32')
    for t in range(4):
        V(f'ld1r {{v28.4s}}, [x{12+t}], #4',
          f'scvtf v29.4s, v{2*t}.4s', 'fmul v29.4s, v29.4s, v24.4s', f'fmla v{8+2*t}.4s, v29.4s, v28.4s',
          f'scvtf v30.4s, v{2*t+1}.4s', 'fmul v30.4s, v30.4s, v25.4s', f'fmla v{9+2*t}.4s, v30.4s, v28.4s')
        if q4:
            V(f'ld1r {{v31.4s}}, [{SS[t]}], #4', f'fmla v{8+2*t}.4s, v26.4s, v31.4s', f'fmla v{9+2*t}.4s, v27.4s, v31.4s')
    w(f"""	SUBS $1, R6, R6
	BNE  {name}loop""")
    tile_store(name, 4, 8)

def tile_store(name, T, fbase):
    for t in range(T):
        w(f"	MOVD {8*t}(R5), R21")
        w(f"	CBZ  R7, {name}set{t}")
        V(f'ldp q28, q29, [x21]', f'fadd v{fbase+2*t}.4s, v{fbase+2*t}.4s, v28.4s', f'fadd v{fbase+2*t+1}.4s, v{fbase+2*t+1}.4s, v29.4s')
        w(f"{name}set{t}:")
        V(f'stp q{fbase+2*t}, q{fbase+2*t+1}, [x21]')
    w("	RET\n")

def tile_neon(name, q4):
    args = 'p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int' if q4 else \
           'p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int'
    frame = 64 if q4 else 56
    o = 8 if q4 else 0
    w(f"""// func {name}({args})
//
// 8 rows × 2 tokens (only off[0..1] and out[0..1] are used): per pair of
// 4-value steps, four weight vectors and per token two LD1R broadcasts of
// 4 activation bytes; SMULL/SMULL2 then SMLAL/SMLAL2 (two products per
// int16 lane, at most 2·128·127) and SADDLP/SADALP into int32 accumulators
// holding two lanes per row, combined per block by ADDP; then as in the
// SDOT kernel.
TEXT ·{name}(SB), NOSPLIT, $0-{frame}
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2""")
    if q4:
        w("	MOVD ss+24(FP), R3")
    w(f"""	MOVD off+{24+o}(FP), R4
	MOVD out+{32+o}(FP), R5
	MOVD nb+{40+o}(FP), R6
	MOVD acc+{48+o}(FP), R7
	MOVD R1, R8
	MOVD R2, R12
	MOVD 8(R4), R21
	ADD  R21<<3, R1, R9
	ADD  R21, R2, R13""")
    if q4:
        w("	MOVD R3, R16\n	ADD  R21, R3, R17")
    for i in range(8, 12):
        V(f'movi v{i}.4s, #0')
    w(f'{name}loop:')
    for p in range(4):
        V('ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [x0], #64')
        for t in range(2):
            V(f'ld1r {{v{20+2*t}.4s}}, [x{8+t}], #4', f'ld1r {{v{21+2*t}.4s}}, [x{8+t}], #4')
        for t in range(2):
            for g in range(2):
                h0, h1 = (12, 13) if (2 * t + g) % 2 == 0 else (14, 15)
                a0, a1 = 4 * t + 2 * g, 4 * t + 2 * g + 1
                V(f'smull v{h0}.8h, v{16+g}.8b, v{20+2*t}.8b', f'smull2 v{h1}.8h, v{16+g}.16b, v{20+2*t}.16b',
                  f'smlal v{h0}.8h, v{18+g}.8b, v{21+2*t}.8b', f'smlal2 v{h1}.8h, v{18+g}.16b, v{21+2*t}.16b')
                op = 'saddlp' if p == 0 else 'sadalp'
                V(f'{op} v{a0}.4s, v{h0}.8h', f'{op} v{a1}.4s, v{h1}.8h')
    V('ld1 {v24.4s, v25.4s}, [x0], #32')
    if q4:
        V('ld1 {v26.4s, v27.4s}, [x0], #32')
    for t in range(2):
        V(f'ld1r {{v28.4s}}, [x{12+t}], #4')
        if q4:
            V(f'ld1r {{v31.4s}}, [x{16+t}], #4')
        for g in range(2):
            a0 = 4 * t + 2 * g
            tmp = 29 + g
            V(f'addp v{tmp}.4s, v{a0}.4s, v{a0+1}.4s', f'scvtf v{tmp}.4s, v{tmp}.4s', f'fmul v{tmp}.4s, v{tmp}.4s, v{24+g}.4s',
              f'fmla v{8+2*t+g}.4s, v{tmp}.4s, v28.4s')
            if q4:
                V(f'fmla v{8+2*t+g}.4s, v{26+g}.4s, v31.4s')
    w(f"""	SUBS $1, R6, R6
	BNE  {name}loop""")
    tile_store(name, 2, 8)

tile_sdot('tileQ8SDOT', False)
tile_sdot('tileQ4SDOT', True)
tile_neon('tileQ8NEON', False)
tile_neon('tileQ4NEON', True)

w("""// func ssumNEON(dst *float32, s *float32, m *int32, n int)
// dst[i] = s[i]·float32(m[i]) for i < n, n a positive multiple of 8.
TEXT ·ssumNEON(SB), NOSPLIT, $0-32
	MOVD dst+0(FP), R0
	MOVD s+8(FP), R1
	MOVD m+16(FP), R2
	MOVD n+24(FP), R3
ssnloop:""")
V('ld1 {v0.4s, v1.4s}, [x1], #32', 'ld1 {v2.4s, v3.4s}, [x2], #32', 'scvtf v2.4s, v2.4s', 'scvtf v3.4s, v3.4s',
  'fmul v0.4s, v0.4s, v2.4s', 'fmul v1.4s, v1.4s, v3.4s', 'st1 {v0.4s, v1.4s}, [x0], #32')
w("""	SUBS $8, R3, R3
	BNE  ssnloop
	RET
""")


# ---------------------------------------------------------------- i8mm (SMMLA)
w("""// func peakMM(n int) int64
// n iterations of 16 independent SMMLAs: 512 multiply-adds per iteration.
TEXT ·peakMM(SB), NOSPLIT, $0-16
	MOVD n+0(FP), R0
	LSL  $9, R0, R1
	MOVD R1, ret+8(FP)""")
V('movi v30.16b, #3', 'movi v31.16b, #5')
for i in range(16):
    V(f'movi v{i}.4s, #0')
w('pmloop:')
for i in range(16):
    V(f'smmla v{i}.4s, v30.16b, v31.16b')
w("""	SUBS $1, R0, R0
	BNE  pmloop
	RET
""")

w("""// func packQ8MM(dst *byte, rows *[8]*byte, nb int)
//
// The panel layout of the SMMLA kernels, per 32-value block: for each
// 8-value chunk c and row pair p, 16 bytes [row 2p's 8 codes, row 2p+1's]
// (the 2×8 matrix operand of SMMLA; Q8 codes flipped to signed), then the
// scales in the lane pattern of the 2×2 results, [d_2p, d_2p, d_2p+1,
// d_2p+1] for p = 0..3 (Q4: S_j, then −M_j).
TEXT ·packQ8MM(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD nb+16(FP), R2""")
for i in range(8):
    w(f"	MOVD {8*i}(R1), R{8+i}")
V('movi v31.16b, #0x80')
w('p8mloop:')
for p in range(4):
    a, b = 8 + 2 * p, 9 + 2 * p
    V(f'ldur q0, [x{a}, #2]', f'ldur q1, [x{a}, #18]', f'ldur q2, [x{b}, #2]', f'ldur q3, [x{b}, #18]',
      'zip1 v4.2d, v0.2d, v2.2d', 'zip2 v5.2d, v0.2d, v2.2d', 'zip1 v6.2d, v1.2d, v3.2d', 'zip2 v7.2d, v1.2d, v3.2d',
      'eor v4.16b, v4.16b, v31.16b', 'eor v5.16b, v5.16b, v31.16b', 'eor v6.16b, v6.16b, v31.16b', 'eor v7.16b, v7.16b, v31.16b')
    for c in range(4):
        V(f'str q{4+c}, [x0, #{(4*c+p)*16}]')
for r in range(8):
    V(f'ldrh w3, [x{8+r}]', f'ins v{24 + r // 4}.h[{r % 4}], w3')
V('fcvtl v24.4s, v24.4h', 'fcvtl v25.4s, v25.4h',
  'zip1 v26.4s, v24.4s, v24.4s', 'zip2 v27.4s, v24.4s, v24.4s', 'zip1 v28.4s, v25.4s, v25.4s', 'zip2 v29.4s, v25.4s, v25.4s',
  'stp q26, q27, [x0, #256]', 'stp q28, q29, [x0, #288]', 'add x0, x0, #320')
for i in range(8):
    w(f"	ADD  $34, R{8+i}, R{8+i}")
w("""	SUBS $1, R2, R2
	BNE  p8mloop
	RET
""")

w("""// func packQ4MM(dst *byte, rows *[8]*byte, nsb int, lut *byte, scratch *[2048]byte)
//
// packQ4NEON's header decoding and level tables, in the layout of packQ8MM
// (per sub-block: 256 bytes of levels, 64 of S_j, 64 of −M_j).
TEXT ·packQ4MM(SB), NOSPLIT, $0-40
	MOVD dst+0(FP), R0
	MOVD rows+8(FP), R1
	MOVD nsb+16(FP), R2
	MOVD lut+24(FP), R3
	MOVD scratch+32(FP), R4""")
for i in range(8):
    w(f"	MOVD {8*i}(R1), R{8+i}")
V('movi v31.16b, #0x0f', 'movi v28.4s, #0x0f', 'movi v27.4s, #0x30')
w('p4mloop:')
for g in range(2):
    for r in range(4):
        V(f'ldr q{r}, [x{8+4*g+r}]')
    V('trn1 v4.4s, v0.4s, v1.4s', 'trn2 v5.4s, v0.4s, v1.4s', 'trn1 v6.4s, v2.4s, v3.4s', 'trn2 v7.4s, v2.4s, v3.4s',
      'trn1 v0.2d, v4.2d, v6.2d', 'trn1 v1.2d, v5.2d, v7.2d', 'trn2 v2.2d, v4.2d, v6.2d', 'trn2 v3.2d, v5.2d, v7.2d',
      'shl v4.4s, v0.4s, #17', 'ushr v4.4s, v4.4s, #1',
      'ushr v5.4s, v0.4s, #16', 'shl v5.4s, v5.4s, #17', 'ushr v5.4s, v5.4s, #1', 'fneg v5.4s, v5.4s',
      'shl v6.4s, v3.4s, #4')
    for j in range(8):
        B = 'v1' if j < 4 else 'v2'
        sh = 8 * (j % 4)
        if sh:
            V(f'ushr v7.4s, {B}.4s, #{sh}', 'and v7.16b, v7.16b, v28.16b')
        else:
            V(f'and v7.16b, {B}.16b, v28.16b')
        if j:
            V(f'ushr v16.4s, v6.4s, #{2*j}', 'and v16.16b, v16.16b, v27.16b')
        else:
            V('and v16.16b, v6.16b, v27.16b')
        V('orr v7.16b, v7.16b, v16.16b', 'scvtf v7.4s, v7.4s', 'fmul v7.4s, v7.4s, v4.4s',
          'zip1 v17.4s, v7.4s, v7.4s', 'zip2 v18.4s, v7.4s, v7.4s', f'str q17, [x0, #{384*j+256+32*g}]', f'str q18, [x0, #{384*j+272+32*g}]')
        V(f'ushr v7.4s, {B}.4s, #{sh+4}', 'and v7.16b, v7.16b, v28.16b',
          f'ushr v16.4s, v3.4s, #{12+2*j}', 'and v16.16b, v16.16b, v27.16b',
          'orr v7.16b, v7.16b, v16.16b', 'scvtf v7.4s, v7.4s', 'fmul v7.4s, v7.4s, v5.4s',
          'zip1 v17.4s, v7.4s, v7.4s', 'zip2 v18.4s, v7.4s, v7.4s', f'str q17, [x0, #{384*j+320+32*g}]', f'str q18, [x0, #{384*j+336+32*g}]')
for r in range(8):
    x = 8 + r
    V(f'ldr w5, [x{x}]', 'ubfx w6, w5, #15, #1', 'lsr w7, w5, #30', 'and w7, w7, #2', 'orr w6, w6, w7',
      'add x6, x3, x6, lsl #4', 'ld1 {v30.16b}, [x6]')
    for p in range(4):
        V(f'ldr q0, [x{x}, #{16+32*p}]', f'ldr q1, [x{x}, #{32+32*p}]',
          'ushr v2.16b, v0.16b, #4', 'ushr v3.16b, v1.16b, #4', 'and v0.16b, v0.16b, v31.16b', 'and v1.16b, v1.16b, v31.16b',
          'tbl v0.16b, {v30.16b}, v0.16b', 'tbl v1.16b, {v30.16b}, v1.16b', 'tbl v2.16b, {v30.16b}, v2.16b', 'tbl v3.16b, {v30.16b}, v3.16b',
          f'stp q0, q1, [x4, #{64*p}]', f'stp q2, q3, [x4, #{64*p+32}]')
    V('add x4, x4, #256')
V('sub x4, x4, #2048')
# from scratch: row r's sub-block j at x4 + 256r + 32j
w("	MOVD R4, R19")
for j in range(8):
    for p in range(4):
        V(f'ldr q0, [x19, #{512*p+32*j}]', f'ldr q1, [x19, #{512*p+32*j+16}]',
          f'ldr q2, [x19, #{512*p+256+32*j}]', f'ldr q3, [x19, #{512*p+256+32*j+16}]',
          'zip1 v4.2d, v0.2d, v2.2d', 'zip2 v5.2d, v0.2d, v2.2d', 'zip1 v6.2d, v1.2d, v3.2d', 'zip2 v7.2d, v1.2d, v3.2d')
        for c in range(4):
            V(f'str q{4+c}, [x0, #{(4*c+p)*16}]')
    V('add x0, x0, #384')
for i in range(8):
    w(f"	ADD  $144, R{8+i}, R{8+i}")
w("""	SUBS $1, R2, R2
	BNE  p4mloop
	RET
""")

def tile_mm(name, q4):
    args = 'p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int' if q4 else \
           'p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int'
    frame = 64 if q4 else 56
    o = 8 if q4 else 0
    w(f"""// func {name}({args})
//
// 8 rows × 4 tokens with SMMLA: per 8-value chunk, 4 weight vectors (row
// pairs) times 2 activation vectors (token pairs, interleaved per block by
// ZIP1/ZIP2 of the tokens' 32 bytes) into 8 int32 accumulators holding 2×2
// (rows × tokens) block sums; per block: convert, × the rows' scale pattern,
// × the token pair's [s, s', s, s'] into 8 float accumulators{' (Q4: plus the mins)' if q4 else ''};
// UZP1/UZP2 turn them back into 8 rows per token at the end.
TEXT ·{name}(SB), NOSPLIT, $0-{frame}
	MOVD p+0(FP), R0
	MOVD q+8(FP), R1
	MOVD s+16(FP), R2""")
    if q4:
        w("	MOVD ss+24(FP), R3")
    w(f"""	MOVD off+{24+o}(FP), R4
	MOVD out+{32+o}(FP), R5
	MOVD nb+{40+o}(FP), R6
	MOVD acc+{48+o}(FP), R7""")
    SSR = ['x16', 'x17', 'x19', 'x20']
    for t in range(4):
        if t == 0:
            w("	MOVD R1, R8\n	MOVD R2, R12")
            if q4:
                w("	MOVD R3, R16")
        else:
            w(f"	MOVD {8*t}(R4), R21")
            w(f"	ADD  R21<<3, R1, R{8+t}")
            w(f"	ADD  R21, R2, R{12+t}")
            if q4:
                w(f"	ADD  R21, R3, {['R16','R17','R19','R20'][t]}")
    for i in range(8, 16):
        V(f'movi v{i}.4s, #0')
    w(f'{name}loop:')
    for i in range(8):
        V(f'movi v{i}.4s, #0')
    for P in range(2):
        V(f'ld1 {{v24.16b, v25.16b}}, [x{8+2*P}], #32', f'ld1 {{v26.16b, v27.16b}}, [x{9+2*P}], #32',
          f'zip1 v{16+4*P}.2d, v24.2d, v26.2d', f'zip2 v{17+4*P}.2d, v24.2d, v26.2d',
          f'zip1 v{18+4*P}.2d, v25.2d, v27.2d', f'zip2 v{19+4*P}.2d, v25.2d, v27.2d')
    for c in range(4):
        for p in range(4):
            wr = 28 + (p % 4)
            V(f'ld1 {{v{wr}.16b}}, [x0], #16')
            for P in range(2):
                V(f'smmla v{2*p+P}.4s, v{wr}.16b, v{16+4*P+c}.16b')
    V('ld1 {v16.4s, v17.4s, v18.4s, v19.4s}, [x0], #64')
    if q4:
        V('ld1 {v24.4s, v25.4s, v26.4s, v27.4s}, [x0], #64')
    for P in range(2):
        V(f'ld1 {{v{20+P}.s}}[0], [x{12+2*P}], #4', f'ld1 {{v{20+P}.s}}[1], [x{13+2*P}], #4', f'dup v{20+P}.2d, v{20+P}.d[0]')
        if q4:
            V(f'ld1 {{v{22+P}.s}}[0], [{SSR[2*P]}], #4', f'ld1 {{v{22+P}.s}}[1], [{SSR[2*P+1]}], #4', f'dup v{22+P}.2d, v{22+P}.d[0]')
    for p in range(4):
        for P in range(2):
            a = 2 * p + P
            V(f'scvtf v28.4s, v{a}.4s', f'fmul v28.4s, v28.4s, v{16+p}.4s', f'fmla v{8+a}.4s, v28.4s, v{20+P}.4s')
            if q4:
                V(f'fmla v{8+a}.4s, v{24+p}.4s, v{22+P}.4s')
    w(f"""	SUBS $1, R6, R6
	BNE  {name}loop""")
    # F[p][P] = v(8 + 2p + P): lanes (r2p,t2P), (r2p,t2P+1), (r2p+1,t2P), (r2p+1,t2P+1)
    for P in range(2):
        # token 2P: rows 0-3 = uzp1(F[0][P], F[1][P]); rows 4-7 = uzp1(F[2][P], F[3][P])
        V(f'uzp1 v{16+4*P}.4s, v{8+P}.4s, v{10+P}.4s', f'uzp1 v{17+4*P}.4s, v{12+P}.4s, v{14+P}.4s',
          f'uzp2 v{18+4*P}.4s, v{8+P}.4s, v{10+P}.4s', f'uzp2 v{19+4*P}.4s, v{12+P}.4s, v{14+P}.4s')
    # token t rows: t0 -> v16,v17 ; t1 -> v18,v19 ; t2 -> v20,v21 ; t3 -> v22,v23
    for t in range(4):
        w(f"	MOVD {8*t}(R5), R21")
        w(f"	CBZ  R7, {name}set{t}")
        V('ldp q28, q29, [x21]', f'fadd v{16+2*t}.4s, v{16+2*t}.4s, v28.4s', f'fadd v{17+2*t}.4s, v{17+2*t}.4s, v29.4s')
        w(f"{name}set{t}:")
        V(f'stp q{16+2*t}, q{17+2*t}, [x21]')
    w("	RET\n")

tile_mm('tileQ8MM', False)
tile_mm('tileQ4MM', True)

encode_all()
# The output: simd/qgemm_arm64.s, or the path given as the first argument (the regeneration
# test writes to a temporary file and compares).
dst = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'simd', 'qgemm_arm64.s')
with open(dst, 'w') as f:
    f.write('\n'.join(['// Code generated by scripts/simdgen/gen_qgemm_arm64.py; DO NOT EDIT.', ''] + out) + '\n')
