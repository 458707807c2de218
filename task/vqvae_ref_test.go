package task

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/vqvae"
)

// The part of vqvae/index.json (vqvae README §8) these tests read.
type refBox struct{ Y1, X1, Y2, X2 int }

type refCase struct {
	Name     string `json:"name"`
	Text     string `json:"text"`
	Height   int    `json:"height"`
	Width    int    `json:"width"`
	Segments []struct {
		Text        string `json:"text"`
		IsObject    bool   `json:"is_object"`
		ObjectIndex *int   `json:"object_index"`
	} `json:"segments"`
	Objects []struct {
		Label    string `json:"label"`
		LocBins  []int  `json:"loc_bins"`
		SegCodes []int  `json:"seg_codes"`
		HasSeg   bool   `json:"has_seg"`
		Box      refBox `json:"box"`
		BoxValid bool   `json:"box_valid"`
		BoxAlt   refBox `json:"box_alt_div1024_round_half_even"`
		Mask     *struct {
			File   string `json:"file"`
			Shape  []int  `json:"shape"`
			Ones   int    `json:"ones"`
			SHA256 string `json:"sha256"`
		} `json:"mask"`
		M64 *struct {
			File string `json:"file"`
		} `json:"m64"`
		BoxMap *struct {
			File        string  `json:"file"`
			Shape       []int   `json:"shape"`
			MinAbsValue float64 `json:"min_abs_value"`
		} `json:"box_map"`
	} `json:"objects"`
}

type refIndex struct {
	Weights struct {
		File string `json:"file"`
	} `json:"weights"`
	Cases []refCase `json:"cases"`
}

type refSet struct {
	name, dir string
	idx       refIndex
}

func loadRefSets(t *testing.T) []refSet {
	t.Helper()
	sets, err := refset.Subdirs("vqvae")
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) == 0 {
		t.Fatal("no vqvae reference set (testdata/reference/vqvae is part of the repository)")
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
		out = append(out, refSet{s.Name, s.Dir, idx})
	}
	return out
}

var decoders sync.Map

