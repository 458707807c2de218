package imageproc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
)

// MaxSide is the largest width or height Decode accepts. 16384 is far above
// any PaliGemma input (the largest checkpoint is 896×896, and everything is
// resized to that), and checking it from the header stops a forged file from
// asking for an absurd allocation before any pixel data is read.
const MaxSide = 16384

// MaxPixels is PIL's decompression-bomb limit, 2 × Image.MAX_IMAGE_PIXELS =
// 2 × 89,478,485: above it PIL (and so the reference processor) raises
// DecompressionBombError instead of decoding. It also bounds the decode buffer
// to 1.4 GB for the widest pixel format (16-bit RGBA).
const MaxPixels = 2 * 89478485

// MaxFileBytes caps how much Decode reads from its reader (512 MiB), so that
// an endless stream is an error rather than an out-of-memory crash.
const MaxFileBytes = 512 << 20

// Errors returned (wrapped) by Decode, so callers can tell bad input apart
// from I/O failures with errors.Is.
var (
	ErrUnknownFormat = errors.New("unknown image format")
	ErrCorrupt       = errors.New("corrupt image")
	ErrSize          = errors.New("unsupported image size")
)

const (
	pngMagic  = "\x89PNG\r\n\x1a\n"
	jpegMagic = "\xff\xd8"
)

// DecodeFile is Decode on the named file.
func DecodeFile(path string) (*RGB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("imageproc: %w", err)
	}
	defer f.Close()
	img, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return img, nil
}

// Decode reads a PNG or JPEG (recognised by its signature, not by a file
// name) and converts it to RGB the way PIL's Image.convert("RGB") does, which
// is what the reference processor ran:
//
//   - grayscale is replicated to R=G=B;
//   - alpha is dropped, keeping the stored (un-premultiplied) colour even
//     where the pixel is fully transparent: no compositing onto a background;
//   - palette images are looked up, again ignoring transparency;
//   - 16-bit RGB(A) and gray+alpha keep the high byte (PIL's "RGB;16B"
//     unpacker), while 16-bit grayscale is clamped to 255, since PIL 9.4 opens
//     it as a 32-bit "I" image whose RGB conversion saturates (values ≥ 256
//     become white);
//   - JPEG chroma is upsampled with libjpeg's "fancy" triangle filter and
//     converted with libjpeg's integer YCbCr tables, as libjpeg-turbo does
//     for PIL. The IDCT is Go's, not libjpeg's ISLOW, so some samples still
//     differ: on the 320×200 test photo 3% of values, by at most 3 levels;
//   - CMYK JPEG uses PIL's cmyk2rgb formula.
//
// Unknown formats, corrupt or truncated data, and sizes that are zero,
// exceed MaxSide on a side or MaxPixels in all are errors, reported before
// the pixel buffers are allocated; Decode does not panic on any input.
func Decode(r io.Reader) (*RGB, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("imageproc: reading image: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("imageproc: %w: input larger than %d bytes", ErrSize, MaxFileBytes)
	}
	switch {
	case bytes.HasPrefix(data, []byte(pngMagic)):
		return decodePNG(data)
	case bytes.HasPrefix(data, []byte(jpegMagic)):
		return decodeJPEG(data)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("imageproc: %w: empty input", ErrUnknownFormat)
	}
	return nil, fmt.Errorf("imageproc: %w: %s", ErrUnknownFormat, describeUnknown(data))
}

// describeUnknown names the format of data when it is a common one this
// package does not read, so the error says "GIF" rather than just "unknown".
func describeUnknown(data []byte) string {
	sigs := []struct{ magic, name string }{
		{"GIF87a", "GIF"}, {"GIF89a", "GIF"}, {"BM", "BMP"},
		{"II*\x00", "TIFF"}, {"MM\x00*", "TIFF"}, {"\x00\x00\x01\x00", "ICO"},
	}
	for _, s := range sigs {
		if bytes.HasPrefix(data, []byte(s.magic)) {
			return s.name + " is not supported (only PNG and JPEG)"
		}
	}
	if len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" {
		return "WebP is not supported (only PNG and JPEG)"
	}
	n := min(len(data), 8)
	return fmt.Sprintf("not PNG or JPEG (first bytes % x)", data[:n])
}

func checkSize(format string, w, h int) error {
	if w <= 0 || h <= 0 {
		return fmt.Errorf("imageproc: %w: %s is %dx%d", ErrSize, format, w, h)
	}
	if w > MaxSide || h > MaxSide {
		return fmt.Errorf("imageproc: %w: %s is %dx%d, larger than %d on a side", ErrSize, format, w, h, MaxSide)
	}
	if w*h > MaxPixels {
		return fmt.Errorf("imageproc: %w: %s is %dx%d = %d pixels, more than %d (PIL's decompression-bomb limit)",
			ErrSize, format, w, h, w*h, MaxPixels)
	}
	return nil
}

// corrupt wraps a decoder error so that errors.Is(err, ErrCorrupt) holds and
// the message keeps the decoder's explanation.
func corrupt(format string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("imageproc: %w: %s is truncated (%v)", ErrCorrupt, format, err)
	}
	return fmt.Errorf("imageproc: %w: %s: %v", ErrCorrupt, format, err)
}

