package bench

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// BenchReport is the output of `pgedge bench --json`: one configuration (preset, weight
// type, thread count) measured R times after a warm-up. Timed figures are medians; their
// min/max are in Spread. Units are in the field names: _ms milliseconds, _per_s per
// second, _bytes bytes, gb_per_s 1e9 bytes per second, gops 1e9 operations per second
// (one multiply-add counts as two operations).
type BenchReport struct {
	Preset  string `json:"preset"`           // model preset, e.g. "pg2-3b-224", or the model file's preset
	Weights string `json:"weights"`          // int8 | int4 | bf16 | f32
	Threads int    `json:"threads"`          // worker threads used
	CPU     string `json:"cpu"`              // CPUName()
	Kernels string `json:"kernels"`          // float+integer kernels chosen at start-up, e.g. "avx512f+avx2-fma+avx512vnni", "neon+neon-sdot", "generic+generic"
	Repeat  int    `json:"repeat"`           // timed runs behind each median (after the warm-up)
	Load    string `json:"load,omitempty"`   // how the weights were held: "memory" (read into huge pages) or "mmap"
	Layout  string `json:"layout,omitempty"` // of the Q8 weights: "rows" (the file's) or "panels" (infer.Model.Layout)

	LoadMS                    float64 `json:"load_ms"`                       // open + map or read + validate the model
	VisionMS                  float64 `json:"vision_ms"`                     // SigLIP encoder + projector, one image
	PrefillTokens             int     `json:"prefill_tokens"`                // image tokens + prompt tokens
	PrefillTokensPerS         float64 `json:"prefill_tokens_per_s"`          // prefill_tokens / prefill time (vision included)
	ExtendTokens              int     `json:"extend_tokens"`                 // tokens generated per run
	ExtendTokensPerS          float64 `json:"extend_tokens_per_s"`           // one-token decode steps per second
	TTFTMS                    float64 `json:"ttft_ms"`                       // request to first generated token
	PeakRSSBytes              int64   `json:"peak_rss_bytes"`                // PeakRSS() after the runs
	ExtendWeightBytesPerToken int64   `json:"extend_weight_bytes_per_token"` // weight bytes streamed per decode step
	ExtendGBPerS              float64 `json:"extend_gb_per_s"`               // derived: bytes/token × tokens/s / 1e9
	ReadBandwidthGBPerS       float64 `json:"read_bandwidth_gb_per_s"`       // ReadProbe, same threads, same run
	ExtendBandwidthFraction   float64 `json:"extend_bandwidth_fraction"`     // derived: extend_gb_per_s / read bandwidth

	Spread BenchSpread `json:"spread"`

	// Optional figures, absent when not measured.
	GemmGops         *float64 `json:"gemm_gops,omitempty"`          // INT8 GEMM micro-kernel rate
	VNNIPeakGops     *float64 `json:"vnni_peak_gops,omitempty"`     // register-only loop of the integer multiply-add the Q8 kernel uses (simd.PeakGops), same run
	GemmPeakFraction *float64 `json:"gemm_peak_fraction,omitempty"` // derived: gemm_gops / vnni_peak_gops
	GenericSpeedup   *float64 `json:"generic_speedup,omitempty"`    // fast kernels ÷ pure-Go kernels, same workload, same run
}

// BenchSpread holds the min and max over the timed runs of every timed figure (and of
// the figures derived from them), in the same unit as the median.
type BenchSpread struct {
	LoadMS                  MinMax `json:"load_ms"`
	VisionMS                MinMax `json:"vision_ms"`
	PrefillTokensPerS       MinMax `json:"prefill_tokens_per_s"`
	ExtendTokensPerS        MinMax `json:"extend_tokens_per_s"`
	TTFTMS                  MinMax `json:"ttft_ms"`
	ExtendGBPerS            MinMax `json:"extend_gb_per_s"`
	ReadBandwidthGBPerS     MinMax `json:"read_bandwidth_gb_per_s"`
	ExtendBandwidthFraction MinMax `json:"extend_bandwidth_fraction"`
}

// Derive fills the derived fields from the measured ones: extend_gb_per_s (weight bytes
// read per token × tokens/s ÷ 1e9), extend_bandwidth_fraction (that ÷ the probe's
// bandwidth, the machine-independent extend figure that speed targets are stated in),
// gemm_peak_fraction, and the matching spreads. The fraction's spread divides the extend
// spread by the median bandwidth: the probe's own noise is reported separately. Fields
// whose inputs are missing (zero bandwidth, no byte count) are set to 0 or left nil
// rather than to Inf or NaN, which JSON cannot encode.
func (r *BenchReport) Derive() {
	perTok := float64(r.ExtendWeightBytesPerToken) / 1e9
	r.ExtendGBPerS = perTok * r.ExtendTokensPerS
	r.Spread.ExtendGBPerS = r.Spread.ExtendTokensPerS.Scale(perTok)
	r.ExtendBandwidthFraction, r.Spread.ExtendBandwidthFraction = 0, MinMax{}
	if bw := r.ReadBandwidthGBPerS; bw > 0 {
		r.ExtendBandwidthFraction = r.ExtendGBPerS / bw
		r.Spread.ExtendBandwidthFraction = r.Spread.ExtendGBPerS.Scale(1 / bw)
	}
	r.GemmPeakFraction = nil
	if r.GemmGops != nil && r.VNNIPeakGops != nil && *r.VNNIPeakGops > 0 {
		f := *r.GemmGops / *r.VNNIPeakGops
		r.GemmPeakFraction = &f
	}
}

