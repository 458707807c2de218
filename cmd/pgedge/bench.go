package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/pgedge/pgedge/compress"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/bench/harness"
	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/atomicfile"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/urfave/cli/v2"
)

const benchDescription = `Measures one model, or every combination of --synthetic presets and --weights, at each
--threads count: --repeat timed runs after one warm-up run, reported as the median with the
min and max. One run prefills a synthetic image (a fixed pattern, no file needed) and
--prompt-tokens prompt tokens, then makes --gen-tokens one-token decode steps (greedy, never
stopping at <eos>). Model loading is timed separately (open and map, --repeat times after a
warm-up). Beside every configuration, with the model closed, a streaming-read probe measures
the machine's read bandwidth with the same thread count (before and after the runs: the host
drifts) over twice the weight bytes a decode step reads (at most 512 MiB, so from the level
of the memory hierarchy the weights live in), and extend is reported as a fraction of it.
bench/README.md documents every field and its unit.

MODELS
  --model FILE           a .pge file or Hugging Face directory (comma-separated for several);
                         its weight type is that of the decoder matrices
  --synthetic PRESET     generate a preset's weights from --seed and convert them at each
                         --weights into a temporary .pge (kept and reused with --synth-dir).
                         Full-size presets take minutes and GBs of disk to generate.

OUTPUT
  (default)              a Markdown table, one row per configuration
  --json                 one JSON object per configuration, one per line
  --plot FILE.svg        extend tokens/s (and prefill tokens/s in FILE-prefill.svg) per
                         weight type and thread count, with the spread as whiskers

REGRESSION GATE (scripts/bench-gate)
  --check-baseline FILE  compare with a baseline (bench/baseline.json); exit status 1 and
                         one line per regression when a gated figure got worse beyond its
                         tolerance. Only machine-independent figures are gated: speed as
                         ratios measured in the same run, accuracy from pgedge eval.
  --update-baseline FILE write the figures into FILE (keeping hand-set tolerances;
                         --tolerance METRIC=REL sets one)
  --results FILE         instead of measuring, read bench, eval and --batch JSON reports from
                         FILE (repeatable; - for stdin; saved from --json runs), print them
                         as tables (and --plot them), and check or update with those (batch
                         reports are printed, not gated); several bench reports of one
                         model and weight type count by their median`

