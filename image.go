package pgedge

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"io"

	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/infer"
)

// Image is a decoded RGB image, ready to be given to a Request. It is immutable and
// may be shared by concurrent requests.
//
// Requests take an Image rather than encoded bytes or an image.Image so that decoding
// — and its errors — happen once, before a request waits for the model, with one set
// of limits (PNG and JPEG, at most imageproc.MaxSide pixels a side), and the same
// pixels can serve several requests. LoadImage, DecodeImage and ImageFrom make one.
type Image struct {
	name string
	rgb  *imageproc.RGB
}

// LoadImage decodes a PNG or JPEG file. Its path becomes the Result's Image field.
func LoadImage(path string) (*Image, error) {
	rgb, err := imageproc.DecodeFile(path)
	if err != nil {
		return nil, imageErr(err)
	}
	return &Image{name: path, rgb: rgb}, nil
}

// DecodeImage decodes PNG or JPEG data (recognised by its content, not a name).
func DecodeImage(r io.Reader) (*Image, error) {
	rgb, err := imageproc.Decode(r)
	if err != nil {
		return nil, imageErr(err)
	}
	return &Image{rgb: rgb}, nil
}

// DecodeImageBytes is DecodeImage on a byte slice.
func DecodeImageBytes(b []byte) (*Image, error) { return DecodeImage(bytes.NewReader(b)) }

// ImageFrom converts an image.Image (any color model) to RGB; alpha is dropped, as
// PIL's convert("RGB") does.
func ImageFrom(img image.Image) (*Image, error) {
	r := img.Bounds()
	if r.Dx() <= 0 || r.Dy() <= 0 || r.Dx() > imageproc.MaxSide || r.Dy() > imageproc.MaxSide {
		return nil, fmt.Errorf("%w: %d×%d pixels (each side must be 1..%d)", ErrBadImage, r.Dx(), r.Dy(), imageproc.MaxSide)
	}
	rgb := imageproc.NewRGB(r.Dx(), r.Dy())
	i := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := nonPremultiplied(img.At(x, y))
			rgb.Pix[i], rgb.Pix[i+1], rgb.Pix[i+2] = c[0], c[1], c[2]
			i += 3
		}
	}
	return &Image{rgb: rgb}, nil
}

// Named returns a copy of the image whose Result.Image field will read name.
func (im *Image) Named(name string) *Image { return &Image{name: name, rgb: im.rgb} }

// Bounds are the image's size in pixels.
func (im *Image) Bounds() image.Rectangle { return image.Rect(0, 0, im.rgb.W, im.rgb.H) }

// RGBA is the image as an image.RGBA, e.g. to draw results on.
func (im *Image) RGBA() *image.RGBA {
	dst := image.NewRGBA(im.Bounds())
	for i := 0; i < im.rgb.W*im.rgb.H; i++ {
		copy(dst.Pix[4*i:4*i+3], im.rgb.Pix[3*i:3*i+3])
		dst.Pix[4*i+3] = 255
	}
	return dst
}

// EncodedImage is an image after the vision tower: what a Request can take instead of
// the Image, so that several prompts about one image run SigLIP once (40% of the first
// token's time on a 224 px PaliGemma 2 3B). It belongs to the Model that made it.
type EncodedImage struct {
	m        *Model
	name     string
	w, h     int
	features *infer.ImageFeatures
	// The decoded pixels, kept for parsing masks and boxes against the original size.
	src *Image
}

// Bounds are the original image's size in pixels.
func (e *EncodedImage) Bounds() image.Rectangle { return image.Rect(0, 0, e.w, e.h) }

// imageError is a decoding error that matches ErrBadImage (and, unwrapped, the
// imageproc error beneath) and reads as the decoder's own message.
type imageError struct{ err error }

func (e imageError) Error() string        { return e.err.Error() }
func (e imageError) Unwrap() error        { return e.err }
func (e imageError) Is(target error) bool { return target == ErrBadImage }

func imageErr(err error) error { return imageError{err} }

// nonPremultiplied is c's red, green and blue without alpha premultiplication.
func nonPremultiplied(c color.Color) [3]uint8 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return [3]uint8{n.R, n.G, n.B}
}
