package compress

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

func TestRoundTrip(t *testing.T) {
	for name, m := range map[string]testModel{"small": smallModel(), "big": bigModel(), "empty": {}} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "model.pge")
			writeModel(t, path, m)

			for _, open := range opens {
				f, err := open.fn(path)
				if err != nil {
					t.Fatalf("%s: %v", open.name, err)
				}
				checkModel(t, f, m)
				if err := f.Verify(); err != nil {
					t.Fatalf("%s: Verify: %v", open.name, err)
				}
				if f.Version() != Version {
					t.Errorf("%s: version %d", open.name, f.Version())
				}
				if got := f.Load(); got != open.load {
					t.Errorf("%s: Load() = %v, want %v", open.name, got, open.load)
				}
				if err := f.Close(); err != nil {
					t.Errorf("%s: Close: %v", open.name, err)
				}
			}

			// Parse over the same bytes in memory sees the same file.
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pf, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			checkModel(t, pf, m)
			if err := pf.Verify(); err != nil {
				t.Fatal(err)
			}

			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", st.Mode().Perm())
			}
			assertNoTemp(t, path)
		})
	}
}

func TestAccessorsAreCopiesAndCloseIsFinal(t *testing.T) {
	m := smallModel()
	path := filepath.Join(t.TempDir(), "m.pge")
	writeModel(t, path, m)
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ts := f.Tensors()
	ts[0].Shape[0] = 999
	ts[0].Name = "changed"
	info, _, _ := f.Tensor(m.tensors[0].info.Name)
	info.Shape[1] = 999
	if fmt.Sprint(f.Tensors()[0].Shape) != fmt.Sprint(m.tensors[0].info.Shape) {
		t.Errorf("modifying returned TensorInfo changed the file's table: %v", f.Tensors()[0].Shape)
	}
	if _, _, ok := f.Tensor("nope"); ok {
		t.Error("Tensor(missing) reported ok")
	}
	if _, ok := f.Blob("nope"); ok {
		t.Error("Blob(missing) reported ok")
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, _, ok := f.Tensor(m.tensors[0].info.Name); ok {
		t.Error("Tensor after Close reported ok")
	}
	if _, ok := f.Blob(m.blobs[0].name); ok {
		t.Error("Blob after Close reported ok")
	}
	if f.Verify() == nil {
		t.Error("Verify after Close succeeded")
	}
}

func TestLayout(t *testing.T) {
	m := bigModel()
	path := filepath.Join(t.TempDir(), "m.pge")
	writeModel(t, path, m)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data[:8]) != "PGEDGE\x00\x01" {
		t.Fatalf("magic %q", data[:8])
	}
	le := binary.LittleEndian
	if v := le.Uint32(data[8:]); v != 1 {
		t.Fatalf("version %d", v)
	}
	if got := le.Uint64(data[16:]); got != uint64(len(data)) {
		t.Errorf("file size field %d, file %d", got, len(data))
	}
	if got := le.Uint64(data[24:]); got != PageAlign {
		t.Errorf("data offset %d, want %d", got, PageAlign)
	}
	indexOff := le.Uint64(data[32:])
	if indexOff%DataAlign != 0 || indexOff+le.Uint64(data[40:]) != uint64(len(data)) {
		t.Errorf("index [%d,+%d) in %d-byte file", indexOff, le.Uint64(data[40:]), len(data))
	}

	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The first entry starts the data section, and data is packed: each
	// entry starts at the first aligned offset after the previous one.
	next := int64(PageAlign)
	check := func(name string, off, size int64, mem []byte) {
		t.Helper()
		if off%DataAlign != 0 {
			t.Errorf("%s at %d is not %d-aligned", name, off, DataAlign)
		}
		if want := (next + DataAlign - 1) / DataAlign * DataAlign; off != want {
			t.Errorf("%s at %d, want %d (packed)", name, off, want)
		}
		next = off + size
		// The mapping is page-aligned, so file alignment is memory alignment.
		if len(mem) > 0 && uintptr(unsafe.Pointer(&mem[0]))%DataAlign != 0 {
			t.Errorf("%s mapped at %p, not %d-aligned", name, &mem[0], DataAlign)
		}
	}
	for _, b := range f.Blobs() {
		mem, _ := f.Blob(b.Name)
		check(b.Name, b.Offset, b.Size, mem)
	}
	for _, ti := range f.Tensors() {
		_, mem, _ := f.Tensor(ti.Name)
		check(ti.Name, ti.Offset, ti.Size, mem)
	}
}

