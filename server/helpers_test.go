package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pgedge/pgedge"
)

const (
	demoModel = "../testdata/demo/pg2-tiny-int8.pge"
	demoImage = "../testdata/reference/pg2-small/image.png"
)

var (
	modelOnce sync.Once
	model     *pgedge.Model
	modelErr  error
)

// demo is the demo model, opened once for the test binary (a Model is safe for
// concurrent use, and several servers may share one).
func demo(t testing.TB) *pgedge.Model {
	t.Helper()
	modelOnce.Do(func() { model, modelErr = pgedge.Open(demoModel, pgedge.WithThreads(2)) })
	if modelErr != nil {
		t.Fatal(modelErr)
	}
	return model
}

func imageBytes(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(demoImage)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func imageB64(t testing.TB) string { return base64.StdEncoding.EncodeToString(imageBytes(t)) }

func libImage(t testing.TB) *pgedge.Image {
	t.Helper()
	img, err := pgedge.DecodeImageBytes(imageBytes(t))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// want runs a request through the library: what the server must answer.
func want(t testing.TB, req pgedge.Request) *pgedge.Result {
	t.Helper()
	res, err := demo(t).Generate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// testServer is a server on a loopback port.
type testServer struct {
	*Server
	url    string
	cancel context.CancelFunc
	done   chan error
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start serves the demo model with cfg on 127.0.0.1; the server is drained at the
// end of the test.
func start(t testing.TB, cfg Config) *testServer {
	t.Helper()
	logs := &syncBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	}
	if cfg.Parallel == 0 {
		cfg.Parallel = 2
	}
	s := New(cfg)
	s.SetModel(demo(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{Server: s, url: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan error, 1), logs: logs}
	go func() { ts.done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

// stop drains the server (once).
func (ts *testServer) stop(t testing.TB) {
	if ts.cancel == nil {
		return
	}
	ts.cancel()
	ts.cancel = nil
	select {
	case err := <-ts.done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(40 * time.Second):
		t.Errorf("Serve did not return after shutdown")
	}
	if t.Failed() {
		t.Logf("server log:\n%s", ts.logs.String())
	}
}

// post sends a JSON body and returns the status and body.
func post(t testing.TB, url, body string, header ...string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func get(t testing.TB, url string, header ...string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func do(t testing.TB, req *http.Request) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

func mustJSON(t testing.TB, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, b)
	}
	return v
}
