package vqvae

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pgedge/pgedge/internal/refset"
)

// refIndex is the part of a reference set's vqvae/index.json these tests read.
type refIndex struct {
	Weights struct {
		File    string `json:"file"`
		Tensors []struct {
			Name  string `json:"name"`
			Shape []int  `json:"shape"`
		} `json:"tensors"`
	} `json:"weights"`
	DecoderVectors []struct {
		Name       string `json:"name"`
		Codes      []int  `json:"codes"`
		LogitsFile string `json:"logits_file"`
		Shape      []int  `json:"shape"`
	} `json:"decoder_vectors"`
}

type refSet struct {
	name, dir string
	idx       refIndex
}

func loadRefSets(t testing.TB) []refSet {
	t.Helper()
	sets, err := refset.Subdirs("vqvae")
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) == 0 {
		t.Fatal("no vqvae reference set found (testdata/reference/vqvae is part of the repository)")
	}
	var out []refSet
	for _, s := range sets {
		b, err := os.ReadFile(filepath.Join(s.Dir, "index.json"))
		if err != nil {
			t.Fatal(err)
		}
		var idx refIndex
		if err := json.Unmarshal(b, &idx); err != nil {
			t.Fatalf("%s: %v", s.Dir, err)
		}
		out = append(out, refSet{name: s.Name, dir: s.Dir, idx: idx})
	}
	return out
}

var decoderCache sync.Map // path -> *Decoder

func loadDecoder(t testing.TB, path string) *Decoder {
	t.Helper()
	if d, ok := decoderCache.Load(path); ok {
		return d.(*Decoder)
	}
	d, err := LoadDecoder(path)
	if err != nil {
		t.Fatal(err)
	}
	decoderCache.Store(path, d)
	return d
}

func readF32(t testing.TB, path string) []float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b)%4 != 0 {
		t.Fatalf("%s: %d bytes is not a multiple of 4", path, len(b))
	}
	out := make([]float32, len(b)/4)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func maxAbsDiff(a, b []float32) float64 {
	m := 0.0
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}

// The README asks for 1e-4: the expected maps are float32 PyTorch output and two float64
// recomputations agree with them to 5.8e-6; our float32 sums in another order add ~1e-6.
const mapTol = 1e-4

func TestVQVAEGrid(t *testing.T) {
	for _, rs := range loadRefSets(t) {
		dec := loadDecoder(t, filepath.Join(rs.dir, rs.idx.Weights.File))
		if len(rs.idx.DecoderVectors) == 0 {
			t.Errorf("%s: index.json lists no decoder_vectors", rs.dir)
		}
		for _, g := range rs.idx.DecoderVectors {
			t.Run(g.Name, func(t *testing.T) {
				if len(g.Codes) != GridCodes {
					t.Fatalf("%d codes", len(g.Codes))
				}
				want := readF32(t, filepath.Join(rs.dir, g.LogitsFile))
				if len(want) != MapSize*MapSize {
					t.Fatalf("%s holds %d floats", g.LogitsFile, len(want))
				}
				got, err := dec.Decode([GridCodes]int(g.Codes))
				if err != nil {
					t.Fatal(err)
				}
				diff := maxAbsDiff(got, want)
				t.Logf("set %s: max abs diff %.3g", rs.name, diff)
				if !(diff <= mapTol) {
					t.Errorf("max abs diff %g > %g", diff, mapTol)
				}
			})
		}
	}
}

// TestDecoderTensorsMatchIndex checks that the decoder's tensor list is a subset of the
// tensors index.json declares, with the shapes NewDecoder demands.
func TestDecoderTensorsMatchIndex(t *testing.T) {
	for _, rs := range loadRefSets(t) {
		shapes := map[string][]int{}
		for _, tt := range rs.idx.Weights.Tensors {
			shapes[tt.Name] = tt.Shape
		}
		ts := map[string]Tensor{}
		for _, n := range decoderTensorNames() {
			s, ok := shapes[n]
			if !ok {
				t.Fatalf("%s: index.json lacks %s", rs.dir, n)
			}
			size := 1
			for _, v := range s {
				size *= v
			}
			ts[n] = Tensor{Shape: s, Data: make([]float32, size)}
		}
		if _, err := NewDecoder(ts); err != nil {
			t.Fatalf("%s: shapes of index.json rejected: %v", rs.dir, err)
		}
	}
}

// zeroTensors builds a decoder tensor set with the vae-oid shapes.
func zeroTensors() map[string]Tensor {
	ts := map[string]Tensor{}
	add := func(name string, shape ...int) {
		n := 1
		for _, s := range shape {
			n *= s
		}
		ts[name] = Tensor{Shape: shape, Data: make([]float32, n)}
	}
	add("_vq_vae._embedding", 128, 512)
	add("decoder.0.weight", 128, 512, 1, 1)
	add("decoder.0.bias", 128)
	for _, b := range []string{"decoder.2", "decoder.3"} {
		add(b+".net.0.weight", 128, 128, 3, 3)
		add(b+".net.0.bias", 128)
		add(b+".net.2.weight", 128, 128, 3, 3)
		add(b+".net.2.bias", 128)
		add(b+".net.4.weight", 128, 128, 1, 1)
		add(b+".net.4.bias", 128)
	}
	ch := upChannels
	for i, l := range []string{"decoder.4", "decoder.6", "decoder.8", "decoder.10"} {
		add(l+".weight", ch[i], ch[i+1], 4, 4)
		add(l+".bias", ch[i+1])
	}
	add("decoder.12.weight", 1, 16, 1, 1)
	add("decoder.12.bias", 1)
	return ts
}

