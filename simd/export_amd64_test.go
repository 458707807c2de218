//go:build !purego

package simd

func setBigBlocking(kc, mc int) (restore func()) {
	okc, omc := blockKBig, blockTBig
	blockKBig, blockTBig = kc, mc*bigT
	return func() { blockKBig, blockTBig = okc, omc }
}
