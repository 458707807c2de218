package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/urfave/cli/v2"
)

// pgCmd runs `pgedge NAME args...` in-process with the bench and eval commands and
// returns stdout, stderr and the error main would print.
func pgCmd(t testing.TB, name string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	app := &cli.App{
		Name:            "pgedge",
		Commands:        []*cli.Command{benchCommand(), evalCommand()},
		HideHelpCommand: true,
		Writer:          &out,
		ErrWriter:       &errb,
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("pgedge %s %s panicked: %v", name, strings.Join(args, " "), r)
			}
		}()
		err = app.Run(append([]string{"pgedge", name}, args...))
	}()
	return out.String(), errb.String(), err
}

// tinyPGE writes a synthetic tiny preset at a weight type (seed 1, with a generated
// tokenizer) into dir, as `pgedge synth` does.
func tinyPGE(t testing.TB, dir, preset, weights string) string {
	t.Helper()
	cfg, err := model.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	d, err := quant.ParseType(weights)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: cfg.Text.VocabSize, ImageToken: cfg.ImageTokenIndex})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, preset+"-"+weights+".pge")
	if _, err := convert.Convert(path, cfg, convert.NewSynthetic(cfg, 1), convert.Options{Policy: convert.DefaultPolicy(d), Tokenizer: tok}); err != nil {
		t.Fatal(err)
	}
	return path
}

// quickBench are flags that keep a bench run of a tiny model to milliseconds.
var quickBench = []string{"--prompt-tokens", "3", "--gen-tokens", "2", "--repeat", "1", "--probe-mb", "1", "--probe-time", "1ms"}

// requiredBenchKeys are the fields `pgedge bench --json` promises.
var requiredBenchKeys = []string{"preset", "weights", "threads", "cpu", "kernels", "load", "load_ms", "vision_ms",
	"prefill_tokens", "prefill_tokens_per_s", "extend_tokens_per_s", "ttft_ms", "peak_rss_bytes",
	"extend_weight_bytes_per_token", "extend_gb_per_s", "read_bandwidth_gb_per_s",
	"extend_bandwidth_fraction", "spread"}

// decodeLines decodes one JSON object per line.
func decodeLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("output is not JSON objects: %v\n%s", err, s)
		}
		out = append(out, m)
	}
	return out
}

