package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/tokenizer"
)

// Image is one input image with its name (file path or built-in name).
type Image struct {
	Name string
	RGB  *imageproc.RGB
}

// Prompt is one prompt: the ids that follow the image tokens, and its text when it
// has one (detection prompts are recognised by it).
type Prompt struct {
	Text string
	IDs  []int
}

func (p Prompt) detection() bool {
	return strings.HasPrefix(p.Text, "detect ") || strings.HasPrefix(p.Text, "segment ")
}

// Evaluate compares test with ref over every image × prompt, for at most maxTokens
// generated tokens each: see pgedge eval --help.
func Evaluate(ref, test *infer.Model, tok *tokenizer.Tokenizer, images []Image, prompts []Prompt, maxTokens int) (bench.EvalReport, error) {
	r, err := RunReference(ref, images, prompts, maxTokens)
	if err != nil {
		return bench.EvalReport{}, err
	}
	return r.Compare(test, tok)
}

// Reference is the reference model's side of an evaluation: its greedy continuation
// of every image × prompt and its logits along it. It is computed once and compared
// with any number of models, one after another (a full-size f32 reference costs more
// than the quantized models it is compared with).
type Reference struct {
	cfg       *model.Config
	maxTokens int
	items     []refItem
}

type refItem struct {
	im     Image
	p      Prompt
	pixels []float32
	ids    []int
	gen    []int       // the reference's greedy continuation
	rows   [][]float32 // its logits predicting each token of gen
}

// RunReference runs ref over every image × prompt (see Evaluate).
func RunReference(ref *infer.Model, images []Image, prompts []Prompt, maxTokens int) (*Reference, error) {
	cfg := ref.Config
	r := &Reference{cfg: cfg, maxTokens: maxTokens}
	for _, im := range images {
		pixels := imageproc.Preprocess(im.RGB, cfg.Vision.ImageSize)
		for _, p := range prompts {
			it := refItem{im: im, p: p, pixels: pixels, ids: infer.WithImageSlots(cfg, p.IDs, true)}
			var err error
			if it.gen, err = GreedyGenerate(ref, pixels, it.ids, maxTokens); err == nil {
				it.rows, err = TeacherForce(ref, pixels, it.ids, it.gen)
			}
			if err != nil {
				return nil, fmt.Errorf("image %s, prompt %q: %w", im.Name, p.label(), err)
			}
			r.items = append(r.items, it)
		}
	}
	return r, nil
}

// Compare scores test against the reference's runs.
func (r *Reference) Compare(test *infer.Model, tok *tokenizer.Tokenizer) (bench.EvalReport, error) {
	ev := bench.NewEval(infer.SampleLimit(r.cfg))
	for _, it := range r.items {
		where := func(err error) error { return fmt.Errorf("image %s, prompt %q: %w", it.im.Name, it.p.label(), err) }
		testGen, err := GreedyGenerate(test, it.pixels, it.ids, r.maxTokens)
		if err != nil {
			return bench.EvalReport{}, where(err)
		}
		testRows, err := TeacherForce(test, it.pixels, it.ids, it.gen)
		if err != nil {
			return bench.EvalReport{}, where(err)
		}
		if err := ev.AddPositions(it.rows, testRows, it.gen); err != nil {
			return bench.EvalReport{}, where(err)
		}
		ev.AddGreedy(it.gen, testGen)
		if it.p.detection() && tok != nil {
			ev.AddBoxes(BoxesOf(tok, r.cfg, it.gen, it.im.RGB.W, it.im.RGB.H), BoxesOf(tok, r.cfg, testGen, it.im.RGB.W, it.im.RGB.H))
		}
	}
	return ev.Report()
}

func (p Prompt) label() string {
	if p.Text != "" {
		return p.Text
	}
	return fmt.Sprint(p.IDs)
}

// GreedyGenerate generates greedily after ids until <eos> (kept) or maxTokens, with the
// same code as pgedge run and the library's Generate (infer.Model.Generate, whose
// greedy choice is infer.Greedy), so that the greedy match rate scores the decoder
// users run.
func GreedyGenerate(m *infer.Model, pixels []float32, ids []int, maxTokens int) ([]int, error) {
	out, _, err := m.Generate(context.Background(), pixels, ids, infer.GenerateOptions{
		MaxTokens: maxTokens, StopIDs: []int{m.Config.EOS}, Capacity: len(ids) + maxTokens})
	return out, err
}

