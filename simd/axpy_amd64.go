//go:build !purego

package simd

// axpyAsm adds a·x to y over n values, n a positive multiple of 8 (AVX2 FMA).
//
//go:noescape
func axpyAsm(y *float32, a float32, x *float32, n int)

// axpyRowsAsm adds Σ_j a[j]·x[j·ld + i] to y[i] for i < n (a positive multiple of
// 8) and j < rows (≥ 1), one FMA per term in order of j (AVX2 FMA).
//
//go:noescape
func axpyRowsAsm(y *float32, a *float32, x *float32, n, rows, ld int)
