// Package imageproc reproduces the image preprocessing of Hugging Face's
// SiglipImageProcessor as configured for PaliGemma: decode (PNG/JPEG) and
// convert to RGB the way PIL's Image.convert("RGB") does, resize to S×S with
// PIL's BICUBIC filter in PIL's 8-bit fixed-point arithmetic, then rescale by
// 1/255 and normalize with mean 0.5 / std 0.5 into a CHW float32 tensor in
// [-1, 1].
//
// The resize matters most: PIL rounds and clamps to uint8 between its
// horizontal and vertical passes, and a float resize that does not do so is off
// by up to 27 levels (0.21 in pixel value) on sharp edges. ResizeBicubic
// computes exactly what PIL 9.4 computes.
package imageproc

// RGB is an 8-bit RGB image: Pix holds H rows of W pixels, 3 bytes (R, G, B)
// per pixel, with no padding between rows (HWC, like a numpy uint8 [H,W,3]).
type RGB struct {
	W, H int
	Pix  []uint8
}

// NewRGB allocates a black w×h image.
func NewRGB(w, h int) *RGB {
	return &RGB{W: w, H: h, Pix: make([]uint8, 3*w*h)}
}

// rescaleFactor is HF's rescale_factor, the float64 nearest 1/255
// (0.00392156862745098).
const rescaleFactor = 1.0 / 255

// PixelValues converts img to the model's input layout: CHW float32 (the
// whole R plane, then G, then B), each value (u8·(1/255) − 0.5)/0.5.
//
// The arithmetic follows transformers: rescale multiplies in float64 and casts
// to float32, normalize subtracts and divides in float32. Doing the multiply in
// float32 instead differs by up to 1.2e-7 (one float32 ulp near 1), which is
// why it is not done that way. There are only 256 possible inputs, so a table
// is used.
func PixelValues(img *RGB) []float32 {
	var lut [256]float32
	for i := range lut {
		x := float32(float64(i) * rescaleFactor)
		lut[i] = (x - 0.5) / 0.5
	}
	n := img.W * img.H
	out := make([]float32, 3*n)
	r, g, b := out[:n], out[n:2*n], out[2*n:]
	for i := 0; i < n; i++ {
		p := img.Pix[3*i : 3*i+3 : 3*i+3]
		r[i] = lut[p[0]]
		g[i] = lut[p[1]]
		b[i] = lut[p[2]]
	}
	return out
}

// Preprocess resizes img to size×size with PIL BICUBIC (ignoring the aspect
// ratio, as PaliGemma's processor does) and returns PixelValues of the result:
// 3·size·size floats. size is the checkpoint resolution (224, 448 or 896).
func Preprocess(img *RGB, size int) []float32 {
	return PixelValues(ResizeBicubic(img, size, size))
}
