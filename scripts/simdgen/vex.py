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
