package server

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// TestBadRequests sends malformed requests to every generating endpoint: each is
// answered 4xx in its API's error shape, never 500.
func TestBadRequests(t *testing.T) {
	ts := start(t, Config{BodyLimit: 1 << 20, MaxTokensLimit: 100})
	img := imageB64(t)
	notImage := base64.StdEncoding.EncodeToString([]byte("this is not a picture"))
	long := strings.Repeat("word ", 9000)
	type tc struct {
		path, body string
		status     int
		msg        string
	}
	chat := func(extra string) string {
		return `{"model":"m","messages":[{"role":"user","content":"caption en"}]` + extra + `}`
	}
	chatImg := func(url string) string {
		return `{"messages":[{"role":"user","content":[{"type":"text","text":"caption en"},{"type":"image_url","image_url":{"url":"` + url + `"}}]}]}`
	}
	cases := []tc{
		{"/v1/chat/completions", `{`, 400, "truncated"},
		{"/v1/chat/completions", `nonsense`, 400, "not valid JSON"},
		{"/v1/chat/completions", ``, 400, "empty"},
		{"/v1/chat/completions", `[1,2]`, 400, "JSON object"},
		{"/v1/chat/completions", chat(`,"bogus":1`), 400, "unknown field"},
		{"/v1/chat/completions", chat(`,"max_tokens":"ten"`), 400, "max_tokens"},
		{"/v1/chat/completions", chat(`,"max_tokens":-1`), 400, "max_tokens"},
		{"/v1/chat/completions", chat(`,"max_tokens":1000000`), 400, "limit"},
		{"/v1/chat/completions", chat(`,"temperature":-1`), 400, "temperature"},
		{"/v1/chat/completions", chat(`,"n":3`), 400, "n must be 1"},
		{"/v1/chat/completions", chat(`,"stop":""`), 400, "stop"},
		{"/v1/chat/completions", chat(`,"tools":[{"type":"function"}]`), 400, "tools"},
		{"/v1/chat/completions", chat(`,"stream_options":{"include_usage":true}`), 400, "stream"},
		{"/v1/chat/completions", chatImg("data:image/png;base64,!!!!"), 400, "base64"},
		{"/v1/chat/completions", chatImg("data:image/png;base64," + notImage), 400, "image"},
		{"/v1/chat/completions", chatImg("file:///etc/passwd"), 400, "data:image"},
		{"/v1/chat/completions", `{"messages":[{"role":"user","content":"` + long + `"}]}`, 400, "context"},
		{"/v1/chat/completions", `{"messages":[{"role":"user","content":"` + strings.Repeat("x", 2<<20) + `"}]}`, 413, "limit"},
		{"/v1/run", `{"task":"caption","bogus":true}`, 400, "unknown field"},
		{"/v1/run", `{"task":"fly"}`, 400, "not a task"},
		{"/v1/run", `{"task":"detect"}`, 400, "objects"},
		{"/v1/run", `{"task":"caption","prompt":"caption en"}`, 400, "exactly one"},
		{"/v1/run", `{"task":"detect","objects":" ; "}`, 400, "empty"},
		{"/v1/run", `{"task":"detect","objects":5}`, 400, "objects"},
		{"/v1/run", `{"task":"caption","image":"` + notImage + `"}`, 400, "image"},
		{"/v1/run", `{"task":"caption","image":"abc$"}`, 400, "base64"},
		{"/v1/run", `{"task":"caption","max_tokens":-5}`, 400, "max_tokens"},
		{"/v1/run", `{"task":"caption","max_tokens":101}`, 400, "limit"},
		{"/v1/run", `{"task":"caption","top_p":2}`, 400, "top_p"},
		{"/v1/run", `{"prompt_ids":[999999]}`, 400, "PromptIDs"},
		{"/v1/run", `{"prompt":"` + long + `"}`, 400, "context"},
		{"/api/generate", `{"prompt":"caption en","images":["` + notImage + `"]}`, 400, "image"},
		{"/api/generate", `{"prompt":"caption en","images":["` + img + `","` + img[:len(img)-8] + `AAAAAAAA"]}`, 400, "one image"},
		{"/api/generate", `{"prompt":"caption en","options":{"num_predict":-7}}`, 400, "num_predict"},
		{"/api/generate", `{"prompt":"caption en","options":{"warp_drive":1}}`, 400, "unknown field"},
		{"/api/generate", `{"prompt":"caption en","format":"json"}`, 400, "format"},
		{"/api/generate", `{"prompt":"caption en","suffix":"x"}`, 400, "suffix"},
		{"/api/generate", `{"prompt":7}`, 400, "prompt"},
		{"/api/chat", `{"messages":[{"role":"assistant","content":"x"}]}`, 400, "last message"},
		{"/api/chat", `{"messages":[{"role":"user","content":"x","images":"abc"}]}`, 400, "images"},
		{"/api/chat", `{"messages":[{"role":"user","content":"caption en"}],"tools":[{}]}`, 400, "tools"},
		{"/api/show", `{"model":1}`, 400, "model"},
	}
	for _, c := range cases {
		status, body, _ := post(t, ts.url+c.path, c.body)
		name := c.path + " " + truncate(c.body, 60)
		if status != c.status {
			t.Errorf("%s: status %d, want %d: %s", name, status, c.status, truncate(string(body), 300))
			continue
		}
		v := mustJSON(t, body)
		var msg string
		if strings.HasPrefix(c.path, "/api/") {
			msg, _ = v["error"].(string)
		} else {
			e, _ := v["error"].(map[string]any)
			msg, _ = e["message"].(string)
			if e["type"] == nil || e["code"] == nil {
				t.Errorf("%s: %s is not OpenAI's error shape", name, body)
			}
		}
		if !strings.Contains(msg, c.msg) {
			t.Errorf("%s: message %q does not say %q", name, msg, c.msg)
		}
	}

	// Multipart: a non-image file, an unknown field.
	for _, form := range []struct {
		field, value, file string
		data               []byte
		msg                string
	}{
		{"task", "caption", "image", []byte("not an image"), "image"},
		{"colour", "red", "", nil, "unknown field"},
		{"max_tokens", "many", "", nil, "max_tokens"},
	} {
		var b bytes.Buffer
		w := newMultipart(&b, map[string]string{form.field: form.value}, form.file, form.data)
		req, _ := http.NewRequest(http.MethodPost, ts.url+"/v1/run", &b)
		req.Header.Set("Content-Type", w)
		status, body, _ := do(t, req)
		if status != 400 || !strings.Contains(string(body), form.msg) {
			t.Errorf("multipart %s=%s: %d %s", form.field, form.value, status, body)
		}
	}

	// Wrong method, unknown path.
	for _, c := range []struct{ method, path, shape string }{
		{"GET", "/v1/chat/completions", "openai"}, {"POST", "/v1/nothing", "openai"}, {"GET", "/api/generate", "ollama"},
		{"DELETE", "/api/tags", "ollama"},
	} {
		req, _ := http.NewRequest(c.method, ts.url+c.path, nil)
		status, body, _ := do(t, req)
		v := mustJSON(t, body)
		_, isString := v["error"].(string)
		if status != 404 || isString != (c.shape == "ollama") {
			t.Errorf("%s %s: %d %s", c.method, c.path, status, body)
		}
	}
	_, metrics, _ := get(t, ts.url+"/metrics")
	if strings.Contains(string(metrics), `status="500"`) {
		t.Errorf("a request was answered 500:\n%s", grepLines(string(metrics), "pgedge_requests_total"))
	}
}
