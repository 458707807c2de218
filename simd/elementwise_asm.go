//go:build !purego && (amd64 || arm64)

package simd

// haveElemAsm: the elementwise kernels (AVX2 on amd64, plain ASIMD on every arm64
// core) are the elementwise kind's assembly level (dispatch_float.go). They use no
// fused multiply-add, which would round differently from the Go functions they twin.
const haveElemAsm = true

// expShiftAsm sets x[i] = Expf(x[i] − m) for n values, n a positive multiple of 8.
//
//go:noescape
func expShiftAsm(x *float32, n int, m float32)

// softcapAsm sets x[i] = Softcap(x[i], cap) for n values, n a positive multiple of 8.
//
//go:noescape
func softcapAsm(x *float32, n int, cap float32)

// geluTanhAsm sets a[i] = GeluTanh(a[i]) (· b[i] unless b is nil) for n values, n a
// positive multiple of 8.
//
//go:noescape
func geluTanhAsm(a, b *float32, n int)

// scaleAsm sets x[i] *= a for n values, n a positive multiple of 8.
//
//go:noescape
func scaleAsm(x *float32, n int, a float32)

// maxAsm returns the largest of n values, n a positive multiple of 8.
//
//go:noescape
func maxAsm(x *float32, n int) float32
