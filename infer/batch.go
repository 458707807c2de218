package infer

import "fmt"

// Batch decodes one token for each of several sessions in one pass over the weights.
// A decode step of one sequence reads every weight of the decoder for one row of
// activations, so it is bound by memory bandwidth; B sequences' rows go through every
// linear layer together (B token rows in simd.GemmQ8Batch/GemmQ4Batch — the few-row
// kernels, which read each weight row once for up to 16 tokens, the GEMM above — or
// GemmF32/GemmBF16), and attention runs per sequence against its own KV cache. The sessions are independent: each has its own cache, capacity,
// prompt length and position (ragged), and any set of prefilled sessions can form a
// step; which ones is decided anew at every call, so sequences join and leave between
// steps.
//
// The logits of each session are those of Session.Extend up to float rounding (the
// integer kernels' sums are exact and only the order of the float accumulation
// differs: lane-wise in the few-row kernels, see simd/qgemv_rows.go for the bound);
// with Exact every row runs the one-row kernels and they are identical. Q8 weights
// packed into panels (Model.Layout) give identical logits either way: the panel
// kernels' sums for a token do not depend on the other tokens. A Batch's
// buffers are reused, so a step allocates nothing once they have grown to the largest
// batch. One Batch serves one step at a time.
type Batch struct {
	// Exact runs each row of a step through the linear layers' one-row kernels (each
	// weight panel still read from memory once, then from cache), so that every
	// sequence's logits are bit for bit those of Session.Extend whatever the batch;
	// otherwise the few-row kernels (or, above 16 rows, the GEMM) run, whose float sums
	// differ in order.
	Exact   bool
	m       *Model
	bufs    fwdBufs
	scratch attnScratch
	attn    batchAttn
}

// NewBatch makes a batch for the model's sessions.
func (m *Model) NewBatch() *Batch {
	return &Batch{m: m, scratch: newAttnScratch(m)}
}

// Extend appends ids[i] to sessions[i] for every i and returns the next-token logits,
// B×vocab row-major (row i for sessions[i]); the slice is reused by the next call.
// Every session must be prefilled, have room for a token and appear once.
func (bt *Batch) Extend(sessions []*Session, ids []int) ([]float32, error) {
	m := bt.m
	B := len(sessions)
	if B == 0 || len(ids) != B {
		return nil, fmt.Errorf("batch of %d sessions and %d tokens", B, len(ids))
	}
	for i, s := range sessions {
		switch {
		case s.m != m:
			return nil, fmt.Errorf("session %d belongs to another model", i)
		case s.n == 0 || s.prefilling:
			return nil, fmt.Errorf("session %d: append before prefill", i)
		case s.n >= s.capacity:
			return nil, fmt.Errorf("session %d: 1 more token does not fit: context of %d tokens holds %d", i, s.capacity, s.n)
		case ids[i] < 0 || ids[i] >= m.Config.Text.VocabSize || ids[i] == m.Config.ImageTokenIndex:
			return nil, fmt.Errorf("session %d: token %d cannot be appended (vocabulary %d)", i, ids[i], m.Config.Text.VocabSize)
		}
		for _, o := range sessions[:i] {
			if o == s {
				return nil, fmt.Errorf("session %d appears twice in the batch", i)
			}
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return bt.extend(sessions, ids), nil
}

// rowwiseMax is the largest batch whose rows go through a float (F32/BF16) matrix's
// one-row kernels one by one (each weight panel read from memory once, then from
// cache) rather than the float GEMM. Integer matrices, the whole decoder of a
// quantized model, run the few-row kernels instead (simd.GemmQ8Batch). For the
// integer kernels the one-row loop beat the GEMM up to 4 rows — its packing of every
// weight panel costs a fixed ~160 ms per step of PaliGemma 2 3B INT8 on 2 threads —
// (159 against 187 ms at B = 4, bench/README.md); the float case was kept as it was.
const rowwiseMax = 4

// extend is Extend after the checks, with m.mu held.
func (bt *Batch) extend(sessions []*Session, ids []int) []float32 {
	m := bt.m
	t := m.Config.Text
	B, W, hd := len(sessions), m.hidden, t.HeadDim
	b := &bt.bufs
	b.size(m, B)
	m.eng.pool.Hold()
	defer m.eng.pool.Release()
	for i, s := range sessions {
		m.embedRow(b.h[i*W:(i+1)*W], ids[i], m.eng.rowScratch[0])
		m.rope.angles(b.angles[i*hd:(i+1)*hd], s.n+1) // 1-based positions
	}
	// Exact: every row through the one-row kernels; otherwise the integer layers
	// run the few-row kernels (simd.GemmQ8Batch: up to 16 rows, the GEMM above).
	m.eng.rowwise, m.eng.batch = bt.Exact, !bt.Exact
	defer func() { m.eng.rowwise, m.eng.batch = false, false }()
	a := &bt.attn
	a.b, a.sc, a.sessions = b, &bt.scratch, sessions
	group := t.Heads / t.KVHeads
	a.split = attnSplit(group, t.KVHeads*B, m.Threads())
	for li := range m.layers {
		l := &m.layers[li]
		m.decoderQKV(l, b, 0, B)
		for i, s := range sessions {
			s.storeKV(li, b, i, s.n)
		}
		a.li, a.window = li, m.window(l)
		m.eng.pool.Run(B*t.KVHeads*a.split, a)
		m.decoderRest(l, b, 0, B)
	}
	a.b, a.sc, a.sessions = nil, nil, nil
	for _, s := range sessions {
		s.n++
	}
	return m.logitsOf(b, 0, B, false, nil)
}

// batchAttn is a decode step's attention: one task per (sequence, key/value head,
// part of its query heads), each against its own session's cache.
type batchAttn struct {
	b          *fwdBufs
	sc         *attnScratch
	sessions   []*Session
	li, window int
	split      int
}

func (a *batchAttn) Task(task, worker int) {
	m := a.sessions[0].m
	t := m.Config.Text
	hd, qDim := t.HeadDim, m.qDim
	group := t.Heads / t.KVHeads
	gs := group / a.split
	i, part := task/(t.KVHeads*a.split), task%(t.KVHeads*a.split)
	kvh, sub := part/a.split, part%a.split
	h0 := kvh*group + sub*gs
	s := a.sessions[i]
	kc := s.k[a.li][kvh*s.capacity*hd : (kvh+1)*s.capacity*hd]
	vc := s.v[a.li][kvh*s.capacity*hd : (kvh+1)*s.capacity*hd]
	attendQuery(s, a.sc, worker, kc, vc, a.b.q[i*qDim+h0*hd:i*qDim+(h0+gs)*hd], a.b.att[i*qDim+h0*hd:i*qDim+(h0+gs)*hd], s.n, s.n+1, a.window)
}
