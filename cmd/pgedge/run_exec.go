package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/internal/atomicfile"
	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

// runner executes a validated `pgedge run` with the model loaded once.
type runner struct {
	o      *runOptions
	m      *pgedge.Model
	ctx    context.Context
	stderr io.Writer
	bar    *batchProgress
	warned map[string]bool
	coco   []cocoResult
}

// batchFailed reports images of a batch that failed; the output of the others is kept.
type batchFailed struct{ failed, total int }

func (e batchFailed) Error() string {
	return fmt.Sprintf("%d of %d images failed (see the error lines above)", e.failed, e.total)
}

func (o *runOptions) execute(c *cli.Context) (err error) {
	stderr := c.App.ErrWriter
	if stderr == nil {
		stderr = os.Stderr
	}
	stdout := c.App.Writer
	if stdout == nil {
		stdout = os.Stdout
	}
	r := &runner{o: o, ctx: c.Context, stderr: stderr, warned: map[string]bool{}, bar: &batchProgress{}}
	if r.ctx == nil {
		r.ctx = context.Background()
	}
	// Exact batched steps: the output does not depend on --batch or on which images
	// happen to decode together.
	load, err := loadMode(c)
	if err != nil {
		return err
	}
	opts := []pgedge.Option{pgedge.WithThreads(c.Int("threads")), pgedge.WithGlobalAttention(c.Bool("global-attention")),
		pgedge.WithExactBatch(true), pgedge.WithLoad(load)}
	if t := c.String("tokenizer"); t != "" {
		opts = append(opts, pgedge.WithTokenizer(t))
	}
	if o.vqvae != "" {
		opts = append(opts, pgedge.WithVQVAE(o.vqvae))
	}
	if r.m, err = pgedge.Open(c.String("model"), opts...); err != nil {
		if errors.Is(err, pgedge.ErrBadVQVAE) {
			return fmt.Errorf("--vqvae: %w", err)
		}
		return err
	}
	defer r.m.Close()
	if o.req.PromptIDs == nil && r.m.Tokenizer() == nil {
		return fmt.Errorf("%s has no tokenizer.model: pass --tokenizer FILE or --prompt-ids", c.String("model"))
	}

	out := stdout
	if o.out != "" {
		f, cerr := atomicfile.Create(o.out)
		if cerr != nil {
			return fmt.Errorf("--out: %w", cerr)
		}
		// The closure reads the named result err: commit the output when the run
		// succeeded or only some images of a batch failed.
		defer func() {
			var bf batchFailed
			if err == nil || errors.As(err, &bf) {
				if cerr := f.Commit(); cerr != nil {
					err = cerr
				}
			} else {
				f.Abort()
			}
		}()
		out = f
	}
	w := bufio.NewWriter(out)
	if o.batch {
		err = r.runBatch(w)
	} else {
		err = r.runSingle(w)
	}
	if ferr := w.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing the output: %w", ferr)
	}
	return err
}

// warn prints a warning on stderr once per message.
func (r *runner) warn(msg string) {
	if r.warned[msg] {
		return
	}
	r.warned[msg] = true
	r.bar.clear()
	fmt.Fprintf(r.stderr, "pgedge: warning: %s\n", msg)
}

// runOutput is the --json object of one image: the library's Result, and where its
// drawing went.
type runOutput struct {
	*pgedge.Result
	Drawing string `json:"drawing,omitempty"`
}

// process runs one image (job nil: no image) and, when onText is set, streams the
// generated text to it as it is produced.
func (r *runner) process(job *imageJob, onText func(string)) (*runOutput, error) {
	return r.finish(job, r.generate(job, onText))
}

// generated is one image's generation, before its output is written.
type generated struct {
	req      pgedge.Request
	res      *pgedge.Result
	decodeMS float64
	err      error
}

// generate decodes the image and runs the model; it touches nothing of the runner
// but the model, so several run at once (runBatch).
func (r *runner) generate(job *imageJob, onText func(string)) generated {
	g := generated{req: r.o.req}
	if onText != nil {
		g.req.Stream = func(s string) error {
			onText(s)
			return nil
		}
	}
	if job != nil {
		t0 := time.Now()
		img, err := pgedge.LoadImage(job.path)
		if err != nil {
			g.err = err
			return g
		}
		g.req.Image = img
		g.decodeMS = elapsedMS(t0)
	}
	g.res, g.err = r.m.Generate(r.ctx, g.req)
	return g
}

