package pgedge

import (
	"encoding/json"
	"errors"
	"image"
	"slices"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/internal/testvqvae"
	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/vqvae"
)

// fixedGeneration is a generation with a detection, a segmentation and a malformed piece.
var fixedGeneration = "<loc0100><loc0200><loc0500><loc0600> cat ; " +
	"<loc0000><loc0000><loc1023><loc0511>" + strings.Repeat("<seg012>", 16) + " dog ; " +
	"<loc0001><loc0002><loc0003> bad ; <loc0010><loc0010><loc0010><loc0020> flat"

const fixedW, fixedH = 640, 480

func testDecoder(t *testing.T, bias float32) func() (*vqvae.Decoder, error) {
	t.Helper()
	d, err := vqvae.DecoderFromBytes(testvqvae.NPZ(bias))
	if err != nil {
		t.Fatal(err)
	}
	return func() (*vqvae.Decoder, error) { return d, nil }
}

// parsed runs parseObjects on text for a w×h image.
func parsed(t *testing.T, text string, w, h int, decoder func() (*vqvae.Decoder, error)) *Result {
	t.Helper()
	res := &Result{Text: text}
	if err := parseObjects(res, w, h, decoder); err != nil {
		t.Fatal(err)
	}
	return res
}

func noDecoder() (*vqvae.Decoder, error) { return nil, nil }

func TestParseObjects(t *testing.T) {
	d := parsed(t, fixedGeneration, fixedW, fixedH, testDecoder(t, 1))
	if len(d.Warnings) != 0 {
		t.Errorf("warnings: %v", d.Warnings)
	}
	objs := d.Objects
	// bin/1023 of the original size, truncated: 100/1023*480 = 46.9, 200/1023*640 = 125.1, ...
	want := []Object{
		{Label: "cat", Box: Box{XMin: 125, YMin: 46, XMax: 375, YMax: 234}},
		{Label: "dog", Box: Box{XMin: 0, YMin: 0, XMax: 319, YMax: 480}},
	}
	if len(objs) != 2 {
		t.Fatalf("objects %+v", objs)
	}
	for i := range want {
		if objs[i].Label != want[i].Label || objs[i].Box != want[i].Box {
			t.Errorf("object %d = %+v, want %+v", i, objs[i], want[i])
		}
	}
	// The zero-area box and the 3-token piece are unparsed, in order.
	if wantU := []string{"<loc0001><loc0002><loc0003> bad", "<loc0010><loc0010><loc0010><loc0020> flat"}; !slices.Equal(d.Unparsed, wantU) {
		t.Errorf("unparsed %q, want %q", d.Unparsed, wantU)
	}
	if objs[0].Mask != nil {
		t.Error("a detection without <seg> codes got a mask")
	}
	// All logits are +1: the dog's mask is its whole box. Check the RLE against the mask
	// and the box.
	m := objs[1].Mask
	if m == nil || m.Size != [2]int{fixedH, fixedW} {
		t.Fatalf("dog mask %+v", m)
	}
	counts, err := task.DecodeCompressedCounts(m.Counts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(counts, []int{0, 319 * 480, 640*480 - 319*480}) {
		t.Errorf("dog RLE counts %v, want the left 319 columns", counts)
	}
	full, _ := (task.RLE{Size: m.Size, Counts: counts}).Decode()
	if !slices.Equal(full, objs[1].Bitmap) {
		t.Error("RLE does not decode to the pasted mask")
	}

	// The JSON has exactly the documented keys.
	b, _ := json.Marshal(objs)
	var generic []map[string]any
	json.Unmarshal(b, &generic)
	if keys := jsonKeys(generic[0]); !slices.Equal(keys, []string{"box", "label"}) {
		t.Errorf("detection keys %v", keys)
	}
	if keys := jsonKeys(generic[1]); !slices.Equal(keys, []string{"box", "label", "mask"}) {
		t.Errorf("segmentation keys %v", keys)
	}
	if keys := jsonKeys(generic[1]["box"].(map[string]any)); !slices.Equal(keys, []string{"x_max", "x_min", "y_max", "y_min"}) {
		t.Errorf("box keys %v", keys)
	}
	if keys := jsonKeys(generic[1]["mask"].(map[string]any)); !slices.Equal(keys, []string{"counts", "size"}) {
		t.Errorf("mask keys %v", keys)
	}

	// Drawing: same size as the original; the mask tints the dog's box, the cat's box
	// outline is drawn, the rest is untouched.
	gray := image.NewRGBA(image.Rect(0, 0, fixedW, fixedH))
	for i := range gray.Pix {
		gray.Pix[i] = 200
		if i%4 == 3 {
			gray.Pix[i] = 255 // opaque
		}
	}
	img, err := ImageFrom(gray)
	if err != nil {
		t.Fatal(err)
	}
	pic := d.Draw(img)
	if pic.Bounds().Dx() != fixedW || pic.Bounds().Dy() != fixedH {
		t.Fatalf("drawing is %v", pic.Bounds())
	}
	at := func(x, y int) [3]uint8 {
		p := pic.Pix[pic.PixOffset(x, y):]
		return [3]uint8{p[0], p[1], p[2]}
	}
	if at(600, 400) != [3]uint8{200, 200, 200} {
		t.Errorf("untouched pixel changed: %v", at(600, 400))
	}
	if at(100, 300) == [3]uint8{200, 200, 200} {
		t.Error("masked pixel not tinted")
	}
	if c := task.ObjectColor(0); at(200, 46) != [3]uint8{c.R, c.G, c.B} {
		t.Errorf("cat box top edge %v, want %v", at(200, 46), c)
	}
}

func jsonKeys(m map[string]any) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	slices.Sort(k)
	return k
}

