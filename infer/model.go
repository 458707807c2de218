// Package infer runs a PaliGemma model on the CPU: the SigLIP vision tower, the
// projector and the Gemma 1 / Gemma 2 decoder with a KV cache, prefix-LM attention,
// prefill of image+prompt and extend token by token.
//
// Activations are float32. F32 and BF16 weights are multiplied by float kernels (F16
// rows are decoded as they are read); Q8 and Q4 weights by integer kernels on int8
// activations quantized per 32-value block (W8A8 / W4A8), whose block sums are exact
// and whose float scaling differs from package quant's reference dot products only in
// rounding. Every path is tested against the Hugging Face reference cases (float) or
// against the float path with bounds from llama.cpp's formats (quantized).
package infer

import (
	"math"
	"sync"

	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/simd"
)

// Options tune a loaded model.
type Options struct {
	// Threads is the number of worker threads; 0 means GOMAXPROCS.
	Threads int
	// GlobalAttention turns Gemma 2's sliding window off on every layer. PaliGemma 2
	// was trained that way (big_vision has no sliding window); it changes results only
	// when the sequence is longer than the window (4096), i.e. at 896 px.
	GlobalAttention bool
	// KVMemory bounds the KV-cache bytes of the generations that run at once
	// (Generate's batch scheduler admits sequences while their caches fit); 0 means
	// DefaultKVMemory.
	KVMemory int64
	// ExactBatch makes Generate's batched decode steps exact (Batch.Exact): every
	// sequence's logits bit for bit those of decoding it alone, whatever else is in the
	// step, at some cost in throughput above 4 sequences.
	ExactBatch bool
	// Load says how a .pge file's bytes are brought into memory (compress.Load). The
	// zero value, LoadAuto, reads a file that fits easily into huge-page memory on
	// Linux, where a decode step streams it 10–16% faster than from the mapping, and
	// maps it otherwise.
	Load compress.Load
	// RowLayout keeps Q8 and Q4 weights in the file's row layout. By default a file
	// read into memory on a CPU with the panel kernels (AVX-512 VNNI or AVX-VNNI;
	// for Q4, AVX-512 VNNI and VBMI) has its Q8 and Q4 matrices packed into 16-row
	// panels at load (simd.PackQ8Panels, simd.PackQ4Panels): the kernels then read
	// them without transposing or reducing, and a token's results are the same bits
	// in an extend, a batched step and a prefill. For comparisons.
	RowLayout bool
}

type visionLayer struct {
	ln1W, ln1B, ln2W, ln2B []float32
	q, k, v, o             *Matrix
	qB, kB, vB, oB         []float32
	fc1, fc2               *Matrix
	fc1B, fc2B             []float32
}

type decoderLayer struct {
	inNorm, postAttnNorm, preFFWNorm, postFFWNorm []float32
	q, k, v, o                                    *Matrix
	gate, up, down                                *Matrix
	sliding                                       bool
}

// engine is what every compute step shares: the thread pool and per-worker scratch.
type engine struct {
	pool       *Pool
	rowScratch [][]float32 // per worker: one decoded weight row
	rowwise    bool        // linear layers run each token row alone (Batch in exact mode)
	batch      bool        // linear layers take the token rows as a batched decode step's (Batch)
	acts       actBuffers  // quantized activations of the current linear layer
	actsKey    actsKey     // what acts and the layouts below hold (linearFrom's again)
	actsValid  bool
	qbatch     simd.QBatch    // acts laid out for the few-row kernels (batched steps)
	qprefill   simd.QPrefill  // acts laid out once per layer for the prefill GEMM
	qpanels    simd.QPanels   // acts laid out once per layer for the panel kernels
	lin        linearJob      // the linear layer being computed
	elem       elementwiseJob // the elementwise step being applied
	norm       normJob        // the norm being applied (normRows)
	each       eachJob        // runEach's function
}

