package model

import (
	"fmt"
	"strings"

	"github.com/pgedge/pgedge/quant"
)

// Class groups tensors for precision policy and error reports.
type Class string

const (
	ClassEmbedding Class = "embedding" // token embedding, also the tied output projection
	ClassAttention Class = "attention" // decoder q/k/v/o
	ClassMLP       Class = "mlp"       // decoder gate/up/down
	ClassVision    Class = "vision"    // SigLIP matrices (patch embedding, attention, MLP)
	ClassProjector Class = "projector" // the one linear from vision to text width
	ClassNorm      Class = "norm"      // RMSNorm / LayerNorm weights
	ClassBias      Class = "bias"      // every bias vector
	ClassPosition  Class = "position"  // SigLIP's learned position table
)

// TensorSpec is one tensor a configuration requires.
type TensorSpec struct {
	Name     string // canonical (older Hugging Face) name
	Shape    []int
	Class    Class
	Optional bool // the untied lm_head: absent from PaliGemma checkpoints
}

const (
	visionPrefix = "vision_tower.vision_model."
	projPrefix   = "multi_modal_projector.linear."
	textPrefix   = "language_model.model."
	lmHeadName   = "language_model.lm_head.weight"
)

// Canonical names of the tensors that are not per layer.
const (
	NamePatchWeight   = visionPrefix + "embeddings.patch_embedding.weight"
	NamePatchBias     = visionPrefix + "embeddings.patch_embedding.bias"
	NamePosEmbedding  = visionPrefix + "embeddings.position_embedding.weight"
	NamePostLNWeight  = visionPrefix + "post_layernorm.weight"
	NamePostLNBias    = visionPrefix + "post_layernorm.bias"
	NameProjWeight    = projPrefix + "weight"
	NameProjBias      = projPrefix + "bias"
	NameEmbedding     = textPrefix + "embed_tokens.weight"
	NameFinalNorm     = textPrefix + "norm.weight"
	NameLMHead        = lmHeadName
	visionLayerPrefix = visionPrefix + "encoder.layers."
	textLayerPrefix   = textPrefix + "layers."
)

// VisionLayerName is the canonical name of a SigLIP layer tensor, e.g.
// VisionLayerName(3, "self_attn.q_proj.weight").
func VisionLayerName(l int, suffix string) string {
	return fmt.Sprintf("%s%d.%s", visionLayerPrefix, l, suffix)
}

// TextLayerName is the canonical name of a decoder layer tensor.
func TextLayerName(l int, suffix string) string {
	return fmt.Sprintf("%s%d.%s", textLayerPrefix, l, suffix)
}

