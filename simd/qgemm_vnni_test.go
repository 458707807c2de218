package simd

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The Go assembler has no VEX form of VPDPBUSD (AVX-VNNI), so
// qgemm_vnni_amd64.s carries it as BYTEs, each line commented with the
// instruction meant. These tests decode every such line and check that the
// bytes are that instruction, cross-check the decoder with llvm-mc where it
// is installed, and check that the committed assembly is what the generator
// writes.

var reByteLine = regexp.MustCompile(`^\s*((?:BYTE \$0x[0-9a-f]{2}(?:; )?)+)\s*// (.*)$`)

// hexBytes parses "BYTE $0xc4; BYTE $0xe2; …".
func hexBytes(s string) []byte {
	var b []byte
	for _, f := range strings.Split(s, ";") {
		f = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(f), "BYTE $0x"))
		if f == "" {
			continue
		}
		v, err := strconv.ParseUint(f, 16, 8)
		if err != nil {
			panic(err)
		}
		b = append(b, byte(v))
	}
	return b
}

var gpr64 = []string{"AX", "CX", "DX", "BX", "SP", "BP", "SI", "DI", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"}

// decodeVEXDPBUSD decodes a VEX-encoded VPDPBUSD ymm (3-byte VEX, register
// or base+displacement memory operand) into Go syntax, or fails.
func decodeVEXDPBUSD(b []byte) (string, error) {
	if len(b) < 5 || b[0] != 0xc4 {
		return "", fmt.Errorf("not a 3-byte VEX prefix: % x", b)
	}
	r, x, bb, mmmmm := b[1]>>7&1^1, b[1]>>6&1^1, b[1]>>5&1^1, b[1]&31
	wbit, vvvv, l, pp := b[2]>>7, b[2]>>3&15^15, b[2]>>2&1, b[2]&3
	if mmmmm != 2 || pp != 1 || wbit != 0 || l != 1 || x != 0 {
		return "", fmt.Errorf("not VEX.256.66.0F38.W0 (map %d pp %d W %d L %d X %d)", mmmmm, pp, wbit, l, x)
	}
	if b[3] != 0x50 {
		return "", fmt.Errorf("opcode %#x, want 0x50 (VPDPBUSD)", b[3])
	}
	modrm := b[4]
	mod, reg, rm := modrm>>6, modrm>>3&7|r<<3, modrm&7|bb<<3
	rest := b[5:]
	var src string
	switch mod {
	case 3:
		src = fmt.Sprintf("Y%d", rm)
	default:
		if rm&7 == 4 {
			if len(rest) < 1 || rest[0] != 0x24 {
				return "", fmt.Errorf("SIB % x: only a plain base register is expected", rest)
			}
			rest = rest[1:]
		}
		if mod == 0 && rm&7 == 5 {
			return "", fmt.Errorf("RIP-relative operand not expected")
		}
		disp := 0
		switch mod {
		case 1:
			if len(rest) < 1 {
				return "", fmt.Errorf("missing disp8")
			}
			disp, rest = int(int8(rest[0])), rest[1:]
		case 2:
			if len(rest) < 4 {
				return "", fmt.Errorf("missing disp32")
			}
			disp, rest = int(int32(uint32(rest[0])|uint32(rest[1])<<8|uint32(rest[2])<<16|uint32(rest[3])<<24)), rest[4:]
		}
		src = fmt.Sprintf("%d(%s)", disp, gpr64[rm])
	}
	if len(rest) != 0 {
		return "", fmt.Errorf("%d trailing bytes", len(rest))
	}
	return fmt.Sprintf("VPDPBUSD %s, Y%d, Y%d", src, vvvv, reg), nil
}

type encodedLine struct {
	line    int
	bytes   []byte
	comment string
}

func vnniEncodedLines(t *testing.T) []encodedLine {
	t.Helper()
	var l []encodedLine
	for _, file := range []string{"qgemm_vnni_amd64.s", "qgemv_rows_amd64.s", "qpanels_amd64.s"} {
		l = append(l, vnniEncodedLinesOf(t, file)...)
	}
	return l
}

func vnniEncodedLinesOf(t *testing.T, file string) []encodedLine {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var l []encodedLine
	for i, line := range strings.Split(string(src), "\n") {
		if !strings.Contains(line, "BYTE $") {
			continue
		}
		m := reByteLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %d: BYTEs without a comment naming the instruction: %q", i+1, line)
		}
		l = append(l, encodedLine{i + 1, hexBytes(m[1]), strings.TrimSpace(m[2])})
	}
	return l
}

// normalize makes "0(BX)" and "(BX)" the same.
func normalizeOperand(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, " 0(", " ("), ",0(", ",(")
}

