package server

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestReadmeCurl runs the curl examples of the README's "Serving over HTTP" section
// with bash and curl against a server on the demo model.
func TestReadmeCurl(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "base64"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("SKIP: %s is not installed; the README's curl examples are not run", tool)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Serving over HTTP")
	if !ok {
		t.Fatal("README.md has no \"## Serving over HTTP\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var lines []string
	for _, block := range strings.Split(section, "```sh\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		if strings.Contains(block, "curl ") {
			lines = strings.Split(strings.TrimSpace(block), "\n")
		}
	}
	if len(lines) < 4 {
		t.Fatalf("no block of curl examples in the section")
	}
	ts := start(t, Config{})
	addr := strings.TrimPrefix(ts.url, "http://")
	var setup []string
	checks := map[string]string{
		"/v1/chat/completions": `"object":"chat.completion"`,
		"/api/generate":        `"done":true`,
		"-F task=":             `"objects":`,
		`"stream":true`:        "event: result",
	}
	ran := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "curl ") {
			setup = append(setup, l)
			continue
		}
		script := strings.Join(append(setup, strings.ReplaceAll(l, "127.0.0.1:8080", addr)), "\n")
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
		cmd.Dir = ".."
		out, err := cmd.CombinedOutput()
		if err != nil || strings.Contains(string(out), `"error"`) {
			t.Errorf("%s\n%v\n%s", l, err, out)
			continue
		}
		for k, want := range checks {
			if strings.Contains(l, k) && !strings.Contains(string(out), want) {
				t.Errorf("%s\nanswered %s\nwithout %s", l, truncate(string(out), 400), want)
			}
		}
		ran++
	}
	if ran < 4 {
		t.Errorf("ran %d curl examples, want at least 4", ran)
	}
}
