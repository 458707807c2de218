package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgedge/pgedge/internal/testmodel"
)

// The README's first command runs this model shipped in testdata/demo. It is made by
// `pgedge synth`; this test regenerates it and requires the committed bytes to be
// the same, so a format change cannot leave a stale demo behind.
const demoModel = "../../testdata/demo/pg2-tiny-int8.pge"

func runApp(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = &out, &out
	old := os.Stdout
	r, w, _ := os.Pipe()
	os.Stdout = w
	done := make(chan []byte)
	go func() {
		var b bytes.Buffer
		b.ReadFrom(r)
		done <- b.Bytes()
	}()
	err := app.Run(append([]string{"pgedge"}, args...))
	w.Close()
	os.Stdout = old
	return out.String() + string(<-done), err
}

func TestDemoModelIsCurrent(t *testing.T) {
	want, err := os.ReadFile(demoModel)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "demo.pge")
	if _, err := runApp(t, "synth", "--preset", "pg2-tiny", "--weights", "int8", "--seed", "1", "--out", out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("testdata/demo/pg2-tiny-int8.pge is stale; regenerate it with\n  go run ./cmd/pgedge synth --preset pg2-tiny --weights int8 --seed 1 --out testdata/demo/pg2-tiny-int8.pge")
	}
}

// TestReadmeCommand runs the README's first command (after the build).
func TestReadmeCommand(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(readme), "\n") {
		if i := strings.Index(l, "./pgedge run "); i >= 0 && strings.HasPrefix(l, "go build") {
			line = l[i+len("./pgedge "):]
			break
		}
	}
	if line == "" {
		t.Fatal("README.md has no `go build ... && ./pgedge run ...` line")
	}
	args := splitShell(line)
	for i, a := range args {
		if strings.HasPrefix(a, "testdata/") {
			args[i] = "../../" + a
		}
	}
	out, err := runApp(t, args...)
	if err != nil {
		t.Fatalf("pgedge %s: %v\n%s", line, err, out)
	}
	if strings.TrimSpace(out) == "" {
		t.Fatalf("pgedge %s printed nothing", line)
	}
}

// splitShell splits a command line on spaces, honouring double quotes.
func splitShell(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, any := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, any = !quoted, true
		case r == ' ' && !quoted:
			if any {
				out = append(out, cur.String())
			}
			cur.Reset()
			any = false
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		out = append(out, cur.String())
	}
	return out
}

// The scripted demo model answers testmodel.SegmentScript whatever the image and
// prompt: a box for "cat", a box and mask codes for "dog". The library's examples use
// it to show boxes and masks (the random demo model gives none). This test rebuilds
// it — the scripted HF checkpoint, converted at INT8 — and requires the committed
// bytes; PGEDGE_UPDATE_DEMO=1 rewrites them.
const scriptedDemo = "../../testdata/demo/pg2-tiny-scripted-int8.pge"

func TestScriptedDemoIsCurrent(t *testing.T) {
	dir := testmodel.Scripted(t, testmodel.Tokenizer(t).Encode(testmodel.SegmentScript))
	out := filepath.Join(t.TempDir(), "scripted.pge")
	if msg, err := runApp(t, "convert", "--in", dir, "--out", out, "--weights", "int8", "--threads", "1"); err != nil {
		t.Fatalf("%v\n%s", err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("PGEDGE_UPDATE_DEMO") != "" {
		if err := os.WriteFile(scriptedDemo, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(scriptedDemo)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("testdata/demo/pg2-tiny-scripted-int8.pge is stale; regenerate it with\n  PGEDGE_UPDATE_DEMO=1 go test -run TestScriptedDemoIsCurrent ./cmd/pgedge")
	}
	// And it answers its script through the whole pipeline.
	stdout, _, err := pgRun(t, "--model", scriptedDemo, "--image", "../../testdata/reference/pg2-small/image.png",
		"--task", "segment", "--objects", "cat ; dog", "--vqvae", "../../testdata/reference/vqvae/vae-oid.npz", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, `"label": "cat"`) || !strings.Contains(stdout, `"label": "dog"`) || !strings.Contains(stdout, `"counts"`) {
		t.Errorf("the scripted demo's answer:\n%s", stdout)
	}
}
