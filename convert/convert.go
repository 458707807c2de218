// Package convert writes a PaliGemma model into one .pge file: it reads any tensor
// source (a Hugging Face checkpoint, or a synthetic model), applies a precision policy
// per tensor class, quantizes, and reports the error each tensor got.
//
// It streams: each tensor is cut into 64-row chunks that Options.Threads workers read
// (decoding the source's rows, or generating them for a synthetic model), quantize
// and measure in parallel, and that are written in order through compress.Writer
// (which renames the file into place only when it is complete). At most a few chunks
// per worker are in memory at once, so peak memory does not grow with the model, and
// the bytes written do not depend on the number of workers.
package convert

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// Policy chooses a storage type per tensor class.
type Policy struct {
	Weights   quant.Type // decoder attention and MLP matrices
	Vision    quant.Type // SigLIP matrices (patch embedding, attention, MLP)
	Embedding quant.Type // token embedding = tied output projection
	Projector quant.Type
}

// DefaultPolicy returns the policy for a --weights choice: the decoder matrices take
// it; the vision tower and projector take INT8 when the decoder is INT4 (they are
// 0.4 B of the 3 B parameters and run once per image, compute-bound); the embedding
// takes INT8 below BF16, because it is also the output layer whose errors land
// directly on the logits. Norms, biases and the position table always stay F32.
func DefaultPolicy(weights quant.Type) Policy {
	p := Policy{Weights: weights, Vision: weights, Embedding: weights, Projector: weights}
	if weights == quant.Q4 {
		p.Vision, p.Embedding, p.Projector = quant.Q8, quant.Q8, quant.Q8
	}
	return p
}

// For returns the storage type of a tensor class.
func (p Policy) For(c model.Class) quant.Type {
	switch c {
	case model.ClassAttention, model.ClassMLP:
		return p.Weights
	case model.ClassVision:
		return p.Vision
	case model.ClassEmbedding:
		return p.Embedding
	case model.ClassProjector:
		return p.Projector
	}
	return quant.F32 // norms, biases, position table
}

// Writable reports whether Convert writes t: F32, BF16, Q8 and Q4. F16 is read
// from checkpoints (and decoded as it is read) but not written: infer has no F16
// kernel and decodes its rows on every use, so BF16 is the 16-bit type to write.
func Writable(t quant.Type) bool {
	return t == quant.F32 || t == quant.BF16 || t == quant.Q8 || t == quant.Q4
}

// check refuses a policy Convert cannot write.
func (p Policy) check() error {
	for _, t := range []quant.Type{p.Weights, p.Vision, p.Embedding, p.Projector} {
		if !Writable(t) {
			return fmt.Errorf("convert writes f32, bf16, int8 or int4 weights, not %s", t.Name())
		}
	}
	return nil
}

// Options of a conversion.
type Options struct {
	Policy    Policy
	Tokenizer []byte // tokenizer.model bytes; nil converts without one
	VQVAE     []byte // vae-oid.npz bytes; nil for none
	Source    string // recorded in the metadata
	// Progress, when set, is called as the output is written, with the weights done
	// and in all (from the writing goroutine, after each chunk of rows).
	Progress func(done, total int64)
	// Threads is the number of goroutines that read and quantize rows; 0 means
	// GOMAXPROCS. The file written is the same for any value.
	Threads int
}

// TensorReport is the outcome for one tensor.
type TensorReport struct {
	Name          string  `json:"name"`
	Class         string  `json:"class"`
	Type          string  `json:"type"`
	Shape         []int   `json:"shape"`
	Bytes         int64   `json:"bytes"`
	BitsPerWeight float64 `json:"bits_per_weight"`
	RelRMSError   float64 `json:"rel_rms_error"`
	MaxAbsError   float64 `json:"max_abs_error"`
	sqErr, sqRef  float64 // Σ(ŵ−w)², Σw², for pooling per class
}

// ClassReport pools the tensors of a class: rel_rms_error is ‖Ŵ−W‖/‖W‖ over all of them.
type ClassReport struct {
	Tensors       int     `json:"tensors"`
	Params        int64   `json:"params"`
	Bytes         int64   `json:"bytes"`
	BitsPerWeight float64 `json:"bits_per_weight"`
	RelRMSError   float64 `json:"rel_rms_error"`
	MaxAbsError   float64 `json:"max_abs_error"`
	sqErr, sqRef  float64
}