func TestBenchJSONSchema(t *testing.T) {
	args := append([]string{"--synthetic", "pg2-tiny", "--weights", "int8", "--threads", "1,2", "--json"}, quickBench...)
	stdout, stderr, err := pgCmd(t, "bench", args...)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr)
	}
	objs := decodeLines(t, stdout)
	if len(objs) != 2 {
		t.Fatalf("--threads 1,2 gave %d objects, want 2:\n%s", len(objs), stdout)
	}
	cfg, _ := model.Preset("pg2-tiny")
	for i, r := range objs {
		for _, k := range requiredBenchKeys {
			if _, ok := r[k]; !ok {
				t.Errorf("object %d lacks %q", i, k)
			}
		}
		if l := r["load"]; l != "memory" && l != "mmap" {
			t.Errorf("load = %v, want memory or mmap", l)
		}
		for _, k := range []string{"preset", "weights", "cpu", "kernels"} {
			if s, ok := r[k].(string); !ok || s == "" {
				t.Errorf("%s = %v, want a non-empty string", k, r[k])
			}
		}
		if r["preset"] != "pg2-tiny" || r["weights"] != "int8" || r["threads"] != float64(i+1) {
			t.Errorf("object %d: preset %v weights %v threads %v", i, r["preset"], r["weights"], r["threads"])
		}
		if want := float64(cfg.NumImageTokens() + 3); r["prefill_tokens"] != want {
			t.Errorf("prefill_tokens = %v, want %v (image tokens + 3)", r["prefill_tokens"], want)
		}
		for _, k := range []string{"load_ms", "vision_ms", "prefill_tokens_per_s", "extend_tokens_per_s", "ttft_ms",
			"peak_rss_bytes", "extend_weight_bytes_per_token", "extend_gb_per_s", "read_bandwidth_gb_per_s", "extend_bandwidth_fraction"} {
			if v, ok := r[k].(float64); !ok || !(v > 0) {
				t.Errorf("%s = %v, want a positive number", k, r[k])
			}
		}
		ext, bw := r["extend_gb_per_s"].(float64), r["read_bandwidth_gb_per_s"].(float64)
		if f := r["extend_bandwidth_fraction"].(float64); math.Abs(f-ext/bw) > 1e-9*f {
			t.Errorf("extend_bandwidth_fraction %v ≠ %v / %v", f, ext, bw)
		}
		sp, ok := r["spread"].(map[string]any)
		if !ok {
			t.Fatalf("spread is %T", r["spread"])
		}
		for _, k := range []string{"load_ms", "vision_ms", "prefill_tokens_per_s", "extend_tokens_per_s", "ttft_ms",
			"extend_gb_per_s", "read_bandwidth_gb_per_s", "extend_bandwidth_fraction"} {
			mm, ok := sp[k].(map[string]any)
			if !ok {
				t.Errorf("spread lacks %q", k)
				continue
			}
			lo, ok1 := mm["min"].(float64)
			hi, ok2 := mm["max"].(float64)
			if !ok1 || !ok2 || lo > hi {
				t.Errorf("spread.%s = %v, want {min ≤ max}", k, mm)
			}
			if v, ok := r[k].(float64); ok && k != "extend_bandwidth_fraction" && (v < lo*(1-1e-9) || v > hi*(1+1e-9)) {
				t.Errorf("%s = %v outside its spread %v", k, v, mm)
			}
		}
		// The report also decodes strictly into the library's type.
		b, _ := json.Marshal(r)
		if _, err := bench.ReadResults(bytes.NewReader(b), "out"); err != nil {
			t.Errorf("ReadResults: %v", err)
		}
	}
}

func TestBenchTableAndPlot(t *testing.T) {
	dir := t.TempDir()
	m := tinyPGE(t, dir, "pg1-tiny", "int4")
	plot := filepath.Join(dir, "speed.svg")
	stdout, stderr, err := pgCmd(t, "bench", append([]string{"--model", m, "--threads", "1", "--plot", plot}, quickBench...)...)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "| pg1-tiny") || !strings.Contains(stdout, "| int4") || !strings.Contains(stdout, "extend tok/s") {
		t.Errorf("table lacks the configuration:\n%s", stdout)
	}
	for _, p := range []string{plot, filepath.Join(dir, "speed-prefill.svg")} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte(`class="bar"`)) {
			t.Errorf("%s is not a bar chart", p)
		}
	}
}

func TestBenchFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "--model FILE or --synthetic PRESET"},
		{[]string{"--model", "x.pge", "--synthetic", "pg2-tiny"}, "not both"},
		{[]string{"--model", "x.pge", "--weights", "int4"}, "--weights applies to --synthetic"},
		{[]string{"--synthetic", "pg9-tiny"}, "unknown preset"},
		{[]string{"--synthetic", "pg2-tiny", "--weights", "int3"}, "unknown weight type"},
		{[]string{"--synthetic", "pg2-tiny", "--threads", "0"}, "--threads"},
		{[]string{"--synthetic", "pg2-tiny", "--gen-tokens", "0"}, "--gen-tokens"},
		{[]string{"--results", "missing-r.json"}, "missing-r.json"},
		{[]string{"--model", "missing-m.pge"}, "missing-m.pge"}, // an error, not a panic
		{[]string{"--model", "missing-m.pge", "--batch", "1,2"}, "missing-m.pge"},
		{[]string{"--results", "r.json", "--model", "x.pge", "--check-baseline", "b.json"}, "without --model"},
	} {
		_, _, err := pgCmd(t, "bench", tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("bench %v: error %v, want it to mention %q", tc.args, err, tc.want)
		}
	}
}

