package simd

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pgedge/pgedge/internal/hugemem"
	"github.com/pgedge/pgedge/quant"
)

// BenchmarkQPanels: nx tokens × 9216 rows × 2304 (the MLP up-projection of
// a decode step) on 2 goroutines (disjoint row halves, tiles of 64 rows as
// infer's step), Q8 or Q4 weights packed into panels and cycled from memory
// as in BenchmarkQExtend, with StreamRead on another matrix in the same
// loop: GB/s of weights and their share of the stream's (the roofline of
// a memory-bound step; compare BenchmarkQBatch's Q8 row-layout figures).
func BenchmarkQPanels(b *testing.B) {
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		b.Run(typ.String(), func(b *testing.B) { benchQPanels(b, typ) })
	}
}

// panelsFor returns the packer and the GEMM of typ's panels.
func panelsFor(typ quant.Type) (func(w []byte, nw, k int), func(out []float32, ldo int, p *QPanels, w []byte, nw int)) {
	if typ == quant.Q4 {
		return PackQ4Panels, GemmQ4Panels
	}
	return PackQ8Panels, GemmQ8Panels
}

func benchQPanels(b *testing.B, typ quant.Type) {
	const nw, k = 9216, 2304
	rng := rand.New(rand.NewPCG(36, 36))
	q, s, m := benchActs(rng, 64, k)
	out := make([]float32, 64*nw)
	rb := quant.RowBytes(typ, k)
	pack, gemm := panelsFor(typ)
	var p QPanels
	nmat := max(3, memSpan()/(nw*rb)+1)
	mats := make([][]byte, nmat)
	for i := range mats {
		// In huge pages, as infer holds a model read into memory.
		m, free, err := hugemem.Alloc(nw * rb)
		if err != nil {
			b.Fatal(err)
		}
		defer free()
		copy(m, randQRows(rng, typ, nw, k))
		pack(m, nw, k)
		mats[i] = m
	}
	for _, nx := range []int{1, 2, 4, 8, 16, 32, 64} {
		b.Run(fmt.Sprintf("nx=%d", nx), func(b *testing.B) {
			p.Prepare(q, s, m, nx, k) // once per layer, as infer does
			var tg, ts time.Duration
			i := 0
			for b.Loop() {
				w, ws := mats[i%nmat], mats[(i+nmat/2)%nmat]
				i++
				t0 := time.Now()
				parallelRows(nw, func(r0, r1 int) {
					for t := r0; t < r1; t += 64 {
						gemm(out[t:], nw, &p, w[t*rb:], min(64, r1-t))
					}
				})
				t1 := time.Now()
				parallelRows(len(ws), func(a, b int) { StreamRead(ws[a:b]) })
				tg += t1.Sub(t0)
				ts += time.Since(t1)
			}
			gbs := float64(nw*rb) * float64(b.N) / tg.Seconds() / 1e9
			sgbs := float64(nw*rb) * float64(b.N) / ts.Seconds() / 1e9
			b.ReportMetric(tg.Seconds()*1e3/float64(b.N), "ms/call")
			b.ReportMetric(gbs, "GB/s")
			b.ReportMetric(100*gbs/sgbs, "%stream")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkQPanelsPrefill: nx tokens × 2304 rows × 2304 on one goroutine
// (and 256 on two), packed Q8 or Q4 weights, 64-row tiles as infer's
// prefill: multiply-adds per second and the share of PeakGops (compare
// BenchmarkQPrefill's avx512vnni figures, the row layout).
func BenchmarkQPanelsPrefill(b *testing.B) {
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		b.Run(typ.String(), func(b *testing.B) { benchQPanelsPrefill(b, typ) })
	}
}

func benchQPanelsPrefill(b *testing.B, typ quant.Type) {
	const nw, k = 2304, 2304
	rng := rand.New(rand.NewPCG(37, 37))
	w := randQRows(rng, typ, nw, k)
	pack, gemm := panelsFor(typ)
	pack(w, nw, k)
	rb := quant.RowBytes(typ, k)
	for _, nx := range []int{64, 256} {
		q, s, m := benchActs(rng, nx, k)
		out := make([]float32, nx*nw)
		for _, threads := range []int{1, 2} {
			if threads == 2 && nx != 256 {
				continue
			}
			b.Run(fmt.Sprintf("nx=%d/threads=%d", nx, threads), func(b *testing.B) {
				peak := PeakGops(100 * time.Millisecond)
				var p QPanels
				tiles := func(r0, r1 int) {
					for t := r0; t < r1; t += 64 {
						gemm(out[t:], nw, &p, w[t*rb:], min(64, r1-t))
					}
				}
				for b.Loop() {
					p.Prepare(q, s, m, nx, k)
					if threads == 1 {
						tiles(0, nw)
					} else {
						parallelRows(nw, tiles)
					}
				}
				g := float64(nx) * nw * k / (b.Elapsed().Seconds() / float64(b.N)) / 1e9
				peak = max(peak, PeakGops(100*time.Millisecond))
				b.ReportMetric(g, "Gops")
				b.ReportMetric(100*g/peak/float64(threads), "%peak")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}

// BenchmarkQPanelsHot: the kernels' compute rate with the weights in
// cache (16 rows × 2304 in L1, 64 and 256 rows × 2304 in L2), one
// goroutine, activations prepared once: "panels" GemmQ8Panels/GemmQ4Panels
// on packed weights, "rows" GemmQ8/GemmQ4 (one token) or
// GemmQ8Batch/GemmQ4Batch on the row layout. Multiply-adds per second
// beside BenchmarkPeakGops'.
func BenchmarkQPanelsHot(b *testing.B) {
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		b.Run(typ.String(), func(b *testing.B) { benchQPanelsHot(b, typ) })
	}
}

func benchQPanelsHot(b *testing.B, typ quant.Type) {
	pack, gemm := panelsFor(typ)
	for _, sh := range [][2]int{{16, 2304}, {64, 2304}, {256, 2304}} {
		nw, k := sh[0], sh[1]
		rng := rand.New(rand.NewPCG(36, 36))
		q, s, m := benchActs(rng, 16, k)
		out := make([]float32, 16*nw)
		rb := quant.RowBytes(typ, k)
		w := randQRows(rng, typ, nw, k)
		wr := append([]byte(nil), w...)
		pack(w, nw, k)
		for _, nx := range []int{1, 2, 4, 8} {
			b.Run(fmt.Sprintf("%dx%d/panels/nx=%d", nw, k, nx), func(b *testing.B) {
				var p QPanels
				p.Prepare(q, s, m, nx, k)
				for b.Loop() {
					for t := 0; t < nw; t += 64 {
						gemm(out[t:], nw, &p, w[t*rb:], min(64, nw-t))
					}
				}
				b.ReportMetric(float64(nw*rb)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
				b.ReportMetric(float64(nw*k*nx)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gops")
			})
			b.Run(fmt.Sprintf("%dx%d/rows/nx=%d", nw, k, nx), func(b *testing.B) {
				var qb QBatch
				qb.Prepare(typ, q, s, m, nx, k)
				gemv, batch := GemmQ8, GemmQ8Batch
				if typ == quant.Q4 {
					gemv, batch = GemmQ4, GemmQ4Batch
				}
				for b.Loop() {
					for t := 0; t < nw; t += 64 {
						if nx == 1 {
							gemv(out[t:], nw, q, s, m, 1, wr[t*rb:], min(64, nw-t), k)
						} else {
							batch(out[t:], nw, &qb, wr[t*rb:], min(64, nw-t))
						}
					}
				}
				b.ReportMetric(float64(nw*rb)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
				b.ReportMetric(float64(nw*k*nx)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gops")
			})
		}
	}
}

// BenchmarkPackQ8Panels: packing the 9216 × 2304 up-projection (21.7 MB),
// GB/s; infer packs a model's Q8 matrices at load on every core.
func BenchmarkPackQ8Panels(b *testing.B) {
	const nw, k = 9216, 2304
	w := randQRows(rand.New(rand.NewPCG(38, 38)), quant.Q8, nw, k)
	for b.Loop() {
		PackQ8Panels(w, nw, k)
	}
	b.ReportMetric(float64(len(w))*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
}

// BenchmarkQPanelsPrepare: laying out the activations for the panel kernels,
// once per linear layer: 4 tokens of a batched step (k = 2304: q/k/v/o/gate/up
// of the 3B decoder; 9216: down) and 256 of a prefill (k = 1152: SigLIP's
// q/k/v/o/fc1; 4320: its fc2, 4304 padded to blocks), on one thread.
func BenchmarkQPanelsPrepare(b *testing.B) {
	for _, sh := range [][2]int{{4, 2304}, {4, 9216}, {256, 1152}, {256, 4320}} {
		nx, k := sh[0], sh[1]
		q, s, m := benchActs(rand.New(rand.NewPCG(39, 39)), nx, k)
		b.Run(fmt.Sprintf("nx=%d/k=%d", nx, k), func(b *testing.B) {
			var p QPanels
			for b.Loop() {
				p.Prepare(q, s, m, nx, k)
			}
			b.ReportMetric(float64(nx*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
		})
	}
}
