package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/runtime"
	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/vqvae"
)

// The --json schema: one imageResult per image (a JSON line in batch mode).

type jsonBox struct {
	XMin int `json:"x_min"`
	YMin int `json:"y_min"`
	XMax int `json:"x_max"`
	YMax int `json:"y_max"`
}

// jsonRLE is a COCO compressed run-length encoding, as pycocotools.mask.encode returns
// it: pixels in column-major order, counts in pycocotools' string form.
type jsonRLE struct {
	Size   [2]int `json:"size"` // [height, width]
	Counts string `json:"counts"`
}

type jsonObject struct {
	Label string   `json:"label"`
	Box   jsonBox  `json:"box"`
	Mask  *jsonRLE `json:"mask,omitempty"`
}

// runTimings are the runtime's plus the work around generation.
type runTimings struct {
	runtime.Timings
	ImageMS   float64 `json:"image_ms"`             // decode and preprocess the image
	ObjectsMS float64 `json:"objects_ms,omitempty"` // parse boxes, decode and paste masks
}

type imageResult struct {
	Image   string       `json:"image,omitempty"`
	Width   int          `json:"width,omitempty"`
	Height  int          `json:"height,omitempty"`
	Text    string       `json:"text"`
	Objects []jsonObject `json:"objects"`
	// Unparsed lists the pieces of detection-like output (text holding <loc> or <seg>
	// tokens) that are not valid objects: wrong token counts, zero-area boxes, ...
	Unparsed []string   `json:"unparsed,omitempty"`
	Tokens   []int      `json:"tokens"`
	Timings  runTimings `json:"timings"`
	Drawing  string     `json:"drawing,omitempty"`
}

// errorLine is the JSON line of an image that failed in a batch.
type errorLine struct {
	Image string `json:"image"`
	Error string `json:"error"`
}

// cocoResult is one entry of a COCO results file (the list that COCO.loadRes reads).
type cocoResult struct {
	ImageID      any      `json:"image_id"`
	CategoryID   *int     `json:"category_id,omitempty"`
	Label        string   `json:"label"`
	BBox         [4]int   `json:"bbox"` // x, y, width, height in pixels
	Score        float64  `json:"score"`
	Segmentation *jsonRLE `json:"segmentation,omitempty"`
}

// maskSource hands out the VQ-VAE mask decoder, loading it the first time an output
// holds <seg> codes, and warns (once) when there is none.
type maskSource struct {
	load func() (*vqvae.Decoder, error) // nil: no VQ-VAE configured
	dec  task.MaskDecoder
	done bool
	warn func(string)
}

func (s *maskSource) decoder() task.MaskDecoder {
	if s.done {
		return s.dec
	}
	s.done = true
	switch {
	case s.dec != nil:
	case s.load == nil:
		s.warn("the output has <seg> codes but no VQ-VAE is available, so masks are omitted " +
			"(give --vqvae vae-oid.npz, or put vae-oid.npz in the model directory)")
	default:
		d, err := s.load()
		if err != nil {
			s.warn(fmt.Sprintf("masks are omitted: %v", err))
			return nil
		}
		s.dec = d
	}
	return s.dec
}

// detections are the objects parsed from one generation.
type detections struct {
	objects  []task.Object // valid objects, in the order generated
	masks    [][]uint8     // per object: H×W 0/1 mask, or nil
	rles     []*jsonRLE    // per object: masks[i] encoded, or nil
	unparsed []string
}

// parseDetections parses generated text for an image of w×h pixels (the ORIGINAL
// size) and decodes the masks of objects with <seg> codes when masks can supply a
// decoder. Invalid objects (bad token counts, zero-area boxes) become unparsed text.
func parseDetections(text string, w, h int, masks *maskSource) (detections, error) {
	res := task.Parse(text, w, h, task.ParseOptions{DropInvalid: true})
	d := detections{objects: res.Objects}
	if strings.Contains(text, "<loc") || strings.Contains(text, "<seg") {
		d.unparsed = res.Unparsed
	}
	d.masks = make([][]uint8, len(d.objects))
	d.rles = make([]*jsonRLE, len(d.objects))
	var dec task.MaskDecoder
	for _, o := range d.objects {
		if len(o.Codes) == task.NumSeg {
			if dec = masks.decoder(); dec == nil {
				return d, nil
			}
			break
		}
	}
	if dec == nil {
		return d, nil
	}
	ms, err := task.Masks(dec, d.objects, w, h)
	if err != nil {
		return d, err
	}
	d.masks = ms
	for i, m := range ms {
		if m == nil {
			continue
		}
		r, err := task.EncodeRLE(m, h, w)
		if err != nil {
			return d, err
		}
		d.rles[i] = &jsonRLE{Size: r.Size, Counts: r.CompressedCounts()}
	}
	return d, nil
}