func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "measure load time, prefill and extend tokens/s, TTFT, memory and bandwidth use",
		UsageText: "pgedge bench (--model FILE | --synthetic PRESET [--weights int8,int4,bf16,f32]) [--threads 1,2]\n" +
			"   [--prompt-tokens N] [--gen-tokens N] [--repeat R] [--json] [--plot out.svg]\n" +
			"pgedge bench --results FILE... [--check-baseline FILE | --update-baseline FILE] [--plot out.svg]",
		Description: benchDescription,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "model file(s): .pge or Hugging Face directory, comma-separated"},
			&cli.StringFlag{Name: "synthetic", Usage: "synthetic preset(s), comma-separated: " + strings.Join(model.PresetNames(), ", ")},
			&cli.StringFlag{Name: "weights", Value: "int8", Usage: "with --synthetic: weight type(s), comma-separated: int8, int4, bf16, f32"},
			&cli.StringFlag{Name: "threads", Aliases: []string{"t"}, Usage: "thread count(s), comma-separated, e.g. 1,2 (default: all CPUs this process may use)"},
			&cli.IntFlag{Name: "prompt-tokens", Value: 10, Usage: "prompt tokens after the image tokens (<bos>, filler, \"\\n\")"},
			&cli.IntFlag{Name: "gen-tokens", Value: 32, Usage: "one-token decode steps per run"},
			&cli.IntFlag{Name: "repeat", Value: 3, Usage: "timed runs per configuration, after one warm-up run"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object per configuration"},
			&cli.StringFlag{Name: "plot", Usage: "write an SVG bar chart of extend tokens/s here (prefill next to it as NAME-prefill.svg)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "with --synthetic: weight seed (as pgedge synth --seed)"},
			&cli.StringFlag{Name: "synth-dir", Usage: "with --synthetic: keep the generated .pge files here as PRESET-WEIGHTS-seedN.pge and reuse them"},
			&cli.IntFlag{Name: "probe-mb", Usage: "read-bandwidth probe buffer in MiB (default: twice the weight bytes per decode step, at most 512)"},
			&cli.DurationFlag{Name: "probe-time", Value: 300 * time.Millisecond, Usage: "measuring time of each probe (before and after the runs)"},
			&cli.StringFlag{Name: "check-baseline", Usage: "compare the gated figures with this baseline file; fail on a regression"},
			&cli.StringFlag{Name: "update-baseline", Usage: "write the gated figures into this baseline file"},
			&cli.StringSliceFlag{Name: "tolerance", Usage: "with --update-baseline: METRIC=REL sets the relative tolerance of METRIC in every entry (e.g. extend_bandwidth_fraction=0.5; repeatable)"},
			&cli.StringFlag{Name: "baseline-comment", Usage: "with --update-baseline: the comment to record (default: this command line)"},
			&cli.StringSliceFlag{Name: "results", Usage: "read bench, eval and --batch JSON reports from this file instead of measuring (repeatable, - for stdin)"},
			&cli.StringFlag{Name: "batch", Usage: "measure batched decoding instead: sequences per decode step, comma-separated, e.g. 1,2,4,8 (aggregate and per-sequence extend tokens/s, the step's roofline, TTFT among busy sequences)"},
			loadFlag(),
			&cli.BoolFlag{Name: "exact-batch", Usage: "with --batch: exact steps (infer.Batch.Exact: every row through the one-row kernels, bit-identical to decoding alone)"},
			&cli.IntFlag{Name: "ttft-busy", Value: 4, Usage: "with --batch: sequences decoding while a new request's TTFT is measured (0: skip)"},
			&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the whole measurement here (go tool pprof; focus on infer.(*Session).Append for extend)"},
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%v (see pgedge bench --help)", err)
		},
		Action: func(c *cli.Context) error {
			o, err := parseBenchOptions(c)
			if err != nil {
				return err
			}
			if path := c.String("cpuprofile"); path != "" {
				stop, err := startCPUProfile(path)
				if err != nil {
					return err
				}
				defer stop()
			}
			return o.run(c)
		},
	}
}

// benchTarget is one model to measure: a file, or a preset to synthesize at a weight type.
type benchTarget struct {
	path    string // .pge or HF directory; for a synthetic target, set once generated
	preset  string // synthetic preset
	weights quant.Type
}

type benchOptions struct {
	kernels                 *harness.KernelFigures // measured once per run, on first use
	targets                 []benchTarget
	threads                 []int
	promptTokens, genTokens int
	repeat                  int
	json                    bool
	plot                    string
	seed                    uint64
	synthDir                string
	probeBytes              int64
	probeTime               time.Duration
	check, update           string
	tolerances              map[string]float64
	results                 []string
	batches                 []int // --batch
	ttftBusy                int
	exactBatch              bool
	load                    compress.Load
	command                 string // the command line, recorded in an updated baseline
	stdout, stderr          io.Writer
}

