package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/bench/harness"
	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/infer"
)

// TestRunEvalLibrarySameTokens: pgedge run, pgedge eval's greedy generation and the
// library give the same tokens for the same greedy request — one prompt layout, one
// greedy rule.
func TestRunEvalLibrarySameTokens(t *testing.T) {
	const model, image = "../../testdata/demo/pg2-tiny-int8.pge", "../../testdata/reference/pg2-small/image_alt.png"
	m, err := pgedge.Open(model)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	img, err := pgedge.LoadImage(image)
	if err != nil {
		t.Fatal(err)
	}
	rgb, err := imageproc.DecodeFile(image)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"caption en", "detect cat ; dog", "answer en what is this?"} {
		stdout, _, err := pgRun(t, "--model", model, "--image", image, "--prompt", p, "--json", "--max-tokens", "40")
		if err != nil {
			t.Fatal(err)
		}
		var fromRun struct{ Tokens []int }
		if err := json.Unmarshal([]byte(stdout), &fromRun); err != nil {
			t.Fatal(err)
		}
		lib, err := m.Generate(context.Background(), pgedge.Request{Image: img, Prompt: p, MaxTokens: 40})
		if err != nil {
			t.Fatal(err)
		}
		ids, err := m.Prompt(&pgedge.Request{Image: img, Prompt: p})
		if err != nil {
			t.Fatal(err)
		}
		// eval builds its ids from the prompt text the same way (harness.Prompts).
		ps, err := harness.Prompts(writeLines(t, p), m.Config(), m.Tokenizer())
		if err != nil {
			t.Fatal(err)
		}
		if evalIDs := infer.WithImageSlots(m.Config(), ps[0].IDs, true); !slices.Equal(evalIDs, ids) {
			t.Fatalf("%q: eval lays out %v, the library %v", p, evalIDs, ids)
		}
		pixels := imageproc.Preprocess(rgb, m.Config().Vision.ImageSize)
		fromEval, err := harness.GreedyGenerate(m.Runtime(), pixels, ids, 40)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fromRun.Tokens, lib.Tokens) || !slices.Equal(fromEval, lib.Tokens) {
			t.Errorf("%q:\n run  %v\n eval %v\n lib  %v", p, fromRun.Tokens, fromEval, lib.Tokens)
		}
	}
}

// writeLines writes lines into a temporary file and returns its path.
func writeLines(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "lines.txt")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
