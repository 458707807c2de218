package server

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/internal/testmodel"
	"github.com/pgedge/pgedge/task"
)

const (
	photo = "../testdata/reference/preprocess/img2_photo_320x200.jpg" // 320×200
	vqvae = "../testdata/reference/vqvae/vae-oid.npz"
)

// serveModel serves m on a loopback port until the test ends and returns its URL.
func serveModel(t *testing.T, m *pgedge.Model, cfg Config) string {
	t.Helper()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if cfg.Parallel == 0 {
		cfg.Parallel = 1
	}
	s := New(cfg)
	s.SetModel(m)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// browser starts headless Chromium (Debian's package; .ci/run installs it).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("SKIP: no Chromium on this machine (apt-get install chromium; .ci/run installs it): the web page is not tested")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	return ctx
}

// run is chromedp.Run for one value, failing the test on an error.
func run[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// steps runs actions in order, failing the test on an error.
func steps(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// js evaluates an expression for its effect.
func js(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[any](expr)(ctx, t)
		return chromedp.Void{}, err
	}
}

// wait polls a JavaScript condition until it holds (at most d).
func wait(cond string, d time.Duration) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(d))(ctx, t)
		return chromedp.Void{}, err
	}
}

// upload loads the page, gives it the photo and sets the task fields.
func upload(t *testing.T, ctx context.Context, url, taskName, objects, maxTokens string) {
	t.Helper()
	abs, _ := filepath.Abs(photo)
	steps(t, ctx,
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(chromedp.ID("drop")),
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{abs}),
		wait(`document.getElementById("canvas").width > 0`, 10*time.Second),
		chromedp.SetValue(chromedp.ID("task"), taskName),
		js(`document.getElementById("task").dispatchEvent(new Event("change"))`),
		chromedp.SetValue(chromedp.ID("objects"), objects),
		chromedp.SetValue(chromedp.ID("max"), maxTokens),
	)
}

