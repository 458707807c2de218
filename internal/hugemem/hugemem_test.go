package hugemem

import (
	"runtime"
	"runtime/debug"
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

// TestReadOnlyReadWrite: after ReadOnly a write faults (on Linux), after ReadWrite it
// succeeds and the bytes are kept.
func TestReadOnlyReadWrite(t *testing.T) {
	b, free, err := Alloc(Huge + 100)
	if err != nil {
		t.Fatal(err)
	}
	defer free()
	b[7] = 7
	ReadOnly(b)
	if runtime.GOOS == "linux" {
		if !faults(func() { b[Huge+50] = 1 }) {
			t.Error("write after ReadOnly did not fault")
		}
	}
	if err := ReadWrite(b); err != nil {
		t.Fatal(err)
	}
	if faults(func() { b[Huge+50] = 1 }) {
		t.Fatal("write after ReadWrite faulted")
	}
	if b[7] != 7 || b[Huge+50] != 1 {
		t.Errorf("bytes %d, %d after ReadWrite, want 7, 1", b[7], b[Huge+50])
	}
}

// faults reports whether f faulted (a memory fault turned into a panic).
func faults(f func()) (fault bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { fault = recover() != nil }()
	f()
	return false
}