// TestBenchGate runs the gate as scripts/bench-gate does, on a smaller scale: bench and
// eval reports into files, --update-baseline, then --check-baseline passes on the same
// reports and fails on doctored baselines with a readable message.
func TestBenchGate(t *testing.T) {
	dir := t.TempDir()
	ref := tinyPGE(t, dir, "pg2-tiny", "f32")
	q8 := tinyPGE(t, dir, "pg2-tiny", "int8")
	var files []string
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, "--results", p)
	}
	out, stderr, err := pgCmd(t, "bench", append([]string{"--model", q8, "--threads", "1", "--json"}, quickBench...)...)
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr)
	}
	write("bench.json", out)
	out, stderr, err = pgCmd(t, "eval", "--ref", ref, "--model", q8, "--max-tokens", "3", "--threads", "1", "--json")
	if err != nil {
		t.Fatalf("eval: %v\n%s", err, stderr)
	}
	write("eval.json", out)

	// --results alone prints the saved reports as tables and plots them.
	plot := filepath.Join(dir, "saved.svg")
	out, stderr, err = pgCmd(t, "bench", append(files, "--plot", plot)...)
	if err != nil {
		t.Fatalf("--results: %v\n%s", err, stderr)
	}
	for _, want := range []string{"| pg2-tiny", "| int8", "KL mean"} {
		if !strings.Contains(out, want) {
			t.Errorf("--results output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(plot); err != nil {
		t.Errorf("--results --plot: %v", err)
	}

	basePath := filepath.Join(dir, "baseline.json")
	if _, stderr, err := pgCmd(t, "bench", append(files, "--update-baseline", basePath, "--baseline-comment", "test",
		"--tolerance", "gemm_peak_fraction=0.5")...); err != nil {
		t.Fatalf("--update-baseline: %v\n%s", err, stderr)
	}
	base, err := bench.LoadBaseline(basePath)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gemm_peak_fraction", "generic_speedup", "kl_mean", "kl_max", "top1_agreement"} {
		if _, ok := base.Get("pg2-tiny", "int8", name); !ok {
			t.Errorf("baseline lacks pg2-tiny int8 %s:\n%+v", name, base)
		}
	}
	if base.Comment != "test" {
		t.Errorf("comment %q", base.Comment)
	}
	if m, _ := base.Get("pg2-tiny", "int8", "gemm_peak_fraction"); m.Tolerance != 0.5 {
		t.Errorf("--tolerance gemm_peak_fraction=0.5 gave %v", m.Tolerance)
	}
	if m, _ := base.Get("pg2-tiny", "int8", "kl_mean"); m.Tolerance != bench.DefaultMetrics["kl_mean"].Tolerance {
		t.Errorf("kl_mean tolerance %v, want the default", m.Tolerance)
	}
	for _, bad := range []string{"kl_mean", "kl_mean=x", "nope=0.1"} {
		if _, _, err := pgCmd(t, "bench", append(files, "--update-baseline", basePath, "--tolerance", bad)...); err == nil ||
			!strings.Contains(err.Error(), "--tolerance") {
			t.Errorf("--tolerance %s: %v", bad, err)
		}
	}
	stdout, stderr, err := pgCmd(t, "bench", append(files, "--check-baseline", basePath)...)
	if err != nil {
		t.Fatalf("check against its own figures failed: %v\n%s%s", err, stdout, stderr)
	}
	if !strings.Contains(stderr, "within tolerance") || !strings.Contains(stdout, "kl_mean") {
		t.Errorf("passing check printed:\n%s\n%s", stdout, stderr)
	}

	for _, tc := range []struct {
		name   string
		doctor func(b *bench.Baseline)
		want   string
	}{
		{"KL was much lower", func(b *bench.Baseline) {
			m, _ := b.Get("pg2-tiny", "int8", "kl_mean")
			m.Value /= 10
			m.AbsTolerance = 0
			b.SetMetric("pg2-tiny", "int8", "kl_mean", m)
		}, "kl_mean for pg2-tiny int8 rose from"},
		{"the kernels were 3× faster", func(b *bench.Baseline) {
			m, _ := b.Get("pg2-tiny", "int8", "generic_speedup")
			m.Value *= 3
			b.SetMetric("pg2-tiny", "int8", "generic_speedup", m)
		}, "generic_speedup for pg2-tiny int8 fell from"},
		{"a metric this run does not measure", func(b *bench.Baseline) {
			_ = b.Set("pg2-tiny", "int4", "kl_mean", 0.01)
		}, "kl_mean for pg2-tiny int4 is missing from this run"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := bench.LoadBaseline(basePath)
			if err != nil {
				t.Fatal(err)
			}
			tc.doctor(&b)
			doctored := filepath.Join(t.TempDir(), "baseline.json")
			if err := b.Save(doctored); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, err := pgCmd(t, "bench", append(files, "--check-baseline", doctored)...)
			var gf gateFailed
			if !errors.As(err, &gf) {
				t.Fatalf("check passed or failed otherwise: %v\n%s", err, stderr)
			}
			if !strings.Contains(stderr, "REGRESSION: "+tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr)
			}
			if !strings.Contains(stdout, "REGRESSED") && !strings.Contains(stdout, "missing") {
				t.Errorf("table does not flag it:\n%s", stdout)
			}
		})
	}

	// A measuring run checks only its own bench figures, so the eval metrics in the
	// baseline do not count as missing.
	_, stderr, err = pgCmd(t, "bench", append([]string{"--model", q8, "--threads", "1", "--check-baseline", basePath}, quickBench...)...)
	var gf gateFailed
	if err != nil && !errors.As(err, &gf) {
		t.Fatalf("measuring check: %v\n%s", err, stderr)
	}
	if strings.Contains(stderr, "missing") {
		t.Errorf("measuring check wants eval metrics:\n%s", stderr)
	}
}

