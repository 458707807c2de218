//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package bench

import (
	"runtime"
	"strings"
	"syscall"
)

func peakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	// ru_maxrss is in bytes on Darwin and in KiB on the BSDs.
	if runtime.GOOS == "darwin" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}

func resetPeakRSS() error { return errUnsupported }

func cpuNameOS() string {
	// Apple silicon reports "Apple M2" and Intel Macs the full brand here; the BSDs name
	// the processor in hw.model.
	key := "hw.model"
	if runtime.GOOS == "darwin" {
		key = "machdep.cpu.brand_string"
	}
	s, err := syscall.Sysctl(key)
	if err != nil {
		return ""
	}
	return strings.Join(strings.Fields(s), " ")
}
