package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/pgedge/pgedge"
)

// genRequest is what every API's decoder produces: a library request, the stop
// strings, and whether it streams.
type genRequest struct {
	req   pgedge.Request
	stops []string
}

// genResult is a finished generation as the APIs answer it.
type genResult struct {
	res    *pgedge.Result
	text   string // res.Text, cut before a stop string
	finish string // "stop" or "length"
	queue  time.Duration
	// evalTime is the time spent generating after the prefill (measured here: the
	// timings do not carry it).
	evalTime time.Duration
}

// check validates a request against the model without running it: the prompt, the
// image, the token limits. It runs before the request waits for a slot.
func (s *Server) check(g *genRequest) (*pgedge.Model, error) {
	m, inf, _ := s.loaded()
	if m == nil {
		return nil, errNotLoaded
	}
	req := &g.req
	if req.MaxTokens < 0 {
		return nil, badParam("max_tokens", "max_tokens must not be negative, got %d", req.MaxTokens)
	}
	limit := s.cfg.MaxTokensLimit
	if limit <= 0 || (inf.Context > 0 && limit > inf.Context) {
		limit = inf.Context
	}
	if limit > 0 && req.MaxTokens > limit {
		return nil, badParam("max_tokens", "max_tokens %d is above this server's limit of %d", req.MaxTokens, limit)
	}
	ids, err := m.Prompt(req)
	if err != nil {
		return nil, err
	}
	if inf.Context > 0 && len(ids) >= inf.Context {
		return nil, fmt.Errorf("%w: the prompt has %d tokens (the image's included); the context holds %d",
			pgedge.ErrPromptTooLong, len(ids), inf.Context)
	}
	if req.MaxTokens == 0 && limit > 0 {
		// The task's default, bounded by the server's limit.
		if d := defaultMaxTokens(req.Task); d > limit {
			req.MaxTokens = limit
		}
	}
	for _, st := range g.stops {
		if st == "" {
			return nil, badParam("stop", "a stop string is empty")
		}
	}
	return m, nil
}

func defaultMaxTokens(t pgedge.Task) int {
	if t == pgedge.Detect || t == pgedge.Segment {
		return pgedge.DefaultMaxTokensObject
	}
	return pgedge.DefaultMaxTokens
}

// generate runs a checked request in a slot. onText, when set, receives the text as
// it is generated (cut before a stop string); its error (the client is gone) ends the
// generation. The context ends it too, within one decode step.
func (s *Server) generate(r *http.Request, m *pgedge.Model, g *genRequest, onText func(string) error) (*genResult, error) {
	rec := info(r)
	ctx, cancel := s.genContext(r)
	defer cancel()
	t0 := time.Now()
	if err := s.slots.acquire(ctx); err != nil {
		if err == errQueueFull {
			s.metrics.rejected.Inc()
		}
		return nil, s.ctxErr(r, err)
	}
	defer s.slots.release()
	out := &genResult{queue: time.Since(t0)}
	rec.queue = out.queue

	st := &stopper{stops: g.stops, emit: onText}
	var last time.Time
	req := g.req
	req.Stream = func(piece string) error {
		now := time.Now()
		if last.IsZero() {
			rec.ttft = now.Sub(rec.start)
			s.metrics.ttft.Observe(rec.ttft.Seconds())
		} else {
			s.metrics.perToken.Observe(now.Sub(last).Seconds())
		}
		last = now
		return st.add(piece)
	}
	tg := time.Now()
	res, err := m.Generate(ctx, req)
	wall := time.Since(tg)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, errClientGone) {
			s.metrics.cancelled.Inc()
		}
		return nil, s.ctxErr(r, err)
	}
	if err := st.flush(); err != nil {
		return nil, s.ctxErr(r, err)
	}
	out.res = res
	tm := res.Timings
	out.evalTime = max(0, wall-time.Duration((tm.PrefillMS+tm.ImageMS+tm.ObjectsMS)*float64(time.Millisecond)))
	out.text, out.finish = res.Text, res.FinishReason
	if st.stopped {
		out.text, out.finish = st.text.String(), "stop"
	}
	rec.generated = true
	rec.promptTokens, rec.genTokens, rec.finish = res.PromptTokens, len(res.Tokens), out.finish
	s.metrics.prompt.Add(float64(res.PromptTokens))
	s.metrics.generated.Add(float64(len(res.Tokens)))
	return out, nil
}

// errClientGone is returned by a stream callback whose write failed.
var errClientGone = errors.New("client gone")

// ctxErr notes in the log line when the client went away.
func (s *Server) ctxErr(r *http.Request, err error) error {
	if r.Context().Err() != nil || errors.Is(err, errClientGone) {
		info(r).clientGone = true
	}
	return err
}

// genContext is the request's context (ended by a client disconnect), bounded by the
// request timeout and ended by the server's stop.
func (s *Server) genContext(r *http.Request) (context.Context, context.CancelFunc) {
	ctx := r.Context()
	var cancels []context.CancelFunc
	if s.cfg.RequestTimeout > 0 {
		var c context.CancelFunc
		ctx, c = context.WithDeadline(ctx, info(r).start.Add(s.cfg.RequestTimeout))
		cancels = append(cancels, c)
	}
	ctx, c := context.WithCancel(ctx)
	stop := context.AfterFunc(s.stop, c)
	return ctx, func() {
		stop()
		c()
		for _, c := range cancels {
			c()
		}
	}
}

// stopper cuts the generated text before the first stop string, holding back the
// tail that could be the start of one, and passes the rest to emit.
type stopper struct {
	stops   []string
	emit    func(string) error
	pending string
	text    strings.Builder // what was passed on
	stopped bool
}

func (st *stopper) add(piece string) error {
	if st.stopped {
		return pgedge.ErrStop
	}
	if len(st.stops) == 0 {
		return st.send(piece)
	}
	buf := st.pending + piece
	cut := -1
	for _, s := range st.stops {
		if i := strings.Index(buf, s); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut >= 0 {
		st.pending = ""
		st.stopped = true
		if err := st.send(buf[:cut]); err != nil {
			return err
		}
		return pgedge.ErrStop
	}
	hold := 0
	for _, s := range st.stops {
		for n := min(len(s)-1, len(buf)); n > hold; n-- {
			if strings.HasSuffix(buf, s[:n]) {
				hold = n
				break
			}
		}
	}
	st.pending = buf[len(buf)-hold:]
	return st.send(buf[:len(buf)-hold])
}

func (st *stopper) flush() error {
	p := st.pending
	st.pending = ""
	return st.send(p)
}

func (st *stopper) send(s string) error {
	if s == "" {
		return nil
	}
	st.text.WriteString(s)
	if st.emit == nil {
		return nil
	}
	if err := st.emit(s); err != nil {
		return errClientGone
	}
	return nil
}
