//go:build !purego

package simd

// shrinkZBlocks makes the zmm prefill's token blocks 16 tokens and its k
// blocks 512 values, so that small tests cross their edges.
func shrinkZBlocks() (restore func()) {
	okc, obt := zBlockK, zBlockT
	zBlockK, zBlockT = 512, 16
	return func() { zBlockK, zBlockT = okc, obt }
}
