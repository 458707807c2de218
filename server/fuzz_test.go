package server

import (
	"bytes"
	"context"
	"net/http"
	"testing"
)

// The request decoders must answer any body with a request or a 4xx error, never
// panic. Seed corpora are in testdata/fuzz/Fuzz*; run e.g.
//
//	go test ./server -run '^$' -fuzz FuzzDecodeChat -fuzztime 30s

func checkDecoded(t *testing.T, err error) {
	if err == nil {
		return
	}
	if e := toAPIError(err); e.status < 400 || e.status >= 500 {
		t.Fatalf("error %v is answered %d", err, e.status)
	}
}

var fuzzServer = New(Config{})

func FuzzDecodeChat(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"caption en"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := fuzzServer.decodeChat(context.Background(), bytes.NewReader(body))
		checkDecoded(t, err)
		if err == nil && c.gen.req.Prompt == "" {
			t.Fatalf("a chat request without a prompt was accepted: %s", body)
		}
	})
}

func FuzzDecodeOllamaGenerate(f *testing.F) {
	f.Add([]byte(`{"model":"m","prompt":"caption en","options":{"num_predict":5}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := decodeOllamaGenerate(bytes.NewReader(body))
		checkDecoded(t, err)
	})
}

func FuzzDecodeOllamaChat(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"user","content":"caption en"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := decodeOllamaChat(bytes.NewReader(body))
		checkDecoded(t, err)
	})
}

func FuzzDecodeRun(f *testing.F) {
	f.Add([]byte(`{"task":"detect","objects":"cat ; dog"}`), false)
	f.Fuzz(func(t *testing.T, body []byte, multipart bool) {
		var err error
		if multipart {
			r, _ := http.NewRequest(http.MethodPost, "/v1/run", bytes.NewReader(body))
			r.Header.Set("Content-Type", "multipart/form-data; boundary=X")
			_, err = fuzzServer.decodeRunMultipart(r)
		} else {
			_, err = fuzzServer.decodeRun(context.Background(), bytes.NewReader(body))
		}
		checkDecoded(t, err)
	})
}
