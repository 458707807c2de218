//go:build !purego && (amd64 || arm64)

package simd

// setBlocking shrinks the cache blocking so that small test matrices cross
// every block boundary; it returns a function that restores the defaults.
// mc counts tiles, not tokens.
func setBlocking(kc, mc, kgemv int) (restore func()) {
	okc, omc, okg := blockK, blockT, blockKGemv
	blockK, blockT, blockKGemv = kc, mc*tileT, kgemv
	rb := setBigBlocking(kc, mc)
	return func() { blockK, blockT, blockKGemv = okc, omc, okg; rb() }
}