func TestVNNIEncodings(t *testing.T) {
	lines := vnniEncodedLines(t)
	if len(lines) < 40 {
		t.Fatalf("only %d hand-encoded lines found", len(lines))
	}
	for _, e := range lines {
		got, err := decodeVEXDPBUSD(e.bytes)
		if err != nil {
			t.Errorf("line %d (% x, meant %q): %v", e.line, e.bytes, e.comment, err)
			continue
		}
		if normalizeOperand(got) != normalizeOperand(e.comment) {
			t.Errorf("line %d: bytes % x are %q, the comment says %q", e.line, e.bytes, got, e.comment)
		}
	}
	t.Logf("%d hand-encoded VPDPBUSD instructions decoded and match their comments", len(lines))
	// The decoder notices a wrong bit in each field.
	good := []byte{0xc4, 0xe2, 0x6d, 0x50, 0xcb} // VPDPBUSD Y3, Y2, Y1
	if s, err := decodeVEXDPBUSD(good); err != nil || s != "VPDPBUSD Y3, Y2, Y1" {
		t.Fatalf("decoder: %q, %v", s, err)
	}
	for i := 1; i < len(good); i++ {
		for bit := 0; bit < 8; bit++ {
			bad := bytes.Clone(good)
			bad[i] ^= 1 << bit
			if s, err := decodeVEXDPBUSD(bad); err == nil && s == "VPDPBUSD Y3, Y2, Y1" {
				t.Errorf("flipping bit %d of byte %d still decodes as %q", bit, i, s)
			}
		}
	}
}

// TestVNNIEncodingsLLVM disassembles every hand-encoded instruction with
// llvm-mc (Debian package llvm) and compares it with the comment.
func TestVNNIEncodingsLLVM(t *testing.T) {
	mc, err := exec.LookPath("llvm-mc")
	if err != nil {
		t.Skip("SKIP llvm-mc cross-check: llvm-mc not installed (apt-get install llvm); the built-in decoder still checked every encoding")
	}
	lines := vnniEncodedLines(t)
	var in strings.Builder
	for _, e := range lines {
		for _, b := range e.bytes {
			fmt.Fprintf(&in, "0x%02x ", b)
		}
		in.WriteString("\n")
	}
	cmd := exec.Command(mc, "--disassemble", "-triple=x86_64", "-mattr=+avxvnni")
	cmd.Stdin = strings.NewReader(in.String())
	outb, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("llvm-mc: %v\n%s", err, outb)
	}
	var dis []string
	for _, l := range strings.Split(string(outb), "\n") {
		l = strings.TrimSpace(l)
		if strings.Contains(l, "vpdpbusd") {
			dis = append(dis, l)
		} else if l != "" && !strings.HasPrefix(l, ".") {
			t.Errorf("llvm-mc: %q", l)
		}
	}
	if len(dis) != len(lines) {
		t.Fatalf("llvm-mc decoded %d of %d instructions:\n%s", len(dis), len(lines), outb)
	}
	reg := regexp.MustCompile(`%ymm(\d+)`)
	mem := regexp.MustCompile(`(-?\d*)\(%(r\w+)\)`)
	att := map[string]string{"rax": "AX", "rcx": "CX", "rdx": "DX", "rbx": "BX", "rsp": "SP", "rbp": "BP", "rsi": "SI", "rdi": "DI"}
	for i, d := range dis {
		// AT&T: vpdpbusd src3, src2, dst — the Go operand order.
		ops := strings.Split(strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(d, "{vex}"), "\t")), "\t")
		s := strings.TrimSpace(ops[len(ops)-1])
		s = reg.ReplaceAllString(s, "Y$1")
		s = mem.ReplaceAllStringFunc(s, func(m string) string {
			p := mem.FindStringSubmatch(m)
			r, ok := att[p[2]]
			if !ok {
				r = strings.ToUpper(strings.TrimSuffix(p[2], "d"))
			}
			disp := p[1]
			if disp == "" {
				disp = "0"
			}
			return disp + "(" + r + ")"
		})
		got := "VPDPBUSD " + strings.ReplaceAll(s, ",", ", ")
		got = strings.ReplaceAll(got, ",  ", ", ")
		if normalizeOperand(got) != normalizeOperand(lines[i].comment) {
			t.Errorf("line %d: llvm-mc reads % x as %q (%q), the comment says %q", lines[i].line, lines[i].bytes, d, got, lines[i].comment)
		}
	}
	t.Logf("llvm-mc agrees on all %d hand-encoded instructions", len(lines))
}

// TestVNNIGenerated checks that the assembly written by this package's
// Go-side generators (qgemm_vnni_amd64.s, gemm512_amd64.s) is what they
// write now.
func TestVNNIGenerated(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("SKIP generator check: python3 not found")
	}
	for _, g := range []struct{ gen, file string }{
		{"gen_qgemm_vnni_amd64.py", "qgemm_vnni_amd64.s"},
		{"gen_gemm512_amd64.py", "gemm512_amd64.s"},
	} {
		dst := filepath.Join(t.TempDir(), "out.s")
		if b, err := exec.Command(py, "../scripts/simdgen/"+g.gen, dst).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", g.gen, err, b)
		}
		want, err := os.ReadFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(g.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what scripts/simdgen/%s writes: run go generate ./simd/", g.file, g.gen)
		}
		if !bytes.HasPrefix(got, []byte("// Code generated by scripts/simdgen/"+g.gen+"; DO NOT EDIT.")) {
			t.Errorf("%s lacks the generated-code header", g.file)
		}
	}
}
