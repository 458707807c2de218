package bench

import (
	"os"
	"syscall"
)

func peakRSS() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		if v := parseVmHWM(string(b)); v > 0 {
			return v
		}
	}
	// /proc may be missing in a minimal container; ru_maxrss is the same high-water mark,
	// in KiB on Linux.
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return int64(ru.Maxrss) * 1024
}

func resetPeakRSS() error {
	// "5" resets the peak RSS (VmHWM) to the current RSS; see proc(5), clear_refs.
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

func cpuNameOS() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	return parseCPUInfo(string(b))
}
