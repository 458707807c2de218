//go:build purego || !(amd64 || arm64)

package simd

// No integer assembly here: the exported functions use the Go twins.
const qMaxLevel = 0

var qLevelNames = []string{"generic"}

func quantizeActsAsm(x []float32, q []int8, scales []float32, sums []int32) {
	quantizeActsGeneric(x, q, scales, sums)
}

func gemmQ8Asm(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	gemmQ8Generic(out, ldo, q, scales, sums, nx, w, nw, k)
}

func gemmQ4Asm(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	gemmQ4Generic(out, ldo, q, scales, sums, nx, w, nw, k)
}

func streamReadAsm(b []byte) uint64 { return streamReadGeneric(b) }

func peakAsm() int64 { return peakGeneric() }

func setQBlocking(kc, mc int) (restore func()) { return func() {} }
