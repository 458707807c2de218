// Package hugemem allocates the large, read-mostly buffers that pgedge streams from
// memory (a model's weights, the bandwidth probe) in the form the hardware reads fastest:
// on Linux, anonymous memory aligned to 2 MiB and advised for transparent huge pages.
//
// Why it matters, measured on PaliGemma 2 3B INT8 (2.78 GB read per token, 2 Zen 5 vCPUs,
// pgedge bench, one thread, interleaved runs): extending from the .pge file's own mapping
// (4 KiB page-cache pages, physically scattered) read 19.9–20.2 GB/s; from a copy in huge
// pages 23.1–23.5 GB/s. A 4 KiB page stops the hardware prefetchers at its boundary and
// costs a TLB miss every 4 KiB; a page-cache page is wherever the kernel found room when
// the file was read.
package hugemem

import "errors"

// Huge is the transparent huge page size that buffers are aligned to (x86-64 and arm64
// with 4 KiB base pages).
const Huge = 2 << 20

// ErrUnsupported is returned by Available where the OS does not report it.
var ErrUnsupported = errors.New("hugemem: not supported on this OS")

// Alloc returns n zeroed bytes and a function that frees them (call it once, after the
// last use of the slice). On Linux the bytes are an anonymous private mapping aligned to
// Huge and advised MADV_HUGEPAGE, which the kernel honours when
// /sys/kernel/mm/transparent_hugepage/enabled is "always" or "madvise" (and ignores,
// harmlessly, when "never"); they are outside the Go heap, so the garbage collector
// neither scans nor counts them. Elsewhere they are a Go heap slice and free does nothing.
func Alloc(n int) ([]byte, func(), error) {
	if n < 0 {
		return nil, nil, errors.New("hugemem: negative size")
	}
	if n == 0 {
		return nil, func() {}, nil
	}
	return alloc(n)
}

// Available is the memory the OS could give a new allocation without swapping: Linux's
// MemAvailable (free memory plus the page cache and other memory it can reclaim).
func Available() (int64, error) { return available() }

// ReadOnly makes b, from Alloc, read-only where the OS allows it (Linux: mprotect), so a
// stray write faults; elsewhere it does nothing.
func ReadOnly(b []byte) {
	if len(b) > 0 {
		readOnly(b)
	}
}

// ReadWrite makes b, from Alloc and made read-only by ReadOnly, writable again (for a
// rewrite in place, such as infer's packing of weights into panels at load). An error
// means a write would fault.
func ReadWrite(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	return readWrite(b)
}
