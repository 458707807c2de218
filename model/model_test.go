package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/quant"
)

// A released paligemma-3b-pt-224 config.json as save_pretrained writes it: most keys
// are missing and must come from the class defaults.
const pg1RealConfig = `{"architectures":["PaliGemmaForConditionalGeneration"],"bos_token_id":2,"eos_token_id":1,
"hidden_size":2048,"image_token_index":257152,"model_type":"paligemma","pad_token_id":0,"projection_dim":2048,
"text_config":{"hidden_size":2048,"intermediate_size":16384,"model_type":"gemma","num_attention_heads":8,
"num_hidden_layers":18,"num_image_tokens":256,"num_key_value_heads":1,"torch_dtype":"float32","vocab_size":257216},
"torch_dtype":"float32","transformers_version":"4.41.0.dev0","vision_config":{"hidden_size":1152,
"intermediate_size":4304,"model_type":"siglip_vision_model","num_attention_heads":16,"num_hidden_layers":27,
"num_image_tokens":256,"patch_size":14,"projection_dim":2048,"projector_hidden_act":"gelu_fast","vision_use_head":false}}`

// A PaliGemma 2 config with the Gemma 2 keys left to their defaults.
const pg2RealConfig = `{"model_type":"paligemma","image_token_index":257152,"text_config":{"model_type":"gemma2",
"hidden_size":2304,"intermediate_size":9216,"num_hidden_layers":26,"num_attention_heads":8,"num_key_value_heads":4,
"vocab_size":257216},"vision_config":{"model_type":"siglip_vision_model","hidden_size":1152,"intermediate_size":4304,
"num_hidden_layers":27,"num_attention_heads":16,"patch_size":14,"image_size":448}}`

func TestParseHFConfigDefaultsMatchPresets(t *testing.T) {
	for _, c := range []struct{ json, preset string }{{pg1RealConfig, "pg1-3b-224"}, {pg2RealConfig, "paligemma2-3b-mix-448"}} {
		got, err := ParseHFConfig([]byte(c.json))
		if err != nil {
			t.Fatal(err)
		}
		want, err := Preset(c.preset)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *want {
			t.Errorf("%s:\n got  %+v\n want %+v", c.preset, *got, *want)
		}
	}
}

