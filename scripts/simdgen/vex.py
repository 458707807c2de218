"""VEX encodings the Go assembler lacks, shared by the amd64 generators.

Go's assembler has no VEX form of VPDPBUSD (AVX-VNNI); vex_vpdpbusd writes
its bytes. simd/qgemm_vnni_test.go checks every hand-encoded instruction of
the generated files: TestVNNIEncodings decodes them, TestVNNIEncodingsLLVM
has llvm-mc disassemble them.
"""

GPR = {'AX': 0, 'CX': 1, 'DX': 2, 'BX': 3, 'SP': 4, 'BP': 5, 'SI': 6, 'DI': 7,
       'R8': 8, 'R9': 9, 'R10': 10, 'R11': 11, 'R12': 12, 'R13': 13, 'R14': 14, 'R15': 15}


def vex_vpdpbusd(src3, src2, dst):
    """VEX.256.66.0F38.W0 50 /r: dst += src2 (unsigned bytes) · src3 (signed
    bytes), in Go operand order. src3 is 'Yn' or 'disp(REG)'."""
    d, s2 = int(dst[1:]), int(src2[1:])
    assert dst[0] == 'Y' and src2[0] == 'Y' and d < 16 and s2 < 16
    if src3[0] == 'Y':
        b = int(src3[1:])
        modrm = [0xc0 | (d & 7) << 3 | (b & 7)]
    else:
        disp, reg = src3[:-1].split('(')
        disp = int(disp or '0')
        b = GPR[reg]
        mod = 0 if disp == 0 and b & 7 != 5 else (1 if -128 <= disp < 128 else 2)
        modrm = [mod << 6 | (d & 7) << 3 | (b & 7)]
        if b & 7 == 4:
            modrm.append(0x24)  # SIB: base only
        if mod == 1:
            modrm.append(disp & 0xff)
        elif mod == 2:
            modrm += list((disp & 0xffffffff).to_bytes(4, 'little'))
    byte1 = (0 if d & 8 else 0x80) | 0x40 | (0 if b & 8 else 0x20) | 0x02
    byte2 = (~s2 & 15) << 3 | 0x04 | 0x01
    enc = [0xc4, byte1, byte2, 0x50] + modrm
    return '\t' + '; '.join(f'BYTE ${x:#04x}' for x in enc) + f' // VPDPBUSD {src3}, {src2}, {dst}'


# AMX (Intel Advanced Matrix Extensions): Go's assembler has none of these
# instructions. Each function returns one assembly line of BYTEs whose
# comment is the instruction as llvm-mc disassembles it (AT&T syntax);
# simd/qpanels_amx_amd64_test.go has llvm-mc decode every such line.
ATT = {'AX': 'rax', 'CX': 'rcx', 'DX': 'rdx', 'BX': 'rbx', 'SP': 'rsp', 'BP': 'rbp', 'SI': 'rsi', 'DI': 'rdi',
       'R8': 'r8', 'R9': 'r9', 'R10': 'r10', 'R11': 'r11', 'R12': 'r12', 'R13': 'r13', 'R14': 'r14', 'R15': 'r15'}


def _line(enc, text):
    return '\t' + '; '.join(f'BYTE ${x:#04x}' for x in enc) + f' // {text}'


def _vex3(r, x, b, pp, vvvv=0):
    """The two payload bytes of a 3-byte VEX prefix, map 0F38, W0, L0."""
    byte1 = (0 if r & 8 else 0x80) | (0 if x & 8 else 0x40) | (0 if b & 8 else 0x20) | 0x02
    byte2 = (~vvvv & 15) << 3 | pp
    return [0xc4, byte1, byte2]


def _sibmem(reg, disp, base, index):
    """ModRM, SIB and displacement of disp(base)(index*1) with ModRM.reg = reg."""
    bb, ii = GPR[base], GPR[index]
    assert ii != 4, 'SP cannot be an index'
    mod = 0 if disp == 0 and bb & 7 != 5 else (1 if -128 <= disp < 128 else 2)
    enc = [mod << 6 | (reg & 7) << 3 | 4, (ii & 7) << 3 | (bb & 7)]
    if mod == 1:
        enc.append(disp & 0xff)
    elif mod == 2:
        enc += list((disp & 0xffffffff).to_bytes(4, 'little'))
    return enc, bb, ii


def _att_mem(disp, base, index):
    return f'{disp if disp else ""}(%{ATT[base]},%{ATT[index]})'


def amx_ldtilecfg(base):
    """LDTILECFG (base): VEX.128.NP.0F38.W0 49 /0."""
    b = GPR[base]
    assert b & 7 not in (4, 5)
    return _line(_vex3(0, 0, b, 0) + [0x49, b & 7], f'ldtilecfg (%{ATT[base]})')


def amx_tilerelease():
    return _line([0xc4, 0xe2, 0x78, 0x49, 0xc0], 'tilerelease')


def amx_tilezero(t):
    """TILEZERO tmm: VEX.128.F2.0F38.W0 49 11:rrr:000."""
    return _line(_vex3(0, 0, 0, 3) + [0x49, 0xc0 | t << 3], f'tilezero %tmm{t}')


def amx_tileloadd(t, disp, base, index):
    """TILELOADD tmm, [base + index·1 + disp]: VEX.128.F2.0F38.W0 4B."""
    m, bb, ii = _sibmem(t, disp, base, index)
    return _line(_vex3(0, ii, bb, 3) + [0x4b] + m, f'tileloadd {_att_mem(disp, base, index)}, %tmm{t}')


def amx_tilestored(t, disp, base, index):
    """TILESTORED [base + index·1 + disp], tmm: VEX.128.F3.0F38.W0 4B."""
    m, bb, ii = _sibmem(t, disp, base, index)
    return _line(_vex3(0, ii, bb, 2) + [0x4b] + m, f'tilestored %tmm{t}, {_att_mem(disp, base, index)}')


def amx_tdpbsud(dst, a, b):
    """TDPBSUD dst, a, b: dst (int32 rows × cols) += a (signed bytes, rows × K)
    · b (unsigned bytes, K/4 rows of cols × 4): VEX.128.F3.0F38.W0 5E."""
    return _line(_vex3(0, 0, 0, 2, b) + [0x5e, 0xc0 | dst << 3 | a], f'tdpbsud %tmm{b}, %tmm{a}, %tmm{dst}')


def amx_tdpbssd(dst, a, b):
    """TDPBSSD: both operands signed bytes: VEX.128.F2.0F38.W0 5E."""
    return _line(_vex3(0, 0, 0, 3, b) + [0x5e, 0xc0 | dst << 3 | a], f'tdpbssd %tmm{b}, %tmm{a}, %tmm{dst}')


def amx_tdpbf16ps(dst, a, b):
    """TDPBF16PS dst, a, b: dst (float32 rows × cols) += a (bf16 pairs, rows
    × K) · b (K/2 rows of cols × 2 bf16): VEX.128.F3.0F38.W0 5C."""
    return _line(_vex3(0, 0, 0, 2, b) + [0x5c, 0xc0 | dst << 3 | a], f'tdpbf16ps %tmm{b}, %tmm{a}, %tmm{dst}')
