package pgedge

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeGoProgram extracts the README's Go program, builds it against this module
// and runs it from the repository root: the "Use from Go" section stays true.
func TestReadmeGoProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: builds and runs a program (-short)")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllSubmatch(readme, -1)
	if len(blocks) != 1 {
		t.Fatalf("README has %d Go blocks, want 1", len(blocks))
	}
	src := string(blocks[0][1])
	if n := strings.Count(src, "\n"); n > 40 {
		t.Errorf("the README program has %d lines; keep it short", n)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	root, _ := os.Getwd()
	bin := filepath.Join(dir, "readme")
	build := exec.Command("go", "build", "-o", bin, filepath.Join(dir, "main.go"))
	build.Dir = root // inside the module, so the import resolves to this checkout
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of the README program: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	run.Dir = root
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("the README program failed: %v\n%s", err, out)
	}
	if want := "cat {25 19 156 136}\ndog {140 58 306 185}\n"; string(out) != want {
		t.Errorf("the README program printed %q, want %q", out, want)
	}
}
