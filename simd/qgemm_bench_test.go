package simd

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/pgedge/pgedge/quant"
)

// Benchmark shapes (PaliGemma 2 3B's Gemma 2 2B decoder): extend is one
// token through the 2304→9216 MLP up-projection (memory bound); prefill is
// 256 image tokens (and 64, a worker's tile) through a 2304→2304
// projection (compute bound). The extend benchmarks cycle through enough
// weight matrices (≥ 96 MB) that they come from memory, not from the 32 MB
// L3 of the machine they were tuned on, and report GB/s beside StreamRead's
// on 256 MB; the prefill benchmarks report multiply-adds per second beside
// PeakGops.

// randQRows returns n random, valid rows of type typ (finite scales).
func randQRows(rng *rand.Rand, typ quant.Type, n, k int) []byte {
	rb := quant.RowBytes(typ, k)
	w := make([]byte, n*rb)
	for i := 0; i+8 <= len(w); i += 8 {
		binary.LittleEndian.PutUint64(w[i:], rng.Uint64())
	}
	for r := 0; r < n; r++ {
		row := w[r*rb : (r+1)*rb]
		if typ == quant.Q8 {
			for b := 0; b < k/32; b++ {
				row[b*34+1] = row[b*34+1]&0x83 | 0x18 // |d| in [2^-9, 2^-5)
			}
			continue
		}
		for b := 0; b < k/256; b++ {
			binary.LittleEndian.PutUint16(row[b*144:], 0x3a00|uint16(row[b*144])&0x80ff)
			binary.LittleEndian.PutUint16(row[b*144+2:], 0x3a00|uint16(row[b*144+2])&0x80ff)
		}
	}
	return w
}

// benchActs returns nx tokens of activations quantized from Gaussian floats.
func benchActs(rng *rand.Rand, nx, k int) (q []int8, s []float32, m []int32) {
	x := make([]float32, nx*k)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	q, s, m = make([]int8, nx*k), make([]float32, nx*k/32), make([]int32, nx*k/32)
	quant.QuantizeActivations(x, q, s, m)
	return
}

func gemmQ(typ quant.Type, out []float32, ldo int, q []int8, s []float32, m []int32, nx int, w []byte, nw, k int) {
	if typ == quant.Q8 {
		GemmQ8(out, ldo, q, s, m, nx, w, nw, k)
	} else {
		GemmQ4(out, ldo, q, s, m, nx, w, nw, k)
	}
}

// parallelRows runs f on the row ranges [0, nw/2) and [nw/2, nw) at once.
func parallelRows(nw int, f func(r0, r1 int)) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); f(0, nw/2) }()
	go func() { defer wg.Done(); f(nw/2, nw) }()
	wg.Wait()
}

// memSpan is how many bytes of weights a "from memory" benchmark cycles
// through: 96 MiB (three times a Zen 5 CCD's 32 MiB L3), or twice the last-level
// cache sysfs reports when that is larger (the Xeon of 2026-12-07 reports 480
// MiB, and a 96 MiB span ran from it at up to 37 GB/s on 2 cores, above the
// stream).
func memSpan() int { return max(96<<20, 2*cacheOS(3)) }

var streamBuf []byte

// streamGBs measures StreamRead's bandwidth (with the fastest
// implementation) on 256 MB (or memSpan) with 1 or 2 goroutines (disjoint halves), best
// of 3.
func streamGBs(threads int) float64 {
	defer qImpl{level: qBest()}.use()()
	if streamBuf == nil {
		streamBuf = make([]byte, max(256<<20, memSpan()))
		for i := range streamBuf {
			streamBuf[i] = byte(i)
		}
	}
	best := 0.0
	for rep := 0; rep < 3; rep++ {
		t0 := time.Now()
		if threads == 1 {
			StreamRead(streamBuf)
		} else {
			parallelRows(len(streamBuf), func(a, b int) { StreamRead(streamBuf[a:b]) })
		}
		best = max(best, float64(len(streamBuf))/time.Since(t0).Seconds()/1e9)
	}
	return best
}

func BenchmarkStreamRead(b *testing.B) {
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			for b.Loop() {
				b.ReportMetric(streamGBs(threads), "GB/s")
			}
		})
	}
}

func BenchmarkPeakGops(b *testing.B) {
	for _, im := range qImpls() {
		b.Run(im.name, func(b *testing.B) {
			defer im.use()()
			for b.Loop() {
				b.ReportMetric(PeakGops(50*time.Millisecond), "Gops")
			}
		})
	}
}

