package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pgedge/pgedge/internal/testmodel"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// asMainEnv makes the test binary run main() instead of the tests, so that the
// tests below can run pgedge as a separate process (exit status, signals) without
// building it.
const asMainEnv = "PGEDGE_TEST_RUN_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// pgCommand returns pgedge args... as a separate process.
func pgCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), asMainEnv+"=1")
	return cmd
}

// pgExec runs pgedge args... as a process and returns its output and exit status.
func pgExec(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := pgCommand(args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("pgedge %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// pgApp runs pgedge args... in-process and returns stdout, stderr and the error
// main would print.
func pgApp(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &out, &errb
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("pgedge %s panicked: %v", strings.Join(args, " "), r)
			}
		}()
		err = app.Run(append([]string{"pgedge"}, args...))
	}()
	return out.String(), errb.String(), err
}

// mustApp is pgApp that fails the test on an error.
func mustApp(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, err := pgApp(t, args...)
	if err != nil {
		t.Fatalf("pgedge %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr)
	}
	return stdout, stderr
}

// synthHF writes the pg2-tiny preset as a Hugging Face directory with `pgedge synth --hf`.
func synthHF(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pg2-tiny")
	stdout, _ := mustApp(t, "synth", "--preset", "pg2-tiny", "--hf", "--out", dir)
	want := fmt.Sprintf("wrote %s\nconvert with: pgedge convert --in %s --out %s.pge --weights int8\n", dir, dir, dir)
	if stdout != want {
		t.Errorf("synth --hf printed %q, want %q", stdout, want)
	}
	for _, f := range []string{"config.json", "model.safetensors", "tokenizer.model"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// decodeOne decodes stdout as exactly one JSON object.
func decodeOne(t *testing.T, stdout string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON object:\n%s", stdout)
	}
}

func number(t *testing.T, m map[string]any, key, where string) float64 {
	t.Helper()
	v, ok := m[key].(float64)
	if !ok {
		t.Fatalf("%s: %q is %T (%v), want a number", where, key, m[key], m[key])
	}
	return v
}

func str(t *testing.T, m map[string]any, key, where string) string {
	t.Helper()
	v, ok := m[key].(string)
	if !ok {
		t.Fatalf("%s: %q is %T (%v), want a string", where, key, m[key], m[key])
	}
	return v
}

// TestConvertEndToEnd: synth --hf, convert --weights int4 --json, inspect --json,
// verify, and verify of a damaged file.
func TestConvertEndToEnd(t *testing.T) {
	dir := synthHF(t)
	out := filepath.Join(t.TempDir(), "m.pge")
	stdout, stderr := mustApp(t, "convert", "--in", dir, "--out", out, "--weights", "int4", "--json")
	if want := "run with: pgedge run --model " + out + " --image IMG --task caption\n"; stderr != want {
		t.Errorf("stderr %q, want the one-line hint %q", stderr, want)
	}

	// The --json summary.
	var rep map[string]any
	decodeOne(t, stdout, &rep)
	cfg, _ := model.Preset("pg2-tiny")
	specs := cfg.TensorSpecs()
	classOf := map[string]model.Class{}
	specOf := map[string]model.TensorSpec{}
	for _, s := range specs {
		classOf[s.Name] = s.Class
		specOf[s.Name] = s
	}
	for _, k := range []string{"weights_per_s", "input_mb_per_s", "output_mb_per_s", "seconds", "peak_rss_bytes", "threads"} {
		if v, ok := rep[k].(float64); !ok || v <= 0 {
			t.Errorf("--json %s = %v, want a positive number", k, rep[k])
		}
	}
	if p, s := number(t, rep, "params", "report"), number(t, rep, "seconds", "report"); math.Abs(number(t, rep, "weights_per_s", "report")-p/s) > 1e-6*p/s {
		t.Errorf("weights_per_s %v is not params/seconds = %v", rep["weights_per_s"], p/s)
	}
	tensors, ok := rep["tensors"].([]any)
	if !ok || len(tensors) != len(specs)-1 { // all but the optional lm_head
		t.Fatalf("tensors: %d entries (%T), want %d", len(tensors), rep["tensors"], len(specs)-1)
	}
	type span struct{ lo, hi float64 }
	perClass := map[string]span{}
	for i, x := range tensors {
		tr, ok := x.(map[string]any)
		if !ok {
			t.Fatalf("tensors[%d] is %T", i, x)
		}
		where := fmt.Sprintf("tensors[%d]", i)
		name, class, typ := str(t, tr, "name", where), str(t, tr, "class", where), str(t, tr, "type", where)
		bpw, rel, maxErr := number(t, tr, "bits_per_weight", where), number(t, tr, "rel_rms_error", where), number(t, tr, "max_abs_error", where)
		if want := string(classOf[name]); class != want {
			t.Errorf("%s: class %q, want %q", name, class, want)
		}
		wantType := map[string]string{"attention": "Q4", "mlp": "Q4", "vision": "Q8", "embedding": "Q8", "projector": "Q8"}[class]
		if wantType == "" {
			wantType = "F32"
		}
		if typ != wantType {
			t.Errorf("%s (%s): type %s, want %s", name, class, typ, wantType)
		}
		switch typ {
		case "F32":
			if bpw != 32 || rel != 0 || maxErr != 0 {
				t.Errorf("%s: F32 with %v bits/weight, error %v / %v", name, bpw, rel, maxErr)
			}
		case "Q4", "Q8":
			// Rows are padded to whole blocks: the 64 columns of q_proj to one
			// 256-weight Q4 super-block (4 × 4.5 bits), the 588 of the patch
			// embedding to 19 Q8 blocks.
			qt, maxRel := quant.Q4, 0.1
			if typ == "Q8" {
				qt, maxRel = quant.Q8, 0.01
			}
			shape := specOf[name].Shape
			cols := 1
			for _, d := range shape[1:] {
				cols *= d
			}
			want := float64(8*quant.RowBytes(qt, quant.StoredCols(qt, cols))) / float64(cols)
			if math.Abs(bpw-want) > 1e-9 || rel <= 0 || rel > maxRel || maxErr <= 0 {
				t.Errorf("%s: %s with %v bits/weight (want %v), error %v / %v", name, typ, bpw, want, rel, maxErr)
			}
		}
		s, ok := perClass[class]
		if !ok {
			s = span{math.Inf(1), math.Inf(-1)}
		}
		perClass[class] = span{min(s.lo, rel), max(s.hi, rel)}
	}
	classes, ok := rep["classes"].(map[string]any)
	if !ok {
		t.Fatalf("classes is %T", rep["classes"])
	}
	for _, name := range []string{"attention", "mlp", "vision", "embedding", "projector", "norm", "bias", "position"} {
		c, ok := classes[name].(map[string]any)
		if !ok {
			t.Fatalf("classes has no %q: %v", name, classes)
		}
		bpw, rel := number(t, c, "bits_per_weight", name), number(t, c, "rel_rms_error", name)
		// The pooled error lies between its tensors' errors.
		if s := perClass[name]; rel < s.lo*(1-1e-9) || rel > s.hi*(1+1e-9) {
			t.Errorf("class %s: pooled rel_rms_error %v outside its tensors' [%v, %v]", name, rel, s.lo, s.hi)
		}
		if bpw <= 0 {
			t.Errorf("class %s: bits_per_weight %v", name, bpw)
		}
	}
	if len(classes) != len(perClass) {
		t.Errorf("classes %v, tensors have classes %v", classes, perClass)
	}

	// inspect --json (the flag after FILE, as people type it).
	stdout, _ = mustApp(t, "inspect", out, "--json")
	var info map[string]any
	decodeOne(t, stdout, &info)
	st, _ := os.Stat(out)
	tok, _ := os.ReadFile(filepath.Join(dir, "tokenizer.model"))
	if str(t, info, "file", "inspect") != out || number(t, info, "size", "inspect") != float64(st.Size()) ||
		number(t, info, "format_version", "inspect") != 1 || number(t, info, "tokenizer_bytes", "inspect") != float64(len(tok)) ||
		number(t, info, "tokenizer_pieces", "inspect") != float64(cfg.Text.VocabSize) || number(t, info, "vqvae_bytes", "inspect") != 0 {
		t.Errorf("inspect: file, size, version, tokenizer, vqvae = %v %v %v %v %v %v", info["file"], info["size"],
			info["format_version"], info["tokenizer_bytes"], info["tokenizer_pieces"], info["vqvae_bytes"])
	}
	if text, ok := info["config"].(map[string]any)["text"].(map[string]any); !ok || text["hidden_size"] != float64(cfg.Text.Hidden) {
		t.Errorf("inspect config: %v", info["config"])
	}
	if pol, _ := info["quantization"].(map[string]any)["policy"].(map[string]any); pol["attention"] != "Q4" || pol["vision"] != "Q8" || pol["norm"] != "F32" {
		t.Errorf("inspect quantization: %v", info["quantization"])
	}
	its, _ := info["tensors"].([]any)
	if len(its) != len(tensors) {
		t.Fatalf("inspect lists %d tensors, convert reported %d", len(its), len(tensors))
	}
	sums := map[string]float64{}
	var qOff, qBytes float64
	for i, x := range its {
		tn := x.(map[string]any)
		where := fmt.Sprintf("inspect tensors[%d]", i)
		name, typ := str(t, tn, "name", where), str(t, tn, "type", where)
		off, n := number(t, tn, "offset", where), number(t, tn, "bytes", where)
		if _, ok := tn["shape"].([]any); !ok {
			t.Errorf("%s: no shape", where)
		}
		if int64(off)%64 != 0 || off < 4096 || off+n > float64(st.Size()) {
			t.Errorf("%s: offset %v, %v bytes in a file of %d", name, off, n, st.Size())
		}
		sums[typ] += n
		if name == model.TextLayerName(1, "self_attn.q_proj.weight") {
			qOff, qBytes = off, n
		}
	}
	perType, _ := info["per_type"].(map[string]any)
	for typ, want := range sums {
		tt, _ := perType[typ].(map[string]any)
		if tt == nil || number(t, tt, "bytes", "per_type "+typ) != want {
			t.Errorf("per_type[%s] = %v, want %v bytes", typ, perType[typ], want)
		}
	}
	if len(perType) != 3 {
		t.Errorf("per_type %v, want F32, Q8 and Q4", perType)
	}
	if text, _ := mustApp(t, "inspect", out); !strings.Contains(text, "tokenizer  ") || !strings.Contains(text, "Q4") {
		t.Errorf("inspect text output:\n%s", text)
	}

	// verify, then verify a copy with one data byte changed.
	if stdout, stderr, code := pgExec(t, "verify", out); code != 0 || !strings.Contains(stdout, "all checksums match") {
		t.Fatalf("verify: exit %d\n%s%s", code, stdout, stderr)
	}
	data, _ := os.ReadFile(out)
	if qBytes == 0 {
		t.Fatal("no q_proj tensor in inspect")
	}
	data[int(qOff+qBytes/2)] ^= 0x10
	bad := filepath.Join(t.TempDir(), "bad.pge")
	os.WriteFile(bad, data, 0o644)
	stdout, stderr, code := pgExec(t, "verify", bad)
	if code == 0 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "pgedge: ") ||
		!strings.Contains(stderr, "checksum") || !strings.Contains(stderr, "q_proj") {
		t.Errorf("verify of a damaged file: exit %d, stdout %q, stderr %q; want a one-line checksum error naming the tensor", code, stdout, stderr)
	}
	// inspect does not read the data, so it still works on the damaged file.
	if _, _, err := pgApp(t, "inspect", bad); err != nil {
		t.Errorf("inspect of a file with damaged data: %v", err)
	}
}

// TestConvertTableAndHint: the default output is a table, "wrote FILE" and the
// one-line next step, all on stdout.
func TestConvertTableAndHint(t *testing.T) {
	dir := synthHF(t)
	out := filepath.Join(t.TempDir(), "my model.pge")
	stdout, stderr := mustApp(t, "convert", "--in", dir, "--out", out)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if stderr != "" || len(lines) < 4 {
		t.Fatalf("stdout %q, stderr %q", stdout, stderr)
	}
	if !strings.Contains(lines[0], "class") || !strings.Contains(lines[0], "rel RMS error") {
		t.Errorf("table header %q", lines[0])
	}
	n := len(lines)
	if lines[n-2] != "wrote "+out || lines[n-1] != "run with: pgedge run --model '"+out+"' --image IMG --task caption" {
		t.Errorf("last lines %q, want wrote + the quoted run hint", lines[n-2:])
	}
}

// TestConvertTokenizer: a directory without tokenizer.model converts with one
// warning line; --tokenizer embeds a file; a bad --tokenizer is an error.
func TestConvertTokenizer(t *testing.T) {
	dir := synthHF(t)
	tokPath := filepath.Join(t.TempDir(), "spm.model")
	tok, _ := os.ReadFile(filepath.Join(dir, "tokenizer.model"))
	os.WriteFile(tokPath, tok, 0o644)
	os.Remove(filepath.Join(dir, "tokenizer.model"))
	tmp := t.TempDir()

	out := filepath.Join(tmp, "notok.pge")
	_, stderr := mustApp(t, "convert", "--in", dir, "--out", out, "--weights", "int8", "--json")
	warn, hint, _ := strings.Cut(stderr, "\n")
	if !strings.HasPrefix(warn, "warning: ") || !strings.Contains(warn, "tokenizer.model") || !strings.Contains(warn, "--tokenizer") ||
		!strings.HasPrefix(hint, "run with: ") {
		t.Errorf("stderr %q, want one warning line naming --tokenizer, then the hint", stderr)
	}
	p, err := model.OpenPGE(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Blob(model.BlobTokenizer); ok {
		t.Error("a tokenizer was embedded")
	}
	p.Close()

	out = filepath.Join(tmp, "tok.pge")
	_, stderr = mustApp(t, "convert", "--in", dir, "--out", out, "--tokenizer", tokPath)
	if strings.Contains(stderr, "warning") {
		t.Errorf("--tokenizer still warns: %q", stderr)
	}
	p, err = model.OpenPGE(out)
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := p.Blob(model.BlobTokenizer); !ok || !bytes.Equal(b, tok) {
		t.Errorf("--tokenizer: embedded %d bytes, want the file's %d", len(b), len(tok))
	}
	p.Close()

	for _, c := range []struct{ name, file, want string }{
		{"missing", filepath.Join(tmp, "nope.model"), "--tokenizer"},
		{"not a tokenizer", filepath.Join(dir, "config.json"), "config.json"},
	} {
		out := filepath.Join(tmp, "bad.pge")
		_, _, err := pgApp(t, "convert", "--in", dir, "--out", out, "--tokenizer", c.file)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s --tokenizer: %v, want an error naming %s", c.name, err, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s --tokenizer: wrote %s", c.name, out)
		}
	}
}

