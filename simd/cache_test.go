package simd

import (
	"runtime"
	"testing"
)

func TestParseCacheSize(t *testing.T) {
	for s, want := range map[string]int{"1024K\n": 1 << 20, "512K": 512 << 10, "2M": 2 << 20, "48": 48,
		"": 0, "K": 0, "-1K": 0, "0K": 0, "big": 0, "4096M": 0} {
		if got := parseCacheSize(s); got != want {
			t.Errorf("parseCacheSize(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestL2Bytes: the size found is a plausible L2 (or 0 where the OS does not say).
func TestL2Bytes(t *testing.T) {
	n := l2Bytes()
	t.Logf("L2: %d KB", n>>10)
	if runtime.GOOS == "linux" && n == 0 {
		t.Log("no L2 size in /sys/devices/system/cpu/cpu0/cache: the default token block is used")
	}
	if n != 0 && (n < 64<<10 || n > 64<<20) {
		t.Errorf("L2 of %d bytes is not plausible", n)
	}
}
