//go:build !purego

package simd

//go:generate python3 ../scripts/simdgen/gen_gemm_bf16amx_amd64.py

import (
	"io"
	"os"

	"golang.org/x/sys/cpu"
)

// The AMX-BF16 tile of GemmBF16's prefill (gemmbf16amx_amd64.s). Where the
// CPU has AMX-BF16, the OS grants the tile state and the integer kernels run
// at the amx level (PGEDGE_SIMD=avx512vnni or avx512bf16 turn it off),
// gemmBF16Dot multiplies 32 tokens × 32 rows per call with TDPBF16PS instead
// of VDPBF16PS: the same bf16 activations (rounded once per k block) and the
// same pair panels, whose layout is already TDPBF16PS's second operand. One
// TDPBF16PS is 16 tokens × 16 rows × 32 values (8192 multiply-adds); the
// float32 sums stay in the tile unit over a whole k block and are stored
// once, so unlike the Q8 tiles (qpanels_amx_amd64.go) nothing else runs per
// block.
//
// Measured on a 2-vCPU KVM Intel Xeon (AMX; VDPBF16PS is slow there: its
// register-only tile does 100–106 GFLOP/s), one core, 256 × 2304 × 2304
// (go test ./simd -bench 'GemmBF16Dot$'): 676–695 GFLOP/s against 89–91
// with VDPBF16PS and 114–118 with the weights widened to float32. PaliGemma 2
// 3B BF16, pgedge bench --threads 2 --prompt-tokens 1: image + prompt 31.9 →
// 113.2 tokens/s (decoder-only ~39 → ~151), TTFT 8060 → 2271 ms, vision
// 1551 → 564 ms.
//
// Accuracy: each sum is float32 over bf16 products, as VDPBF16PS's, within
// GemmBF16's bound 2⁻⁸·Σ|x·w| (gemm.go); the order of the additions is the
// tile unit's, so the bits are not gemmBF16DotModel's. TestGemmBF16DotTwin
// and TestGemmBF16DotLarge hold it to the bound (their amx runs), and the
// start-up self-check (bf16AMXSelfCheck) runs it on small integers whose
// sums are exact in any order.

var (
	haveBF16AMX = haveBF16Dot && cpu.X86.HasAMXTile && cpu.X86.HasAMXBF16 && haveQAMX
	// useBF16AMX: gemmBF16Dot takes 32 × 32 AMX tiles where nx, nw ≥ 32
	// (fApply: with the bf16 prefill, where bf16AMXOK).
	useBF16AMX bool
	// bf16AMXOK: the CPU has it, the integer kernels are at the amx level,
	// and the tile passed its start-up self-check.
	bf16AMXOK = haveBF16AMX && qLevels[qSel[qkPanels8]].panelsAMX && bf16AMXSelfCheck(os.Stderr, gemmBF16AMX)
)

// bf16AMXSelfCheck runs gemm (gemmBF16AMX but for the tests) once on small
// integers, exact in bfloat16 and every sum exact in any order, against
// the generic GEMM: two k blocks with a tail of 9 pairs, edge tiles in both
// directions. A tile that disagrees is not used, and a warning names it.
func bf16AMXSelfCheck(warn io.Writer, gemm func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int)) bool {
	return checkGemmExact(warn, "amx bf16 GEMM tile", gemm, amxT+7, amxT+5, 2*kcDLimit+2*9)
}

// gemmBF16AMX is gemmBF16Dot with the AMX tile, whatever useBF16AMX says.
func gemmBF16AMX(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	defer func(u bool) { useBF16AMX = u }(useBF16AMX)
	useBF16AMX = true
	gemmBF16Dot(out, ldo, x, nx, w, nw, k)
}

// amxT is the AMX tile's tokens and rows.
const amxT = 32

// tileBF16AMX sets (acc = 0) or adds to (acc = 1) out[i·ldo/4 + j], i, j <
// 32 (ldo in bytes), the product of bf16 token rows i (x, ldx bytes apart)
// with a 32-row pair panel (p: rows 0–15, p + half bytes: rows 16–31) over
// steps steps of q pairs each, q as cfg gives it (bf16AMXConfig).
//
//go:noescape
func tileBF16AMX(cfg *amxConfig, p *uint32, half int, x *uint16, ldx int, steps int, out *float32, ldo int, acc int)

// bf16AMXConfig: tmm0, tmm1 16 tokens × q pairs (4q bytes), tmm2, tmm3 q
// pairs × 16 rows (64 bytes), tmm4–7 16 × 16 float32.
func bf16AMXConfig(q int) (c amxConfig) {
	c[0] = 1
	for i := range 2 {
		c.tile(i, 16, 4*q)
		c.tile(2+i, q, 64)
	}
	for i := 4; i < 8; i++ {
		c.tile(i, 16, 64)
	}
	return c
}

var bf16AMXFull = bf16AMXConfig(16)

// tileBF16AMXPairs runs tileBF16AMX over pb pairs of a 32-row panel (rows
// 16–31 from panel[16·pb]) and 32 token rows of xb, ldx values apart: steps
// of 16 pairs, then the rest in one step of its own configuration. ldo is
// in values.
func tileBF16AMXPairs(panel []uint32, pb int, xb []uint16, ldx int, out *float32, ldo, acc int) {
	n := pb / 16
	if n > 0 {
		tileBF16AMX(&bf16AMXFull, &panel[0], 64*pb, &xb[0], 2*ldx, n, out, 4*ldo, acc)
		acc = 1
	}
	if r := pb % 16; r > 0 {
		cfg := bf16AMXConfig(r)
		tileBF16AMX(&cfg, &panel[256*n], 64*pb, &xb[32*n], 2*ldx, 1, out, 4*ldo, acc)
	}
}
