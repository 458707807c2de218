// Package convert writes a PaliGemma model into one .pge file: it reads any tensor
// source (a Hugging Face checkpoint, or a synthetic model), applies a precision policy
// per tensor class, quantizes, and reports the error each tensor got.
//
// It streams tensor by tensor, so peak memory stays near the largest tensor (the
// 257216×2304 embedding of PaliGemma 2 3B: 2.4 GB as float32), and writes through
// compress.Writer, which renames the file into place only when it is complete.
package convert

import (
	"encoding/json"
	"fmt"
	"math"
	goruntime "runtime"
	"sync"

	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// Policy chooses a storage type per tensor class.
type Policy struct {
	Weights   model.DType // decoder attention and MLP matrices
	Vision    model.DType // SigLIP matrices (patch embedding, attention, MLP)
	Embedding model.DType // token embedding = tied output projection
	Projector model.DType
}

// DefaultPolicy returns the policy for a --weights choice: the decoder matrices take
// it; the vision tower and projector take INT8 when the decoder is INT4 (they are
// 0.4 B of the 3 B parameters and run once per image, compute-bound); the embedding
// takes INT8 below BF16, because it is also the output layer whose errors land
// directly on the logits. Norms, biases and the position table always stay F32.
func DefaultPolicy(weights model.DType) Policy {
	p := Policy{Weights: weights, Vision: weights, Embedding: weights, Projector: weights}
	if weights == model.Q4 {
		p.Vision, p.Embedding, p.Projector = model.Q8, model.Q8, model.Q8
	}
	return p
}

// For returns the storage type of a tensor class.
func (p Policy) For(c model.Class) model.DType {
	switch c {
	case model.ClassAttention, model.ClassMLP:
		return p.Weights
	case model.ClassVision:
		return p.Vision
	case model.ClassEmbedding:
		return p.Embedding
	case model.ClassProjector:
		return p.Projector
	}
	return model.F32 // norms, biases, position table
}

// ParseDType reads a --weights value.
func ParseDType(s string) (model.DType, error) {
	switch s {
	case "f32", "F32":
		return model.F32, nil
	case "bf16", "BF16":
		return model.BF16, nil
	case "int8", "q8", "Q8":
		return model.Q8, nil
	case "int4", "q4", "Q4":
		return model.Q4, nil
	}
	return 0, fmt.Errorf("unknown weight type %q (want f32, bf16, int8 or int4)", s)
}

func quantType(d model.DType) quant.Type {
	switch d {
	case model.BF16:
		return quant.BF16
	case model.Q8:
		return quant.Q8
	case model.Q4:
		return quant.Q4
	}
	return quant.F32
}

// StoredCols is the row length a matrix of cols columns is stored with: quantized
// rows are zero-padded to a whole number of blocks. It is model.StoredCols, which
// the .pge reader checks files by.
func StoredCols(d model.DType, cols int) int { return model.StoredCols(d, cols) }

// Options of a conversion.
type Options struct {
	Policy    Policy
	Tokenizer []byte // tokenizer.model bytes; nil converts without one
	VQVAE     []byte // vae-oid.npz bytes; nil for none
	Source    string // recorded in the metadata
	// Progress, when set, is called after each tensor with the source bytes done and in all.
	Progress func(done, total int64)
}

// TensorReport is the outcome for one tensor.
type TensorReport struct {
	Name          string  `json:"name"`
	Class         string  `json:"class"`
	Type          string  `json:"type"`
	Shape         []int   `json:"shape"`
	Bytes         int64   `json:"bytes"`
	BitsPerWeight float64 `json:"bits_per_weight"`
	RelRMSError   float64 `json:"rel_rms_error"`
	MaxAbsError   float64 `json:"max_abs_error"`
	sqErr, sqRef  float64 // Σ(ŵ−w)², Σw², for pooling per class
}

// ClassReport pools the tensors of a class: rel_rms_error is ‖Ŵ−W‖/‖W‖ over all of them.
type ClassReport struct {
	Tensors       int     `json:"tensors"`
	Params        int64   `json:"params"`
	Bytes         int64   `json:"bytes"`
	BitsPerWeight float64 `json:"bits_per_weight"`
	RelRMSError   float64 `json:"rel_rms_error"`
	MaxAbsError   float64 `json:"max_abs_error"`
	sqErr, sqRef  float64
}

// Report is the summary of a conversion.
type Report struct {
	Tensors []TensorReport          `json:"tensors"`
	Classes map[string]*ClassReport `json:"classes"`
	Bytes   int64                   `json:"bytes"`
	Params  int64                   `json:"params"`
}

// Metadata of the quantization, stored in the file.
type quantMeta struct {
	Policy        map[string]string `json:"policy"`
	LayoutVersion int               `json:"layout_version"`
	Padding       string            `json:"padding"`
}

// Convert writes cfg's tensors from src to a .pge file at path.
func Convert(path string, cfg *model.Config, src model.Source, opts Options) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.CheckTensors(src); err != nil {
		return nil, err
	}
	specs := cfg.TensorSpecs()
	var total int64
	for _, s := range specs {
		if dt, shape, ok := model.Describe(src, s.Name); ok {
			total += int64(elems(shape) * dt.Size())
		}
	}
	w, err := compress.Create(path)
	if err != nil {
		return nil, err
	}
	defer w.Abort() // no-op after a successful Close

	pol := map[string]string{}
	for _, c := range []model.Class{model.ClassAttention, model.ClassMLP, model.ClassVision, model.ClassEmbedding,
		model.ClassProjector, model.ClassNorm, model.ClassBias, model.ClassPosition} {
		pol[string(c)] = opts.Policy.For(c).String()
	}
	qm, _ := json.Marshal(quantMeta{Policy: pol, LayoutVersion: quant.LayoutVersion,
		Padding: "quantized rows are zero-padded to a whole number of blocks"})
	meta, err := json.Marshal(model.PGEMetadata{Format: model.PGEFormat, Config: *cfg, Quant: qm,
		Source: opts.Source, Creator: "pgedge convert"})
	if err != nil {
		return nil, err
	}
	if err := w.SetMetadata(meta); err != nil {
		return nil, err
	}
	if opts.Tokenizer != nil {
		if err := w.AddBlob(model.BlobTokenizer, opts.Tokenizer); err != nil {
			return nil, err
		}
	}
	if opts.VQVAE != nil {
		if err := w.AddBlob(model.BlobVQVAE, opts.VQVAE); err != nil {
			return nil, err
		}
	}

	rep := &Report{Classes: map[string]*ClassReport{}}
	var done int64
	var buf []float32
	for _, s := range specs {
		t, ok := model.Lookup(src, s.Name)
		if !ok {
			continue // the optional untied lm_head
		}
		target := opts.Policy.For(s.Class)
		if len(s.Shape) < 2 && (target == model.Q8 || target == model.Q4) {
			target = model.F32
		}
		if buf, err = t.Float32s(buf); err != nil {
			return nil, err
		}
		data, tr, err := encode(s, buf, target)
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", s.Name, err)
		}
		shape := make([]int64, len(s.Shape))
		for i, d := range s.Shape {
			shape[i] = int64(d)
		}
		info := compress.TensorInfo{Name: s.Name, Type: uint8(target), TypeName: target.String(), Shape: shape,
			BlockLen: uint32(quant.BlockLen(quantType(target))), Layout: quant.LayoutVersion}
		if err := w.AddTensor(info, data); err != nil {
			return nil, err
		}
		rep.add(tr, s.Class)
		done += int64(len(t.Data))
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	rep.finish()
	return rep, nil
}

