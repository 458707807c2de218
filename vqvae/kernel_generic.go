//go:build !amd64 || purego

package vqvae

var useAVX2 = false

func dot2x4AVX2(a *float32, pix, rs, S int, w *float32, K, L int, acc *[8]float32) {
	panic("vqvae: AVX2 kernel not available")
}
