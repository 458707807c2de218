//go:build purego || !(amd64 || arm64)

package simd

import "runtime"

// No integer assembly here: the exported functions use the Go twins.
var qLevels = []qLevelImpl{qGenericLevel()}

const qArch = runtime.GOARCH

func streamReadAsm(b []byte) uint64 { return streamReadGeneric(b) }

func setQBlocking(kc, mc int) (restore func()) { return func() {} }
