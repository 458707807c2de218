package simd

import (
	"strconv"
	"strings"
)

// l2Bytes is the level-2 cache of a core, from the OS (Linux sysfs) or else the CPU
// (CPUID on amd64), or 0 when neither says.
func l2Bytes() int {
	if n := l2OS(); n > 0 {
		return n
	}
	return l2CPU()
}

// parseCacheSize reads a sysfs cache size ("1024K", "2048K", "32M", "512"): bytes, or
// 0 when s is not one.
func parseCacheSize(s string) int {
	s = strings.TrimSpace(s)
	mult := 1
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 1<<30/mult {
		return 0
	}
	return n * mult
}
