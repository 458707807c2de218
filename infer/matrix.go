package infer

import (
	"fmt"
	"unsafe"

	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/simd"
)

// Matrix is a weight matrix [Rows, Cols] (Hugging Face [out, in] layout) used in place
// from its mapping. Rows are decoded to float32 one at a time when needed, so the
// reference path never holds a float32 copy of a bf16 checkpoint (a 3B model stays
// ~6 GB mapped instead of ~12 GB of heap).
type Matrix struct {
	Name       string
	DType      quant.Type
	Rows, Cols int
	Data       []byte
	// stride is the stored row length: quantized rows are zero-padded to whole blocks.
	stride   int
	f32      []float32 // set when DType is F32 and Data is 4-byte aligned
	bf16     []uint16  // set when DType is BF16 and Data is 2-byte aligned
	rowBytes int
	// panels: a Q8 or Q4 matrix whose Data packPanels rewrote into simd's panel
	// layout (simd.PackQ8Panels, simd.PackQ4Panels); only simd.GemmQ8Panels,
	// simd.GemmQ4Panels and Row read it.
	panels bool
}

func newMatrix(t model.Tensor) (*Matrix, error) {
	if len(t.Shape) < 2 {
		return nil, fmt.Errorf("tensor %s: shape %v is not a matrix", t.Name, t.Shape)
	}
	cols := 1
	for _, d := range t.Shape[1:] {
		cols *= d
	}
	m := &Matrix{Name: t.Name, DType: t.DType, Rows: t.Shape[0], Cols: cols, Data: t.Data}
	switch t.DType {
	case quant.F32, quant.BF16, quant.F16:
		m.rowBytes = cols * t.DType.Size()
		// Unaligned data (possible in safetensors, whose header length is
		// arbitrary) takes the row-decoding path.
		if t.DType == quant.F32 && len(t.Data) > 0 && uintptr(unsafe.Pointer(&t.Data[0]))%4 == 0 {
			m.f32 = unsafe.Slice((*float32)(unsafe.Pointer(&t.Data[0])), len(t.Data)/4)
		}
		if t.DType == quant.BF16 && len(t.Data) > 0 && uintptr(unsafe.Pointer(&t.Data[0]))%2 == 0 {
			m.bf16 = unsafe.Slice((*uint16)(unsafe.Pointer(&t.Data[0])), len(t.Data)/2)
		}
	case quant.Q8, quant.Q4:
		m.stride = quant.StoredCols(t.DType, cols)
		m.rowBytes = quant.RowBytes(t.DType, m.stride)
	default:
		return nil, fmt.Errorf("tensor %s: no decoder for dtype %s", t.Name, t.DType)
	}
	if len(t.Data) != m.rowBytes*m.Rows {
		return nil, fmt.Errorf("tensor %s: %d bytes, want %d for %d×%d %s", t.Name, len(t.Data), m.rowBytes*m.Rows, m.Rows, cols, t.DType)
	}
	return m, nil
}

// Row returns row r as float32: a view into the mapping for aligned F32, otherwise
// decoded into scratch (which must hold the stored row length, see Stride).
func (m *Matrix) Row(r int, scratch []float32) []float32 {
	if m.f32 != nil {
		return m.f32[r*m.Cols : (r+1)*m.Cols]
	}
	if m.panels && m.DType == quant.Q4 {
		simd.DequantizeQ4PanelRow(scratch, m.Data, m.Rows, m.stride, r)
		return scratch[:m.Cols]
	}
	if m.panels {
		simd.DequantizeQ8PanelRow(scratch, m.Data, m.Rows, m.stride, r)
		return scratch[:m.Cols]
	}
	raw := m.Data[r*m.rowBytes : (r+1)*m.rowBytes]
	quant.DequantizeRow(m.DType, raw, scratch[:m.Stride()])
	return scratch[:m.Cols]
}

// Stride is the number of values a decoded row occupies in scratch.
func (m *Matrix) Stride() int { return max(m.stride, m.Cols) }

// vectorOf decodes a 1-D tensor (norm weight, bias) to float32.
func vectorOf(t model.Tensor) ([]float32, error) {
	return t.Float32s(nil)
}

// dot is the float32 dot product of the attention and fallback paths.
func dot(a, b []float32) float32 { return simd.DotF32(a, b[:len(a)]) }

// panelRows is the tile height of a linear layer. Extending one token reads each
// weight once, so small panels (16 rows of a 2304-wide bf16 matrix: 72 KB) only serve
// load balance. Prefill streams all the prompt's activations past every panel, so
// panels are taller there: PANEL_ROWS rows amortize the activations over more weights.
func panelRows(n int) int {
	if n <= 4 {
		return extendPanelRows
	}
	return prefillPanelRows
}

