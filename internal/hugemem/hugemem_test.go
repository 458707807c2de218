package hugemem

import (
	"runtime"
	"testing"
	"unsafe"
)

func TestAlloc(t *testing.T) {
	for _, n := range []int{1, 4096, Huge + 1, 3 * Huge} {
		b, free, err := Alloc(n)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != n || cap(b) != n {
			t.Fatalf("Alloc(%d): len %d cap %d", n, len(b), cap(b))
		}
		if runtime.GOOS == "linux" && uintptr(unsafe.Pointer(&b[0]))%Huge != 0 {
			t.Errorf("Alloc(%d) at %p: not aligned to 2 MiB", n, &b[0])
		}
		for i := range b {
			if b[i] != 0 {
				t.Fatalf("Alloc(%d): byte %d is %d, want zero", n, i, b[i])
			}
			b[i] = byte(i)
		}
		free()
	}
	if b, free, err := Alloc(0); err != nil || len(b) != 0 {
		t.Errorf("Alloc(0) = %d bytes, %v", len(b), err)
	} else {
		free()
	}
	if _, _, err := Alloc(-1); err == nil {
		t.Error("Alloc(-1): no error")
	}
}

func TestAvailable(t *testing.T) {
	n, err := Available()
	if runtime.GOOS != "linux" {
		if err != ErrUnsupported {
			t.Errorf("Available on %s: %d, %v; want ErrUnsupported", runtime.GOOS, n, err)
		}
		return
	}
	if err != nil || n <= 0 {
		t.Fatalf("Available() = %d, %v", n, err)
	}
}
