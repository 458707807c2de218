package infer

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// batchSeq is one sequence of a batched-decoding test: its prompt, how many tokens it
// decodes and at which step of the batch it joins.
type batchSeq struct {
	pixels []float32
	ids    []int
	n      int
	join   int
	pieces int // prefill in pieces of this many rows (0: in one go)
}

// aloneRun decodes a sequence by itself: its greedy tokens and the logits each came from.
func aloneRun(t *testing.T, m *Model, q batchSeq) (toks []int, logits [][]float32) {
	t.Helper()
	s, err := m.NewSession(len(q.ids) + q.n)
	if err != nil {
		t.Fatal(err)
	}
	l, err := s.Prefill(q.pixels, q.ids, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < q.n; i++ {
		logits = append(logits, append([]float32(nil), l...))
		id := Greedy(m.Config, l)
		toks = append(toks, id)
		if i+1 < q.n {
			if l, err = s.Extend(id); err != nil {
				t.Fatal(err)
			}
		}
	}
	return toks, logits
}

// testBatchMatchesAlone runs seqs through one Batch, each joining at its step and
// leaving when done, and checks every step's logits and greedy token against the
// sequence decoded alone.
func testBatchMatchesAlone(t *testing.T, m *Model, seqs []batchSeq, exact bool) {
	type state struct {
		s      *Session
		logits []float32
		toks   []int
		rows   int // of the step that computed logits (0: the prefill)
	}
	quantized := m.DecoderDType() == quant.Q8 || m.DecoderDType() == quant.Q4
	// Q8 or Q4 decoder weights in panels: every step, of any size, gives each
	// sequence the same bits as decoding it alone (simd.GemmQ8Panels,
	// simd.GemmQ4Panels).
	panels := quantized && m.layers[0].q.panels && m.layers[0].down.panels
	want := make([][]int, len(seqs))
	wantLogits := make([][][]float32, len(seqs))
	for i, q := range seqs {
		want[i], wantLogits[i] = aloneRun(t, m, q)
	}
	bt := m.NewBatch()
	bt.Exact = exact
	st := make([]*state, len(seqs))
	var worst float64
	maxB := 0
	for step := 0; ; step++ {
		// Joins: prefill (in one go or in pieces, as the scheduler does).
		for i, q := range seqs {
			if q.join != step {
				continue
			}
			s, err := m.NewSession(len(q.ids) + q.n)
			if err != nil {
				t.Fatal(err)
			}
			var l []float32
			if q.pieces > 0 {
				p, err := s.newPrefillRun(q.pixels, nil, q.ids, false, q.pieces)
				if err != nil {
					t.Fatal(err)
				}
				units := 0
				for !p.done() {
					m.mu.Lock()
					p.unit()
					m.mu.Unlock()
					units++
				}
				if units < 3*len(m.layers)+1 {
					t.Errorf("sequence %d: a prefill in pieces of %d rows ran %d pieces", i, q.pieces, units)
				}
				l = p.logits
			} else if l, err = s.Prefill(q.pixels, q.ids, false); err != nil {
				t.Fatal(err)
			}
			st[i] = &state{s: s, logits: append([]float32(nil), l...)}
		}
		var sessions []*Session
		var ids, who []int
		left := false
		for i, x := range st {
			if x == nil || len(x.toks) == seqs[i].n {
				left = left || x == nil
				continue
			}
			// Check the logits this token comes from against decoding alone.
			k := len(x.toks)
			d, r := rowError(x.logits, wantLogits[i][k])
			worst = math.Max(worst, d/r)
			switch {
			case (exact || panels) && x.rows > 0 && d != 0:
				t.Errorf("sequence %d token %d (step of %d rows, exact %v, panels %v): batched logits differ from alone by %.3g (max %.3g), want identical", i, k, x.rows, exact, panels, d, r)
			case (x.rows == 1 || !quantized && x.rows <= rowwiseMax) && d > 1e-5*r:
				// A one-row step runs the one-row kernels, and so does a float model's
				// step of up to rowwiseMax rows; a prefill in pieces has pieces of at
				// least 8 rows: at most the rounding of a float kernel's different row
				// count.
				t.Errorf("sequence %d token %d (step of %d rows): batched logits differ from alone by %.3g (max %.3g)", i, k, x.rows, d, r)
			case !quantized && d > 2e-4*r, d > 0.05*r:
				// The few-row kernels' lane-wise float accumulation, and the GEMM's,
				// differ in order from the one-row GEMV's; with W8A8 an activation can
				// then round to the next int8 code, which tiny random models amplify.
				t.Errorf("sequence %d token %d: batched logits differ from alone by %.3g (max %.3g)", i, k, d, r)
			}
			id := Greedy(m.Config, x.logits)
			x.toks = append(x.toks, id)
			if len(x.toks) < seqs[i].n {
				sessions, ids, who = append(sessions, x.s), append(ids, id), append(who, i)
			}
		}
		if len(sessions) == 0 {
			if !left {
				break
			}
			continue
		}
		maxB = max(maxB, len(sessions))
		out, err := bt.Extend(sessions, ids)
		if err != nil {
			t.Fatal(err)
		}
		V := m.lmHead.Rows
		for r, i := range who {
			st[i].logits = append(st[i].logits[:0], out[r*V:(r+1)*V]...)
			st[i].rows = len(who)
		}
	}
	for i := range seqs {
		if st[i] == nil {
			t.Fatalf("sequence %d never joined", i)
		}
		if !equalInts(st[i].toks, want[i]) {
			t.Errorf("sequence %d: batched greedy tokens %v, alone %v", i, st[i].toks, want[i])
		}
	}
	t.Logf("%d sequences, up to %d per step; worst logit difference %.2g of the row's max", len(seqs), maxB, worst)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// batchSeqs makes six ragged sequences from one image and prompt: longer and shorter
// prompts, one without the image, joining at different steps, some prefilled in
// pieces, decoding different numbers of tokens (up to six at once, so both the
// one-row kernels and the GEMM path run).
func batchSeqs(cfg *model.Config, pixels []float32, ids []int) []batchSeq {
	text := ids[cfg.NumImageTokens():] // <bos> prompt "\n"
	longer := append(append([]int(nil), ids[:len(ids)-1]...), 1000%cfg.Text.VocabSize, ids[len(ids)-1])
	return []batchSeq{
		{pixels: pixels, ids: ids, n: 12, join: 0},
		{pixels: pixels, ids: longer, n: 9, join: 0, pieces: 16},
		{ids: text, n: 7, join: 2},
		{pixels: pixels, ids: ids, n: 6, join: 3, pieces: 9},
		{pixels: pixels, ids: longer, n: 10, join: 3},
		{ids: append(append([]int(nil), text...), 7, 9), n: 8, join: 5, pieces: 1},
	}
}

// TestBatchMatchesAlone: a batched decode step gives every sequence the logits (to
// float rounding) and greedy tokens of decoding it alone, with sequences joining and
// leaving mid-way at different positions, for each reference case and storage type.
func TestBatchMatchesAlone(t *testing.T) {
	cases, err := refset.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range cases {
		for _, dt := range []quant.Type{quant.F32, quant.Q8, quant.Q4} {
			t.Run(rc.Name+"/"+dt.String(), func(t *testing.T) {
				m := convertCase(t, rc.Dir, convert.DefaultPolicy(dt))
				var in refInput
				readJSON(t, filepath.Join(rc.Dir, "input.json"), &in)
				testBatchMatchesAlone(t, m, batchSeqs(m.Config, in.PixelValues, in.InputIDs), false)
				testBatchMatchesAlone(t, m, batchSeqs(m.Config, in.PixelValues, in.InputIDs), true)
			})
		}
	}
}

// TestBatchDemoModel: the same on the demo model shipped in testdata.
func TestBatchDemoModel(t *testing.T) {
	root, err := refset.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Open(filepath.Join(root, "testdata", "demo", "pg2-tiny-int8.pge"), Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for _, exact := range []bool{false, true} {
		testBatchMatchesAlone(t, m, batchSeqs(m.Config, testPixels(m.Config), PromptIDs(m.Config, []int{236, 573, 3, 44}, NewlineID, true)), exact)
	}
}

// testPixels is a smooth synthetic image in [-1, 1].
func testPixels(cfg *model.Config) []float32 {
	v := cfg.Vision
	px := make([]float32, v.Channels*v.ImageSize*v.ImageSize)
	for i := range px {
		px[i] = float32(math.Sin(float64(i) * 0.013))
	}
	return px
}

// TestBatchChecks: a batch refuses what a step cannot take.
func TestBatchChecks(t *testing.T) {
	cases, _ := refset.Cases()
	rc := cases[len(cases)-1]
	m := convertCase(t, rc.Dir, convert.DefaultPolicy(quant.Q8))
	var in refInput
	readJSON(t, filepath.Join(rc.Dir, "input.json"), &in)
	a, _ := m.NewSession(len(in.InputIDs) + 1)
	fresh, _ := m.NewSession(8)
	if _, err := a.Prefill(in.PixelValues, in.InputIDs, false); err != nil {
		t.Fatal(err)
	}
	bt := m.NewBatch()
	for name, tc := range map[string]struct {
		s   []*Session
		ids []int
	}{
		"empty":       {nil, nil},
		"mismatch":    {[]*Session{a}, []int{1, 2}},
		"twice":       {[]*Session{a, a}, []int{1, 2}},
		"not prefill": {[]*Session{fresh}, []int{1}},
		"bad token":   {[]*Session{a}, []int{-1}},
	} {
		if _, err := bt.Extend(tc.s, tc.ids); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := bt.Extend([]*Session{a}, []int{5}); err != nil {
		t.Fatal(err)
	}
	if _, err := bt.Extend([]*Session{a}, []int{5}); err == nil {
		t.Error("a full session took a token")
	}
}

// TestBatchDoesNotAllocate: a batched decode step allocates nothing once its buffers
// have grown.
func TestBatchDoesNotAllocate(t *testing.T) {
	cases, _ := refset.Cases()
	rc := cases[len(cases)-1]
	for _, dt := range []quant.Type{quant.F32, quant.Q8, quant.Q4} {
		t.Run(dt.String(), func(t *testing.T) {
			m := convertCase(t, rc.Dir, convert.DefaultPolicy(dt))
			var in refInput
			readJSON(t, filepath.Join(rc.Dir, "input.json"), &in)
			var ss []*Session
			for i := 0; i < 5; i++ {
				s, err := m.NewSession(len(in.InputIDs) + 200)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Prefill(in.PixelValues, in.InputIDs[:len(in.InputIDs)-i%2], false); err != nil {
					t.Fatal(err)
				}
				ss = append(ss, s)
			}
			bt := m.NewBatch()
			ids := []int{5, 6, 7, 8, 9}
			bt.Extend(ss, ids) // grow the buffers once
			for _, b := range []int{5, 2, 4, -5} {
				bt.Exact = b < 0
				b = max(b, -b)
				allocs := testing.AllocsPerRun(20, func() {
					if _, err := bt.Extend(ss[:b], ids[:b]); err != nil {
						t.Fatal(err)
					}
				})
				if allocs != 0 {
					t.Errorf("a step of %d sequences allocates %.1f times", b, allocs)
				}
			}
		})
	}
}
