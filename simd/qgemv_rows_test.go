package simd

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pgedge/pgedge/quant"
)

// q8Lane returns lane l (bytes 4l … 4l+3) of block blk with activations a:
// the 4 products of codes and activations, −128·Σa.
func q8Lane(blk []byte, a []int8, l int) int32 {
	var s int32
	for i := 4 * l; i < 4*l+4; i++ {
		s += (int32(blk[2+i]) - 128) * int32(a[i])
	}
	return s
}

// refBatch returns quant's dot product of row r and token i and the bound
// of qgemv_rows.go: (k/32 + 8)·2⁻²³·Σ over lanes |d·s·L| (Q4: plus
// Σ_b |M_j·s_b·sum_b|), plus subnormal slack.
func (p *qProblem) refBatch(i, r int) (want float32, tol float64) {
	rb, nb := p.rb(), p.k/32
	row := p.w[r*rb : (r+1)*rb]
	q, s, m := p.q[i*p.k:(i+1)*p.k], p.scales[i*nb:(i+1)*nb], p.sums[i*nb:(i+1)*nb]
	var abs float64
	if p.typ == quant.Q8 {
		want = quant.DotQ8(row, q, s, m, p.k)
		for b := 0; b < nb; b++ {
			ds := float64(f16(binary.LittleEndian.Uint16(row[b*34:]))) * float64(s[b])
			for l := 0; l < 8; l++ {
				abs += math.Abs(ds * float64(q8Lane(row[b*34:b*34+34], q[b*32:], l)))
			}
		}
	} else {
		want = quant.DotQ4(row, q, s, m, p.k)
		var h q4Head
		for sb := 0; sb < p.k/256; sb++ {
			blk := row[sb*144:]
			decodeQ4Head(blk, &h)
			for j := 0; j < 8; j++ {
				b := sb*8 + j
				for l := 0; l < 8; l++ {
					var L int64
					for x := 4 * l; x < 4*l+4; x++ {
						c := blk[16+(j/2)*32+x] >> (4 * (j & 1)) & 15
						L += int64(h.lv[c]) * int64(q[b*32+x])
					}
					abs += math.Abs(float64(h.S[j]) * float64(s[b]) * float64(L))
				}
				abs += math.Abs(float64(h.M[j]) * float64(s[b]) * float64(m[b]))
			}
		}
	}
	return want, float64(nb+8)*0x1p-23*abs + float64(8*nb+8)*0x1p-149
}

// TestQBatchEdges runs GemmQ8Batch/GemmQ4Batch at every level on every
// token count 0..10 (the kernels' groups of 1..4 tokens and the group
// loop), odd and even row counts, k from one block to past 8-block steps
// with every nb%8 tail (Q8) and 1..3 super-blocks (Q4), misaligned slices
// and ldo ≥ nw: each within the bound of quant and of the generic twin,
// and exact with exact data.
func TestQBatchEdges(t *testing.T) {
	logQLevels(t)
	rng := rand.New(rand.NewPCG(31, 31))
	n := 0
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		ks := []int{32, 64, 96, 224, 256, 288, 480, 512, 544, 736}
		if typ == quant.Q4 {
			ks = []int{256, 512, 768}
		}
		for _, k := range ks {
			for nx := 0; nx <= 10; nx++ {
				for _, nw := range []int{0, 1, 2, 5, 8, 13} {
					n++
					act, wk := n%5, (n/5)%5
					if wk == wQuant && typ == quant.Q4 && n%3 != 0 {
						wk = wRandom
					}
					p := newQProblem(rng, typ, nx, nw, k, nw+rng.IntN(3), act, wk)
					p.batch = true
					p.crossCheck(t, act == actExact && wk == wExact && (typ == quant.Q8 || k <= 512))
					if t.Failed() {
						return
					}
				}
			}
		}
	}
}

// TestQBatchLarge: the model's shapes (k = 2304, 9216) and more rows than
// one ~40 KB chunk, random, quantized and saturating data.
func TestQBatchLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(32, 32))
	for _, s := range [][3]int{{2, 37, 2304}, {3, 21, 9216}, {4, 40, 2304}, {5, 17, 4352}, {8, 33, 2304}, {7, 9, 2336}} {
		for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
			k := s[2]
			if typ == quant.Q4 {
				k = k / 256 * 256
			}
			for _, kinds := range [][2]int{{actRandom, wRandom}, {actRandom, wQuant}, {actSaturate, wExtreme}} {
				p := newQProblem(rng, typ, s[0], s[1], k, s[1]+rng.IntN(2), kinds[0], kinds[1])
				p.batch = true
				p.crossCheck(t, false)
				if t.Failed() {
					return
				}
			}
		}
	}
}

