//go:build !purego

package simd

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/quant"
)

// TestAMXEncodingsLLVM: every AMX instruction of qpanels_amx_amd64.s and
// gemmbf16amx_amd64.s is the one its comment names.
func TestAMXEncodingsLLVM(t *testing.T) {
	checkEncodingsLLVM(t, "qpanels_amx_amd64.s", "+amx-tile,+amx-int8", 30, "AMX")
	checkEncodingsLLVM(t, "gemmbf16amx_amd64.s", "+amx-tile,+amx-bf16", 20, "AMX")
}

// TestAMXPanelsTokens: at the amx level, tokens in several 16-token tiles
// and a partial last one (nx up to 50, k with an odd block count, and the
// model's 2304) give each token the bits it gets alone on the zmm kernels.
func TestAMXPanelsTokens(t *testing.T) {
	if !haveQAMX {
		t.Skipf("SKIP amx: this CPU or OS lacks %s", qLevelAMX.need)
	}
	var amx int
	for lv, l := range qLevels {
		if l.name == "amx" {
			amx = lv
		}
	}
	rng := rand.New(rand.NewPCG(51, 51))
	for _, s := range [][2]int{{48, 2336}, {33, 2304}, {16, 96}} {
		nw, k := s[0], s[1]
		nb := k / 32
		p := newQProblem(rng, quant.Q8, 50, nw, k, nw, actRandom, wRandom)
		pw := append([]byte(nil), p.w...)
		PackQ8Panels(pw, nw, k)
		var qp QPanels
		run := func(lv, nx, t0 int) []float32 {
			defer qImpl{qLevels[lv].name, lv}.use()()
			out := make([]float32, nx*nw)
			qp.Prepare(p.q[t0*k:], p.scales[t0*nb:], p.sums[t0*nb:], nx, k)
			GemmQ8Panels(out, nw, &qp, pw, nw)
			return out
		}
		alone := make([][]float32, 50)
		for tok := range alone {
			alone[tok] = run(amx-1, 1, tok)
		}
		for _, nx := range []int{16, 17, 31, 32, 33, 47, 50} {
			out := run(amx, nx, 50-nx)
			for i := 0; i < nx; i++ {
				for r := 0; r < nw; r++ {
					if got, want := out[i*nw+r], alone[50-nx+i][r]; math.Float32bits(got) != math.Float32bits(want) {
						t.Fatalf("nw=%d k=%d: token %d of %d, row %d: %v, alone on avx512vnni %v", nw, k, i, nx, r, got, want)
					}
				}
			}
		}
	}
}

// TestBF16AMXSelfCheck: the AMX bf16 tile's start-up check passes on the
// real tile and, with a deliberately wrong one (one entry off, or a panic as
// from an illegal instruction), fails with a warning naming it.
func TestBF16AMXSelfCheck(t *testing.T) {
	if !haveBF16AMX {
		t.Skipf("SKIP amx bf16: this CPU or OS lacks AVX-512 BF16 and AMX-TILE/BF16 (or the tile state)")
	}
	var warn bytes.Buffer
	if !bf16AMXSelfCheck(&warn, gemmBF16AMX) || warn.Len() != 0 {
		t.Fatalf("the real tile fails its self-check: %q", warn.String())
	}
	broken := map[string]func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int){
		"one entry off": func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
			gemmBF16AMX(out, ldo, x, nx, w, nw, k)
			out[(nx-1)*ldo+nw-1] += 0.25
		},
		"panic": func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
			panic("illegal instruction (simulated)")
		},
	}
	for name, f := range broken {
		warn.Reset()
		if bf16AMXSelfCheck(&warn, f) {
			t.Errorf("%s: the self-check passed", name)
		}
		if w := warn.String(); !strings.Contains(w, "amx bf16 GEMM tile failed its start-up self-check") {
			t.Errorf("%s: warning %q does not name the tile", name, w)
		}
	}
}

// BenchmarkPeakAMX: the tile unit's register-only TDPBSSD loop, G
// multiply-adds/s on one core (beside BenchmarkPeakGops' VPDPBUSD).
func BenchmarkPeakAMX(b *testing.B) {
	if !haveQAMX {
		b.Skipf("SKIP amx: this CPU or OS lacks %s", qLevelAMX.need)
	}
	var n int64
	for b.Loop() {
		n += peakAMXOnce()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds()/1e9, "Gops")
}

// BenchmarkAMXTileHot: tileQ8PA with its panels and 16 tokens in L1 (one
// panel of k = 2304 or 512) or L2 (4 panels), ns per block of 16 tokens ×
// 16 rows (8192 multiply-adds).
func BenchmarkAMXTileHot(b *testing.B) {
	if !haveQAMX {
		b.Skipf("SKIP amx: this CPU or OS lacks %s", qLevelAMX.need)
	}
	for _, c := range []struct{ np, k int }{{1, 2304}, {4, 2304}, {1, 512}} {
		rng := rand.New(rand.NewPCG(1, 1))
		nw, k := 16*c.np, c.k
		w := randQRows(rng, quant.Q8, nw, k)
		PackQ8Panels(w, nw, k)
		q, s, m := benchActs(rng, 16, k)
		b.Run(fmt.Sprintf("panels=%d,k=%d", c.np, k), func(b *testing.B) {
			defer qImpl{qLevelAMX.name, len(qLevels) - 1}.use()()
			var p QPanels
			p.Prepare(q, s, m, 16, k)
			out := make([]float32, 16*nw)
			for b.Loop() {
				gemmQ8PanelsA(out, nw, &p, w, nw)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(c.np*k/32), "ns/block")
		})
	}
}
