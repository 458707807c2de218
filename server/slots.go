package server

import (
	"context"
	"sync"
)

// slots admits generations: at most n run, at most queue wait (first come, first
// served), the rest are refused.
type slots struct {
	mu      sync.Mutex
	n       int
	busy    int
	queue   int
	waiting []chan struct{} // FIFO of waiters; a send hands a slot over
	m       *metrics
}

func newSlots(n, queue int, m *metrics) *slots { return &slots{n: n, queue: queue, m: m} }

func (s *slots) size() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *slots) resize(n int) {
	s.mu.Lock()
	s.n = n
	s.mu.Unlock()
	s.wake()
}

// wake hands free slots to waiters.
func (s *slots) wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.busy < s.n && len(s.waiting) > 0 {
		ch := s.waiting[0]
		s.waiting = s.waiting[1:]
		s.busy++
		close(ch)
	}
	s.gauges()
}

func (s *slots) gauges() {
	s.m.busy.Set(float64(s.busy))
	s.m.queued.Set(float64(len(s.waiting)))
	s.m.slotsG.Set(float64(s.n))
}

// acquire takes a slot, waiting in the queue if there is room; it returns
// errQueueFull when there is none, or ctx's error if ctx ends while waiting. A nil
// error must be followed by release.
func (s *slots) acquire(ctx context.Context) error {
	s.mu.Lock()
	if s.busy < s.n && len(s.waiting) == 0 {
		s.busy++
		s.gauges()
		s.mu.Unlock()
		return nil
	}
	if len(s.waiting) >= s.queue {
		s.mu.Unlock()
		return errQueueFull
	}
	ch := make(chan struct{})
	s.waiting = append(s.waiting, ch)
	s.gauges()
	s.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	for i, c := range s.waiting {
		if c == ch {
			s.waiting = append(s.waiting[:i:i], s.waiting[i+1:]...)
			s.gauges()
			s.mu.Unlock()
			return ctx.Err()
		}
	}
	s.mu.Unlock()
	// The slot was handed over as ctx ended: give it back.
	s.release()
	return ctx.Err()
}

func (s *slots) release() {
	s.mu.Lock()
	s.busy--
	s.mu.Unlock()
	s.wake()
}
