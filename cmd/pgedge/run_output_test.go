package main

import (
	"encoding/json"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/vqvae"
)

// fixedGeneration is a generation with a detection, a segmentation and a malformed piece.
var fixedGeneration = "<loc0100><loc0200><loc0500><loc0600> cat ; " +
	"<loc0000><loc0000><loc1023><loc0511>" + strings.Repeat("<seg012>", 16) + " dog ; " +
	"<loc0001><loc0002><loc0003> bad ; <loc0010><loc0010><loc0010><loc0020> flat"

const fixedW, fixedH = 640, 480

func runTestDecoder(t *testing.T) *vqvae.Decoder {
	t.Helper()
	d, err := vqvae.DecoderFromBytes(runTestVQVAE(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseDetections(t *testing.T) {
	var warnings []string
	ms := &maskSource{dec: runTestDecoder(t), warn: func(s string) { warnings = append(warnings, s) }}
	d, err := parseDetections(fixedGeneration, fixedW, fixedH, ms)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
	objs := d.jsonObjects()
	// bin/1023 of the original size, truncated: 100/1023*480 = 46.9, 200/1023*640 = 125.1, ...
	want := []jsonObject{
		{Label: "cat", Box: jsonBox{XMin: 125, YMin: 46, XMax: 375, YMax: 234}},
		{Label: "dog", Box: jsonBox{XMin: 0, YMin: 0, XMax: 319, YMax: 480}},
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
	if wantU := []string{"<loc0001><loc0002><loc0003> bad", "<loc0010><loc0010><loc0010><loc0020> flat"}; !slices.Equal(d.unparsed, wantU) {
		t.Errorf("unparsed %q, want %q", d.unparsed, wantU)
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
	if !slices.Equal(full, d.masks[1]) {
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

	// COCO results.
	cats := map[string]int{"dog": 18}
	coco := d.cocoResults(cocoImageID("/data/val2017/000000397133.jpg"), cats)
	b, _ = json.Marshal(coco)
	var cg []map[string]any
	json.Unmarshal(b, &cg)
	if len(cg) != 2 {
		t.Fatalf("coco %s", b)
	}
	if keys := jsonKeys(cg[0]); !slices.Equal(keys, []string{"bbox", "image_id", "label", "score"}) {
		t.Errorf("coco detection keys %v", keys)
	}
	if keys := jsonKeys(cg[1]); !slices.Equal(keys, []string{"bbox", "category_id", "image_id", "label", "score", "segmentation"}) {
		t.Errorf("coco segmentation keys %v", keys)
	}
	if cg[0]["image_id"] != float64(397133) || cg[1]["category_id"] != float64(18) || cg[0]["score"] != float64(1) {
		t.Errorf("coco %s", b)
	}
	if !reflect.DeepEqual(cg[0]["bbox"], []any{125.0, 46.0, 250.0, 188.0}) {
		t.Errorf("cat bbox %v, want x, y, w, h = 125, 46, 250, 188", cg[0]["bbox"])
	}

	// Drawing: same size as the original; the mask tints the dog's box, the cat's box
	// outline is drawn, the rest is untouched.
	img := imageproc.NewRGB(fixedW, fixedH)
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	pic := drawDetections(img, d)
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
	path := filepath.Join(t.TempDir(), "d.png")
	if err := writeDrawingPNG(path, pic); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Error(err)
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

// Without a VQ-VAE masks are left out with one warning, however many images.
func TestParseDetectionsWithoutVQVAE(t *testing.T) {
	var warnings []string
	ms := &maskSource{warn: func(s string) { warnings = append(warnings, s) }}
	for range 3 {
		d, err := parseDetections(fixedGeneration, fixedW, fixedH, ms)
		if err != nil {
			t.Fatal(err)
		}
		if objs := d.jsonObjects(); len(objs) != 2 || objs[1].Mask != nil {
			t.Errorf("objects %+v", objs)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "--vqvae") {
		t.Errorf("warnings %q, want one naming --vqvae", warnings)
	}
	// A detection-only output never asks for the VQ-VAE.
	warnings = nil
	ms = &maskSource{warn: func(s string) { warnings = append(warnings, s) },
		load: func() (*vqvae.Decoder, error) { t.Error("VQ-VAE loaded for boxes only"); return nil, nil }}
	if _, err := parseDetections("<loc0100><loc0200><loc0500><loc0600> cat", 10, 10, ms); err != nil || len(warnings) != 0 {
		t.Errorf("err %v, warnings %q", err, warnings)
	}
	// A VQ-VAE that fails to load: one warning, no masks.
	loads := 0
	ms = &maskSource{warn: func(s string) { warnings = append(warnings, s) },
		load: func() (*vqvae.Decoder, error) { loads++; return nil, errors.New("broken npz") }}
	for range 2 {
		if d, err := parseDetections(fixedGeneration, fixedW, fixedH, ms); err != nil || d.rles[1] != nil {
			t.Errorf("err %v, rles %v", err, d.rles)
		}
	}
	if loads != 1 || len(warnings) != 1 || !strings.Contains(warnings[0], "broken npz") {
		t.Errorf("loads %d, warnings %q", loads, warnings)
	}
	// Lazy loading from the model's bytes works.
	npz := runTestVQVAE(t, -1) // all logits negative: empty masks
	ms = &maskSource{warn: func(s string) { t.Error(s) }, load: func() (*vqvae.Decoder, error) { return vqvae.DecoderFromBytes(npz) }}
	d, err := parseDetections(fixedGeneration, fixedW, fixedH, ms)
	if err != nil || d.rles[1] == nil || d.rles[1].Counts != (task.RLE{Counts: []int{fixedW * fixedH}}).CompressedCounts() {
		t.Errorf("err %v, rle %+v", err, d.rles[1])
	}
}

func TestParseDetectionsPlainText(t *testing.T) {
	ms := &maskSource{warn: func(s string) { t.Error(s) }}
	for _, text := range []string{"", "a cat on a mat", "two; three ;", "<seg001> alone", "<loc9999>"} {
		d, err := parseDetections(text, 5, 5, ms)
		if err != nil {
			t.Fatal(err)
		}
		objs := d.jsonObjects()
		if objs == nil || len(objs) != 0 {
			t.Errorf("%q: objects %v, want []", text, objs)
		}
		looksLikeBoxes := strings.Contains(text, "<")
		if (len(d.unparsed) > 0) != looksLikeBoxes {
			t.Errorf("%q: unparsed %q", text, d.unparsed)
		}
	}
}

func TestCocoImageID(t *testing.T) {
	for in, want := range map[string]any{
		"/coco/val2017/000000397133.jpg": int64(397133),
		"42.png":                         int64(42),
		"0.png":                          int64(0),
		"img_42.png":                     "img_42.png",
		"dir/12a.jpg":                    "dir/12a.jpg",
		".png":                           ".png",
		"99999999999999999999999.jpg":    "99999999999999999999999.jpg",
		"noext":                          "noext",
		"7":                              int64(7),
	} {
		if got := cocoImageID(in); got != want {
			t.Errorf("cocoImageID(%q) = %#v, want %#v", in, got, want)
		}
	}
}

func TestLoadCategories(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "c.json")
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	m, err := loadCategories(write(`{"images": [], "categories": [{"id": 1, "name": "person"}, {"id": 18, "name": "Dog"}]}`))
	if err != nil || !reflect.DeepEqual(m, map[string]int{"person": 1, "dog": 18}) {
		t.Errorf("annotations file: %v %v", m, err)
	}
	m, err = loadCategories(write(` [{"id": 3, "name": "car"}]`))
	if err != nil || m["car"] != 3 {
		t.Errorf("bare list: %v %v", m, err)
	}
	for _, bad := range []string{`{}`, `[]`, `{"categories": [{"name": "x"}]}`, `[{"id": 1}]`, `nope`,
		`[{"id": 1, "name": "a"}, {"id": 2, "name": "A"}]`} {
		if _, err := loadCategories(write(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, s := range []string{"0/1", "3/4", " 1 / 2 "} {
		if _, _, err := parseShard(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "1", "4/4", "-1/4", "0/0", "0/-2", "a/b", "1/2/3", "1.5/2"} {
		if _, _, err := parseShard(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	// Every image goes to exactly one shard, in list order.
	jobs := make([]imageJob, 10)
	for i := range jobs {
		jobs[i] = imageJob{index: i}
	}
	for n := 1; n <= 12; n++ {
		seen := make([]int, len(jobs))
		for i := 0; i < n; i++ {
			prev := -1
			for _, j := range shardJobs(jobs, i, n) {
				if j.index%n != i || j.index <= prev {
					t.Errorf("shard %d/%d holds %d after %d", i, n, j.index, prev)
				}
				prev = j.index
				seen[j.index]++
			}
		}
		for k, c := range seen {
			if c != 1 {
				t.Errorf("n=%d: image %d in %d shards", n, k, c)
			}
		}
	}
}

func TestReadImageList(t *testing.T) {
	in := "# header\n\na.jpg\r\n  b c.png  \n\t\n#c.png\n  # indented comment\nd,e.jpg"
	got, err := readImageList(strings.NewReader(in))
	if err != nil || !slices.Equal(got, []string{"a.jpg", "b c.png", "d,e.jpg"}) {
		t.Errorf("got %q, %v", got, err)
	}
	if got, err := readImageList(strings.NewReader("")); err != nil || len(got) != 0 {
		t.Errorf("empty: %q %v", got, err)
	}
	if _, err := readImageList(strings.NewReader("a\x00b\n")); err == nil {
		t.Error("NUL accepted")
	}
	if _, err := readImageList(strings.NewReader(strings.Repeat("x", maxListLine+1))); err == nil {
		t.Error("endless line accepted")
	}
}

func TestAssignDrawings(t *testing.T) {
	dir := t.TempDir()
	jobs := []imageJob{{path: "x/a.jpg", index: 0}, {path: "b.png", index: 1}, {path: "y/a.png", index: 2}}
	out := filepath.Join(dir, "draw")
	if err := assignDrawings(jobs, out, true); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range jobs {
		got = append(got, filepath.Base(j.draw))
	}
	if !slices.Equal(got, []string{"a-0.png", "b.png", "a-2.png"}) {
		t.Errorf("names %v", got)
	}
	if st, err := os.Stat(out); err != nil || !st.IsDir() {
		t.Errorf("directory not made: %v", err)
	}
	// One image: a file, or a directory when it is one.
	one := []imageJob{{path: "p/q.jpg"}}
	if err := assignDrawings(one, filepath.Join(dir, "z.png"), false); err != nil || one[0].draw != filepath.Join(dir, "z.png") {
		t.Errorf("%v %q", err, one[0].draw)
	}
	if err := assignDrawings(one, out, false); err != nil || one[0].draw != filepath.Join(out, "q.png") {
		t.Errorf("%v %q", err, one[0].draw)
	}
}
