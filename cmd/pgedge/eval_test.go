package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/tokenizer"
)

// requiredEvalKeys are the fields `pgedge eval --json` promises.
var requiredEvalKeys = []string{"kl_mean", "kl_max", "top1_agreement", "greedy_match_rate", "ppl_ref",
	"ppl_model", "box_iou_mean", "n_positions"}

func evalJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	stdout, stderr, err := pgCmd(t, "eval", append(args, "--json", "--threads", "1")...)
	if err != nil {
		t.Fatalf("eval %v: %v\n%s", args, err, stderr)
	}
	objs := decodeLines(t, stdout)
	if len(objs) != 1 {
		t.Fatalf("eval printed %d objects, want 1:\n%s", len(objs), stdout)
	}
	r := objs[0]
	for _, k := range requiredEvalKeys {
		if _, ok := r[k]; !ok {
			t.Errorf("eval --json lacks %q", k)
		}
	}
	for _, k := range []string{"kl_mean", "kl_max", "top1_agreement", "greedy_match_rate", "ppl_ref", "ppl_model", "n_positions", "n_sequences"} {
		if _, ok := r[k].(float64); !ok {
			t.Errorf("%s = %v, want a number", k, r[k])
		}
	}
	if v := r["box_iou_mean"]; v != nil {
		if _, ok := v.(float64); !ok {
			t.Errorf("box_iou_mean = %v, want null or a number", v)
		}
	}
	return r
}

// TestEvalSelf: a model against itself (opened twice, from a .pge and from a Hugging Face
// directory of the same weights) reports KL 0 and agreement 1 exactly.
func TestEvalSelf(t *testing.T) {
	dir := t.TempDir()
	f32 := tinyPGE(t, dir, "pg2-tiny", "f32")
	r := evalJSON(t, "--ref", f32, "--model", f32, "--max-tokens", "4")
	if r["kl_mean"] != 0.0 || r["kl_max"] != 0.0 || r["top1_agreement"] != 1.0 || r["greedy_match_rate"] != 1.0 {
		t.Errorf("self-comparison: %v", r)
	}
	if r["ppl_ref"] != r["ppl_model"] {
		t.Errorf("self-comparison perplexities differ: %v, %v", r["ppl_ref"], r["ppl_model"])
	}
	// 3 built-in images × 3 built-in prompts, each up to 4 reference tokens.
	if n := r["n_sequences"].(float64); n != 9 {
		t.Errorf("n_sequences = %v, want 9", n)
	}
	if n := r["n_positions"].(float64); n < 9 || n > 36 {
		t.Errorf("n_positions = %v, want 9..36", n)
	}
	if r["preset"] != "pg2-tiny" || r["weights"] != "f32" || r["ref_weights"] != "f32" {
		t.Errorf("identity fields: %v %v %v", r["preset"], r["weights"], r["ref_weights"])
	}

	// The same weights as a Hugging Face directory (F32 safetensors) against the .pge.
	cfg, _ := model.Preset("pg2-tiny")
	tok, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: cfg.Text.VocabSize, ImageToken: cfg.ImageTokenIndex})
	if err != nil {
		t.Fatal(err)
	}
	hf := filepath.Join(dir, "hf")
	os.Mkdir(hf, 0o755)
	syn := convert.NewSynthetic(cfg, 1)
	var tensors []model.Tensor
	for _, spec := range cfg.TensorSpecs() {
		if tt, ok := syn.Tensor(spec.Name); ok {
			tensors = append(tensors, tt)
		}
	}
	js, err := cfg.HFConfigJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := model.WriteSafetensors(filepath.Join(hf, "model.safetensors"), tensors); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(hf, "config.json"), js, 0o644)
	os.WriteFile(filepath.Join(hf, "tokenizer.model"), tok, 0o644)
	r = evalJSON(t, "--ref", hf, "--model", f32, "--max-tokens", "3")
	if r["kl_mean"] != 0.0 || r["top1_agreement"] != 1.0 {
		t.Errorf("HF directory against its .pge: %v", r)
	}
}

