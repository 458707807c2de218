//go:build !purego

package simd

import (
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/pgedge/pgedge/quant"
)

// Tuning measurements of the AVX2 integer kernels, kept for re-tuning on
// other machines; they print figures and are skipped unless QTUNE=1 (e.g.
// QTUNE=1 go test -run TestQTuneReport -v ./simd/). The host they were tuned
// on is shared, so they take the best of many short runs, or interleave
// the reference probe (PeakGops, StreamRead) with the kernel and report the
// median ratio.

func secs(f func()) float64 {
	t0 := time.Now()
	f()
	return time.Since(t0).Seconds()
}

// compareBW alternates f and StreamRead over the same bytes n times and
// returns the best GB/s of each and the median ratio.
func compareBW(n int, bytes int, f func(), buf []byte) (gbs, sgbs, med float64) {
	var ratios []float64
	for i := 0; i < n; i++ {
		a := secs(f)
		b := secs(func() { StreamRead(buf) })
		gbs = max(gbs, float64(bytes)/a/1e9)
		sgbs = max(sgbs, float64(len(buf))/b/1e9)
		ratios = append(ratios, b/a*float64(bytes)/float64(len(buf)))
	}
	sort.Float64s(ratios)
	return gbs, sgbs, ratios[n/2]
}

func TestQTuneGemv(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	reps, _ := strconv.Atoi(os.Getenv("QREPS"))
	reps = max(reps, 15)
	rng := rand.New(rand.NewPCG(1, 2))
	const k = 2304
	q, s, m := benchActs(rng, 1, k)
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		if os.Getenv("QTYPE") != "" && os.Getenv("QTYPE") != typ.String() {
			continue
		}
		rb := quant.RowBytes(typ, k)
		nw := memSpan() / rb
		w := randQRows(rng, typ, nw, k)
		out := make([]float32, nw)
		g, sg, med := compareBW(reps, nw*rb, func() { gemmQ(typ, out, nw, q, s, m, 1, w, nw, k) }, w)
		fmt.Printf("%v mem 1T: gemv %.1f GB/s, stream %.1f GB/s, median ratio %.0f%%\n", typ, g, sg, 100*med)
		g, sg, med = compareBW(reps, nw*rb, func() {
			parallelRows(nw, func(r0, r1 int) { gemmQ(typ, out[r0:], nw, q, s, m, 1, w[r0*rb:], r1-r0, k) })
		}, w)
		_ = sg
		sg2 := 0.0
		for i := 0; i < 5; i++ {
			sg2 = max(sg2, float64(len(w))/secs(func() { parallelRows(len(w), func(a, b int) { StreamRead(w[a:b]) }) })/1e9)
		}
		fmt.Printf("%v mem 2T: gemv %.1f GB/s, stream(2T) %.1f GB/s\n", typ, g, sg2)
		nw2 := 128
		sec := 1e9
		for i := 0; i < 300; i++ {
			sec = min(sec, secs(func() { gemmQ(typ, out, nw2, q, s, m, 1, w, nw2, k) }))
		}
		fmt.Printf("%v L2: gemv %.1f GB/s = %.2f cycles/32 values @2.45GHz\n", typ, float64(nw2*rb)/sec/1e9, sec*2.45e9/float64(nw2*k/32))
	}
}

func TestQTuneTile(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	rng := rand.New(rand.NewPCG(1, 3))
	const k = 1024
	nb := k / 32
	q, s, m := benchActs(rng, 4, k)
	var panel [qPanelMaxBlocks * qPanelBlk8]byte
	var outs [4]*float32
	var o [4][8]float32
	for i := range outs {
		outs[i] = &o[i][0]
	}
	off := [4]int{0, k / 8, 2 * k / 8, 3 * k / 8}
	ss := s
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		w := randQRows(rng, typ, 8, k)
		rb := quant.RowBytes(typ, k)
		var rows [8]*byte
		for i := range rows {
			rows[i] = &w[i*rb]
		}
		if typ == quant.Q8 {
			packQ8AVX2(&panel[0], &rows, nb)
		} else {
			packQ4AVX2(&panel[0], &rows, nb/8, &q4LUT[0])
		}
		const calls = 200
		sec := 1e9
		for rep := 0; rep < 200; rep++ {
			sec = min(sec, secs(func() {
				for i := 0; i < calls; i++ {
					if typ == quant.Q8 {
						tileQ8AVX2(&panel[0], &q[0], &s[0], &off, &outs, nb, 8, 0)
					} else {
						tileQ4AVX2(&panel[0], &q[0], &s[0], &ss[0], &off, &outs, nb, 8, 0)
					}
				}
			}))
		}
		pk := bestPeak()
		g := float64(calls) * 32 * k / sec / 1e9
		fmt.Printf("%v tile 8x4 (L1): %.1f Gops, peak %.1f, %.0f%%\n", typ, g, pk, 100*g/pk)
		_ = m
	}
}

