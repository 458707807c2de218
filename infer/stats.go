package infer

import "github.com/pgedge/pgedge/quant"

// Figures about a loaded model that `pgedge bench` reports beside its timings.

// ExtendWeightBytes is the number of weight bytes one decode step (Session.Extend)
// reads: every decoder matrix (attention q/k/v/o, MLP gate/up/down) and the output
// projection, in their stored format (quantized values with their scales, padding of
// the last block included), each read once per token. Excluded are the KV cache, the
// activations, the norm vectors (a few KB) and the single embedding row the token
// looks up. Divided into the extend time it gives the weight streaming rate that
// issue 4's bandwidth targets are stated in.
func (m *Model) ExtendWeightBytes() int64 {
	var n int64
	for i := range m.layers {
		l := &m.layers[i]
		for _, w := range []*Matrix{l.q, l.k, l.v, l.o, l.gate, l.up, l.down} {
			n += int64(len(w.Data))
		}
	}
	return n + int64(len(m.lmHead.Data))
}

// DecoderDType is the storage type of the decoder's matrices (that of layer 0's
// q_proj): what a converted model was made "at" (--weights). The vision tower and the
// embedding may be stored differently (convert.DefaultPolicy keeps them INT8 under an
// INT4 decoder).
func (m *Model) DecoderDType() quant.Type {
	if len(m.layers) == 0 {
		return m.embed.DType
	}
	return m.layers[0].q.DType
}

// ExtendMACs is the number of multiply-adds of the matrices ExtendWeightBytes counts,
// per token: the compute side of a decode step's roofline.
func (m *Model) ExtendMACs() int64 {
	var n int64
	for i := range m.layers {
		l := &m.layers[i]
		for _, w := range []*Matrix{l.q, l.k, l.v, l.o, l.gate, l.up, l.down} {
			n += int64(w.Rows) * int64(w.Cols)
		}
	}
	return n + int64(m.lmHead.Rows)*int64(m.lmHead.Cols)
}
