package bench

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baseFixture is a baseline as CI would commit it: speed ratios for the tiny preset and
// accuracy for int8/int4 against f32.
func baseFixture(t *testing.T) Baseline {
	t.Helper()
	var b Baseline
	for _, s := range []struct {
		weights, name string
		v             float64
	}{
		{"int8", "extend_bandwidth_fraction", 0.91},
		{"int8", "generic_speedup", 5.0},
		{"int8", "kl_mean", 0.0020},
		{"int8", "kl_max", 0.05},
		{"int8", "top1_agreement", 0.99},
		{"int4", "kl_mean", 0.0300},
		{"int4", "top1_agreement", 0.95},
	} {
		if err := b.Set("pg2-tiny", s.weights, s.name, s.v); err != nil {
			t.Fatal(err)
		}
	}
	b.Version = BaselineVersion
	return b
}

// scaled returns a copy of b with one metric multiplied by f.
func scaled(b Baseline, weights, name string, f float64) Baseline {
	var c Baseline
	c.Version = b.Version
	for _, e := range b.Entries {
		for n, m := range e.Metrics {
			if e.Weights == weights && n == name {
				m.Value *= f
			}
			c.SetMetric(e.Preset, e.Weights, n, m)
		}
	}
	return c
}

func TestCompareIdenticalPasses(t *testing.T) {
	b := baseFixture(t)
	if regs := Compare(b, b); len(regs) != 0 {
		t.Errorf("baseline against itself: %v", regs)
	}
}

func TestCompareSlowdown(t *testing.T) {
	b := baseFixture(t)
	// A 20% slowdown of extend (fraction 0.91 → 0.728) must fail the gate.
	regs := Compare(b, scaled(b, "int8", "extend_bandwidth_fraction", 0.80))
	if len(regs) != 1 {
		t.Fatalf("20%% slowdown: %d regressions, want 1: %v", len(regs), regs)
	}
	want := "extend_bandwidth_fraction for pg2-tiny int8 fell from 0.91 to 0.728 (−20%, tolerance 10%)"
	if regs[0].Message != want {
		t.Errorf("message\n got %q\nwant %q", regs[0].Message, want)
	}
	if regs[0].Metric != "extend_bandwidth_fraction" || regs[0].Base != 0.91 || !near(regs[0].Cur, 0.728, 1e-12) {
		t.Errorf("regression fields: %+v", regs[0])
	}
	// A 2% slowdown is within tolerance.
	if regs := Compare(b, scaled(b, "int8", "extend_bandwidth_fraction", 0.98)); len(regs) != 0 {
		t.Errorf("2%% slowdown failed the gate: %v", regs)
	}
	// Same for the kernel speed ratio.
	if regs := Compare(b, scaled(b, "int8", "generic_speedup", 0.80)); len(regs) != 1 || !strings.Contains(regs[0].Message, "generic_speedup for pg2-tiny int8 fell from 5 to 4 (−20%") {
		t.Errorf("generic_speedup 20%% slower: %v", regs)
	}
	if regs := Compare(b, scaled(b, "int8", "generic_speedup", 0.98)); len(regs) != 0 {
		t.Errorf("generic_speedup 2%% slower: %v", regs)
	}
	// Faster is never a regression, however large.
	if regs := Compare(b, scaled(b, "int8", "generic_speedup", 3)); len(regs) != 0 {
		t.Errorf("a speed-up failed the gate: %v", regs)
	}
}

func TestCompareAccuracy(t *testing.T) {
	b := baseFixture(t)
	// KL is lower-is-better: 50% worse fails, with "rose".
	regs := Compare(b, scaled(b, "int4", "kl_mean", 1.5))
	if len(regs) != 1 || regs[0].Message != "kl_mean for pg2-tiny int4 rose from 0.03 to 0.045 (+50%, tolerance 10% or ±1e-05)" {
		t.Errorf("KL 50%% worse: %v", regs)
	}
	// 5% worse is within tolerance; halving KL is an improvement.
	if regs := Compare(b, scaled(b, "int4", "kl_mean", 1.05)); len(regs) != 0 {
		t.Errorf("KL 5%% worse: %v", regs)
	}
	if regs := Compare(b, scaled(b, "int4", "kl_mean", 0.5)); len(regs) != 0 {
		t.Errorf("KL halved: %v", regs)
	}
	// Agreement is higher-is-better with a 2% tolerance: 0.95 → 0.90 fails, → 0.94 passes.
	if regs := Compare(b, scaled(b, "int4", "top1_agreement", 0.90/0.95)); len(regs) != 1 || !strings.Contains(regs[0].Message, "top1_agreement for pg2-tiny int4 fell from 0.95 to 0.9 (−5%") {
		t.Errorf("agreement 0.95→0.90: %v", regs)
	}
	if regs := Compare(b, scaled(b, "int4", "top1_agreement", 0.94/0.95)); len(regs) != 0 {
		t.Errorf("agreement 0.95→0.94: %v", regs)
	}
}

