package harness

import (
	"context"
	"errors"
	"fmt"
	"github.com/pgedge/pgedge/compress"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/simd"
)

// BatchConfig is what MeasureBatch varies.
type BatchConfig struct {
	Threads      int
	Batches      []int // sequences per decode step, e.g. 1, 2, 4, 8
	PromptTokens int   // text prompt of every decoding sequence (no image)
	GenTokens    int   // timed decode steps per run
	Repeat       int   // timed runs per batch size, after a warm-up
	ProbeTime    time.Duration
	TTFTBusy     int  // sequences decoding while a new request's TTFT is measured (0: skip)
	Exact        bool // Batch.Exact: every row through the one-row kernels
	Load         compress.Load
	Log          io.Writer
}

// BatchRow is one batch size.
type BatchRow struct {
	Batch            int     `json:"batch"`
	StepMS           float64 `json:"step_ms"`             // one decode step for all sequences, median
	AggregateTokPerS float64 `json:"aggregate_tok_per_s"` // Batch ÷ step
	PerSeqTokPerS    float64 `json:"per_seq_tok_per_s"`   // 1 ÷ step
	SpeedupVsB1      float64 `json:"speedup_vs_b1"`       // aggregate ÷ aggregate at batch 1
	RooflineMS       float64 `json:"roofline_ms"`         // max(weight bytes ÷ bandwidth, multiply-adds ÷ GEMM rate)
	RooflineBound    string  `json:"roofline_bound"`      // "memory" or "compute"
	RooflineFraction float64 `json:"roofline_fraction"`   // roofline ÷ step
}

// BatchReport is the batching table of one model at one thread count.
type BatchReport struct {
	Preset      string     `json:"preset"`
	Weights     string     `json:"weights"`
	Threads     int        `json:"threads"`
	CPU         string     `json:"cpu"`
	Kernels     string     `json:"kernels"`
	Exact       bool       `json:"exact"`            // Batch.Exact steps
	Load        string     `json:"load,omitempty"`   // how the weights were held: memory or mmap
	Layout      string     `json:"layout,omitempty"` // of the Q8 weights: rows (the file's) or panels (infer.Model.Layout)
	WeightBytes int64      `json:"weight_bytes"`     // read per decode step
	MACsPerRow  int64      `json:"macs_per_row"`     // multiply-adds of the linear layers per sequence and step
	ReadGBPerS  float64    `json:"read_gb_per_s"`    // bandwidth probe, best pass, Threads threads
	GemmGops    float64    `json:"gemm_gops"`        // the weight type's integer GEMM, Threads threads
	KVMemory    int64      `json:"kv_memory_bytes"`  // the scheduler's limit
	KVPerSeq    int64      `json:"kv_bytes_per_seq"`
	Rows        []BatchRow `json:"rows"`
	// TTFT of a new image request on the idle model and while TTFTBusy others decode
	// (through Generate's scheduler), and the longest gap between two tokens of the
	// decoding sequences while it prefilled.
	TTFTIdleMS  float64 `json:"ttft_idle_ms,omitempty"`
	TTFTBusyMS  float64 `json:"ttft_busy_ms,omitempty"`
	TTFTBusy    int     `json:"ttft_busy,omitempty"`
	TTFTRatio   float64 `json:"ttft_ratio,omitempty"`
	MaxGapMS    float64 `json:"max_token_gap_ms,omitempty"`
	MedianGapMS float64 `json:"median_token_gap_ms,omitempty"`
}