func decoderFor(t *testing.T, rs refSet) *vqvae.Decoder {
	t.Helper()
	path := filepath.Join(rs.dir, rs.idx.Weights.File)
	if d, ok := decoders.Load(path); ok {
		return d.(*vqvae.Decoder)
	}
	d, err := vqvae.LoadDecoder(path)
	if err != nil {
		t.Fatal(err)
	}
	decoders.Store(path, d)
	return d
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readF32(t *testing.T, path string, n int) []float32 {
	t.Helper()
	b := readFile(t, path)
	if len(b) != 4*n {
		t.Fatalf("%s: %d bytes, want %d", path, len(b), 4*n)
	}
	out := make([]float32, n)
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

// Tolerances from the vqvae README: decoded maps within 1e-4 (§3). A box map is a convex
// combination of map values, so it inherits the same bound.
const mapTol = 1e-4

// boundaryTol: a mask pixel may differ from the reference only where the pre-threshold
// value is this close to 0 (the README picks codes with |value| >= 1e-4 everywhere, so
// no pixel should differ), and at most maxDiffFrac of the box may differ.
const (
	boundaryTol = 1e-4
	maxDiffFrac = 0.005
)

// TestVQVAE checks, for every case of index.json, the parsed pieces, objects and boxes
// (big_vision rule and the /1024 round-half-even variant), and for every object with a
// mask: its decoded 64x64 map, its box-resized map and its pasted full mask.
func TestVQVAE(t *testing.T) {
	for _, rs := range loadRefSets(t) {
		dec := decoderFor(t, rs)
		if len(rs.idx.Cases) == 0 {
			t.Errorf("%s: no cases", rs.dir)
		}
		for _, c := range rs.idx.Cases {
			t.Run(c.Name, func(t *testing.T) { checkCase(t, rs, dec, c) })
		}
	}
}

func checkCase(t *testing.T, rs refSet, dec *vqvae.Decoder, c refCase) {
	res := Parse(c.Text, c.Width, c.Height, ParseOptions{})
	if len(res.Segments) != len(c.Segments) {
		t.Fatalf("%d pieces, want %d: %+v", len(res.Segments), len(c.Segments), res.Segments)
	}
	nUnparsed := 0
	for i, s := range c.Segments {
		got := res.Segments[i]
		if got.Text != s.Text || (got.Object >= 0) != s.IsObject {
			t.Errorf("piece %d: got %q object=%v (%s), want %q object=%v", i, got.Text, got.Object >= 0, got.Reason, s.Text, s.IsObject)
		}
		if s.ObjectIndex != nil && got.Object != *s.ObjectIndex {
			t.Errorf("piece %d: object index %d, want %d", i, got.Object, *s.ObjectIndex)
		}
		if !s.IsObject {
			if nUnparsed >= len(res.Unparsed) || res.Unparsed[nUnparsed] != s.Text {
				t.Errorf("piece %d missing from Unparsed %q", i, res.Unparsed)
			}
			nUnparsed++
		}
	}
	if len(res.Unparsed) != nUnparsed {
		t.Errorf("Unparsed has %d pieces, want %d", len(res.Unparsed), nUnparsed)
	}
	if len(res.Objects) != len(c.Objects) {
		t.Fatalf("%d objects, want %d", len(res.Objects), len(c.Objects))
	}
	alt := Parse(c.Text, c.Width, c.Height, ParseOptions{Divisor: 1024, RoundHalfEven: true})
	for k, want := range c.Objects {
		got := res.Objects[k]
		if got.Label != want.Label || !slices.Equal(got.Bins[:], want.LocBins) ||
			!slices.Equal(got.Codes, want.SegCodes) || (got.Codes != nil) != want.HasSeg {
			t.Errorf("object %d: got %q bins %v codes %v, want %q bins %v codes %v",
				k, got.Label, got.Bins, got.Codes, want.Label, want.LocBins, want.SegCodes)
		}
		wb := Box{XMin: want.Box.X1, YMin: want.Box.Y1, XMax: want.Box.X2, YMax: want.Box.Y2}
		if got.Box != wb || got.Valid != want.BoxValid {
			t.Errorf("object %d: box %+v valid %v, want %+v valid %v", k, got.Box, got.Valid, wb, want.BoxValid)
		}
		ab := Box{XMin: want.BoxAlt.X1, YMin: want.BoxAlt.Y1, XMax: want.BoxAlt.X2, YMax: want.BoxAlt.Y2}
		if alt.Objects[k].Box != ab {
			t.Errorf("object %d: /1024 round-half-even box %+v, want %+v", k, alt.Objects[k].Box, ab)
		}
		if want.Mask == nil {
			if got.Valid && got.Codes != nil {
				t.Errorf("object %d: reference has no mask but the object is valid with codes", k)
			}
			if got.Codes != nil {
				if m, bm := PasteMask(make([]float32, MapSize*MapSize), got.Box, c.Width, c.Height); m != nil || bm != nil {
					t.Errorf("object %d: PasteMask pasted an invalid box", k)
				}
			}
			continue
		}
		checkMask(t, rs, dec, c, k, got)
	}
}

func checkMask(t *testing.T, rs refSet, dec *vqvae.Decoder, c refCase, k int, got Object) {
	want := c.Objects[k]
	m64, err := dec.Decode([NumSeg]int(got.Codes))
	if err != nil {
		t.Fatal(err)
	}
	refM64 := readF32(t, filepath.Join(rs.dir, want.M64.File), MapSize*MapSize)
	d64 := maxAbsDiff(m64, refM64)
	if !(d64 <= mapTol) {
		t.Errorf("object %d: 64x64 map max abs diff %g > %g", k, d64, mapTol)
	}

	bw, bh := got.Box.Dx(), got.Box.Dy()
	if !slices.Equal(want.BoxMap.Shape, []int{bh, bw}) {
		t.Fatalf("object %d: box map shape %v, our box is %dx%d", k, want.BoxMap.Shape, bh, bw)
	}
	refBox := readF32(t, filepath.Join(rs.dir, want.BoxMap.File), bh*bw)
	maskBytes := readFile(t, filepath.Join(rs.dir, want.Mask.File))
	if sum := sha256.Sum256(maskBytes); hex.EncodeToString(sum[:]) != want.Mask.SHA256 {
		t.Fatalf("object %d: %s does not match its sha256 in index.json", k, want.Mask.File)
	}
	if len(maskBytes) != c.Width*c.Height {
		t.Fatalf("object %d: mask file has %d bytes", k, len(maskBytes))
	}

	// Our pipeline: decoded map -> resize -> threshold -> paste.
	mask, boxMap := PasteMask(m64, got.Box, c.Width, c.Height)
	if mask == nil {
		t.Fatalf("object %d: no mask", k)
	}
	dBox := maxAbsDiff(boxMap, refBox)
	if !(dBox <= mapTol) {
		t.Errorf("object %d: box map max abs diff %g > %g", k, dBox, mapTol)
	}
	differ, offBoundary, ones := 0, 0, 0
	for i, v := range mask {
		ones += int(v)
		if v == maskBytes[i] {
			continue
		}
		differ++
		y, x := i/c.Width-got.Box.YMin, i%c.Width-got.Box.XMin
		if y < 0 || y >= bh || x < 0 || x >= bw || math.Abs(float64(boxMap[y*bw+x])) >= boundaryTol {
			offBoundary++
		}
	}
	if offBoundary > 0 || float64(differ) > maxDiffFrac*float64(bw*bh) {
		t.Errorf("object %d: %d mask pixels differ (%d away from the threshold boundary)", k, differ, offBoundary)
	}
	if differ == 0 && ones != want.Mask.Ones {
		t.Errorf("object %d: %d ones, index.json says %d", k, ones, want.Mask.Ones)
	}

	// Resize alone, from the reference map: must be bit-exact (README §7).
	refMask, refBoxMap := PasteMask(refM64, got.Box, c.Width, c.Height)
	bitDiff := 0
	for i := range refBox {
		if math.Float32bits(refBoxMap[i]) != math.Float32bits(refBox[i]) {
			bitDiff++
		}
	}
	if bitDiff > 0 {
		t.Errorf("object %d: resize of the reference map differs from %s in %d of %d values (max %g)",
			k, want.BoxMap.File, bitDiff, len(refBox), maxAbsDiff(refBoxMap, refBox))
	}
	if !slices.Equal(refMask, maskBytes) {
		t.Errorf("object %d: mask pasted from the reference map differs from %s", k, want.Mask.File)
	}
	t.Logf("set %s object %d %q box %dx%d: m64 max diff %.3g, box map max diff %.3g, mask pixels differing %d of %d (ones %d)",
		rs.name, k, got.Label, bw, bh, d64, dBox, differ, len(mask), ones)
}
