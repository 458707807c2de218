package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pgedge/pgedge"
)

// TestNativeRun checks that /v1/run answers exactly the library's Result JSON, from a
// JSON body, a multipart upload and an SSE stream.
func TestNativeRun(t *testing.T) {
	ts := start(t, Config{})
	ref := want(t, pgedge.Request{Image: libImage(t), Task: pgedge.Detect, Objects: []string{"cat", "dog"}, MaxTokens: 20})
	check := func(name string, body []byte) {
		t.Helper()
		var got pgedge.Result
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, body)
		}
		if got.Text != ref.Text || fmt.Sprint(got.Tokens) != fmt.Sprint(ref.Tokens) || got.Width != ref.Width ||
			fmt.Sprint(got.Objects) != fmt.Sprint(ref.Objects) || fmt.Sprint(got.Unparsed) != fmt.Sprint(ref.Unparsed) {
			t.Errorf("%s: %s\nthe library gives %q %v", name, body, ref.Text, ref.Tokens)
		}
		var keys map[string]any
		json.Unmarshal(body, &keys)
		for _, k := range []string{"text", "objects", "tokens", "timings", "width", "height"} {
			if _, ok := keys[k]; !ok {
				t.Errorf("%s: no %q in %s", name, k, body)
			}
		}
	}
	status, body, _ := post(t, ts.url+"/v1/run", `{"task":"detect","objects":"cat ; dog","max_tokens":20,"image":"`+imageB64(t)+`"}`)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	check("json", body)

	var b bytes.Buffer
	ct := newMultipart(&b, map[string]string{"task": "detect", "objects": "cat ; dog", "max_tokens": "20"}, "image", imageBytes(t))
	req, _ := http.NewRequest(http.MethodPost, ts.url+"/v1/run", &b)
	req.Header.Set("Content-Type", ct)
	status, body, _ = do(t, req)
	if status != 200 || !strings.Contains(string(body), `"image":"upload.png"`) {
		t.Fatalf("multipart: %d %s", status, body)
	}
	check("multipart", body)

	status, body, hdr := post(t, ts.url+"/v1/run", `{"task":"detect","objects":["cat","dog"],"max_tokens":20,"stream":true,"image":"`+imageB64(t)+`"}`)
	if status != 200 || hdr.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", status, body)
	}
	var text strings.Builder
	var result []byte
	pieces := 0
	for _, ev := range strings.Split(strings.TrimSpace(string(body)), "\n\n") {
		name, data, _ := strings.Cut(ev, "\n")
		data = strings.TrimPrefix(data, "data: ")
		switch name {
		case "event: text":
			var p struct{ Text string }
			json.Unmarshal([]byte(data), &p)
			text.WriteString(p.Text)
			pieces++
		case "event: result":
			result = []byte(data)
		default:
			t.Errorf("unexpected event %q", ev)
		}
	}
	if text.String() != ref.Text || pieces < 3 {
		t.Errorf("streamed %q in %d pieces, want %q", text.String(), pieces, ref.Text)
	}
	check("stream result", result)
}

// longStream starts a generation that would take minutes and returns once its first
// text arrived; cancel disconnects the client.
func longStream(t *testing.T, url string) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/run", strings.NewReader(`{"prompt":"caption en","max_tokens":8000,"stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("long stream: %s", resp.Status)
	}
	r := bufio.NewReader(resp.Body)
	if _, err := r.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	return func() {
		cancel()
		resp.Body.Close()
	}
}