// Measured on the one-layer benchmark (Zen 3, 2 threads, noisy shared host): 16, 64
// and 256 extend rows, and 16 to 256 prefill rows, were within the noise of each other.
const (
	prefillPanelRows = 64
	extendPanelRows  = 16
	// batchPanelRows: a batched decode step's integer tiles (the few-row
	// kernels stream ~40 KB of rows at a time whatever the tile).
	batchPanelRows = 64
	// panelsTileRows: Q8 or Q4 weights in panels, every call. A one-token extend
	// of the 3B INT8 decoder read 0.79–0.84 of the probe bandwidth in tiles of
	// 16 rows, 0.83–0.96 in tiles of 64 (5 interleaved rounds; 256 rows as 64):
	// a quarter of the calls and of the tasks claimed.
	panelsTileRows = PanelTileRows
	// bf16 prefill: see linear.
	bf16PrefillPanelRows = 256
)

// PanelTileRows is how many weight rows one task of a linear layer on packed Q8 or Q4
// panels computes (one kernel call, for all of the call's tokens): bench's GEMM
// figure runs its GEMM in the same tiles.
const PanelTileRows = 64

// linearJob is the tile loop of one linear layer, or of up to maxLinearSet layers on
// one input (linearSet), as one parallel step (see Job).
type linearJob struct {
	e       *engine
	x       []float32
	n       int
	set     [maxLinearSet]linearOut // the layers
	first   [maxLinearSet + 1]int   // the first task of each layer
	nset    int
	quant   bool
	panel   int
	stride  int
	rowwise bool
	batch   bool
	prefill bool
	panels  bool
}

// actsKey names the int8 activations a linear call left in engine.acts and the
// layout it prepared from them, so that linearFrom(again) can reuse both.
type actsKey struct {
	x               *float32
	n, cols, stride int
	dtype           quant.Type
	panels, batch   bool
	prefill         bool
}

// linear computes y[i, r] = x[i, :]·W[r, :] (+ bias[r]) for n input rows. x is n×Cols,
// y is n×Rows, both row-major.
func (e *engine) linear(y, x []float32, n int, w *Matrix, bias []float32) {
	e.linearFrom(x, n, []linearOut{{y, w, bias}}, false)
}

// linearOut is one layer of a linearSet: its output, weights and bias.
type linearOut struct {
	y    []float32
	w    *Matrix
	bias []float32
}

// maxLinearSet is the most layers one linearSet runs together (q, k and v).
const maxLinearSet = 3

// linearSet is linear for each layer of set, all on the input x: when their weights
// are integer matrices of one type and width (q, k and v, or gate and up, of a
// decoder layer), the activations are quantized once and all their tiles run as one
// parallel step. A decode step thus waits for the threads 2 times per layer fewer,
// and each thread reads the layers' rows as one stream with no ramp at each layer's
// start: q, k and v of the 3B INT4 decoder took 7.6 ms of an 86 ms token as three
// steps (0.69 of the read probe, against 0.83 for the larger gate and up).
// Otherwise the layers run one after the other on the activations quantized once.
func (e *engine) linearSet(x []float32, n int, set []linearOut) {
	if len(set) > maxLinearSet {
		panic("infer: linearSet of more than maxLinearSet layers")
	}
	w0 := set[0].w
	together := w0.DType.Quantized() && len(set) > 1
	for _, o := range set[1:] {
		w := o.w
		together = together && w.DType == w0.DType && w.Cols == w0.Cols && w.Stride() == w0.Stride() && w.panels == w0.panels
	}
	if !together {
		for i := range set {
			e.linearFrom(x, n, set[i:i+1], i > 0)
		}
		return
	}
	e.linearFrom(x, n, set, false)
}

