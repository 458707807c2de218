package hugemem

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

func alloc(n int) ([]byte, func(), error) {
	// Map Huge more than asked and start at the first 2 MiB boundary: the kernel can
	// only back aligned 2 MiB ranges with huge pages.
	mem, err := syscall.Mmap(-1, 0, n+Huge, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, fmt.Errorf("hugemem: mmap %d bytes: %w", n+Huge, err)
	}
	off := 0
	if r := int(uintptr(unsafe.Pointer(unsafe.SliceData(mem))) % Huge); r != 0 {
		off = Huge - r
	}
	b := mem[off : off+n : off+n]
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE) // advice only: failing costs speed, not correctness
	return b, func() { _ = syscall.Munmap(mem) }, nil
}

func readOnly(b []byte) { _ = syscall.Mprotect(b, syscall.PROT_READ) }

func readWrite(b []byte) error {
	if err := syscall.Mprotect(b, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		return fmt.Errorf("hugemem: making %d bytes writable: %w", len(b), err)
	}
	return nil
}

func available() (int64, error) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	return parseMemAvailable(b)
}

// parseMemAvailable reads "MemAvailable:   123456 kB" from /proc/meminfo's text.
func parseMemAvailable(b []byte) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) >= 2 && string(f[0]) == "MemAvailable:" {
			kb, err := strconv.ParseInt(string(f[1]), 10, 64)
			if err != nil || kb < 0 {
				return 0, fmt.Errorf("hugemem: /proc/meminfo: bad MemAvailable %q", f[1])
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("hugemem: /proc/meminfo has no MemAvailable line")
}
