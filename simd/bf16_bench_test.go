package simd

import (
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"

	"github.com/pgedge/pgedge/internal/hugemem"
)

// BenchmarkBF16Extend: one token × 9216 rows × 2304 of bf16 weights (the MLP
// up-projection of a decode step, 42 MB) on 2 goroutines, tiles of 16 rows as
// infer's extend, cycled from huge-page memory, with StreamRead on another
// matrix in the same loop: GB/s of weights and their share of the stream's.
func BenchmarkBF16Extend(b *testing.B) {
	const nw, k = 9216, 2304
	rng := rand.New(rand.NewPCG(47, 47))
	x := make([]float32, k)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	out := make([]float32, nw)
	nmat := max(3, (160<<20)/(nw*k*2)+1)
	mats := make([][]uint16, nmat)
	raw := make([][]byte, nmat)
	for i := range mats {
		m, free, err := hugemem.Alloc(nw * k * 2)
		if err != nil {
			b.Fatal(err)
		}
		defer free()
		for j := range m {
			m[j] = byte(rng.Uint32())
		}
		raw[i] = m
		mats[i] = unsafe.Slice((*uint16)(unsafe.Pointer(&m[0])), nw*k)
	}
	var tg, ts time.Duration
	i := 0
	for b.Loop() {
		w, ws := mats[i%nmat], raw[(i+nmat/2)%nmat]
		i++
		t0 := time.Now()
		parallelRows(nw, func(r0, r1 int) {
			for t := r0; t < r1; t += 16 {
				GemmBF16(out[t:], nw, x, 1, w[t*k:], min(16, r1-t), k)
			}
		})
		t1 := time.Now()
		parallelRows(len(ws), func(a, b int) { StreamRead(ws[a:b]) })
		tg += t1.Sub(t0)
		ts += time.Since(t1)
	}
	gbs := float64(nw*k*2) * float64(b.N) / tg.Seconds() / 1e9
	sgbs := float64(nw*k*2) * float64(b.N) / ts.Seconds() / 1e9
	b.ReportMetric(gbs, "GB/s")
	b.ReportMetric(100*gbs/sgbs, "%stream")
	b.ReportMetric(0, "ns/op")
}
