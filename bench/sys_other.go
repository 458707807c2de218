//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package bench

// No portable peak-RSS or CPU-name source here (Windows, Plan 9, wasm, ...): report 0 and
// fall back to runtime.GOARCH rather than guess.

func peakRSS() int64 { return 0 }

func resetPeakRSS() error { return errUnsupported }

func cpuNameOS() string { return "" }
