package task

import "fmt"

// MapSize is the side of the VQ-VAE logit map (64x64).
const MapSize = 64

// PasteMask builds the HxW binary mask of one object the way big_vision's segmentation
// evaluator does (vqvae README §6): the 64x64 logit map m64 (row-major) is resized to
// the box size with Pillow's BILINEAR filter on a float ("F") image, giving boxMap
// (box.Dy() rows x box.Dx() columns, before the threshold); pixel (y, x) of the box is 1
// iff boxMap > 0 (strictly; logits, no sigmoid), pasted at rows YMin..YMax-1 and columns
// XMin..XMax-1 of an all-zero imgH x imgW mask (row-major, one byte per pixel, 0 or 1).
//
// It returns nil, nil when there is nothing to paste: m64 is not 64*64 values, the box
// is empty or inverted (an invalid object), or the box is not inside the image (Parse
// never produces one).
func PasteMask(m64 []float32, box Box, imgW, imgH int) (mask []uint8, boxMap []float32) {
	if len(m64) != MapSize*MapSize || box.Empty() || box.XMin < 0 || box.YMin < 0 ||
		box.XMax > imgW || box.YMax > imgH {
		return nil, nil
	}
	bw, bh := box.Dx(), box.Dy()
	boxMap, err := ResizeBilinearF(m64, MapSize, MapSize, bw, bh)
	if err != nil {
		return nil, nil
	}
	mask = make([]uint8, imgW*imgH)
	for y := 0; y < bh; y++ {
		row := boxMap[y*bw : (y+1)*bw]
		dst := mask[(box.YMin+y)*imgW+box.XMin:][:bw]
		for x, v := range row {
			if v > 0 {
				dst[x] = 1
			}
		}
	}
	return mask, boxMap
}

// maxResizeSide bounds ResizeBilinearF's output side: 1<<16 is larger than any image
// side a PaliGemma runtime meets and keeps a bogus request from allocating gigabytes.
const maxResizeSide = 1 << 16

// ResizeBilinearF resizes a w x h float32 image (row-major) to outW x outH exactly as
// Pillow's Image.resize(..., BILINEAR) does for mode "F" (Pillow src/libImaging/
// Resample.c, vqvae README §7): a horizontal pass (only if outW != w) whose result is
// stored as float32, then a vertical pass (only if outH != h); each output sample is a
// float64 sum of input*weight over a triangle filter whose support widens by in/out when
// downscaling (antialiasing), rounded to float32 once. Same size returns a copy.
func ResizeBilinearF(src []float32, w, h, outW, outH int) ([]float32, error) {
	if w <= 0 || h <= 0 || len(src) != w*h {
		return nil, fmt.Errorf("task: resize: %d values for a %dx%d image", len(src), w, h)
	}
	if outW <= 0 || outH <= 0 || outW > maxResizeSide || outH > maxResizeSide {
		return nil, fmt.Errorf("task: resize: bad output size %dx%d", outW, outH)
	}
	cur, cw := src, w
	if outW != w {
		lo, ks := pilCoeffs(w, outW)
		tmp := make([]float32, outW*h)
		for y := 0; y < h; y++ {
			row := cur[y*cw : (y+1)*cw]
			for o := 0; o < outW; o++ {
				ss := 0.0
				for j, k := range ks[o] {
					// The conversion keeps the compiler from fusing the multiply-add into an
					// FMA (allowed by the Go spec on arm64 etc.), which would round
					// differently from Pillow's C.
					ss += float64(float64(row[lo[o]+j]) * k)
				}
				tmp[y*outW+o] = float32(ss)
			}
		}
		cur, cw = tmp, outW
	}
	if outH != h {
		lo, ks := pilCoeffs(h, outH)
		out := make([]float32, cw*outH)
		for o := 0; o < outH; o++ {
			for x := 0; x < cw; x++ {
				ss := 0.0
				for j, k := range ks[o] {
					ss += float64(float64(cur[(lo[o]+j)*cw+x]) * k)
				}
				out[o*cw+x] = float32(ss)
			}
		}
		return out, nil
	}
	if outW == w {
		return append([]float32(nil), src...), nil
	}
	return cur, nil
}

// pilCoeffs is Pillow's precompute_coeffs for the bilinear filter (support 1): for each
// output index o the first input index lo[o] and the normalised weights ks[o].
func pilCoeffs(nIn, nOut int) (lo []int, ks [][]float64) {
	scale := float64(nIn) / float64(nOut)
	fs := max(scale, 1.0)
	support := 1.0 * fs
	inv := 1.0 / fs
	lo = make([]int, nOut)
	ks = make([][]float64, nOut)
	for o := 0; o < nOut; o++ {
		center := (float64(o) + 0.5) * scale
		l := int(center - support + 0.5) // C (int) cast: truncation toward zero
		if l < 0 {
			l = 0
		}
		hi := int(center + support + 0.5)
		if hi > nIn {
			hi = nIn
		}
		k := make([]float64, max(hi-l, 0))
		sum := 0.0
		for j := range k {
			t := (float64(l+j) - center + 0.5) * inv
			if t < 0 {
				t = -t
			}
			if t < 1 {
				k[j] = 1 - t
			}
			sum += k[j]
		}
		if sum != 0 {
			for j := range k {
				k[j] /= sum
			}
		}
		lo[o], ks[o] = l, k
	}
	return lo, ks
}

// MaskDecoder turns 16 VQ-VAE codes into a 64x64 logit map; *vqvae.Decoder is one.
type MaskDecoder interface {
	Decode(codes [NumSeg]int) ([]float32, error)
}

// Masks decodes and pastes the mask of every valid object that has 16 codes; the other
// entries are nil. The result has one entry per object, ready for Draw.
func Masks(dec MaskDecoder, objs []Object, imgW, imgH int) ([][]uint8, error) {
	out := make([][]uint8, len(objs))
	for i, o := range objs {
		if !o.Valid || len(o.Codes) != NumSeg {
			continue
		}
		m64, err := dec.Decode([NumSeg]int(o.Codes))
		if err != nil {
			return nil, fmt.Errorf("task: object %d (%q): %w", i, o.Label, err)
		}
		out[i], _ = PasteMask(m64, o.Box, imgW, imgH)
	}
	return out, nil
}