// Report is the summary of a conversion.
type Report struct {
	Tensors []TensorReport          `json:"tensors"`
	Classes map[string]*ClassReport `json:"classes"`
	Bytes   int64                   `json:"bytes"`
	Params  int64                   `json:"params"`
	// Speed of the whole conversion, wall time from the first tensor to the file
	// renamed into place (fsync included): weights per second, source bytes (as
	// stored in the checkpoint; F32 for a synthetic model) and output bytes per
	// second in MB (10^6 bytes).
	Threads        int     `json:"threads"`
	Seconds        float64 `json:"seconds"`
	InputBytes     int64   `json:"input_bytes"`
	WeightsPerSec  float64 `json:"weights_per_s"`
	InputMBPerSec  float64 `json:"input_mb_per_s"`
	OutputMBPerSec float64 `json:"output_mb_per_s"`
	// PeakRSSBytes is the process's peak resident set size when the file was done
	// (the whole process's, so it includes whatever ran before the conversion).
	PeakRSSBytes int64 `json:"peak_rss_bytes"`
}

// Metadata of the quantization, stored in the file.
type quantMeta struct {
	Policy        map[string]string `json:"policy"`
	LayoutVersion int               `json:"layout_version"`
	Padding       string            `json:"padding"`
}

// Convert writes cfg's tensors from src to a .pge file at path.
func Convert(path string, cfg *model.Config, src model.Source, opts Options) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := opts.Policy.check(); err != nil {
		return nil, err
	}
	if err := cfg.CheckTensors(src); err != nil {
		return nil, err
	}
	specs := cfg.TensorSpecs()
	var total, inBytes int64
	for _, s := range specs {
		if dt, shape, ok := model.Describe(src, s.Name); ok {
			total += int64(elems(shape))
			inBytes += int64(elems(shape) * dt.Size())
		}
	}
	threads := opts.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	w, err := compress.Create(path)
	if err != nil {
		return nil, err
	}
	defer w.Abort() // no-op after a successful Close

	pol := map[string]string{}
	for _, c := range []model.Class{model.ClassAttention, model.ClassMLP, model.ClassVision, model.ClassEmbedding,
		model.ClassProjector, model.ClassNorm, model.ClassBias, model.ClassPosition} {
		pol[string(c)] = opts.Policy.For(c).String()
	}
	qm, _ := json.Marshal(quantMeta{Policy: pol, LayoutVersion: quant.LayoutVersion,
		Padding: "quantized rows are zero-padded to a whole number of blocks"})
	meta, err := json.Marshal(model.PGEMetadata{Format: model.PGEFormat, Config: *cfg, Quant: qm,
		Source: opts.Source, Creator: "pgedge convert"})
	if err != nil {
		return nil, err
	}
	if err := w.SetMetadata(meta); err != nil {
		return nil, err
	}
	if opts.Tokenizer != nil {
		if err := w.AddBlob(model.BlobTokenizer, opts.Tokenizer); err != nil {
			return nil, err
		}
	}
	if opts.VQVAE != nil {
		if err := w.AddBlob(model.BlobVQVAE, opts.VQVAE); err != nil {
			return nil, err
		}
	}

	rep := &Report{Classes: map[string]*ClassReport{}, Threads: threads, InputBytes: inBytes}
	var done int64
	progress := func(n int) {
		done += int64(n)
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	for _, s := range specs {
		rows, ok, err := rowSource(src, s)
		if !ok {
			continue // the optional untied lm_head
		}
		target := opts.Policy.For(s.Class)
		if len(s.Shape) < 2 && target.Quantized() {
			target = quant.F32
		}
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", s.Name, err)
		}
		shape := make([]int64, len(s.Shape))
		for i, d := range s.Shape {
			shape[i] = int64(d)
		}
		info := compress.TensorInfo{Name: s.Name, Type: uint8(target), TypeName: target.String(), Shape: shape,
			BlockLen: uint32(quant.BlockLen(target)), Layout: quant.LayoutVersion}
		tr, err := encode(w, info, s, rows, target, threads, progress)
		if err != nil {
			return nil, fmt.Errorf("tensor %s: %w", s.Name, err)
		}
		rep.add(tr, s.Class)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	rep.finish()
	rep.Seconds = time.Since(start).Seconds()
	if rep.Seconds > 0 {
		rep.WeightsPerSec = float64(rep.Params) / rep.Seconds
		rep.InputMBPerSec = float64(inBytes) / rep.Seconds / 1e6
		rep.OutputMBPerSec = float64(rep.Bytes) / rep.Seconds / 1e6
	}
	rep.PeakRSSBytes = PeakRSS()
	return rep, nil
}

