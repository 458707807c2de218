// Package model describes a PaliGemma checkpoint: its configuration (read from a
// Hugging Face config.json or taken from a preset of a released checkpoint), and its
// tensors (read zero-copy from safetensors files), with every tensor's presence, dtype
// and shape checked against the configuration before anything runs.
package model

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// Family tells the decoder generation apart.
type Family int

const (
	// PaliGemma1 uses a Gemma 1 decoder: MQA, one norm before attention and one
	// before the MLP, no soft-caps.
	PaliGemma1 Family = 1
	// PaliGemma2 uses a Gemma 2 decoder: GQA, pre+post norms, query_pre_attn_scalar,
	// attention and final soft-caps, sliding window on even layers.
	PaliGemma2 Family = 2
)

func (f Family) String() string {
	switch f {
	case PaliGemma1:
		return "paligemma1"
	case PaliGemma2:
		return "paligemma2"
	}
	return fmt.Sprintf("family(%d)", int(f))
}

// Activation names the MLP non-linearity.
type Activation string

const (
	GeluTanh Activation = "gelu_tanh" // 0.5x(1+tanh(√(2/π)(x+0.044715x³)))
	GeluErf  Activation = "gelu"      // 0.5x(1+erf(x/√2))
)

// TextConfig is the Gemma decoder's configuration.
type TextConfig struct {
	VocabSize          int        `json:"vocab_size"` // embedding rows (257216 in released HF checkpoints)
	Hidden             int        `json:"hidden_size"`
	Intermediate       int        `json:"intermediate_size"`
	Layers             int        `json:"num_hidden_layers"`
	Heads              int        `json:"num_attention_heads"`
	KVHeads            int        `json:"num_key_value_heads"`
	HeadDim            int        `json:"head_dim"`
	RMSNormEps         float64    `json:"rms_norm_eps"`
	RopeTheta          float64    `json:"rope_theta"`
	Activation         Activation `json:"activation"`
	QueryPreAttnScalar float64    `json:"query_pre_attn_scalar"` // Gemma 2: scores scale = this^-0.5
	SlidingWindow      int        `json:"sliding_window"`        // Gemma 2, even layers; 0 = none
	AttnSoftcap        float64    `json:"attn_logit_softcapping"`
	FinalSoftcap       float64    `json:"final_logit_softcapping"`
	MaxPositions       int        `json:"max_position_embeddings"`
}

// VisionConfig is the SigLIP encoder's configuration.
type VisionConfig struct {
	Hidden       int        `json:"hidden_size"`
	Intermediate int        `json:"intermediate_size"`
	Layers       int        `json:"num_hidden_layers"`
	Heads        int        `json:"num_attention_heads"`
	Channels     int        `json:"num_channels"`
	ImageSize    int        `json:"image_size"`
	PatchSize    int        `json:"patch_size"`
	LayerNormEps float64    `json:"layer_norm_eps"`
	Activation   Activation `json:"activation"`
}

// Config is a whole PaliGemma model. It is what the runtime needs, with every HF
// default already applied; it is also the form stored in .pge files.
type Config struct {
	Family          Family       `json:"family"`
	ImageTokenIndex int          `json:"image_token_index"`
	BOS             int          `json:"bos_token_id"`
	EOS             int          `json:"eos_token_id"`
	Pad             int          `json:"pad_token_id"`
	Text            TextConfig   `json:"text"`
	Vision          VisionConfig `json:"vision"`
}

// NumImageTokens is (image_size / patch_size)²: 256, 1024 or 4096 for 224, 448, 896 px.
func (c *Config) NumImageTokens() int {
	n := c.Vision.ImageSize / c.Vision.PatchSize
	return n * n
}

// TrainedVocab is the number of token ids the model was trained on: 257152 for the
// released checkpoints, whose 257216-row HF embedding has 64 untrained padding rows
// (the tokenizer has 257152 pieces: 256000 text, 1024 <loc>, 128 <seg>). Sampling
// never picks an id at or past it.
func (c *Config) TrainedVocab() int {
	if c.Text.VocabSize == 257216 {
		return 257152
	}
	return c.Text.VocabSize
}

// QueryScale is the factor applied to q·k before the soft-cap.
func (c *Config) QueryScale() float32 {
	if c.Family == PaliGemma2 && c.Text.QueryPreAttnScalar > 0 {
		return float32(math.Pow(c.Text.QueryPreAttnScalar, -0.5))
	}
	return float32(math.Pow(float64(c.Text.HeadDim), -0.5))
}

// IsSliding reports whether decoder layer l uses the sliding window: Gemma 2 puts it
// on even layers (0, 2, ...), as Hugging Face's Gemma2DecoderLayer does.
func (c *Config) IsSliding(l int) bool {
	return c.Family == PaliGemma2 && c.Text.SlidingWindow > 0 && l%2 == 0
}