// TestEvalQuantized: int4 against f32 differs, by a little.
func TestEvalQuantized(t *testing.T) {
	dir := t.TempDir()
	ref := tinyPGE(t, dir, "pg1-tiny", "f32")
	q4 := tinyPGE(t, dir, "pg1-tiny", "int4")
	r := evalJSON(t, "--ref", ref, "--model", q4, "--max-tokens", "4")
	kl := r["kl_mean"].(float64)
	if !(kl > 0 && kl < 0.5) || r["kl_max"].(float64) < kl {
		t.Errorf("int4 vs f32: kl_mean %v kl_max %v", kl, r["kl_max"])
	}
	if a := r["top1_agreement"].(float64); a < 0.5 || a > 1 {
		t.Errorf("top1_agreement %v", a)
	}
	if r["weights"] != "int4" || r["ref_weights"] != "f32" || r["preset"] != "pg1-tiny" {
		t.Errorf("identity fields: %v", r)
	}

	// Text output names the figures.
	stdout, _, err := pgCmd(t, "eval", "--ref", ref, "--model", q4, "--max-tokens", "2", "--threads", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"KL mean", "top-1 agreement", "perplexity"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("text output lacks %q:\n%s", s, stdout)
		}
	}
}

// TestEvalSeveralModels: --model a,b runs the reference once and prints one report per
// model, each the same as that model's own eval.
func TestEvalSeveralModels(t *testing.T) {
	dir := t.TempDir()
	ref := tinyPGE(t, dir, "pg1-tiny", "f32")
	q8 := tinyPGE(t, dir, "pg1-tiny", "int8")
	q4 := tinyPGE(t, dir, "pg1-tiny", "int4")
	stdout, stderr, err := pgCmd(t, "eval", "--ref", ref, "--model", q8+","+q4, "--max-tokens", "3", "--json", "--threads", "1")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	objs := decodeLines(t, stdout)
	if len(objs) != 2 {
		t.Fatalf("eval of two models printed %d objects:\n%s", len(objs), stdout)
	}
	for i, path := range []string{q8, q4} {
		one := evalJSON(t, "--ref", ref, "--model", path, "--max-tokens", "3")
		for _, k := range []string{"model", "weights", "kl_mean", "kl_max", "top1_agreement", "greedy_match_rate", "ppl_model", "n_positions"} {
			if objs[i][k] != one[k] {
				t.Errorf("model %d: %s = %v together, %v alone", i, k, objs[i][k], one[k])
			}
		}
	}
}

// TestEvalInputs: --images and --prompts replace the built-in inputs.
func TestEvalInputs(t *testing.T) {
	dir := t.TempDir()
	ref := tinyPGE(t, dir, "pg2-tiny", "f32")
	imgs := filepath.Join(dir, "images")
	os.Mkdir(imgs, 0o755)
	writeRunTestPNG(t, filepath.Join(imgs, "a.png"), 40, 30)
	os.WriteFile(filepath.Join(imgs, "notes.txt"), []byte("not an image"), 0o644)
	prompts := filepath.Join(dir, "prompts.txt")
	os.WriteFile(prompts, []byte("# comment\ncaption en\n\ndetect cat ; dog\n"), 0o644)
	r := evalJSON(t, "--ref", ref, "--model", ref, "--images", imgs, "--prompts", prompts, "--max-tokens", "2")
	if r["n_sequences"] != 2.0 {
		t.Errorf("1 image × 2 prompts gave %v sequences", r["n_sequences"])
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--images", filepath.Join(dir, "none")}, "--images"},
		{[]string{"--images", dir}, "no .png"},
		{[]string{"--prompts", filepath.Join(dir, "none.txt")}, "--prompts"},
		{[]string{"--max-tokens", "0"}, "--max-tokens"},
	} {
		_, _, err := pgCmd(t, "eval", append([]string{"--ref", ref, "--model", ref}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("eval %v: %v, want an error mentioning %q", tc.args, err, tc.want)
		}
	}
	// Models of different shapes cannot be compared.
	other := tinyPGE(t, dir, "pg1-tiny", "f32")
	cfg1, _ := model.Preset("pg1-tiny")
	cfg2, _ := model.Preset("pg2-tiny")
	if err := sameShape(cfg1, cfg2); err != nil {
		// The tiny presets share vocabulary and resolution, so this pair is comparable.
		t.Errorf("sameShape(pg1-tiny, pg2-tiny): %v", err)
	}
	if _, _, err := pgCmd(t, "eval", "--ref", ref, "--model", other, "--max-tokens", "1"); err != nil {
		t.Errorf("pg1-tiny against pg2-tiny: %v", err)
	}
	big, _ := model.Preset("pg2-3b-224")
	if err := sameShape(big, cfg2); err == nil || !strings.Contains(err.Error(), "do not match") {
		t.Errorf("sameShape(pg2-3b-224, pg2-tiny) = %v", err)
	}
}