func (r *Report) add(t TensorReport, class model.Class) {
	t.Class = string(class)
	r.Tensors = append(r.Tensors, t)
	c := r.Classes[t.Class]
	if c == nil {
		c = &ClassReport{}
		r.Classes[t.Class] = c
	}
	params := int64(1)
	for _, d := range t.Shape {
		params *= int64(d)
	}
	c.Tensors++
	c.Params += params
	c.Bytes += t.Bytes
	c.MaxAbsError = math.Max(c.MaxAbsError, t.MaxAbsError)
	c.sqErr += t.sqErr
	c.sqRef += t.sqRef
	r.Bytes += t.Bytes
	r.Params += params
}

func (r *Report) finish() {
	for _, c := range r.Classes {
		if c.Params > 0 {
			c.BitsPerWeight = float64(8*c.Bytes) / float64(c.Params)
		}
		if c.sqRef > 0 {
			c.RelRMSError = math.Sqrt(c.sqErr / c.sqRef)
		}
	}
}

// encode stores one tensor as target and measures the error of doing so.
func encode(s model.TensorSpec, w []float32, target model.DType) ([]byte, TensorReport, error) {
	rows := s.Shape[0]
	cols := len(w) / max(rows, 1)
	if len(s.Shape) == 1 {
		rows, cols = 1, len(w)
	}
	stored := StoredCols(target, cols)
	qt := quantType(target)
	rowBytes := quant.RowBytes(qt, stored)
	out := make([]byte, rows*rowBytes)

	// Rows are independent: quantize them in parallel, a chunk of rows per goroutine.
	// The Q4 search costs ~1 µs per weight-block; a 9216×2304 matrix takes seconds
	// on one core.
	workers := goruntime.GOMAXPROCS(0)
	chunk := (rows + workers - 1) / workers
	type partial struct {
		sqErr, sqRef, maxErr float64
		err                  error
	}
	parts := make([]partial, workers)
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		r0, r1 := g*chunk, min((g+1)*chunk, rows)
		if r0 >= r1 {
			continue
		}
		wg.Add(1)
		go func(g, r0, r1 int) {
			defer wg.Done()
			p := &parts[g]
			padded := make([]float32, stored)
			back := make([]float32, stored)
			for r := r0; r < r1; r++ {
				copy(padded, w[r*cols:(r+1)*cols])
				dst := out[r*rowBytes : (r+1)*rowBytes]
				if err := quant.QuantizeRow(qt, dst, padded, nil); err != nil {
					p.err = fmt.Errorf("row %d: %w", r, err)
					return
				}
				quant.DequantizeRow(qt, dst, back)
				for c := 0; c < cols; c++ {
					ref := float64(w[r*cols+c])
					d := float64(back[c]) - ref
					p.sqErr += d * d
					p.sqRef += ref * ref
					p.maxErr = math.Max(p.maxErr, math.Abs(d))
				}
			}
		}(g, r0, r1)
	}
	wg.Wait()
	tr := TensorReport{Name: s.Name, Type: target.String(), Shape: s.Shape, Bytes: int64(len(out))}
	var sqErr, sqRef float64
	for _, p := range parts {
		if p.err != nil {
			return nil, tr, p.err
		}
		sqErr += p.sqErr
		sqRef += p.sqRef
		tr.MaxAbsError = math.Max(tr.MaxAbsError, p.maxErr)
	}
	if sqRef > 0 {
		tr.RelRMSError = math.Sqrt(sqErr / sqRef)
	}
	if n := len(w); n > 0 {
		tr.BitsPerWeight = float64(8*len(out)) / float64(n)
	}
	tr.sqErr, tr.sqRef = sqErr, sqRef
	return out, tr, nil
}

func elems(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
