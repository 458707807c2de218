package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pgedge/pgedge"
)

// TestLoad runs 4×parallel clients against a server on loopback for 20 s (5 s with
// -short) with a mix of good, malformed and disconnecting requests, then checks: every
// request answered once (the server's count equals the clients'), every good answer
// the library's, queue overflow answered 503, and goroutines and heap back to idle.
func TestLoad(t *testing.T) {
	const parallel, queue = 2, 2
	dur := 20 * time.Second
	if testing.Short() {
		dur = 5 * time.Second
	}
	m := demo(t)
	img := libImage(t)
	b64 := imageB64(t)

	// Good requests, each with the library's answer.
	type good struct {
		path, body string
		want       string
		extract    func(t *testing.T, resp *http.Response) (string, error)
	}
	prompts := []string{"caption en", "answer en what is this", "detect cat", "ocr"}
	var goods []good
	for i, p := range prompts {
		n := 6 + 3*i
		withImg := pgedge.Request{Image: img, Prompt: p, MaxTokens: n}
		ref := want(t, withImg).Text
		refText := want(t, pgedge.Request{Prompt: p, MaxTokens: n}).Text
		goods = append(goods,
			good{"/v1/chat/completions", fmt.Sprintf(`{"max_tokens":%d,"messages":[{"role":"user","content":[{"type":"text","text":%q},{"type":"image_url","image_url":{"url":"data:image/png;base64,%s"}}]}]}`, n, p, b64),
				ref, openAIText},
			good{"/v1/chat/completions", fmt.Sprintf(`{"max_tokens":%d,"stream":true,"messages":[{"role":"user","content":%q}]}`, n, p),
				refText, openAIStreamText},
			good{"/api/generate", fmt.Sprintf(`{"prompt":%q,"images":[%q],"options":{"num_predict":%d}}`, p, b64, n),
				ref, ollamaStreamText},
			good{"/v1/run", fmt.Sprintf(`{"prompt":%q,"max_tokens":%d,"image":%q}`, p, n, b64),
				ref, runText},
		)
	}
	malformed := []string{`{`, `{"messages":[]}`, `{"prompt":"x","options":{"num_predict":"y"}}`, `{"task":"fly"}`, `{"max_tokens":-1}`}
	malformedPaths := []string{"/v1/chat/completions", "/v1/chat/completions", "/api/generate", "/v1/run", "/v1/run"}

	runtime.GC()
	baseGoroutines := runtime.NumGoroutine()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	baseHeap := ms.HeapInuse

	ts := start(t, Config{Parallel: parallel, Queue: queue})
	tr := &http.Transport{MaxIdleConnsPerHost: 4 * parallel}
	client := &http.Client{Transport: tr}
	var sent, answered, goodOK, bad400, overflow, disconnected, wrong atomic.Int64
	deadline := time.Now().Add(dur)
	var wg sync.WaitGroup
	var errMu sync.Mutex
	var errs []string
	fail := func(format string, args ...any) {
		errMu.Lock()
		defer errMu.Unlock()
		if len(errs) < 10 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
	}
	for c := 0; c < 4*parallel; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for time.Now().Before(deadline) {
				k := rng.IntN(10)
				switch {
				case k < 6: // good
					g := goods[rng.IntN(len(goods))]
					sent.Add(1)
					resp, err := client.Post(ts.url+g.path, "application/json", strings.NewReader(g.body))
					if err != nil {
						fail("%s: %v", g.path, err)
						continue
					}
					answered.Add(1)
					switch resp.StatusCode {
					case 200:
						text, err := g.extract(t, resp)
						if err != nil || text != g.want {
							wrong.Add(1)
							fail("%s: got %q (%v), want %q", g.path, text, err, g.want)
						} else {
							goodOK.Add(1)
						}
					case 503:
						overflow.Add(1)
						if resp.Header.Get("Retry-After") == "" {
							fail("503 without Retry-After")
						}
						time.Sleep(time.Duration(10+rng.IntN(40)) * time.Millisecond)
					default:
						b, _ := io.ReadAll(resp.Body)
						fail("%s: %s %s", g.path, resp.Status, b)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				case k < 8: // malformed
					i := rng.IntN(len(malformed))
					sent.Add(1)
					resp, err := client.Post(ts.url+malformedPaths[i], "application/json", strings.NewReader(malformed[i]))
					if err != nil {
						fail("malformed: %v", err)
						continue
					}
					answered.Add(1)
					if resp.StatusCode != 400 {
						fail("malformed %s: %s", malformed[i], resp.Status)
					} else {
						bad400.Add(1)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				default: // disconnects: after the first text, or while queued
					// The timer starts once the request is written, so that it
					// always reaches the server.
					ctx, cancel := context.WithCancel(context.Background())
					wait := time.Duration(1+rng.IntN(40)) * time.Millisecond
					var timer *time.Timer
					var tmu sync.Mutex
					ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) {
						tmu.Lock()
						timer = time.AfterFunc(wait, cancel)
						tmu.Unlock()
					}})
					req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.url+"/v1/run",
						strings.NewReader(`{"prompt":"caption en","max_tokens":8000,"stream":true}`))
					sent.Add(1)
					resp, err := client.Do(req)
					if err == nil {
						answered.Add(1)
						if resp.StatusCode == 200 {
							bufio.NewReader(resp.Body).ReadString('\n')
						}
						cancel()
						resp.Body.Close()
					}
					tmu.Lock()
					if timer != nil {
						timer.Stop()
					}
					tmu.Unlock()
					cancel()
					disconnected.Add(1)
				}
			}
		}(c)
	}
	wg.Wait()
	tr.CloseIdleConnections()
	for _, e := range errs {
		t.Error(e)
	}

	// Every request reached the handler exactly once: the server's counts of the
	// generating endpoints add up to what the clients sent.
	waitMetric(t, ts.url, "pgedge_slots_busy", 0)
	waitMetric(t, ts.url, "pgedge_queue_depth", 0)
	deadline = time.Now().Add(10 * time.Second)
	var served float64
	for {
		_, body, _ := get(t, ts.url+"/metrics")
		served = 0
		for _, l := range strings.Split(string(body), "\n") {
			if strings.HasPrefix(l, "pgedge_requests_total{") && !strings.Contains(l, "GET /") {
				var v float64
				fmt.Sscan(l[strings.LastIndex(l, " ")+1:], &v)
				served += v
			}
		}
		if served == float64(sent.Load()) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("%v: %d requests (%d good answered right, %d malformed → 400, %d overflow → 503, %d disconnecting); the server counted %g",
		dur, sent.Load(), goodOK.Load(), bad400.Load(), overflow.Load(), disconnected.Load(), served)
	if served != float64(sent.Load()) {
		t.Errorf("the clients sent %d requests, the server counted %g", sent.Load(), served)
	}
	if goodOK.Load() == 0 || overflow.Load() == 0 || bad400.Load() == 0 || disconnected.Load() == 0 || wrong.Load() > 0 {
		t.Errorf("the mix did not happen: %d good, %d overflow, %d malformed, %d disconnecting, %d wrong",
			goodOK.Load(), overflow.Load(), bad400.Load(), disconnected.Load(), wrong.Load())
	}
	if c := metricValue(t, ts.url, "pgedge_generations_cancelled_total"); c == 0 {
		t.Errorf("no generation was cancelled by a disconnect")
	}

	// Back to idle: the server's goroutines (but its listener) and the heap.
	ts.stop(t)
	deadline = time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > baseGoroutines {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after the load, %d before:\n%s", runtime.NumGoroutine(), baseGoroutines, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > baseHeap+16<<20 {
		t.Errorf("heap in use %d MB after the load, %d MB before", ms.HeapInuse>>20, baseHeap>>20)
	}
	t.Logf("goroutines %d → %d; heap in use %.1f → %.1f MB", baseGoroutines, runtime.NumGoroutine(), float64(baseHeap)/(1<<20), float64(ms.HeapInuse)/(1<<20))
	_ = m
}

