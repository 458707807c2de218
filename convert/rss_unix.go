//go:build unix

package convert

import (
	"runtime"
	"syscall"
)

// PeakRSS returns the process's peak resident set size in bytes (getrusage
// ru_maxrss), or 0 if it is not known.
func PeakRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) // bytes there
	}
	return int64(ru.Maxrss) * 1024 // KiB on Linux and the BSDs
}
