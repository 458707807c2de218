// Package ggmlref holds reference quantizers for llama.cpp's Q8_0 and Q4_0 formats,
// written from the GGML block layouts, so that tests and measurements can hold
// pgedge's INT8 and INT4 to what llama.cpp's formats of the same size do to the same
// model.
//
// Both formats are blocks of 32 weights with one fp16 scale d:
//
//	Q8_0  34 bytes  d = amax/127; q = round(x/d) in −127..127; weight = q·d
//	Q4_0  18 bytes  d = max/−8 (max: the signed weight of largest magnitude);
//	                code = min(15, trunc(x/d + 8.5)); weight = (code−8)·d
//
// The codes are computed with the unrounded 1/d, then d is stored as fp16 (ggml's
// quantize_row_q8_0_ref and quantize_row_q4_0_ref). llama.cpp's CPU matmuls multiply
// both formats with activations quantized to Q8_0 blocks (vec_dot_type Q8_0): per 32
// values d = amax/127 stored as fp16, q = round-to-nearest-even(x·127/amax) on x86's
// SIMD path, and Σ_blocks d_w·d_x·Σq_w·q_x accumulated in float32. Those activation
// codes are exactly pgedge's (quant.QuantizeActivations); only the scale differs,
// fp16 there and float32 here, which RoundActScales reproduces.
//
// Either block is exactly a pgedge Q8 block: a Q8_0 block is (d, q+128), a Q4_0 block
// (d, (code−8)+128), which is what Encode writes. So the reference models run through
// pgedge's own int8 kernels, and the only differences from pgedge INT8/INT4 left are the
// weights and the activation scales' rounding.
package ggmlref

