package task

import (
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// palette holds distinct, saturated colours (matplotlib's tab10 minus grey), cycled
// over objects in order.
var palette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {188, 189, 34, 255},
	{23, 190, 207, 255},
}

// ObjectColor is the colour Draw uses for object i.
func ObjectColor(i int) color.RGBA { return palette[i%len(palette)] }

const (
	maskAlpha = 115 // of 255: ~45% colour over the image keeps the content visible
	lineWidth = 2   // box outline, pixels
)

// Draw returns a copy of img (origin moved to 0,0) with, for each object i: its mask
// masks[i] (an H x W row-major 0/1 mask as PasteMask makes; nil or wrong-sized masks
// are skipped) blended in translucently, its box outlined, and its label written in
// basicfont 7x13 on a box-coloured tag above the box (inside it when there is no room
// above). Invalid objects (Valid false) get neither box nor label. masks may be nil.
func Draw(img image.Image, objs []Object, masks [][]uint8) *image.RGBA {
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)

	for i := range objs {
		if i >= len(masks) || len(masks[i]) != W*H {
			continue
		}
		c := ObjectColor(i)
		for y := 0; y < H; y++ {
			for x, v := range masks[i][y*W : (y+1)*W] {
				if v == 0 {
					continue
				}
				p := dst.Pix[dst.PixOffset(x, y):][:4]
				p[0] = blend(p[0], c.R)
				p[1] = blend(p[1], c.G)
				p[2] = blend(p[2], c.B)
				p[3] = 255
			}
		}
	}
	for i, o := range objs {
		if !o.Valid || o.Box.Empty() {
			continue
		}
		c := ObjectColor(i)
		r := image.Rect(o.Box.XMin, o.Box.YMin, o.Box.XMax, o.Box.YMax).Intersect(dst.Bounds())
		for t := 0; t < lineWidth; t++ {
			in := r.Inset(t)
			if in.Empty() {
				break
			}
			fill(dst, image.Rect(in.Min.X, in.Min.Y, in.Max.X, in.Min.Y+1), c)
			fill(dst, image.Rect(in.Min.X, in.Max.Y-1, in.Max.X, in.Max.Y), c)
			fill(dst, image.Rect(in.Min.X, in.Min.Y, in.Min.X+1, in.Max.Y), c)
			fill(dst, image.Rect(in.Max.X-1, in.Min.Y, in.Max.X, in.Max.Y), c)
		}
		if o.Label != "" {
			drawLabel(dst, o.Label, r, c)
		}
	}
	return dst
}

func blend(dst, src uint8) uint8 {
	return uint8((int(dst)*(255-maskAlpha) + int(src)*maskAlpha + 127) / 255)
}

func fill(dst *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(dst, r, &image.Uniform{c}, image.Point{}, draw.Src)
}

// drawLabel writes text on a tag of colour c at the top-left corner of box r.
func drawLabel(dst *image.RGBA, text string, r image.Rectangle, c color.RGBA) {
	face := basicfont.Face7x13
	const pad = 2
	w := font.MeasureString(face, text).Ceil() + 2*pad
	h := face.Height + pad // 13 px: ascent 11 + descent 2
	top := r.Min.Y - h
	if top < 0 {
		top = r.Min.Y
	}
	tag := image.Rect(r.Min.X, top, r.Min.X+w, top+h)
	fill(dst, tag.Intersect(dst.Bounds()), c)
	// White on dark tags, black on light ones (ITU-R BT.601 luma, threshold at mid-grey).
	var ink color.Color = color.White
	if 299*int(c.R)+587*int(c.G)+114*int(c.B) > 128*1000 {
		ink = color.Black
	}
	d := font.Drawer{
		Dst:  dst,
		Src:  image.NewUniform(ink),
		Face: face,
		Dot:  fixed.P(r.Min.X+pad, top+pad/2+face.Ascent),
	}
	d.DrawString(text)
}
