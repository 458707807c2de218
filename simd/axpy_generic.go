//go:build purego || !(amd64 || arm64)

package simd

import "unsafe"

// axpyAsm is never called without assembly (useDotAsm is false); should it be, it does
// what the assembly would, in Go.
func axpyAsm(y *float32, a float32, x *float32, n int) {
	axpyGeneric(unsafe.Slice(y, n), a, unsafe.Slice(x, n))
}
