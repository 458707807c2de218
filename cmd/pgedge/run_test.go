package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/internal/testmodel"
	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/tokenizer"
)

// checkResultSchema checks one --json object: the keys every result has, and each
// object's label and box.
func checkResultSchema(t *testing.T, r map[string]any, image string, w, h int) {
	t.Helper()
	for _, k := range []string{"text", "objects", "tokens", "timings"} {
		if _, ok := r[k]; !ok {
			t.Errorf("result has no %q: %v", k, r)
		}
	}
	if _, ok := r["text"].(string); !ok {
		t.Errorf("text is %T, want a string", r["text"])
	}
	if toks, ok := r["tokens"].([]any); !ok || len(toks) == 0 {
		t.Errorf("tokens = %v, want a non-empty list", r["tokens"])
	}
	tm, ok := r["timings"].(map[string]any)
	if !ok {
		t.Fatalf("timings is %T", r["timings"])
	}
	for _, k := range []string{"prefill_ms", "vision_ms", "extend_ms", "image_ms"} {
		if _, ok := tm[k].(float64); !ok {
			t.Errorf("timings has no number %q: %v", k, tm)
		}
	}
	if r["image"] != image || r["width"] != float64(w) || r["height"] != float64(h) {
		t.Errorf("image, width, height = %v, %v, %v; want %s, %d, %d", r["image"], r["width"], r["height"], image, w, h)
	}
	objs, ok := r["objects"].([]any)
	if !ok {
		t.Fatalf("objects is %T (%v), want a list", r["objects"], r["objects"])
	}
	for _, o := range objs {
		obj := o.(map[string]any)
		if _, ok := obj["label"].(string); !ok {
			t.Errorf("object without label: %v", obj)
		}
		box, ok := obj["box"].(map[string]any)
		if !ok {
			t.Fatalf("object without box: %v", obj)
		}
		for _, k := range []string{"x_min", "y_min", "x_max", "y_max"} {
			if _, ok := box[k].(float64); !ok {
				t.Errorf("box has no %q: %v", k, box)
			}
		}
	}
}