func parseBenchOptions(c *cli.Context) (*benchOptions, error) {
	o := &benchOptions{promptTokens: c.Int("prompt-tokens"), genTokens: c.Int("gen-tokens"), repeat: c.Int("repeat"),
		json: c.Bool("json"), plot: c.String("plot"), seed: c.Uint64("seed"), synthDir: c.String("synth-dir"),
		probeBytes: int64(c.Int("probe-mb")) << 20, probeTime: c.Duration("probe-time"),
		check: c.String("check-baseline"), update: c.String("update-baseline"), results: c.StringSlice("results"),
		command: c.String("baseline-comment")}
	if o.command == "" {
		o.command = "pgedge " + strings.Join(os.Args[1:], " ")
	}
	for _, kv := range c.StringSlice("tolerance") {
		name, val, ok := strings.Cut(kv, "=")
		tol, err := strconv.ParseFloat(val, 64)
		if !ok || err != nil || !(tol >= 0) || math.IsInf(tol, 0) {
			return nil, fmt.Errorf("--tolerance %q: want METRIC=REL, e.g. extend_bandwidth_fraction=0.5", kv)
		}
		if _, known := bench.DefaultMetrics[name]; !known {
			return nil, fmt.Errorf("--tolerance: unknown metric %q", name)
		}
		if o.tolerances == nil {
			o.tolerances = map[string]float64{}
		}
		o.tolerances[name] = tol
	}
	if len(o.tolerances) > 0 && o.update == "" {
		return nil, errors.New("--tolerance applies to --update-baseline")
	}
	o.stdout, o.stderr = c.App.Writer, c.App.ErrWriter
	if o.stdout == nil {
		o.stdout = os.Stdout
	}
	if o.stderr == nil {
		o.stderr = os.Stderr
	}
	if len(o.results) > 0 {
		if c.IsSet("model") || c.IsSet("synthetic") {
			return nil, errors.New("--results reads reports instead of measuring: give it without --model and --synthetic")
		}
		return o, nil
	}
	models, synth := splitList(c.String("model")), splitList(c.String("synthetic"))
	switch {
	case len(models) == 0 && len(synth) == 0:
		return nil, errors.New("give --model FILE or --synthetic PRESET (see pgedge bench --help)")
	case len(models) > 0 && len(synth) > 0:
		return nil, errors.New("give --model or --synthetic, not both")
	case len(models) > 0 && c.IsSet("weights"):
		return nil, errors.New("--weights applies to --synthetic; a model file's weight type is what it was converted to")
	}
	for _, p := range models {
		o.targets = append(o.targets, benchTarget{path: p})
	}
	if len(synth) > 0 {
		ws := splitList(c.String("weights"))
		if len(ws) == 0 {
			return nil, errors.New("--weights: no weight type given")
		}
		for _, p := range synth {
			if _, err := model.Preset(p); err != nil {
				return nil, fmt.Errorf("--synthetic: %w", err)
			}
			for _, w := range ws {
				d, err := parseWeights(w)
				if err != nil {
					return nil, fmt.Errorf("--weights: %w", err)
				}
				o.targets = append(o.targets, benchTarget{preset: p, weights: d})
			}
		}
	}
	for _, f := range splitList(c.String("batch")) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--batch: %q is not a positive number of sequences", f)
		}
		o.batches = append(o.batches, n)
	}
	o.exactBatch = c.Bool("exact-batch")
	var err error
	if o.load, err = loadMode(c); err != nil {
		return nil, err
	}
	if o.ttftBusy = c.Int("ttft-busy"); o.ttftBusy < 0 {
		return nil, fmt.Errorf("--ttft-busy must not be negative")
	}
	if len(o.batches) > 0 && (o.check != "" || o.update != "") {
		return nil, errors.New("--batch reports are not gated: give it without --check-baseline and --update-baseline")
	}
	if s := c.String("threads"); s != "" {
		for _, f := range splitList(s) {
			n, err := strconv.Atoi(f)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("--threads: %q is not a positive thread count", f)
			}
			o.threads = append(o.threads, n)
		}
	} else {
		o.threads = []int{runtime.GOMAXPROCS(0)}
	}
	switch {
	case o.promptTokens < 1:
		return nil, fmt.Errorf("--prompt-tokens must be at least 1 (the <bos>), got %d", o.promptTokens)
	case o.genTokens < 1:
		return nil, fmt.Errorf("--gen-tokens must be at least 1, got %d", o.genTokens)
	case o.repeat < 1:
		return nil, fmt.Errorf("--repeat must be at least 1, got %d", o.repeat)
	case o.probeBytes < 0:
		return nil, fmt.Errorf("--probe-mb must be positive")
	}
	return o, nil
}

