//go:build purego || !amd64

package simd

import "io"

// No AVX-512 BF16 prefill here (gemmbf16dot_amd64.go), nor AMX
// (gemmbf16amx_amd64.go).
var useBF16Dot, useBF16AMX = false, false

const bf16AMXOK, haveBF16AMX = false, false

const haveBF16Dot = false

func bf16DotSelfCheck(io.Writer, func(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int)) bool {
	return false
}

func gemmBF16Dot(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	panic("simd: no VDPBF16PS prefill in this build")
}

// UseBF16Activations: see gemmbf16dot_amd64.go; there is nothing to turn on here.
func UseBF16Activations(on bool) (was bool) { return false }
