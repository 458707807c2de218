//go:build !purego

package simd

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/pgedge/pgedge/quant"
)

// TestQTuneVNNITile measures the VPDPBUSD prefill tiles with their panel
// and tokens in L1 (best of many runs) against the best PeakGops of the
// same level (QTUNE=1 go test -run TestQTuneVNNITile -v ./simd/).
func TestQTuneVNNITile(t *testing.T) {
	if os.Getenv("QTUNE") == "" {
		t.Skip("a tuning harness, not a check: QTUNE=1 runs it")
	}
	rng := rand.New(rand.NewPCG(1, 3))
	const k = 1024
	nb := k / 32
	q, s, m := benchActs(rng, zTileT, k)
	corr := make([]int32, len(m))
	for i, v := range m {
		corr[i] = -128 * v
	}
	var z8, z4 zActs
	z8.pack(q, s, m, 0, zTileT, k, false)
	z4.pack(q, s, m, 0, zTileT, k, true)
	panel := align64(make([]byte, zPanelBlocks*zPanelBlk4+64))
	var outs [zTileT]*float32
	var o [zTileT][16]float32
	for i := range outs {
		outs[i] = &o[i][0]
	}
	var off [8]int
	for i := range off {
		off[i] = i * k / 8
	}
	var outs4 [4]*float32
	var off4 [4]int
	copy(outs4[:], outs[:4])
	copy(off4[:], off[:4])
	for _, lv := range []int{2, 3} {
		if !qLevels[lv].have {
			t.Logf("SKIP %s: this CPU lacks %s", qLevels[lv].name, qLevels[lv].need)
			continue
		}
		restore := qImpl{level: lv}.use()
		pk := bestPeak()
		for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
			w := randQRows(rng, typ, 16, k)
			rb := quant.RowBytes(typ, k)
			var rows [8]*byte
			rowsR, tokens := 8, 4
			if lv == 3 {
				rowsR, tokens = 16, zTileT
			}
			for h := 0; h < rowsR/8; h++ {
				for i := range rows {
					rows[i] = &w[(8*h+i)*rb]
				}
				switch {
				case lv == 3 && typ == quant.Q8:
					packQ8Z(&panel[32*h], &rows, nb)
				case lv == 3:
					packQ4Z(&panel[32*h], &rows, nb/8, &q4LUT[0])
				case typ == quant.Q8:
					packQ8Y(&panel[0], &rows, nb)
				default:
					packQ4AVX2(&panel[0], &rows, nb/8, &q4LUT[0])
				}
			}
			const calls = 100
			sec := 1e9
			for rep := 0; rep < 200; rep++ {
				sec = min(sec, secs(func() {
					for i := 0; i < calls; i++ {
						switch {
						case lv == 3 && typ == quant.Q8:
							tileQ8Z(&panel[0], &z8.a[0], &z8.s[0], &z8.c[0], &outs, nb, 0xffff, 0)
						case lv == 3:
							tileQ4Z(&panel[0], &z4.a[0], &z4.s[0], &z4.ss[0], &outs, nb, 0xffff, 0)
						case typ == quant.Q8:
							tileQ8Y(&panel[0], &q[0], &s[0], &corr[0], &off4, &outs4, nb, 8, 0)
						default:
							tileQ4Y(&panel[0], &q[0], &s[0], &s[0], &off4, &outs4, nb, 8, 0)
						}
					}
				}))
			}
			g := float64(calls) * float64(rowsR*tokens*k) / sec / 1e9
			fmt.Printf("%s %v tile %dx%d (L1): %.1f Gops, peak %.1f, %.0f%%\n", qLevels[lv].name, typ, rowsR, tokens, g, pk, 100*g/pk)
		}
		restore()
	}
}

