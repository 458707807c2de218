package main

import (
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pgedge/pgedge"
)

// TestCocoResults: the COCO entries of a result with a detection and a segmentation.
func TestCocoResults(t *testing.T) {
	d := &pgedge.Result{Objects: []pgedge.Object{
		{Label: "cat", Box: pgedge.Box{XMin: 125, YMin: 46, XMax: 375, YMax: 234}},
		{Label: "dog", Box: pgedge.Box{XMin: 0, YMin: 0, XMax: 319, YMax: 480}, Mask: &pgedge.RLE{Size: [2]int{480, 640}, Counts: "0"}},
	}}
	cats := map[string]int{"dog": 18}
	coco := cocoResults(d, cocoImageID("/data/val2017/000000397133.jpg"), cats)
	b, _ := json.Marshal(coco)
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

}

func jsonKeys(m map[string]any) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	slices.Sort(k)
	return k
}

// TestDrawingPNG: --draw's file is a PNG written through a temporary name.
func TestDrawingPNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.png")
	if err := writeDrawingPNG(path, image.NewRGBA(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() != 3 {
		t.Error(err)
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