func (r *Report) add(t TensorReport, class model.Class) {
	t.Class = string(class)
	r.Tensors = append(r.Tensors, t)
	c := r.Classes[t.Class]
	if c == nil {
		c = &ClassReport{}
		r.Classes[t.Class] = c
	}
	params := int64(1)
	for _, d := range t.Shape {
		params *= int64(d)
	}
	c.Tensors++
	c.Params += params
	c.Bytes += t.Bytes
	c.MaxAbsError = math.Max(c.MaxAbsError, t.MaxAbsError)
	c.sqErr += t.sqErr
	c.sqRef += t.sqRef
	r.Bytes += t.Bytes
	r.Params += params
}

func (r *Report) finish() {
	for _, c := range r.Classes {
		if c.Params > 0 {
			c.BitsPerWeight = float64(8*c.Bytes) / float64(c.Params)
		}
		if c.sqRef > 0 {
			c.RelRMSError = math.Sqrt(c.sqErr / c.sqRef)
		}
	}
}

// rowsFunc writes rows [r0, r1) of a tensor as float32 into dst.
type rowsFunc func(r0, r1 int, dst []float32)

// rowSource returns a tensor's rows: decoded from the source's bytes as they are
// needed, or for a synthetic model's matrices generated chunk by chunk (the tensor is
// never generated whole). ok is false if src does not hold the tensor.
func rowSource(src model.Source, s model.TensorSpec) (read rowsFunc, ok bool, err error) {
	if syn, isSyn := src.(*Synthetic); isSyn && isMatrix(s.Class) && len(s.Shape) >= 2 {
		if _, shape, ok := syn.Describe(s.Name); !ok || elems(shape) != elems(s.Shape) {
			return nil, ok, nil
		}
		std, colScale := syn.matrixParams(s)
		cols := len(colScale)
		return func(r0, r1 int, dst []float32) {
			for c := r0 / synthChunkRows; c*synthChunkRows < r1; c++ {
				a, b := c*synthChunkRows, min(r1, (c+1)*synthChunkRows)
				syn.genChunk(s, std, colScale, c, dst[(a-r0)*cols:(b-r0)*cols])
			}
		}, true, nil
	}
	t, ok := model.Lookup(src, s.Name)
	if !ok {
		return nil, false, nil
	}
	n := t.Elems()
	size := t.DType.Size()
	if size == 0 || len(t.Data) != n*size {
		return nil, true, fmt.Errorf("cannot decode %d bytes of %s with shape %v", len(t.Data), t.DType, t.Shape)
	}
	rows := 1
	if len(t.Shape) >= 2 {
		rows = t.Shape[0]
	}
	cols := n / max(rows, 1)
	data, dt := t.Data, t.DType
	return func(r0, r1 int, dst []float32) {
		b := data[r0*cols*size : r1*cols*size]
		dst = dst[:(r1-r0)*cols]
		if dt == quant.F32 && littleEndian && len(b) > 0 && uintptr(unsafe.Pointer(&b[0]))%4 == 0 {
			copy(dst, unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(dst)))
			return
		}
		quant.DequantizeRow(dt, b, dst)
	}, true, nil
}

// littleEndian: F32 rows can be copied from the mapping as they are.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// chunkRows is the number of rows a worker reads, quantizes and measures at a time
// (the synthetic generator's chunk, so a chunk is generated by one call).
const chunkRows = synthChunkRows

// chunk is one run of rows on its way from a worker to the writer.
type chunk struct {
	r0, r1               int
	in                   []float32
	out                  []byte
	sqErr, sqRef, maxErr float64
	err                  error
	done                 chan struct{}
}

