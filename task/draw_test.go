package task

import (
	"image"
	"image/color"
	"testing"
)

type fakeDecoder struct{}

// Decode returns a map that is positive on its left half, so every pasted mask is the
// left part of its box.
func (fakeDecoder) Decode(codes [NumSeg]int) ([]float32, error) {
	m := make([]float32, MapSize*MapSize)
	for y := 0; y < MapSize; y++ {
		for x := 0; x < MapSize; x++ {
			m[y*MapSize+x] = float32(MapSize/2-x) - 0.5
		}
	}
	return m, nil
}

func TestDraw(t *testing.T) {
	const W, H = 200, 120
	src := image.NewNRGBA(image.Rect(10, 20, 10+W, 20+H)) // non-zero origin on purpose
	grey := color.NRGBA{128, 128, 128, 255}
	for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
		for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
			src.Set(x, y, grey)
		}
	}
	codes := make([]int, NumSeg)
	objs := []Object{
		{Label: "cat", Bins: [4]int{100, 100, 900, 500}, Codes: codes},
		{Label: "dog", Bins: [4]int{50, 600, 400, 1000}},
		{Label: "bad", Bins: [4]int{700, 100, 200, 400}, Codes: codes},
	}
	res := Parse(Format(objs), W, H, ParseOptions{})
	if len(res.Objects) != 3 {
		t.Fatalf("parsed %d objects", len(res.Objects))
	}
	masks, err := Masks(fakeDecoder{}, res.Objects, W, H)
	if err != nil {
		t.Fatal(err)
	}
	if masks[0] == nil || masks[1] != nil || masks[2] != nil {
		t.Fatalf("masks present: %v %v %v", masks[0] != nil, masks[1] != nil, masks[2] != nil)
	}
	out := Draw(src, res.Objects, masks)
	if out.Bounds() != image.Rect(0, 0, W, H) {
		t.Fatalf("bounds %v", out.Bounds())
	}
	// Outside every box and mask the image is unchanged.
	if c := out.RGBAAt(W-1, H-1); c != (color.RGBA{128, 128, 128, 255}) {
		t.Errorf("corner pixel %v", c)
	}
	b0, b1 := res.Objects[0].Box, res.Objects[1].Box
	// Box outlines take the object colours, which differ.
	if out.RGBAAt(b0.XMin, (b0.YMin+b0.YMax)/2) != ObjectColor(0) || out.RGBAAt(b1.XMax-1, (b1.YMin+b1.YMax)/2) != ObjectColor(1) {
		t.Errorf("box outlines not drawn in object colours")
	}
	if ObjectColor(0) == ObjectColor(1) {
		t.Error("colours not distinct")
	}
	// Inside the mask (left half of box 0) the pixel is tinted; in the right half it is not.
	midY := (b0.YMin + b0.YMax) / 2
	in := out.RGBAAt(b0.XMin+b0.Dx()/4, midY)
	outside := out.RGBAAt(b0.XMax-b0.Dx()/4, midY)
	if in == outside || outside != (color.RGBA{128, 128, 128, 255}) {
		t.Errorf("mask tint: inside %v, outside %v", in, outside)
	}
	// Drawing with no masks and garbage masks must not panic.
	Draw(src, res.Objects, nil)
	Draw(src, res.Objects, [][]uint8{{1, 2, 3}})
	Draw(image.NewRGBA(image.Rect(0, 0, 1, 1)), res.Objects, nil)
}

func TestPasteMaskRejects(t *testing.T) {
	m := make([]float32, MapSize*MapSize)
	for _, c := range []struct {
		m   []float32
		box Box
	}{
		{m[:10], Box{0, 0, 5, 5}},
		{m, Box{5, 5, 5, 9}},
		{m, Box{5, 9, 9, 5}},
		{m, Box{-1, 0, 5, 5}},
		{m, Box{0, 0, 11, 5}},
	} {
		if mask, bm := PasteMask(c.m, c.box, 10, 10); mask != nil || bm != nil {
			t.Errorf("PasteMask(%d values, %+v) pasted", len(c.m), c.box)
		}
	}
}

// TestResizeIdentityAndUpscale: same size is a copy; upscaling a constant stays constant
// (the weights are normalised); a linear ramp upscaled stays monotone.
func TestResizeIdentityAndUpscale(t *testing.T) {
	src := make([]float32, 8*4)
	for i := range src {
		src[i] = float32(i % 8)
	}
	same, err := ResizeBilinearF(src, 8, 4, 8, 4)
	if err != nil || &same[0] == &src[0] {
		t.Fatal("identity resize must return a copy")
	}
	for _, sz := range [][2]int{{3, 2}, {8, 9}, {17, 4}, {1, 1}, {100, 50}} {
		out, err := ResizeBilinearF(src, 8, 4, sz[0], sz[1])
		if err != nil || len(out) != sz[0]*sz[1] {
			t.Fatalf("%v: %v", sz, err)
		}
		for y := 0; y < sz[1]; y++ {
			for x := 1; x < sz[0]; x++ {
				if out[y*sz[0]+x] < out[y*sz[0]+x-1] {
					t.Fatalf("%v: row %d not monotone", sz, y)
				}
			}
		}
	}
	for _, bad := range [][4]int{{8, 4, 0, 3}, {8, 4, 3, -1}, {7, 4, 3, 3}, {8, 4, 1 << 20, 1}} {
		if _, err := ResizeBilinearF(src, bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
