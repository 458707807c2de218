package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	os.WriteFile(p, []byte("old"), 0o600)
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("new"))
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Fatalf("before Commit the path reads %q", b)
	}
	if n := len(entries(t, dir)); n != 2 {
		t.Fatalf("%d files while writing, want the old one and the temporary", n)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(b) != "new" || st.Mode().Perm() != Mode {
		t.Errorf("after Commit: %q, mode %v", b, st.Mode())
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("files left: %v", names)
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	f.Abort() // no-op
	if _, err := os.Stat(p); err != nil {
		t.Error("Abort after Commit removed the file")
	}
}

func TestAbortAndInterrupt(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.pge")
	f, _ := Create(p)
	f.Write([]byte("partial"))
	f.Abort()
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("Abort left %v", names)
	}
	// An interrupt removes every file still being written, not finished ones.
	a, _ := Create(filepath.Join(dir, "a"))
	b, _ := Create(filepath.Join(dir, "b"))
	if err := WriteFile(filepath.Join(dir, "done"), []byte("ok")); err != nil {
		t.Fatal(err)
	}
	RemoveTemporaries()
	if names := entries(t, dir); len(names) != 1 || names[0] != "done" {
		t.Errorf("after RemoveTemporaries: %v", names)
	}
	if err := a.Commit(); err == nil {
		t.Error("Commit of a removed temporary succeeded")
	}
	b.Abort()
}

func TestCreateErrors(t *testing.T) {
	if _, err := Create(filepath.Join(t.TempDir(), "missing", "x")); err == nil {
		t.Error("Create in a missing directory succeeded")
	}
	if _, err := Create("dir/"); err == nil {
		t.Error("Create of a directory name succeeded")
	}
}
