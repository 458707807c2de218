package pgedge

import (
	"fmt"
	"strings"

	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/vqvae"
)

// parseObjects fills res.Objects and res.Unparsed from res.Text for an image of w×h
// pixels (the original size), decoding the masks of objects with <seg> codes with what
// decoder returns (nil: none available; called only when an object has codes).
// Invalid objects (bad token counts, zero-area boxes) become unparsed text.
func parseObjects(res *Result, w, h int, decoder func() (*vqvae.Decoder, error)) error {
	text := res.Text
	parsed := task.Parse(text, w, h, task.ParseOptions{DropInvalid: true})
	if strings.Contains(text, "<loc") || strings.Contains(text, "<seg") {
		res.Unparsed = parsed.Unparsed
	}
	res.Objects = make([]Object, len(parsed.Objects))
	wantMasks := false
	for i, o := range parsed.Objects {
		res.Objects[i] = Object{Label: o.Label, Box: Box{XMin: o.Box.XMin, YMin: o.Box.YMin, XMax: o.Box.XMax, YMax: o.Box.YMax}}
		wantMasks = wantMasks || len(o.Codes) == task.NumSeg
	}
	if !wantMasks {
		return nil
	}
	dec, err := decoder()
	switch {
	case err != nil:
		res.Warnings = append(res.Warnings, fmt.Sprintf("masks are omitted: %v", err))
		return nil
	case dec == nil:
		res.Warnings = append(res.Warnings, "the output has <seg> codes but no VQ-VAE is available, so masks are omitted "+
			"(give --vqvae vae-oid.npz, or put vae-oid.npz in the model directory)")
		return nil
	}
	masks, err := task.Masks(dec, parsed.Objects, w, h)
	if err != nil {
		return err
	}
	for i, mk := range masks {
		if mk == nil {
			continue
		}
		r, err := task.EncodeRLE(mk, h, w)
		if err != nil {
			return err
		}
		res.Objects[i].Mask = &RLE{Size: r.Size, Counts: r.CompressedCounts()}
		res.Objects[i].Bitmap = mk
	}
	return nil
}
