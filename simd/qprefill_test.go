package simd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pgedge/pgedge/quant"
)

// TestQPrefill: GemmQ8Prefill/GemmQ4Prefill on activations prepared once are
// bit-identical to GemmQ8/GemmQ4 on every level, for token counts below,
// at and past the GEMV threshold and the zmm token block (zBlockT shrunk
// so that several blocks and a ragged last group occur), k split into
// several blocks, and panels of the rows taken as infer takes them.
func TestQPrefill(t *testing.T) {
	forEachQLevel(t, func(t *testing.T, im qImpl) {
		rng := rand.New(rand.NewPCG(7, uint64(im.level)))
		for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
			for _, sh := range [][3]int{{1, 5, 256}, {3, 17, 512}, {4, 33, 256}, {8, 16, 768}, {13, 40, 2304}, {37, 19, 1280}, {70, 23, 512}} {
				nx, nw, k := sh[0], sh[1], sh[2]
				t.Run(fmt.Sprintf("%v/%dx%dx%d", typ, nx, nw, k), func(t *testing.T) {
					defer shrinkZBlocks()()
					q, s, m := benchActs(rng, nx, k)
					w := randQRows(rng, typ, nw, k)
					rb := quant.RowBytes(typ, k)
					want := make([]float32, nx*nw)
					got := make([]float32, nx*nw)
					for i := range got {
						got[i] = float32(math.NaN())
					}
					gemmQ(typ, want, nw, q, s, m, nx, w, nw, k)
					var p QPrefill
					p.Prepare(typ, q, s, m, nx, k)
					if l := &qLevels[im.level]; l.name == "avx512vnni" && nx >= l.gemvMax && !p.packed {
						t.Fatalf("%s with %d tokens: activations not packed", l.name, nx)
					}
					for r0 := 0; r0 < nw; r0 += 7 { // panels of 7 rows, as infer's tiles
						r1 := min(r0+7, nw)
						if typ == quant.Q4 {
							GemmQ4Prefill(got[r0:], nw, &p, w[r0*rb:r1*rb], r1-r0)
						} else {
							GemmQ8Prefill(got[r0:], nw, &p, w[r0*rb:r1*rb], r1-r0)
						}
					}
					for i := range want {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("out[%d] (token %d, row %d) = %v, want %v (packed: %v)", i, i/nw, i%nw, got[i], want[i], p.packed)
						}
					}
				})
			}
		}
	})
}
