package model

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/quant"
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
func OpenPGE(path string) (*PGE, error) { return OpenPGEWith(path, compress.LoadMap) }

// OpenPGEWith is OpenPGE with the file's bytes brought into memory as load says
// (compress.OpenWith).
func OpenPGEWith(path string, load compress.Load) (*PGE, error) {
	f, err := compress.OpenWith(path, load)
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
		dt := quant.Type(info.Type) // the type codes of .pge files are quant.Type's values
		if dt.String() != info.TypeName {
			return nil, fmt.Errorf("tensor %s: type code %d named %q does not match %s", info.Name, info.Type, info.TypeName, dt)
		}
		if err := checkEncoding(info, dt); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", info.Name, err)
		}
		shape := make([]int, len(info.Shape))
		for i, d := range info.Shape {
			shape[i] = int(d)
		}
		p.byN[info.Name] = Tensor{Name: info.Name, DType: dt, Shape: shape, Data: data}
	}
	if err := p.Meta.Config.CheckTensors(p, quant.F32, quant.BF16, quant.F16, quant.Q8, quant.Q4); err != nil {
		return nil, err
	}
	for _, spec := range p.Meta.Config.TensorSpecs() {
		t, ok := Lookup(p, spec.Name)
		if ok && t.DType.Quantized() && !Quantizable(spec.Class) {
			return nil, fmt.Errorf("tensor %s: %s tensors must be F32, BF16 or F16, not %s", t.Name, spec.Class, t.DType)
		}
	}
	return p, nil
}

// Quantizable reports whether tensors of a class may be stored block-quantized:
// the weight matrices (embedding, attention, MLP, vision, projector). Norms, biases
// and the position table are read as vectors and stay F32/BF16/F16.
func Quantizable(c Class) bool {
	switch c {
	case ClassEmbedding, ClassAttention, ClassMLP, ClassVision, ClassProjector:
		return true
	}
	return false
}

// Encoded size limits for checkEncoding: a byte length in a valid file is below
// the file size, so anything at or above maxEncoded is a mismatch, and keeping the
// intermediate products under it means they cannot overflow.
const maxEncoded = math.MaxInt64 / 256

// checkEncoding checks a tensor's storage type, block length, layout version and
// byte length against its shape. The container bounds every range by the file and
// every shape product by int64; this is the check that the bytes are exactly what
// the shape needs, so that no kernel can read past a tensor.
func checkEncoding(info compress.TensorInfo, dt quant.Type) error {
	rank := len(info.Shape)
	if dt.Quantized() {
		if rank < 2 {
			return fmt.Errorf("%s needs a matrix, shape is %v", dt, info.Shape)
		}
		if info.Layout > quant.LayoutVersion {
			return fmt.Errorf("%s layout version %d: the file was made by a newer pgedge (this one reads layout version %d); upgrade pgedge",
				dt, info.Layout, quant.LayoutVersion)
		}
		if info.Layout != quant.LayoutVersion {
			return fmt.Errorf("%s layout version %d is not supported (this pgedge reads layout version %d)", dt, info.Layout, quant.LayoutVersion)
		}
		if bl := quant.BlockLen(dt); int64(info.BlockLen) != int64(bl) {
			return fmt.Errorf("%s block length is %d, layout version %d has %d", dt, info.BlockLen, quant.LayoutVersion, bl)
		}
		rows, cols := info.Shape[0], int64(1)
		if rows >= maxEncoded {
			return lengthErr(info, "more than the file holds")
		}
		for _, d := range info.Shape[1:] {
			if d != 0 && cols > maxEncoded/d {
				return lengthErr(info, "more than the file holds")
			}
			cols *= d
		}
		rowBytes := int64(quant.RowBytes(dt, quant.StoredCols(dt, int(cols))))
		if rowBytes != 0 && rows > maxEncoded/rowBytes {
			return lengthErr(info, "more than the file holds")
		}
		if want := rows * rowBytes; want != info.Size {
			return lengthErr(info, fmt.Sprintf("%d (%d rows of %d bytes: %d columns padded to %d)",
				want, rows, rowBytes, cols, quant.StoredCols(dt, int(cols))))
		}
		return nil
	}
	size := int64(dt.Size())
	if size == 0 {
		return fmt.Errorf("unknown storage type code %d", info.Type)
	}
	// compress guarantees the product of the non-zero dimensions fits in an int64.
	n := info.NumElements()
	if n > maxEncoded {
		return lengthErr(info, "more than the file holds")
	}
	if want := n * size; want != info.Size {
		return lengthErr(info, fmt.Sprintf("%d (%d elements of %d bytes)", want, n, size))
	}
	return nil
}

func lengthErr(info compress.TensorInfo, want string) error {
	return fmt.Errorf("%d bytes for %s shape %v, want %s", info.Size, info.TypeName, info.Shape, want)
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
