package infer

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pgedge/pgedge/internal/refset"
)

func openDemoModel(t *testing.T, opts Options) *Model {
	t.Helper()
	root, err := refset.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if opts.Threads == 0 {
		opts.Threads = 2
	}
	m, err := Open(filepath.Join(root, "testdata", "demo", "pg2-tiny-int8.pge"), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// genCase is one Generate call of the scheduler tests.
type genCase struct {
	pixels []float32
	ids    []int
	opts   GenerateOptions
}

func genCases(m *Model) []genCase {
	cfg := m.Config
	px := testPixels(cfg)
	px2 := make([]float32, len(px))
	for i := range px2 {
		px2[i] = -px[len(px)-1-i]
	}
	p := func(text ...int) []int { return PromptIDs(cfg, text, NewlineID, true) }
	return []genCase{
		{px, p(236, 573), GenerateOptions{MaxTokens: 20}},
		{px2, p(236, 573, 44, 45, 46), GenerateOptions{MaxTokens: 14}},
		{nil, PromptIDs(cfg, []int{300, 301}, NewlineID, false), GenerateOptions{MaxTokens: 25}},
		{px, p(12), GenerateOptions{MaxTokens: 9, Sampler: SamplerOptions{Temperature: 0.9, Seed: 4}}},
		{px2, p(99, 98, 97), GenerateOptions{MaxTokens: 30}},
		{px, p(5, 6, 7, 8, 9, 10, 11), GenerateOptions{MaxTokens: 17, Sampler: SamplerOptions{Temperature: 1.1, TopK: 40, Seed: 8}}},
	}
}

// TestSchedulerMatchesAlone: concurrent Generate calls share decode steps and give
// each the tokens it gets alone.
func TestSchedulerMatchesAlone(t *testing.T) {
	m := openDemoModel(t, Options{})
	cases := genCases(m)
	alone := make([][]int, len(cases))
	for i, c := range cases {
		out, _, err := m.Generate(context.Background(), c.pixels, c.ids, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = out
	}
	before := m.BatchStats()
	for round := 0; round < 2; round++ {
		got := make([][]int, len(cases))
		var wg sync.WaitGroup
		for i, c := range cases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, _, err := m.Generate(context.Background(), c.pixels, c.ids, c.opts)
				if err != nil {
					t.Error(err)
				}
				got[i] = out
			}()
		}
		wg.Wait()
		for i := range cases {
			if !equalInts(got[i], alone[i]) {
				t.Errorf("round %d call %d: %v concurrently, %v alone", round, i, got[i], alone[i])
			}
		}
	}
	st := m.BatchStats()
	steps, rows := st.Steps-before.Steps, st.Rows-before.Rows
	t.Logf("%d decode steps of %.2f sequences on average", steps, float64(rows)/float64(steps))
	if rows < steps*3/2 {
		t.Errorf("concurrent calls were not batched: %d tokens in %d steps", rows, steps)
	}
	if st.Decoding != 0 || st.Prefill != 0 || st.Queued != 0 || st.KVBytes != 0 {
		t.Errorf("after the calls the scheduler holds %+v", st)
	}
}

// TestSchedulerCancel: a sequence cancelled mid-way leaves the batch within a step
// and the others are unaffected; a call waiting for KV memory can be cancelled too.
func TestSchedulerCancel(t *testing.T) {
	m := openDemoModel(t, Options{})
	cases := genCases(m)[:3]
	alone := make([][]int, len(cases))
	for i, c := range cases {
		out, _, err := m.Generate(context.Background(), c.pixels, c.ids, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = out
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make([][]int, len(cases))
	errs := make([]error, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cctx, o := context.Background(), c.opts
			if i == 1 {
				cctx = ctx
				n := 0
				o.OnToken = func(int) error {
					if n++; n == 4 {
						cancel()
					}
					return nil
				}
			}
			got[i], _, errs[i] = m.Generate(cctx, c.pixels, c.ids, o)
		}()
	}
	wg.Wait()
	if !errors.Is(errs[1], context.Canceled) || len(got[1]) != 4 || !equalInts(got[1], alone[1][:4]) {
		t.Errorf("cancelled call: %v, %v; want context.Canceled after 4 tokens of %v", got[1], errs[1], alone[1])
	}
	for _, i := range []int{0, 2} {
		if errs[i] != nil || !equalInts(got[i], alone[i]) {
			t.Errorf("call %d: %v %v, alone %v", i, got[i], errs[i], alone[i])
		}
	}

	// Only one sequence fits: the second waits in the queue until cancelled.
	one := openDemoModel(t, Options{KVMemory: 1})
	started := make(chan struct{})
	release, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		o := cases[0].opts
		o.OnToken = func(id int) error {
			select {
			case <-started:
			default:
				close(started)
				<-release // hold the model's only slot
			}
			return nil
		}
		one.Generate(context.Background(), cases[0].pixels, cases[0].ids, o)
	}()
	<-started
	qctx, qcancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer qcancel()
	_, _, err := one.Generate(qctx, cases[1].pixels, cases[1].ids, cases[1].opts)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("queued call: %v, want context.DeadlineExceeded", err)
	}
	if st := one.BatchStats(); st.Queued != 0 || st.Decoding != 1 {
		t.Errorf("after the queued call left: %+v", st)
	}
	close(release)
	<-finished
}

// TestSchedulerKVLimit: the KV memory limit decides how many sequences run at once.
func TestSchedulerKVLimit(t *testing.T) {
	probe := openDemoModel(t, Options{})
	cases := genCases(probe)
	var need []int64
	var limit int64
	for _, c := range cases {
		need = append(need, probe.KVBytes(len(c.ids)+c.opts.MaxTokens))
	}
	limit = need[0] + need[1] // room for about two
	m := openDemoModel(t, Options{KVMemory: limit})
	if m.KVMemory() != limit {
		t.Fatalf("KVMemory %d, want %d", m.KVMemory(), limit)
	}
	alone := make([][]int, len(cases))
	for i, c := range cases {
		out, _, err := m.Generate(context.Background(), c.pixels, c.ids, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = out
	}
	var mu sync.Mutex
	maxRunning := 0
	got := make([][]int, len(cases))
	var wg sync.WaitGroup
	for i, c := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := c.opts
			o.OnToken = func(int) error {
				st := m.BatchStats()
				mu.Lock()
				defer mu.Unlock()
				maxRunning = max(maxRunning, st.Decoding+st.Prefill)
				if st.KVBytes > limit {
					t.Errorf("KV memory %d over the limit %d", st.KVBytes, limit)
				}
				return nil
			}
			out, _, err := m.Generate(context.Background(), c.pixels, c.ids, o)
			if err != nil {
				t.Error(err)
			}
			got[i] = out
		}()
	}
	wg.Wait()
	for i := range cases {
		if !equalInts(got[i], alone[i]) {
			t.Errorf("call %d: %v, alone %v", i, got[i], alone[i])
		}
	}
	if maxRunning > 3 || maxRunning < 1 {
		t.Errorf("up to %d sequences ran at once under a limit of about two caches", maxRunning)
	}
	t.Logf("limit %d bytes (caches of %v): up to %d sequences at once", limit, need, maxRunning)
}
