package compress

import (
	"bytes"
	"encoding"
	"errors"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// opens is every way to open a file by path, for the tests that must hold for each.
var opens = []struct {
	name string
	fn   func(string) (*File, error)
	load Load // what File.Load reports
}{
	{"Open", Open, LoadMap},
	{"OpenWith(mmap)", func(p string) (*File, error) { return OpenWith(p, LoadMap) }, LoadMap},
	{"OpenWith(memory)", func(p string) (*File, error) { return OpenWith(p, LoadMemory) }, LoadMemory},
	// A small file takes far less than half of any machine's available memory.
	{"OpenWith(auto)", func(p string) (*File, error) { return OpenWith(p, LoadAuto) }, autoWant()},
}

func autoWant() Load {
	if runtime.GOOS == "linux" {
		return LoadMemory
	}
	return LoadMap
}

func TestLoadText(t *testing.T) {
	for _, l := range []Load{LoadAuto, LoadMap, LoadMemory} {
		b, err := l.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Load
		if err := back.UnmarshalText(b); err != nil || back != l {
			t.Errorf("%v: text %q read back as %v, %v", l, b, back, err)
		}
	}
	var _ encoding.TextUnmarshaler = (*Load)(nil)
	if _, err := ParseLoad("mlock"); err == nil || !strings.Contains(err.Error(), "auto, mmap or memory") {
		t.Errorf("ParseLoad(mlock): %v", err)
	}
	if _, err := Load(7).MarshalText(); err == nil {
		t.Error("Load(7).MarshalText: no error")
	}
	if _, err := OpenWith("x.pge", Load(7)); err == nil || !strings.Contains(err.Error(), "not a load mode") {
		t.Errorf("OpenWith(Load(7)): %v", err)
	}
	f, err := Parse(modelBytes(t, smallModel()))
	if err != nil {
		t.Fatal(err)
	}
	if f.Load() != LoadAuto {
		t.Errorf("Parse: Load() = %v, want auto (the caller's bytes)", f.Load())
	}
}

// TestLoadMemoryIsReadOnly: a write through a tensor slice faults, as it does on the
// read-only mapping, rather than changing the weights for every later reader.
func TestLoadMemoryIsReadOnly(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("SKIP: read-only memory is Linux-only (mprotect); %s leaves it writable", runtime.GOOS)
	}
	f, m, _ := openSmall(t, LoadMemory)
	_, data, _ := f.Tensor(m.tensors[0].info.Name)
	if !faults(func() { data[0]++ }) {
		t.Error("a write to a LoadMemory tensor did not fault")
	}
}

// faults reports whether f faulted (a memory fault turned into a panic).
func faults(f func()) (fault bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() { fault = recover() != nil }()
	f()
	return false
}

// TestReadAllAt reads across many chunk boundaries with several readers, and a file
// that is shorter than expected is an error that says so.
func TestReadAllAt(t *testing.T) {
	defer func(c int) { readChunk = c }(readChunk)
	readChunk = 1000
	want := pattern(3, 25_500)
	got := make([]byte, len(want))
	if err := readAllAt(bytes.NewReader(want), got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("bytes read differ from the file")
	}
	err := readAllAt(bytes.NewReader(want[:20_000]), make([]byte, len(want)))
	if err == nil || !strings.Contains(err.Error(), "ended before byte") {
		t.Errorf("short file: %v", err)
	}
	boom := errors.New("disk on fire")
	if err := readAllAt(failingReader{boom}, make([]byte, 5000)); !errors.Is(err, boom) {
		t.Errorf("failing reader: %v", err)
	}
}

type failingReader struct{ err error }

func (r failingReader) ReadAt([]byte, int64) (int, error) { return 0, r.err }

// TestLoadMemoryCloseReleases: a closed in-memory file no longer holds its bytes and
// closes again without error.
func TestLoadMemoryCloseReleases(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.pge")
	writeModel(t, path, bigModel())
	f, err := OpenWith(path, LoadMemory)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if f.free != nil || f.data != nil {
		t.Error("Close kept the memory")
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestLoadMemoryTooLarge: a file larger than the available memory is refused with an
// error that says what to do, and LoadAuto maps a file above half of it.
func TestLoadMemoryTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.pge")
	writeModel(t, path, bigModel())
	defer func(f func() (int64, error)) { memAvailable = f }(memAvailable)
	memAvailable = func() (int64, error) { return 1000, nil }
	if _, err := OpenWith(path, LoadMemory); err == nil || !strings.Contains(err.Error(), "--load mmap") || !strings.Contains(err.Error(), path) {
		t.Errorf("LoadMemory beyond the available memory: %v", err)
	}
	f, err := OpenWith(path, LoadAuto)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Load() != LoadMap {
		t.Errorf("LoadAuto with 1000 bytes available chose %v, want mmap", f.Load())
	}
}

// TestRewrite: a file read into memory can be rewritten in place and is read-only
// again afterwards; a mapped file or the caller's bytes cannot.
func TestRewrite(t *testing.T) {
	f, m, path := openSmall(t, LoadMemory)
	name := m.tensors[0].info.Name
	_, data, _ := f.Tensor(name)
	was := data[0]
	if err := f.Rewrite(func() error { data[0]++; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, d, _ := f.Tensor(name); d[0] != was+1 {
		t.Errorf("byte 0 of %s is %d after the rewrite, want %d", name, d[0], was+1)
	}
	if err := f.Verify(); !errors.Is(err, ErrChecksum) {
		t.Errorf("Verify after a rewrite: %v, want a checksum mismatch", err)
	}
	boom := errors.New("boom")
	if err := f.Rewrite(func() error { return boom }); err != boom {
		t.Errorf("Rewrite returned %v, want fn's error", err)
	}
	if runtime.GOOS == "linux" && !faults(func() { data[0]++ }) {
		t.Error("a write after Rewrite did not fault")
	}
	mf, err := OpenWith(path, LoadMap)
	if err != nil {
		t.Fatal(err)
	}
	defer mf.Close()
	if err := mf.Rewrite(func() error { return nil }); err == nil || !strings.Contains(err.Error(), "mmap") {
		t.Errorf("Rewrite of a mapped file: %v, want an error naming mmap", err)
	}
	pf, err := Parse(modelBytes(t, m))
	if err != nil {
		t.Fatal(err)
	}
	if err := pf.Rewrite(func() error { return nil }); err == nil || !strings.Contains(err.Error(), "Parse") {
		t.Errorf("Rewrite of the caller's bytes: %v, want an error naming Parse", err)
	}
}

// openSmall writes smallModel to a temporary file and opens it with load (closed at
// the test's end).
func openSmall(t *testing.T, load Load) (*File, testModel, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.pge")
	m := smallModel()
	writeModel(t, path, m)
	f, err := OpenWith(path, load)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, m, path
}