// TestQRowsTwin compares each level's few-row kernels, called directly
// for 1..9 tokens, with their Go twins: the same lanes, order and fusion,
// so they must agree to the bound and, apart from the twins' float64 FMA
// (a double rounding in rare ties), bit for bit.
func TestQRowsTwin(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 33))
	for lv, l := range qLevels {
		if !l.have || l.rows8 == nil || lv == 0 {
			continue
		}
		for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
			if typ == quant.Q4 && l.rows4 == nil {
				t.Logf("%s: no few-row Q4 kernel", l.name)
				continue
			}
			var same, all int
			for _, k := range []int{256, 288, 2304, 2528} {
				if typ == quant.Q4 {
					k = k / 256 * 256
				}
				for nx := 1; nx <= 9; nx++ {
					p := newQProblem(rng, typ, nx, 11, k, 13, actRandom, wRandom)
					p.batch = true
					got, want := make([]float32, (nx-1)*13+11), make([]float32, (nx-1)*13+11)
					gen := qLevels[0]
					rowsAsGemm(typ, &l)(got, 13, p.q, p.scales, p.sums, nx, p.w, 11, k)
					rowsAsGemm(typ, &gen)(want, 13, p.q, p.scales, p.sums, nx, p.w, 11, k)
					for i := 0; i < nx; i++ {
						for r := 0; r < 11; r++ {
							_, tol := p.refBatch(i, r)
							a, b := got[i*13+r], want[i*13+r]
							all++
							if a == b {
								same++
							}
							if !(math.Abs(float64(a)-float64(b)) <= tol) {
								t.Fatalf("%s %v nx=%d k=%d out[%d,%d] = %v, twin %v (tol %.3g)", l.name, typ, nx, k, i, r, a, b, tol)
							}
						}
					}
				}
			}
			t.Logf("%s %v: %d of %d outputs bit-identical to the Go twin", l.name, typ, same, all)
			if same < all*9/10 {
				t.Errorf("%s %v: only %d of %d outputs equal the twin's: the kernel's order has drifted from it", l.name, typ, same, all)
			}
		}
	}
}

func FuzzGemmQ8Batch(f *testing.F) {
	fuzzQSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, kb, extra uint8) {
		p := fuzzQProblem(quant.Q8, data, nx, nw, kb, extra)
		p.batch = true
		p.crossCheck(t, false)
	})
}

func FuzzGemmQ4Batch(f *testing.F) {
	fuzzQSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, kb, extra uint8) {
		p := fuzzQProblem(quant.Q4, data, nx, nw, kb, extra)
		p.batch = true
		p.crossCheck(t, false)
	})
}

// BenchmarkQBatch: nx = 1..16 tokens × 9216 rows × 2304 (the MLP
// up-projection of a decode step) on 2 goroutines (disjoint row halves),
// weights cycled from memory as in BenchmarkQExtend: "gemm" is GemmQ8/Q4
// (the one-row GEMV per token below gemvMax, the GEMM from there), "batch"
// GemmQ8Batch/Q4Batch with the few-row kernels at every nx (past rowsMax
// too). Reports ms per call and ms per token.
func BenchmarkQBatch(b *testing.B) {
	const nw, k = 9216, 2304
	rng := rand.New(rand.NewPCG(34, 34))
	q, s, m := benchActs(rng, 16, k)
	out := make([]float32, 16*nw)
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		rb := quant.RowBytes(typ, k)
		nmat := max(3, memSpan()/(nw*rb)+1)
		mats := make([][]byte, nmat)
		for i := range mats {
			mats[i] = randQRows(rng, typ, nw, k)
		}
		for _, path := range []string{"gemm", "batch"} {
			for _, nx := range []int{1, 2, 3, 4, 5, 6, 8, 12, 16} {
				if path == "batch" && nx == 1 {
					continue
				}
				b.Run(fmt.Sprintf("%v/%s/nx=%d", typ, path, nx), func(b *testing.B) {
					// The few-row kernels at every nx here, past the rowsMax
					// threshold too, to measure it.
					for _, kind := range []int{qkRows8, qkRows4} {
						l := &qLevels[qSel[kind]]
						defer func(m int) { l.rowsMax = m }(l.rowsMax)
						l.rowsMax = max(l.rowsMax, 16)
					}
					f := gemmQ
					var qb QBatch
					if path == "batch" {
						f = func(typ quant.Type, out []float32, ldo int, q []int8, s []float32, m []int32, nx int, w []byte, nw, k int) {
							if typ == quant.Q8 {
								GemmQ8Batch(out, ldo, &qb, w, nw)
							} else {
								GemmQ4Batch(out, ldo, &qb, w, nw)
							}
						}
					}
					i := 0
					for b.Loop() {
						w := mats[i%nmat]
						i++
						// Prepared once per layer, as infer does.
						qb.Prepare(typ, q, s, m, nx, k)
						parallelRows(nw, func(r0, r1 int) {
							// Tiles of 64 rows, as infer's batched step.
							for t := r0; t < r1; t += 64 {
								f(typ, out[t:], nw, q, s, m, nx, w[t*rb:], min(64, r1-t), k)
							}
						})
					}
					ms := b.Elapsed().Seconds() * 1e3 / float64(b.N)
					b.ReportMetric(ms, "ms/call")
					b.ReportMetric(ms/float64(nx), "ms/token")
					b.ReportMetric(float64(nw*rb)/(ms/1e3)/1e9, "GB/s")
					b.ReportMetric(0, "ns/op")
				})
			}
		}
	}
}

// BenchmarkQBatchPrepare: laying out 4 tokens for the few-row kernels, once
// per linear layer (k = 2304: q/k/v/o/gate/up of the 3B decoder; 9216: down).
func BenchmarkQBatchPrepare(b *testing.B) {
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		for _, k := range []int{2304, 9216} {
			rng := rand.New(rand.NewPCG(35, 35))
			q, s, m := benchActs(rng, 4, k)
			b.Run(fmt.Sprintf("%v/k=%d", typ, k), func(b *testing.B) {
				var qb QBatch
				for b.Loop() {
					qb.Prepare(typ, q, s, m, 4, k)
				}
			})
		}
	}
}