// Model is a loaded PaliGemma model, ready to make sessions. Sessions of one Model may
// be used from several goroutines at once: each compute step (an image encoding, a
// prefill, an Append or Extend, a Batch step, a piece of a scheduled prefill) takes
// the model's lock and runs across the whole worker pool, so concurrent sessions
// interleave step by step rather than split the threads. Generate goes through the
// model's batch scheduler, which decodes concurrent calls together (scheduler.go).
type Model struct {
	Config *model.Config
	// TokenizerModel holds the SentencePiece model bytes when the source ships one.
	TokenizerModel []byte
	// VQVAE holds the segmentation decoder's vae-oid.npz bytes when the source ships them.
	VQVAE []byte
	opts  Options
	src   model.Source
	eng   *engine
	// mu serialises compute steps: the engine's scratch and the pool serve one step
	// at a time.
	mu    sync.Mutex
	sched *scheduler

	patchW              *Matrix
	patchB, posEmb      []float32
	vision              []visionLayer
	postLNW, postLNB    []float32
	proj                *Matrix
	projB               []float32
	embed, lmHead       *Matrix
	layers              []decoderLayer
	finalNorm           []float32
	rope                *rope
	embedScale          float32 // √hidden in float32, as HF's normalizer
	visionHeadDim       int
	visionScale         float32
	kvDim, qDim, hidden int
}

// New builds a model over a tensor source. It checks every tensor against the
// configuration first and names the first mismatch. The source must stay open while
// the model is used; Close closes both.
func New(cfg *model.Config, src model.Source, opts Options, allowed ...quant.Type) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.CheckTensors(src, allowed...); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg, opts: opts, src: src}
	var err error
	mat := func(name string) *Matrix {
		if err != nil {
			return nil
		}
		t, _ := model.Lookup(src, name)
		var mm *Matrix
		mm, err = newMatrix(t)
		return mm
	}
	vec := func(name string) []float32 {
		if err != nil {
			return nil
		}
		t, _ := model.Lookup(src, name)
		var v []float32
		v, err = vectorOf(t)
		return v
	}
	v, t := cfg.Vision, cfg.Text
	m.patchW = mat(model.NamePatchWeight)
	m.patchB = vec(model.NamePatchBias)
	if pt, ok := model.Lookup(src, model.NamePosEmbedding); ok && err == nil {
		m.posEmb, err = vectorOf(pt)
	}
	for l := 0; l < v.Layers; l++ {
		n := func(s string) string { return model.VisionLayerName(l, s) }
		m.vision = append(m.vision, visionLayer{
			ln1W: vec(n("layer_norm1.weight")), ln1B: vec(n("layer_norm1.bias")),
			ln2W: vec(n("layer_norm2.weight")), ln2B: vec(n("layer_norm2.bias")),
			q: mat(n("self_attn.q_proj.weight")), qB: vec(n("self_attn.q_proj.bias")),
			k: mat(n("self_attn.k_proj.weight")), kB: vec(n("self_attn.k_proj.bias")),
			v: mat(n("self_attn.v_proj.weight")), vB: vec(n("self_attn.v_proj.bias")),
			o: mat(n("self_attn.out_proj.weight")), oB: vec(n("self_attn.out_proj.bias")),
			fc1: mat(n("mlp.fc1.weight")), fc1B: vec(n("mlp.fc1.bias")),
			fc2: mat(n("mlp.fc2.weight")), fc2B: vec(n("mlp.fc2.bias")),
		})
	}
	m.postLNW = vec(model.NamePostLNWeight)
	m.postLNB = vec(model.NamePostLNBias)
	m.proj = mat(model.NameProjWeight)
	m.projB = vec(model.NameProjBias)
	m.embed = mat(model.NameEmbedding)
	m.lmHead = m.embed // tied, unless the checkpoint carries its own
	if _, ok := model.Lookup(src, model.NameLMHead); ok {
		m.lmHead = mat(model.NameLMHead)
	}
	for l := 0; l < t.Layers; l++ {
		n := func(s string) string { return model.TextLayerName(l, s) }
		d := decoderLayer{
			inNorm: vec(n("input_layernorm.weight")), postAttnNorm: vec(n("post_attention_layernorm.weight")),
			q: mat(n("self_attn.q_proj.weight")), k: mat(n("self_attn.k_proj.weight")),
			v: mat(n("self_attn.v_proj.weight")), o: mat(n("self_attn.o_proj.weight")),
			gate: mat(n("mlp.gate_proj.weight")), up: mat(n("mlp.up_proj.weight")), down: mat(n("mlp.down_proj.weight")),
			sliding: cfg.IsSliding(l) && !opts.GlobalAttention,
		}
		if cfg.Family == model.PaliGemma2 {
			d.preFFWNorm = vec(n("pre_feedforward_layernorm.weight"))
			d.postFFWNorm = vec(n("post_feedforward_layernorm.weight"))
		}
		m.layers = append(m.layers, d)
	}
	m.finalNorm = vec(model.NameFinalNorm)
	if err != nil {
		return nil, err
	}
	m.rope = newRope(t.HeadDim, t.RopeTheta)
	m.embedScale = float32(math.Sqrt(float64(t.Hidden)))
	m.visionHeadDim = v.Hidden / v.Heads
	m.visionScale = float32(math.Pow(float64(m.visionHeadDim), -0.5))
	m.hidden, m.qDim, m.kvDim = t.Hidden, t.Heads*t.HeadDim, t.KVHeads*t.HeadDim

	pool := NewPool(opts.Threads)
	// Per-worker row scratch: the widest stored row (quantized rows are padded to
	// 256-weight blocks at most).
	widest := max(t.Hidden, t.Intermediate, m.qDim, v.Hidden, v.Intermediate, v.Channels*v.PatchSize*v.PatchSize) + 256
	m.eng = &engine{pool: pool, rowScratch: make([][]float32, pool.Threads())}
	for i := range m.eng.rowScratch {
		m.eng.rowScratch[i] = make([]float32, widest)
	}
	m.sched = newScheduler(m, opts.KVMemory)
	m.sched.batch.Exact = opts.ExactBatch
	return m, nil
}

