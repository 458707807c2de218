//go:build purego || !amd64

package simd

func shrinkZBlocks() (restore func()) { return func() {} }