// TestBenchBatchResults: `pgedge bench --batch --json` on the demo model, then
// --results prints the saved report as the batching table and plots it; batch reports
// cannot be gated.
func TestBenchBatchResults(t *testing.T) {
	dir := t.TempDir()
	out, stderr, err := pgCmd(t, "bench", "--model", demoModel, "--batch", "1,2", "--threads", "1", "--gen-tokens", "2",
		"--repeat", "1", "--prompt-tokens", "3", "--ttft-busy", "0", "--probe-mb", "1", "--probe-time", "1ms", "--json")
	if err != nil {
		t.Fatalf("bench --batch: %v\n%s", err, stderr)
	}
	saved := filepath.Join(dir, "batch.json")
	if err := os.WriteFile(saved, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	plot := filepath.Join(dir, "batch.svg")
	out, stderr, err = pgCmd(t, "bench", "--results", saved, "--plot", plot)
	if err != nil {
		t.Fatalf("--results: %v\n%s", err, stderr)
	}
	for _, want := range []string{"pg2-tiny int8, 1 thread(s)", "| batch | step ms |", "\n| 1 | ", "\n| 2 | "} {
		if !strings.Contains(out, want) {
			t.Errorf("--results output lacks %q:\n%s", want, out)
		}
	}
	if svg, err := os.ReadFile(plot); err != nil || !strings.Contains(string(svg), "<svg") {
		t.Errorf("--results --plot: %v", err)
	}
	_, _, err = pgCmd(t, "bench", "--results", saved, "--check-baseline", filepath.Join(dir, "b.json"))
	if err == nil || !strings.Contains(err.Error(), "not gated") {
		t.Errorf("--results with batch reports and --check-baseline: %v", err)
	}
}