// metricValue reads one unlabelled metric.
func metricValue(t *testing.T, url, name string) float64 {
	t.Helper()
	_, body, _ := get(t, url+"/metrics")
	for _, l := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(l, name+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

func waitMetric(t *testing.T, url, name string, want float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for metricValue(t, url, name) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s stays at %g, want %g", name, metricValue(t, url, name), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestQueueAndDisconnect: one slot, one queue place: a third request gets 503 with
// Retry-After; a client that disconnects frees its slot for the queued one.
func TestQueueAndDisconnect(t *testing.T) {
	ts := start(t, Config{Parallel: 1, Queue: 1})
	stop1 := longStream(t, ts.url)
	queued := make(chan int, 1)
	go func() {
		status, _, _ := post(t, ts.url+"/v1/run", `{"task":"caption","max_tokens":3}`)
		queued <- status
	}()
	waitMetric(t, ts.url, "pgedge_queue_depth", 1)
	status, body, hdr := post(t, ts.url+"/api/generate", `{"prompt":"caption en","stream":false}`)
	if status != 503 || hdr.Get("Retry-After") == "" || !strings.Contains(string(body), `"error":"the server is busy`) {
		t.Errorf("overflow: %d %s (Retry-After %q)", status, body, hdr.Get("Retry-After"))
	}
	status, body, _ = post(t, ts.url+"/v1/chat/completions", `{"messages":[{"role":"user","content":"caption en"}]}`)
	if status != 503 || !strings.Contains(string(body), `"code":"queue_full"`) {
		t.Errorf("overflow: %d %s", status, body)
	}
	stop1()
	select {
	case status := <-queued:
		if status != 200 {
			t.Errorf("the queued request: %d", status)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the queued request did not get the slot of the disconnected one")
	}
	waitMetric(t, ts.url, "pgedge_slots_busy", 0)
	waitMetric(t, ts.url, "pgedge_generations_cancelled_total", 1)
	if n := metricValue(t, ts.url, "pgedge_queue_rejected_total"); n != 2 {
		t.Errorf("rejected %g, want 2", n)
	}
}

// TestRequestTimeout: a generation past --request-timeout is stopped and answered 504.
func TestRequestTimeout(t *testing.T) {
	ts := start(t, Config{RequestTimeout: 600 * time.Millisecond})
	t0 := time.Now()
	status, body, _ := post(t, ts.url+"/api/generate", `{"prompt":"caption en","stream":false,"options":{"num_predict":8000}}`)
	if status != 504 || !strings.Contains(string(body), "request-timeout") {
		t.Errorf("%d %s", status, body)
	}
	if d := time.Since(t0); d > 3*time.Second {
		t.Errorf("the timeout took %v", d)
	}
	waitMetric(t, ts.url, "pgedge_slots_busy", 0)

	// Once streaming has begun, the timeout ends the stream with an error event.
	status, body, _ = post(t, ts.url+"/v1/chat/completions", `{"stream":true,"max_tokens":8000,"messages":[{"role":"user","content":"caption en"}]}`)
	events := strings.Split(strings.TrimSpace(string(body)), "\n\n")
	if last := events[len(events)-1]; status != 200 || len(events) < 3 || !strings.Contains(last, `"code":"timeout"`) {
		t.Errorf("a timed-out stream: %d, %d events, last %s", status, len(events), last)
	}
	status, body, _ = post(t, ts.url+"/api/chat", `{"messages":[{"role":"user","content":"caption en"}],"options":{"num_predict":8000}}`)
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	if last := lines[len(lines)-1]; status != 200 || len(lines) < 3 || !strings.Contains(last, `{"error":"the request took longer`) {
		t.Errorf("a timed-out ollama stream: %d, %d lines, last %s", status, len(lines), last)
	}
	waitMetric(t, ts.url, "pgedge_slots_busy", 0)
}

// TestDrain: shutting down lets a running request finish and refuses new connections;
// past the drain time a long generation is cancelled and Serve returns.
func TestDrain(t *testing.T) {
	ts := start(t, Config{DrainTimeout: 20 * time.Second})
	// Long enough to be seen running: 200 tokens took 27 ms once the demo model was
	// read into memory, and the request finished before the metric was polled.
	ref := want(t, pgedge.Request{Prompt: "caption en", MaxTokens: 4000})
	res := make(chan string, 1)
	go func() {
		_, body, _ := post(t, ts.url+"/v1/run", `{"prompt":"caption en","max_tokens":4000}`)
		res <- string(body)
	}()
	waitMetric(t, ts.url, "pgedge_slots_busy", 1)
	ts.stop(t)
	if body := <-res; !strings.Contains(body, `"text":`+string(marshal(ref.Text))) {
		t.Errorf("the running request was not finished: %s", body)
	}
	if _, err := http.Get(ts.url + "/health"); err == nil {
		t.Errorf("the server still accepts connections after shutdown")
	}

	ts = start(t, Config{DrainTimeout: 200 * time.Millisecond})
	stop := longStream(t, ts.url)
	defer stop()
	t0 := time.Now()
	ts.stop(t)
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("shutdown took %v past a 200 ms drain time", d)
	}
}

// TestHealthAuthCORS: /health while loading, the API key, CORS headers.
func TestHealthAuthCORS(t *testing.T) {
	s := New(Config{APIKey: "secret"})
	srv := httptest.NewServer(s)
	defer srv.Close()
	status, body, _ := get(t, srv.URL+"/health")
	if status != 503 || !strings.Contains(string(body), "loading") {
		t.Errorf("health while loading: %d %s", status, body)
	}
	status, body, _ = post(t, srv.URL+"/v1/run", `{"task":"caption"}`, "Authorization", "Bearer secret")
	if status != 503 {
		t.Errorf("run while loading: %d %s", status, body)
	}
	s.SetModel(demo(t))
	status, _, _ = get(t, srv.URL+"/health")
	if status != 200 {
		t.Errorf("health: %d", status)
	}
	for _, c := range []struct {
		path, auth string
		status     int
		body       string
	}{
		{"/metrics", "", 401, `"code":"invalid_api_key"`},
		{"/api/tags", "Bearer nope", 401, `{"error":"missing or wrong API key`},
		{"/v1/models", "secret", 401, `"type":"authentication_error"`},
		{"/", "", 200, "<!doctype html>"}, // the page's files are public; it asks for the key
		{"/app.js", "", 200, "Bearer"},
		{"/v1/info", "", 401, `"code":"invalid_api_key"`},
		{"/v1/info", "Bearer secret", 200, `"preset":"pg2-tiny"`},
		{"/v1/models", "Bearer secret", 200, `"pg2-tiny"`},
		{"/api/tags", "Bearer secret", 200, `"pg2-tiny"`},
	} {
		status, body, hdr := get(t, srv.URL+c.path, "Authorization", c.auth)
		if status != c.status || !strings.Contains(string(body), c.body) || hdr.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s with %q: %d %s", c.path, c.auth, status, body)
		}
	}

	ts := start(t, Config{CORSOrigin: "https://example.com"})
	req, _ := http.NewRequest(http.MethodOptions, ts.url+"/v1/chat/completions", nil)
	req.Header.Set("Origin", "https://example.com")
	req.Header.Set("Access-Control-Request-Method", "POST")
	status, _, hdr := do(t, req)
	if status != 204 || hdr.Get("Access-Control-Allow-Origin") != "https://example.com" || !strings.Contains(hdr.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", status, hdr)
	}
	req, _ = http.NewRequest(http.MethodHead, ts.url+"/", nil)
	status, _, hdr = do(t, req)
	if status != 200 || hdr.Get("Access-Control-Allow-Origin") != "https://example.com" {
		t.Errorf("HEAD /: %d %v", status, hdr)
	}
}

// TestRemoteImages: refused without the flag; with it, fetched from a (test) server,
// but never through a redirect to a loopback address, and never past the size limit.
func TestRemoteImages(t *testing.T) {
	img := imageBytes(t)
	var hits int
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		switch r.URL.Path {
		case "/cat.png":
			w.Write(img)
		case "/big.png":
			w.Write(bytes.Repeat([]byte{1}, 2<<20))
		case "/redirect":
			http.Redirect(w, r, "http://127.0.0.1:1/secret", http.StatusFound)
		}
	}))
	defer origin.Close()
	body := func(path string) string {
		return `{"messages":[{"role":"user","content":[{"type":"text","text":"caption en"},{"type":"image_url","image_url":{"url":"` + origin.URL + path + `"}}]}],"max_tokens":4}`
	}
	off := start(t, Config{})
	if status, b, _ := post(t, off.url+"/v1/chat/completions", body("/cat.png")); status != 400 || hits != 0 {
		t.Errorf("without --allow-remote-images: %d %s (%d fetches)", status, b, hits)
	}
	strict := start(t, Config{AllowRemoteImages: true})
	if status, b, _ := post(t, strict.url+"/v1/chat/completions", body("/cat.png")); status != 400 || !strings.Contains(string(b), "loopback") || hits != 0 {
		t.Errorf("a loopback URL: %d %s", status, b)
	}
	on := start(t, Config{AllowRemoteImages: true, BodyLimit: 1 << 20, allowLoopbackFirstHop: true})
	ref := want(t, pgedge.Request{Image: libImage(t), Prompt: "caption en", MaxTokens: 4})
	if status, b, _ := post(t, on.url+"/v1/chat/completions", body("/cat.png")); status != 200 || !strings.Contains(string(b), string(marshal(ref.Text))) {
		t.Errorf("a fetched image: %d %s, want %q", status, b, ref.Text)
	}
	if status, b, _ := post(t, on.url+"/v1/chat/completions", body("/redirect")); status != 400 || !strings.Contains(string(b), "loopback") {
		t.Errorf("a redirect to loopback: %d %s", status, b)
	}
	if status, b, _ := post(t, on.url+"/v1/chat/completions", body("/big.png")); status != 400 || !strings.Contains(string(b), "larger than") {
		t.Errorf("a too large image: %d %s", status, b)
	}
}

var (
	_ = io.EOF
	_ = net.IPv4len
)
