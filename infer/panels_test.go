package infer

import (
	"path/filepath"
	"testing"

	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/simd"
)

// TestPanelLayout opens the INT8 demo model, and an INT4 conversion of a
// reference case, with their Q8 and Q4 weights packed into panels (at load,
// as on an AVX-512 VNNI host; elsewhere forced, with the kernels' Go twin)
// and in the file's row layout: the same embedding rows bit for bit (a
// lookup reads the panels), logits within the W8A8 bound of each other (the
// panel kernels sum in another order) and the same greedy tokens; a mapped
// file is never packed.
func TestPanelLayout(t *testing.T) {
	root, err := refset.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("int8", func(t *testing.T) {
		testPanelLayout(t, filepath.Join(root, "testdata", "demo", "pg2-tiny-int8.pge"), quant.Q8)
	})
	t.Run("int4", func(t *testing.T) {
		cases, err := refset.Cases()
		if err != nil {
			t.Fatal(err)
		}
		path := convertCaseFile(t, cases[len(cases)-1].Dir, "model.safetensors", convert.DefaultPolicy(quant.Q4))
		testPanelLayout(t, path, quant.Q4)
	})
}

func testPanelLayout(t *testing.T, path string, decoder quant.Type) {
	fast := simd.Q8PanelsFast()
	if decoder == quant.Q4 {
		fast = simd.Q4PanelsFast()
	}
	if !fast {
		t.Logf("no %s panel kernels on this CPU (%s): packing anyway, with the Go twin", decoder, simd.IntKernels())
		defer func() { packWithoutKernels = false }()
		packWithoutKernels = true
	}
	open := func(o Options) *Model {
		o.Threads = 2
		m, err := Open(path, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m
	}
	pm := open(Options{Load: compress.LoadMemory})
	rm := open(Options{Load: compress.LoadMemory, RowLayout: true})
	if got := open(Options{Load: compress.LoadMap}).Layout(); got != "rows" {
		t.Errorf("mapped file: layout %q, want rows", got)
	}
	if pm.Layout() != "panels" || rm.Layout() != "rows" {
		t.Fatalf("layouts %q and %q (RowLayout), want panels and rows", pm.Layout(), rm.Layout())
	}
	if !pm.embed.panels || !pm.layers[0].up.panels || pm.layers[0].up.DType != decoder {
		t.Fatalf("not packed: the embedding (%v, %s) or the first MLP's up-projection (%v, %s)", pm.embed.panels, pm.embed.DType, pm.layers[0].up.panels, pm.layers[0].up.DType)
	}
	a, b := make([]float32, pm.embed.Stride()), make([]float32, rm.embed.Stride())
	for _, r := range []int{0, 1, 15, 16, 17, pm.embed.Rows/2 + 3, pm.embed.Rows - 1} {
		ra, rb := pm.embed.Row(r, a), rm.embed.Row(r, b)
		for i := range ra {
			if ra[i] != rb[i] {
				t.Fatalf("embedding row %d [%d]: %v from the panels, %v from the rows", r, i, ra[i], rb[i])
			}
		}
	}
	ids := PromptIDs(pm.Config, []int{236, 573, 3, 44}, NewlineID, true)
	px := testPixels(pm.Config)
	var toks [2][]int
	var first [2][]float32
	for i, m := range []*Model{pm, rm} {
		s, err := m.NewSession(len(ids) + 8)
		if err != nil {
			t.Fatal(err)
		}
		l, err := s.Prefill(px, ids, false)
		if err != nil {
			t.Fatal(err)
		}
		first[i] = append([]float32(nil), l...)
		for range 8 {
			id := Greedy(m.Config, l)
			toks[i] = append(toks[i], id)
			if l, err = s.Append([]int{id}, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The bound of the batch tests' W8A8 few-row steps (batch_test.go): an
	// activation may round to the next int8 code, which a tiny random model
	// amplifies.
	if d, r := rowError(first[0], first[1]); d > 0.05*r {
		t.Errorf("prefill logits differ by %.3g (max %.3g) between the layouts", d, r)
	}
	if !equalInts(toks[0], toks[1]) {
		t.Errorf("greedy tokens %v with panels, %v with rows", toks[0], toks[1])
	}
	t.Logf("greedy tokens %v in both layouts", toks[0])
}
