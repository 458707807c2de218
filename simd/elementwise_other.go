//go:build purego || !(amd64 || arm64)

package simd

import (
	"math"
	"unsafe"
)

// No assembly for the elementwise kernels on this architecture: the Go loops run.
const haveElemAsm = false

// The stubs are never called (this build has no assembly level); should one be, it
// does what the assembly would, in Go.

func expShiftAsm(x *float32, n int, m float32) {
	for i, v := range unsafe.Slice(x, n) {
		unsafe.Slice(x, n)[i] = Expf(v - m)
	}
}

func softcapAsm(x *float32, n int, cap float32) {
	for i, v := range unsafe.Slice(x, n) {
		unsafe.Slice(x, n)[i] = Softcap(v, cap)
	}
}

func geluTanhAsm(a, b *float32, n int) {
	as := unsafe.Slice(a, n)
	for i, v := range as {
		as[i] = GeluTanh(v)
		if b != nil {
			as[i] *= unsafe.Slice(b, n)[i]
		}
	}
}

func scaleAsm(x *float32, n int, a float32) {
	for i := range unsafe.Slice(x, n) {
		unsafe.Slice(x, n)[i] *= a
	}
}

func maxAsm(x *float32, n int) float32 {
	m := float32(math.Inf(-1))
	for _, v := range unsafe.Slice(x, n) {
		m = max(m, v)
	}
	return m
}
