package runtime

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pgedge/pgedge/model"
)

// Open loads a model from a Hugging Face checkpoint directory (config.json plus
// safetensors) or a single .safetensors file next to a config.json.
func Open(path string, opts Options) (*Model, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a model directory (want a Hugging Face directory with config.json and safetensors)", path)
	}
	cfgPath := filepath.Join(path, "config.json")
	cfg, err := model.LoadHFConfig(cfgPath)
	if err != nil {
		return nil, err
	}
	ckpt, err := model.OpenCheckpointDir(path)
	if err != nil {
		return nil, err
	}
	m, err := New(cfg, ckpt, opts)
	if err != nil {
		ckpt.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if tok, err := os.ReadFile(filepath.Join(path, "tokenizer.model")); err == nil {
		m.TokenizerModel = tok
	}
	return m, nil
}