// TestConvertVQVAESegment: --vqvae embeds the segmentation decoder, and `pgedge run
// --task segment` on the .pge finds it (a mask, no warning); without it, the run
// warns and gives boxes only.
func TestConvertVQVAESegment(t *testing.T) {
	const vae = "../../testdata/reference/vqvae/vae-oid.npz"
	vaeBytes, err := os.ReadFile(vae)
	if err != nil {
		t.Fatal(err)
	}
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
	img := filepath.Join(tmp, "a.png")
	writeRunTestPNG(t, img, 200, 100)

	withVAE := filepath.Join(tmp, "seg.pge")
	mustApp(t, "convert", "--in", dir, "--out", withVAE, "--weights", "f32", "--vqvae", vae)
	stdout, _ := mustApp(t, "inspect", "--json", withVAE)
	var info map[string]any
	decodeOne(t, stdout, &info)
	if info["vqvae_bytes"] != float64(len(vaeBytes)) {
		t.Errorf("vqvae_bytes %v, want %d", info["vqvae_bytes"], len(vaeBytes))
	}
	stdout, stderr, err := pgRun(t, "--model", withVAE, "--image", img, "--task", "segment", "--objects", "cat", "--json", "--threads", "1")
	if err != nil || stderr != "" {
		t.Fatalf("segment with the embedded VQ-VAE: %v\nstderr %q", err, stderr)
	}
	var r map[string]any
	decodeOne(t, stdout, &r)
	objs, _ := r["objects"].([]any)
	if len(objs) != 1 {
		t.Fatalf("objects %v (text %q)", r["objects"], r["text"])
	}
	if mask, _ := objs[0].(map[string]any)["mask"].(map[string]any); mask == nil || mask["counts"] == nil {
		t.Errorf("no mask from the embedded VQ-VAE: %v", objs[0])
	}

	noVAE := filepath.Join(tmp, "plain.pge")
	mustApp(t, "convert", "--in", dir, "--out", noVAE, "--weights", "f32")
	stdout, stderr, err = pgRun(t, "--model", noVAE, "--image", img, "--task", "segment", "--objects", "cat", "--json", "--threads", "1")
	if err != nil || !strings.Contains(stderr, "--vqvae") {
		t.Fatalf("segment without a VQ-VAE: %v, stderr %q (want a warning)", err, stderr)
	}
	decodeOne(t, stdout, &r)
	if _, has := r["objects"].([]any)[0].(map[string]any)["mask"]; has {
		t.Error("a mask without a VQ-VAE")
	}
}