func openAIText(t *testing.T, resp *http.Response) (string, error) {
	var r struct {
		Choices []struct{ Message struct{ Content string } }
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Choices) != 1 {
		return "", fmt.Errorf("bad body: %v", err)
	}
	return r.Choices[0].Message.Content, nil
}

func openAIStreamText(t *testing.T, resp *http.Response) (string, error) {
	var text strings.Builder
	sc := bufio.NewScanner(resp.Body)
	done := false
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if data == "[DONE]" {
			done = true
			break
		}
		var c struct {
			Choices []struct{ Delta struct{ Content string } }
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return "", err
		}
		for _, ch := range c.Choices {
			text.WriteString(ch.Delta.Content)
		}
	}
	if !done {
		return text.String(), fmt.Errorf("no [DONE]")
	}
	return text.String(), nil
}

func ollamaStreamText(t *testing.T, resp *http.Response) (string, error) {
	var text strings.Builder
	dec := json.NewDecoder(resp.Body)
	for {
		var l struct {
			Response string
			Done     bool
			Error    string
		}
		if err := dec.Decode(&l); err != nil {
			return text.String(), err
		}
		if l.Error != "" {
			return "", fmt.Errorf("%s", l.Error)
		}
		text.WriteString(l.Response)
		if l.Done {
			return text.String(), nil
		}
	}
}

func runText(t *testing.T, resp *http.Response) (string, error) {
	var r pgedge.Result
	err := json.NewDecoder(resp.Body).Decode(&r)
	return r.Text, err
}
