package model

import (
	"encoding/json"
	"fmt"

	"github.com/pgedge/pgedge/compress"
)

// PGEFormat names the metadata format of a pgedge model file.
const PGEFormat = "pgedge-paligemma"

// Blob names inside a .pge file.
const (
	BlobTokenizer = "tokenizer.model"
	BlobVQVAE     = "vqvae"
)

// PGEMetadata is the JSON metadata of a .pge model file.
type PGEMetadata struct {
	Format  string          `json:"format"`
	Config  Config          `json:"config"`
	Quant   json.RawMessage `json:"quantization,omitempty"` // the settings the converter used
	Source  string          `json:"source,omitempty"`       // what it was converted from
	Creator string          `json:"creator,omitempty"`
}

// PGE is an open .pge model file: a Source of tensors in place in the mapping.
type PGE struct {
	File *compress.File
	Meta PGEMetadata
	byN  map[string]Tensor
}

// OpenPGE maps a .pge file and checks its metadata and its tensors against the
// configuration it carries.
func OpenPGE(path string) (*PGE, error) {
	f, err := compress.Open(path)
	if err != nil {
		return nil, err
	}
	p, err := newPGE(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// ParsePGE is OpenPGE over bytes in memory.
func ParsePGE(data []byte) (*PGE, error) {
	f, err := compress.Parse(data)
	if err != nil {
		return nil, err
	}
	return newPGE(f)
}

func newPGE(f *compress.File) (*PGE, error) {
	p := &PGE{File: f, byN: map[string]Tensor{}}
	if err := json.Unmarshal(f.Metadata(), &p.Meta); err != nil {
		return nil, fmt.Errorf("malformed metadata: %v", err)
	}
	if p.Meta.Format != PGEFormat {
		return nil, fmt.Errorf("metadata format is %q, want %q", p.Meta.Format, PGEFormat)
	}
	if err := p.Meta.Config.Validate(); err != nil {
		return nil, err
	}
	for _, info := range f.Tensors() {
		_, data, _ := f.Tensor(info.Name)
		dt := DType(info.Type)
		if dt.String() != info.TypeName {
			return nil, fmt.Errorf("tensor %s: type code %d named %q does not match %s", info.Name, info.Type, info.TypeName, dt)
		}
		shape := make([]int, len(info.Shape))
		for i, d := range info.Shape {
			shape[i] = int(d)
		}
		p.byN[info.Name] = Tensor{Name: info.Name, DType: dt, Shape: shape, Data: data}
	}
	if err := p.Meta.Config.CheckTensors(p, F32, BF16, F16, Q8, Q4); err != nil {
		return nil, err
	}
	return p, nil
}

// Tensor implements Source.
func (p *PGE) Tensor(name string) (Tensor, bool) {
	t, ok := p.byN[name]
	return t, ok
}

// Blob returns a named blob (tokenizer, VQ-VAE).
func (p *PGE) Blob(name string) ([]byte, bool) { return p.File.Blob(name) }

// Close unmaps the file.
func (p *PGE) Close() error { return p.File.Close() }
