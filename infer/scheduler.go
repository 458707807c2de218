package infer

import (
	"context"
	"sync"
	"time"
)

// The batch scheduler (continuous batching). Every Model.Generate call is a sequence
// of the model's one scheduler: a goroutine that, between its steps, lets sequences
// join and leave, and runs
//
//   - decode steps: one Batch.Extend for every sequence that has submitted its next
//     token, so B concurrent generations read the weights once per step, not B times;
//   - prefill pieces of the oldest sequence waiting for its prefill (prefillRun: at
//     most pieceRows rows of a linear phase or pieceAttnRows queries of an attention
//     phase each), alternating with decode steps: a turn of prefill runs pieces until
//     it has taken prefillShare times the last decode step (at least one piece), so
//     the decoding sequences wait at most that plus one piece for their next token,
//     and the new sequence's prefill gets at least prefillShare/(prefillShare+1) of the
//     time (its first token within (prefillShare+1)/prefillShare of its idle time,
//     plus its wait for the decode steps' grace). With nobody decoding, a prefill runs
//     in one turn, each phase in one piece, as Session.Prefill runs it.
//
// Sampling and the callers' OnToken run on the callers' goroutines, between steps; a
// step waits up to a short grace (a quarter of the last step, within 0.5–5 ms) for
// sequences that have not submitted their token yet, then runs without them: they join
// the next step. Cancellation is seen before every decode step (by the caller) and
// between prefill pieces (by the scheduler). A sequence's KV cache is sized for its
// prompt plus its MaxTokens; the scheduler admits sequences first come, first served
// while their caches fit in Options.KVMemory (one sequence always runs, however large).
type scheduler struct {
	m        *Model
	limit    int64
	mu       sync.Mutex
	kick     chan struct{} // capacity 1: something was submitted or left
	queue    []*genSeq     // waiting for KV memory
	prefills []*genSeq     // admitted, waiting for (the rest of) their prefill
	ready    []*genSeq     // decoding, next token submitted
	decoding int           // sequences between their prefill and their end
	kvUsed   int64
	running  bool
	steps    int64 // decode steps run
	rows     int64 // sequences in them

	// Used by the scheduler goroutine only.
	batch    *Batch
	lastStep time.Duration
	step     []*genSeq
	sessions []*Session
	ids      []int
	timer    *time.Timer
}

// prefillShare is how many decode steps' time a turn of prefill may take: the new
// request's TTFT among busy sequences is then about (prefillShare+1)/prefillShare of its
// idle TTFT plus the pieces' overheads, and the busy sequences' tokens wait about
// prefillShare+1 steps. With 3, PaliGemma 2 3B INT8 (2 Zen 5 threads, 4 sequences
// decoding, 224 px request) gave TTFT ratios of 1.37–2.07 (4 of 8 runs above 1.5) once
// prefill had become faster (idle TTFT 2.5–3.1 s); with 4, 1.33–1.40 in interleaved runs,
// the busy sequences' token gaps 631–720 ms (median) against 530–546.
const prefillShare = 4

// DefaultKVMemory is the KV-cache memory a model's concurrent generations may hold
// when Options.KVMemory is 0.
const DefaultKVMemory = 4 << 30

// genSeq is one Generate call as the scheduler sees it.
type genSeq struct {
	ctx      context.Context
	kv       int64 // KV-cache bytes
	s        *Session
	run      *prefillRun
	id       int       // the token to append next
	logits   []float32 // the latest next-token logits (own copy)
	err      error
	decoding bool
	done     chan struct{} // capacity 1: admitted, prefill done, step done
}

func newScheduler(m *Model, limit int64) *scheduler {
	if limit <= 0 {
		limit = DefaultKVMemory
	}
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &scheduler{m: m, limit: limit, kick: make(chan struct{}, 1), batch: m.NewBatch(), timer: t}
}