import (
	"encoding/binary"
	"math"

	"github.com/x448/float16"

	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// Block is the block length of both formats.
const Block = 32

// Quantizer encodes one block of 32 weights as an fp16 scale (bits) and codes:
// weight i = q[i]·d.
type Quantizer func(x []float32) (d uint16, q [Block]int8)

// Q8_0 is llama.cpp's Q8_0 for one block: d = amax/127 stored as fp16, q = roundf(x/d)
// (half away from zero) with the unrounded 1/d.
func Q8_0(x []float32) (d uint16, q [Block]int8) {
	var amax float32
	for _, v := range x[:Block] {
		amax = max(amax, float32(math.Abs(float64(v))))
	}
	df := amax / 127
	var id float32
	if df != 0 {
		id = 1 / df
	}
	for i, v := range x[:Block] {
		q[i] = int8(math.Round(float64(v * id)))
	}
	return uint16(float16.Fromfloat32(df)), q
}

// Q4_0 is llama.cpp's Q4_0 for one block: d = max/−8 with max the signed weight of
// largest magnitude, stored as fp16; code min(15, (int8)(x/d + 8.5)) with the
// unrounded 1/d. It returns code − 8, in −8..7.
func Q4_0(x []float32) (d uint16, q [Block]int8) {
	var amax, mx float32
	for _, v := range x[:Block] {
		if a := float32(math.Abs(float64(v))); amax < a {
			amax, mx = a, v
		}
	}
	df := mx / -8
	var id float32
	if df != 0 {
		id = 1 / df
	}
	for i, v := range x[:Block] {
		q[i] = min(15, int8(v*id+8.5)) - 8
	}
	return uint16(float16.Fromfloat32(df)), q
}

// RoundActScales rounds activation block scales (amax/127, float32) to fp16, as
// llama.cpp's Q8_0 activation blocks store them: applied after
// quant.QuantizeActivations it gives llama.cpp's activation quantization exactly
// (the codes are the same; the scale's relative error is at most 2⁻¹¹).
func RoundActScales(scales []float32) {
	for i, s := range scales {
		scales[i] = float16.Fromfloat32(s).Float32()
	}
}

// Source serves a checkpoint with its matrices of some classes replaced by a
// reference quantizer's encoding (rows zero-padded to whole blocks, as pgedge pads):
// as pgedge Q8 tensors holding exactly those blocks, or with Float set, dequantized to
// F32 (the same weights; pgedge's Q8 encoder maps such a tensor back to exactly those
// blocks, see Float).
type Source struct {
	model.Source
	// Float serves the quantized weights decoded to F32 instead of as Q8 blocks.
	// Converting such a tensor to pgedge Q8 gives back the reference's blocks
	// bit for bit: a Q8_0 block decodes to q·d with max|q| = 127, and pgedge Q8
	// tries amax/127 = d first, with zero error; a Q4_0 block decodes to q·d with
	// q in −8..7, and the sign-folded candidate max/−128 = d/16 codes it as 16·q,
	// also with zero error (ties keep the first zero-error candidate).
	Float bool
	class map[string]model.Class
	quant map[model.Class]Quantizer
	cache map[string]model.Tensor
}

// NewSource wraps src for cfg's tensors: with q4, attention and MLP matrices become
// Q4_0 and every other matrix Q8_0 (pgedge's INT4 policy), else every matrix Q8_0
// (pgedge's INT8 policy). q8 replaces Q8_0 when not nil.
func NewSource(cfg *model.Config, src model.Source, q4 bool, q8 Quantizer) *Source {
	if q8 == nil {
		q8 = Q8_0
	}
	g := &Source{Source: src, class: map[string]model.Class{}, cache: map[string]model.Tensor{},
		quant: map[model.Class]Quantizer{model.ClassAttention: q8, model.ClassMLP: q8,
			model.ClassVision: q8, model.ClassEmbedding: q8, model.ClassProjector: q8}}
	if q4 {
		g.quant[model.ClassAttention], g.quant[model.ClassMLP] = Q4_0, Q4_0
	}
	for _, s := range cfg.TensorSpecs() {
		if len(s.Shape) >= 2 {
			g.class[s.Name] = s.Class
		}
	}
	return g
}

// Tensor returns the named tensor, encoded if its class has a quantizer. Encoded
// tensors are kept (a model opens each once); the cache holds one copy.
func (g *Source) Tensor(name string) (model.Tensor, bool) {
	if t, ok := g.cache[name]; ok {
		return t, true
	}
	t, ok := model.Lookup(g.Source, name)
	f := g.quant[g.class[name]]
	if !ok || f == nil {
		return t, ok
	}
	w, err := t.Float32s(nil)
	if err != nil {
		return model.Tensor{}, false
	}
	t = Encode(t.Name, t.Shape, w, f, g.Float)
	if !g.Float {
		g.cache[name] = t
	}
	return t, true
}

// Encode encodes w (shape[0] rows) block by block with f, rows zero-padded to whole
// blocks: as a pgedge Q8 tensor, or with float as F32 holding the decoded weights.
func Encode(name string, shape []int, w []float32, f Quantizer, float bool) model.Tensor {
	rows := shape[0]
	cols := len(w) / rows
	stored := quant.StoredCols(quant.Q8, cols)
	x := make([]float32, stored)
	var data []byte
	if float {
		data = make([]byte, 0, 4*len(w))
	} else {
		data = make([]byte, 0, rows*stored/Block*(Block+2))
	}
	for r := 0; r < rows; r++ {
		clear(x)
		copy(x, w[r*cols:(r+1)*cols])
		for b := 0; b < stored; b += Block {
			d, q := f(x[b : b+Block])
			if float {
				df := float16.Frombits(d).Float32()
				for i := 0; i < Block && b+i < cols; i++ {
					data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(q[i])*df))
				}
				continue
			}
			data = binary.LittleEndian.AppendUint16(data, d)
			for _, v := range q {
				data = append(data, byte(int(v)+128))
			}
		}
	}
	dt := quant.Q8
	if float {
		dt = quant.F32
	}
	return model.Tensor{Name: name, DType: dt, Shape: shape, Data: data}
}

// Close leaves the wrapped source open: its owner closes it.
func (g *Source) Close() error { return nil }