// Check returns an error naming the first field that holds NaN or ±Inf: encoding/json
// refuses such a report outright, and a clear message beats "unsupported value: NaN".
func (r *BenchReport) Check() error {
	check := func(name string, v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("bench: report field %s is %v", name, v)
		}
		return nil
	}
	mm := func(name string, m MinMax) error {
		if err := check("spread."+name+".min", m.Min); err != nil {
			return err
		}
		return check("spread."+name+".max", m.Max)
	}
	opt := func(name string, v *float64) error {
		if v == nil {
			return nil
		}
		return check(name, *v)
	}
	s := r.Spread
	for _, err := range []error{
		check("load_ms", r.LoadMS), check("vision_ms", r.VisionMS),
		check("prefill_tokens_per_s", r.PrefillTokensPerS), check("extend_tokens_per_s", r.ExtendTokensPerS),
		check("ttft_ms", r.TTFTMS), check("extend_gb_per_s", r.ExtendGBPerS),
		check("read_bandwidth_gb_per_s", r.ReadBandwidthGBPerS), check("extend_bandwidth_fraction", r.ExtendBandwidthFraction),
		mm("load_ms", s.LoadMS), mm("vision_ms", s.VisionMS), mm("prefill_tokens_per_s", s.PrefillTokensPerS),
		mm("extend_tokens_per_s", s.ExtendTokensPerS), mm("ttft_ms", s.TTFTMS), mm("extend_gb_per_s", s.ExtendGBPerS),
		mm("read_bandwidth_gb_per_s", s.ReadBandwidthGBPerS), mm("extend_bandwidth_fraction", s.ExtendBandwidthFraction),
		opt("gemm_gops", r.GemmGops), opt("vnni_peak_gops", r.VNNIPeakGops),
		opt("gemm_peak_fraction", r.GemmPeakFraction), opt("generic_speedup", r.GenericSpeedup),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// WriteTable prints reports as a Markdown table, one row per configuration, for the
// `--threads 1,2,4` scaling table and the README's results. Columns that no report has
// (the optional figures) are left out. Rows keep the caller's order.
func WriteTable(w io.Writer, reports []BenchReport) error {
	var hasGemm, hasGeneric bool
	for _, r := range reports {
		hasGemm = hasGemm || r.GemmGops != nil
		hasGeneric = hasGeneric || r.GenericSpeedup != nil
	}
	head := []string{"preset", "weights", "threads", "kernels", "load ms", "vision ms",
		"prefill tok", "prefill tok/s", "extend tok/s", "TTFT ms", "peak RSS MiB",
		"extend GB/s", "probe GB/s", "bw fraction"}
	if hasGemm {
		head = append(head, "GEMM Gop/s", "VNNI peak Gop/s")
	}
	if hasGeneric {
		head = append(head, "× generic")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	row := func(cells []string) {
		fmt.Fprintf(tw, "| %s |\n", strings.Join(cells, "\t| "))
	}
	row(head)
	sep := make([]string, len(head))
	for i := range sep {
		sep[i] = "---"
	}
	row(sep)
	for _, r := range reports {
		cells := []string{r.Preset, r.Weights, fmt.Sprint(r.Threads), r.Kernels,
			withSpread(r.LoadMS, r.Spread.LoadMS, 0), withSpread(r.VisionMS, r.Spread.VisionMS, 1),
			fmt.Sprint(r.PrefillTokens), withSpread(r.PrefillTokensPerS, r.Spread.PrefillTokensPerS, 1),
			withSpread(r.ExtendTokensPerS, r.Spread.ExtendTokensPerS, 2), withSpread(r.TTFTMS, r.Spread.TTFTMS, 0),
			fmt.Sprintf("%.0f", float64(r.PeakRSSBytes)/(1<<20)),
			fmt.Sprintf("%.1f", r.ExtendGBPerS), fmt.Sprintf("%.1f", r.ReadBandwidthGBPerS),
			fmt.Sprintf("%.2f", r.ExtendBandwidthFraction)}
		if hasGemm {
			cells = append(cells, optCell(r.GemmGops, 0), optCell(r.VNNIPeakGops, 0))
		}
		if hasGeneric {
			cells = append(cells, optCell(r.GenericSpeedup, 2))
		}
		row(cells)
	}
	return tw.Flush()
}

// withSpread formats "median (min–max)", the way every timed figure is shown to people.
func withSpread(v float64, m MinMax, prec int) string {
	if m.Min == m.Max && m.Min == v {
		return fmt.Sprintf("%.*f", prec, v)
	}
	return fmt.Sprintf("%.*f (%.*f–%.*f)", prec, v, prec, m.Min, prec, m.Max)
}

func optCell(v *float64, prec int) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.*f", prec, *v)
}
