package bench

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReadResults(t *testing.T) {
	b := sampleReport()
	b.Derive()
	e := EvalReport{Preset: "pg2-3b-224", Weights: "int8", RefWeights: "bf16", KLMean: 0.002, KLMax: 0.03,
		Top1Agreement: 0.98, GreedyMatchRate: 0.5, PPLRef: 2, PPLModel: 2.01, NPositions: 100, NSequences: 4}
	bj, _ := json.Marshal(b)
	ej, _ := json.MarshalIndent(e, "", "  ")
	batch := `{"preset":"pg2-tiny","rows":[{"batch":1}]}`
	res, err := ReadResults(strings.NewReader(string(bj)+"\n"+string(ej)+"\n"+batch+"\n"), "r.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Bench) != 1 || len(res.Eval) != 1 || res.Bench[0].ExtendBandwidthFraction != b.ExtendBandwidthFraction ||
		res.Eval[0].KLMean != 0.002 || len(res.Batch) != 1 || string(res.Batch[0]) != batch {
		t.Fatalf("read %+v", res)
	}
	base, err := res.Baseline("c")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gemm_peak_fraction", "kl_mean", "kl_max", "top1_agreement"} {
		if _, ok := base.Get("pg2-3b-224", "int8", name); !ok {
			t.Errorf("baseline lacks %s", name)
		}
	}
	if _, ok := base.Get("pg2-3b-224", "int8", "greedy_match_rate"); ok {
		t.Error("greedy_match_rate is gated")
	}

	// Filter keeps only what the predicate accepts.
	f := base.Filter(func(_, _, m string) bool { return IsBenchMetric(m) })
	if _, ok := f.Get("pg2-3b-224", "int8", "kl_mean"); ok {
		t.Error("Filter kept kl_mean")
	}
	if _, ok := f.Get("pg2-3b-224", "int8", "gemm_peak_fraction"); !ok {
		t.Error("Filter dropped gemm_peak_fraction")
	}

	// Repeated bench reports of one configuration combine by their median.
	slow, fast := b, b
	lo, hi := *b.GemmGops/2, *b.GemmGops*1.5
	slow.GemmGops, fast.GemmGops = &lo, &hi
	slow.Derive()
	fast.Derive()
	rep3 := Results{Bench: []BenchReport{slow, fast, b}}
	if got, err := rep3.Baseline(""); err != nil {
		t.Fatal(err)
	} else if m, _ := got.Get("pg2-3b-224", "int8", "gemm_peak_fraction"); m.Value != *b.GemmPeakFraction {
		t.Errorf("median of three reports: %v, want %v", m.Value, *b.GemmPeakFraction)
	}
	// ... but not across thread counts, and eval reports do not repeat.
	other := b
	other.Threads++
	if _, err := (Results{Bench: []BenchReport{b, other}}).Baseline(""); err == nil || !strings.Contains(err.Error(), "threads") {
		t.Errorf("two thread counts: %v", err)
	}
	res.Add(Results{Eval: []EvalReport{e}})
	if _, err := res.Baseline(""); err == nil || !strings.Contains(err.Error(), "two eval reports") {
		t.Errorf("duplicate eval: %v", err)
	}

	for _, tc := range []struct{ in, want string }{
		{`{"foo": 1}`, "neither a bench report"},
		{`[1, 2]`, "not a JSON object"},
		{`{"kl_mean": 0.1}`, "without preset and weights"},
		{`{"extend_tokens_per_s": 1, "preset": "p", "weights": "w", "tolerence": 1}`, "unknown field"},
		{`{"kl_mean": 0.1, `, "object 1"},
	} {
		if _, err := ReadResults(strings.NewReader(tc.in), "x"); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadResults(%s): %v, want %q", tc.in, err, tc.want)
		}
	}
}
