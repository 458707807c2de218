// Package vqvae reads PaliGemma's VQ-VAE mask checkpoint (vae-oid.npz) and decodes 16
// <segNNN> codes into a 64x64 mask logit map, as big_vision's segmentation evaluator
// does: the npz holds the decoder's float32 convolution weights and biases and the
// 128×512 codebook (_vq_vae._embedding); a mask is the decoder applied to the codes'
// embeddings laid out as a 4×4 grid.
package vqvae

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Tensor is one float32 array of an .npz archive, C (row-major) order.
type Tensor struct {
	Shape []int
	Data  []float32
}

// Limits that keep a hostile or corrupt archive from making us allocate without bound.
// The largest tensor of vae-oid.npz is 128x512 floats (256 KiB) and the whole file is
// ~5.6 MB, so 1 GiB per member and a 64 KiB header leave a wide margin.
const (
	maxMemberBytes = 1 << 30
	maxHeaderBytes = 1 << 16
	maxDims        = 32
)

// ReadNPZFile opens path and reads every .npy member of it (see ReadNPZ).
func ReadNPZFile(path string) (map[string]Tensor, error) {
	return readNPZFile(path, nil)
}

func readNPZFile(path string, keep func(string) bool) (map[string]Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	m, err := ReadNPZFiltered(f, st.Size(), keep)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// ReadNPZ reads a NumPy .npz archive (a ZIP of <name>.npy members, STORE or DEFLATE,
// as numpy.savez / savez_compressed write it) and returns its arrays keyed by <name>.
// Only little-endian float32 ('<f4') in C order is supported; any other dtype, a
// Fortran-ordered array or a malformed member is an error that names the member.
// Members whose name does not end in ".npy" are ignored.
func ReadNPZ(r io.ReaderAt, size int64) (map[string]Tensor, error) {
	return ReadNPZFiltered(r, size, nil)
}

// ReadNPZFiltered is ReadNPZ that parses only the members whose tensor name (member name
// without ".npy") keep accepts; nil keeps all. Skipped members are neither decompressed
// nor validated, so a checkpoint may carry tensors of other dtypes that we do not use.
func ReadNPZFiltered(r io.ReaderAt, size int64, keep func(name string) bool) (map[string]Tensor, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npz: not a zip archive: %w", err)
	}
	out := make(map[string]Tensor)
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".npy") || strings.HasSuffix(f.Name, "/") {
			continue
		}
		name := strings.TrimSuffix(f.Name, ".npy")
		if keep != nil && !keep(name) {
			continue
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("npz: member %q appears twice", f.Name)
		}
		t, err := readMember(f)
		if err != nil {
			return nil, fmt.Errorf("npz: member %q: %w", f.Name, err)
		}
		out[name] = t
	}
	return out, nil
}

func readMember(f *zip.File) (Tensor, error) {
	if f.Method != zip.Store && f.Method != zip.Deflate {
		return Tensor{}, fmt.Errorf("unsupported zip method %d (want STORE or DEFLATE)", f.Method)
	}
	if f.UncompressedSize64 > maxMemberBytes {
		return Tensor{}, fmt.Errorf("uncompressed size %d exceeds the %d-byte limit", f.UncompressedSize64, maxMemberBytes)
	}
	rc, err := f.Open()
	if err != nil {
		return Tensor{}, err
	}
	defer rc.Close()
	// Never read more than the declared size (+1 to notice a lie): archive/zip checks the
	// size and CRC only when the stream hits EOF.
	lr := io.LimitReader(rc, int64(f.UncompressedSize64)+1)
	return readNPY(lr, int64(f.UncompressedSize64))
}

