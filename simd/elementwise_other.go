//go:build purego || !(amd64 || arm64)

package simd

// No assembly for the elementwise kernels on this architecture: the Go loops run.
const haveElemAsm = false

func expShiftAsm(x *float32, n int, m float32)  { panic("simd: no assembly") }
func softcapAsm(x *float32, n int, cap float32) { panic("simd: no assembly") }
func geluTanhAsm(a, b *float32, n int)          { panic("simd: no assembly") }
