//go:build purego || !(amd64 || arm64)

package simd

func axpyAsm(y *float32, a float32, x *float32, n int) { panic("simd: no assembly") }
