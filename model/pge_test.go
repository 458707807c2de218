// The .pge reader's tests use real files written by the converter. They are an
// external test package because convert imports model.
package model_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// microConfig is pg2-tiny shrunk until the index is a good part of the file, so
// that the fuzzer's mutations often land in it rather than in tensor data.
func microConfig() *model.Config {
	cfg, err := model.Preset("pg2-tiny")
	if err != nil {
		panic(err)
	}
	cfg.Text.VocabSize, cfg.ImageTokenIndex = 16, 15
	cfg.Text.Hidden, cfg.Text.Intermediate, cfg.Text.Layers = 8, 16, 1
	cfg.Text.Heads, cfg.Text.KVHeads, cfg.Text.HeadDim = 2, 1, 4
	cfg.Vision.Hidden, cfg.Vision.Intermediate, cfg.Vision.Layers, cfg.Vision.Heads = 8, 16, 1, 2
	cfg.Vision.ImageSize = 28
	return cfg
}

type pgeCase struct{ preset, weights string }

var (
	pgeCacheMu sync.Mutex
	pgeCache   = map[pgeCase][]byte{}
)

// pgeBytes converts a synthetic model of a preset ("micro" for microConfig) at a
// --weights choice and returns the file's bytes (cached for the test binary).
func pgeBytes(t testing.TB, preset, weights string) []byte {
	t.Helper()
	pgeCacheMu.Lock()
	defer pgeCacheMu.Unlock()
	k := pgeCase{preset, weights}
	if b, ok := pgeCache[k]; ok {
		return b
	}
	cfg := microConfig()
	if preset != "micro" {
		var err error
		if cfg, err = model.Preset(preset); err != nil {
			t.Fatal(err)
		}
	}
	dt, err := quant.ParseType(weights)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "pgedge-pge-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "m.pge")
	opts := convert.Options{Policy: convert.DefaultPolicy(dt), Tokenizer: []byte("not a real tokenizer"), Source: "test"}
	if _, err := convert.Convert(path, cfg, convert.NewSynthetic(cfg, 1), opts); err != nil {
		t.Fatalf("convert %s %s: %v", preset, weights, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pgeCache[k] = b
	return b
}

var allCases = []pgeCase{
	{"pg1-tiny", "f32"}, {"pg1-tiny", "int8"}, {"pg1-tiny", "int4"},
	{"pg2-tiny", "f32"}, {"pg2-tiny", "int8"}, {"pg2-tiny", "int4"},
	{"micro", "f32"}, {"micro", "int8"}, {"micro", "int4"},
}

// Preamble fields (see package compress).
const (
	preambleSize = 64
	pageAlign    = compress.PageAlign
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// compact cuts the zero padding [64, 4096) after the preamble out of a file, and
// expand puts it back: mutating 4 KB of dead weight makes the fuzzer crawl.
func compact(data []byte) []byte {
	return append(bytes.Clone(data[:preambleSize]), data[pageAlign:]...)
}

func expand(data []byte) []byte {
	if len(data) < preambleSize {
		return nil
	}
	out := make([]byte, 0, len(data)+pageAlign-preambleSize)
	out = append(out, data[:preambleSize]...)
	out = append(out, make([]byte, pageAlign-preambleSize)...)
	return append(out, data[preambleSize:]...)
}

// seal returns a copy of data whose preamble claims its real size and carries the
// right checksums (a hostile file can), or nil if its index offset lies outside it.
func seal(data []byte) []byte {
	if len(data) < preambleSize {
		return nil
	}
	le := binary.LittleEndian
	ixOff := le.Uint64(data[32:])
	if ixOff > uint64(len(data)) {
		return nil
	}
	out := bytes.Clone(data)
	le.PutUint64(out[16:], uint64(len(out)))
	le.PutUint64(out[40:], uint64(len(out))-ixOff)
	le.PutUint32(out[48:], crc32.Checksum(out[ixOff:], castagnoli))
	le.PutUint32(out[60:], crc32.Checksum(out[:60], castagnoli))
	return out
}

// FuzzParsePGE feeds arbitrary bytes to ParsePGE: it must never panic, and whatever
// it accepts must be safe to use the way the runtime uses it: every tensor's bytes
// exactly what its type and shape need (so decoding every row stays in bounds),
// the configuration's tensors present with their shapes, and Verify failing only
// with a checksum error. Each input is tried as is, expanded (inputs are stored
// without the 4 KB preamble padding) and expanded and sealed (correct CRCs, so the
// mutations reach the index and the metadata).
//
//	go test ./model/ -run '^$' -fuzz '^FuzzParsePGE$' -fuzztime 30s -fuzzminimizetime 1s
func FuzzParsePGE(f *testing.F) {
	for _, c := range allCases {
		f.Add(compact(pgeBytes(f, c.preset, c.weights)))
	}
	f.Add([]byte{})
	f.Add([]byte(compress.Magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkParse(t, data)
		if full := expand(data); full != nil {
			checkParse(t, full)
			if sealed := seal(full); sealed != nil {
				checkParse(t, sealed)
			}
		}
	})
}

// checkParse parses data and, if it is accepted, uses it like the runtime would.
func checkParse(t *testing.T, data []byte) {
	t.Helper()
	p, err := model.ParsePGE(data)
	if err != nil {
		if p != nil {
			t.Fatal("ParsePGE returned a model and an error")
		}
		return
	}
	defer p.Close()
	checkUsable(t, p)
	if err := p.File.Verify(); err != nil && !errors.Is(err, compress.ErrChecksum) {
		t.Fatalf("Verify error does not wrap ErrChecksum: %v", err)
	}
}

// checkUsable decodes every tensor of an accepted file and checks the promises the
// runtime relies on.
func checkUsable(t *testing.T, p *model.PGE) {
	t.Helper()
	cfg := p.Meta.Config
	for _, spec := range cfg.TensorSpecs() {
		if _, ok := model.Lookup(p, spec.Name); !ok && !spec.Optional {
			t.Fatalf("accepted a file without %s", spec.Name)
		}
	}
	var buf []float32
	for _, info := range p.File.Tensors() {
		tn, ok := p.Tensor(info.Name)
		if !ok {
			t.Fatalf("tensor %s listed but not served", info.Name)
		}
		switch tn.DType {
		case quant.F32, quant.BF16, quant.F16:
			var err error
			if buf, err = tn.Float32s(buf); err != nil {
				t.Fatalf("accepted tensor does not decode: %v", err)
			}
		case quant.Q8, quant.Q4:
			qt := quant.Q8
			if tn.DType == quant.Q4 {
				qt = quant.Q4
			}
			if len(tn.Shape) < 2 {
				t.Fatalf("accepted %s vector %s", tn.DType, tn.Name)
			}
			cols := 1
			for _, d := range tn.Shape[1:] {
				cols *= d
			}
			stored := quant.StoredCols(tn.DType, cols)
			rb := quant.RowBytes(qt, stored)
			if len(tn.Data) != tn.Shape[0]*rb {
				t.Fatalf("accepted %s with %d bytes for %d rows of %d", tn.Name, len(tn.Data), tn.Shape[0], rb)
			}
			row := make([]float32, stored)
			for r := 0; r < tn.Shape[0]; r++ {
				quant.DequantizeRow(qt, tn.Data[r*rb:(r+1)*rb], row)
			}
		default:
			t.Fatalf("accepted tensor %s of type %s", tn.Name, tn.DType)
		}
	}
}

// TestPGEConvertedFilesOpen: every converted seed opens, from bytes and from disk,
// and passes Verify.
func TestPGEConvertedFilesOpen(t *testing.T) {
	for _, c := range allCases {
		data := pgeBytes(t, c.preset, c.weights)
		p, err := model.ParsePGE(data)
		if err != nil {
			t.Fatalf("%s %s: %v", c.preset, c.weights, err)
		}
		checkUsable(t, p)
		if err := p.File.Verify(); err != nil {
			t.Errorf("%s %s: %v", c.preset, c.weights, err)
		}
		p.Close()
	}
	path := filepath.Join(t.TempDir(), "m.pge")
	if err := os.WriteFile(path, pgeBytes(t, "pg2-tiny", "int4"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := model.OpenPGE(path)
	if err != nil {
		t.Fatal(err)
	}
	if emb, _ := p.Tensor(model.NameEmbedding); emb.DType != quant.Q8 {
		t.Errorf("int4 file: embedding is %s, want Q8 (DefaultPolicy)", emb.DType)
	}
	if q, _ := p.Tensor(model.TextLayerName(0, "self_attn.q_proj.weight")); q.DType != quant.Q4 {
		t.Errorf("int4 file: q_proj is %s", q.DType)
	}
	p.Close()
}

// truncLengths are the lengths a file of n bytes is cut at: every 97th byte and
// all of the last 4 KiB.
func truncLengths(n int) []int {
	var ls []int
	for l := 0; l < n-4096; l += 97 {
		ls = append(ls, l)
	}
	for l := max(0, n-4096); l < n; l++ {
		ls = append(ls, l)
	}
	return ls
}

// TestPGETruncated: a file cut anywhere is rejected with an error, never a panic,
// both from memory and from disk.
func TestPGETruncated(t *testing.T) {
	for _, c := range []pgeCase{{"pg2-tiny", "int4"}, {"pg1-tiny", "f32"}, {"micro", "int8"}} {
		data := pgeBytes(t, c.preset, c.weights)
		lengths := truncLengths(len(data))
		for _, n := range lengths {
			if p, err := model.ParsePGE(data[:n]); err == nil {
				p.Close()
				t.Fatalf("%s %s: ParsePGE accepted the first %d of %d bytes", c.preset, c.weights, n, len(data))
			}
		}
		// On disk: write once, then cut shorter and shorter.
		path := filepath.Join(t.TempDir(), "m.pge")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		opened := 0
		for i := len(lengths) - 1; i >= 0; i-- {
			n := lengths[i]
			if n%(97*31) != 0 && n < len(data)-4096 {
				continue // every 97·31st byte from disk, to keep the test quick
			}
			if err := os.Truncate(path, int64(n)); err != nil {
				t.Fatal(err)
			}
			p, err := model.OpenPGE(path)
			if err == nil {
				p.Close()
				t.Fatalf("%s %s: OpenPGE accepted the first %d of %d bytes", c.preset, c.weights, n, len(data))
			}
			if !strings.Contains(err.Error(), path) && n >= preambleSize {
				t.Errorf("error does not name the file: %v", err)
			}
			opened++
		}
		t.Logf("%s %s: %d bytes, %d truncations in memory, %d on disk", c.preset, c.weights, len(data), len(lengths), opened)
	}
}

// TestPGEByteFlips: a file with any byte changed either fails to open or fails
// Verify with a checksum error. Every byte of the preamble and the index, and
// every stride-th byte of the padding and data between them.
func TestPGEByteFlips(t *testing.T) {
	for _, c := range []struct {
		pgeCase
		stride int
	}{{pgeCase{"micro", "int4"}, 31}, {pgeCase{"pg2-tiny", "int8"}, 401}} {
		data := pgeBytes(t, c.preset, c.weights)
		ixOff := int(binary.LittleEndian.Uint64(data[32:]))
		buf := bytes.Clone(data)
		openErrs, verifyErrs := 0, 0
		for i := range buf {
			if i >= preambleSize && i < ixOff && i%c.stride != 0 {
				continue
			}
			bit := byte(1) << (i % 8)
			buf[i] ^= bit
			p, err := model.ParsePGE(buf)
			if err != nil {
				openErrs++
			} else {
				err := p.File.Verify()
				p.Close()
				if !errors.Is(err, compress.ErrChecksum) {
					t.Fatalf("%s %s: byte %d of %d flipped (0x%02x→0x%02x): opens and Verify says %v",
						c.preset, c.weights, i, len(buf), data[i], buf[i], err)
				}
				verifyErrs++
			}
			buf[i] ^= bit
		}
		t.Logf("%s %s: %d flips rejected on open, %d by Verify", c.preset, c.weights, openErrs, verifyErrs)
		if openErrs == 0 || verifyErrs == 0 {
			t.Errorf("expected both kinds of rejection")
		}
	}
}

// rewrite copies a .pge file through compress.Writer, letting edit change each
// tensor's record and bytes (and the metadata).
func rewrite(t *testing.T, data []byte, editMeta func([]byte) []byte, edit func(info *compress.TensorInfo, data []byte) []byte) []byte {
	t.Helper()
	f, err := compress.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "edited.pge")
	w, err := compress.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	meta := bytes.Clone(f.Metadata())
	if editMeta != nil {
		meta = editMeta(meta)
	}
	if err := w.SetMetadata(meta); err != nil {
		t.Fatal(err)
	}
	for _, b := range f.Blobs() {
		bd, _ := f.Blob(b.Name)
		if err := w.AddBlob(b.Name, bd); err != nil {
			t.Fatal(err)
		}
	}
	for _, info := range f.Tensors() {
		_, td, _ := f.Tensor(info.Name)
		td = bytes.Clone(td)
		if edit != nil {
			td = edit(&info, td)
		}
		if err := w.AddTensor(info, td); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPGETensorEncodingChecks: files whose container is valid but whose tensors do
// not fit their type and shape are rejected with an error naming the tensor.
func TestPGETensorEncodingChecks(t *testing.T) {
	q := model.TextLayerName(0, "self_attn.q_proj.weight")
	patch := model.NamePatchWeight
	norm := model.TextLayerName(0, "input_layernorm.weight")
	pos := model.NamePosEmbedding
	only := func(name string, f func(info *compress.TensorInfo, data []byte) []byte) func(*compress.TensorInfo, []byte) []byte {
		return func(info *compress.TensorInfo, data []byte) []byte {
			if info.Name != name {
				return data
			}
			return f(info, data)
		}
	}
	setType := func(dt quant.Type) func(*compress.TensorInfo) {
		return func(info *compress.TensorInfo) { info.Type, info.TypeName = uint8(dt), dt.String() }
	}
	for _, c := range []struct {
		name, weights, tensor, want string
		edit                        func(info *compress.TensorInfo, data []byte) []byte
	}{
		{"f32 one byte short", "f32", q, "want", func(_ *compress.TensorInfo, d []byte) []byte { return d[:len(d)-1] }},
		{"f32 one element long", "f32", norm, "want", func(_ *compress.TensorInfo, d []byte) []byte { return append(d, 0, 0, 0, 0) }},
		{"bf16 with f32 bytes", "f32", norm, "want", func(i *compress.TensorInfo, d []byte) []byte { setType(quant.BF16)(i); return d }},
		{"q8 one block short", "int8", q, "want", func(_ *compress.TensorInfo, d []byte) []byte { return d[:len(d)-34] }},
		{"q8 patch rows without the padding block", "int8", patch, "padded to 608", func(_ *compress.TensorInfo, d []byte) []byte {
			return d[:len(d)-64*34] // 588 columns need 19 blocks a row, not 18
		}},
		{"q4 rows of q8 bytes", "int8", q, "want", func(i *compress.TensorInfo, d []byte) []byte {
			setType(quant.Q4)(i)
			i.BlockLen = 256
			return d
		}},
		{"q4 one row short", "int4", q, "want", func(_ *compress.TensorInfo, d []byte) []byte { return d[:len(d)-144] }},
		{"q8 newer layout", "int8", q, "newer pgedge", func(i *compress.TensorInfo, d []byte) []byte { i.Layout = quant.LayoutVersion + 1; return d }},
		{"q4 newer layout", "int4", q, "newer pgedge", func(i *compress.TensorInfo, d []byte) []byte { i.Layout = quant.LayoutVersion + 1; return d }},
		{"q8 layout 0", "int8", q, "layout version 0", func(i *compress.TensorInfo, d []byte) []byte { i.Layout = 0; return d }},
		{"q8 block length", "int8", q, "block length", func(i *compress.TensorInfo, d []byte) []byte { i.BlockLen = 64; return d }},
		{"q8 vector", "f32", norm, "needs a matrix", func(i *compress.TensorInfo, d []byte) []byte {
			setType(quant.Q8)(i)
			i.BlockLen, i.Layout = 32, quant.LayoutVersion
			return make([]byte, 2*34) // 64 weights: the right size for one padded row of two blocks
		}},
		{"q8 position table", "f32", pos, "position tensors must be", func(i *compress.TensorInfo, d []byte) []byte {
			setType(quant.Q8)(i)
			i.BlockLen, i.Layout = 32, quant.LayoutVersion
			return make([]byte, int(i.Shape[0])*2*34)
		}},
		{"unknown type", "f32", norm, "unknown storage type", func(i *compress.TensorInfo, d []byte) []byte {
			i.Type, i.TypeName = 9, quant.Type(9).String()
			return d
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := rewrite(t, pgeBytes(t, "pg2-tiny", c.weights), nil, only(c.tensor, c.edit))
			p, err := model.ParsePGE(data)
			if err == nil {
				p.Close()
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.tensor) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not name %s and say %q", err, c.tensor, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is more than one line: %q", err)
			}
		})
	}
	// An unedited rewrite still opens: the edits are what the reader rejects.
	if p, err := model.ParsePGE(rewrite(t, pgeBytes(t, "pg2-tiny", "int4"), nil, nil)); err != nil {
		t.Fatalf("unedited rewrite: %v", err)
	} else {
		p.Close()
	}
}

// TestPGEMetadataChecks: metadata that does not describe the tensors is rejected.
func TestPGEMetadataChecks(t *testing.T) {
	for _, c := range []struct{ name, from, to, want string }{
		{"format", `"format":"pgedge-paligemma"`, `"format":"other"`, "format"},
		{"config mismatch", `"hidden_size":64`, `"hidden_size":128`, "shape"},
	} {
		data := pgeBytes(t, "pg2-tiny", "f32")
		edited := rewrite(t, data, func(m []byte) []byte {
			if !bytes.Contains(m, []byte(c.from)) {
				t.Skipf("%s: metadata has no %s: %s", c.name, c.from, m[:min(len(m), 200)])
			}
			return bytes.Replace(m, []byte(c.from), []byte(c.to), 1)
		}, nil)
		if _, err := model.ParsePGE(edited); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
}

func TestStoredCols(t *testing.T) {
	for _, c := range []struct {
		dt         quant.Type
		cols, want int
	}{
		{quant.Q8, 4304, 4320}, {quant.Q8, 588, 608}, {quant.Q8, 1152, 1152}, {quant.Q8, 0, 0}, {quant.Q8, 1, 32},
		{quant.Q4, 1152, 1280}, {quant.Q4, 2304, 2304}, {quant.Q4, 64, 256},
		{quant.BF16, 5, 5}, {quant.F32, 588, 588}, {quant.F16, 3, 3},
	} {
		if got := quant.StoredCols(c.dt, c.cols); got != c.want {
			t.Errorf("%s %d: %d, want %d", c.dt, c.cols, got, c.want)
		}
		if got := quant.StoredCols(c.dt, c.cols); got != c.want {
			t.Errorf("quant.StoredCols(%s, %d) = %d, want %d", c.dt, c.cols, got, c.want)
		}
	}
}
