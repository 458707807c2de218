package simd

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// l2OS is the level-2 cache of CPU 0 as Linux reports it in sysfs, or 0 when it does
// not (a VM or container without /sys/devices/system/cpu/cpu0/cache).
func l2OS() int { return cacheOS(2) }

// cacheOS is CPU 0's data (or unified) cache of the given level as sysfs reports it,
// or 0.
func cacheOS(level int) int {
	dirs, _ := filepath.Glob("/sys/devices/system/cpu/cpu0/cache/index*")
	for _, d := range dirs {
		lv, _ := os.ReadFile(filepath.Join(d, "level"))
		typ, _ := os.ReadFile(filepath.Join(d, "type"))
		if strings.TrimSpace(string(lv)) != strconv.Itoa(level) || strings.TrimSpace(string(typ)) == "Instruction" {
			continue
		}
		size, _ := os.ReadFile(filepath.Join(d, "size"))
		return parseCacheSize(string(size))
	}
	return 0
}
