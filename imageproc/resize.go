package imageproc

import (
	"fmt"
	"math"
)

// This file is a transcription of PIL 9.4's libImaging/Resample.c for 8-bit
// images (ImagingResampleInner, precompute_coeffs, normalize_coeffs_8bpc,
// ImagingResample{Horizontal,Vertical}_8bpc) restricted to the BICUBIC filter
// and the full-image box, which is how SiglipImageProcessor calls
// Image.resize. Every float operation is done in float64 in the same order as
// the C code, so the fixed-point coefficients are bit-identical to PIL's and
// the output is exact, not just close.

// precisionBits is PIL's PRECISION_BITS = 32 − 8 − 2: coefficients are
// fixed-point with 22 fraction bits, leaving 8 bits for the pixel value and 2
// bits of headroom for the kernel's overshoot.
const precisionBits = 32 - 8 - 2

// bicubicSupport is the radius of PIL's BICUBIC filter before stretching.
const bicubicSupport = 2.0

// bicubicFilter is PIL's bicubic_filter: Keys' cubic with a = −0.5
// (Catmull-Rom). The float64() conversions stop the Go compiler from fusing
// multiply-adds (it does on arm64), which would change the last bit of a
// weight and hence, occasionally, a rounded coefficient.
func bicubicFilter(x float64) float64 {
	const a = -0.5
	if x < 0 {
		x = -x
	}
	if x < 1 {
		return float64(float64(float64((a+2.0)*x)-(a+3.0))*x*x) + 1
	}
	if x < 2 {
		return float64(float64(float64(float64(x-5)*x)+8)*x-4) * a
	}
	return 0
}

// coeffs holds one pass's resampling kernel: for output index o, the taps
// cover input indices [start[o], start[o]+count[o]) with fixed-point weights
// k[o*ksize : o*ksize+count[o]].
type coeffs struct {
	ksize        int
	start, count []int
	k            []int32
}

// precomputeCoeffs is PIL's precompute_coeffs followed by
// normalize_coeffs_8bpc, for a box of [0, inSize).
func precomputeCoeffs(inSize, outSize int) coeffs {
	// in0 and in1 are C floats in PIL; both are exact for any size below 2^24.
	scale := float64(inSize) / float64(outSize)
	filterscale := scale
	if filterscale < 1 {
		filterscale = 1
	}
	support := bicubicSupport * filterscale
	ksize := int(math.Ceil(support))*2 + 1
	c := coeffs{
		ksize: ksize,
		start: make([]int, outSize),
		count: make([]int, outSize),
		k:     make([]int32, outSize*ksize),
	}
	w := make([]float64, ksize)
	ss := 1.0 / filterscale
	for o := 0; o < outSize; o++ {
		center := float64(float64(o)+0.5) * scale
		// C's (int) truncates toward zero; a negative value is clamped to 0
		// right after, so truncation and floor agree here.
		xmin := int(center - support + 0.5)
		if xmin < 0 {
			xmin = 0
		}
		xmax := int(center + support + 0.5)
		if xmax > inSize {
			xmax = inSize
		}
		xmax -= xmin
		ww := 0.0
		for x := 0; x < xmax; x++ {
			v := bicubicFilter(float64(float64(float64(x+xmin)-center)+0.5) * ss)
			w[x] = v
			ww += v
		}
		row := c.k[o*ksize : (o+1)*ksize]
		for x := 0; x < xmax; x++ {
			v := w[x]
			if ww != 0 {
				v /= ww
			}
			// normalize_coeffs_8bpc: round half away from zero.
			if v < 0 {
				row[x] = int32(-0.5 + float64(v*(1<<precisionBits)))
			} else {
				row[x] = int32(0.5 + float64(v*(1<<precisionBits)))
			}
		}
		c.start[o] = xmin
		c.count[o] = xmax
	}
	return c
}

// clip8 is PIL's clip8: drop the 22 fraction bits (the +½ was added up front)
// and saturate to 0..255.
func clip8(v int32) uint8 {
	if v >= 1<<precisionBits<<8 {
		return 255
	}
	if v <= 0 {
		return 0
	}
	return uint8(v >> precisionBits)
}

// ResizeBicubic resizes src to w×h exactly as PIL 9.4's
// Image.resize((w, h), Image.BICUBIC) does for an RGB image: a horizontal
// pass into a uint8 intermediate (rounded and clamped), then a vertical pass.
// The filter support is 2·max(1, in/out) input pixels, so downscaling
// averages over the whole footprint (antialiasing). Taps that fall outside
// the image are dropped and the remaining weights renormalized. A pass whose
// size does not change is skipped, as in PIL; the same size returns a copy.
//
// It panics if w or h is not positive or src is inconsistent, like other
// constructors given impossible sizes; sizes here come from the model config,
// not from untrusted input.
func ResizeBicubic(src *RGB, w, h int) *RGB {
	if w <= 0 || h <= 0 {
		panic(fmt.Sprintf("imageproc: ResizeBicubic to %dx%d", w, h))
	}
	if src.W <= 0 || src.H <= 0 || len(src.Pix) != 3*src.W*src.H {
		panic(fmt.Sprintf("imageproc: ResizeBicubic of a malformed %dx%d image with %d bytes", src.W, src.H, len(src.Pix)))
	}
	cur := src
	if w != src.W {
		cur = resizeHorizontal(src, w)
	}
	if h != src.H {
		cur = resizeVertical(cur, h)
	}
	if cur == src {
		cur = &RGB{W: src.W, H: src.H, Pix: append([]uint8(nil), src.Pix...)}
	}
	return cur
}

// resizeHorizontal is ImagingResampleHorizontal_8bpc over all rows. (PIL
// only computes the rows the vertical pass will read, which for a full-image
// box is every row.)
func resizeHorizontal(src *RGB, w int) *RGB {
	c := precomputeCoeffs(src.W, w)
	dst := NewRGB(w, src.H)
	for y := 0; y < src.H; y++ {
		in := src.Pix[3*y*src.W : 3*(y+1)*src.W]
		out := dst.Pix[3*y*w : 3*(y+1)*w]
		for o := 0; o < w; o++ {
			n := c.count[o]
			k := c.k[o*c.ksize : o*c.ksize+n]
			p := in[3*c.start[o] : 3*(c.start[o]+n)]
			s0, s1, s2 := int32(1<<(precisionBits-1)), int32(1<<(precisionBits-1)), int32(1<<(precisionBits-1))
			for x, kx := range k {
				q := p[3*x : 3*x+3 : 3*x+3]
				s0 += int32(q[0]) * kx
				s1 += int32(q[1]) * kx
				s2 += int32(q[2]) * kx
			}
			out[3*o] = clip8(s0)
			out[3*o+1] = clip8(s1)
			out[3*o+2] = clip8(s2)
		}
	}
	return dst
}

// resizeVertical is ImagingResampleVertical_8bpc.
func resizeVertical(src *RGB, h int) *RGB {
	c := precomputeCoeffs(src.H, h)
	w := src.W
	dst := NewRGB(w, h)
	stride := 3 * w
	acc := make([]int32, stride)
	for o := 0; o < h; o++ {
		for i := range acc {
			acc[i] = 1 << (precisionBits - 1)
		}
		k := c.k[o*c.ksize : o*c.ksize+c.count[o]]
		for y, ky := range k {
			row := src.Pix[(c.start[o]+y)*stride : (c.start[o]+y+1)*stride]
			for i, v := range row {
				acc[i] += int32(v) * ky
			}
		}
		out := dst.Pix[o*stride : (o+1)*stride]
		for i, v := range acc {
			out[i] = clip8(v)
		}
	}
	return dst
}
