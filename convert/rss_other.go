//go:build !unix

package convert

// PeakRSS returns 0: the peak resident set size is not known on this system.
func PeakRSS() int64 { return 0 }
