//go:build !purego && (amd64 || arm64)

package simd

// Blocking of the assembly drivers, shared by the architectures.

// qPanelMaxBlocks bounds the k extent of a packed weight panel (in 32-value
// blocks): 2560 values, so an 8-row panel is at most 25.6 KB (Q4; Q8 23
// KB), on the stack and in L1 while the tokens stream past it. k = 2304 is
// then one block.
const qPanelMaxBlocks = 80

// qSSumMax bounds the Q4 prefill's per-token-block scale·sum products
// (tokens × k/32 floats, on the stack).
const qSSumMax = 8192

// qGemvBytes is the amount of weight rows one extend call streams (~2 µs).
const qGemvBytes = 40 << 10

// qActBytes bounds the activations of a token block (tokens × k bytes),
// which should stay in L2 while every weight panel meets them and the
// weight rows stream through L2 (measured on Zen 3's 512 KB L2: 128-192 KB
// is best; 256 KB loses ~15%).
const qActBytes = 160 << 10

var (
	// qBlockK is the largest k block of the prefill path, a multiple of 256
	// and at most qPanelMaxBlocks·32. Variables only so that the tests can
	// shrink the blocking.
	qBlockK = qPanelMaxBlocks * 32
	// qBlockT is the largest number of tokens in a token block.
	qBlockT = 128
)

// qTokenBlock returns the number of tokens per block for rows of k
// values: at most qBlockT, at most qActBytes of activations (but at least
// 16, so that a packed panel serves 4 tiles), a multiple of 4 (the tile).
func qTokenBlock(k int) int {
	return max(min(16, qBlockT), min(qBlockT, qActBytes/k)&^3)
}

// qSplitK returns the k block size: k split into the fewest blocks of at
// most qBlockK, of nearly equal sizes rounded up to 256.
func qSplitK(k int) int {
	nk := (k + qBlockK - 1) / qBlockK
	kc := (k + nk - 1) / nk
	return (kc + 255) &^ 255
}

// q4LUT holds quant's four Q4 level tables, 16 bytes each.
var q4LUT = func() (l [64]byte) {
	for t, tab := range q4LevelsTab {
		copy(l[16*t:], tab[:])
	}
	return
}()
