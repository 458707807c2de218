//go:build purego || !amd64

package simd

// No packed prefill here: QPrefill keeps the slices and GemmQ8Prefill runs
// GemmQ8 (qprefill.go).
type qPrefillPacked struct{}

func qPrefillPack(*QPrefill) bool { return false }

func qPrefillGemm(*QPrefill, []float32, int, []byte, int) {
	panic("simd: no packed prefill in this build")
}