// TensorSpecs lists every tensor the configuration needs, with its shape in Hugging
// Face layout (linear weights [out, in]; the patch convolution [D, C, P, P]).
func (c *Config) TensorSpecs() []TensorSpec {
	v, t := c.Vision, c.Text
	var s []TensorSpec
	add := func(name string, class Class, shape ...int) {
		s = append(s, TensorSpec{Name: name, Shape: shape, Class: class})
	}
	add(NamePatchWeight, ClassVision, v.Hidden, v.Channels, v.PatchSize, v.PatchSize)
	add(NamePatchBias, ClassBias, v.Hidden)
	add(NamePosEmbedding, ClassPosition, c.NumImageTokens(), v.Hidden)
	for l := 0; l < v.Layers; l++ {
		for _, p := range []string{"q_proj", "k_proj", "v_proj", "out_proj"} {
			add(VisionLayerName(l, "self_attn."+p+".weight"), ClassVision, v.Hidden, v.Hidden)
			add(VisionLayerName(l, "self_attn."+p+".bias"), ClassBias, v.Hidden)
		}
		for _, n := range []string{"layer_norm1", "layer_norm2"} {
			add(VisionLayerName(l, n+".weight"), ClassNorm, v.Hidden)
			add(VisionLayerName(l, n+".bias"), ClassBias, v.Hidden)
		}
		add(VisionLayerName(l, "mlp.fc1.weight"), ClassVision, v.Intermediate, v.Hidden)
		add(VisionLayerName(l, "mlp.fc1.bias"), ClassBias, v.Intermediate)
		add(VisionLayerName(l, "mlp.fc2.weight"), ClassVision, v.Hidden, v.Intermediate)
		add(VisionLayerName(l, "mlp.fc2.bias"), ClassBias, v.Hidden)
	}
	add(NamePostLNWeight, ClassNorm, v.Hidden)
	add(NamePostLNBias, ClassBias, v.Hidden)
	add(NameProjWeight, ClassProjector, t.Hidden, v.Hidden)
	add(NameProjBias, ClassBias, t.Hidden)
	add(NameEmbedding, ClassEmbedding, t.VocabSize, t.Hidden)
	q, kv := t.Heads*t.HeadDim, t.KVHeads*t.HeadDim
	for l := 0; l < t.Layers; l++ {
		add(TextLayerName(l, "self_attn.q_proj.weight"), ClassAttention, q, t.Hidden)
		add(TextLayerName(l, "self_attn.k_proj.weight"), ClassAttention, kv, t.Hidden)
		add(TextLayerName(l, "self_attn.v_proj.weight"), ClassAttention, kv, t.Hidden)
		add(TextLayerName(l, "self_attn.o_proj.weight"), ClassAttention, t.Hidden, q)
		add(TextLayerName(l, "mlp.gate_proj.weight"), ClassMLP, t.Intermediate, t.Hidden)
		add(TextLayerName(l, "mlp.up_proj.weight"), ClassMLP, t.Intermediate, t.Hidden)
		add(TextLayerName(l, "mlp.down_proj.weight"), ClassMLP, t.Hidden, t.Intermediate)
		add(TextLayerName(l, "input_layernorm.weight"), ClassNorm, t.Hidden)
		add(TextLayerName(l, "post_attention_layernorm.weight"), ClassNorm, t.Hidden)
		if c.Family == PaliGemma2 {
			add(TextLayerName(l, "pre_feedforward_layernorm.weight"), ClassNorm, t.Hidden)
			add(TextLayerName(l, "post_feedforward_layernorm.weight"), ClassNorm, t.Hidden)
		}
	}
	add(NameFinalNorm, ClassNorm, t.Hidden)
	s = append(s, TensorSpec{Name: NameLMHead, Shape: []int{t.VocabSize, t.Hidden}, Class: ClassEmbedding, Optional: true})
	return s
}

// newStyleName maps a canonical name to the one transformers ≥ 4.52 writes
// (model.vision_tower.*, model.language_model.*, lm_head.*).
func newStyleName(name string) string {
	switch {
	case name == lmHeadName:
		return "lm_head.weight"
	case strings.HasPrefix(name, textPrefix):
		return "model.language_model." + strings.TrimPrefix(name, textPrefix)
	case strings.HasPrefix(name, "vision_tower.") || strings.HasPrefix(name, "multi_modal_projector."):
		return "model." + name
	}
	return name
}

// Describer is implemented by sources that can tell a tensor's dtype and shape
// without producing its data (a synthetic model generates data only when asked).
type Describer interface {
	Describe(name string) (quant.Type, []int, bool)
}

// Describe returns a tensor's dtype and shape by canonical name, in either naming
// style, without touching its data when the source is a Describer.
func Describe(src Source, name string) (quant.Type, []int, bool) {
	if d, ok := src.(Describer); ok {
		if dt, shape, ok := d.Describe(name); ok {
			return dt, shape, true
		}
		return d.Describe(newStyleName(name))
	}
	t, ok := Lookup(src, name)
	return t.DType, t.Shape, ok
}

// Lookup finds a tensor by canonical name in either naming style.
func Lookup(src Source, name string) (Tensor, bool) {
	if t, ok := src.Tensor(name); ok {
		return t, true
	}
	return src.Tensor(newStyleName(name))
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// CheckTensors verifies that src holds every tensor the configuration needs, each of
// an allowed dtype and the expected shape, and names the first mismatch.
func (c *Config) CheckTensors(src Source, allowed ...quant.Type) error {
	if len(allowed) == 0 {
		allowed = []quant.Type{quant.F32, quant.BF16, quant.F16}
	}
	for _, spec := range c.TensorSpecs() {
		dt, shape, ok := Describe(src, spec.Name)
		if !ok {
			if spec.Optional {
				continue
			}
			return fmt.Errorf("tensor %s is missing (expected shape %v)", spec.Name, spec.Shape)
		}
		okType := false
		for _, a := range allowed {
			okType = okType || dt == a
		}
		if !okType {
			return fmt.Errorf("tensor %s has dtype %s, want one of %v", spec.Name, dt, allowed)
		}
		if !sameShape(shape, spec.Shape) {
			return fmt.Errorf("tensor %s has shape %v, the config needs %v", spec.Name, shape, spec.Shape)
		}
	}
	return nil
}