func TestParseHFConfigErrors(t *testing.T) {
	for name, js := range map[string]string{
		"not json":          `{`,
		"wrong model type":  `{"model_type":"llava"}`,
		"wrong text type":   `{"model_type":"paligemma","text_config":{"model_type":"llama"}}`,
		"bad heads":         `{"model_type":"paligemma","text_config":{"num_attention_heads":8,"num_key_value_heads":3}}`,
		"zero layers":       `{"model_type":"paligemma","text_config":{"num_hidden_layers":0}}`,
		"bad activation":    `{"model_type":"paligemma","text_config":{"hidden_act":"relu"}}`,
		"image not patches": `{"model_type":"paligemma","vision_config":{"image_size":225,"patch_size":14}}`,
	} {
		if _, err := ParseHFConfig([]byte(js)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPresets(t *testing.T) {
	for _, n := range PresetNames() {
		c, err := Preset(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	c, _ := Preset("pg2-28b-896")
	if c.NumImageTokens() != 4096 || c.QueryScale() != float32(1/12.0) {
		t.Errorf("28b-896: %d image tokens, query scale %g", c.NumImageTokens(), c.QueryScale())
	}
	if _, err := Preset("pg3-1b-224"); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("unknown preset error should list the known ones: %v", err)
	}
}

// stFile builds a safetensors image from a header map and data.
func stFile(header map[string]any, data []byte) []byte {
	h, _ := json.Marshal(header)
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(h)))
	b.Write(h)
	b.Write(data)
	return b.Bytes()
}

func TestParseSafetensors(t *testing.T) {
	good := stFile(map[string]any{
		"__metadata__": map[string]string{"format": "pt"},
		"a":            map[string]any{"dtype": "F32", "shape": []int{2, 2}, "data_offsets": []int{0, 16}},
		"b":            map[string]any{"dtype": "BF16", "shape": []int{3}, "data_offsets": []int{16, 22}},
	}, make([]byte, 22))
	ts, err := parseSafetensors(good, "good")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 || ts["a"].Elems() != 4 || ts["b"].DType != quant.BF16 {
		t.Fatalf("parsed %+v", ts)
	}
	bad := map[string]map[string]any{
		"overlap": {"a": map[string]any{"dtype": "F32", "shape": []int{2}, "data_offsets": []int{0, 8}},
			"b": map[string]any{"dtype": "F32", "shape": []int{2}, "data_offsets": []int{4, 12}}},
		"past end":   {"a": map[string]any{"dtype": "F32", "shape": []int{8}, "data_offsets": []int{0, 32}}},
		"size":       {"a": map[string]any{"dtype": "F32", "shape": []int{3}, "data_offsets": []int{0, 8}}},
		"dtype":      {"a": map[string]any{"dtype": "I64", "shape": []int{1}, "data_offsets": []int{0, 8}}},
		"neg shape":  {"a": map[string]any{"dtype": "F32", "shape": []int{-2}, "data_offsets": []int{0, 8}}},
		"huge shape": {"a": map[string]any{"dtype": "F32", "shape": []int64{1 << 40, 1 << 40}, "data_offsets": []int{0, 8}}},
		"offsets":    {"a": map[string]any{"dtype": "F32", "shape": []int{2}, "data_offsets": []int{8}}},
	}
	for name, h := range bad {
		if _, err := parseSafetensors(stFile(h, make([]byte, 16)), name); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSafetensorsTruncated cuts a real reference checkpoint at many lengths: each cut
// must give an error, never a panic.
func TestSafetensorsTruncated(t *testing.T) {
	cases, err := refset.Cases()
	if err != nil || len(cases) == 0 {
		t.Fatal("no reference cases", err)
	}
	data, err := os.ReadFile(filepath.Join(cases[0].Dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseSafetensors(data, "full"); err != nil {
		t.Fatal(err)
	}
	step := max(1, len(data)/997)
	for n := 0; n < len(data); n += step {
		if _, err := parseSafetensors(data[:n], "cut"); err == nil {
			t.Fatalf("truncated to %d of %d bytes: accepted", n, len(data))
		}
	}
	// And through the file path (mmap) for a few lengths.
	dir := t.TempDir()
	for _, n := range []int{0, 7, 8, 100, len(data) - 1} {
		p := filepath.Join(dir, "cut.safetensors")
		os.WriteFile(p, data[:n], 0o644)
		if c, err := OpenSafetensors(p); err == nil {
			c.Close()
			t.Fatalf("file truncated to %d bytes: accepted", n)
		}
	}
}

func FuzzParseSafetensors(f *testing.F) {
	f.Add(stFile(map[string]any{"a": map[string]any{"dtype": "F32", "shape": []int{2}, "data_offsets": []int{0, 8}}}, make([]byte, 8)))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, '{'})
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := parseSafetensors(data, "fuzz")
		if err != nil {
			return
		}
		for _, x := range ts {
			if len(x.Data) != x.Elems()*x.DType.Size() {
				t.Fatalf("tensor %s: %d bytes for shape %v", x.Name, len(x.Data), x.Shape)
			}
		}
	})
}

// renamed serves a checkpoint's tensors under other names.
type renamed struct {
	m map[string]Tensor
}

func (r renamed) Tensor(n string) (Tensor, bool) { t, ok := r.m[n]; return t, ok }
func (r renamed) Close() error                   { return nil }

func TestCheckTensors(t *testing.T) {
	cases, _ := refset.Cases()
	for _, rc := range cases {
		cfg, err := LoadHFConfig(filepath.Join(rc.Dir, "config.json"))
		if err != nil {
			t.Fatal(err)
		}
		ck, err := OpenSafetensors(filepath.Join(rc.Dir, "model.safetensors"))
		if err != nil {
			t.Fatal(err)
		}
		defer ck.Close()
		if err := cfg.CheckTensors(ck); err != nil {
			t.Fatalf("%s: %v", rc.Name, err)
		}
		// The newer naming style is accepted too.
		newStyle := renamed{m: map[string]Tensor{}}
		for _, n := range ck.Names() {
			tt, _ := ck.Tensor(n)
			newStyle.m[newStyleName(n)] = tt
		}
		if err := cfg.CheckTensors(newStyle); err != nil {
			t.Fatalf("%s new-style names: %v", rc.Name, err)
		}
		// A missing tensor and a wrong shape are named.
		missing := renamed{m: map[string]Tensor{}}
		wrong := renamed{m: map[string]Tensor{}}
		for _, n := range ck.Names() {
			tt, _ := ck.Tensor(n)
			if n != NameFinalNorm {
				missing.m[n] = tt
			}
			if n == NameProjWeight {
				tt.Shape = []int{tt.Shape[1], tt.Shape[0] + 1}
			}
			wrong.m[n] = tt
		}
		if err := cfg.CheckTensors(missing); err == nil || !strings.Contains(err.Error(), NameFinalNorm) {
			t.Errorf("missing tensor: %v", err)
		}
		if err := cfg.CheckTensors(wrong); err == nil || !strings.Contains(err.Error(), NameProjWeight) {
			t.Errorf("wrong shape: %v", err)
		}
	}
}

func TestHFConfigJSONRoundTrip(t *testing.T) {
	for _, n := range PresetNames() {
		c, _ := Preset(n)
		js, err := c.HFConfigJSON()
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseHFConfig(js)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if *back != *c {
			t.Errorf("%s: round trip\n got  %+v\n want %+v", n, *back, *c)
		}
	}
}
