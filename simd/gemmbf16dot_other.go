//go:build purego || !amd64

package simd

// No AVX-512 BF16 prefill here (gemmbf16dot_amd64.go).
var useBF16Dot = false

// UseBF16Activations: see gemmbf16dot_amd64.go; there is nothing to turn on here.
func UseBF16Activations(on bool) (was bool) { return false }