// TestTruncation cuts files short at every length (small file) or many
// lengths (big file): each must be rejected with an error, never a panic.
func TestTruncation(t *testing.T) {
	small := modelBytes(t, smallModel())
	for n := range len(small) {
		f, err := Parse(small[:n])
		if err == nil {
			t.Fatalf("small file truncated to %d of %d bytes accepted", n, len(small))
		}
		if f != nil || !errors.Is(err, ErrFormat) {
			t.Fatalf("truncated to %d: file %v, error %v", n, f, err)
		}
	}

	big := modelBytes(t, bigModel())
	lengths := []int{0, 1, 63, 64, 65, PageAlign - 1, PageAlign, PageAlign + 1, len(big) - 1}
	for n := 0; n < len(big); n += 997 {
		lengths = append(lengths, n)
	}
	// Every length across the index, where parsing is most intricate.
	p, err := parsePreamble(big)
	if err != nil {
		t.Fatal(err)
	}
	for n := int(p.indexOff) - 1; n < len(big); n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		if _, err := Parse(big[:n]); err == nil || !errors.Is(err, ErrFormat) {
			t.Fatalf("big file truncated to %d of %d bytes: error %v", n, len(big), err)
		}
	}

	// The same through Open, which maps the file (and must not try to map
	// an empty one).
	dir := t.TempDir()
	for _, n := range []int{0, 1, 63, 64, PageAlign, len(small) / 2, len(small) - 1} {
		path := filepath.Join(dir, fmt.Sprintf("t%d.pge", n))
		if err := os.WriteFile(path, small[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		for _, open := range opens {
			f, err := open.fn(path)
			if err == nil {
				f.Close()
				t.Fatalf("%s accepted file truncated to %d bytes", open.name, n)
			}
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), path) {
				t.Errorf("%s truncated to %d: %v (want a format error naming the path)", open.name, n, err)
			}
		}
	}
}

func TestTrailingBytesRejected(t *testing.T) {
	data := append(modelBytes(t, smallModel()), 0)
	_, err := Parse(data)
	mustFormatErr(t, err, "trailing bytes")
}

// TestCorruption changes every byte of a small file in several ways. Every
// byte of a file is covered by a checksum or a must-be-zero rule, so each
// change must be rejected by Parse or reported by Verify.
func TestCorruption(t *testing.T) {
	orig := modelBytes(t, smallModel())
	data := bytes.Clone(orig)
	var rejected, verified int
	for i := range data {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			data[i] ^= x
			f, err := Parse(data)
			switch {
			case err != nil:
				if !errors.Is(err, ErrFormat) {
					t.Fatalf("byte %d ^ 0x%02x: error does not wrap ErrFormat: %v", i, x, err)
				}
				rejected++
			default:
				verr := f.Verify()
				if verr == nil {
					t.Fatalf("byte %d ^ 0x%02x: corruption neither rejected by Parse nor caught by Verify", i, x)
				}
				if !errors.Is(verr, ErrChecksum) {
					t.Fatalf("byte %d: Verify error does not wrap ErrChecksum: %v", i, verr)
				}
				verified++
			}
			data[i] ^= x
		}
	}
	if !bytes.Equal(data, orig) {
		t.Fatal("test did not restore the data")
	}
	t.Logf("%d bytes x 3 changes: %d rejected by Parse, %d caught by Verify", len(data), rejected, verified)
	if verified == 0 || rejected == 0 {
		t.Error("expected both kinds of detection")
	}
}