// KVBytes is the memory of a session's KV cache of capacity tokens.
func (m *Model) KVBytes(capacity int) int64 {
	return int64(len(m.layers)) * 2 * int64(capacity) * int64(m.kvDim) * 4
}

// KVMemory is the limit on the KV-cache memory of concurrent generations.
func (m *Model) KVMemory() int64 { return m.sched.limit }

// BatchStats is a snapshot of the scheduler.
type BatchStats struct {
	Decoding int   // sequences past their prefill
	Prefill  int   // sequences admitted and waiting for or in their prefill
	Queued   int   // sequences waiting for KV memory
	KVBytes  int64 // KV memory held by admitted sequences
	KVLimit  int64
	Steps    int64 // decode steps run so far
	Rows     int64 // tokens decoded in them (Rows/Steps is the mean batch)
}

// BatchStats reports what the scheduler holds now.
func (m *Model) BatchStats() BatchStats {
	sc := m.sched
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return BatchStats{Decoding: sc.decoding, Prefill: len(sc.prefills), Queued: len(sc.queue), KVBytes: sc.kvUsed, KVLimit: sc.limit, Steps: sc.steps, Rows: sc.rows}
}

func (sc *scheduler) signal() {
	select {
	case sc.kick <- struct{}{}:
	default:
	}
}

func (g *genSeq) signal() {
	select {
	case g.done <- struct{}{}:
	default:
	}
}

// ensureRunning starts the scheduler goroutine if it is not running; sc.mu is held.
func (sc *scheduler) ensureRunning() {
	if !sc.running {
		sc.running = true
		go sc.loop()
	}
	sc.signal()
}

// admit waits until g's KV cache fits (first come, first served).
func (sc *scheduler) admit(g *genSeq) error {
	sc.mu.Lock()
	if len(sc.queue) == 0 && (sc.kvUsed == 0 || sc.kvUsed+g.kv <= sc.limit) {
		sc.kvUsed += g.kv
		sc.mu.Unlock()
		return nil
	}
	sc.queue = append(sc.queue, g)
	sc.mu.Unlock()
	select {
	case <-g.done:
		return nil
	case <-g.ctx.Done():
		sc.mu.Lock()
		defer sc.mu.Unlock()
		for i, q := range sc.queue {
			if q == g {
				sc.queue = append(sc.queue[:i], sc.queue[i+1:]...)
				return g.ctx.Err()
			}
		}
		<-g.done // admitted meanwhile: give the memory back
		sc.kvUsed -= g.kv
		sc.admitQueued()
		return g.ctx.Err()
	}
}

// admitQueued admits queued sequences while they fit; sc.mu is held.
func (sc *scheduler) admitQueued() {
	for len(sc.queue) > 0 {
		g := sc.queue[0]
		if sc.kvUsed > 0 && sc.kvUsed+g.kv > sc.limit {
			return
		}
		sc.kvUsed += g.kv
		sc.queue = sc.queue[1:]
		g.signal()
	}
}

// leave ends an admitted sequence: its memory goes to the queue.
func (sc *scheduler) leave(g *genSeq) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.kvUsed -= g.kv
	if g.decoding {
		g.decoding = false
		sc.decoding--
		sc.signal() // a step may be waiting for it
	}
	sc.admitQueued()
}

// prefill runs g.run (made by the caller) in pieces between decode steps and returns
// the next-token logits.
func (sc *scheduler) prefill(g *genSeq) ([]float32, error) {
	sc.mu.Lock()
	sc.prefills = append(sc.prefills, g)
	sc.ensureRunning()
	sc.mu.Unlock()
	<-g.done
	return g.logits, g.err
}

// extend appends id to g's session in the next decode step and returns the logits.
func (sc *scheduler) extend(g *genSeq, id int) ([]float32, error) {
	sc.mu.Lock()
	g.id = id
	sc.ready = append(sc.ready, g)
	sc.ensureRunning()
	sc.mu.Unlock()
	<-g.done
	return g.logits, g.err
}

