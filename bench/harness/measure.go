// Package harness holds the measuring procedures behind pgedge bench and pgedge eval,
// so that Go benchmarks and tests can call them too: one configuration's timed runs
// beside a bandwidth probe (Measure), the kernel limits (MeasureKernels), the
// teacher-forced comparison of a model with its reference (Evaluate), and their
// synthetic inputs.
package harness

import (
	"fmt"
	"github.com/pgedge/pgedge/compress"
	"io"
	"runtime/debug"
	"time"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/simd"
)

// Probe sizes: the probe reads a buffer twice the weights one decode step streams, so
// that it reads from the level of the memory hierarchy the weights live in (DRAM for
// the released models, a cache for the tiny presets, whose extend a DRAM figure would
// not bound), capped at 512 MiB, which is far beyond any last-level cache.
const (
	minProbeBytes = 256 << 10
	maxProbeBytes = 512 << 20
)

func AutoProbeBytes(weights int64) int64 { return min(max(2*weights, minProbeBytes), maxProbeBytes) }

// Config is what Measure varies.
type Config struct {
	Threads                 int
	Repeat                  int // timed runs after one warm-up
	PromptTokens, GenTokens int
	ProbeBytes              int64         // 0: AutoProbeBytes of the model
	ProbeTime               time.Duration // per probe pass series
	Preset                  string        // the report's preset name ("": from the config)
	Load                    compress.Load // how the weights are held (infer.Options.Load)
	// Kernels are the machine's kernel figures, measured once per process and weight
	// layout and shared by every report (nil, or of another layout than this
	// model's: measured and stored here).
	Kernels *KernelFigures
	Log     io.Writer // notes; nil for none
}

// Measure runs one configuration of the model at path: probe, load series, warm-up and
// timed runs, probe.
func Measure(path string, o *Config) (bench.BenchReport, error) {
	threads := o.Threads
	rep := bench.BenchReport{Threads: threads, CPU: bench.CPUName(), Kernels: simd.Kernels() + "+" + simd.IntKernels(), Repeat: o.Repeat,
		ExtendTokens: o.GenTokens}
	probeBytes := o.ProbeBytes
	if probeBytes == 0 {
		// Mapped: only the shapes are needed, not the weights read into memory.
		m, err := infer.Open(path, infer.Options{Threads: 1, Load: compress.LoadMap})
		if err != nil {
			return rep, err
		}
		probeBytes = AutoProbeBytes(m.ExtendWeightBytes())
		m.Close()
	}
	bw := bench.NewSeries(0)
	probe := func() {
		// The probe buffer exists only while it measures, so that it neither competes
		// with the model for memory nor counts in the model's peak RSS.
		p := bench.NewReadProbe(probeBytes)
		p.Kernel = StreamKernel
		bw.Add(p.Measure(threads, o.ProbeTime))
		p.Close()
	}
	probe()
	// Hand the heap that earlier work left (a synthesis in this process, the previous
	// configuration) back to the OS, so that the peak RSS counted from here is the model's.
	debug.FreeOSMemory()
	rssReset := bench.ResetPeakRSS() == nil

	load := bench.NewSeries(1)
	var m *infer.Model
	for i := 0; i <= o.Repeat; i++ {
		if m != nil {
			m.Close()
		}
		var err error
		t0 := time.Now()
		if m, err = infer.Open(path, infer.Options{Threads: threads, Load: o.Load}); err != nil {
			return rep, err
		}
		load.AddDuration(time.Since(t0))
	}
	defer func() {
		if m != nil {
			m.Close()
		}
	}()
	cfg := m.Config
	rep.Preset = model.PresetName(cfg, path)
	if o.Preset != "" {
		rep.Preset = o.Preset
	}
	rep.Weights = m.DecoderDType().Name()
	rep.Threads, rep.Load, rep.Layout = m.Threads(), m.Load().String(), m.Layout()
	rep.ExtendWeightBytesPerToken = m.ExtendWeightBytes()

	pixels := Pixels(cfg)
	ids := PromptIDs(cfg, o.PromptTokens)
	rep.PrefillTokens = len(ids)
	vision, prefill, extend, ttft := bench.NewSeries(1), bench.NewSeries(1), bench.NewSeries(1), bench.NewSeries(1)
	for i := 0; i <= o.Repeat; i++ {
		r, err := Run(m, pixels, ids, o.GenTokens)
		if err != nil {
			return rep, err
		}
		vision.AddDuration(r.Vision)
		prefill.AddRate(float64(len(ids)), r.Prefill)
		ttft.AddDuration(r.TTFT)
		extend.AddRate(float64(o.GenTokens), r.Extend)
	}
	rep.PeakRSSBytes = bench.PeakRSS()
	if !rssReset && o.Log != nil {
		fmt.Fprintln(o.Log, "note: peak RSS cannot be reset on this system; it is the process's peak so far")
	}
	m.Close()
	m = nil
	probe()

	rep.LoadMS, rep.Spread.LoadMS = load.Median(), load.MinMax()
	rep.VisionMS, rep.Spread.VisionMS = vision.Median(), vision.MinMax()
	rep.PrefillTokensPerS, rep.Spread.PrefillTokensPerS = prefill.Median(), prefill.MinMax()
	rep.ExtendTokensPerS, rep.Spread.ExtendTokensPerS = extend.Median(), extend.MinMax()
	rep.TTFTMS, rep.Spread.TTFTMS = ttft.Median(), ttft.MinMax()
	// The probe estimates a limit: interference only slows a pass, so the best is used.
	rep.ReadBandwidthGBPerS, rep.Spread.ReadBandwidthGBPerS = bw.Max(), bw.MinMax()
	if o.Kernels == nil || o.Kernels.Layout != rep.Layout {
		kf := MeasureKernels(rep.Layout)
		o.Kernels = &kf
	}
	rep.GemmGops, rep.VNNIPeakGops, rep.GenericSpeedup = &o.Kernels.GemmGops, &o.Kernels.PeakGops, &o.Kernels.GenericSpeedup
	rep.Derive()
	return rep, rep.Check()
}