// TestConvertErrors: bad inputs give one line on stderr, a non-zero exit status, and
// no output file.
func TestConvertErrors(t *testing.T) {
	good := synthHF(t)
	tmp := t.TempDir()
	mkdir := func(name string, files map[string][]byte) string {
		d := filepath.Join(tmp, name)
		os.MkdirAll(d, 0o755)
		for f, b := range files {
			os.WriteFile(filepath.Join(d, f), b, 0o644)
		}
		return d
	}
	read := func(f string) []byte {
		b, err := os.ReadFile(filepath.Join(good, f))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	st := read("model.safetensors")
	cfgJSON := read("config.json")
	llava := mkdir("llava", map[string][]byte{"config.json": []byte(`{"model_type": "llava"}`), "model.safetensors": st})
	gemmaText := mkdir("gemma", map[string][]byte{
		"config.json": bytes.Replace(cfgJSON, []byte(`"gemma2"`), []byte(`"llama"`), 1), "model.safetensors": st})
	truncated := mkdir("truncated", map[string][]byte{"config.json": cfgJSON, "model.safetensors": st[:len(st)/2]})
	noWeights := mkdir("noweights", map[string][]byte{"config.json": cfgJSON})
	noConfig := mkdir("noconfig", map[string][]byte{"model.safetensors": st})
	otherPreset, _ := model.Preset("pg1-tiny")
	js, _ := otherPreset.HFConfigJSON()
	mismatch := mkdir("mismatch", map[string][]byte{"config.json": js, "model.safetensors": st})
	junk := filepath.Join(tmp, "junk.npz")
	os.WriteFile(junk, []byte("not a zip"), 0o644)

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"missing --in directory", []string{"--in", filepath.Join(tmp, "nope")}, "no such directory"},
		{"--in is a file", []string{"--in", filepath.Join(good, "config.json")}, "is a file"},
		{"no config.json", []string{"--in", noConfig}, "no config.json"},
		{"config of another model_type", []string{"--in", llava}, `model_type is "llava"`},
		{"config of another text model", []string{"--in", gemmaText}, "llama"},
		{"truncated safetensors", []string{"--in", truncated}, "model.safetensors"},
		{"no safetensors", []string{"--in", noWeights}, "safetensors"},
		{"weights of another config", []string{"--in", mismatch}, "shape"},
		{"unknown --weights", []string{"--in", good, "--weights", "int3"}, `"int3"`},
		{"unknown --vision-weights", []string{"--in", good, "--vision-weights", "fp8"}, "--vision-weights"},
		{"--vqvae not an npz", []string{"--in", good, "--vqvae", junk}, "junk.npz"},
		{"missing --vqvae", []string{"--in", good, "--vqvae", filepath.Join(tmp, "none.npz")}, "--vqvae"},
		{"stray argument", []string{"--in", good, "extra"}, "extra"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "m.pge")
			args := append([]string{"convert"}, c.args...)
			// --out goes before any positional argument, where urfave/cli reads flags.
			args = append(args[:1], append([]string{"--out", out}, args[1:]...)...)
			stdout, stderr, code := pgExec(t, args...)
			if code == 0 {
				t.Fatalf("exit status 0\nstdout %s", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "pgedge: ") || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q, want one line saying %q", stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q", stdout)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*")); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
	// synth and inspect errors are one line too.
	for _, args := range [][]string{
		{"synth", "--preset", "pg3-huge", "--out", filepath.Join(tmp, "x.pge")},
		{"synth", "--preset", "pg2-tiny", "--weights", "int2", "--out", filepath.Join(tmp, "x.pge")},
		{"inspect", filepath.Join(tmp, "none.pge")},
		{"inspect", filepath.Join(good, "config.json")},
		{"inspect"},
		{"verify", filepath.Join(good, "model.safetensors")},
	} {
		_, stderr, code := pgExec(t, args...)
		if code == 0 || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "pgedge: ") {
			t.Errorf("pgedge %s: exit %d, stderr %q; want one error line", strings.Join(args, " "), code, stderr)
		}
	}
}

