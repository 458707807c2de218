package infer

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// Open loads a model from a Hugging Face checkpoint directory (config.json,
// safetensors, optionally tokenizer.model and vae-oid.npz) or a .pge file.
func Open(path string, opts Options) (*Model, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return openPGE(path, opts)
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
	if vq, err := os.ReadFile(filepath.Join(path, "vae-oid.npz")); err == nil {
		m.VQVAE = vq
	}
	return m, nil
}

// packWithoutKernels packs Q8 and Q4 weights into panels where the panel kernels
// are the Go twin (the tests, so that packing and its results are checked on every
// CPU).
var packWithoutKernels = false

func openPGE(path string, opts Options) (*Model, error) {
	p, err := model.OpenPGEWith(path, opts.Load)
	if err != nil {
		return nil, err
	}
	cfg := p.Meta.Config
	m, err := New(&cfg, p, opts, quant.F32, quant.BF16, quant.F16, quant.Q8, quant.Q4)
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !opts.RowLayout && p.File.Load() == compress.LoadMemory {
		if err := m.packPanels(p.File); err != nil {
			m.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	m.TokenizerModel, _ = p.Blob(model.BlobTokenizer)
	m.VQVAE, _ = p.Blob(model.BlobVQVAE)
	return m, nil
}