// readNPY parses one .npy stream of declared total size `total` bytes.
func readNPY(r io.Reader, total int64) (Tensor, error) {
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return Tensor{}, fmt.Errorf("short .npy preamble: %w", err)
	}
	if !bytes.Equal(pre[:6], []byte("\x93NUMPY")) {
		return Tensor{}, errors.New("bad .npy magic (want \\x93NUMPY)")
	}
	major := pre[6]
	var hlen int64
	var pos int64
	switch major {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return Tensor{}, fmt.Errorf("short .npy header length: %w", err)
		}
		hlen, pos = int64(binary.LittleEndian.Uint16(b[:])), 10
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return Tensor{}, fmt.Errorf("short .npy header length: %w", err)
		}
		hlen, pos = int64(binary.LittleEndian.Uint32(b[:])), 12
	default:
		return Tensor{}, fmt.Errorf("unsupported .npy version %d.%d", major, pre[7])
	}
	if hlen > maxHeaderBytes || pos+hlen > total {
		return Tensor{}, fmt.Errorf(".npy header length %d does not fit (member size %d)", hlen, total)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return Tensor{}, fmt.Errorf("short .npy header: %w", err)
	}
	descr, fortran, shape, err := parseHeader(string(hdr))
	if err != nil {
		return Tensor{}, err
	}
	if descr != "<f4" {
		return Tensor{}, fmt.Errorf("dtype %q not supported (only '<f4', little-endian float32)", descr)
	}
	if fortran {
		return Tensor{}, errors.New("fortran_order True not supported (only C order)")
	}
	n := int64(1)
	for _, d := range shape {
		if d < 0 {
			return Tensor{}, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d != 0 && n > maxMemberBytes/4/int64(d) {
			return Tensor{}, fmt.Errorf("shape %v is too large", shape)
		}
		n *= int64(d)
	}
	if want := pos + hlen + 4*n; want != total {
		return Tensor{}, fmt.Errorf("shape %v needs %d data bytes but the member holds %d", shape, 4*n, total-pos-hlen)
	}
	// ReadAll grows its buffer as data arrives, so a member that declares a large size
	// but holds little costs only what it holds.
	raw, err := io.ReadAll(io.LimitReader(r, 4*n))
	if err != nil {
		return Tensor{}, fmt.Errorf("reading data for shape %v: %w", shape, err)
	}
	if int64(len(raw)) != 4*n {
		return Tensor{}, fmt.Errorf("short data for shape %v: %d of %d bytes", shape, len(raw), 4*n)
	}
	// Reading to the end makes archive/zip verify the declared size and the CRC-32; the
	// LimitReader above lets at most one surplus byte through.
	rest, err := io.ReadAll(r)
	if err != nil {
		return Tensor{}, err
	}
	if len(rest) != 0 {
		return Tensor{}, errors.New("trailing bytes after the data")
	}
	data := make([]float32, n)
	for i := range data {
		data[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return Tensor{Shape: shape, Data: data}, nil
}

// parseHeader reads the Python dict literal of an .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (128, 512), }
// It accepts only the three keys numpy writes, each exactly once.
func parseHeader(h string) (descr string, fortran bool, shape []int, err error) {
	p := &hdrParser{s: strings.TrimRight(h, " \n\x00")}
	fail := func(msg string) (string, bool, []int, error) {
		return "", false, nil, fmt.Errorf("malformed .npy header %q: %s", h, msg)
	}
	if !p.eat('{') {
		return fail("missing '{'")
	}
	seen := map[string]bool{}
	for {
		p.space()
		if p.eat('}') {
			break
		}
		key, ok := p.str()
		if !ok {
			return fail("expected a quoted key")
		}
		if seen[key] {
			return fail("duplicate key " + key)
		}
		seen[key] = true
		p.space()
		if !p.eat(':') {
			return fail("expected ':'")
		}
		p.space()
		switch key {
		case "descr":
			if descr, ok = p.str(); !ok {
				return fail("descr is not a string")
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				fortran = true
			case p.word("False"):
				fortran = false
			default:
				return fail("fortran_order is not True/False")
			}
		case "shape":
			if shape, ok = p.tuple(); !ok {
				return fail("shape is not a tuple of integers")
			}
		default:
			return fail("unknown key " + key)
		}
		p.space()
		if p.eat(',') {
			continue
		}
		p.space()
		if p.eat('}') {
			break
		}
		return fail("expected ',' or '}'")
	}
	p.space()
	if p.i != len(p.s) {
		return fail("text after '}'")
	}
	if !seen["descr"] || !seen["fortran_order"] || !seen["shape"] {
		return fail("needs descr, fortran_order and shape")
	}
	return descr, fortran, shape, nil
}

type hdrParser struct {
	s string
	i int
}

func (p *hdrParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *hdrParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *hdrParser) word(w string) bool {
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

// str reads a '...' or "..." literal without escapes (numpy never writes any).
func (p *hdrParser) str() (string, bool) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", false
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", false
	}
	v := p.s[p.i+1 : p.i+1+end]
	if strings.ContainsRune(v, '\\') {
		return "", false
	}
	p.i += end + 2
	return v, true
}

// tuple reads (), (n,) or (a, b, ...).
func (p *hdrParser) tuple() ([]int, bool) {
	if !p.eat('(') {
		return nil, false
	}
	shape := []int{}
	for {
		p.space()
		if p.eat(')') {
			return shape, true
		}
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		// numpy may write Python 2 longs as "128L".
		v, err := strconv.Atoi(p.s[p.i:j])
		if err != nil || len(shape) == maxDims {
			return nil, false
		}
		p.i = j
		p.eat('L')
		shape = append(shape, v)
		p.space()
		if p.eat(',') {
			continue
		}
		p.space()
		if p.eat(')') {
			return shape, true
		}
		return nil, false
	}
}