// encode stores one tensor as target, streaming: threads workers quantize chunks of
// rows, and the writer takes them in order, so at most 2·threads+2 chunks are in
// memory. It measures the error of the encoding on the way.
func encode(w *compress.Writer, info compress.TensorInfo, s model.TensorSpec, read rowsFunc, target quant.Type,
	threads int, progress func(weights int)) (TensorReport, error) {
	n := elems(s.Shape)
	rows := s.Shape[0]
	if len(s.Shape) == 1 {
		rows = 1
	}
	cols := n / max(rows, 1)
	stored := quant.StoredCols(target, cols)
	rowBytes := quant.RowBytes(target, stored)
	size := int64(rows) * int64(rowBytes)
	tr := TensorReport{Name: s.Name, Type: target.String(), Shape: s.Shape, Bytes: size}
	if n > 0 {
		tr.BitsPerWeight = float64(8*size) / float64(n)
	}

	nChunks := (rows + chunkRows - 1) / chunkRows
	window := 2*threads + 2
	order := make(chan *chunk, window) // chunks in row order, for the writer
	todo := make(chan *chunk, window)  // the same chunks, for the workers
	free := make(chan *chunk, window+2)
	stop := make(chan struct{})
	go func() {
		defer close(order)
		defer close(todo)
		for i := 0; i < nChunks; i++ {
			var c *chunk
			select {
			case c = <-free:
			default:
				c = new(chunk)
			}
			c.r0, c.r1 = i*chunkRows, min(rows, (i+1)*chunkRows)
			c.sqErr, c.sqRef, c.maxErr, c.err = 0, 0, 0, nil
			c.done = make(chan struct{})
			select {
			case order <- c:
			case <-stop:
				return
			}
			todo <- c
		}
	}()
	var wg sync.WaitGroup
	for g := 0; g < min(threads, nChunks); g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var enc quant.RowEncoder
			padded := make([]float32, stored)
			back := make([]float32, stored)
			for c := range todo {
				work(c, read, &enc, target, cols, rowBytes, padded, back)
				close(c.done)
			}
		}()
	}
	r := &chunkReader{order: order, free: free, progress: progress, cols: cols}
	err := w.AddTensorFrom(info, size, r)
	close(stop)
	for range order { // let the producer finish; the workers drain todo
	}
	wg.Wait()
	if r.err != nil {
		return tr, r.err
	}
	if err != nil {
		return tr, err
	}
	if r.sqRef > 0 {
		tr.RelRMSError = math.Sqrt(r.sqErr / r.sqRef)
	}
	tr.MaxAbsError = r.maxErr
	tr.sqErr, tr.sqRef = r.sqErr, r.sqRef
	return tr, nil
}

// work reads, encodes and measures one chunk.
func work(c *chunk, read rowsFunc, enc *quant.RowEncoder, qt quant.Type, cols, rowBytes int, padded, back []float32) {
	nr := c.r1 - c.r0
	if cap(c.in) < nr*cols {
		c.in = make([]float32, nr*cols)
	}
	if cap(c.out) < nr*rowBytes {
		c.out = make([]byte, nr*rowBytes)
	}
	in, out := c.in[:nr*cols], c.out[:nr*rowBytes]
	c.out = out
	read(c.r0, c.r1, in)
	for r := 0; r < nr; r++ {
		copy(padded, in[r*cols:(r+1)*cols])
		dst := out[r*rowBytes : (r+1)*rowBytes]
		if err := enc.QuantizeRow(qt, dst, padded, nil); err != nil {
			c.err = fmt.Errorf("row %d: %w", c.r0+r, err)
			return
		}
		if qt == quant.F32 {
			continue // exact
		}
		quant.DequantizeRow(qt, dst, back)
		se, sr, mx := errStats(in[r*cols:(r+1)*cols], back[:cols])
		c.sqErr += se
		c.sqRef += sr
		c.maxErr = max(c.maxErr, mx)
	}
}

// errStats returns Σ(y−w)², Σw² and max |y−w| over a row (two accumulators each,
// so the loop is not one long chain of dependent adds).
func errStats(w, y []float32) (se, sr, mx float64) {
	var se1, sr1 float64
	n := len(w) &^ 1
	y = y[:len(w)]
	for i := 0; i < n; i += 2 {
		r0, r1 := float64(w[i]), float64(w[i+1])
		d0, d1 := float64(y[i])-r0, float64(y[i+1])-r1
		se += d0 * d0
		se1 += d1 * d1
		sr += r0 * r0
		sr1 += r1 * r1
		if a := math.Abs(d0); a > mx {
			mx = a
		}
		if a := math.Abs(d1); a > mx {
			mx = a
		}
	}
	if n < len(w) {
		r0 := float64(w[n])
		d0 := float64(y[n]) - r0
		se += d0 * d0
		sr += r0 * r0
		mx = max(mx, math.Abs(d0))
	}
	return se + se1, sr + sr1, mx
}

// chunkReader hands the writer the chunks' bytes in row order and pools their errors.
type chunkReader struct {
	order                chan *chunk
	free                 chan *chunk
	cur                  *chunk
	pos                  int
	cols                 int
	progress             func(weights int)
	sqErr, sqRef, maxErr float64
	err                  error
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if r.cur == nil {
		c, ok := <-r.order
		if !ok {
			return 0, io.EOF
		}
		<-c.done
		if c.err != nil {
			r.err = c.err
			return 0, c.err
		}
		r.sqErr += c.sqErr
		r.sqRef += c.sqRef
		r.maxErr = math.Max(r.maxErr, c.maxErr)
		r.cur, r.pos = c, 0
	}
	n := copy(p, r.cur.out[r.pos:])
	r.pos += n
	if r.pos == len(r.cur.out) {
		r.progress((r.cur.r1 - r.cur.r0) * r.cols)
		select {
		case r.free <- r.cur:
		default:
		}
		r.cur = nil
	}
	return n, nil
}

func elems(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