// TestSynthInterrupted: a full-size synth (minutes of work) stopped a second after it
// started writing leaves no .pge: after SIGINT, nothing at all; after SIGKILL, which
// cannot be caught, only the temporary file, which does not open as a model.
func TestSynthInterrupted(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT for child processes on Windows")
	}
	if testing.Short() {
		t.Skip("starts a full-size synth")
	}
	for _, sig := range []os.Signal{os.Interrupt, os.Kill} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "X.pge")
			cmd := pgCommand("synth", "--preset", "pg2-3b-224", "--weights", "int8", "--out", out)
			var errb bytes.Buffer
			cmd.Stderr = &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			// Wait for the temporary file, then give it a second of writing.
			deadline := time.Now().Add(60 * time.Second)
			for {
				if tmp, _ := filepath.Glob(out + ".tmp-*"); len(tmp) > 0 {
					break
				}
				select {
				case err := <-exited:
					t.Fatalf("synth exited before writing: %v\n%s", err, errb.String())
				case <-time.After(20 * time.Millisecond):
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					t.Fatal("no temporary file after 60 s")
				}
			}
			time.Sleep(time.Second)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			var err error
			select {
			case err = <-exited:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				t.Fatal("synth did not stop within 30 s of the signal")
			}
			if err == nil {
				t.Fatal("synth finished successfully within a second")
			}
			if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s exists after %v: %v", out, sig, err)
			}
			left, _ := filepath.Glob(filepath.Join(dir, "*"))
			if sig == os.Interrupt {
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 130 {
					t.Errorf("exit %v, want status 130", err)
				}
				if len(left) > 0 {
					t.Errorf("left behind after SIGINT: %v", left)
				}
				if s := errb.String(); strings.Count(s, "\n") != 1 || !strings.Contains(s, "was not written") {
					t.Errorf("stderr %q, want one line saying the file was not written", s)
				}
				return
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("synth: %v", err)
			}
			if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Errorf("exit %v, want killed by a signal", err)
			}
			for _, f := range left {
				if !strings.HasPrefix(filepath.Base(f), "X.pge.tmp-") {
					t.Errorf("unexpected file %s", f)
				}
				if p, err := model.OpenPGE(f); err == nil {
					p.Close()
					t.Errorf("the partial file %s opens as a model", f)
				}
			}
		})
	}
}

