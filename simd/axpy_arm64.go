//go:build !purego

package simd

// axpyAsm adds a·x to y over n values, n a positive multiple of 8 (NEON FMLA).
//
//go:noescape
func axpyAsm(y *float32, a float32, x *float32, n int)