// Validate checks that the configuration describes a model the runtime can run.
func (c *Config) Validate() error {
	t, v := &c.Text, &c.Vision
	pos := func(name string, x int) error {
		if x <= 0 {
			return fmt.Errorf("config: %s must be positive, got %d", name, x)
		}
		return nil
	}
	for _, p := range []struct {
		n string
		x int
	}{
		{"text_config.vocab_size", t.VocabSize}, {"text_config.hidden_size", t.Hidden},
		{"text_config.intermediate_size", t.Intermediate}, {"text_config.num_hidden_layers", t.Layers},
		{"text_config.num_attention_heads", t.Heads}, {"text_config.num_key_value_heads", t.KVHeads},
		{"text_config.head_dim", t.HeadDim}, {"vision_config.hidden_size", v.Hidden},
		{"vision_config.intermediate_size", v.Intermediate}, {"vision_config.num_hidden_layers", v.Layers},
		{"vision_config.num_attention_heads", v.Heads}, {"vision_config.num_channels", v.Channels},
		{"vision_config.image_size", v.ImageSize}, {"vision_config.patch_size", v.PatchSize},
	} {
		if err := pos(p.n, p.x); err != nil {
			return err
		}
	}
	if c.Family != PaliGemma1 && c.Family != PaliGemma2 {
		return fmt.Errorf("config: unknown family %d", c.Family)
	}
	if t.Heads%t.KVHeads != 0 {
		return fmt.Errorf("config: num_attention_heads %d is not a multiple of num_key_value_heads %d", t.Heads, t.KVHeads)
	}
	if t.HeadDim%2 != 0 {
		return fmt.Errorf("config: head_dim %d must be even for rotary embeddings", t.HeadDim)
	}
	if v.Hidden%v.Heads != 0 {
		return fmt.Errorf("config: vision hidden_size %d is not a multiple of its %d heads", v.Hidden, v.Heads)
	}
	if v.ImageSize%v.PatchSize != 0 {
		return fmt.Errorf("config: image_size %d is not a multiple of patch_size %d", v.ImageSize, v.PatchSize)
	}
	if c.ImageTokenIndex < 0 || c.ImageTokenIndex >= t.VocabSize {
		return fmt.Errorf("config: image_token_index %d is outside the vocabulary of %d", c.ImageTokenIndex, t.VocabSize)
	}
	for _, id := range []struct {
		n string
		x int
	}{{"bos_token_id", c.BOS}, {"eos_token_id", c.EOS}, {"pad_token_id", c.Pad}} {
		if id.x < 0 || id.x >= t.VocabSize {
			return fmt.Errorf("config: %s %d outside the vocabulary of %d", id.n, id.x, t.VocabSize)
		}
	}
	if t.Activation != GeluTanh && t.Activation != GeluErf {
		return fmt.Errorf("config: unsupported text activation %q", t.Activation)
	}
	if v.Activation != GeluTanh && v.Activation != GeluErf {
		return fmt.Errorf("config: unsupported vision activation %q", v.Activation)
	}
	if t.RMSNormEps <= 0 || v.LayerNormEps <= 0 || t.RopeTheta <= 0 {
		return fmt.Errorf("config: rms_norm_eps, layer_norm_eps and rope_theta must be positive")
	}
	if t.SlidingWindow < 0 || t.AttnSoftcap < 0 || t.FinalSoftcap < 0 {
		return fmt.Errorf("config: sliding_window and soft-caps must not be negative")
	}
	return nil
}

// hfConfig mirrors the keys of a Hugging Face PaliGemma config.json. Pointers tell a
// missing key (take HF's class default) from a present zero.
type hfConfig struct {
	ModelType       string          `json:"model_type"`
	ImageTokenIndex *int            `json:"image_token_index"`
	BOS             *int            `json:"bos_token_id"`
	EOS             json.RawMessage `json:"eos_token_id"` // an int or a list in generation configs
	Pad             *int            `json:"pad_token_id"`
	VocabSize       *int            `json:"vocab_size"`
	ProjectionDim   *int            `json:"projection_dim"`
	TextConfig      *hfText         `json:"text_config"`
	VisionConfig    *hfVision       `json:"vision_config"`
}