// TestSynthSameModelAcrossWeights: the same seed and preset at f32 and at int8 are the
// same model: the int8 file's tensors dequantize to the f32 file's within Q8's
// rounding error, unquantized tensors are bit-identical, and the report's max errors
// are exactly the ones measured here.
func TestSynthSameModelAcrossWeights(t *testing.T) {
	tmp := t.TempDir()
	f32, q8 := filepath.Join(tmp, "f32.pge"), filepath.Join(tmp, "int8.pge")
	mustApp(t, "synth", "--preset", "pg1-tiny", "--seed", "5", "--weights", "f32", "--out", f32)
	stdout, _ := mustApp(t, "synth", "--preset", "pg1-tiny", "--seed", "5", "--weights", "int8", "--out", q8, "--json")
	var rep struct {
		Tensors []struct {
			Name        string  `json:"name"`
			MaxAbsError float64 `json:"max_abs_error"`
		} `json:"tensors"`
	}
	decodeOne(t, stdout, &rep)
	reported := map[string]float64{}
	for _, tr := range rep.Tensors {
		reported[tr.Name] = tr.MaxAbsError
	}
	a, err := model.OpenPGE(f32)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := model.OpenPGE(q8)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	quantized := 0
	for _, spec := range a.Meta.Config.TensorSpecs() {
		ta, ok := a.Tensor(spec.Name)
		if !ok {
			continue
		}
		tb, ok := b.Tensor(spec.Name)
		if !ok || !slices.Equal(ta.Shape, tb.Shape) {
			t.Fatalf("%s: missing or reshaped in the int8 file", spec.Name)
		}
		if tb.DType != quant.Q8 {
			if tb.DType != quant.F32 || !bytes.Equal(ta.Data, tb.Data) {
				t.Errorf("%s: %s in the int8 file and not the f32 file's bytes", spec.Name, tb.DType)
			}
			continue
		}
		quantized++
		w, err := ta.Float32s(nil)
		if err != nil {
			t.Fatal(err)
		}
		rows := ta.Shape[0]
		cols := len(w) / rows
		stored := quant.StoredCols(quant.Q8, cols)
		rb := quant.RowBytes(quant.Q8, stored)
		row := make([]float32, stored)
		var sqErr, sqRef, maxErr float64
		for r := 0; r < rows; r++ {
			quant.DequantizeRow(quant.Q8, tb.Data[r*rb:(r+1)*rb], row)
			ref := w[r*cols : (r+1)*cols]
			for b0 := 0; b0 < cols; b0 += 32 {
				var amax float64
				for _, v := range ref[b0:min(b0+32, cols)] {
					amax = max(amax, math.Abs(float64(v)))
				}
				// Q8's step is about amax/128 (its scale search tries amax/128, amax/127
				// and a few fp16 ulps around them); rounding costs half a step, and the
				// search may clip a weight on the side that has only 127 codes. One
				// step, plus slack for subnormal fp16 scales, bounds both.
				bound := amax/127 + 4e-6
				for c := b0; c < min(b0+32, cols); c++ {
					d := math.Abs(float64(row[c]) - float64(ref[c]))
					if d > bound {
						t.Fatalf("%s[%d,%d]: int8 %v vs f32 %v: error %v above %v (block max %v)", spec.Name, r, c, row[c], ref[c], d, bound, amax)
					}
					sqErr += d * d
					sqRef += float64(ref[c]) * float64(ref[c])
					maxErr = max(maxErr, d)
				}
			}
			for c := cols; c < stored; c++ {
				if row[c] != 0 {
					t.Fatalf("%s row %d: padding column %d decodes to %v", spec.Name, r, c, row[c])
				}
			}
		}
		if rel := math.Sqrt(sqErr / sqRef); rel > 0.01 {
			t.Errorf("%s: relative RMS error %v", spec.Name, rel)
		}
		if got := reported[spec.Name]; got != maxErr {
			t.Errorf("%s: report says max error %v, measured %v", spec.Name, got, maxErr)
		}
	}
	if quantized == 0 {
		t.Fatal("nothing was quantized")
	}
}

// TestConvertHelp: the help of the model-file commands says what they need.
func TestConvertHelp(t *testing.T) {
	for cmd, wants := range map[string][]string{
		"convert": {"--in", "--out", "--weights", "int4", "--tokenizer", "--vqvae", "--json", "interrupted", "F32"},
		"synth":   {"--preset", "pg2-3b-224", "pg2-tiny", "--hf", "--seed", "same weights"},
		"inspect": {"FILE", "--json", "verify"},
		"verify":  {"FILE", "checksum"},
	} {
		stdout, _ := mustApp(t, cmd, "--help")
		for _, w := range wants {
			if !strings.Contains(stdout, w) {
				t.Errorf("pgedge %s --help does not mention %q:\n%s", cmd, w, stdout)
			}
		}
	}
}
