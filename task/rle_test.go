package task

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
)

func randomMask(r *rand.Rand, h, w int) []uint8 {
	m := make([]uint8, h*w)
	density := r.Float64()
	for i := range m {
		if r.Float64() < density {
			m[i] = uint8(1 + r.IntN(255)) // any non-zero byte counts as 1
		}
	}
	return m
}

// columnMajorRuns is an independent restatement of COCO's encoding for the test:
// flatten in Fortran order, then count runs starting with zeros.
func columnMajorRuns(m []uint8, h, w int) []int {
	runs := []int{0}
	cur := uint8(0)
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			v := min(m[y*w+x], 1)
			if v != cur {
				runs = append(runs, 0)
				cur = v
			}
			runs[len(runs)-1]++
		}
	}
	return runs
}

func TestRLERoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for it := 0; it < 500; it++ {
		h, w := r.IntN(40), r.IntN(40)
		m := randomMask(r, h, w)
		if it%7 == 0 && len(m) > 0 {
			m[0] = 1 // first pixel set: counts must start with a 0 run
		}
		rle, err := EncodeRLE(m, h, w)
		if err != nil {
			t.Fatal(err)
		}
		if rle.Size != [2]int{h, w} {
			t.Fatalf("size %v", rle.Size)
		}
		if want := columnMajorRuns(m, h, w); !slices.Equal(rle.Counts, want) {
			t.Fatalf("%dx%d: counts %v, want %v", h, w, rle.Counts, want)
		}
		back, err := rle.Decode()
		if err != nil {
			t.Fatal(err)
		}
		ones := 0
		for i := range m {
			ones += int(min(m[i], 1))
			if back[i] != min(m[i], 1) {
				t.Fatalf("%dx%d: pixel %d differs after round trip", h, w, i)
			}
		}
		if rle.Area() != ones {
			t.Fatalf("area %d, want %d", rle.Area(), ones)
		}
		cc, err := DecodeCompressedCounts(rle.CompressedCounts())
		if err != nil || !slices.Equal(cc, rle.Counts) {
			t.Fatalf("compressed round trip: %v, %v vs %v", err, cc, rle.Counts)
		}
		js, _ := json.Marshal(rle)
		var again RLE
		if err := json.Unmarshal(js, &again); err != nil || !slices.Equal(again.Counts, rle.Counts) || again.Size != rle.Size {
			t.Fatalf("JSON round trip of %s: %v", js, err)
		}
	}
}

// Large counts need several 5-bit groups and negative differences (pycocotools encodes
// counts after the third as differences); check those paths explicitly.
func TestRLECompressedLargeCounts(t *testing.T) {
	counts := []int{0, 100000, 3, 99999, 1, 1 << 30, 2, 0}
	got, err := DecodeCompressedCounts(RLE{Counts: counts}.CompressedCounts())
	if err != nil || !slices.Equal(got, counts) {
		t.Fatalf("got %v, %v", got, err)
	}
	for _, bad := range []string{"\x01", "o", "oooooooooooooo"} {
		if _, err := DecodeCompressedCounts(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRLEDecodeErrors(t *testing.T) {
	for _, r := range []RLE{
		{Size: [2]int{2, 2}, Counts: []int{1, 2}},     // too few pixels
		{Size: [2]int{2, 2}, Counts: []int{1, 2, 3}},  // too many
		{Size: [2]int{2, 2}, Counts: []int{-1, 5}},    // negative
		{Size: [2]int{-2, 2}, Counts: nil},            // bad size
		{Size: [2]int{1 << 20, 1 << 20}, Counts: nil}, // absurd size
	} {
		if _, err := r.Decode(); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	if _, err := EncodeRLE(make([]uint8, 5), 2, 2); err == nil {
		t.Error("EncodeRLE accepted a wrong-sized mask")
	}
}
