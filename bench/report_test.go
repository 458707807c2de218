package bench

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Keys that `pgedge bench --json` and `pgedge eval --json` promise their readers. The
// schema test below holds the structs to them, and TestReadmeDocumentsEveryField holds
// README.md to the structs, so the three cannot drift apart.
var (
	requiredBenchKeys = []string{"preset", "weights", "threads", "cpu", "kernels", "load_ms", "vision_ms",
		"prefill_tokens", "prefill_tokens_per_s", "extend_tokens_per_s", "ttft_ms", "peak_rss_bytes",
		"extend_weight_bytes_per_token", "extend_gb_per_s", "read_bandwidth_gb_per_s",
		"extend_bandwidth_fraction", "spread"}
	optionalBenchKeys = []string{"gemm_gops", "vnni_peak_gops", "gemm_peak_fraction", "generic_speedup"}
	requiredEvalKeys  = []string{"kl_mean", "kl_max", "top1_agreement", "greedy_match_rate", "ppl_ref",
		"ppl_model", "box_iou_mean", "n_positions"}
	spreadKeys = []string{"load_ms", "vision_ms", "prefill_tokens_per_s", "extend_tokens_per_s", "ttft_ms",
		"extend_gb_per_s", "read_bandwidth_gb_per_s", "extend_bandwidth_fraction"}
)

func sampleReport() BenchReport {
	r := BenchReport{Preset: "pg2-3b-224", Weights: "int8", Threads: 2, CPU: "AMD EPYC", Kernels: "avx512vnni",
		Repeat: 5, LoadMS: 40, VisionMS: 900, PrefillTokens: 266, PrefillTokensPerS: 170, ExtendTokens: 32,
		ExtendTokensPerS: 20, TTFTMS: 1600, PeakRSSBytes: 3 << 30, ExtendWeightBytesPerToken: 2_600_000_000,
		ReadBandwidthGBPerS: 65}
	gemm, peak := 45.0, 90.0
	r.GemmGops, r.VNNIPeakGops = &gemm, &peak // gemm_peak_fraction 0.5
	r.Spread.ExtendTokensPerS = MinMax{Min: 19, Max: 21}
	return r
}

func keysOf(t *testing.T, v any) map[string]json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBenchReportSchema(t *testing.T) {
	r := sampleReport()
	r.GemmGops, r.VNNIPeakGops = nil, nil // unmeasured: the optional keys must be absent
	r.Derive()
	m := keysOf(t, r)
	for _, k := range requiredBenchKeys {
		if _, ok := m[k]; !ok {
			t.Errorf("bench --json lacks %q", k)
		}
	}
	for _, k := range optionalBenchKeys {
		if _, ok := m[k]; ok {
			t.Errorf("unmeasured optional %q should be absent", k)
		}
	}
	spread := keysOf(t, r.Spread)
	for _, k := range spreadKeys {
		raw, ok := spread[k]
		if !ok {
			t.Errorf("spread lacks %q", k)
			continue
		}
		var mm map[string]float64
		if err := json.Unmarshal(raw, &mm); err != nil || len(mm) != 2 {
			t.Errorf("spread.%s = %s, want {min, max}", k, raw)
		}
	}
	g, v, s := 300.0, 400.0, 4.0
	r.GemmGops, r.VNNIPeakGops, r.GenericSpeedup = &g, &v, &s
	r.Derive()
	m = keysOf(t, r)
	for _, k := range optionalBenchKeys {
		if _, ok := m[k]; !ok {
			t.Errorf("measured optional %q is missing", k)
		}
	}
}

func TestEvalReportSchema(t *testing.T) {
	m := keysOf(t, EvalReport{NPositions: 3})
	for _, k := range requiredEvalKeys {
		if _, ok := m[k]; !ok {
			t.Errorf("eval --json lacks %q", k)
		}
	}
	if string(m["box_iou_mean"]) != "null" {
		t.Errorf("box_iou_mean without boxes = %s, want null", m["box_iou_mean"])
	}
	v := 0.75
	if m := keysOf(t, EvalReport{BoxIoUMean: &v}); string(m["box_iou_mean"]) != "0.75" {
		t.Errorf("box_iou_mean = %s", m["box_iou_mean"])
	}
}