// Without a VQ-VAE masks are left out with a warning that says how to get them.
func TestParseObjectsWithoutVQVAE(t *testing.T) {
	d := parsed(t, fixedGeneration, fixedW, fixedH, noDecoder)
	if len(d.Objects) != 2 || d.Objects[1].Mask != nil || d.Objects[1].Bitmap != nil {
		t.Errorf("objects %+v", d.Objects)
	}
	if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "--vqvae") {
		t.Errorf("warnings %q, want one naming --vqvae", d.Warnings)
	}
	// A detection-only output never asks for the VQ-VAE.
	d = parsed(t, "<loc0100><loc0200><loc0500><loc0600> cat", 10, 10,
		func() (*vqvae.Decoder, error) { t.Error("VQ-VAE loaded for boxes only"); return nil, nil })
	if len(d.Warnings) != 0 {
		t.Errorf("warnings %q", d.Warnings)
	}
	// A VQ-VAE that fails to load: a warning, no masks.
	d = parsed(t, fixedGeneration, fixedW, fixedH, func() (*vqvae.Decoder, error) { return nil, errors.New("broken npz") })
	if d.Objects[1].Mask != nil || len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], "broken npz") {
		t.Errorf("mask %v, warnings %q", d.Objects[1].Mask, d.Warnings)
	}
	// All logits negative: an empty mask, encoded as one run.
	d = parsed(t, fixedGeneration, fixedW, fixedH, testDecoder(t, -1))
	if m := d.Objects[1].Mask; m == nil || m.Counts != (task.RLE{Counts: []int{fixedW * fixedH}}).CompressedCounts() {
		t.Errorf("rle %+v", m)
	}
}

func TestParseObjectsPlainText(t *testing.T) {
	for _, text := range []string{"", "a cat on a mat", "two; three ;", "<seg001> alone", "<loc9999>"} {
		d := parsed(t, text, 5, 5, func() (*vqvae.Decoder, error) { t.Error("decoder asked for"); return nil, nil })
		if d.Objects == nil || len(d.Objects) != 0 {
			t.Errorf("%q: objects %v, want []", text, d.Objects)
		}
		looksLikeBoxes := strings.Contains(text, "<")
		if (len(d.Unparsed) > 0) != looksLikeBoxes {
			t.Errorf("%q: unparsed %q", text, d.Unparsed)
		}
	}
}
