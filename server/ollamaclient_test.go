package server

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pgedge/pgedge"
)

// TestOllamaJS drives the server with the official ollama JavaScript client (npm
// "ollama", pinned in testdata/ollamajs/package-lock.json; .ci/run installs it with
// npm ci) under the machine's node.
func TestOllamaJS(t *testing.T) {
	dir, _ := filepath.Abs("testdata/ollamajs")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIP: node is not installed; the ollama JavaScript client test does not run (.ci/run installs nodejs)")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "ollama")); err != nil {
		t.Skip("SKIP: server/testdata/ollamajs/node_modules is missing; run `npm ci` there (.ci/run does)")
	}
	ts := start(t, Config{Parallel: 1})
	img, _ := filepath.Abs(demoImage)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "test.mjs", ts.url, img)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	outb, err := cmd.Output()
	if err != nil {
		t.Fatalf("node test.mjs: %v\n%s", err, stderr.String())
	}
	var out struct {
		Version struct{ Version string }
		List    struct {
			Models []struct {
				Name    string
				Details struct {
					QuantizationLevel string `json:"quantization_level"`
				}
			}
		}
		Show struct {
			Capabilities []string
		}
		PS struct {
			Models []struct{ Name string }
		}
		GenerateStream struct {
			Text  string
			Parts int
			Last  map[string]any
		}
		Chat struct {
			Message    struct{ Role, Content string }
			DoneReason string `json:"done_reason"`
		}
		ChatStream struct {
			Text  string
			Parts int
			Last  map[string]any
		}
		AbortError   string
		AbortedParts int
		BadRequest   struct {
			Name, Error string
			StatusCode  int `json:"status_code"`
		}
	}
	if err := json.Unmarshal(outb, &out); err != nil {
		t.Fatalf("%v\n%s", err, outb)
	}
	var raw map[string]map[string]any
	json.Unmarshal(outb, &raw)
	ref := want(t, pgedge.Request{Image: libImage(t), Prompt: "caption en", MaxTokens: 12})

	if out.Version.Version == "" || len(out.List.Models) != 1 || out.List.Models[0].Name != "pg2-tiny" ||
		out.List.Models[0].Details.QuantizationLevel != "INT8" || len(out.PS.Models) != 1 ||
		!strings.Contains(strings.Join(out.Show.Capabilities, ","), "vision") {
		t.Errorf("version/list/ps/show: %s", outb)
	}
	g := raw["generate"]
	if g["response"] != ref.Text || g["done"] != true || g["done_reason"] != ref.FinishReason ||
		g["prompt_eval_count"] != float64(ref.PromptTokens) || g["eval_count"] != float64(len(ref.Tokens)) {
		t.Errorf("generate: %v, the library gives %q (%s, %d+%d tokens)", g, ref.Text, ref.FinishReason, ref.PromptTokens, len(ref.Tokens))
	}
	for _, k := range []string{"total_duration", "load_duration", "prompt_eval_duration", "eval_duration"} {
		if _, ok := g[k].(float64); !ok {
			t.Errorf("generate has no %s", k)
		}
	}
	if out.GenerateStream.Text != ref.Text || out.GenerateStream.Parts < 3 || out.GenerateStream.Last["done_reason"] != ref.FinishReason {
		t.Errorf("generate stream: %q in %d parts (last %v), want %q", out.GenerateStream.Text, out.GenerateStream.Parts, out.GenerateStream.Last, ref.Text)
	}
	if out.Chat.Message.Content != ref.Text || out.Chat.Message.Role != "assistant" || out.Chat.DoneReason != ref.FinishReason {
		t.Errorf("chat: %+v, want %q", out.Chat, ref.Text)
	}
	if out.ChatStream.Text != ref.Text || out.ChatStream.Parts < 3 {
		t.Errorf("chat stream: %q in %d parts, want %q", out.ChatStream.Text, out.ChatStream.Parts, ref.Text)
	}
	if out.AbortError != "AbortError" || out.AbortedParts < 1 {
		t.Errorf("abort: error %q after %d parts", out.AbortError, out.AbortedParts)
	}
	if out.BadRequest.StatusCode != 400 || !strings.Contains(out.BadRequest.Error, "num_predict") {
		t.Errorf("a bad option: %+v", out.BadRequest)
	}
	// The aborted generation (8000 tokens asked) was cancelled and freed its slot.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body, _ := get(t, ts.url+"/metrics")
		if strings.Contains(string(body), "pgedge_generations_cancelled_total 1") && strings.Contains(string(body), "pgedge_slots_busy 0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the aborted generation was not cancelled:\n%s", grepLines(string(body), "pgedge_"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func grepLines(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