// splitList splits a comma-separated flag value, dropping empty items and spaces.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (o *benchOptions) run(c *cli.Context) error {
	if len(o.results) > 0 {
		return o.gate(nil)
	}
	var reports []bench.BenchReport
	var batchReports []harness.BatchReport
	var tmp string
	defer func() {
		if tmp != "" {
			os.RemoveAll(tmp)
		}
	}()
	for i := range o.targets {
		t := &o.targets[i]
		if t.path == "" {
			dir := o.synthDir
			if dir == "" {
				if tmp == "" {
					var err error
					if tmp, err = os.MkdirTemp("", "pgedge-bench-"); err != nil {
						return err
					}
				}
				dir = tmp
			}
			path, err := o.synthesize(dir, t.preset, t.weights)
			if err != nil {
				return err
			}
			t.path = path
		}
		if len(o.batches) > 0 {
			for _, th := range o.threads {
				fmt.Fprintf(o.stderr, "measuring batched decoding of %s with %d thread(s)\n", t.path, th)
				r, err := harness.MeasureBatch(t.path, &harness.BatchConfig{Threads: th, Batches: o.batches,
					PromptTokens: o.promptTokens, GenTokens: o.genTokens, Repeat: o.repeat, ProbeTime: o.probeTime,
					TTFTBusy: o.ttftBusy, Exact: o.exactBatch, Load: o.load, Log: o.stderr})
				if err != nil {
					return err
				}
				if t.preset != "" {
					r.Preset = t.preset
				}
				if o.json {
					if err := json.NewEncoder(o.stdout).Encode(r); err != nil {
						return err
					}
				}
				batchReports = append(batchReports, r)
			}
			if o.synthDir == "" && tmp != "" && t.preset != "" {
				os.Remove(t.path)
			}
			continue
		}
		for _, th := range o.threads {
			fmt.Fprintf(o.stderr, "measuring %s with %d thread(s)\n", t.path, th)
			cfg := &harness.Config{Threads: th, Repeat: o.repeat, Load: o.load,
				PromptTokens: o.promptTokens, GenTokens: o.genTokens, ProbeBytes: o.probeBytes,
				ProbeTime: o.probeTime, Preset: t.preset, Kernels: o.kernels, Log: o.stderr}
			r, err := harness.Measure(t.path, cfg)
			if err != nil {
				return err
			}
			o.kernels = cfg.Kernels // measured there if missing or of another layout
			if o.json {
				if err := json.NewEncoder(o.stdout).Encode(r); err != nil {
					return err
				}
			}
			reports = append(reports, r)
		}
		if o.synthDir == "" && tmp != "" && t.preset != "" {
			os.Remove(t.path) // a full-size model is GBs: do not keep one per weight type
		}
	}
	if len(o.batches) > 0 {
		if !o.json {
			writeBatchTable(o.stdout, batchReports)
		}
		if o.plot != "" {
			return writeBatchPlot(o.plot, batchReports)
		}
		return nil
	}
	if !o.json {
		if len(reports) > 0 {
			fmt.Fprintf(o.stdout, "cpu: %s; kernels: %s; %d timed runs after a warm-up, median (min–max)\n\n",
				reports[0].CPU, reports[0].Kernels, o.repeat)
		}
		if err := bench.WriteTable(o.stdout, reports); err != nil {
			return err
		}
	}
	if o.plot != "" {
		if err := writePlots(o.plot, reports); err != nil {
			return err
		}
	}
	if o.check != "" || o.update != "" {
		return o.gate(reports)
	}
	return nil
}

// synthesize writes preset at weights into dir (reusing a file made earlier with the
// same name) and returns its path.
func (o *benchOptions) synthesize(dir, preset string, weights quant.Type) (string, error) {
	path := filepath.Join(dir, fmt.Sprintf("%s-%s-seed%d.pge", preset, weights.Name(), o.seed))
	if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(o.stderr, "reusing %s\n", path)
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	cfg, err := model.Preset(preset)
	if err != nil {
		return "", err
	}
	tok, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: cfg.Text.VocabSize, ImageToken: cfg.ImageTokenIndex})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(o.stderr, "synthesizing %s at %s into %s\n", preset, weights.Name(), path)
	t0 := time.Now()
	_, err = convert.Convert(path, cfg, convert.NewSynthetic(cfg, o.seed), convert.Options{
		Policy: convert.DefaultPolicy(weights), Tokenizer: tok,
		Source: fmt.Sprintf("synthetic %s seed %d", preset, o.seed), Progress: progress("generating")})
	if err != nil {
		return "", err
	}
	fmt.Fprintf(o.stderr, "synthesized %s in %.1f s\n", path, time.Since(t0).Seconds())
	return path, nil
}