// MeasureBatch measures batched decoding of the model at path: per batch size the
// decode step of Batch.Extend (as the scheduler runs it) over sequences with short
// text prompts, the step's roofline, and the TTFT of a new request among busy ones.
func MeasureBatch(path string, o *BatchConfig) (BatchReport, error) {
	rep := BatchReport{Threads: o.Threads, CPU: bench.CPUName(), Kernels: simd.Kernels() + "+" + simd.IntKernels(), Exact: o.Exact}
	m, err := infer.Open(path, infer.Options{Threads: o.Threads, Load: o.Load})
	if err != nil {
		return rep, err
	}
	defer m.Close()
	cfg := m.Config
	rep.Preset, rep.Weights, rep.Threads, rep.Load = model.PresetName(cfg, path), m.DecoderDType().Name(), m.Threads(), m.Load().String()
	rep.Layout = m.Layout()
	rep.WeightBytes, rep.MACsPerRow = m.ExtendWeightBytes(), m.ExtendMACs()
	rep.KVMemory = m.KVMemory()

	probe := bench.NewReadProbe(AutoProbeBytes(rep.WeightBytes))
	probe.Kernel = StreamKernel
	rep.ReadGBPerS = probe.Measure(rep.Threads, o.ProbeTime)
	probe.Close()
	qt := quant.Q8
	if m.DecoderDType() == quant.Q4 {
		qt = quant.Q4
	}
	rep.GemmGops = GemmRate(qt, rep.Layout, rep.Threads, 500*time.Millisecond)

	ids := PromptIDs(cfg, o.PromptTokens)[cfg.NumImageTokens():] // text only
	maxB := 0
	for _, b := range o.Batches {
		maxB = max(maxB, b)
	}
	steps := (o.Repeat + 1) * (o.GenTokens + 1)
	rep.KVPerSeq = m.KVBytes(len(ids) + steps)
	bt := m.NewBatch()
	bt.Exact = o.Exact
	var b1 float64
	for _, B := range o.Batches {
		if o.Log != nil {
			fmt.Fprintf(o.Log, "batch %d: prefilling %d sequences\n", B, B)
		}
		ss := make([]*infer.Session, B)
		toks := make([]int, B)
		for i := range ss {
			if ss[i], err = m.NewSession(len(ids) + steps); err != nil {
				return rep, err
			}
			p := append([]int(nil), ids...)
			p[len(p)/2] = 1000 + i // different prompts, different tokens
			logits, err := ss[i].Prefill(nil, p, false)
			if err != nil {
				return rep, err
			}
			toks[i] = infer.Greedy(cfg, logits)
		}
		step := func() error {
			logits, err := bt.Extend(ss, toks)
			if err != nil {
				return err
			}
			V := len(logits) / B
			for i := range toks {
				toks[i] = infer.Greedy(cfg, logits[i*V:(i+1)*V])
			}
			return nil
		}
		series := bench.NewSeries(0) // the first run is skipped below
		for r := 0; r <= o.Repeat; r++ {
			if err := step(); err != nil { // warm-up step of each run
				return rep, err
			}
			t0 := time.Now()
			for k := 0; k < o.GenTokens; k++ {
				if err := step(); err != nil {
					return rep, err
				}
			}
			if r > 0 || o.Repeat == 0 {
				series.AddDuration(time.Since(t0) / time.Duration(o.GenTokens))
			}
		}
		row := BatchRow{Batch: B, StepMS: series.Median()}
		row.PerSeqTokPerS = 1000 / row.StepMS
		row.AggregateTokPerS = float64(B) * row.PerSeqTokPerS
		if B == 1 {
			b1 = row.AggregateTokPerS
		}
		if b1 > 0 {
			row.SpeedupVsB1 = row.AggregateTokPerS / b1
		}
		mem := float64(rep.WeightBytes) / (rep.ReadGBPerS * 1e9)
		comp := float64(B) * float64(rep.MACsPerRow) / (rep.GemmGops * 1e9)
		row.RooflineMS, row.RooflineBound = 1000*mem, "memory"
		if comp > mem {
			row.RooflineMS, row.RooflineBound = 1000*comp, "compute"
		}
		row.RooflineFraction = row.RooflineMS / row.StepMS
		rep.Rows = append(rep.Rows, row)
	}
	if o.TTFTBusy > 0 {
		if err := measureTTFT(m, o, &rep); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// measureTTFT times a new image request's first token on the idle model, then while
// o.TTFTBusy text requests decode through Generate's scheduler.
func measureTTFT(m *infer.Model, o *BatchConfig, rep *BatchReport) error {
	cfg := m.Config
	pixels := Pixels(cfg)
	img := PromptIDs(cfg, o.PromptTokens)
	ttft := func() (time.Duration, error) {
		t0 := time.Now()
		var first time.Duration
		_, _, err := m.Generate(context.Background(), pixels, img, infer.GenerateOptions{MaxTokens: 1,
			OnToken: func(int) error { first = time.Since(t0); return nil }})
		return first, err
	}
	if o.Log != nil {
		fmt.Fprintln(o.Log, "TTFT on the idle model")
	}
	if _, err := ttft(); err != nil { // warm-up
		return err
	}
	idle, err := ttft()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	text := PromptIDs(cfg, o.PromptTokens)[cfg.NumImageTokens():]
	var wg sync.WaitGroup
	var mu sync.Mutex
	var gaps []float64
	measuring := false
	started := make(chan struct{}, o.TTFTBusy)
	for i := 0; i < o.TTFTBusy; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last, n := time.Now(), 0
			m.Generate(ctx, nil, text, infer.GenerateOptions{MaxTokens: 1024,
				OnToken: func(int) error {
					now := time.Now()
					mu.Lock()
					if measuring {
						gaps = append(gaps, float64(now.Sub(last).Microseconds())/1000)
					}
					mu.Unlock()
					last = now
					if n++; n == 3 {
						started <- struct{}{}
					}
					return nil
				}})
		}()
	}
	for i := 0; i < o.TTFTBusy; i++ {
		<-started
	}
	if o.Log != nil {
		fmt.Fprintf(o.Log, "TTFT while %d sequences decode\n", o.TTFTBusy)
	}
	mu.Lock()
	measuring = true
	mu.Unlock()
	busy, err := ttft()
	mu.Lock()
	measuring = false
	g := append([]float64(nil), gaps...)
	mu.Unlock()
	cancel()
	wg.Wait()
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	rep.TTFTBusy = o.TTFTBusy
	rep.TTFTIdleMS = float64(idle.Microseconds()) / 1000
	rep.TTFTBusyMS = float64(busy.Microseconds()) / 1000
	rep.TTFTRatio = rep.TTFTBusyMS / rep.TTFTIdleMS
	if len(g) > 0 {
		sort.Float64s(g)
		rep.MaxGapMS, rep.MedianGapMS = g[len(g)-1], g[len(g)/2]
	}
	return nil
}

// GemmRate is the multiply-add rate (/1e9) of the integer GEMM of weight type qt at a
// prefill shape (256 tokens × 2304 × 2304), threads goroutines each on its own copy.
func GemmRate(qt quant.Type, layout string, threads int, d time.Duration) float64 {
	in := newGemmInputs(qt)
	var total float64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for t := 0; t < max(1, threads); t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gemm := in.runner(layout)
			out := make([]float32, gemmTokens*gemmRows)
			var n int
			t0 := time.Now()
			for time.Since(t0) < d || n == 0 {
				gemm(out, gemmTokens)
				n++
			}
			rate := float64(n) * gemmTokens * gemmRows * gemmK / time.Since(t0).Seconds() / 1e9
			mu.Lock()
			total += rate
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}