// loop runs until no sequence is left.
func (sc *scheduler) loop() {
	prefillTurn, waited := false, false
	var deadline time.Time // of the current wait for sampling sequences
	for {
		sc.mu.Lock()
		nReady, hasPrefill := len(sc.ready), len(sc.prefills) > 0
		if nReady == 0 && !hasPrefill {
			if sc.decoding == 0 {
				sc.running = false
				sc.mu.Unlock()
				return
			}
			sc.mu.Unlock()
			<-sc.kick // sequences are sampling their next token
			continue
		}
		if nReady > 0 && nReady < sc.decoding && !waited && !(hasPrefill && prefillTurn) {
			// Give the sequences that are still sampling a moment to join this step.
			sc.mu.Unlock()
			now := time.Now()
			if deadline.IsZero() {
				deadline = now.Add(min(5*time.Millisecond, max(500*time.Microsecond, sc.lastStep/4)))
			}
			if !now.Before(deadline) {
				waited = true
				continue
			}
			sc.timer.Reset(deadline.Sub(now))
			select {
			case <-sc.kick:
			case <-sc.timer.C:
			}
			if !sc.timer.Stop() {
				select {
				case <-sc.timer.C:
				default:
				}
			}
			continue
		}
		if hasPrefill && (prefillTurn || nReady == 0) {
			g := sc.prefills[0]
			others := nReady > 0 || sc.decoding > 0
			sc.mu.Unlock()
			finished := sc.prefillTurn(g, others)
			sc.mu.Lock()
			if finished {
				sc.prefills = sc.prefills[1:]
				if g.err == nil {
					g.decoding = true
					sc.decoding++
				}
				g.signal()
			}
			sc.mu.Unlock()
			prefillTurn = false
			continue
		}
		sc.step = append(sc.step[:0], sc.ready...)
		clear(sc.ready)
		sc.ready = sc.ready[:0]
		sc.steps++
		sc.rows += int64(len(sc.step))
		sc.mu.Unlock()
		sc.decodeStep()
		prefillTurn, waited, deadline = true, false, time.Time{}
	}
}

// prefillTurn runs pieces of g's prefill: all of it when nobody decodes, otherwise
// until prefillShare decode steps' time has passed. It reports whether g is done
// (prefilled, failed or cancelled).
func (sc *scheduler) prefillTurn(g *genSeq, others bool) bool {
	m := sc.m
	m.mu.Lock()
	defer m.mu.Unlock()
	if !others {
		// Nobody waits for this turn (no sequence can start decoding before it ends):
		// the rest of the prefill in the largest pieces, as Session.Prefill runs it.
		g.run.whole()
	}
	t0 := time.Now()
	for {
		if err := g.ctx.Err(); err != nil {
			g.err = err
			g.s.prefilling = false
			return true
		}
		g.run.unit()
		if g.run.done() {
			g.logits = append(g.logits[:0], g.run.logits...)
			g.run = nil
			return true
		}
		if others && time.Since(t0) >= prefillShare*sc.lastStep {
			return false
		}
	}
}

// decodeStep runs one Batch step for the sequences in sc.step.
func (sc *scheduler) decodeStep() {
	m := sc.m
	sc.sessions, sc.ids = sc.sessions[:0], sc.ids[:0]
	for _, g := range sc.step {
		sc.sessions = append(sc.sessions, g.s)
		sc.ids = append(sc.ids, g.id)
	}
	t0 := time.Now()
	m.mu.Lock()
	logits := sc.batch.extend(sc.sessions, sc.ids)
	m.mu.Unlock()
	sc.lastStep = time.Since(t0)
	V := m.lmHead.Rows
	for i, g := range sc.step {
		g.logits = append(g.logits[:0], logits[i*V:(i+1)*V]...)
		g.signal()
	}
	clear(sc.step)
	clear(sc.sessions)
}