// TestRunDetectEndToEnd runs `pgedge run --task detect --objects cat --json --draw` on a
// tiny random model and checks the JSON schema and the drawing.
func TestRunDetectEndToEnd(t *testing.T) {
	dir := testmodel.Write(t, nil)
	tmp := t.TempDir()
	img := filepath.Join(tmp, "cat.png")
	writeRunTestPNG(t, img, 80, 60)
	drawing := filepath.Join(tmp, "out.png")

	stdout, stderr, err := pgRun(t, "--model", dir, "--image", img, "--task", "detect", "--objects", "cat",
		"--json", "--draw", drawing, "--max-tokens", "12", "--threads", "1")
	if err != nil {
		t.Fatalf("run failed: %v\nstderr: %s", err, stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
	}
	checkResultSchema(t, r, img, 80, 60)
	if r["drawing"] != drawing {
		t.Errorf("drawing = %v, want %s", r["drawing"], drawing)
	}

	// text is the decoding of tokens without <eos>.
	tokBytes, _ := os.ReadFile(filepath.Join(dir, "tokenizer.model"))
	tok, err := tokenizer.FromBytes(tokBytes)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, v := range r["tokens"].([]any) {
		ids = append(ids, int(v.(float64)))
	}
	if n := len(ids); ids[n-1] != 1 && n != 12 {
		t.Errorf("%d tokens ending in %d: want <eos> (1) last or 12 tokens", n, ids[n-1])
	}
	if got, want := r["text"], tok.Decode(slices.DeleteFunc(slices.Clone(ids), func(id int) bool { return id == 1 })); got != want {
		t.Errorf("text %q is not the decoded tokens %q", got, want)
	}

	f, err := os.Open(drawing)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pic, err := png.Decode(f)
	if err != nil {
		t.Fatalf("out.png does not decode: %v", err)
	}
	if b := pic.Bounds(); b.Dx() != 80 || b.Dy() != 60 {
		t.Errorf("out.png is %v, want the original 80x60", b)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, ".*tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// --task builds the same prompt as the spelled-out --prompt (greedy, so the same
	// tokens), and the text output streams the same text.
	stdout2, _, err := pgRun(t, "--model", dir, "--image", img, "--prompt", "detect cat", "--json",
		"--max-tokens", "12", "--threads", "1")
	if err != nil {
		t.Fatal(err)
	}
	var r2 map[string]any
	json.Unmarshal([]byte(stdout2), &r2)
	if !slices.Equal(r2["tokens"].([]any), r["tokens"].([]any)) {
		t.Errorf("--prompt \"detect cat\" gave tokens %v, --task detect --objects cat %v", r2["tokens"], r["tokens"])
	}
	text, _, err := pgRun(t, "--model", dir, "--image", img, "--task", "detect", "--objects", "cat",
		"--max-tokens", "12", "--threads", "1")
	if err != nil {
		t.Fatal(err)
	}
	if text != r["text"].(string)+"\n" {
		t.Errorf("streamed text %q, JSON text %q", text, r["text"])
	}
}

func TestRunVQVAEFlag(t *testing.T) {
	dir := testmodel.Write(t, nil)
	tmp := t.TempDir()
	img := filepath.Join(tmp, "a.png")
	writeRunTestPNG(t, img, 30, 20)
	npz := filepath.Join(tmp, "vae-oid.npz")
	if err := os.WriteFile(npz, runTestVQVAE(t, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := pgRun(t, "--model", dir, "--image", img, "--task", "segment", "--objects", "cat",
		"--vqvae", npz, "--json", "--max-tokens", "4", "--threads", "1")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	bad := filepath.Join(tmp, "bad.npz")
	os.WriteFile(bad, []byte("not a zip"), 0o644)
	_, _, err = pgRun(t, "--model", dir, "--image", img, "--task", "segment", "--objects", "cat",
		"--vqvae", bad, "--max-tokens", "4")
	if err == nil || !strings.Contains(err.Error(), "--vqvae") || !strings.Contains(err.Error(), "zip") {
		t.Errorf("bad --vqvae: got %v", err)
	}
}

// TestRunBatch covers --images-from, a bad image in the middle, --draw into a
// directory, --out, --shard and --format coco.
func TestRunBatch(t *testing.T) {
	dir := testmodel.Write(t, nil)
	tmp := t.TempDir()
	a, b := filepath.Join(tmp, "a.png"), filepath.Join(tmp, "sub", "a.png")
	os.Mkdir(filepath.Join(tmp, "sub"), 0o755)
	writeRunTestPNG(t, a, 40, 30)
	writeRunTestPNG(t, b, 20, 50)
	garbage := filepath.Join(tmp, "garbage.png")
	os.WriteFile(garbage, []byte("this is no image"), 0o644)
	missing := filepath.Join(tmp, "missing.jpg")
	list := filepath.Join(tmp, "list.txt")
	os.WriteFile(list, []byte("# images\n"+a+"\r\n\n"+garbage+"\n  "+b+"  \n# "+missing+" is commented out\n"+missing+"\n"), 0o644)
	common := []string{"--model", dir, "--task", "caption", "--max-tokens", "3", "--threads", "1"}

	draws := filepath.Join(tmp, "drawings")
	out := filepath.Join(tmp, "results.jsonl")
	stdout, stderr, err := pgRun(t, append(common, "--images-from", list, "--draw", draws, "--out", out)...)
	var bf batchFailed
	if !errors.As(err, &bf) || bf.failed != 2 || bf.total != 4 || strings.Contains(err.Error(), "\n") {
		t.Fatalf("want a one-line error for 2 of 4 failed images, got %v", err)
	}
	if stdout != "" {
		t.Errorf("stdout with --out: %q", stdout)
	}
	for _, p := range []string{garbage, missing} {
		if !strings.Contains(stderr, "pgedge: "+p+": ") {
			t.Errorf("stderr does not report %s:\n%s", p, stderr)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("--out not written after failures: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d JSON lines, want 4:\n%s", len(lines), data)
	}
	wantImages := []string{a, garbage, b, missing}
	for i, line := range lines {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d is not JSON: %v", i, err)
		}
		if r["image"] != wantImages[i] {
			t.Errorf("line %d is image %v, want %s", i, r["image"], wantImages[i])
		}
		if i == 1 || i == 3 {
			if msg, _ := r["error"].(string); msg == "" || len(r) != 2 {
				t.Errorf("line %d: want {image, error}, got %v", i, r)
			}
			continue
		}
		if i == 0 {
			checkResultSchema(t, r, a, 40, 30)
		} else {
			checkResultSchema(t, r, b, 20, 50)
		}
		// Both images are named a.png: the drawings get the list index.
		want := filepath.Join(draws, []string{"a-0.png", "", "a-2.png"}[i])
		if r["drawing"] != want {
			t.Errorf("line %d: drawing %v, want %s", i, r["drawing"], want)
		}
		if _, err := os.Stat(want); err != nil {
			t.Error(err)
		}
	}

	// --shard 1/2 keeps entries 1 and 3 of the list (both bad); 0/2 keeps 0 and 2.
	stdout, _, err = pgRun(t, append(common, "--images-from", list, "--shard", "1/2")...)
	if !errors.As(err, &bf) || bf.failed != 2 || bf.total != 2 {
		t.Errorf("--shard 1/2: %v", err)
	}
	if n := strings.Count(stdout, "\n"); n != 2 || !strings.Contains(stdout, garbage) || !strings.Contains(stdout, missing) {
		t.Errorf("--shard 1/2 output:\n%s", stdout)
	}
	stdout, _, err = pgRun(t, append(common, "--images-from", list, "--shard", "0/2", "--format", "coco")...)
	if err != nil {
		t.Fatalf("--shard 0/2: %v", err)
	}
	var coco []map[string]any
	if err := json.Unmarshal([]byte(stdout), &coco); err != nil {
		t.Fatalf("--format coco output is not a JSON array: %v\n%s", err, stdout)
	}
	// A shard past the end of the list is empty but not an error.
	stdout, stderr, err = pgRun(t, append(common, "--image", a, "--shard", "1/3", "--format", "coco")...)
	if err != nil || strings.TrimSpace(stdout) != "[]" || !strings.Contains(stderr, "selects no image") {
		t.Errorf("empty shard: err %v, stdout %q, stderr %q", err, stdout, stderr)
	}

	// Repeated --image keeps commas in names and gives JSON lines.
	comma := filepath.Join(tmp, "x,y.png")
	writeRunTestPNG(t, comma, 16, 16)
	stdout, _, err = pgRun(t, append(common, "--image", a, "--image", comma)...)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); len(lines) != 2 || !strings.Contains(lines[1], `"image":"`+comma+`"`) {
		t.Errorf("two --image flags gave:\n%s", stdout)
	}
}

// TestRunSingleImageErrors: one bad image is a plain error, not a JSON line.
func TestRunSingleImageErrors(t *testing.T) {
	dir := testmodel.Write(t, nil)
	tmp := t.TempDir()
	garbage := filepath.Join(tmp, "g.png")
	os.WriteFile(garbage, []byte("nope"), 0o644)
	stdout, _, err := pgRun(t, "--model", dir, "--image", garbage, "--task", "ocr", "--json")
	if err == nil || stdout != "" {
		t.Errorf("bad single image: err %v, stdout %q", err, stdout)
	}
	out := filepath.Join(tmp, "o.json")
	if _, _, err := pgRun(t, "--model", dir, "--image", garbage, "--task", "ocr", "--json", "--out", out); err == nil {
		t.Error("no error")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--out written for a failed single image: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, ".*tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestRunFlagErrors: every bad combination is one line naming the problem, before the
// model is loaded, with nothing on stdout.
func TestRunFlagErrors(t *testing.T) {
	dir := testmodel.Write(t, nil)
	tmp := t.TempDir()
	img := filepath.Join(tmp, "a.png")
	writeRunTestPNG(t, img, 8, 8)
	empty := filepath.Join(tmp, "empty.txt")
	os.WriteFile(empty, []byte("# nothing\n\n"), 0o644)
	cats := filepath.Join(tmp, "cats.json")
	os.WriteFile(cats, []byte(`{"categories": []}`), 0o644)
	m := []string{"--model", dir}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--image", img}, "exactly one of --task, --prompt and --prompt-ids"},
		{[]string{"--task", "caption", "--prompt", "x"}, "exactly one of"},
		{[]string{"--prompt", "x", "--prompt-ids", "2"}, "exactly one of"},
		{[]string{"--task", "bogus"}, `--task "bogus" is not a task`},
		{[]string{"--task", "detect"}, "--task detect needs --objects"},
		{[]string{"--task", "segment", "--objects", "cat ; "}, "empty name"},
		{[]string{"--task", "detect", "--objects", "a\nb"}, "--task detect: object \"a\\nb\" contains"},
		{[]string{"--task", "answer"}, "--task answer needs --question"},
		{[]string{"--task", "question"}, "--task question needs"},
		{[]string{"--task", "ocr", "--lang", "fr"}, "--lang does not apply to --task ocr"},
		{[]string{"--task", "caption", "--objects", "cat"}, "--objects does not apply to --task caption"},
		{[]string{"--task", "caption", "--lang", "e n"}, "whitespace"},
		{[]string{"--prompt", "caption en", "--objects", "cat"}, "--objects goes with --task"},
		{[]string{"--prompt", "caption en", "--question", "why"}, "--question goes with --task"},
		{[]string{"--prompt", "  "}, "--prompt is blank"},
		{[]string{"--prompt-ids", "2,x"}, `"x" is not a token id`},
		{[]string{"--prompt", "x", "--image", img, "--shard", "2/2"}, "0..1"},
		{[]string{"--prompt", "x", "--image", img, "--shard", "-1/2"}, "0..1"},
		{[]string{"--prompt", "x", "--image", img, "--shard", "0/0"}, "at least 1"},
		{[]string{"--prompt", "x", "--image", img, "--shard", "half"}, "want i/n"},
		{[]string{"--prompt", "x", "--shard", "0/2"}, "--shard needs a list of images"},
		{[]string{"--prompt", "x", "--images-from", filepath.Join(tmp, "nope.txt")}, "--images-from"},
		{[]string{"--prompt", "x", "--images-from", empty}, "no image paths"},
		{[]string{"--prompt", "x", "--images-from", ""}, "--images-from needs a file name"},
		{[]string{"--prompt", "x", "--image", img, "--format", "xml"}, "--format must be text, json or coco"},
		{[]string{"--prompt", "x", "--image", img, "--json", "--format", "coco"}, "--json conflicts with --format coco"},
		{[]string{"--prompt", "x", "--image", img, "--image", img, "--format", "text"}, "--format text needs a single --image"},
		{[]string{"--prompt", "x", "--format", "coco"}, "--format coco needs --image"},
		{[]string{"--prompt", "x", "--image", img, "--categories", cats}, "--categories applies only to --format coco"},
		{[]string{"--prompt", "x", "--image", img, "--format", "coco", "--categories", cats}, "no categories"},
		{[]string{"--prompt", "x", "--draw", filepath.Join(tmp, "o.png")}, "--draw needs --image"},
		{[]string{"--prompt", "x", "--image", img, "--draw", filepath.Join(tmp, "no", "dir", "o.png")}, "does not exist"},
		{[]string{"--prompt", "x", "--image", img, "--image", img, "--draw", img}, "names a directory"},
		{[]string{"--prompt", "x", "--image", img, "--out", filepath.Join(tmp, "no", "o.json")}, "does not exist"},
		{[]string{"--prompt", "x", "--image", img, "--out", tmp}, "is a directory"},
		{[]string{"--prompt", "x", "--max-tokens", "0"}, "--max-tokens must be positive"},
		{[]string{"--prompt", "x", "--temperature", "-1"}, "--temperature must be ≥ 0"},
		{[]string{"--prompt", "x", "--top-p", "2"}, "--top-p must be in [0, 1]"},
		{[]string{"--prompt", "x", "--top-k", "-3"}, "--top-k must be ≥ 0"},
		{[]string{"--prompt", "x", "--threads", "-1"}, "--threads must not be negative"},
		{[]string{"--prompt", "x", "--load", "mlock"}, `--load: load mode "mlock": want auto, mmap or memory`},
		{[]string{"--prompt", "x", "--vqvae", filepath.Join(tmp, "none.npz")}, "--vqvae"},
		{[]string{"--prompt", "x", "caption"}, `unexpected argument "caption"`},
		{[]string{"--prompt", "x", "--bogus"}, "flag provided but not defined: -bogus (see pgedge run --help)"},
		{[]string{"--prompt", "x", "--max-tokens", "many"}, "invalid value"},
		{[]string{"--prompt", "x", "--image", ""}, "empty path"},
	} {
		name := strings.Join(tc.args, " ")
		stdout, stderr, err := pgRun(t, append(slices.Clone(m), tc.args...)...)
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
			t.Errorf("%s: error %q, want one line containing %q", name, msg, tc.want)
		}
		if stdout != "" || stderr != "" {
			t.Errorf("%s: printed stdout %q, stderr %q", name, stdout, stderr)
		}
	}
	// No --model at all.
	if _, _, err := pgRun(t, "--prompt", "x"); err == nil || !strings.Contains(err.Error(), "give --model") {
		t.Errorf("no --model: %v", err)
	}
	// A model without a tokenizer needs --prompt-ids.
	bare := t.TempDir()
	for _, f := range []string{"config.json", "model.safetensors"} {
		b, _ := os.ReadFile(filepath.Join(dir, f))
		os.WriteFile(filepath.Join(bare, f), b, 0o644)
	}
	if _, _, err := pgRun(t, "--model", bare, "--task", "ocr"); err == nil || !strings.Contains(err.Error(), "--prompt-ids") {
		t.Errorf("no tokenizer: %v", err)
	}
	if out, _, err := pgRun(t, "--model", bare, "--image", img, "--prompt-ids", "2,5,108", "--max-tokens", "2", "--json"); err != nil || !strings.Contains(out, `"tokens"`) {
		t.Errorf("--prompt-ids without a tokenizer: %v\n%s", err, out)
	}
}

// TestRunLoadModes: the demo model read into memory and mapped answers the same.
func TestRunLoadModes(t *testing.T) {
	img := filepath.Join(t.TempDir(), "a.png")
	writeRunTestPNG(t, img, 32, 24)
	var want string
	for _, load := range []string{"mmap", "memory", "auto"} {
		out, _, err := pgRun(t, "--model", demoModel, "--load", load, "--image", img, "--task", "caption", "--max-tokens", "6", "--json")
		if err != nil {
			t.Fatalf("--load %s: %v", load, err)
		}
		var r struct{ Tokens []int }
		if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Tokens) == 0 {
			t.Fatalf("--load %s: %v\n%s", load, err, out)
		}
		if want == "" {
			want = fmt.Sprint(r.Tokens)
		} else if got := fmt.Sprint(r.Tokens); got != want {
			t.Errorf("--load %s: tokens %s, want %s (mmap)", load, got, want)
		}
	}
}

// TestRunScriptedSegmentation runs a model that always answers
// "<loc0100><loc0200><loc0500><loc0600><seg000>…<seg015> cat" and checks the whole
// path: box in original pixels, mask from the VQ-VAE (given by --vqvae, found in the
// model directory, or missing), COCO output and the drawing.
func TestRunScriptedSegmentation(t *testing.T) {
	tok := testmodel.Tokenizer(t)
	var script []int
	for _, p := range []string{"<loc0100>", "<loc0200>", "<loc0500>", "<loc0600>"} {
		id, ok := tok.ID(p)
		if !ok {
			t.Fatalf("no %s in the test vocabulary", p)
		}
		script = append(script, id)
	}
	for k := 0; k < 16; k++ {
		id, _ := tok.ID(fmt.Sprintf("<seg%03d>", k))
		script = append(script, id)
	}
	script = append(script, tok.Encode(" cat")...)
	dir := testmodel.Scripted(t, script)
	tmp := t.TempDir()
	img := filepath.Join(tmp, "000000000042.png")
	writeRunTestPNG(t, img, 200, 100)
	npz := filepath.Join(tmp, "vae.npz")
	os.WriteFile(npz, runTestVQVAE(t, 1), 0o644) // all logits +1: the mask is the whole box
	// bin/1023 of the original size, truncated: y 9.78, x 39.1, y 48.9, x 117.3.
	wantBox := map[string]any{"x_min": 39.0, "y_min": 9.0, "x_max": 117.0, "y_max": 48.0}
	const wantText = "<loc0100><loc0200><loc0500><loc0600><seg000><seg001><seg002><seg003><seg004><seg005><seg006>" +
		"<seg007><seg008><seg009><seg010><seg011><seg012><seg013><seg014><seg015> cat"

	drawing := filepath.Join(tmp, "out.png")
	stdout, stderr, err := pgRun(t, "--model", dir, "--image", img, "--task", "segment", "--objects", "cat",
		"--vqvae", npz, "--json", "--draw", drawing, "--threads", "1")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	checkResultSchema(t, r, img, 200, 100)
	if r["text"] != wantText || strings.Contains(stdout, `\u003c`) {
		t.Fatalf("text %q, want %q (unescaped)", r["text"], wantText)
	}
	objs := r["objects"].([]any)
	if len(objs) != 1 {
		t.Fatalf("objects %v", objs)
	}
	obj := objs[0].(map[string]any)
	if obj["label"] != "cat" || !reflect.DeepEqual(obj["box"], wantBox) {
		t.Errorf("object %v, want cat %v", obj, wantBox)
	}
	mask, _ := obj["mask"].(map[string]any)
	if mask == nil {
		t.Fatalf("no mask: %v (stderr %q)", obj, stderr)
	}
	counts, err := task.DecodeCompressedCounts(mask["counts"].(string))
	if err != nil {
		t.Fatal(err)
	}
	rle := task.RLE{Size: [2]int{100, 200}, Counts: counts}
	if !reflect.DeepEqual(mask["size"], []any{100.0, 200.0}) || rle.Area() != (117-39)*(48-9) {
		t.Errorf("mask size %v, area %d, want [100 200] and the box's %d", mask["size"], rle.Area(), (117-39)*(48-9))
	}
	f, _ := os.Open(drawing)
	pic, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.Open(img)
	orig, _ := png.Decode(src)
	src.Close()
	if pic.At(80, 30) == orig.At(80, 30) || pic.At(150, 80) != orig.At(150, 80) {
		t.Error("the drawing does not tint inside the box only")
	}

	// COCO, with categories; the VQ-VAE now comes from the model directory.
	os.WriteFile(filepath.Join(dir, "vae-oid.npz"), runTestVQVAE(t, 1), 0o644)
	cats := filepath.Join(tmp, "instances.json")
	os.WriteFile(cats, []byte(`{"categories": [{"id": 17, "name": "cat"}]}`), 0o644)
	stdout, stderr, err = pgRun(t, "--model", dir, "--image", img, "--task", "segment", "--objects", "cat",
		"--format", "coco", "--categories", cats, "--threads", "1")
	if err != nil || stderr != "" {
		t.Fatalf("%v\n%s", err, stderr)
	}
	var coco []map[string]any
	if err := json.Unmarshal([]byte(stdout), &coco); err != nil || len(coco) != 1 {
		t.Fatalf("coco output %s: %v", stdout, err)
	}
	c := coco[0]
	if c["image_id"] != 42.0 || c["category_id"] != 17.0 || c["label"] != "cat" || c["score"] != 1.0 ||
		!reflect.DeepEqual(c["bbox"], []any{39.0, 9.0, 78.0, 39.0}) || c["segmentation"] == nil {
		t.Errorf("coco result %v", c)
	}
	// A label missing from --categories: no category_id, one warning.
	os.WriteFile(cats, []byte(`[{"id": 18, "name": "dog"}]`), 0o644)
	stdout, stderr, err = pgRun(t, "--model", dir, "--image", img, "--image", img, "--task", "detect", "--objects", "cat",
		"--format", "coco", "--categories", cats, "--threads", "1")
	if err != nil || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, `label "cat" is not among the --categories`) {
		t.Errorf("unknown label: %v, stderr %q", err, stderr)
	}
	coco = nil
	if json.Unmarshal([]byte(stdout), &coco); len(coco) != 2 || coco[0]["category_id"] != nil {
		t.Errorf("unknown label: %s", stdout)
	}

	// No VQ-VAE: boxes, no masks, one warning for the whole batch.
	os.Remove(filepath.Join(dir, "vae-oid.npz"))
	stdout, stderr, err = pgRun(t, "--model", dir, "--image", img, "--image", img, "--task", "segment",
		"--objects", "cat", "--threads", "1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(stderr, "warning") != 1 || !strings.Contains(stderr, "--vqvae") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one warning line", stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var r map[string]any
		json.Unmarshal([]byte(line), &r)
		o := r["objects"].([]any)[0].(map[string]any)
		if _, has := o["mask"]; has || !reflect.DeepEqual(o["box"], wantBox) {
			t.Errorf("without a VQ-VAE: %v", o)
		}
	}
	// Plain text streams the generation as is.
	stdout, _, err = pgRun(t, "--model", dir, "--image", img, "--task", "detect", "--objects", "cat", "--threads", "1")
	if err != nil || stdout != wantText+"\n" {
		t.Errorf("text output %q, %v", stdout, err)
	}
}

// TestRunBatchSize: --batch decodes several images together and changes nothing in the
// output: the same JSON lines (timings aside), in list order, errors included, for
// greedy and sampled runs.
func TestRunBatchSize(t *testing.T) {
	root, err := refset.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(root, "testdata", "reference")
	demo := filepath.Join(root, "testdata", "demo", "pg2-tiny-int8.pge")
	tmp := t.TempDir()
	garbage := filepath.Join(tmp, "garbage.png")
	os.WriteFile(garbage, []byte("this is no image"), 0o644)
	imgs := []string{
		filepath.Join(ref, "pg2-small", "image.png"), filepath.Join(ref, "pg2-small", "image_alt.png"), garbage,
		filepath.Join(ref, "pg1-small", "image.png"), filepath.Join(ref, "pg1-small", "image_alt.png"),
		filepath.Join(ref, "pg2-small", "image.png"),
	}
	list := filepath.Join(tmp, "list.txt")
	os.WriteFile(list, []byte(strings.Join(imgs, "\n")+"\n"), 0o644)
	for _, mode := range [][]string{
		{"--task", "caption", "--max-tokens", "20"},
		{"--prompt", "describe en", "--temperature", "1.1", "--seed", "3", "--max-tokens", "15"},
	} {
		var first string
		for _, b := range []string{"1", "3", "8"} {
			stdout, _, _ := pgRun(t, append([]string{"--model", demo, "--images-from", list, "--batch", b}, mode...)...)
			got := zeroTimings.ReplaceAllString(stdout, `"$1": 0`)
			if n := strings.Count(got, "\n"); n != len(imgs) {
				t.Fatalf("--batch %s: %d lines for %d images", b, n, len(imgs))
			}
			if first == "" {
				first = got
			} else if got != first {
				gl, fl := strings.Split(got, "\n"), strings.Split(first, "\n")
				for i := range gl {
					if gl[i] != fl[i] {
						a, c := gl[i], fl[i]
						k := 0
						for k < min(len(a), len(c)) && a[k] == c[k] {
							k++
						}
						t.Errorf("%v: --batch %s line %d differs from --batch 1 at byte %d: …%s\nwant …%s", mode, b, i, k, a[max(0, k-80):min(len(a), k+80)], c[max(0, k-80):min(len(c), k+80)])
					}
				}
			}
		}
	}
	if _, _, err := pgRun(t, "--model", demo, "--images-from", list, "--task", "caption", "--batch", "0"); err == nil || !strings.Contains(err.Error(), "--batch") {
		t.Errorf("--batch 0: %v", err)
	}
}

// TestLoadFlagErrors: every command that opens a model rejects a bad --load before
// doing anything else, with a message that lists the modes.
func TestLoadFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"run", "--model", demoModel, "--prompt", "x"},
		{"serve", "--model", demoModel, "--addr", "127.0.0.1:0"},
		{"bench", "--model", demoModel},
		{"bench-serve", "--model", demoModel},
		{"eval", "--ref", demoModel, "--model", demoModel},
	} {
		out, err := runApp(t, append(args, "--load", "swap")...)
		if err == nil || !strings.Contains(err.Error(), "want auto, mmap or memory") {
			t.Errorf("pgedge %s --load swap: %v\n%s", args[0], err, out)
		}
	}
}
