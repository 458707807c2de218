package simd

import (
	"fmt"

	"github.com/pgedge/pgedge/quant"
)

// QPrefill is one linear layer's int8 activations (QuantizeActs' q, scales
// and sums for nx tokens of k values) prepared once for GemmQ8Prefill /
// GemmQ4Prefill, which a caller then runs on many panels of the layer's
// rows (in parallel: they only read it). With the avx512vnni prefill the
// activations are laid out for its tiles here, once, instead of once per
// GemmQ8 call: a layer's 36–144 panel calls each re-packed all of them,
// which took 38% of an INT8 prefill's CPU time against the tiles' 20%
// (PaliGemma 2 3B, 257 tokens, 64-row panels). Elsewhere it only keeps the
// slices, and the results are bit-identical to GemmQ8/GemmQ4's.
type QPrefill struct {
	q      []int8
	scales []float32
	sums   []int32
	nx, k  int
	q4     bool
	packed bool
	z      qPrefillPacked
}

// Prepare sets p to nx tokens of k values (as GemmQ8/GemmQ4 take them) for
// weights of type t (quant.Q8 or quant.Q4). It keeps the slices: they must
// not change until p's last use. Its buffers are reused from call to call.
func (p *QPrefill) Prepare(t quant.Type, q []int8, scales []float32, sums []int32, nx, k int) {
	if t != quant.Q8 && t != quant.Q4 {
		panic(fmt.Sprintf("simd: QPrefill.Prepare: %v is not Q8 or Q4", t))
	}
	if nx < 0 || k < 0 || k%32 != 0 || !qfits(nx, k, len(q)) || !qfits(nx, k/32, len(scales)) || !qfits(nx, k/32, len(sums)) {
		panic(fmt.Sprintf("simd: QPrefill.Prepare: %d tokens of %d values with len(q), len(scales), len(sums) = %d, %d, %d", nx, k, len(q), len(scales), len(sums)))
	}
	p.q, p.scales, p.sums, p.nx, p.k, p.q4 = q, scales, sums, nx, k, t == quant.Q4
	p.packed = nx > 0 && k > 0 && qPrefillPack(p)
}

// GemmQ8Prefill is GemmQ8(out, ldo, q, scales, sums, nx, w, nw, k) on the
// activations p was prepared with (for quant.Q8), with bit-identical results.
func GemmQ8Prefill(out []float32, ldo int, p *QPrefill, w []byte, nw int) {
	if p.q4 {
		panic("simd: GemmQ8Prefill: p was prepared for Q4")
	}
	gemmQPrefill("GemmQ8Prefill", 32, 34, out, ldo, p, w, nw)
}

// GemmQ4Prefill is GemmQ8Prefill for Q4 rows (GemmQ4).
func GemmQ4Prefill(out []float32, ldo int, p *QPrefill, w []byte, nw int) {
	if !p.q4 {
		panic("simd: GemmQ4Prefill: p was prepared for Q8")
	}
	gemmQPrefill("GemmQ4Prefill", 256, 144, out, ldo, p, w, nw)
}

func gemmQPrefill(fn string, blk, blkBytes int, out []float32, ldo int, p *QPrefill, w []byte, nw int) {
	if !p.packed {
		if p.q4 {
			GemmQ4(out, ldo, p.q, p.scales, p.sums, p.nx, w, nw, p.k)
		} else {
			GemmQ8(out, ldo, p.q, p.scales, p.sums, p.nx, w, nw, p.k)
		}
		return
	}
	if !checkQGemm(fn, blk, blkBytes, out, ldo, p.q, p.scales, p.sums, p.nx, w, nw, p.k) {
		return
	}
	qPrefillGemm(p, out, ldo, w, nw)
}
