package bench

import (
	"os"
	"syscall"
	"unsafe"
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

// allocProbe maps n words of anonymous memory aligned to 2 MiB and advises transparent
// huge pages for it (honoured when THP is "always" or "madvise"; harmless when "never").
// It returns nil when the mapping fails, and the caller falls back to the Go heap.
func allocProbe(n int) ([]uint64, func()) {
	const huge = 2 << 20
	size := n * 8
	mem, err := syscall.Mmap(-1, 0, size+huge, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil
	}
	off := 0
	if r := int(uintptr(unsafe.Pointer(unsafe.SliceData(mem))) % huge); r != 0 {
		off = huge - r
	}
	region := mem[off : off+size]
	_ = syscall.Madvise(region, syscall.MADV_HUGEPAGE) // advice only: failure costs speed, not correctness
	buf := unsafe.Slice((*uint64)(unsafe.Pointer(unsafe.SliceData(region))), n)
	return buf, func() { _ = syscall.Munmap(mem) }
}