// TestQTuneVNNIBlocking tries k and token blockings of the zmm prefill on
// 256 tokens × 2304 rows × 2304 (QTUNE=1).
func TestQTuneVNNIBlocking(t *testing.T) {
	if os.Getenv("QTUNE") == "" || !qLevels[3].have {
		t.Skipf("a tuning harness, not a check: QTUNE=1 runs it where the %s level runs (here: %v)", qLevels[3].name, qLevels[3].have)
	}
	defer qImpl{level: 3}.use()()
	rng := rand.New(rand.NewPCG(1, 4))
	const nw, nx, k = 2304, 256, 2304
	q, s, m := benchActs(rng, nx, k)
	out := make([]float32, nx*nw)
	okc, oab, obt := zBlockK, zActBytes, zBlockT
	defer func() { zBlockK, zActBytes, zBlockT = okc, oab, obt }()
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		w := randQRows(rng, typ, nw, k)
		for _, kc := range []int{768, 1280} {
			for _, ab := range []int{80 << 10, 160 << 10, 320 << 10, 640 << 10} {
				zBlockK, zActBytes, zBlockT = kc, ab, 256
				pk, g := 0.0, 0.0
				for rep := 0; rep < 10; rep++ {
					a := secs(func() { peakZ(8192) })
					b := secs(func() { gemmQ(typ, out, nw, q, s, m, nx, w, nw, k) })
					pk = max(pk, 8192*768/a/1e9)
					g = max(g, float64(nx*nw*k)/b/1e9)
				}
				fmt.Printf("%v kc=%d (split %d) act %dK (block %d tokens): %.1f Gops, peak %.1f: %.0f%%\n", typ, kc, zSplitK(k), ab>>10, zTokenBlock(k, 256), g, pk, 100*g/pk)
			}
		}
	}
}

// TestQTuneVNNIParts times the parts of the zmm Q8 prefill (QTUNE=1): one
// pass of packing all of W, and the tiles on one panel with 112 tokens
// from L2.
func TestQTuneVNNIParts(t *testing.T) {
	if os.Getenv("QTUNE") == "" || !qLevels[3].have {
		t.Skipf("a tuning harness, not a check: QTUNE=1 runs it where the %s level runs (here: %v)", qLevels[3].name, qLevels[3].have)
	}
	defer qImpl{level: 3}.use()()
	rng := rand.New(rand.NewPCG(1, 5))
	const nw, k, nx = 2304, 2304, 112
	q, s, m := benchActs(rng, nx, k)
	corr := make([]int32, len(m))
	w := randQRows(rng, quant.Q8, nw, k)
	rb := quant.RowBytes(quant.Q8, k)
	panel := align64(make([]byte, zPanelBlocks*zPanelBlk4+64))
	var rows [8]*byte
	kc := zSplitK(k)
	pack := func() {
		for k0 := 0; k0 < k; k0 += kc {
			for r0 := 0; r0 < nw; r0 += 16 {
				for h := 0; h < 2; h++ {
					for i := range rows {
						rows[i] = &w[(r0+8*h+i)*rb+k0/32*34]
					}
					packQ8Z(&panel[32*h], &rows, min(kc, k-k0)/32)
				}
			}
		}
	}
	var outs [zTileT]*float32
	o := make([]float32, zTileT*16)
	for i := range outs {
		outs[i] = &o[16*i]
	}
	nb := kc / 32
	var z zActs
	z.pack(q, s, m, 0, nx, k, false)
	_ = corr
	tiles := func() {
		for g := 0; (g+1)*zTileT <= nx; g++ {
			tileQ8Z(&panel[0], &z.a[g*zTileT*k], &z.s[g*zTileT*k/32], &z.c[g*zTileT*k/32], &outs, nb, 0xffff, 0)
		}
	}
	sp, st := 1e9, 1e9
	for rep := 0; rep < 20; rep++ {
		sp = min(sp, secs(pack))
		st = min(st, secs(tiles))
	}
	pk := bestPeak()
	g := float64(nx/zTileT*zTileT*16*nb*32) / st / 1e9
	full := float64(nw/16) * float64((k+kc-1)/kc) * st
	fmt.Printf("pack all W once: %.2f ms; tiles of one panel × %d tokens (L2): %.1f Gops (%.0f%% of %.1f); all panels' tiles: %.2f ms\n", sp*1e3, nx, g, 100*g/pk, pk, full*1e3)
}