// writePlots draws extend tokens/s into path and prefill tokens/s beside it.
func writePlots(path string, reports []bench.BenchReport) error {
	ext := filepath.Ext(path)
	for _, p := range []struct {
		path, title string
		prefill     bool
	}{
		{path, "extend tokens/s (one-token decode steps)", false},
		{strings.TrimSuffix(path, ext) + "-prefill" + ext, "prefill tokens/s (image + prompt, vision included)", true},
	} {
		f, err := atomicfile.Create(p.path)
		if err != nil {
			return fmt.Errorf("--plot: %w", err)
		}
		title := p.title
		if len(reports) > 0 {
			title += " — " + reports[0].CPU
		}
		if err := bench.PlotSVG(f, title, bench.ReportSeries(reports, p.prefill)); err != nil {
			f.Abort()
			return err
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// gateFailed is the error of a check that found regressions (already printed).
type gateFailed struct{ n int }

func (e gateFailed) Error() string {
	return fmt.Sprintf("%d gated figure(s) regressed (see above); if the change is deliberate, update the baseline (scripts/bench-gate --update)", e.n)
}

// gate checks or updates the baseline with this run's reports, or with --results.
func (o *benchOptions) gate(reports []bench.BenchReport) error {
	var res bench.Results
	partial := len(o.results) == 0
	if partial {
		res.Bench = reports
	}
	for _, name := range o.results {
		var r io.Reader = os.Stdin
		if name != "-" {
			f, err := os.Open(name)
			if err != nil {
				return fmt.Errorf("--results: %w", err)
			}
			defer f.Close()
			r = f
		}
		got, err := bench.ReadResults(r, name)
		if err != nil {
			return err
		}
		res.Add(got)
	}
	var batches []harness.BatchReport
	for i, raw := range res.Batch {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var b harness.BatchReport
		if err := dec.Decode(&b); err != nil {
			return fmt.Errorf("--results: batch report %d: %w", i+1, err)
		}
		batches = append(batches, b)
	}
	if len(batches) > 0 && (o.check != "" || o.update != "") {
		return errors.New("--results holds --batch reports, which are not gated: give them without --check-baseline and --update-baseline")
	}
	if len(res.Bench)+len(res.Eval)+len(batches) == 0 {
		return errors.New("no reports to gate")
	}
	if !partial {
		if err := bench.WriteResults(o.stdout, res); err != nil {
			return err
		}
		writeBatchTable(o.stdout, batches)
		if o.check == "" && o.update == "" {
			// Only printing (and plotting) reports saved by earlier --json runs.
			switch {
			case o.plot != "" && len(res.Bench) > 0:
				return writePlots(o.plot, res.Bench)
			case o.plot != "" && len(batches) > 0:
				return writeBatchPlot(o.plot, batches)
			}
			return nil
		}
	}
	cur, err := res.Baseline(o.command)
	if err != nil {
		return err
	}
	if o.check != "" {
		base, err := bench.LoadBaseline(o.check)
		if err != nil {
			return err
		}
		if partial {
			// A measuring run has no eval reports: compare the bench figures of the
			// configurations it ran, and nothing else.
			ran := map[[2]string]bool{}
			for _, r := range res.Bench {
				ran[[2]string{r.Preset, r.Weights}] = true
			}
			base = base.Filter(func(p, w, metric string) bool { return ran[[2]string{p, w}] && bench.IsBenchMetric(metric) })
		}
		regs := bench.Compare(base, cur)
		table := o.stdout
		if o.json {
			table = o.stderr // keep stdout JSON lines only
		}
		if err := bench.WriteGateTable(table, base, cur, regs); err != nil {
			return err
		}
		for _, r := range regs {
			fmt.Fprintf(o.stderr, "REGRESSION: %s\n", r)
		}
		if len(regs) > 0 {
			return gateFailed{len(regs)}
		}
		n := 0
		for _, e := range base.Entries {
			n += len(e.Metrics)
		}
		fmt.Fprintf(o.stderr, "bench gate: all %d gated figures within tolerance of %s\n", n, o.check)
	}
	if o.update != "" {
		base, err := bench.LoadBaseline(o.update)
		if errors.Is(err, os.ErrNotExist) {
			base, err = bench.Baseline{Version: bench.BaselineVersion}, nil
		}
		if err != nil {
			return err
		}
		base.Update(cur)
		for _, e := range base.Entries {
			for name, m := range e.Metrics {
				if tol, ok := o.tolerances[name]; ok {
					m.Tolerance = tol
					base.SetMetric(e.Preset, e.Weights, name, m)
				}
			}
		}
		if err := base.Save(o.update); err != nil {
			return err
		}
		fmt.Fprintf(o.stderr, "wrote %s\n", o.update)
	}
	return nil
}

// startCPUProfile profiles the process into path until the returned stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// writeBatchTable prints the batching table: one row per model, thread count and
// batch size.
func writeBatchTable(w io.Writer, reports []harness.BatchReport) {
	for _, r := range reports {
		mode := ""
		if r.Exact {
			mode = ", exact steps"
		}
		if r.Layout == "panels" {
			mode += ", weights in panels"
		}
		fmt.Fprintf(w, "%s %s, %d thread(s)%s, %s (%s): %.2f GB of weights per step, probe %.1f GB/s, %s GEMM %.0f Gop/s; KV limit %d MiB, %.1f MiB per sequence\n\n",
			r.Preset, r.Weights, r.Threads, mode, r.CPU, r.Kernels, float64(r.WeightBytes)/1e9, r.ReadGBPerS, r.Weights, r.GemmGops,
			r.KVMemory>>20, float64(r.KVPerSeq)/(1<<20))
		fmt.Fprintln(w, "| batch | step ms | aggregate tok/s | per-sequence tok/s | × batch 1 | roofline ms | bound | of roofline |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
		for _, row := range r.Rows {
			fmt.Fprintf(w, "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.2f |\n", row.Batch, row.StepMS, row.AggregateTokPerS,
				row.PerSeqTokPerS, row.SpeedupVsB1, row.RooflineMS, row.RooflineBound, row.RooflineFraction)
		}
		if r.TTFTBusy > 0 {
			fmt.Fprintf(w, "\nTTFT of an image request: %.0f ms idle, %.0f ms while %d sequences decode (× %.2f); their token gaps meanwhile: median %.0f ms, max %.0f ms\n",
				r.TTFTIdleMS, r.TTFTBusyMS, r.TTFTBusy, r.TTFTRatio, r.MedianGapMS, r.MaxGapMS)
		}
		fmt.Fprintln(w)
	}
}

// writeBatchPlot draws aggregate extend tokens/s against the batch size.
func writeBatchPlot(path string, reports []harness.BatchReport) error {
	var series []bench.PlotSeries
	for _, r := range reports {
		s := bench.PlotSeries{Name: fmt.Sprintf("%s %s, %d thread(s)", r.Preset, r.Weights, r.Threads)}
		for _, row := range r.Rows {
			s.Points = append(s.Points, bench.PlotPoint{Group: fmt.Sprintf("batch %d", row.Batch), Value: row.AggregateTokPerS})
		}
		series = append(series, s)
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return fmt.Errorf("--plot: %w", err)
	}
	title := "aggregate extend tokens/s against sequences per decode step"
	if len(reports) > 0 {
		title += " — " + reports[0].CPU
	}
	if err := bench.PlotSVG(f, title, series); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}