func TestQTuneParts(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	rng := rand.New(rand.NewPCG(1, 4))
	const k, nw, nx = 2304, 2304, 256
	q, s, m := benchActs(rng, nx, k)
	out := make([]float32, nx*nw)
	var panel [qPanelMaxBlocks * qPanelBlk8]byte
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		w := randQRows(rng, typ, nw, k)
		rb := quant.RowBytes(typ, k)
		kc := qSplitK(k)
		var rows [8]*byte
		packAll := func() {
			for k0 := 0; k0 < k; k0 += kc {
				kb := min(kc, k-k0)
				for r0 := 0; r0 < nw; r0 += 8 {
					for i := range rows {
						if typ == quant.Q8 {
							rows[i] = &w[(r0+i)*rb+k0/32*34]
						} else {
							rows[i] = &w[(r0+i)*rb+k0/256*144]
						}
					}
					if typ == quant.Q8 {
						packQ8AVX2(&panel[0], &rows, kb/32)
					} else {
						packQ4AVX2(&panel[0], &rows, kb/256, &q4LUT[0])
					}
				}
			}
		}
		sp, sg := 1e9, 1e9
		for rep := 0; rep < 5; rep++ {
			sp = min(sp, secs(packAll))
			sg = min(sg, secs(func() { gemmQ(typ, out, nw, q, s, m, nx, w, nw, k) }))
		}
		pk := bestPeak()
		g := float64(nx*nw*k) / sg / 1e9
		fmt.Printf("%v kc=%d mc=%d: gemm %.1f Gops (%.0f%% of %.1f), %.2f ms; one pass of packing all W %.2f ms (x%d passes)\n",
			typ, kc, qTokenBlock(k), g, 100*g/pk, pk, sg*1e3, sp*1e3, (nx+qTokenBlock(k)-1)/qTokenBlock(k))
	}
}

func TestQTuneTileL2(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	rng := rand.New(rand.NewPCG(1, 3))
	k, _ := strconv.Atoi(os.Getenv("QK"))
	if k == 0 {
		k = 1280
	}
	const nx = 128
	nb := k / 32
	q, s, _ := benchActs(rng, nx, k)
	var panel [qPanelMaxBlocks * qPanelBlk8]byte
	var outs [4]*float32
	out := make([]float32, nx*8)
	off := [4]int{0, k / 8, 2 * k / 8, 3 * k / 8}
	ss := s
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		w := randQRows(rng, typ, 8, k)
		rb := quant.RowBytes(typ, k)
		var rows [8]*byte
		for i := range rows {
			rows[i] = &w[i*rb]
		}
		if typ == quant.Q8 {
			packQ8AVX2(&panel[0], &rows, nb)
		} else {
			packQ4AVX2(&panel[0], &rows, nb/8, &q4LUT[0])
		}
		const passes = 2
		sec := 1e9
		for rep := 0; rep < 200; rep++ {
			sec = min(sec, secs(func() {
				for i := 0; i < passes; i++ {
					for tt := 0; tt < nx; tt += 4 {
						for j := range outs {
							outs[j] = &out[(tt+j)*8]
						}
						if typ == quant.Q8 {
							tileQ8AVX2(&panel[0], &q[tt*k], &s[tt*k/32], &off, &outs, nb, 8, 1)
						} else {
							tileQ4AVX2(&panel[0], &q[tt*k], &s[tt*k/32], &ss[tt*k/32], &off, &outs, nb, 8, 1)
						}
					}
				}
			}))
		}
		pk := bestPeak()
		g := float64(passes) * nx * 8 * float64(k) / sec / 1e9
		fmt.Printf("%v tile 8x4, k=%d, %d tokens from L2: %.1f Gops, peak %.1f, %.0f%%\n", typ, k, nx, g, pk, 100*g/pk)
	}
}

