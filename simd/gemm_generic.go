//go:build purego || !(amd64 || arm64)

package simd

// No assembly here: the exported functions use the Go twins.
const (
	haveAsm  = false
	asmName  = "generic"
	haveZmmF = false
)

var useZmmF = false

func dotF32Asm(a, b []float32) float32 { return dotF32Generic(a, b) }

func gemmF32Asm(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	gemmF32Generic(out, ldo, x, nx, w, nw, k)
}

func gemmBF16Asm(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	gemmBF16Generic(out, ldo, x, nx, w, nw, k)
}
