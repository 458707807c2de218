package infer

import (
	"math"
	"testing"

	"github.com/pgedge/pgedge/model"
)

// vocab is a config whose vocabulary has n ids, the last of them <image>, so that
// SampleLimit is n-1.
func vocab(n int) *model.Config {
	c := &model.Config{ImageTokenIndex: n - 1}
	c.Text.VocabSize = n
	return c
}

func TestSamplerGreedyAndLimit(t *testing.T) {
	logits := []float32{0.1, 2, -1, 5, 9} // id 4 is past the limit: never chosen
	s, err := NewSampler(SamplerOptions{}, vocab(5))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Sample(logits); got != 3 {
		t.Fatalf("greedy picked %d, want 3", got)
	}
	for _, o := range []SamplerOptions{{Temperature: 1, Seed: 1}, {Temperature: 5, TopP: 0.99, Seed: 2}, {Temperature: 0.7, TopK: 3, Seed: 3}} {
		s, _ := NewSampler(o, vocab(5))
		for i := 0; i < 2000; i++ {
			if got := s.Sample(logits); got >= 4 {
				t.Fatalf("%+v: sampled padding id %d", o, got)
			}
		}
	}
}

func TestSamplerTopKTopP(t *testing.T) {
	logits := []float32{1, 3, 2, 0}
	k1, _ := NewSampler(SamplerOptions{Temperature: 1, TopK: 1, Seed: 9}, vocab(5))
	p0, _ := NewSampler(SamplerOptions{Temperature: 1, TopP: 1e-9, Seed: 9}, vocab(5))
	for i := 0; i < 200; i++ {
		if k1.Sample(logits) != 1 || p0.Sample(logits) != 1 {
			t.Fatal("top-k 1 and a tiny top-p must act greedily")
		}
	}
	// top-k 2 only ever picks the two best ids, with frequencies near softmax.
	k2, _ := NewSampler(SamplerOptions{Temperature: 1, TopK: 2, Seed: 4}, vocab(5))
	counts := map[int]int{}
	const n = 20000
	for i := 0; i < n; i++ {
		counts[k2.Sample(logits)]++
	}
	if counts[0]+counts[3] != 0 {
		t.Fatalf("top-k 2 picked outside the top 2: %v", counts)
	}
	want := 1 / (1 + math.Exp(-1)) // p(id 1) among {3, 2}
	if got := float64(counts[1]) / n; math.Abs(got-want) > 0.02 {
		t.Fatalf("p(top) = %.3f, want %.3f", got, want)
	}
}

func TestSamplerSeedDeterministic(t *testing.T) {
	logits := make([]float32, 100)
	for i := range logits {
		logits[i] = float32(math.Sin(float64(i)))
	}
	a, _ := NewSampler(SamplerOptions{Temperature: 1, Seed: 42}, vocab(101))
	b, _ := NewSampler(SamplerOptions{Temperature: 1, Seed: 42}, vocab(101))
	for i := 0; i < 100; i++ {
		if a.Sample(logits) != b.Sample(logits) {
			t.Fatal("same seed gave different tokens")
		}
	}
}

func TestSamplerRejectsBadOptions(t *testing.T) {
	for _, o := range []SamplerOptions{{Temperature: -1}, {TopK: -2}, {TopP: 1.5}, {TopP: math.NaN()}, {Temperature: math.NaN()}, {Temperature: math.Inf(1)}} {
		if _, err := NewSampler(o, vocab(10)); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

// TestSamplerNeverImage: <image> inside the vocabulary (id 2 here) is never chosen,
// greedily or by sampling, even when it has the largest logit; this is the rule
// Greedy, pgedge run and pgedge eval share.
func TestSamplerNeverImage(t *testing.T) {
	cfg := &model.Config{ImageTokenIndex: 2}
	cfg.Text.VocabSize = 4
	logits := []float32{1, 0.5, 100, 0.9}
	if got := Greedy(cfg, logits); got != 0 {
		t.Fatalf("Greedy = %d, want 0", got)
	}
	for _, o := range []SamplerOptions{{}, {Temperature: 1, Seed: 1}, {Temperature: 3, TopK: 2, Seed: 2}, {Temperature: 2, TopP: 0.5, Seed: 3}} {
		s, err := NewSampler(o, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 500; i++ {
			if id := s.Sample(logits); id == 2 || id < 0 || id > 3 {
				t.Fatalf("%+v sampled %d", o, id)
			}
		}
	}
	cfg.ImageTokenIndex = 0 // <image> first: greedy starts from id 1
	if got := Greedy(cfg, []float32{9, 1, 2, 0}); got != 2 {
		t.Fatalf("Greedy with <image> = 0: %d, want 2", got)
	}
}
