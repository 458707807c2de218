//go:build purego || !(amd64 || arm64)

package simd

import "unsafe"

// axpyAsm is never called without assembly (useDotAsm is false); should it be, it does
// what the assembly would, in Go.
func axpyAsm(y *float32, a float32, x *float32, n int) {
	axpyGeneric(unsafe.Slice(y, n), a, unsafe.Slice(x, n))
}

// axpyRowsAsm: as axpyAsm, the assembly's work in Go.
func axpyRowsAsm(y *float32, a *float32, x *float32, n, rows, ld int) {
	ys, as, xs := unsafe.Slice(y, n), unsafe.Slice(a, rows), unsafe.Slice(x, (rows-1)*ld+n)
	for j, aj := range as {
		axpyGeneric(ys, aj, xs[j*ld:j*ld+n])
	}
}