// linearFrom runs the layers of set (of one weight type and width when more than one)
// on x as one parallel step. With again, x is the input of the call before it,
// unchanged since, and the activations that call quantized and laid out are reused
// when the weights take the same (the layers of a linearSet that cannot run as one
// step). In a 256-token prefill each is ~1 ms of serial work that the other threads
// wait for.
func (e *engine) linearFrom(x []float32, n int, set []linearOut, again bool) {
	j := &e.lin
	*j = linearJob{e: e, x: x, n: n, nset: len(set)}
	copy(j.set[:], set)
	w := set[0].w
	if w.DType.Quantized() {
		j.quant, j.stride = true, w.Stride()
	}
	j.panel = panelRows(n)
	if w.bf16 != nil && n > 4 {
		// simd.GemmBF16's prefill rounds the activations to bf16 once per call
		// on AVX-512 BF16 hosts: taller panels convert them fewer times.
		j.panel = bf16PrefillPanelRows
	}
	switch {
	case j.quant && w.panels:
		// Q8 or Q4 weights packed into panels: one kernel shape for an extend, a batched
		// step (exact or not: a token's results are the same bits whatever else is
		// in the call) and a prefill, from activations laid out once (below).
		j.panels, j.panel = true, panelsTileRows
	case e.rowwise || e.batch && !j.quant && n <= rowwiseMax:
		// A batched decode step in exact mode (or a float matrix in a small
		// batch): each token row through the one-row kernel, every panel read
		// from memory once and from cache for the others.
		j.rowwise, j.panel = true, extendPanelRows
	case e.batch && j.quant && n > 1:
		// A batched decode step: the integer few-row kernels read each weight
		// row once for all the step's tokens (simd.GemmQ8Batch), from
		// activations laid out once per layer.
		j.batch, j.panel = true, batchPanelRows
	case j.quant && n > 1:
		// A prefill: the activations are laid out for the GEMM tiles once per
		// call, not once per panel (simd.QPrefill: that was 38% of an INT8 prefill).
		j.prefill = true
	}
	if j.quant {
		// Activations are quantized to int8 once per call (or per linearSet);
		// every weight row then meets them in integer dot products.
		key := actsKey{unsafe.SliceData(x), n, w.Cols, j.stride, w.DType, j.panels, j.batch, j.prefill}
		if !again || !e.actsValid || key != e.actsKey {
			e.quantizeActs(x, n, w.Cols, j.stride)
			switch {
			case j.panels:
				e.qpanels.PrepareWith(e.acts.q, e.acts.scales, e.acts.sums, n, j.stride, e.runEach)
			case j.batch:
				e.qbatch.Prepare(w.DType, e.acts.q, e.acts.scales, e.acts.sums, n, j.stride)
			case j.prefill:
				e.qprefill.Prepare(w.DType, e.acts.q, e.acts.scales, e.acts.sums, n, j.stride)
			}
		}
		e.actsKey, e.actsValid = key, true
	} else {
		e.actsValid = false
	}
	tasks := 0
	for i, o := range j.set[:j.nset] {
		j.first[i] = tasks
		tasks += (o.w.Rows + j.panel - 1) / j.panel
	}
	j.first[j.nset] = tasks
	if n <= 4 || j.rowwise || j.batch || j.panels && (e.batch || e.rowwise) {
		// A decode step reads each weight once: keep each thread's reads one stream.
		e.pool.RunStreams(tasks, j)
	} else {
		e.pool.Run(tasks, j)
	}
	*j = linearJob{}
}

// Task computes rows [task·panel, …) of the output for every input row.
func (j *linearJob) Task(task, worker int) {
	l := 0
	for task >= j.first[l+1] {
		l++
	}
	o := &j.set[l]
	task -= j.first[l]
	r0 := task * j.panel
	r1 := min(r0+j.panel, o.w.Rows)
	if j.rowwise {
		for i := 0; i < j.n; i++ {
			j.tile(o, i, i+1, r0, r1, worker)
		}
		return
	}
	j.tile(o, 0, j.n, r0, r1, worker)
}