func TestVerifyNamesFirstBadTensor(t *testing.T) {
	m := bigModel()
	data := modelBytes(t, m)
	f, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	ts := f.Tensors()
	// Damage tensors 7 and 20, and a padding byte.
	data[ts[20].Offset+5] ^= 1
	data[ts[7].Offset+ts[7].Size-1] ^= 1
	data[PageAlign-1] = 0xaa
	err = f.Verify()
	if err == nil {
		t.Fatal("Verify passed damaged data")
	}
	want := fmt.Sprintf("tensor 7 (%q): data checksum mismatch", ts[7].Name)
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "and 2 more problems") {
		t.Errorf("Verify error %q, want it to contain %q and count 2 more", err, want)
	}

	data[ts[20].Offset+5] ^= 1
	data[ts[7].Offset+ts[7].Size-1] ^= 1
	err = f.Verify()
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("padding byte at offset %d", PageAlign-1)) {
		t.Errorf("Verify with damaged padding: %v", err)
	}
	data[PageAlign-1] = 0
	if err := f.Verify(); err != nil {
		t.Fatal(err)
	}
}

// TestHostile builds files that carry correct checksums but break one
// structural rule each; Parse must reject each with a message naming it.
func TestHostile(t *testing.T) {
	base := modelBytes(t, smallModel())
	le := binary.LittleEndian
	type tc struct {
		name string
		data []byte
		want string
	}
	idx := func(mut func(ix *index)) []byte {
		return rebuild(t, base, func(_ *preamble, ix *index) { mut(ix) })
	}
	pre := func(set func(b []byte)) []byte { return patchPreamble(base, set) }
	p, err := parsePreamble(base)
	if err != nil {
		t.Fatal(err)
	}
	size := uint64(len(base))
	cases := []tc{
		{"bad magic", pre(func(b []byte) { b[0] = 'X' }), "bad magic"},
		{"future version", pre(func(b []byte) { le.PutUint32(b[8:], 2) }), "unsupported format version 2"},
		{"preamble crc", func() []byte { b := bytes.Clone(base); b[20] ^= 1; return b }(), "preamble checksum mismatch"},
		{"flags", pre(func(b []byte) { le.PutUint32(b[12:], 4) }), "unknown preamble flags 0x4"},
		{"reserved", pre(func(b []byte) { b[55] = 1 }), "reserved preamble bytes"},
		{"size field larger", pre(func(b []byte) { le.PutUint64(b[16:], size+1) }), "truncated?"},
		{"data offset zero", pre(func(b []byte) { le.PutUint64(b[24:], 0) }), "data section offset 0"},
		{"data offset unaligned", pre(func(b []byte) { le.PutUint64(b[24:], 100) }), "data section offset 100"},
		{"data offset past end", pre(func(b []byte) { le.PutUint64(b[24:], 1<<40) }), "data section offset"},
		{"index before data", pre(func(b []byte) { le.PutUint64(b[32:], 0) }), "index offset 0"},
		{"index unaligned", pre(func(b []byte) { le.PutUint64(b[32:], p.indexOff+1) }), "index offset"},
		{"index length short", pre(func(b []byte) { le.PutUint64(b[40:], p.indexLen-1) }), "does not end at the end of the file"},
		{"index length huge", pre(func(b []byte) { le.PutUint64(b[40:], 1<<63) }), "does not end at the end of the file"},
		{"index crc", func() []byte { b := bytes.Clone(base); b[len(b)-1] ^= 1; return b }(), "index ["},
		{"metadata not json", idx(func(ix *index) { ix.meta = []byte(`{"a":`) }), "metadata (5 bytes) is not well-formed JSON"},
		{"metadata empty", idx(func(ix *index) { ix.meta = nil }), "not well-formed JSON"},
		{"empty tensor name", idx(func(ix *index) { ix.tensors[1].name = "" }), `tensor table entry 1 (""): empty name`},
		{"empty blob name", idx(func(ix *index) { ix.blobs[0].name = "" }), `blob table entry 0 (""): empty name`},
		{"long name", idx(func(ix *index) { ix.tensors[0].name = strings.Repeat("x", MaxNameLen+1) }), "longer than the maximum 1024"},
		{"bad utf8", idx(func(ix *index) { ix.tensors[0].name = "a\xffb" }), "not valid UTF-8"},
		{"duplicate tensor", idx(func(ix *index) { ix.tensors[3].name = ix.tensors[0].name }), `tensor table entry 3 ("a.weight"): duplicate name (also entry 0)`},
		{"duplicate blob", idx(func(ix *index) { ix.blobs[1].name = ix.blobs[0].name }), "duplicate name"},
		{"negative dim", idx(func(ix *index) { ix.tensors[0].shape[1] = -5 }), "dimension 1 is negative"},
		{"shape overflow", idx(func(ix *index) { ix.tensors[0].shape = []int64{1 << 32, 1 << 31} }), "element count overflows int64"},
		{"shape overflow behind zero", idx(func(ix *index) { ix.tensors[0].shape = []int64{0, 1 << 40, 1 << 40} }), "overflows"},
		{"type name utf8", idx(func(ix *index) { ix.tensors[0].typeName = "\xff" }), "type name is not valid UTF-8"},
		{"unaligned", idx(func(ix *index) { ix.tensors[0].off = PageAlign + 8 }), "data offset 4104 is not 64-byte aligned"},
		{"before data section", idx(func(ix *index) { ix.tensors[0].off = 0 }), "starts before the data section at 4096"},
		{"past end of file", idx(func(ix *index) { ix.tensors[1].off = 1 << 20 }), fmt.Sprintf(`tensor table entry 1 ("scalar"): data [1048576,1048580) past end of file (size %d)`, size)},
		{"into index", idx(func(ix *index) { ix.tensors[0].off = p.indexOff - 64; ix.tensors[0].size = 65 }), "runs past the end of the data section"},
		{"offset overflow", idx(func(ix *index) { ix.tensors[0].off = 1 << 63; ix.tensors[0].size = 1 << 63 }), "overflows"},
		{"size huge", idx(func(ix *index) { ix.tensors[0].size = 1<<64 - 1 }), "length 18446744073709551615 overflows"},
		{"tensor overlap", idx(func(ix *index) { ix.tensors[3].off = ix.tensors[0].off + 64 }), "overlaps"},
		{"tensor overlaps blob", idx(func(ix *index) { ix.tensors[0].off = ix.blobs[0].off }), "overlaps blob table entry 0"},
		{"empty inside another", idx(func(ix *index) { ix.tensors[2].off = ix.tensors[0].off + 64 }), "overlaps"},
		{"rank 9", rankNine(t, base), "rank 9 exceeds the maximum 8"},
		{"trailing index bytes", withIndex(base[:p.indexOff], p, append(bytes.Clone(base[p.indexOff:]), 0)), "trailing bytes after the tensor table"},
		{"index cut", withIndex(base[:p.indexOff], p, base[p.indexOff:len(base)-3]), "index truncated reading checksum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Parse(c.data)
			if f != nil {
				t.Errorf("returned a File with the error")
			}
			mustFormatErr(t, err, c.want)
		})
	}
}