// Sample is one timed run.
type Sample struct{ Vision, Prefill, TTFT, Extend time.Duration }

// Run prefills ids (vision included) and makes gen one-token decode steps, greedily,
// without stopping at <eos>. TTFT runs from handing over the input to knowing the first
// generated id; the session's allocation comes before it.
func Run(m *infer.Model, pixels []float32, ids []int, gen int) (Sample, error) {
	var r Sample
	s, err := m.NewSession(len(ids) + gen + 1)
	if err != nil {
		return r, err
	}
	t0 := time.Now()
	logits, err := s.Prefill(pixels, ids, false)
	if err != nil {
		return r, err
	}
	r.Prefill = time.Since(t0)
	id := infer.Greedy(m.Config, logits)
	r.TTFT = time.Since(t0)
	r.Vision = s.VisionTime
	t1 := time.Now()
	for k := 0; k < gen; k++ {
		if logits, err = s.Extend(id); err != nil {
			return r, err
		}
		id = infer.Greedy(m.Config, logits)
	}
	r.Extend = time.Since(t1)
	return r, nil
}

// Pixels is the synthetic input of every bench run: the first built-in eval image
// at the model's resolution.
func Pixels(cfg *model.Config) []float32 {
	return imageproc.Preprocess(SyntheticImages()[0].RGB, cfg.Vision.ImageSize)
}

// PromptIDs lays out n prompt tokens after the image slots: <bos>, filler tokens,
// "\n". The filler ids are fixed ordinary tokens; what they say does not change the
// amount of work.
func PromptIDs(cfg *model.Config, n int) []int {
	ids := make([]int, 0, cfg.NumImageTokens()+n)
	for i := 0; i < cfg.NumImageTokens(); i++ {
		ids = append(ids, cfg.ImageTokenIndex)
	}
	ids = append(ids, cfg.BOS)
	limit := infer.SampleLimit(cfg)
	for i := 1; i < n-1; i++ {
		id := 1000 + (37*i)%500
		if id >= limit || id == cfg.ImageTokenIndex {
			id = 4 + i%100 // very small vocabularies
		}
		ids = append(ids, id)
	}
	if n >= 2 {
		ids = append(ids, infer.NewlineID)
	}
	return ids
}
