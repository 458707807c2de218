package imageproc

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pilDir holds small fixtures made by testdata/pil/gen.py with Pillow 9.4.0
// (the oracle's version). They cover decode modes and resize shapes that the
// reference set's three images do not: alpha over hidden colours, palettes
// with and without tRNS, 1/2/4/16-bit samples, JPEG 4:4:4/4:2:2/progressive,
// grayscale and CMYK JPEG, and resizes that change one axis only, go to 1×1,
// or enlarge.
const pilDir = "testdata/pil"

type pilIndex struct {
	PILVersion string `json:"pil_version"`
	Decode     []struct {
		Image   string `json:"image"`
		PILMode string `json:"pil_mode"`
		Format  string `json:"format"`
		Width   int    `json:"width"`
		Height  int    `json:"height"`
		RGB     string `json:"rgb"`
		Note    string `json:"note"`
	} `json:"decode"`
	Resize []struct {
		Src       string `json:"src"`
		SrcWidth  int    `json:"src_width"`
		SrcHeight int    `json:"src_height"`
		Width     int    `json:"width"`
		Height    int    `json:"height"`
		RGB       string `json:"rgb"`
	} `json:"resize"`
}

func loadPILIndex(t *testing.T) pilIndex {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pilDir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	var idx pilIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	if len(idx.Decode) == 0 || len(idx.Resize) == 0 {
		t.Fatal("testdata/pil/index.json has no fixtures")
	}
	return idx
}

func TestPILDecode(t *testing.T) {
	for _, d := range loadPILIndex(t).Decode {
		t.Run(strings.TrimSuffix(d.Image, filepath.Ext(d.Image)), func(t *testing.T) {
			want := readRGB(t, filepath.Join(pilDir, d.RGB), []int{d.Height, d.Width, 3})
			got, err := DecodeFile(filepath.Join(pilDir, d.Image))
			if err != nil {
				t.Fatal(err)
			}
			maxDiff, n := rgbDiff(t, got, want)
			t.Logf("%s (PIL mode %s, %s): max diff %d, %d of %d values differ", d.Image, d.PILMode, d.Note, maxDiff, n, len(got.Pix))
			limit := 0
			if d.Format == "JPEG" {
				limit = jpegMaxDiff
			}
			if maxDiff > limit {
				t.Errorf("decode differs from PIL by %d levels (allowed %d)", maxDiff, limit)
			}
		})
	}
}

func TestPILResize(t *testing.T) {
	for _, r := range loadPILIndex(t).Resize {
		t.Run(fmt.Sprintf("%dx%d_to_%dx%d", r.SrcWidth, r.SrcHeight, r.Width, r.Height), func(t *testing.T) {
			src := readRGB(t, filepath.Join(pilDir, r.Src), []int{r.SrcHeight, r.SrcWidth, 3})
			want := readRGB(t, filepath.Join(pilDir, r.RGB), []int{r.Height, r.Width, 3})
			got := ResizeBicubic(src, r.Width, r.Height)
			if maxDiff, n := rgbDiff(t, got, want); n != 0 {
				t.Errorf("resize differs from PIL: max %d levels, %d of %d values", maxDiff, n, len(got.Pix))
			}
		})
	}
}