func BenchmarkQuantizeActs(b *testing.B) {
	rng := rand.New(rand.NewPCG(20, 20))
	x := make([]float32, 2304)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	q, s, m := make([]int8, len(x)), make([]float32, len(x)/32), make([]int32, len(x)/32)
	for _, im := range qImpls() {
		b.Run(im.name, func(b *testing.B) {
			defer im.use()()
			for b.Loop() {
				QuantizeActs(x, q, s, m)
			}
			b.ReportMetric(float64(len(x))*4/(b.Elapsed().Seconds()/float64(b.N))/1e9, "GB/s")
		})
	}
}

// BenchmarkQExtend: one token × 9216 rows × 2304, 1 and 2 goroutines
// (disjoint row halves), GB/s of weights, beside StreamRead's GB/s measured
// in the same loop (alternating, on another of the matrices, with as many
// goroutines) and the ratio of the two.
func BenchmarkQExtend(b *testing.B) {
	const nw, k = 9216, 2304
	rng := rand.New(rand.NewPCG(21, 21))
	q, s, m := benchActs(rng, 1, k)
	out := make([]float32, nw)
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		rb := quant.RowBytes(typ, k)
		nmat := max(3, memSpan()/(nw*rb)+1)
		mats := make([][]byte, nmat)
		for i := range mats {
			mats[i] = randQRows(rng, typ, nw, k)
		}
		for _, im := range qImpls() {
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%v/%s/threads=%d", typ, im.name, threads), func(b *testing.B) {
					var tg, ts time.Duration
					i := 0
					for b.Loop() {
						w, ws := mats[i%nmat], mats[(i+nmat/2)%nmat]
						i++
						t0 := time.Now()
						restore := im.use()
						if threads == 1 {
							gemmQ(typ, out, nw, q, s, m, 1, w, nw, k)
						} else {
							parallelRows(nw, func(r0, r1 int) {
								gemmQ(typ, out[r0:], nw, q, s, m, 1, w[r0*rb:], r1-r0, k)
							})
						}
						restore()
						t1 := time.Now()
						restore = qImpl{level: qBest()}.use()
						if threads == 1 {
							StreamRead(ws)
						} else {
							parallelRows(len(ws), func(a, b int) { StreamRead(ws[a:b]) })
						}
						restore()
						tg += t1.Sub(t0)
						ts += time.Since(t1)
					}
					gbs := float64(nw*rb) * float64(b.N) / tg.Seconds() / 1e9
					sgbs := float64(nw*rb) * float64(b.N) / ts.Seconds() / 1e9
					b.ReportMetric(gbs, "GB/s")
					b.ReportMetric(sgbs, "stream-GB/s")
					b.ReportMetric(100*gbs/sgbs, "%stream")
					b.ReportMetric(0, "ns/op")
				})
			}
		}
	}
}

// BenchmarkQPrefill: nx tokens × 2304 rows × 2304 on one goroutine (and
// 256 tokens on two, disjoint row halves): multiply-adds per second and the
// share of PeakGops.
func BenchmarkQPrefill(b *testing.B) {
	const nw, k = 2304, 2304
	rng := rand.New(rand.NewPCG(22, 22))
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		w := randQRows(rng, typ, nw, k)
		for _, nx := range []int{64, 256} {
			q, s, m := benchActs(rng, nx, k)
			out := make([]float32, nx*nw)
			for _, im := range qImpls() {
				if im.level == 0 && nx > 64 {
					continue // minutes
				}
				for _, threads := range []int{1, 2} {
					if threads == 2 && nx != 256 {
						continue
					}
					b.Run(fmt.Sprintf("%v/nx=%d/%s/threads=%d", typ, nx, im.name, threads), func(b *testing.B) {
						defer im.use()()
						// The peak beside the run: the best of before and after
						// (the host is shared).
						peak := PeakGops(100 * time.Millisecond)
						rb := quant.RowBytes(typ, k)
						for b.Loop() {
							if threads == 1 {
								gemmQ(typ, out, nw, q, s, m, nx, w, nw, k)
							} else {
								parallelRows(nw, func(r0, r1 int) {
									gemmQ(typ, out[r0:], nw, q, s, m, nx, w[r0*rb:], r1-r0, k)
								})
							}
						}
						g := float64(nx) * nw * k / (b.Elapsed().Seconds() / float64(b.N)) / 1e9
						peak = max(peak, PeakGops(100*time.Millisecond))
						b.ReportMetric(g, "Gops")
						b.ReportMetric(peak, "peak-Gops")
						b.ReportMetric(100*g/peak/float64(threads), "%peak")
						b.ReportMetric(0, "ns/op")
					})
				}
			}
		}
	}
}