type hfText struct {
	ModelType          string   `json:"model_type"`
	VocabSize          *int     `json:"vocab_size"`
	Hidden             *int     `json:"hidden_size"`
	Intermediate       *int     `json:"intermediate_size"`
	Layers             *int     `json:"num_hidden_layers"`
	Heads              *int     `json:"num_attention_heads"`
	KVHeads            *int     `json:"num_key_value_heads"`
	HeadDim            *int     `json:"head_dim"`
	RMSNormEps         *float64 `json:"rms_norm_eps"`
	RopeTheta          *float64 `json:"rope_theta"`
	HiddenAct          *string  `json:"hidden_act"`
	HiddenActivation   *string  `json:"hidden_activation"`
	QueryPreAttnScalar *float64 `json:"query_pre_attn_scalar"`
	SlidingWindow      *int     `json:"sliding_window"`
	AttnSoftcap        *float64 `json:"attn_logit_softcapping"`
	FinalSoftcap       *float64 `json:"final_logit_softcapping"`
	MaxPositions       *int     `json:"max_position_embeddings"`
}

type hfVision struct {
	ModelType    string   `json:"model_type"`
	Hidden       *int     `json:"hidden_size"`
	Intermediate *int     `json:"intermediate_size"`
	Layers       *int     `json:"num_hidden_layers"`
	Heads        *int     `json:"num_attention_heads"`
	Channels     *int     `json:"num_channels"`
	ImageSize    *int     `json:"image_size"`
	PatchSize    *int     `json:"patch_size"`
	LayerNormEps *float64 `json:"layer_norm_eps"`
	HiddenAct    *string  `json:"hidden_act"`
}

func orInt(p *int, d int) int {
	if p != nil {
		return *p
	}
	return d
}

func orFloat(p *float64, d float64) float64 {
	if p != nil {
		return *p
	}
	return d
}

func activation(names ...*string) (Activation, error) {
	for _, n := range names {
		if n == nil || *n == "" {
			continue
		}
		switch *n {
		case "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "gelu_tanh":
			return GeluTanh, nil
		case "gelu":
			return GeluErf, nil
		default:
			return "", fmt.Errorf("unsupported activation %q", *n)
		}
	}
	return GeluTanh, nil // HF Gemma falls back to gelu_pytorch_tanh
}

