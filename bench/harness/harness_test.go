package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/tokenizer"
)

func TestPromptIDs(t *testing.T) {
	cfg, _ := model.Preset("pg2-tiny")
	n := cfg.NumImageTokens()
	for _, k := range []int{1, 2, 3, 10} {
		ids := PromptIDs(cfg, k)
		if len(ids) != n+k {
			t.Fatalf("%d prompt tokens: %d ids, want %d", k, len(ids), n+k)
		}
		if ids[n] != cfg.BOS {
			t.Errorf("%d prompt tokens: first is %d, want <bos>", k, ids[n])
		}
		for _, id := range ids[n:] {
			if id == cfg.ImageTokenIndex || id < 0 || id >= infer.SampleLimit(cfg) {
				t.Errorf("prompt id %d", id)
			}
		}
	}
	if got := AutoProbeBytes(1 << 40); got != maxProbeBytes {
		t.Errorf("probe for a huge model: %d", got)
	}
	if got := AutoProbeBytes(1000); got != minProbeBytes {
		t.Errorf("probe for a tiny model: %d", got)
	}
	if got := AutoProbeBytes(100 << 20); got != 200<<20 {
		t.Errorf("probe for 100 MiB of weights: %d", got)
	}
}

// TestPromptsWithoutTokenizer: fixed id prompts by default, id lines from --prompts.
func TestPromptsWithoutTokenizer(t *testing.T) {
	cfg, _ := model.Preset("pg2-tiny")
	ps, err := Prompts("", cfg, nil)
	if err != nil || len(ps) != 3 {
		t.Fatalf("built-in id prompts: %v, %v", ps, err)
	}
	for _, p := range ps {
		if p.IDs[0] != cfg.BOS || p.Text != "" {
			t.Errorf("id prompt %v", p)
		}
	}
	f := filepath.Join(t.TempDir(), "p.txt")
	os.WriteFile(f, []byte("2, 500, 108\n"), 0o644)
	if ps, err := Prompts(f, cfg, nil); err != nil || len(ps) != 1 || len(ps[0].IDs) != 3 {
		t.Errorf("id lines: %v, %v", ps, err)
	}
	os.WriteFile(f, []byte("caption en\n"), 0o644)
	if _, err := Prompts(f, cfg, nil); err == nil || !strings.Contains(err.Error(), "token ids") {
		t.Errorf("text line without a tokenizer: %v", err)
	}
}

// TestBoxesOf decodes <loc> detections the way eval matches them.
func TestBoxesOf(t *testing.T) {
	cfg, _ := model.Preset("pg2-tiny")
	b, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: cfg.Text.VocabSize, ImageToken: cfg.ImageTokenIndex})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.FromBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	ids := tok.Encode("<loc0102><loc0204><loc0512><loc0818> cat ; <loc0900><loc0900><loc0100><loc0100> bad")
	ids = append(ids, cfg.EOS)
	boxes := BoxesOf(tok, cfg, ids, 640, 480)
	if len(boxes) != 1 {
		t.Fatalf("boxes %+v, want the one valid box", boxes)
	}
	got := boxes[0]
	want := bench.Box{YMin: 102.0 / 1023, XMin: 204.0 / 1023, YMax: 512.0 / 1023, XMax: 818.0 / 1023, Label: "cat"}
	if got != want {
		t.Errorf("box %+v, want %+v", got, want)
	}
	ev := bench.NewEval(0)
	ev.AddBoxes(boxes, boxes)
	ev.AddPositions([][]float32{{1, 2}}, [][]float32{{1, 2}}, []int{1})
	ev.AddGreedy(ids, ids)
	rep, err := ev.Report()
	if err != nil || rep.BoxIoUMean == nil || *rep.BoxIoUMean != 1 {
		t.Errorf("self IoU: %v %v", rep.BoxIoUMean, err)
	}
}