func decodePNG(data []byte) (*RGB, error) {
	// Check IHDR's size fields ourselves first: image/png reports sizes that
	// overflow its pixel count as a generic "unsupported feature", and a
	// zero size as a format error, but both are size errors to our callers.
	if len(data) >= 24 && string(data[12:16]) == "IHDR" {
		w := binary.BigEndian.Uint32(data[16:])
		h := binary.BigEndian.Uint32(data[20:])
		if w == 0 || h == 0 || w > MaxSide || h > MaxSide {
			return nil, fmt.Errorf("imageproc: %w: PNG is %dx%d (limit 1..%d per side)", ErrSize, w, h, MaxSide)
		}
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, corrupt("PNG", err)
	}
	if err := checkSize("PNG", cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, corrupt("PNG", err)
	}
	// IHDR is the first chunk (DecodeConfig has checked): bit depth at
	// offset 24, colour type at 25. Colour type 0 is grayscale.
	gray16 := len(data) > 25 && data[24] == 16 && data[25] == 0
	return toRGB(img, gray16)
}

func decodeJPEG(data []byte) (*RGB, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, corrupt("JPEG", err)
	}
	if err := checkSize("JPEG", cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, corrupt("JPEG", err)
	}
	return toRGB(img, false)
}

// toRGB converts a decoded image to packed RGB following PIL's conversion
// rules (see Decode). gray16 marks a 16-bit grayscale PNG, which the Go
// decoder returns as Gray16, or as NRGBA64 when it has a tRNS chunk.
func toRGB(img image.Image, gray16 bool) (*RGB, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if err := checkSize("image", w, h); err != nil {
		return nil, err
	}
	dst := NewRGB(w, h)
	put := func(x, y int, r, g, bl uint8) {
		i := 3 * (y*w + x)
		dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2] = r, g, bl
	}
	switch src := img.(type) {
	case *image.YCbCr:
		ycbcrToRGB(dst, src)
	case *image.Gray:
		for y := 0; y < h; y++ {
			row := src.Pix[y*src.Stride : y*src.Stride+w]
			for x, v := range row {
				put(x, y, v, v, v)
			}
		}
	case *image.Gray16:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := y*src.Stride + 2*x
				v := clampGray16(binary.BigEndian.Uint16(src.Pix[i:]), gray16)
				put(x, y, v, v, v)
			}
		}
	case *image.NRGBA:
		// Un-premultiplied storage: the RGB bytes are the file's colours.
		copyRGBFrom4(dst, src.Pix, src.Stride)
	case *image.RGBA:
		// The PNG and JPEG decoders return RGBA only for opaque images,
		// where premultiplied and straight colour coincide.
		copyRGBFrom4(dst, src.Pix, src.Stride)
	case *image.NRGBA64:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				p := src.Pix[y*src.Stride+8*x:]
				if gray16 {
					v := clampGray16(binary.BigEndian.Uint16(p), true)
					put(x, y, v, v, v)
				} else {
					put(x, y, p[0], p[2], p[4]) // high bytes
				}
			}
		}
	case *image.RGBA64:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				p := src.Pix[y*src.Stride+8*x:]
				put(x, y, p[0], p[2], p[4])
			}
		}
	case *image.Paletted:
		var pal [256][3]uint8
		for i, c := range src.Palette {
			if i >= len(pal) {
				break
			}
			pal[i] = straightRGB(c)
		}
		for y := 0; y < h; y++ {
			row := src.Pix[y*src.Stride : y*src.Stride+w]
			for x, idx := range row {
				c := pal[idx]
				put(x, y, c[0], c[1], c[2])
			}
		}
	case *image.CMYK:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				p := src.Pix[y*src.Stride+4*x:]
				r, g, bl := cmykToRGB(p[0], p[1], p[2], p[3])
				put(x, y, r, g, bl)
			}
		}
	default:
		// Not produced by image/png or image/jpeg today; kept so that a
		// future decoder change degrades to the generic conversion.
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				c := straightRGB(img.At(b.Min.X+x, b.Min.Y+y))
				put(x, y, c[0], c[1], c[2])
			}
		}
	}
	return dst, nil
}

// clampGray16 maps a 16-bit gray sample to 8 bits. For a grayscale PNG this
// copies PIL 9.4, which saturates (mode "I" → "RGB" is clip8(v)); the high
// byte would be the visually sensible choice but would not match the
// reference processor.
func clampGray16(v uint16, pilClip bool) uint8 {
	if pilClip {
		return uint8(min(v, 255))
	}
	return uint8(v >> 8)
}

func copyRGBFrom4(dst *RGB, pix []uint8, stride int) {
	for y := 0; y < dst.H; y++ {
		in := pix[y*stride : y*stride+4*dst.W]
		out := dst.Pix[3*y*dst.W : 3*(y+1)*dst.W]
		for x := 0; x < dst.W; x++ {
			out[3*x], out[3*x+1], out[3*x+2] = in[4*x], in[4*x+1], in[4*x+2]
		}
	}
}

// straightRGB returns the un-premultiplied colour of c, dropping alpha. For
// the colour types the decoders produce this is just the stored bytes.
func straightRGB(c color.Color) [3]uint8 {
	switch c := c.(type) {
	case color.NRGBA:
		return [3]uint8{c.R, c.G, c.B}
	case color.RGBA:
		if c.A == 0xff {
			return [3]uint8{c.R, c.G, c.B}
		}
	case color.Gray:
		return [3]uint8{c.Y, c.Y, c.Y}
	}
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return [3]uint8{n.R, n.G, n.B}
}

// cmykToRGB is PIL's cmyk2rgb: R = clip(255−K − c·(255−K)/255), with PIL's
// MULDIV255 rounding. c, m, y, k use the usual convention (0 = no ink), which
// is what both image.CMYK and PIL's "CMYK" mode hold after undoing Adobe's
// inversion.
func cmykToRGB(c, m, y, k uint8) (uint8, uint8, uint8) {
	nk := 255 - int(k)
	f := func(v uint8) uint8 {
		t := int(v)*nk + 128
		return clampU8(nk - ((t>>8)+t)>>8)
	}
	return f(c), f(m), f(y)
}

func clampU8(v int) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
