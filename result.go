package pgedge

import (
	"image"

	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/task"
)

// Result is a finished generation. Its JSON form is what `pgedge run --json` prints
// and what `pgedge serve`'s /v1/run answers.
type Result struct {
	Image  string `json:"image,omitempty"`  // the image's name (LoadImage's path, Image.Named)
	Width  int    `json:"width,omitempty"`  // the original image's size in pixels
	Height int    `json:"height,omitempty"` //
	// Text is the generated text without <eos>; <loc>/<seg> tokens are kept.
	Text string `json:"text"`
	// Objects are the valid detections and segmentations in Text, in order (never nil).
	Objects []Object `json:"objects"`
	// Unparsed lists the pieces of detection-like output (text holding <loc> or <seg>
	// tokens) that are not valid objects: wrong token counts, zero-area boxes, ...
	Unparsed []string `json:"unparsed,omitempty"`
	// Tokens are the generated ids, <eos> included when generation ended on it.
	Tokens  []int   `json:"tokens"`
	Timings Timings `json:"timings"`

	// FinishReason is "stop" (the model ended its answer), "length" (MaxTokens or the
	// context reached) or "stop_requested" (Stream returned ErrStop).
	FinishReason string `json:"-"`
	// PromptTokens counts the prompt's tokens, image tokens included.
	PromptTokens int `json:"-"`
	// Warnings say what was left out, e.g. masks when no VQ-VAE is available.
	Warnings []string `json:"-"`
}

// Timings of a generation, in milliseconds and tokens per second.
type Timings struct {
	infer.Timings
	ImageMS   float64 `json:"image_ms"`             // decode and preprocess the image
	ObjectsMS float64 `json:"objects_ms,omitempty"` // parse boxes, decode and paste masks
}

// Object is one detected (and, for Segment, segmented) object.
type Object struct {
	Label string `json:"label"`
	// Box is in pixels of the original image, min inclusive, max exclusive (bin/1023
	// of the size, as big_vision computes it).
	Box Box `json:"box"`
	// Mask is the object's mask over the whole image as COCO compressed RLE, for
	// objects with <seg> codes when a VQ-VAE is available; nil otherwise.
	Mask *RLE `json:"mask,omitempty"`
	// Bitmap is the same mask as Height×Width bytes, 1 inside, row-major; nil without
	// a mask.
	Bitmap []uint8 `json:"-"`
}

// Box is a pixel rectangle: columns XMin..XMax-1, rows YMin..YMax-1.
type Box struct {
	XMin int `json:"x_min"`
	YMin int `json:"y_min"`
	XMax int `json:"x_max"`
	YMax int `json:"y_max"`
}

// Rect is the box as an image.Rectangle.
func (b Box) Rect() image.Rectangle { return image.Rect(b.XMin, b.YMin, b.XMax, b.YMax) }

// RLE is a COCO compressed run-length encoding as pycocotools.mask.encode returns it:
// pixels in column-major order, counts in pycocotools' string form.
type RLE struct {
	Size   [2]int `json:"size"` // [height, width]
	Counts string `json:"counts"`
}

// Draw renders the objects over img — boxes with their labels and translucent masks,
// one colour per object — as the command line's --draw does.
func (r *Result) Draw(img *Image) *image.RGBA {
	objs := make([]task.Object, len(r.Objects))
	masks := make([][]uint8, len(r.Objects))
	for i, o := range r.Objects {
		objs[i] = task.Object{Label: o.Label, Valid: true,
			Box: task.Box{XMin: o.Box.XMin, YMin: o.Box.YMin, XMax: o.Box.XMax, YMax: o.Box.YMax}}
		masks[i] = o.Bitmap
	}
	return task.Draw(img.RGBA(), objs, masks)
}