// finish does the rest in list order: warnings, the drawing, COCO results.
func (r *runner) finish(job *imageJob, g generated) (*runOutput, error) {
	if g.err != nil {
		return nil, g.err
	}
	req, res := g.req, g.res
	res.Timings.ImageMS += g.decodeMS
	for _, w := range res.Warnings {
		r.warn(w)
	}
	out := &runOutput{Result: res}
	if job == nil {
		return out, nil
	}
	if job.draw != "" {
		if err := writeDrawingPNG(job.draw, res.Draw(req.Image)); err != nil {
			return nil, err
		}
		out.Drawing = job.draw
	}
	if r.o.format == "coco" {
		res := cocoResults(res, cocoImageID(job.path), r.o.categories)
		for _, c := range res {
			if r.o.categories != nil && c.CategoryID == nil {
				r.warn(fmt.Sprintf("label %q is not among the --categories: its results have no category_id", c.Label))
			}
		}
		r.coco = append(r.coco, res...)
	}
	return out, nil
}

func elapsedMS(t time.Time) float64 { return float64(time.Since(t).Microseconds()) / 1000 }

// runSingle handles one image (or none): streamed text, one JSON object or COCO results.
func (r *runner) runSingle(w *bufio.Writer) error {
	var job *imageJob
	if len(r.o.images) > 0 {
		job = &r.o.images[0]
	}
	var onText func(string)
	if r.o.format == "text" {
		onText = func(s string) {
			w.WriteString(s)
			w.Flush()
		}
	}
	res, err := r.process(job, onText)
	if err != nil {
		if onText != nil {
			w.WriteString("\n")
		}
		return err
	}
	switch r.o.format {
	case "text":
		_, err = w.WriteString("\n")
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // keep <loc0123> readable
		err = enc.Encode(res)
	case "coco":
		err = r.writeCOCO(w)
	}
	return err
}

// runBatch writes one JSON line per image (or COCO results at the end) and goes on
// past images that fail. Up to --batch images are generated at once (the model
// decodes them together, one pass over the weights per token for all); their output
// is written in list order.
func (r *runner) runBatch(w *bufio.Writer) error {
	jobs := r.o.images
	if len(jobs) == 0 {
		r.warn(fmt.Sprintf("--shard %s selects no image of the list", r.o.shard))
	}
	r.bar = newBatchProgress(r.stderr, len(jobs))
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	failed := 0
	results := make([]chan generated, len(jobs))
	for i := range results {
		results[i] = make(chan generated, 1)
	}
	next := make(chan int)
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	gen := *r
	gen.ctx = ctx
	for range min(max(1, r.o.batchSize), len(jobs)) {
		go func() {
			for i := range next {
				results[i] <- gen.generate(&jobs[i], nil)
			}
		}()
	}
	go func() {
		defer close(next)
		for i := range jobs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for i := range jobs {
		var g generated
		select {
		case g = <-results[i]:
		case <-ctx.Done():
			g.err = ctx.Err()
		}
		res, err := r.finish(&jobs[i], g)
		r.bar.clear()
		if err != nil {
			failed++
			fmt.Fprintf(r.stderr, "pgedge: %s: %v\n", jobs[i].path, err)
			if r.o.format == "json" {
				err = enc.Encode(errorLine{Image: jobs[i].path, Error: err.Error()})
			} else {
				err = nil
			}
		} else if r.o.format == "json" {
			err = enc.Encode(res)
		}
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			return fmt.Errorf("writing the output: %w", err)
		}
		r.bar.add()
	}
	r.bar.finish()
	if r.o.format == "coco" {
		if err := r.writeCOCO(w); err != nil {
			return err
		}
	}
	if failed > 0 {
		return batchFailed{failed: failed, total: len(jobs)}
	}
	return nil
}

func (r *runner) writeCOCO(w io.Writer) error {
	res := r.coco
	if res == nil {
		res = []cocoResult{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(res)
}

// progress is a progress bar on stderr, shown only when stderr is a terminal; the
// zero value shows nothing.
type batchProgress struct{ bar *progressbar.ProgressBar }

func newBatchProgress(stderr io.Writer, n int) *batchProgress {
	f, ok := stderr.(*os.File)
	if !ok || n == 0 || !term.IsTerminal(int(f.Fd())) {
		return &batchProgress{}
	}
	return &batchProgress{bar: progressbar.NewOptions(n,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("images"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionClearOnFinish(),
	)}
}

// clear erases the bar before other text goes to the terminal; the next add redraws it.
func (p *batchProgress) clear() {
	if p.bar != nil {
		p.bar.Clear()
	}
}

func (p *batchProgress) add() {
	if p.bar != nil {
		p.bar.Add(1)
	}
}

func (p *batchProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