func TestCompareNearZeroKL(t *testing.T) {
	// f32 against itself: KL 0. The absolute floor absorbs rounding; a real divergence fails
	// and is shown as an absolute change, since a percentage of 0 is meaningless.
	var b Baseline
	_ = b.Set("pg2-tiny", "f32", "kl_mean", 0)
	var cur Baseline
	_ = cur.Set("pg2-tiny", "f32", "kl_mean", 3e-7)
	if regs := Compare(b, cur); len(regs) != 0 {
		t.Errorf("rounding-level KL failed: %v", regs)
	}
	_ = cur.Set("pg2-tiny", "f32", "kl_mean", 0.002)
	regs := Compare(b, cur)
	if len(regs) != 1 || regs[0].Message != "kl_mean for pg2-tiny f32 rose from 0 to 0.002 (+0.002, tolerance 10% or ±1e-05)" {
		t.Errorf("KL 0 → 0.002: %v", regs)
	}
}

func TestCompareMissingAndBroken(t *testing.T) {
	b := baseFixture(t)
	var cur Baseline
	_ = cur.Set("pg2-tiny", "int8", "extend_bandwidth_fraction", 0.92)
	_ = cur.Set("pg2-tiny", "bf16", "extend_bandwidth_fraction", 0.5) // new: ignored
	regs := Compare(b, cur)
	if len(regs) != 6 {
		t.Fatalf("%d regressions, want 6 missing: %v", len(regs), regs)
	}
	for _, r := range regs {
		if !r.Missing || !strings.Contains(r.Message, "is missing from this run") {
			t.Errorf("not reported as missing: %+v", r)
		}
	}
	// Ordered by preset, weights, metric: int4 before int8.
	if regs[0].Weights != "int4" || regs[0].Metric != "kl_mean" {
		t.Errorf("order: first is %s %s", regs[0].Weights, regs[0].Metric)
	}
	nan := scaled(b, "int8", "kl_mean", 0)
	m, _ := nan.Get("pg2-tiny", "int8", "kl_mean")
	m.Value = math.NaN()
	nan.SetMetric("pg2-tiny", "int8", "kl_mean", m)
	if regs := Compare(b, nan); len(regs) != 1 || !strings.Contains(regs[0].Message, "is NaN") {
		t.Errorf("NaN metric: %v", regs)
	}
}

func TestUpdateKeepsTolerances(t *testing.T) {
	b := baseFixture(t)
	// A hand-widened tolerance must survive --update-baseline.
	_ = b.Set("pg2-tiny", "int8", "gemm_peak_fraction", 0.6)
	m, _ := b.Get("pg2-tiny", "int8", "gemm_peak_fraction")
	m.Tolerance = 0.25
	b.SetMetric("pg2-tiny", "int8", "gemm_peak_fraction", m)

	var cur Baseline
	r := sampleReport()
	r.Preset = "pg2-tiny"
	r.Derive() // gemm_peak_fraction 0.5
	cur.RecordBench(r)
	cur.RecordEval("pg2-tiny", "int4", EvalReport{KLMean: 0.02, KLMax: 0.1, Top1Agreement: 0.97})
	b.Update(cur)

	got, _ := b.Get("pg2-tiny", "int8", "gemm_peak_fraction")
	if !near(got.Value, 0.5, 1e-12) || got.Tolerance != 0.25 {
		t.Errorf("updated metric %+v, want value 0.5 with tolerance 0.25 kept", got)
	}
	if got, ok := b.Get("pg2-tiny", "int4", "kl_max"); !ok || got.Value != 0.1 || got.Better != LowerIsBetter {
		t.Errorf("new metric not taken in: %+v", got)
	}
	if got, _ := b.Get("pg2-tiny", "int8", "generic_speedup"); got.Value != 5 {
		t.Errorf("metric absent from the run was not kept: %+v", got)
	}
	// After the update the run passes its own gate on everything it measured (the kept
	// int8 accuracy metrics are, correctly, reported missing from this partial run).
	for _, r := range Compare(b, cur) {
		if !r.Missing {
			t.Errorf("after update: %v", r)
		}
	}
}

func TestSetUnknownMetric(t *testing.T) {
	var b Baseline
	if err := b.Set("p", "w", "tokens_per_s", 1); err == nil {
		t.Error("an unknown metric without a direction must be refused")
	}
}

func TestBaselineFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "baseline.json")
	b := baseFixture(t)
	_ = b.Set("pg1-tiny", "int8", "kl_mean", 0.001)
	b.Comment = "pgedge bench --synthetic pg2-tiny --update-baseline"
	if err := b.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if regs := Compare(b, got); len(regs) != 0 || len(got.Entries) != 3 || got.Entries[0].Preset != "pg1-tiny" {
		t.Errorf("round trip: %+v, %v", got, regs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Save left temporary files: %v", entries)
	}
	for _, bad := range []struct{ text, msg string }{
		{`{"version":1,"entries":[{"preset":"p","weights":"w","metrics":{"kl_mean":{"value":1,"better":"higher","tolerence":0.1}}}]}`, "tolerence"},
		{`{"version":1,"entries":[{"preset":"p","weights":"w","metrics":{"kl_mean":{"value":1,"better":"up","tolerance":0.1}}}]}`, "better"},
		{`{"version":2,"entries":[]}`, "version"},
		{`{"version":1,"entries":[{"preset":"p","weights":"w","metrics":{"kl_mean":{"value":1,"better":"lower","tolerance":-1}}}]}`, "tolerances"},
	} {
		if err := os.WriteFile(path, []byte(bad.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadBaseline(path); err == nil || !strings.Contains(err.Error(), bad.msg) {
			t.Errorf("LoadBaseline(%s): %v, want an error about %q", bad.text, err, bad.msg)
		}
	}
}
