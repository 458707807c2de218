package infer

import "fmt"

// Batch decodes one token for each of several sessions in one pass over the weights.
// A decode step of one sequence reads every weight of the decoder for one row of
// activations, so it is bound by memory bandwidth; B sequences' rows go through every
// linear layer together (B token rows in simd.GemmQ8/GemmQ4/GemmF32/GemmBF16, which
// read each weight row once for all of them), and attention runs per sequence against
// its own KV cache. The sessions are independent: each has its own cache, capacity,
// prompt length and position (ragged), and any set of prefilled sessions can form a
// step; which ones is decided anew at every call, so sequences join and leave between
// steps.
//
// The logits of each session are those of Session.Extend up to the float rounding of
// a GEMM over B rows instead of one (the integer kernels' per-block sums are exact and
// only the order of the float accumulation differs); up to rowwiseMax rows, and with
// Exact at any size, every row runs the one-row kernels and they are identical. A Batch's buffers are reused, so a
// step allocates nothing once they have grown to the largest batch. One Batch serves
// one step at a time.
type Batch struct {
	// Exact runs each row of a step through the linear layers' one-row kernels (each
	// weight panel still read from memory once, then from cache), so that every
	// sequence's logits are bit for bit those of Session.Extend whatever the batch;
	// otherwise, above rowwiseMax rows, the GEMM kernels run, whose float sums differ
	// in order.
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

// rowwiseMax is the largest batch whose rows go through the linear layers' one-row
// kernels one by one (each weight panel read from memory once, then from cache) rather
// than the GEMM, whose packing of every weight panel costs a fixed ~160 ms per step of
// PaliGemma 2 3B INT8 on 2 threads (Zen 4/5 with AVX-512 VNNI, shared host): steps of
// 4 sequences took 159 ms row by row against 187 ms through the GEMM, of 8 sequences
// 274 ms against 211 ms (pgedge bench --batch, bench/README.md).
const rowwiseMax = 4

// extend is Extend after the checks, with m.mu held.
func (bt *Batch) extend(sessions []*Session, ids []int) []float32 {
	m := bt.m
	t := m.Config.Text
	B, W, hd := len(sessions), m.hidden, t.HeadDim
	b := &bt.bufs
	b.size(m, B)
	for i, s := range sessions {
		m.embedRow(b.h[i*W:(i+1)*W], ids[i], m.eng.rowScratch[0])
		m.rope.angles(b.angles[i*hd:(i+1)*hd], s.n+1) // 1-based positions
	}
	// Up to rowwiseMax rows the one-row kernels are also the faster ones (see
	// rowwiseMax); above, the GEMM unless the batch is exact.
	m.eng.rowwise = bt.Exact || B <= rowwiseMax
	defer func() { m.eng.rowwise = false }()
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
