package model

import (
	"fmt"
	"sort"
	"strings"
)

// The released checkpoints (Hugging Face google/paligemma-3b-*, google/paligemma2-{3b,10b,28b}-*):
// pt and mix checkpoints share a shape,
// so a preset is named by family, size and resolution: "pg2-3b-224". The Hugging Face
// repository names (paligemma2-3b-mix-448, ...) are accepted as aliases.

func so400m(imageSize int) VisionConfig {
	return VisionConfig{Hidden: 1152, Intermediate: 4304, Layers: 27, Heads: 16, Channels: 3,
		ImageSize: imageSize, PatchSize: 14, LayerNormEps: 1e-6, Activation: GeluTanh}
}

func gemma1_2b() TextConfig {
	return TextConfig{VocabSize: 257216, Hidden: 2048, Intermediate: 16384, Layers: 18, Heads: 8, KVHeads: 1,
		HeadDim: 256, RMSNormEps: 1e-6, RopeTheta: 10000, Activation: GeluTanh, MaxPositions: 8192}
}

func gemma2(hidden, inter, layers, heads, kv, headDim int, qpas float64) TextConfig {
	return TextConfig{VocabSize: 257216, Hidden: hidden, Intermediate: inter, Layers: layers, Heads: heads,
		KVHeads: kv, HeadDim: headDim, RMSNormEps: 1e-6, RopeTheta: 10000, Activation: GeluTanh,
		QueryPreAttnScalar: qpas, SlidingWindow: 4096, AttnSoftcap: 50, FinalSoftcap: 30, MaxPositions: 8192}
}

func released(f Family, text TextConfig, imageSize int) Config {
	return Config{Family: f, ImageTokenIndex: 257152, BOS: 2, EOS: 1, Pad: 0, Text: text, Vision: so400m(imageSize)}
}

// tiny presets keep every architectural feature (GQA/MQA, soft-caps, a sliding window
// shorter than the prompt, several layers) at a few MB, for tests and demos. Their
// vocabulary is large enough for the real special ids (108 = "\n") and small
// <loc>/<seg> ranges are not representable, so they use generated tokenizers.
func tinyVision() VisionConfig {
	return VisionConfig{Hidden: 64, Intermediate: 128, Layers: 2, Heads: 4, Channels: 3,
		ImageSize: 56, PatchSize: 14, LayerNormEps: 1e-6, Activation: GeluTanh}
}

var presets = map[string]Config{
	"pg1-3b-224":  released(PaliGemma1, gemma1_2b(), 224),
	"pg1-3b-448":  released(PaliGemma1, gemma1_2b(), 448),
	"pg1-3b-896":  released(PaliGemma1, gemma1_2b(), 896),
	"pg2-3b-224":  released(PaliGemma2, gemma2(2304, 9216, 26, 8, 4, 256, 256), 224),
	"pg2-3b-448":  released(PaliGemma2, gemma2(2304, 9216, 26, 8, 4, 256, 256), 448),
	"pg2-3b-896":  released(PaliGemma2, gemma2(2304, 9216, 26, 8, 4, 256, 256), 896),
	"pg2-10b-224": released(PaliGemma2, gemma2(3584, 14336, 42, 16, 8, 256, 256), 224),
	"pg2-10b-448": released(PaliGemma2, gemma2(3584, 14336, 42, 16, 8, 256, 256), 448),
	"pg2-10b-896": released(PaliGemma2, gemma2(3584, 14336, 42, 16, 8, 256, 256), 896),
	// 27B: head_dim 128 and query_pre_attn_scalar = hidden/heads = 144.
	"pg2-28b-224": released(PaliGemma2, gemma2(4608, 36864, 46, 32, 16, 128, 144), 224),
	"pg2-28b-448": released(PaliGemma2, gemma2(4608, 36864, 46, 32, 16, 128, 144), 448),
	"pg2-28b-896": released(PaliGemma2, gemma2(4608, 36864, 46, 32, 16, 128, 144), 896),
	"pg1-tiny": {Family: PaliGemma1, ImageTokenIndex: 2048, BOS: 2, EOS: 1, Pad: 0,
		Text: TextConfig{VocabSize: 2049, Hidden: 64, Intermediate: 128, Layers: 2, Heads: 4, KVHeads: 1,
			HeadDim: 16, RMSNormEps: 1e-6, RopeTheta: 10000, Activation: GeluTanh, MaxPositions: 8192},
		Vision: tinyVision()},
	"pg2-tiny": {Family: PaliGemma2, ImageTokenIndex: 2048, BOS: 2, EOS: 1, Pad: 0,
		Text: TextConfig{VocabSize: 2049, Hidden: 64, Intermediate: 128, Layers: 4, Heads: 4, KVHeads: 2,
			HeadDim: 16, RMSNormEps: 1e-6, RopeTheta: 10000, Activation: GeluTanh, QueryPreAttnScalar: 24,
			SlidingWindow: 6, AttnSoftcap: 50, FinalSoftcap: 30, MaxPositions: 8192},
		Vision: tinyVision()},
}

// PresetNames lists the presets, sorted.
func PresetNames() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Preset returns the configuration of a released checkpoint or a tiny test model.
// It accepts "pg2-3b-224" and Hugging Face names such as "paligemma2-3b-mix-448" or
// "google/paligemma-3b-pt-896".
func Preset(name string) (*Config, error) {
	key := strings.ToLower(strings.TrimPrefix(name, "google/"))
	for _, kind := range []string{"-pt-", "-mix-", "-ft-"} {
		key = strings.Replace(key, kind, "-", 1)
	}
	key = strings.Replace(key, "paligemma2-", "pg2-", 1)
	key = strings.Replace(key, "paligemma-", "pg1-", 1)
	c, ok := presets[key]
	if !ok {
		return nil, fmt.Errorf("unknown preset %q (known: %s)", name, strings.Join(PresetNames(), ", "))
	}
	return &c, nil
}
