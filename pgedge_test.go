package pgedge

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

const (
	demoModel = "testdata/demo/pg2-tiny-int8.pge"
	demoImage = "testdata/reference/pg2-small/image.png"
	altImage  = "testdata/reference/pg2-small/image_alt.png"
)

func openDemo(t testing.TB, opts ...Option) *Model {
	t.Helper()
	m, err := Open(demoModel, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func loadImage(t testing.TB, path string) *Image {
	t.Helper()
	img, err := LoadImage(path)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// testRequests is a mix of tasks, images and sampling settings.
func testRequests(t testing.TB) []Request {
	a, b := loadImage(t, demoImage), loadImage(t, altImage)
	return []Request{
		{Image: a, Task: Caption, MaxTokens: 12},
		{Image: b, Task: Detect, Objects: []string{"cat", "dog"}, MaxTokens: 30},
		{Image: a, Prompt: "answer en what is this?", MaxTokens: 20, Sampling: Sampling{Temperature: 0.8, Seed: 3}},
		{Image: b, Task: OCR, MaxTokens: 16},
		{Prompt: "caption en", MaxTokens: 10},
		{Image: a, Task: Describe, Lang: "de", MaxTokens: 25, Sampling: Sampling{Temperature: 1.2, TopP: 0.9, Seed: 9}},
		{Image: b, PromptIDs: []int{2, 500, 600, 108}, MaxTokens: 9},
		{Image: a, Task: Segment, Objects: []string{"cat"}, MaxTokens: 30},
	}
}

// same reports whether two results of one request agree in everything but timings.
func same(a, b *Result) error {
	if a.Text != b.Text || !slices.Equal(a.Tokens, b.Tokens) || a.FinishReason != b.FinishReason ||
		a.PromptTokens != b.PromptTokens || len(a.Objects) != len(b.Objects) || !slices.Equal(a.Unparsed, b.Unparsed) {
		return fmt.Errorf("%q %v %s ≠ %q %v %s", a.Text, a.Tokens, a.FinishReason, b.Text, b.Tokens, b.FinishReason)
	}
	return nil
}

// TestConcurrentGenerate runs 8 requests at once on one model (run it with -race, as
// scripts/test does) and checks each against the same request run alone: with
// WithExactBatch every result is identical; by default (shared steps through the
// few-row kernels, whose float sums differ in the last bits) the greedy ones are, and
// the sampled ones complete (a last-bit difference may move a sampled draw on this
// scripted model, whose logits tie exactly).
func TestConcurrentGenerate(t *testing.T) {
	for _, exact := range []bool{true, false} {
		t.Run(fmt.Sprintf("exact=%v", exact), func(t *testing.T) {
			m := openDemo(t, WithExactBatch(exact))
			reqs := testRequests(t)
			alone := make([]*Result, len(reqs))
			for i, r := range reqs {
				res, err := m.Generate(context.Background(), r)
				if err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
				alone[i] = res
			}
			for round := 0; round < 3; round++ {
				got := make([]*Result, len(reqs))
				errs := make([]error, len(reqs))
				var wg sync.WaitGroup
				for i, r := range reqs {
					wg.Go(func() { got[i], errs[i] = m.Generate(context.Background(), r) })
				}
				wg.Wait()
				for i, r := range reqs {
					if errs[i] != nil {
						t.Fatalf("round %d, request %d: %v", round, i, errs[i])
					}
					if !exact && r.Sampling.Temperature > 0 {
						continue
					}
					if err := same(got[i], alone[i]); err != nil {
						t.Errorf("round %d, request %d concurrent vs alone: %v", round, i, err)
					}
				}
			}
		})
	}
}

// TestCancel cancels a generation from its stream after 5 tokens: the call returns
// context.Canceled without producing another token, and the model then answers the
// same request as before.
func TestCancel(t *testing.T) {
	m := openDemo(t)
	req := Request{Image: loadImage(t, demoImage), Task: Caption, MaxTokens: 200}
	want, err := m.Generate(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Tokens) < 10 {
		t.Fatalf("the request must run long enough to cancel: %d tokens", len(want.Tokens))
	}
	for _, threads := range []int{1, 2} {
		m := openDemo(t, WithThreads(threads))
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		r := req
		r.Stream = func(string) error {
			if n++; n == 5 {
				cancel()
			}
			return nil
		}
		t0 := time.Now()
		res, err := m.Generate(ctx, r)
		if !errors.Is(err, context.Canceled) || res != nil {
			t.Fatalf("threads %d: got %v, %v; want context.Canceled", threads, res, err)
		}
		if n != 5 {
			t.Errorf("threads %d: %d tokens streamed; cancelling after the 5th must stop before the next", threads, n)
		}
		if d := time.Since(t0); d > 5*time.Second {
			t.Errorf("threads %d: cancelled call took %v", threads, d)
		}
		again, err := m.Generate(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if err := same(again, want); err != nil {
			t.Errorf("threads %d: after a cancel: %v", threads, err)
		}
	}
	// A context cancelled before the call: nothing runs.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Generate(ctx, req); !errors.Is(err, context.Canceled) {
		t.Errorf("pre-cancelled: %v", err)
	}
	// A deadline.
	ctx, cancel = context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	if _, err := m.Generate(ctx, req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("deadline: %v", err)
	}
}

// A Stream error other than ErrStop ends the call with that error.
func TestStreamError(t *testing.T) {
	m := openDemo(t)
	boom := errors.New("client went away")
	_, err := m.Generate(context.Background(), Request{Image: loadImage(t, demoImage), Task: Caption,
		Stream: func(string) error { return boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the stream's error", err)
	}
}

// TestEncodeImage: a request on an encoded image equals the same request on the image.
func TestEncodeImage(t *testing.T) {
	m := openDemo(t)
	img := loadImage(t, altImage)
	enc, err := m.EncodeImage(context.Background(), img)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Request{{Task: Detect, Objects: []string{"cat"}}, {Task: Caption, MaxTokens: 9}} {
		r.Image = img
		want, err := m.Generate(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		r.Image, r.Encoded = nil, enc
		got, err := m.Generate(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if err := same(got, want); err != nil || got.Width != want.Width || got.Image != want.Image {
			t.Errorf("%s: encoded vs image: %v", r.Task, err)
		}
		if got.Timings.VisionMS != 0 {
			t.Errorf("vision ran again: %v ms", got.Timings.VisionMS)
		}
	}
	other := openDemo(t)
	if _, err := other.Generate(context.Background(), Request{Encoded: enc, Task: Caption}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("another model's encoding: %v", err)
	}
}

// TestErrors: every documented error can be told apart with errors.Is, and says what
// was wrong.
func TestErrors(t *testing.T) {
	m := openDemo(t)
	img := loadImage(t, demoImage)
	bg := context.Background()
	for _, c := range []struct {
		name string
		req  Request
		want error
	}{
		{"no prompt", Request{Image: img}, ErrBadRequest},
		{"two prompts", Request{Image: img, Task: Caption, Prompt: "caption en"}, ErrBadRequest},
		{"unknown task", Request{Task: "paint"}, ErrBadRequest},
		{"detect without objects", Request{Task: Detect}, ErrBadRequest},
		{"answer without question", Request{Task: Answer}, ErrBadRequest},
		{"question on caption", Request{Task: Caption, Question: "why"}, ErrBadRequest},
		{"empty object", Request{Task: Detect, Objects: []string{"cat", " "}}, ErrBadRequest},
		{"negative max tokens", Request{Task: Caption, MaxTokens: -1}, ErrBadRequest},
		{"negative temperature", Request{Task: Caption, Sampling: Sampling{Temperature: -1}}, ErrBadRequest},
		{"top-p above 1", Request{Task: Caption, Sampling: Sampling{TopP: 2}}, ErrBadRequest},
		{"id outside vocabulary", Request{PromptIDs: []int{2, 1 << 20}}, ErrBadRequest},
		{"image id in prompt", Request{PromptIDs: []int{2, m.Config().ImageTokenIndex}}, ErrBadRequest},
		{"image and encoded", Request{Image: img, Encoded: &EncodedImage{m: m}, Task: Caption}, ErrBadRequest},
	} {
		if _, err := m.Generate(bg, c.req); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}

	// The prompt must leave room for a token: 16 image tokens + <bos> + "caption en" + "\n" in 18.
	short := openDemo(t, WithContext(18))
	_, err := short.Generate(bg, Request{Image: img, Task: Caption})
	if !errors.Is(err, ErrPromptTooLong) {
		t.Errorf("long prompt: %v", err)
	}
	if info := short.Info(); info.Context != 18 {
		t.Errorf("context %d", info.Context)
	}
	// The same prompt fits a context of 25; generation stops when it is full (the last
	// token is chosen from the last cached position and is not cached itself).
	res, err := openDemo(t, WithContext(25)).Generate(bg, Request{Image: img, Task: Caption, MaxTokens: 50})
	if err != nil || res.FinishReason != "length" || res.PromptTokens+len(res.Tokens) != 26 {
		t.Errorf("full context: %v, %+v", err, res)
	}

	if _, err := DecodeImageBytes([]byte("GIF89a....")); !errors.Is(err, ErrBadImage) {
		t.Errorf("GIF: %v", err)
	}
	png, _ := os.ReadFile(demoImage)
	if _, err := DecodeImageBytes(png[:len(png)/2]); !errors.Is(err, ErrBadImage) {
		t.Errorf("truncated PNG: %v", err)
	}
	if _, err := LoadImage("no/such.png"); !errors.Is(err, ErrBadImage) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}

	// A corrupt model file: truncated, and one flipped byte in its index (the tensor
	// data's checksums are checked by pgedge verify, not at every Open).
	data, _ := os.ReadFile(demoModel)
	dir := t.TempDir()
	trunc := filepath.Join(dir, "trunc.pge")
	os.WriteFile(trunc, data[:len(data)-100], 0o644)
	flipped := filepath.Join(dir, "flip.pge")
	bad := slices.Clone(data)
	bad[len(bad)-40] ^= 0x40
	os.WriteFile(flipped, bad, 0o644)
	for _, p := range []string{trunc, flipped, "testdata/reference/pg2-small/config.json"} {
		for _, l := range []Load{LoadAuto, LoadMap, LoadMemory} {
			if _, err := Open(p, WithLoad(l)); !errors.Is(err, ErrBadModel) {
				t.Errorf("Open(%s, %v): %v, want ErrBadModel", p, l, err)
			}
		}
	}
	if _, err := Open(demoModel, WithLoad(Load(9))); !errors.Is(err, ErrBadRequest) {
		t.Errorf("load mode 9: %v, want ErrBadRequest", err)
	}
	if _, err := Open(filepath.Join(dir, "missing.pge")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing model: %v", err)
	}
	if _, err := Open(demoModel, WithVQVAE(trunc)); !errors.Is(err, ErrBadVQVAE) {
		t.Errorf("bad VQ-VAE: %v", err)
	}

	closed := openDemo(t)
	closed.Close()
	if _, err := closed.Generate(bg, Request{Image: img, Task: Caption}); !errors.Is(err, ErrClosed) {
		t.Errorf("closed: %v", err)
	}
}

// TestLoadModes: a model read into memory and a mapped one give the same results.
func TestLoadModes(t *testing.T) {
	reqs := testRequests(t)[:3]
	var want []*Result
	for _, l := range []Load{LoadMap, LoadMemory, LoadAuto} {
		m := openDemo(t, WithLoad(l))
		if got, want := m.Info().Load, l.String(); l != LoadAuto && got != want {
			t.Errorf("Info().Load = %q with %v, want %q", got, l, want)
		}
		if got := m.Info().Load; got != "memory" && got != "mmap" {
			t.Errorf("Info().Load = %q, want memory or mmap", got)
		}
		for i, req := range reqs {
			res, err := m.Generate(context.Background(), req)
			if err != nil {
				t.Fatalf("%v: %v", l, err)
			}
			if l == LoadMap {
				want = append(want, res)
			} else if err := same(res, want[i]); err != nil {
				t.Errorf("%v, request %d: %v", l, i, err)
			}
		}
	}
}

func TestImageFrom(t *testing.T) {
	img := loadImage(t, demoImage)
	again, err := ImageFrom(img.RGBA())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.rgb.Pix, img.rgb.Pix) {
		t.Error("ImageFrom(RGBA()) changed the pixels")
	}
}

// TestTimings: every figure of a generation's timings is filled in.
func TestTimings(t *testing.T) {
	m := openDemo(t)
	res, err := m.Generate(context.Background(), Request{Image: loadImage(t, demoImage), Task: Caption, MaxTokens: 12})
	if err != nil {
		t.Fatal(err)
	}
	tm := res.Timings
	if len(res.Tokens) != 12 || tm.ExtendTokens != 11 || tm.PrefillTokens != res.PromptTokens {
		t.Errorf("%d tokens, timings %+v", len(res.Tokens), tm)
	}
	if !(tm.VisionMS > 0 && tm.PrefillMS >= tm.VisionMS && tm.ExtendMS > 0 && tm.ExtendTokPerS > 0 && tm.PrefillTokPerS > 0 && tm.ImageMS > 0) {
		t.Errorf("timings %+v: a figure is missing", tm)
	}
}
