// Package testmodel writes small PaliGemma checkpoints for tests: the pg2-tiny preset
// with random weights, and a scripted variant whose greedy output is a fixed token
// sequence whatever the image, so that tests of everything downstream of the decoder
// (parsing, drawing, the server, the web page) can count on real boxes and masks.
package testmodel

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/tokenizer"
)

// ConfigJSON writes cfg as a Hugging Face PaliGemma config.json.
func ConfigJSON(cfg *model.Config) ([]byte, error) {
	act := func(a model.Activation) string {
		if a == model.GeluErf {
			return "gelu"
		}
		return "gelu_pytorch_tanh"
	}
	t, v := cfg.Text, cfg.Vision
	text := map[string]any{
		"model_type": "gemma", "vocab_size": t.VocabSize, "hidden_size": t.Hidden,
		"intermediate_size": t.Intermediate, "num_hidden_layers": t.Layers,
		"num_attention_heads": t.Heads, "num_key_value_heads": t.KVHeads, "head_dim": t.HeadDim,
		"rms_norm_eps": t.RMSNormEps, "rope_theta": t.RopeTheta, "hidden_activation": act(t.Activation),
		"max_position_embeddings": t.MaxPositions,
	}
	if cfg.Family == model.PaliGemma2 {
		text["model_type"] = "gemma2"
		text["query_pre_attn_scalar"] = t.QueryPreAttnScalar
		text["sliding_window"] = t.SlidingWindow
		text["attn_logit_softcapping"] = t.AttnSoftcap
		text["final_logit_softcapping"] = t.FinalSoftcap
	}
	return json.MarshalIndent(map[string]any{
		"model_type":        "paligemma",
		"image_token_index": cfg.ImageTokenIndex,
		"bos_token_id":      cfg.BOS, "eos_token_id": cfg.EOS, "pad_token_id": cfg.Pad,
		"text_config": text,
		"vision_config": map[string]any{
			"model_type": "siglip_vision_model", "hidden_size": v.Hidden,
			"intermediate_size": v.Intermediate, "num_hidden_layers": v.Layers,
			"num_attention_heads": v.Heads, "num_channels": v.Channels, "image_size": v.ImageSize,
			"patch_size": v.PatchSize, "layer_norm_eps": v.LayerNormEps, "hidden_act": act(v.Activation),
		},
	}, "", "  ")
}

// Scripted is Write's model turned into a bigram model that, after the prompt's
// final "\n", generates script (token ids, all distinct and different from "\n") and
// then <eos>, whatever the image: attention and MLP outputs are zeroed, so the last
// hidden state is the current token's embedding; the chain's embeddings are basis
// vectors and an untied lm_head maps each to its successor.
func Scripted(t testing.TB, script []int) string {
	t.Helper()
	return scripted(t, script, false)
}

// Looping is Scripted without the end: after the script's last token it starts the
// script again, until the request's token limit (for tests of cancellation).
func Looping(t testing.TB, script []int) string {
	t.Helper()
	return scripted(t, script, true)
}

func scripted(t testing.TB, script []int, loop bool) string {
	return Write(t, func(cfg *model.Config, w map[string][]float32) {
		d := cfg.Text.Hidden
		last := cfg.EOS
		if loop {
			last = script[0]
		}
		chain := append(append([]int{Newline}, script...), last)
		if len(chain)-1 > d {
			t.Fatalf("script of %d tokens does not fit %d dimensions", len(script), d)
		}
		emb := w[model.NameEmbedding]
		head := make([]float32, cfg.Text.VocabSize*d)
		for k, id := range chain[:len(chain)-1] {
			row := emb[id*d : (id+1)*d]
			clear(row)
			row[k] = 1
			head[chain[k+1]*d+k] = 3 // logit 3·8 = 24 for the successor, 0 for the rest
		}
		w[model.NameLMHead] = head
		for l := 0; l < cfg.Text.Layers; l++ {
			clear(w[model.TextLayerName(l, "self_attn.o_proj.weight")])
			clear(w[model.TextLayerName(l, "mlp.down_proj.weight")])
		}
		clear(w[model.NameFinalNorm]) // Gemma scales by 1 + weight
	})
}

// SegmentScript is the answer of the scripted demo model (testdata/demo/
// pg2-tiny-scripted-int8.pge) and of the page's tests: a box for "cat", and a box with a
// mask (16 distinct codes) for "dog". ";" sits right after "cat" because a bigram
// script needs distinct tokens (" ; " would repeat the space piece); PaliGemma's
// parser trims around it.
const SegmentScript = "<loc0100><loc0080><loc0700><loc0500> cat;<loc0300><loc0450><loc0950><loc0980>" +
	"<seg000><seg017><seg034><seg051><seg068><seg085><seg102><seg119>" +
	"<seg007><seg024><seg041><seg058><seg075><seg092><seg109><seg126> dog"

// Newline is "\n" in the synthesized vocabulary, the prompt's last token.
const Newline = 108

// Write writes the pg2-tiny preset as a Hugging Face directory (config.json, F32
// model.safetensors, a synthesized tokenizer.model) into a temporary directory of t,
// and returns it: the model with random weights, which mutate may change
// (and extend with the optional lm_head) before they are written.
func Write(t testing.TB, mutate func(cfg *model.Config, w map[string][]float32)) string {
	t.Helper()
	cfg, err := model.Preset("pg2-tiny")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	js, err := ConfigJSON(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if back, err := model.ParseHFConfig(js); err != nil || !reflect.DeepEqual(back, cfg) {
		t.Fatalf("config.json does not round-trip to the preset: %v\n got %+v\nwant %+v", err, back, cfg)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), js, 0o644); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	weights := map[string][]float32{}
	shapes := map[string][]int{}
	for _, spec := range cfg.TensorSpecs() {
		shapes[spec.Name] = spec.Shape
		if spec.Optional {
			continue
		}
		n := 1
		for _, d := range spec.Shape {
			n *= d
		}
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(rng.NormFloat64() * 0.1)
		}
		weights[spec.Name] = v
	}
	if mutate != nil {
		mutate(cfg, weights)
	}
	var tensors []model.Tensor
	for name, v := range weights {
		data := make([]byte, 4*len(v))
		for i, x := range v {
			binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(x))
		}
		tensors = append(tensors, model.Tensor{Name: name, DType: quant.F32, Shape: shapes[name], Data: data})
	}
	if err := model.WriteSafetensors(filepath.Join(dir, "model.safetensors"), tensors); err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: cfg.Text.VocabSize, ImageToken: cfg.ImageTokenIndex})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.model"), tok, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Tokenizer is the tokenizer the test models ship.
func Tokenizer(t testing.TB) *tokenizer.Tokenizer {
	t.Helper()
	b, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: 2049, ImageToken: 2048})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.FromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