// TeacherForce returns the model's logits row predicting each of targets after ids:
// the last prefill position predicts targets[0], and appending targets[:n-1] in one
// pass (each attending causally) gives the rows that predict the rest.
func TeacherForce(m *infer.Model, pixels []float32, ids, targets []int) ([][]float32, error) {
	s, err := m.NewSession(len(ids) + len(targets))
	if err != nil {
		return nil, err
	}
	first, err := s.Prefill(pixels, ids, false)
	if err != nil {
		return nil, err
	}
	rows := [][]float32{slices.Clone(first)} // the session reuses its last-row buffer
	if n := len(targets); n > 1 {
		all, err := s.Append(targets[:n-1], true)
		if err != nil {
			return nil, err
		}
		v := len(first)
		for i := 0; i < n-1; i++ {
			rows = append(rows, all[i*v:(i+1)*v])
		}
	}
	return rows, nil
}

// BoxesOf decodes a generation's detections (valid <loc> boxes, in [0, 1] units).
func BoxesOf(tok *tokenizer.Tokenizer, cfg *model.Config, gen []int, w, h int) []bench.Box {
	if n := len(gen); n > 0 && gen[n-1] == cfg.EOS {
		gen = gen[:n-1]
	}
	var out []bench.Box
	for _, o := range task.Parse(tok.Decode(gen), w, h, task.ParseOptions{}).Objects {
		if !o.Valid {
			continue
		}
		nb := o.NormBox // y_min, x_min, y_max, x_max
		out = append(out, bench.Box{YMin: nb[0], XMin: nb[1], YMax: nb[2], XMax: nb[3], Label: o.Label})
	}
	return out
}

// DefaultPromptTexts are the built-in task prompts.
var DefaultPromptTexts = []string{"caption en", "answer en what is this?", "detect cat"}

// Prompts reads a prompts file (one prompt per line; blank and # lines skipped; token
// ids separated by commas or spaces when tok is nil), or builds the built-in prompts
// for path "".
func Prompts(path string, cfg *model.Config, tok *tokenizer.Tokenizer) ([]Prompt, error) {
	lines := DefaultPromptTexts
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("--prompts: %w", err)
		}
		lines = nil
		for _, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			return nil, fmt.Errorf("--prompts: %s holds no prompt", path)
		}
	} else if tok == nil {
		// Fixed id prompts for models without a tokenizer: <bos>, a few ordinary ids, "\n".
		var out []Prompt
		for _, n := range []int{2, 5, 8} {
			out = append(out, Prompt{IDs: PromptIDs(cfg, n)[cfg.NumImageTokens():]})
		}
		return out, nil
	}
	var out []Prompt
	for _, l := range lines {
		if tok == nil {
			ids, err := tokenizer.ParseIDs(l)
			if err != nil {
				return nil, fmt.Errorf("--prompts: the models have no tokenizer, so each line must be token ids: %w", err)
			}
			out = append(out, Prompt{IDs: ids})
			continue
		}
		sep := infer.NewlineID
		if id, ok := tok.ID("\n"); ok {
			sep = id
		}
		out = append(out, Prompt{Text: l, IDs: infer.PromptIDs(cfg, tok.Encode(l), sep, false)})
	}
	return out, nil
}

// LoadImageDir reads every PNG and JPEG file of dir, in name order.
func LoadImageDir(dir string) ([]Image, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--images: %w", err)
	}
	var out []Image
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".png", ".jpg", ".jpeg":
		default:
			continue
		}
		p := filepath.Join(dir, e.Name())
		img, err := imageproc.DecodeFile(p)
		if err != nil {
			return nil, fmt.Errorf("--images: %w", err)
		}
		out = append(out, Image{Name: p, RGB: img})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--images: no .png, .jpg or .jpeg file in %s", dir)
	}
	return out, nil
}

// SyntheticImages are the built-in inputs: deterministic 320×240 patterns with smooth
// regions, hard edges and fine detail, so that the vision tower sees varied statistics.
func SyntheticImages() []Image {
	const w, h = 320, 240
	mk := func(name string, f func(x, y int) (r, g, b uint8)) Image {
		img := imageproc.NewRGB(w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := 3 * (y*w + x)
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = f(x, y)
			}
		}
		return Image{Name: name, RGB: img}
	}
	return []Image{
		mk("gradient", func(x, y int) (uint8, uint8, uint8) {
			return uint8(255 * x / (w - 1)), uint8(255 * y / (h - 1)), uint8(255 * (x + y) / (w + h - 2))
		}),
		mk("shapes", func(x, y int) (uint8, uint8, uint8) {
			dx, dy := x-110, y-120
			switch {
			case dx*dx+dy*dy < 60*60: // a red disc
				return 220, 40, 40
			case x >= 190 && x < 290 && y >= 50 && y < 190: // a blue rectangle
				return 40, 70, 210
			}
			return 235, 225, 200 // a beige background
		}),
		mk("checker", func(x, y int) (uint8, uint8, uint8) {
			if (x/20+y/20)%2 == 0 {
				return 250, 250, 250
			}
			return 20, 20, 20
		}),
	}
}
