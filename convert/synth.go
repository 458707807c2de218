package convert

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// Synthetic is a model whose weights are generated on demand from a seed, with
// statistics that resemble trained checkpoints so that quantization is tested on
// realistic data: per-output-row scales drawn log-normal (σ 0.5), heavy tails
// (Student-t with 5 degrees of freedom) and 0.1% of input columns scaled ×8 as outlier
// channels. Each tensor depends only on the seed and its name, and each 64-row chunk
// on its own sub-seed, so the same seed gives the same model whatever thread count
// generates it and whatever storage type it is converted to.
type Synthetic struct {
	cfg   *model.Config
	seed  uint64
	specs map[string]model.TensorSpec
}

// NewSynthetic makes a synthetic model of a configuration.
func NewSynthetic(cfg *model.Config, seed uint64) *Synthetic {
	s := &Synthetic{cfg: cfg, seed: seed, specs: map[string]model.TensorSpec{}}
	for _, spec := range cfg.TensorSpecs() {
		if !spec.Optional {
			s.specs[spec.Name] = spec
		}
	}
	return s
}

// Describe implements model.Describer: shapes without generating data.
func (s *Synthetic) Describe(name string) (quant.Type, []int, bool) {
	spec, ok := s.specs[name]
	return quant.F32, spec.Shape, ok
}

// Close implements model.Source.
func (s *Synthetic) Close() error { return nil }

// Tensor generates a tensor as F32 (each call generates it anew; the converter asks
// once per tensor).
func (s *Synthetic) Tensor(name string) (model.Tensor, bool) {
	spec, ok := s.specs[name]
	if !ok {
		return model.Tensor{}, false
	}
	w := s.Generate(spec)
	data := make([]byte, 4*len(w))
	for i, v := range w {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(v))
	}
	return model.Tensor{Name: name, DType: quant.F32, Shape: spec.Shape, Data: data}, true
}

func (s *Synthetic) subSeed(name string, chunk int) uint64 {
	h := fnv.New64a()
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], s.seed)
	binary.LittleEndian.PutUint64(b[8:], uint64(chunk))
	h.Write(b[:])
	h.Write([]byte(name))
	return h.Sum64()
}

// studentT5 draws from a Student-t with 5 degrees of freedom scaled to unit variance
// (variance of t5 is 5/3).
func studentT5(r *rand.Rand) float64 {
	z := r.NormFloat64()
	var chi float64
	for i := 0; i < 5; i++ {
		n := r.NormFloat64()
		chi += n * n
	}
	return z / math.Sqrt(chi/5) * math.Sqrt(3.0/5.0)
}

const synthChunkRows = 64

// Generate returns the tensor's values.
func (s *Synthetic) Generate(spec model.TensorSpec) []float32 {
	n := elems(spec.Shape)
	out := make([]float32, n)
	switch spec.Class {
	case model.ClassNorm:
		r := rand.New(rand.NewPCG(s.subSeed(spec.Name, 0), 1))
		for i := range out {
			out[i] = float32(0.1 * r.NormFloat64()) // applied as 1+w (RMSNorm) or w (LayerNorm)
		}
		if spec.Name == model.NamePostLNWeight || isLayerNorm(spec.Name) {
			for i := range out {
				out[i] += 1
			}
		}
		return out
	case model.ClassBias, model.ClassPosition:
		r := rand.New(rand.NewPCG(s.subSeed(spec.Name, 0), 1))
		for i := range out {
			out[i] = float32(0.02 * r.NormFloat64())
		}
		return out
	}
	rows := spec.Shape[0]
	cols := n / rows
	std, colScale := s.matrixParams(spec)
	chunks := (rows + synthChunkRows - 1) / synthChunkRows
	var next sync.Mutex
	k := 0
	var wg sync.WaitGroup
	for g := 0; g < runtime.GOMAXPROCS(0); g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				c := k
				k++
				next.Unlock()
				if c >= chunks {
					return
				}
				r0 := c * synthChunkRows
				r1 := min(rows, r0+synthChunkRows)
				s.genChunk(spec, std, colScale, c, out[r0*cols:r1*cols])
			}
		}()
	}
	wg.Wait()
	return out
}

// isMatrix tells the tensors Generate makes row by row (64-row chunks, each
// from its own sub-seed) from the small ones it makes whole.
func isMatrix(c model.Class) bool {
	return c != model.ClassNorm && c != model.ClassBias && c != model.ClassPosition
}

// matrixParams returns a matrix tensor's weight scale and its outlier input
// columns (0.1% of them, fixed per tensor, ×8).
func (s *Synthetic) matrixParams(spec model.TensorSpec) (std float64, colScale []float32) {
	rows := spec.Shape[0]
	cols := elems(spec.Shape) / rows
	std = 1 / math.Sqrt(float64(cols))
	if spec.Class == model.ClassEmbedding {
		std = 0.03
	}
	cr := rand.New(rand.NewPCG(s.subSeed(spec.Name, -1), 2))
	colScale = make([]float32, cols)
	for c := range colScale {
		colScale[c] = 1
		if cr.Float64() < 0.001 {
			colScale[c] = 8
		}
	}
	return std, colScale
}

// genChunk fills dst with the rows of 64-row chunk c of a matrix tensor.
func (s *Synthetic) genChunk(spec model.TensorSpec, std float64, colScale []float32, c int, dst []float32) {
	cols := len(colScale)
	r := rand.New(rand.NewPCG(s.subSeed(spec.Name, c), 3))
	for row := 0; row < len(dst)/cols; row++ {
		rowScale := std * math.Exp(0.5*r.NormFloat64())
		d := dst[row*cols : (row+1)*cols]
		for i := range d {
			d[i] = float32(rowScale*studentT5(r)) * colScale[i]
		}
	}
}

// isLayerNorm tells SigLIP's LayerNorm weights (applied as w, so centred on 1) from
// Gemma's RMSNorm weights (applied as 1+w, so centred on 0).
func isLayerNorm(name string) bool {
	return strings.HasSuffix(name, "layer_norm1.weight") || strings.HasSuffix(name, "layer_norm2.weight")
}
