package task

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// RLE is COCO's *uncompressed* run-length encoding of a binary mask, the JSON form
// {"size": [h, w], "counts": [...]} that pycocotools.mask.frPyObjects accepts. Pixels
// are visited in column-major (Fortran) order, i.e. down each column, left to right;
// counts alternate runs of 0s and 1s and always start with a run of 0s (which is 0 when
// the first pixel is set). The counts sum to h*w.
type RLE struct {
	Size   [2]int `json:"size"` // [height, width]
	Counts []int  `json:"counts"`
}

// EncodeRLE encodes an h x w row-major mask (any non-zero byte is 1).
func EncodeRLE(mask []uint8, h, w int) (RLE, error) {
	if h < 0 || w < 0 || len(mask) != h*w {
		return RLE{}, fmt.Errorf("task: rle: %d pixels for a %dx%d mask", len(mask), h, w)
	}
	r := RLE{Size: [2]int{h, w}, Counts: []int{}}
	var cur uint8 // the value of the current run: 0 first, as COCO requires
	run := 0
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			v := uint8(0)
			if mask[y*w+x] != 0 {
				v = 1
			}
			if v != cur {
				r.Counts = append(r.Counts, run)
				cur, run = v, 0
			}
			run++
		}
	}
	r.Counts = append(r.Counts, run)
	return r, nil
}

// Decode returns the h x w row-major mask (0/1) that r encodes.
func (r RLE) Decode() ([]uint8, error) {
	h, w := r.Size[0], r.Size[1]
	if h < 0 || w < 0 || (w > 0 && h > math.MaxInt32/w) {
		return nil, fmt.Errorf("task: rle: bad size %v", r.Size)
	}
	n := h * w
	mask := make([]uint8, n)
	pos := 0 // column-major position
	for i, c := range r.Counts {
		if c < 0 || c > n-pos {
			return nil, fmt.Errorf("task: rle: count %d at %d overruns %dx%d", c, i, h, w)
		}
		if i%2 == 1 {
			for p := pos; p < pos+c; p++ {
				mask[(p%h)*w+p/h] = 1
			}
		}
		pos += c
	}
	if pos != n {
		return nil, fmt.Errorf("task: rle: counts cover %d of %d pixels", pos, n)
	}
	return mask, nil
}

// Area is the number of 1 pixels.
func (r RLE) Area() int {
	a := 0
	for i := 1; i < len(r.Counts); i += 2 {
		a += r.Counts[i]
	}
	return a
}

// CompressedCounts returns pycocotools' compact string form of the counts (rleToString
// in maskApi.c): each count, minus the count two places earlier from the fourth on, is
// written as 5-bit groups in printable characters starting at '0'. {"size": [h, w],
// "counts": <this string>} is COCO's compressed RLE.
func (r RLE) CompressedCounts() string {
	var b strings.Builder
	for i, c := range r.Counts {
		x := int64(c)
		if i > 2 {
			x -= int64(r.Counts[i-2])
		}
		for more := true; more; {
			ch := x & 0x1f
			x >>= 5 // arithmetic shift, as the C code's long
			if ch&0x10 != 0 {
				more = x != -1
			} else {
				more = x != 0
			}
			if more {
				ch |= 0x20
			}
			b.WriteByte(byte(ch + 48))
		}
	}
	return b.String()
}

// DecodeCompressedCounts inverts CompressedCounts (pycocotools rleFrString).
func DecodeCompressedCounts(s string) ([]int, error) {
	var counts []int
	for p := 0; p < len(s); {
		var x int64
		k := 0
		for more := true; more; {
			if p >= len(s) {
				return nil, errors.New("task: rle: truncated compressed counts")
			}
			if k >= 12 { // 12 groups of 5 bits = 60 bits: more means garbage
				return nil, errors.New("task: rle: compressed count too long")
			}
			c := int64(s[p]) - 48
			if c < 0 || c > 63 {
				return nil, fmt.Errorf("task: rle: bad character %q", s[p])
			}
			x |= (c & 0x1f) << (5 * k)
			more = c&0x20 != 0
			p++
			k++
			if !more && c&0x10 != 0 {
				x |= -1 << (5 * k)
			}
		}
		if len(counts) > 2 {
			x += int64(counts[len(counts)-2])
		}
		counts = append(counts, int(x))
	}
	return counts, nil
}
