package compress

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic or read out
// of bounds, must fail only with ErrFormat, and anything it accepts must
// satisfy the promised invariants and survive every accessor and Verify.
//
// Each input is tried three ways:
//   - as is, which mostly exercises the preamble checks;
//   - expanded: a valid file spends 4032 of its first 4096 bytes on zero
//     padding, and mutating and minimizing that dead weight made the fuzzer
//     crawl, so inputs are stored compact (the padding cut out) and the
//     harness puts it back;
//   - expanded and sealed: random mutations almost never carry correct
//     checksums, which would leave the index validation unexplored. A CRC is
//     no defence against a hostile file anyway, so the preamble's size
//     fields and both checksums are rewritten to match the mutated bytes.
//
// Run it with a short minimization time: Go's byte minimizer is quadratic in
// the input length and otherwise eats most of a short run:
//
//	go test ./compress/ -run '^$' -fuzz '^FuzzParse$' -fuzztime 30s -fuzzminimizetime 1s
func FuzzParse(f *testing.F) {
	for _, m := range fuzzSeedModels() {
		c := compact(modelBytes(f, m))
		f.Add(c)
		f.Add(c[:len(c)-1])
	}
	f.Add([]byte{})
	f.Add([]byte(Magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		try := func(data []byte) {
			file, err := Parse(data)
			if err != nil {
				if file != nil {
					t.Fatal("Parse returned a File and an error")
				}
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("error does not wrap ErrFormat: %v", err)
				}
				return
			}
			checkInvariants(t, file, data)
			_ = file.Metadata()
			if err := file.Verify(); err != nil && !errors.Is(err, ErrChecksum) {
				t.Fatalf("Verify error does not wrap ErrChecksum: %v", err)
			}
			file.Close()
		}
		try(data)
		if full := expand(data); full != nil {
			try(full)
			if sealed := seal(full); sealed != nil {
				try(sealed)
			}
		}
	})
}

// fuzzSeedModels are small files covering every record kind.
func fuzzSeedModels() []testModel {
	return []testModel{
		smallModel(),
		{},
		{meta: []byte(`[1,2]`), blobs: []testBlob{{"b", []byte{1}}}},
		{tensors: []testTensor{
			{info: TensorInfo{Name: "x", TypeName: "f32", Shape: []int64{2, 0}}},
			{info: TensorInfo{Name: "y", Type: 3, Shape: []int64{3}, BlockLen: 4, Layout: 1}, data: []byte{1, 2, 3}},
		}},
	}
}

// compact cuts the preamble padding [64, 4096) out of a file; expand puts
// it back (nil if data is shorter than a preamble).
func compact(data []byte) []byte {
	return append(bytes.Clone(data[:preambleSize]), data[PageAlign:]...)
}

func expand(data []byte) []byte {
	if len(data) < preambleSize {
		return nil
	}
	out := make([]byte, 0, len(data)+PageAlign-preambleSize)
	out = append(out, data[:preambleSize]...)
	out = append(out, zeros[:PageAlign-preambleSize]...)
	return append(out, data[preambleSize:]...)
}

// seal returns a copy of data whose preamble claims its actual size and
// carries the right checksums, or nil if data is too short or its index
// offset lies outside it.
func seal(data []byte) []byte {
	if len(data) < preambleSize {
		return nil
	}
	le := binary.LittleEndian
	off := le.Uint64(data[32:])
	if off > uint64(len(data)) {
		return nil
	}
	out := bytes.Clone(data)
	le.PutUint64(out[16:], uint64(len(out)))
	le.PutUint64(out[40:], uint64(len(out))-off)
	le.PutUint32(out[48:], crc32.Checksum(out[off:], castagnoli))
	le.PutUint32(out[60:], crc32.Checksum(out[:60], castagnoli))
	return out
}

// TestSealedMutations runs the sealed path of the fuzzer deterministically:
// every single-byte change to the index of a small file, resealed, must be
// rejected cleanly or parse into something that satisfies the invariants.
func TestSealedMutations(t *testing.T) {
	data := modelBytes(t, smallModel())
	p, err := parsePreamble(data)
	if err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for i := int(p.indexOff); i < len(data); i++ {
		for _, v := range []byte{0, 1, 0x7f, 0x80, 0xff, data[i] + 1, data[i] - 1} {
			mut := bytes.Clone(data)
			mut[i] = v
			f, err := Parse(seal(mut))
			if err != nil {
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("byte %d = 0x%02x: %v", i, v, err)
				}
				continue
			}
			accepted++
			checkInvariants(t, f, seal(mut))
		}
	}
	t.Logf("%d sealed mutations parsed (changed names, types, shapes, checksums...)", accepted)
}