// TestWebPage drives the page in a real Chromium against pgedge serve: upload, segment,
// the streamed text, the boxes and the mask on the drawing where the JSON says, and the
// model line.
func TestWebPage(t *testing.T) {
	ctx := browser(t)
	dir := testmodel.Scripted(t, testmodel.Tokenizer(t).Encode(testmodel.SegmentScript))
	m, err := pgedge.Open(dir, pgedge.WithVQVAE(vqvae))
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	url := serveModel(t, m, Config{})
	upload(t, ctx, url, "segment", "cat ; dog", "64")

	// Record whether answer text was on the page before the result was.
	steps(t, ctx,
		js(`window.early = false; new MutationObserver(() => {
			if (document.getElementById("text").textContent && !document.getElementById("json").textContent) window.early = true;
		}).observe(document.getElementById("text"), {childList: true, characterData: true, subtree: true})`),
		chromedp.Click(chromedp.ID("run")),
		wait(`document.getElementById("stats").textContent.includes("objects")`, 30*time.Second),
	)
	streamedEarly := run(t, ctx, chromedp.Evaluate[bool](`window.early`))
	modelLine := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("model").textContent`))
	stats := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("stats").textContent`))
	jsonText := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("json").textContent`))
	if !streamedEarly {
		t.Error("no answer text appeared before the result")
	}
	if !strings.Contains(modelLine, "pg2-tiny") || !strings.Contains(modelLine, "f32") {
		t.Errorf("model line %q, want the preset and weight type", modelLine)
	}
	if !regexp.MustCompile(`time to first token \d+ ms · [\d.]+ tokens/s`).MatchString(stats) {
		t.Errorf("stats %q", stats)
	}
	var res pgedge.Result
	if err := json.Unmarshal([]byte(jsonText), &res); err != nil {
		t.Fatalf("the page's JSON: %v\n%s", err, jsonText)
	}
	if len(res.Objects) != 2 || res.Objects[0].Label != "cat" || res.Objects[1].Mask == nil {
		t.Fatalf("objects %+v, want cat (box) and dog (box and mask)", res.Objects)
	}

	// The drawing, as the browser shows it: a screenshot of the canvas.
	shot := run(t, ctx, chromedp.Screenshot(chromedp.ID("canvas")))
	pic, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	// The page draws small images enlarged: sx image pixels → screenshot pixels.
	b := pic.Bounds()
	if b.Dx() < 320 || b.Dx()*200 != b.Dy()*320 {
		t.Fatalf("canvas screenshot is %v, want the 320×200 photo's shape, at least its size", b)
	}
	sx := float64(b.Dx()) / 320
	orig, err := imageproc.DecodeFile(photo)
	if err != nil {
		t.Fatal(err)
	}
	origAt := func(x, y int) [3]float64 {
		i := 3 * (y*orig.W + x)
		return [3]float64{float64(orig.Pix[i]), float64(orig.Pix[i+1]), float64(orig.Pix[i+2])}
	}
	shotAt := func(x, y int) [3]float64 { // the middle of image pixel (x, y)
		r, g, b, _ := pic.At(int((float64(x)+0.5)*sx), int((float64(y)+0.5)*sx)).RGBA()
		return [3]float64{float64(r >> 8), float64(g >> 8), float64(b >> 8)}
	}
	dist := func(a, b [3]float64) float64 {
		return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
	}
	colors := [][3]float64{{0xE6, 0x9F, 0x00}, {0x56, 0xB4, 0xE9}} // the page's first two colours
	counts, err := task.DecodeCompressedCounts(res.Objects[1].Mask.Counts)
	if err != nil {
		t.Fatal(err)
	}
	dogMask, err := (task.RLE{Size: res.Objects[1].Mask.Size, Counts: counts}).Decode()
	if err != nil {
		t.Fatal(err)
	}
	inAnyBox := func(x, y int) bool {
		for _, o := range res.Objects {
			if x >= o.Box.XMin-3 && x < o.Box.XMax+3 && y >= o.Box.YMin-20 && y < o.Box.YMax+3 {
				return true
			}
		}
		return false
	}
	// Box outlines: the middle of each box's bottom edge has the object's colour.
	for i, o := range res.Objects {
		x, y := (o.Box.XMin+o.Box.XMax)/2, o.Box.YMax-1
		if d := dist(shotAt(x, y), colors[i]); d > 40 {
			t.Errorf("%s: bottom edge at (%d,%d) is %v, want its colour %v", o.Label, x, y, shotAt(x, y), colors[i])
		}
	}
	// Outside every box the picture is the photo; inside the dog's mask it is tinted
	// towards the dog's colour (45%).
	var outside, tinted, checked int
	for y := 0; y < 200; y += 3 {
		for x := 0; x < 320; x += 3 {
			o := res.Objects[1].Box
			switch {
			case !inAnyBox(x, y):
				checked++
				if dist(shotAt(x, y), origAt(x, y)) > 24 {
					outside++
				}
			case dogMask[y*320+x] == 1 && x > o.XMin+6 && x < o.XMax-6 && y > o.YMin+6 && y < o.YMax-6 && !inBox(res.Objects[0].Box, x, y):
				want := origAt(x, y)
				for c := range want {
					want[c] = want[c]*0.55 + colors[1][c]*0.45
				}
				if dist(shotAt(x, y), want) > 30 {
					tinted++
				}
			}
		}
	}
	if checked < 100 || outside > checked/50 {
		t.Errorf("%d of %d pixels outside the boxes differ from the photo", outside, checked)
	}
	if tinted > 0 {
		t.Errorf("%d mask pixels are not tinted with the dog's colour", tinted)
	}
	// Hovering a legend entry, or reaching it with the keyboard, highlights its object.
	hot := run(t, ctx, chromedp.Evaluate[string](`(() => {
		const items = document.querySelectorAll("#legend span");
		items[1].dispatchEvent(new Event("mouseenter"));
		const hovered = [...items].map((el) => el.classList.contains("hot") ? "1" : "0").join("");
		items[1].dispatchEvent(new Event("mouseleave"));
		items[0].focus();
		const focused = [...items].map((el) => el.classList.contains("hot") ? "1" : "0").join("");
		return hovered + " " + focused + " " + items[0].tabIndex;
	})()`))
	if hot != "01 10 0" {
		t.Errorf("legend highlight (hover the dog, then focus the cat; tabIndex): %q, want \"01 10 0\"", hot)
	}
	if os.Getenv("PGEDGE_SCREENSHOT") != "" { // the README's picture
		page := run(t, ctx, chromedp.FullScreenshot(100))
		os.WriteFile(os.Getenv("PGEDGE_SCREENSHOT"), page, 0o644)
	}
}

func inBox(b pgedge.Box, x, y int) bool {
	return x >= b.XMin-3 && x < b.XMax+3 && y >= b.YMin-20 && y < b.YMax+3
}

// TestWebPageCancel: the cancel button stops a long generation on the server (its
// metrics count the cancellation), and errors the server returns appear on the page.
func TestWebPageCancel(t *testing.T) {
	ctx := browser(t)
	dir := testmodel.Looping(t, testmodel.Tokenizer(t).Encode("<loc0001><loc0002><loc0003> round"))
	m, err := pgedge.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	url := serveModel(t, m, Config{})
	upload(t, ctx, url, "detect", "cat", "8000")
	steps(t, ctx,
		// Press cancel as soon as the first text arrives.
		js(`new MutationObserver((_, obs) => { obs.disconnect(); document.getElementById("cancel").click(); })
			.observe(document.getElementById("text"), {childList: true, characterData: true, subtree: true})`),
		chromedp.Click(chromedp.ID("run")),
		wait(`document.getElementById("stats").textContent === "cancelled" || !document.getElementById("error").hidden`, 20*time.Second),
	)
	if e := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("error").hidden ? "" : document.getElementById("error").textContent`)); e != "" {
		t.Fatalf("the page shows an error instead of the cancellation: %s", e)
	}
	// The server notices the closed stream within a token and counts it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		cancelled, generated := metric(t, url, "pgedge_generations_cancelled_total"), metric(t, url, "pgedge_generated_tokens_total")
		if cancelled == 1 {
			if generated >= 8000 {
				t.Errorf("%v tokens generated: the generation ran to its end", generated)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server counts %v cancelled generations, want 1", cancelled)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// An error from the server is shown as a message: a detection without objects.
	steps(t, ctx,
		chromedp.SetValue(chromedp.ID("objects"), " "),
		chromedp.Click(chromedp.ID("run")),
		wait(`!document.getElementById("error").hidden`, 10*time.Second),
	)
	errText := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("error").textContent`))
	if !strings.Contains(errText, "objects") {
		t.Errorf("error shown: %q, want the server's message about the objects", errText)
	}
}

// metric reads one counter or gauge from /metrics.
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	r, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	m := regexp.MustCompile(`(?m)^` + name + ` ([0-9.e+]+)$`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}

// TestWebPageAPIKey: with --api-key the page asks for the key once, keeps it for the
// tab's session (not in localStorage) and uses it for every request.
func TestWebPageAPIKey(t *testing.T) {
	ctx := browser(t)
	dir := testmodel.Scripted(t, testmodel.Tokenizer(t).Encode(testmodel.SegmentScript))
	m, err := pgedge.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	url := serveModel(t, m, Config{APIKey: "s3cret"})
	steps(t, ctx,
		chromedp.Navigate(url+"/"),
		wait(`!document.getElementById("keyform").hidden`, 10*time.Second),
		chromedp.SetValue(chromedp.ID("key"), "wrong"),
		chromedp.Click(chromedp.ID("keyok")),
		wait(`document.querySelector("#keyform small").textContent.includes("refused")`, 10*time.Second),
		chromedp.SetValue(chromedp.ID("key"), "s3cret"),
		chromedp.Click(chromedp.ID("keyok")),
		wait(`document.getElementById("model").textContent.includes("pg2-tiny")`, 10*time.Second),
	)
	// A reload in the same tab does not ask again; nothing is kept beyond the session.
	steps(t, ctx, chromedp.Reload(), wait(`document.getElementById("model").textContent.includes("pg2-tiny")`, 10*time.Second))
	if shown := run(t, ctx, chromedp.Evaluate[bool](`!document.getElementById("keyform").hidden || localStorage.length > 0`)); shown {
		t.Error("after a reload the page asked for the key again, or kept it in localStorage")
	}
	abs, _ := filepath.Abs(photo)
	steps(t, ctx,
		chromedp.SetUploadFiles(chromedp.ID("file"), []string{abs}),
		wait(`document.getElementById("canvas").width > 0`, 10*time.Second),
		chromedp.Click(chromedp.ID("run")),
		wait(`document.getElementById("stats").textContent.includes("objects")`, 30*time.Second),
	)
}
