//go:build !linux

package simd

// l2OS: no OS source here; l2Bytes asks the CPU.
func l2OS() int { return 0 }

// cacheOS: no OS source here.
func cacheOS(level int) int { return 0 }