// tile computes output rows [r0, r1) of layer o for input rows [i0, i1).
func (j *linearJob) tile(o *linearOut, i0, i1, r0, r1, worker int) {
	w, n := o.w, i1-i0
	in, out := w.Cols, w.Rows
	y, x := o.y[i0*out:], j.x[i0*in:]
	if j.quant {
		a := &j.e.acts
		nb := j.stride / quant.ActBlock
		q, sc, su := a.q[i0*j.stride:], a.scales[i0*nb:], a.sums[i0*nb:]
		raw := w.Data[r0*w.rowBytes : r1*w.rowBytes]
		switch {
		case j.panels && w.DType == quant.Q4:
			simd.GemmQ4Panels(y[r0:], out, &j.e.qpanels, raw, r1-r0)
		case j.panels:
			simd.GemmQ8Panels(y[r0:], out, &j.e.qpanels, raw, r1-r0)
		case j.batch && w.DType == quant.Q4:
			simd.GemmQ4Batch(y[r0:], out, &j.e.qbatch, raw, r1-r0)
		case j.batch:
			simd.GemmQ8Batch(y[r0:], out, &j.e.qbatch, raw, r1-r0)
		case j.prefill && w.DType == quant.Q4:
			simd.GemmQ4Prefill(y[r0:], out, &j.e.qprefill, raw, r1-r0)
		case j.prefill:
			simd.GemmQ8Prefill(y[r0:], out, &j.e.qprefill, raw, r1-r0)
		case w.DType == quant.Q4:
			simd.GemmQ4(y[r0:], out, q, sc, su, n, raw, r1-r0, j.stride)
		default:
			simd.GemmQ8(y[r0:], out, q, sc, su, n, raw, r1-r0, j.stride)
		}
		j.addBias(o, i0, i1, r0, r1)
		return
	}
	switch {
	case w.f32 != nil:
		simd.GemmF32(y[r0:], out, x, n, w.f32[r0*in:r1*in], r1-r0, in)
		j.addBias(o, i0, i1, r0, r1)
		return
	case w.bf16 != nil:
		simd.GemmBF16(y[r0:], out, x, n, w.bf16[r0*in:r1*in], r1-r0, in)
		j.addBias(o, i0, i1, r0, r1)
		return
	}
	scratch := j.e.rowScratch[worker]
	for r := r0; r < r1; r++ {
		wr := w.Row(r, scratch)
		var b float32
		if o.bias != nil {
			b = o.bias[r]
		}
		for i := 0; i < n; i++ {
			y[i*out+r] = dot(x[i*in:(i+1)*in], wr) + b
		}
	}
}

// actBuffers holds activations quantized to int8 per 32-block (W8A8 / W4A8): one
// scale and one sum per block.
type actBuffers struct {
	padded [][]float32 // per worker: one row zero-padded to the stored width
	q      []int8
	scales []float32
	sums   []int32
	// the input being quantized (engine.quantizeActs)
	x            []float32
	cols, stride int
}

// quantizeActs quantizes n rows of x (each cols wide) into e.acts, rows of stride
// values, zero-padding each row to the matrix's stored width: on the worker pool
// when there are many rows (a prefill's), else here.
func (e *engine) quantizeActs(x []float32, n, cols, stride int) {
	a := &e.acts
	nb := stride / quant.ActBlock
	if cap(a.q) < n*stride {
		a.q = make([]int8, n*stride)
	}
	if cap(a.scales) < n*nb {
		a.scales = make([]float32, n*nb)
		a.sums = make([]int32, n*nb)
	}
	if len(a.padded) < e.pool.Threads() || cap(a.padded[0]) < stride {
		a.padded = make([][]float32, e.pool.Threads())
		for i := range a.padded {
			a.padded[i] = make([]float32, stride)
		}
	}
	a.q, a.scales, a.sums = a.q[:n*stride], a.scales[:n*nb], a.sums[:n*nb]
	a.x, a.cols, a.stride = x, cols, stride
	if n < parallelRowsMin {
		a.rows(0, n, 0)
	} else {
		e.pool.Run((n+rowChunk-1)/rowChunk, a)
	}
	a.x = nil
}

// Task quantizes rows [task·rowChunk, …) of the current input on a worker.
func (a *actBuffers) Task(task, worker int) {
	a.rows(task*rowChunk, min(task*rowChunk+rowChunk, len(a.q)/a.stride), worker)
}

// rows quantizes rows [i0, i1) with worker's padding buffer.
func (a *actBuffers) rows(i0, i1, worker int) {
	cols, stride := a.cols, a.stride
	nb := stride / quant.ActBlock
	for i := i0; i < i1; i++ {
		row := a.x[i*cols : (i+1)*cols]
		if stride != cols {
			p := a.padded[worker][:stride]
			copy(p, row)
			clear(p[cols:])
			row = p
		}
		quantizeActs(row, a.q[i*stride:(i+1)*stride], a.scales[i*nb:(i+1)*nb], a.sums[i*nb:(i+1)*nb])
	}
}

// parallelRowsMin: row-wise work (quantizing activations, norms) of at least this
// many rows is shared out over the pool in chunks of rowChunk rows; a decode step's
// few rows stay on the calling thread.
const (
	parallelRowsMin = 32
	rowChunk        = 16
)

func (j *linearJob) addBias(o *linearOut, i0, i1, r0, r1 int) {
	if o.bias == nil {
		return
	}
	// y += 1·bias in SIMD: the same sums (1·b is exact), and the scalar loop was
	// a quarter of the INT8 vision tower's GEMM time (SigLIP has a bias on
	// every linear layer).
	out := o.w.Rows
	for i := i0; i < i1; i++ {
		simd.AxpyF32(o.y[i*out+r0:i*out+r1], 1, o.bias[r0:r1])
	}
}
