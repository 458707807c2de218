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

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/internal/atomicfile"
)

// errorLine is the JSON line of an image that failed in a batch.
type errorLine struct {
	Image string `json:"image"`
	Error string `json:"error"`
}

// cocoResult is one entry of a COCO results file (the list that COCO.loadRes reads).
type cocoResult struct {
	ImageID      any         `json:"image_id"`
	CategoryID   *int        `json:"category_id,omitempty"`
	Label        string      `json:"label"`
	BBox         [4]int      `json:"bbox"` // x, y, width, height in pixels
	Score        float64     `json:"score"`
	Segmentation *pgedge.RLE `json:"segmentation,omitempty"`
}

// cocoResults are the COCO results entries of one image. categories maps lower-cased
// labels to category ids (may be nil).
func cocoResults(res *pgedge.Result, imageID any, categories map[string]int) []cocoResult {
	out := make([]cocoResult, 0, len(res.Objects))
	for _, o := range res.Objects {
		r := cocoResult{
			ImageID:      imageID,
			Label:        o.Label,
			BBox:         [4]int{o.Box.XMin, o.Box.YMin, o.Box.XMax - o.Box.XMin, o.Box.YMax - o.Box.YMin},
			Score:        1,
			Segmentation: o.Mask,
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

// writeDrawingPNG writes img to path through a temporary file and a rename.
func writeDrawingPNG(path string, img image.Image) error {
	f, err := atomicfile.Create(path)
	if err != nil {
		return fmt.Errorf("--draw: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Abort()
		return fmt.Errorf("--draw: writing %s: %w", path, err)
	}
	return f.Commit()
}
