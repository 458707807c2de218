package imageproc

import "image"

// JPEG colour conversion as libjpeg-turbo does it for PIL (JDCT_ISLOW,
// do_fancy_upsampling=TRUE, JCS_YCbCr → JCS_RGB). Go's image/jpeg hands us
// the Y, Cb and Cr planes at their stored resolution; this file upsamples the
// chroma planes with libjpeg's filters (jdsample.c) and converts with
// libjpeg's integer tables (jdcolor.c). Go's own YCbCr.At replicates chroma
// (nearest neighbour) and rounds the conversion differently, which on the
// 4:2:0 test photo is off by up to tens of levels at colour edges; with the
// code below only IDCT rounding differences remain.

// libjpeg's fixed-point YCbCr → RGB tables: SCALEBITS = 16, FIX(x) =
// round(x·2^16), and RIGHT_SHIFT is an arithmetic shift.
var crR, cbB, crG, cbG [256]int32

func init() {
	const (
		scaleBits = 16
		oneHalf   = 1 << (scaleBits - 1)
		fix1402   = 91881  // FIX(1.40200)
		fix1772   = 116130 // FIX(1.77200)
		fix071414 = 46802  // FIX(0.71414)
		fix034414 = 22554  // FIX(0.34414)
	)
	for i := range 256 {
		x := int32(i - 128)
		crR[i] = (fix1402*x + oneHalf) >> scaleBits
		cbB[i] = (fix1772*x + oneHalf) >> scaleBits
		crG[i] = -fix071414 * x
		cbG[i] = -fix034414*x + oneHalf
	}
}

// ycbcrToRGB fills dst (same size as src) from a decoded JPEG.
func ycbcrToRGB(dst *RGB, src *image.YCbCr) {
	w, h := dst.W, dst.H
	cb := upsampleChroma(src, src.Cb, w, h)
	cr := upsampleChroma(src, src.Cr, w, h)
	for y := 0; y < h; y++ {
		yrow := src.Y[(y)*src.YStride : y*src.YStride+w]
		out := dst.Pix[3*y*w : 3*(y+1)*w]
		for x, yv := range yrow {
			Y := int32(yv)
			b, r := cb[y*w+x], cr[y*w+x]
			out[3*x] = clampU8(int(Y + crR[r]))
			out[3*x+1] = clampU8(int(Y + (cbG[b]+crG[r])>>16))
			out[3*x+2] = clampU8(int(Y + cbB[b]))
		}
	}
}

// upsampleChroma returns a w×h plane of one chroma component, upsampled the
// way libjpeg-turbo's jdsample.c chooses for the subsampling ratio:
//
//   - 4:4:4: copied;
//   - 4:2:2 (h2v1) and 4:2:0 (h2v2): "fancy" triangle filter, i.e. each
//     output sample is ¾ of the nearer and ¼ of the further input sample in
//     each subsampled direction, with libjpeg's alternating rounding biases
//     (when the subsampled width is ≤ 2 libjpeg falls back to replication);
//   - 4:4:0 (h1v2): the vertical-only triangle filter;
//   - 4:1:1 and 4:1:0: replication (int_upsample).
//
// Neighbours beyond the image edge are the edge sample itself, as libjpeg's
// context rows and first/last-column special cases make them.
func upsampleChroma(src *image.YCbCr, plane []uint8, w, h int) []uint8 {
	hs, vs := 1, 1 // horizontal / vertical subsampling factors
	switch src.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		hs = 2
	case image.YCbCrSubsampleRatio420:
		hs, vs = 2, 2
	case image.YCbCrSubsampleRatio440:
		vs = 2
	case image.YCbCrSubsampleRatio411:
		hs = 4
	case image.YCbCrSubsampleRatio410:
		hs, vs = 4, 2
	}
	// The decoded image's bounds start at (0,0), so chroma sample (cx, cy)
	// is at plane[cy*CStride+cx]. cw, ch are libjpeg's downsampled_width and
	// downsampled_height: the samples that belong to the image, excluding
	// the MCU padding.
	cw, ch := (w+hs-1)/hs, (h+vs-1)/vs
	at := func(cx, cy int) int32 {
		cx = min(max(cx, 0), cw-1)
		cy = min(max(cy, 0), ch-1)
		return int32(plane[cy*src.CStride+cx])
	}
	out := make([]uint8, w*h)
	fancyH := hs == 2 && cw > 2
	switch {
	case hs == 1 && vs == 1:
		for y := 0; y < h; y++ {
			copy(out[y*w:(y+1)*w], plane[y*src.CStride:])
		}
	case hs == 2 && vs == 2 && fancyH:
		// h2v2_fancy_upsample: colsum = 3·nearer row + further row, then
		// (3·colsum + neighbouring colsum + 8 or 7) >> 4.
		for y := 0; y < h; y++ {
			cy := y / 2
			ny := cy - 1 // upper output row of the pair: row above
			if y%2 == 1 {
				ny = cy + 1
			}
			colsum := func(cx int) int32 { return 3*at(cx, cy) + at(cx, ny) }
			for x := 0; x < w; x++ {
				cx := x / 2
				var v int32
				if x%2 == 0 {
					v = (3*colsum(cx) + colsum(cx-1) + 8) >> 4
				} else {
					v = (3*colsum(cx) + colsum(cx+1) + 7) >> 4
				}
				out[y*w+x] = uint8(v)
			}
		}
	case hs == 2 && vs == 1 && fancyH:
		// h2v1_fancy_upsample: (3·nearer + further + 1 or 2) >> 2.
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				cx := x / 2
				var v int32
				if x%2 == 0 {
					v = (3*at(cx, y) + at(cx-1, y) + 1) >> 2
				} else {
					v = (3*at(cx, y) + at(cx+1, y) + 2) >> 2
				}
				out[y*w+x] = uint8(v)
			}
		}
	case hs == 1 && vs == 2:
		// h1v2_fancy_upsample (libjpeg-turbo ≥ 1.5): vertical only.
		for y := 0; y < h; y++ {
			cy := y / 2
			for x := 0; x < w; x++ {
				var v int32
				if y%2 == 0 {
					v = (3*at(x, cy) + at(x, cy-1) + 1) >> 2
				} else {
					v = (3*at(x, cy) + at(x, cy+1) + 2) >> 2
				}
				out[y*w+x] = uint8(v)
			}
		}
	default:
		// Plain replication: h2v1/h2v2 with a tiny width, 4:1:1, 4:1:0.
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out[y*w+x] = uint8(at(x/hs, y/vs))
			}
		}
	}
	return out
}