// ParseHFConfig reads a Hugging Face PaliGemma config.json, supplying the class
// defaults of transformers' PaliGemmaConfig, GemmaConfig, Gemma2Config and
// SiglipVisionConfig for every key save_pretrained left out.
func ParseHFConfig(data []byte) (*Config, error) {
	var h hfConfig
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, fmt.Errorf("malformed JSON: %v", err)
	}
	if h.ModelType != "paligemma" {
		return nil, fmt.Errorf("model_type is %q, want \"paligemma\"", h.ModelType)
	}
	c := &Config{
		ImageTokenIndex: orInt(h.ImageTokenIndex, 256000),
		BOS:             orInt(h.BOS, 2),
		Pad:             orInt(h.Pad, 0),
		EOS:             1,
	}
	if len(h.EOS) > 0 && string(h.EOS) != "null" {
		var one int
		var many []int
		if json.Unmarshal(h.EOS, &one) == nil {
			c.EOS = one
		} else if json.Unmarshal(h.EOS, &many) == nil && len(many) > 0 {
			c.EOS = many[0]
		} else {
			return nil, fmt.Errorf("eos_token_id %s is neither an integer nor a list", h.EOS)
		}
	}

	// Text: PaliGemmaConfig builds a GemmaConfig with the 2B shape when text_config is
	// absent; otherwise the sub-config's own class defaults apply.
	tc := h.TextConfig
	if tc == nil {
		two, one, eight, k, f := 2048, 1, 8, 18, 16384
		tc = &hfText{ModelType: "gemma", Hidden: &two, KVHeads: &one, Heads: &eight, Layers: &k, Intermediate: &f, VocabSize: h.VocabSize}
	}
	if tc.ModelType == "" {
		tc.ModelType = "gemma"
	}
	t := &c.Text
	switch tc.ModelType {
	case "gemma":
		c.Family = PaliGemma1
		t.VocabSize = orInt(tc.VocabSize, 256000)
		t.Hidden = orInt(tc.Hidden, 3072)
		t.Intermediate = orInt(tc.Intermediate, 24576)
		t.Layers = orInt(tc.Layers, 28)
		t.Heads = orInt(tc.Heads, 16)
		t.KVHeads = orInt(tc.KVHeads, 16)
		t.HeadDim = orInt(tc.HeadDim, 256)
		t.MaxPositions = orInt(tc.MaxPositions, 8192)
	case "gemma2":
		c.Family = PaliGemma2
		t.VocabSize = orInt(tc.VocabSize, 256000)
		t.Hidden = orInt(tc.Hidden, 2304)
		t.Intermediate = orInt(tc.Intermediate, 9216)
		t.Layers = orInt(tc.Layers, 26)
		t.Heads = orInt(tc.Heads, 8)
		t.KVHeads = orInt(tc.KVHeads, 4)
		t.HeadDim = orInt(tc.HeadDim, 256)
		t.MaxPositions = orInt(tc.MaxPositions, 8192)
		t.QueryPreAttnScalar = orFloat(tc.QueryPreAttnScalar, 256)
		t.SlidingWindow = orInt(tc.SlidingWindow, 4096)
		t.AttnSoftcap = orFloat(tc.AttnSoftcap, 50)
		t.FinalSoftcap = orFloat(tc.FinalSoftcap, 30)
	default:
		return nil, fmt.Errorf("text_config.model_type is %q, want \"gemma\" or \"gemma2\"", tc.ModelType)
	}
	t.RMSNormEps = orFloat(tc.RMSNormEps, 1e-6)
	t.RopeTheta = orFloat(tc.RopeTheta, 10000)
	var err error
	// Gemma prefers hidden_activation over hidden_act when both are set.
	if t.Activation, err = activation(tc.HiddenActivation, tc.HiddenAct); err != nil {
		return nil, fmt.Errorf("text_config: %v", err)
	}

	vc := h.VisionConfig
	if vc == nil {
		d, f, p, s, l, hd := 1152, 4096, 14, 224, 27, 16
		vc = &hfVision{ModelType: "siglip_vision_model", Hidden: &d, Intermediate: &f, PatchSize: &p, ImageSize: &s, Layers: &l, Heads: &hd}
	}
	if vc.ModelType != "" && vc.ModelType != "siglip_vision_model" {
		return nil, fmt.Errorf("vision_config.model_type is %q, want \"siglip_vision_model\"", vc.ModelType)
	}
	v := &c.Vision
	v.Hidden = orInt(vc.Hidden, 768)
	v.Intermediate = orInt(vc.Intermediate, 3072)
	v.Layers = orInt(vc.Layers, 12)
	v.Heads = orInt(vc.Heads, 12)
	v.Channels = orInt(vc.Channels, 3)
	v.ImageSize = orInt(vc.ImageSize, 224)
	v.PatchSize = orInt(vc.PatchSize, 16)
	v.LayerNormEps = orFloat(vc.LayerNormEps, 1e-6)
	if v.Activation, err = activation(vc.HiddenAct); err != nil {
		return nil, fmt.Errorf("vision_config: %v", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// LoadHFConfig reads and parses a config.json file.
func LoadHFConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseHFConfig(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// HFConfigJSON writes the configuration as a Hugging Face PaliGemma config.json, with
// every key present, so that ParseHFConfig reads back the same Config.
func (c *Config) HFConfigJSON() ([]byte, error) {
	t, v := c.Text, c.Vision
	text := map[string]any{
		"vocab_size": t.VocabSize, "hidden_size": t.Hidden, "intermediate_size": t.Intermediate,
		"num_hidden_layers": t.Layers, "num_attention_heads": t.Heads, "num_key_value_heads": t.KVHeads,
		"head_dim": t.HeadDim, "rms_norm_eps": t.RMSNormEps, "rope_theta": t.RopeTheta,
		"max_position_embeddings": t.MaxPositions, "num_image_tokens": c.NumImageTokens(),
	}
	act := func(a Activation) string {
		if a == GeluErf {
			return "gelu"
		}
		return "gelu_pytorch_tanh"
	}
	text["hidden_activation"] = act(t.Activation)
	if c.Family == PaliGemma2 {
		text["model_type"] = "gemma2"
		text["query_pre_attn_scalar"] = t.QueryPreAttnScalar
		text["sliding_window"] = t.SlidingWindow
		text["attn_logit_softcapping"] = t.AttnSoftcap
		text["final_logit_softcapping"] = t.FinalSoftcap
	} else {
		text["model_type"] = "gemma"
	}
	vision := map[string]any{
		"model_type": "siglip_vision_model", "hidden_size": v.Hidden, "intermediate_size": v.Intermediate,
		"num_hidden_layers": v.Layers, "num_attention_heads": v.Heads, "num_channels": v.Channels,
		"image_size": v.ImageSize, "patch_size": v.PatchSize, "layer_norm_eps": v.LayerNormEps,
		"hidden_act": act(v.Activation), "projection_dim": t.Hidden, "vision_use_head": false,
	}
	return json.MarshalIndent(map[string]any{
		"architectures": []string{"PaliGemmaForConditionalGeneration"}, "model_type": "paligemma",
		"bos_token_id": c.BOS, "eos_token_id": c.EOS, "pad_token_id": c.Pad,
		"image_token_index": c.ImageTokenIndex, "hidden_size": t.Hidden, "projection_dim": t.Hidden,
		"text_config": text, "vision_config": vision,
	}, "", "  ")
}