// rankNine hand-encodes a file whose only tensor claims rank 9, which the
// encoder itself cannot produce.
func rankNine(t *testing.T, base []byte) []byte {
	p, err := parsePreamble(base)
	if err != nil {
		t.Fatal(err)
	}
	var ib []byte
	ib = binary.LittleEndian.AppendUint32(ib, 2)
	ib = append(ib, "{}"...)
	ib = binary.LittleEndian.AppendUint32(ib, 0) // blobs
	ib = binary.LittleEndian.AppendUint32(ib, 1) // tensors
	ib = binary.LittleEndian.AppendUint16(ib, 1)
	ib = append(ib, 'x', 0, 0, 9)
	ib = append(ib, make([]byte, 9*8+4+4+8+8+4)...)
	return withIndex(base[:PageAlign], p, ib)
}

// TestHostileCounts gives counts and lengths near 2^32 with few bytes behind
// them: Parse must fail without allocating anything like what they claim.
func TestHostileCounts(t *testing.T) {
	base := modelBytes(t, testModel{})
	p, err := parsePreamble(base)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	meta := func(ib []byte) []byte { return append(le.AppendUint32(ib, 2), "{}"...) }
	cases := map[string]struct {
		ib   []byte
		want string
	}{
		"metadata length":  {le.AppendUint32(nil, 0xffffffff), "index truncated reading metadata"},
		"blob count":       {le.AppendUint32(meta(nil), 0xffffffff), "blob table: count 4294967295 exceeds the maximum 1048576"},
		"tensor count":     {le.AppendUint32(le.AppendUint32(meta(nil), 0), 0xffffffff), "tensor table: count 4294967295 exceeds the maximum 1048576"},
		"blob count fit":   {append(le.AppendUint32(meta(nil), 1000), make([]byte, 1000)...), "blob table: count 1000 cannot fit in the 1000 remaining index bytes"},
		"tensor count fit": {append(le.AppendUint32(le.AppendUint32(meta(nil), 0), MaxEntries), make([]byte, 100)...), "tensor table: count 1048576 cannot fit"},
		"blob name":        {append(le.AppendUint16(le.AppendUint32(meta(nil), 1), 0xffff), make([]byte, 30)...), "blob table entry 0: index truncated reading name"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			data := withIndex(base[:p.indexOff], p, c.ib)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Parse(data)
			runtime.ReadMemStats(&after)
			mustFormatErr(t, err, c.want)
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
				t.Errorf("Parse allocated %d bytes for a %d-byte file", grew, len(data))
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pge")
	if err := os.WriteFile(junk, bytes.Repeat([]byte("not a pge file "), 500), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, open := range opens {
		if _, err := open.fn(filepath.Join(dir, "missing.pge")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: missing file: %v", open.name, err)
		}
		if _, err := open.fn(dir); err == nil {
			t.Errorf("%s(directory) succeeded", open.name)
		}
		_, err := open.fn(junk)
		mustFormatErr(t, err, "bad magic")
	}
}

func TestWriterRejectsBadInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.pge")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.AddTensor(TensorInfo{Name: "ok", Shape: []int64{2}}, []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if err := w.AddBlob("b", []byte{3}); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		what string
		err  error
	}{
		{"empty name", w.AddTensor(TensorInfo{}, nil)},
		{"duplicate tensor", w.AddTensor(TensorInfo{Name: "ok"}, nil)},
		{"duplicate blob", w.AddBlob("b", nil)},
		{"empty blob name", w.AddBlob("", nil)},
		{"long name", w.AddTensor(TensorInfo{Name: strings.Repeat("n", MaxNameLen+1)}, nil)},
		{"bad utf8", w.AddBlob("\xff", nil)},
		{"rank 9", w.AddTensor(TensorInfo{Name: "r", Shape: make([]int64, 9)}, nil)},
		{"negative dim", w.AddTensor(TensorInfo{Name: "n", Shape: []int64{-1}}, nil)},
		{"overflow", w.AddTensor(TensorInfo{Name: "o", Shape: []int64{1 << 40, 1 << 40}}, nil)},
		{"long type name", w.AddTensor(TensorInfo{Name: "t", TypeName: strings.Repeat("t", 256)}, nil)},
		{"negative size", w.AddTensorFrom(TensorInfo{Name: "s"}, -1, bytes.NewReader(nil))},
		{"bad metadata", w.SetMetadata([]byte(`{"a":1,}`))},
	}
	for _, b := range bad {
		if b.err == nil {
			t.Errorf("%s: accepted", b.what)
		}
	}
	// Rejected input is not written, so the writer stays usable.
	if err := w.AddTensor(TensorInfo{Name: "after", Shape: []int64{1}}, []byte{9}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n := len(f.Tensors()); n != 2 {
		t.Errorf("%d tensors, want 2", n)
	}
	if err := f.Verify(); err != nil {
		t.Error(err)
	}
	if err := w.AddBlob("late", nil); err == nil {
		t.Error("AddBlob after Close succeeded")
	}
	if err := w.Close(); err == nil {
		t.Error("second Close succeeded")
	}
}

// TestStreamingMemory writes a tensor far larger than the writer's buffer
// through AddTensorFrom and checks the writer did not hold it in memory.
func TestStreamingMemory(t *testing.T) {
	const size = 64 << 20
	path := filepath.Join(t.TempDir(), "m.pge")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := w.AddTensorFrom(TensorInfo{Name: "big", Shape: []int64{size}}, size, &patternReader{n: size}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("writing a %d MiB tensor allocated %d bytes", size>>20, grew)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Verify(); err != nil {
		t.Fatal(err)
	}
	_, data, _ := f.Tensor("big")
	if len(data) != size || data[size-1] != byte((size-1)%256) {
		t.Errorf("tensor read back wrong")
	}
}

// patternReader yields byte(i) at position i, for n bytes, without
// allocating.
type patternReader struct{ i, n int }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.i >= r.n {
		return 0, io.EOF
	}
	k := min(len(p), r.n-r.i)
	for j := range p[:k] {
		p[j] = byte(r.i + j)
	}
	r.i += k
	return k, nil
}
