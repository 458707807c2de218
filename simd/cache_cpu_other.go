//go:build !amd64 || purego

package simd

// l2CPU: no CPU query here (arm64 has no user-mode cache-size register that Linux
// exposes beyond sysfs).
func l2CPU() int { return 0 }

// cpuIntel: no CPU query here.
const cpuIntel = false