// Threads is the number of worker threads.
func (m *Model) Threads() int { return m.eng.pool.Threads() }

// Load reports how the weights are held: compress.LoadMemory when a .pge was read
// into memory, compress.LoadMap when it (or a Hugging Face checkpoint) is mapped.
func (m *Model) Load() compress.Load {
	if p, ok := m.src.(*model.PGE); ok && p.File.Load() == compress.LoadMemory {
		return compress.LoadMemory
	}
	return compress.LoadMap
}

// Layout names how quantized weights are held: "panels" when packPanels rewrote
// them for the panel kernels, else "rows" (the file's layout).
func (m *Model) Layout() string {
	for _, mm := range m.matrices() {
		if mm.panels {
			return "panels"
		}
	}
	return "rows"
}

// matrices lists every weight matrix of m once (a tied lm_head is the embedding).
func (m *Model) matrices() []*Matrix {
	l := []*Matrix{m.patchW, m.proj, m.embed}
	if m.lmHead != m.embed {
		l = append(l, m.lmHead)
	}
	for _, v := range m.vision {
		l = append(l, v.q, v.k, v.v, v.o, v.fc1, v.fc2)
	}
	for _, d := range m.layers {
		l = append(l, d.q, d.k, d.v, d.o, d.gate, d.up, d.down)
	}
	return l
}

// packPanels rewrites every Q8 and Q4 matrix of m with 16 rows or more whose
// panel kernels are assembly here (or all of them, packWithoutKernels), in place
// in f's memory, into simd's panel layouts (simd.PackQ8Panels,
// simd.PackQ4Panels), chunks of panels shared out over the model's worker pool.
func (m *Model) packPanels(f *compress.File) error {
	type chunk struct {
		m      *Matrix
		r0, r1 int
	}
	const chunkRows = 4096 // 9.5 MB of a 2304-wide matrix: enough to share out
	var work []chunk
	var packed []*Matrix
	for _, mm := range m.matrices() {
		if !packs(mm.DType) || mm.Rows < 16 {
			continue
		}
		packed = append(packed, mm)
		for r := 0; r < mm.Rows/16*16; r += chunkRows {
			work = append(work, chunk{mm, r, min(r+chunkRows, mm.Rows/16*16)})
		}
	}
	if len(work) == 0 {
		return nil
	}
	err := f.Rewrite(func() error {
		m.eng.pool.Run(len(work), JobFunc(func(task, _ int) {
			c := work[task]
			pack := simd.PackQ8Panels
			if c.m.DType == quant.Q4 {
				pack = simd.PackQ4Panels
			}
			pack(c.m.Data[c.r0*c.m.rowBytes:c.r1*c.m.rowBytes], c.r1-c.r0, c.m.stride)
		}))
		return nil
	})
	if err != nil {
		return err
	}
	for _, mm := range packed {
		mm.panels = true
	}
	return nil
}

// packs reports whether packPanels packs matrices of type t.
func packs(t quant.Type) bool {
	switch t {
	case quant.Q8:
		return simd.Q8PanelsFast() || packWithoutKernels
	case quant.Q4:
		return simd.Q4PanelsFast() || packWithoutKernels
	}
	return false
}

// Close stops the workers and releases the tensor source.
func (m *Model) Close() error {
	m.eng.pool.Close()
	return m.src.Close()
}
