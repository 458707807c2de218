//go:build purego || !amd64

package simd

// No assembly for the elementwise kernels here: arm64 runs the Go loops (NEON twins
// are future work; these steps are ~5% of a decode step).
const haveElemAsm = false

func expShiftAsm(x *float32, n int, m float32)  { panic("simd: no assembly") }
func softcapAsm(x *float32, n int, cap float32) { panic("simd: no assembly") }
func geluTanhAsm(a, b *float32, n int)          { panic("simd: no assembly") }