func bestPeak() float64 {
	pk := 0.0
	for i := 0; i < 200; i++ {
		pk = max(pk, PeakGops(200*time.Microsecond))
	}
	return pk
}

func TestQTuneBlocking(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	rng := rand.New(rand.NewPCG(1, 4))
	k, _ := strconv.Atoi(os.Getenv("QK"))
	if k == 0 {
		k = 2304
	}
	const nw, nx = 256, 256
	q, s, m := benchActs(rng, nx, k)
	out := make([]float32, nx*nw)
	kcs := []int{512, 768, 1024, 1280, 2048, 2304, 2560}
	mcs := []int{32, 128}
	if os.Getenv("QDEFAULT") != "" {
		kcs, mcs = []int{qBlockK}, []int{qBlockT}
	}
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		w := randQRows(rng, typ, nw, k)
		for _, kc := range kcs {
			for _, mc := range mcs {
				restore := setQBlocking(kc, mc)
				pk, g := 0.0, 0.0
				for rep := 0; rep < 40; rep++ {
					a := secs(func() { peakAVX2(4096) })
					b := secs(func() { gemmQ(typ, out, nw, q, s, m, nx, w, nw, k) })
					pk = max(pk, 4096*256/a/1e9)
					g = max(g, float64(nx*nw*k)/b/1e9)
				}
				fmt.Printf("%v k=%d kc=%4d (split %4d) mc=%3d (block %3d): %.1f Gops, peak %.1f: %.0f%%\n", typ, k, kc, qSplitK(k), mc, qTokenBlock(k), g, pk, 100*g/pk)
				restore()
			}
		}
	}
}

// TestQTuneReport prints the figures of the report: prefill Gops against
// PeakGops (interleaved, best of each), 1 and 2 goroutines.
func TestQTuneReport(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	const nw, k = 2304, 2304
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		w := randQRows(rng, typ, nw, k)
		rb := quant.RowBytes(typ, k)
		for _, nx := range []int{64, 256} {
			q, s, m := benchActs(rng, nx, k)
			out := make([]float32, nx*nw)
			for _, threads := range []int{1, 2} {
				pk, g := 0.0, 0.0
				for rep := 0; rep < 8; rep++ {
					pk = max(pk, PeakGops(20*time.Millisecond))
					sec := secs(func() {
						if threads == 1 {
							gemmQ(typ, out, nw, q, s, m, nx, w, nw, k)
						} else {
							parallelRows(nw, func(r0, r1 int) { gemmQ(typ, out[r0:], nw, q, s, m, nx, w[r0*rb:], r1-r0, k) })
						}
					})
					g = max(g, float64(nx*nw*k)/sec/1e9)
				}
				fmt.Printf("%v prefill nx=%d nw=%d k=%d, %d goroutine(s): %.1f Gops, PeakGops %.1f/core: %.0f%% of %d× peak\n",
					typ, nx, nw, k, threads, g, pk, 100*g/pk/float64(threads), threads)
			}
		}
	}
}

func TestQTuneShapes(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	rng := rand.New(rand.NewPCG(8, 8))
	const k = 2304
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		for _, sh := range [][2]int{{256, 8}, {256, 64}, {256, 256}, {256, 2304}, {64, 2304}, {32, 2304}} {
			nx, nw := sh[0], sh[1]
			w := randQRows(rng, typ, nw, k)
			q, s, m := benchActs(rng, nx, k)
			out := make([]float32, nx*nw)
			pk, g := 0.0, 0.0
			reps := max(8, 2304*8/nw)
			for rep := 0; rep < reps; rep++ {
				pk = max(pk, PeakGops(5*time.Millisecond))
				sec := secs(func() { gemmQ(typ, out, nw, q, s, m, nx, w, nw, k) })
				g = max(g, float64(nx*nw*k)/sec/1e9)
			}
			fmt.Printf("%v nx=%d nw=%d k=%d: %.1f Gops, %.0f%% of peak %.1f\n", typ, nx, nw, k, g, 100*g/pk, pk)
		}
	}
}