func TestDerive(t *testing.T) {
	r := sampleReport()
	r.Derive()
	// 2.6e9 bytes/token × 20 tokens/s = 52 GB/s; 52/65 = 0.8.
	if !near(r.ExtendGBPerS, 52, 1e-9) || !near(r.ExtendBandwidthFraction, 0.8, 1e-12) {
		t.Errorf("extend %v GB/s, fraction %v; want 52, 0.8", r.ExtendGBPerS, r.ExtendBandwidthFraction)
	}
	if s := r.Spread.ExtendGBPerS; !near(s.Min, 49.4, 1e-9) || !near(s.Max, 54.6, 1e-9) {
		t.Errorf("extend GB/s spread %v", s)
	}
	if s := r.Spread.ExtendBandwidthFraction; !near(s.Min, 0.76, 1e-12) || !near(s.Max, 0.84, 1e-12) {
		t.Errorf("fraction spread %v", s)
	}
	g, v := 300.0, 400.0
	r.GemmGops, r.VNNIPeakGops = &g, &v
	r.Derive()
	if r.GemmPeakFraction == nil || *r.GemmPeakFraction != 0.75 {
		t.Errorf("gemm_peak_fraction = %v", r.GemmPeakFraction)
	}
	// No probe: the fraction is 0, not Inf, so the report still encodes.
	r.ReadBandwidthGBPerS = 0
	r.Derive()
	if r.ExtendBandwidthFraction != 0 || r.Check() != nil {
		t.Errorf("no probe: fraction %v, check %v", r.ExtendBandwidthFraction, r.Check())
	}
	r.TTFTMS = math.NaN()
	if err := r.Check(); err == nil || !strings.Contains(err.Error(), "ttft_ms") {
		t.Errorf("Check of NaN ttft_ms: %v", err)
	}
}

func TestWriteTable(t *testing.T) {
	a := sampleReport()
	a.GemmGops, a.VNNIPeakGops = nil, nil // optional columns appear only when measured
	a.Derive()
	b := a
	b.Threads = 1
	s := 3.5
	b.GenericSpeedup = &s
	var buf bytes.Buffer
	if err := WriteTable(&buf, []BenchReport{b, a}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("table has %d lines, want header, rule and 2 rows:\n%s", len(lines), buf.String())
	}
	if !strings.Contains(lines[0], "× generic") || strings.Contains(lines[0], "GEMM") {
		t.Errorf("optional columns wrong: %s", lines[0])
	}
	if !strings.Contains(lines[3], "20.00 (19.00–21.00)") || !strings.Contains(lines[3], "| –") {
		t.Errorf("row: %s", lines[3])
	}
}

// TestReadmeDocumentsEveryField: every JSON key of both reports (and of baseline.json)
// must appear in README.md as `key`, so adding a field without documenting it fails.
func TestReadmeDocumentsEveryField(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("`([a-z0-9_]+)`").FindAllSubmatch(readme, -1) {
		documented[string(m[1])] = true
	}
	r := sampleReport()
	g := 1.0
	r.GemmGops, r.VNNIPeakGops, r.GenericSpeedup = &g, &g, &g
	r.Derive()
	var keys []string
	for k := range keysOf(t, r) {
		keys = append(keys, k)
	}
	for k := range keysOf(t, EvalReport{}) {
		keys = append(keys, k)
	}
	for k := range keysOf(t, Baseline{Comment: "x"}) {
		keys = append(keys, k)
	}
	for k := range keysOf(t, BaselineEntry{}) {
		keys = append(keys, k)
	}
	for k := range keysOf(t, Metric{AbsTolerance: 1}) {
		keys = append(keys, k)
	}
	for k := range DefaultMetrics {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if !documented[k] {
			t.Errorf("README.md does not document `%s`", k)
		}
	}
	if !bytes.Contains(readme, []byte("## Results")) {
		t.Error("README.md lost its Results section")
	}
}
