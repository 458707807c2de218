//go:build !purego

package simd

//go:generate python3 ../scripts/simdgen/gen_qpanels_amx_amd64.py

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// The AMX level: Q8 panels × 16 tokens per instruction on Intel's tile unit
// (Sapphire Rapids and later Xeons), the best level where the CPU and the OS
// have it (PGEDGE_SIMD=avx512vnni turns it off). Everything but the prefill
// of Q8 panels is the avx512vnni level's.
//
// Why it exists: TDPBSUD multiplies 16 tokens × 64 bytes by 64 bytes × 16
// rows (16384 multiply-adds) per instruction. On the 2-vCPU KVM Xeon (AMX,
// AVX-512 FP16) this was written on, a register-only TDPBSSD loop does
// 2.8–3.1 T multiply-adds/s on one core (BenchmarkPeakAMX) against 0.40 T
// for VPDPBUSD on zmm.
//
// Why it gains so little: a Q8 block is only 32 values, and each block's
// int32 sums need the zmm float steps (the codes' offset and the two
// scales, 5 instructions per token) before the next block. So every 8192
// multiply-adds cost a TILELOADD of the activations and of the codes, a
// TILESTORED of the sums (1 KB) and 80 vector instructions, and on this
// core the tile instructions and the vector ones do not run at the same
// time: their times add up. One core, per block of 16 tokens × 16 rows,
// panels and tokens in cache (BenchmarkAMXTileHot; the variants are the
// generated file with one kind of instruction deleted):
//
//	                                                ns
//	tileQ8PA                                        26–27
//	  its tile instructions alone                   14
//	  its float steps alone                         12.6
//	  without the TILESTORED                        21
//	  fixing up a pair two pairs behind (6 KB buf)  26–29
//	  the offset added by a TDPBSSD with −128s      24–26  (VPADDD gone)
//	zmm tiles (BenchmarkQPanelsHot/Q8 nx=8)         37
//
// So it is 1.4× the zmm tiles in cache. The panels come from memory the
// first time a task reads them: fetching each pair's lines 8 pairs ahead, as
// the zmm tiles do, took BenchmarkQPanelsPrefill/Q8 (2304², 256 tokens, two
// cores) from 371–402 to 474–479 G multiply-adds/s, against the zmm tiles'
// 376–381, and 16 tokens from memory (BenchmarkQPanels/Q8) from 41–43% to
// 63–66% of the stream, against 54–55%. End to end, PaliGemma 2 3B INT8,
// pgedge bench --threads 2 --prompt-tokens 1, two interleaved rounds: image +
// prompt 122.1–123.4 against 109.6–110.3 tokens/s, TTFT 2083–2105 against
// 2330–2344 ms, vision 467–472 against 514–518 ms. Neither of the two
// variants in the table was kept. Next to try: Q4, and a 2 × 2 arrangement of C tiles (32 tokens ×
// 32 rows per block: half the tile loads per multiply-add, as llama.cpp's
// AMX kernels do), though the serialisation bounds any such gain.
//
// Same bits: C_t is the exact int32 Σ a·code of the block, as VPDPBUSD's
// sums are, and the float steps are the zmm tiles' in the same order, so a
// token's outputs are bit-identical to the avx512vnni level's
// (TestAMXPanelsTokens, and every level's panel tests).
//
// The OS must grant the tile data state: Linux ≥ 5.16 through
// arch_prctl(ARCH_REQ_XCOMP_PERM) (amx_linux_amd64.go), asked once at
// start-up; elsewhere the level is off.

var haveQAMX = haveQAVX512VNNI && cpu.X86.HasAMXTile && cpu.X86.HasAMXInt8 && amxPermitted()

var qLevelAMX = func() qLevelImpl {
	l := qLevelAVX512VNNI
	l.name, l.have, l.need = "amx", haveQAMX, "AVX-512 VNNI, AMX-TILE and AMX-INT8 (and Linux ≥ 5.16 granting the tile state)"
	l.panels8, l.panelsAMX = gemmQ8PanelsA, true
	return l
}()

// amxConfig is LDTILECFG's 64-byte operand: palette 1, then per tile its
// bytes per row (colsb, uint16 at 16 + 2i) and rows (at 48 + i).
type amxConfig [64]byte

func (c *amxConfig) tile(i, rows, colsb int) {
	c[16+2*i], c[17+2*i], c[48+i] = byte(colsb), byte(colsb>>8), byte(rows)
}

// amxQ8Config: tmm0 and tmm3 hold m tokens × 32 activation bytes (A),
// tmm1 and tmm4 a block's codes as 8 rows of 64 bytes (B), tmm2 and tmm5
// the m × 16 int32 sums (C), for the two blocks of a pair.
func amxQ8Config(m int) (c amxConfig) {
	c[0] = 1
	for _, i := range []int{0, 3} {
		c.tile(i, m, 32)
		c.tile(i+1, 8, 64)
		c.tile(i+2, m, 64)
	}
	return c
}

// tileQ8PA sets out[t·ldo/4 + 16·i + r] (ldo in bytes) for the np panels
// of nb blocks from p, i < np, and tokens t < m ≤ 16: token t's
// activations at a + t·lda, its per-block scales and −128·sums at s and c,
// 16 per block (tokens past m repeat one: QPanels.ts, tc). buf is 4 KB of
// scratch for the tile unit's sums (two pairs of blocks).
//
//go:noescape
func tileQ8PA(cfg *amxConfig, p *byte, np int, a *int8, lda int, s *float32, c *int32, nb int, out *float32, ldo int, m int, buf *int32)

// peakAMX runs n iterations of 4 independent TDPBSSD (16384 multiply-adds
// each) and returns the multiply-adds done.
//
//go:noescape
func peakAMX(cfg *amxConfig, n int) int64

// gemmQ8PanelsA drives tileQ8PA: per 16 tokens, one call over all the
// panels. A token tile's activations (16 × k bytes, 36 KB for k = 2304)
// stay in L1 or L2 while the panels stream past; the caller's panels (a
// task of 64 rows) stay in L2 across the token tiles.
func gemmQ8PanelsA(out []float32, ldo int, p *QPanels, w []byte, nw int) {
	np := nw / panelRows
	if p.nx < amxMinTokens || len(p.ts) == 0 || np == 0 {
		gemmQ8PanelsZ(out, ldo, p, w, nw)
		return
	}
	k, nb := p.k, p.k/32
	var scratch [4*256 + 16]int32 // two pairs' sums, 64-byte aligned below
	buf := &scratch[(64-uintptr(unsafe.Pointer(&scratch[0]))&63)&63/4]
	for j := 0; 16*j < p.nx; j++ {
		m := min(16, p.nx-16*j)
		cfg := amxQ8Config(m)
		tileQ8PA(&cfg, &w[0], np, &p.q[16*j*k], k, &p.ts[16*j*nb], &p.tc[16*j*nb], nb, &out[16*j*ldo], 4*ldo, m, buf)
	}
}

// peakAMXOnce is one call of the tile unit's register-only loop (~24 µs;
// BenchmarkPeakAMX). The amx level's peak stays VPDPBUSD's, so
// that pgedge bench's vnni_peak_gops keeps its meaning.
func peakAMXOnce() int64 {
	var c amxConfig
	c[0] = 1
	for _, i := range []int{0, 1, 4, 5, 6, 7} {
		c.tile(i, 16, 64)
	}
	return peakAMX(&c, 1024)
}
