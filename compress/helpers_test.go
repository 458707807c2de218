package compress

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// testTensor is a tensor to write in tests, with its expected bytes.
type testTensor struct {
	info   TensorInfo
	data   []byte
	stream bool // write with AddTensorFrom through a one-byte-at-a-time reader
}

type testBlob struct {
	name string
	data []byte
}

type testModel struct {
	meta    []byte
	blobs   []testBlob
	tensors []testTensor
}

// pattern returns n deterministic, non-zero-heavy bytes.
func pattern(seed, n int) []byte {
	b := make([]byte, n)
	x := uint32(seed*2654435761 + 1)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// smallModel exercises every feature in a file small enough to truncate and
// corrupt at every byte: metadata, an empty and a non-empty blob, a scalar,
// an empty tensor, odd sizes (so padding is needed), a rank-8 tensor and a
// streamed tensor.
func smallModel() testModel {
	return testModel{
		meta: []byte(`{"model":"test","quant":{"type":"q8","block":32}}`),
		blobs: []testBlob{
			{"tokenizer.model", pattern(1, 37)},
			{"empty", nil},
		},
		tensors: []testTensor{
			{info: TensorInfo{Name: "a.weight", Type: 1, TypeName: "q8_0", Shape: []int64{3, 5}, BlockLen: 32, Layout: 1}, data: pattern(2, 100)},
			{info: TensorInfo{Name: "scalar", Type: 0, TypeName: "f32", Shape: []int64{}}, data: pattern(3, 4)},
			{info: TensorInfo{Name: "empty", Type: 0, TypeName: "f32", Shape: []int64{0, 7}}, data: nil},
			{info: TensorInfo{Name: "rank8", Type: 2, TypeName: "q4_0", Shape: []int64{1, 2, 1, 2, 1, 2, 1, 2}, BlockLen: 32, Layout: 3}, data: pattern(4, 65)},
			{info: TensorInfo{Name: "streamed", Type: 1, TypeName: "q8_0", Shape: []int64{9}}, data: pattern(5, 9), stream: true},
		},
	}
}

// bigModel has enough tensors and data that sampled truncation and the
// data/padding split are exercised at realistic proportions.
func bigModel() testModel {
	m := testModel{meta: []byte(`{"layers":24}`)}
	m.blobs = append(m.blobs, testBlob{"vqvae", pattern(100, 10000)})
	for i := range 40 {
		n := 1000 + i*517
		m.tensors = append(m.tensors, testTensor{
			info: TensorInfo{Name: fmt.Sprintf("layers.%d.w", i), Type: uint8(i % 3), TypeName: "t", Shape: []int64{int64(n)}, BlockLen: 32},
			data: pattern(200+i, n), stream: i%2 == 1,
		})
	}
	return m
}

func writeModel(t testing.TB, path string, m testModel) {
	t.Helper()
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if m.meta != nil {
		if err := w.SetMetadata(m.meta); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range m.blobs {
		if err := w.AddBlob(b.name, b.data); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range m.tensors {
		var err error
		if tt.stream {
			err = w.AddTensorFrom(tt.info, int64(len(tt.data)), oneByteReader{bytes.NewReader(tt.data)})
		} else {
			err = w.AddTensor(tt.info, tt.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// modelBytes writes m to a temporary file and returns its contents.
func modelBytes(t testing.TB, m testModel) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.pge")
	writeModel(t, path, m)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// checkModel asserts that f holds exactly m.
func checkModel(t *testing.T, f *File, m testModel) {
	t.Helper()
	wantMeta := m.meta
	if wantMeta == nil {
		wantMeta = []byte("{}")
	}
	if !bytes.Equal(f.Metadata(), wantMeta) {
		t.Errorf("metadata = %q, want %q", f.Metadata(), wantMeta)
	}
	if got := f.Blobs(); len(got) != len(m.blobs) {
		t.Fatalf("%d blobs, want %d", len(got), len(m.blobs))
	}
	for i, b := range m.blobs {
		if f.Blobs()[i].Name != b.name {
			t.Errorf("blob %d name %q, want %q", i, f.Blobs()[i].Name, b.name)
		}
		got, ok := f.Blob(b.name)
		if !ok || !bytes.Equal(got, b.data) {
			t.Errorf("blob %q = %v (ok %v), want %d bytes", b.name, len(got), ok, len(b.data))
		}
	}
	ts := f.Tensors()
	if len(ts) != len(m.tensors) {
		t.Fatalf("%d tensors, want %d", len(ts), len(m.tensors))
	}
	for i, want := range m.tensors {
		if ts[i].Name != want.info.Name {
			t.Errorf("tensor %d is %q, want %q (order must be preserved)", i, ts[i].Name, want.info.Name)
		}
		info, data, ok := f.Tensor(want.info.Name)
		if !ok {
			t.Errorf("tensor %q missing", want.info.Name)
			continue
		}
		if info.Type != want.info.Type || info.TypeName != want.info.TypeName ||
			info.BlockLen != want.info.BlockLen || info.Layout != want.info.Layout ||
			fmt.Sprint(info.Shape) != fmt.Sprint(want.info.Shape) {
			t.Errorf("tensor %q info = %+v, want %+v", want.info.Name, info, want.info)
		}
		if info.Size != int64(len(want.data)) || !bytes.Equal(data, want.data) {
			t.Errorf("tensor %q data differs (%d bytes, want %d)", want.info.Name, len(data), len(want.data))
		}
		if info.Checksum != crc32.Checksum(want.data, castagnoli) {
			t.Errorf("tensor %q checksum 0x%08x", want.info.Name, info.Checksum)
		}
		if cap(data) != len(data) {
			t.Errorf("tensor %q slice capacity %d exceeds its length %d", want.info.Name, cap(data), len(data))
		}
	}
}

// rebuild decodes a valid file, lets mut change the index and preamble, and
// re-encodes it with consistent sizes and checksums, so a test reaches the
// structural check it targets instead of failing a CRC.
func rebuild(t testing.TB, data []byte, mut func(p *preamble, ix *index)) []byte {
	t.Helper()
	p, err := parsePreamble(data)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := decodeIndex(data[p.indexOff:])
	if err != nil {
		t.Fatal(err)
	}
	mut(&p, ix)
	return withIndex(data[:p.indexOff], p, encodeIndex(ix))
}

// withIndex appends index bytes ib to body and writes a consistent preamble
// (keeping p's other fields, which may be deliberately wrong).
func withIndex(body []byte, p preamble, ib []byte) []byte {
	out := append(bytes.Clone(body), ib...)
	p.indexOff = uint64(len(body))
	p.indexLen = uint64(len(ib))
	p.fileSize = uint64(len(out))
	p.indexCRC = crc32.Checksum(ib, castagnoli)
	copy(out, p.marshal())
	return out
}

// patchPreamble changes preamble bytes with set and re-seals the preamble CRC.
func patchPreamble(data []byte, set func(b []byte)) []byte {
	out := bytes.Clone(data)
	set(out[:preambleSize])
	binary.LittleEndian.PutUint32(out[60:], crc32.Checksum(out[:60], castagnoli))
	return out
}

// mustFormatErr asserts that err is a format error whose text contains want.
func mustFormatErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("accepted; want error containing %q", want)
	}
	if !errors.Is(err, ErrFormat) {
		t.Errorf("error %q does not wrap ErrFormat", err)
	}
	if !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

// checkInvariants asserts what a successful Parse promises, whatever the
// input: used by the fuzzer to catch validation gaps, not just panics.
func checkInvariants(t *testing.T, f *File, data []byte) {
	t.Helper()
	if int64(len(data)) != f.Size() {
		t.Fatalf("size %d, data %d", f.Size(), len(data))
	}
	type rng struct{ off, end int64 }
	var rs []rng
	names := map[string]bool{}
	for _, b := range f.Blobs() {
		if names[b.Name] || b.Name == "" {
			t.Fatalf("blob name %q empty or repeated", b.Name)
		}
		names[b.Name] = true
		got, ok := f.Blob(b.Name)
		if !ok || int64(len(got)) != b.Size {
			t.Fatalf("blob %q: lookup failed", b.Name)
		}
		rs = append(rs, rng{b.Offset, b.Offset + b.Size})
	}
	clear(names)
	for _, ti := range f.Tensors() {
		if names[ti.Name] || ti.Name == "" {
			t.Fatalf("tensor name %q empty or repeated", ti.Name)
		}
		names[ti.Name] = true
		if len(ti.Shape) > MaxRank {
			t.Fatalf("tensor %q rank %d", ti.Name, len(ti.Shape))
		}
		for _, d := range ti.Shape {
			if d < 0 {
				t.Fatalf("tensor %q negative dim", ti.Name)
			}
		}
		_, got, ok := f.Tensor(ti.Name)
		if !ok || int64(len(got)) != ti.Size {
			t.Fatalf("tensor %q: lookup failed", ti.Name)
		}
		rs = append(rs, rng{ti.Offset, ti.Offset + ti.Size})
	}
	for i, r := range rs {
		if r.off%DataAlign != 0 || r.off < f.DataOffset() || r.end > f.Size() {
			t.Fatalf("range %d [%d,%d) misplaced", i, r.off, r.end)
		}
		for _, q := range rs[:i] {
			if r.off < q.end && q.off < r.end {
				t.Fatalf("ranges [%d,%d) and [%d,%d) overlap", r.off, r.end, q.off, q.end)
			}
		}
	}
}