func TestNewDecoderErrors(t *testing.T) {
	if _, err := NewDecoder(zeroTensors()); err != nil {
		t.Fatalf("valid shapes rejected: %v", err)
	}
	ts := zeroTensors()
	delete(ts, "decoder.3.net.2.bias")
	if _, err := NewDecoder(ts); err == nil || !strings.Contains(err.Error(), "decoder.3.net.2.bias") {
		t.Errorf("missing tensor: got %v", err)
	}
	ts = zeroTensors()
	ts["decoder.8.weight"] = Tensor{Shape: []int{64, 32, 3, 3}, Data: make([]float32, 64*32*9)}
	if _, err := NewDecoder(ts); err == nil || !strings.Contains(err.Error(), "decoder.8.weight") {
		t.Errorf("wrong shape: got %v", err)
	}
	ts = zeroTensors()
	ts["decoder.12.bias"] = Tensor{Shape: []int{1}}
	if _, err := NewDecoder(ts); err == nil || !strings.Contains(err.Error(), "decoder.12.bias") {
		t.Errorf("short data: got %v", err)
	}
	ts = zeroTensors()
	ts["_vq_vae._embedding"] = Tensor{Shape: []int{127, 512}, Data: make([]float32, 127*512)}
	if _, err := NewDecoder(ts); err == nil || !strings.Contains(err.Error(), "_vq_vae._embedding") {
		t.Errorf("codebook size: got %v", err)
	}
	// A different D must be consistent between the codebook and decoder.0.
	ts = zeroTensors()
	ts["_vq_vae._embedding"] = Tensor{Shape: []int{128, 256}, Data: make([]float32, 128*256)}
	if _, err := NewDecoder(ts); err == nil || !strings.Contains(err.Error(), "decoder.0.weight") {
		t.Errorf("D mismatch: got %v", err)
	}
}

func TestDecodeBadCodes(t *testing.T) {
	d, err := NewDecoder(zeroTensors())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []int{-1, 128, math.MaxInt} {
		var c [GridCodes]int
		c[7] = bad
		if _, err := d.Decode(c); err == nil {
			t.Errorf("code %d accepted", bad)
		}
	}
	if err := d.DecodeInto(make([]float32, 100), [GridCodes]int{}); err == nil {
		t.Error("short dst accepted")
	}
}

// TestDecodeConcurrent decodes different grids from several goroutines and compares with
// the sequential results (the scratch pool must not be shared between calls).
func TestDecodeConcurrent(t *testing.T) {
	rs := loadRefSets(t)[0]
	dec := loadDecoder(t, filepath.Join(rs.dir, rs.idx.Weights.File))
	var grids [][GridCodes]int
	var want [][]float32
	for g := 0; g < 8; g++ {
		var c [GridCodes]int
		for k := range c {
			c[k] = (g*37 + k*11) % NumCodes
		}
		m, err := dec.Decode(c)
		if err != nil {
			t.Fatal(err)
		}
		grids, want = append(grids, c), append(want, m)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 3; r++ {
				for g := range grids {
					m, err := dec.Decode(grids[(g+w)%len(grids)])
					if err != nil {
						t.Error(err)
						return
					}
					if d := maxAbsDiff(m, want[(g+w)%len(grids)]); d != 0 {
						t.Errorf("concurrent decode differs by %g", d)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestDecodeAllocs(t *testing.T) {
	rs := loadRefSets(t)[0]
	dec := loadDecoder(t, filepath.Join(rs.dir, rs.idx.Weights.File))
	dst := make([]float32, MapSize*MapSize)
	codes := [GridCodes]int{1, 2, 3}
	_ = dec.DecodeInto(dst, codes) // warm the pool
	// Under GC pressure the pool may drop its scratch, so allow a fraction of a new one.
	if n := testing.AllocsPerRun(20, func() { _ = dec.DecodeInto(dst, codes) }); n > 1 {
		t.Errorf("DecodeInto allocates %.1f times per call", n)
	}
}

func BenchmarkDecode(b *testing.B) {
	rs := loadRefSets(b)[0]
	dec := loadDecoder(b, filepath.Join(rs.dir, rs.idx.Weights.File))
	dst := make([]float32, MapSize*MapSize)
	codes := [GridCodes]int{39, 120, 89, 46, 17, 100, 51, 75, 79, 37, 46, 118, 99, 111, 17, 46}
	b.ReportAllocs()
	for b.Loop() {
		if err := dec.DecodeInto(dst, codes); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/mask")
}