// jsonObjects is the "objects" list of the --json output (never nil).
func (d detections) jsonObjects() []jsonObject {
	out := make([]jsonObject, len(d.objects))
	for i, o := range d.objects {
		out[i] = jsonObject{
			Label: o.Label,
			Box:   jsonBox{XMin: o.Box.XMin, YMin: o.Box.YMin, XMax: o.Box.XMax, YMax: o.Box.YMax},
			Mask:  d.rles[i],
		}
	}
	return out
}

// cocoResults are the COCO results entries of one image. categories maps lower-cased
// labels to category ids (may be nil).
func (d detections) cocoResults(imageID any, categories map[string]int) []cocoResult {
	out := make([]cocoResult, 0, len(d.objects))
	for i, o := range d.objects {
		r := cocoResult{
			ImageID:      imageID,
			Label:        o.Label,
			BBox:         [4]int{o.Box.XMin, o.Box.YMin, o.Box.Dx(), o.Box.Dy()},
			Score:        1,
			Segmentation: d.rles[i],
		}
		if id, ok := categories[categoryKey(o.Label)]; ok {
			r.CategoryID = &id
		}
		out = append(out, r)
	}
	return out
}

// cocoImageID is the image_id of a COCO result: the number of a file named only by
// digits (COCO's 000000397133.jpg is image 397133), otherwise the path as given.
func cocoImageID(path string) any {
	base := filepath.Base(path)
	stem := strings.TrimSuffix(base, filepath.Ext(base))
	if stem == "" || len(stem) > 18 || strings.Trim(stem, "0123456789") != "" {
		return path
	}
	n, err := strconv.ParseInt(stem, 10, 64)
	if err != nil {
		return path
	}
	return n
}

func categoryKey(label string) string { return strings.ToLower(strings.TrimSpace(label)) }

// loadCategories reads category names and ids from a COCO annotations file (an object
// with "categories": [{"id", "name"}, ...]) or from the bare list.
func loadCategories(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--categories: %w", err)
	}
	type category struct {
		ID   *int   `json:"id"`
		Name string `json:"name"`
	}
	var cats []category
	if t := strings.TrimSpace(string(data)); strings.HasPrefix(t, "[") {
		err = json.Unmarshal(data, &cats)
	} else {
		var file struct {
			Categories []category `json:"categories"`
		}
		err = json.Unmarshal(data, &file)
		cats = file.Categories
	}
	if err != nil {
		return nil, fmt.Errorf("--categories %s: not COCO JSON: %v", path, err)
	}
	if len(cats) == 0 {
		return nil, fmt.Errorf("--categories %s: no categories (want a COCO annotations file or a list of {\"id\", \"name\"})", path)
	}
	m := make(map[string]int, len(cats))
	for i, c := range cats {
		k := categoryKey(c.Name)
		if k == "" || c.ID == nil {
			return nil, fmt.Errorf("--categories %s: category %d needs an \"id\" and a \"name\"", path, i)
		}
		if id, dup := m[k]; dup && id != *c.ID {
			return nil, fmt.Errorf("--categories %s: %q has two ids, %d and %d", path, c.Name, id, *c.ID)
		}
		m[k] = *c.ID
	}
	return m, nil
}

// rgbaOf converts a decoded image for drawing.
func rgbaOf(img *imageproc.RGB) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, img.W, img.H))
	for i := 0; i < img.W*img.H; i++ {
		copy(dst.Pix[4*i:4*i+3], img.Pix[3*i:3*i+3])
		dst.Pix[4*i+3] = 255
	}
	return dst
}

// drawDetections renders boxes, labels and translucent masks over the image.
func drawDetections(img *imageproc.RGB, d detections) *image.RGBA {
	return task.Draw(rgbaOf(img), d.objects, d.masks)
}

// atomicFile is written under a temporary name in the destination's directory and
// renamed into place by commit, so readers never see a partial file.
type atomicFile struct {
	*os.File
	path string
}

func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

func (a *atomicFile) commit() error {
	err := a.Sync()
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(a.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(a.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.Name())
		return fmt.Errorf("writing %s: %w", a.path, err)
	}
	return nil
}

// abort drops the temporary file.
func (a *atomicFile) abort() {
	a.Close()
	os.Remove(a.Name())
}

// writeDrawingPNG writes img to path through a temporary file and a rename.
func writeDrawingPNG(path string, img image.Image) error {
	f, err := createAtomic(path)
	if err != nil {
		return fmt.Errorf("--draw: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.abort()
		return fmt.Errorf("--draw: writing %s: %w", path, err)
	}
	return f.commit()
}
