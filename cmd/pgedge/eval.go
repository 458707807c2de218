package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/runtime"
	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/urfave/cli/v2"
)

const evalDescription = `Compares a model (--model, e.g. int8 or int4) with its reference (--ref, bf16 or f32) on the
same images and prompts with teacher forcing. For every image and prompt the reference
generates greedily (up to --max-tokens, stopping after <eos>); then both models score that
same continuation: the prefill's last position predicts its first token, and appending it
(all positions at once) gives the prediction of every following one. Reported over all
positions: the mean and max KL(P_ref ‖ P_model) of the next-token distributions, top-1
agreement, and the perplexity of the continuation under each model; over all prompts: the
share whose greedy outputs (each model generating freely) are identical; for detection
prompts, the mean IoU of matched boxes. A model against itself reports KL 0 and agreement 1.
bench/README.md documents every field.

INPUTS
  --images DIR     every .png/.jpg/.jpeg in DIR (default: built-in synthetic images:
                   a gradient, shapes, a checkerboard)
  --prompts FILE   one prompt per line, blank and # lines skipped (default: "caption en",
                   "answer en what is this?", "detect cat"). Models without a tokenizer
                   take lines of comma-separated token ids, used as given after the
                   image tokens (default: three fixed id prompts).
  Both models must have the same vocabulary and resolution. --ref and --model take .pge
  files or Hugging Face directories.`

func evalCommand() *cli.Command {
	return &cli.Command{
		Name:        "eval",
		Usage:       "measure how far a quantized model's predictions are from its reference's",
		UsageText:   "pgedge eval --ref REF.pge --model TEST.pge [--images DIR] [--prompts FILE] [--max-tokens N] [--json]",
		Description: evalDescription,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ref", Required: true, Usage: "reference model (.pge or Hugging Face directory), e.g. f32 or bf16"},
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, Usage: "model to evaluate (.pge or Hugging Face directory)"},
			&cli.StringFlag{Name: "images", Usage: "directory of PNG/JPEG images (default: built-in synthetic images)"},
			&cli.StringFlag{Name: "prompts", Usage: "file with one prompt per line (default: built-in task prompts)"},
			&cli.IntFlag{Name: "max-tokens", Value: 24, Usage: "length limit of the reference's greedy continuation"},
			threadsFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object"},
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%v (see pgedge eval --help)", err)
		},
		Action: runEval,
	}
}

// evalImage is one input image with its name (file path or built-in name).
type evalImage struct {
	name string
	img  *imageproc.RGB
}

// evalPrompt is one prompt: the ids that follow the image tokens, and its text when it
// has one (detection prompts are recognised by it).
type evalPrompt struct {
	text string
	ids  []int
}

func (p evalPrompt) detection() bool {
	return strings.HasPrefix(p.text, "detect ") || strings.HasPrefix(p.text, "segment ")
}

func runEval(c *cli.Context) error {
	stdout := c.App.Writer
	if stdout == nil {
		stdout = os.Stdout
	}
	if c.Int("max-tokens") < 1 {
		return fmt.Errorf("--max-tokens must be at least 1")
	}
	opts := runtime.Options{Threads: c.Int("threads")}
	ref, err := runtime.Open(c.String("ref"), opts)
	if err != nil {
		return fmt.Errorf("--ref: %w", err)
	}
	defer ref.Close()
	test, err := runtime.Open(c.String("model"), opts)
	if err != nil {
		return fmt.Errorf("--model: %w", err)
	}
	defer test.Close()
	if err := sameShape(ref.Config, test.Config); err != nil {
		return err
	}
	var tok *tokenizer.Tokenizer
	for _, b := range [][]byte{ref.TokenizerModel, test.TokenizerModel} {
		if b != nil {
			if tok, err = tokenizer.FromBytes(b); err != nil {
				return err
			}
			break
		}
	}
	images := syntheticImages()
	if dir := c.String("images"); dir != "" {
		if images, err = loadImageDir(dir); err != nil {
			return err
		}
	}
	prompts, err := evalPrompts(c.String("prompts"), ref.Config, tok)
	if err != nil {
		return err
	}
	rep, err := evaluate(ref, test, tok, images, prompts, c.Int("max-tokens"))
	if err != nil {
		return err
	}
	rep.Ref, rep.Model = c.String("ref"), c.String("model")
	rep.Preset = presetName(test.Config, rep.Model)
	rep.Weights, rep.RefWeights = weightsName(test.DecoderDType()), weightsName(ref.DecoderDType())
	if c.Bool("json") {
		return json.NewEncoder(stdout).Encode(rep)
	}
	return writeEvalText(stdout, rep)
}

// sameShape checks that two models can be compared position by position.
func sameShape(ref, test *model.Config) error {
	type shape struct {
		vocab, image, imageToken, bos, eos int
	}
	a := shape{ref.Text.VocabSize, ref.Vision.ImageSize, ref.ImageTokenIndex, ref.BOS, ref.EOS}
	b := shape{test.Text.VocabSize, test.Vision.ImageSize, test.ImageTokenIndex, test.BOS, test.EOS}
	if a != b {
		return fmt.Errorf("the models do not match: reference vocabulary %d, %d px, <image> %d, <bos> %d, <eos> %d; model %d, %d px, %d, %d, %d",
			a.vocab, a.image, a.imageToken, a.bos, a.eos, b.vocab, b.image, b.imageToken, b.bos, b.eos)
	}
	return nil
}

// evaluate runs the comparison over every image × prompt.
func evaluate(ref, test *runtime.Model, tok *tokenizer.Tokenizer, images []evalImage, prompts []evalPrompt, maxTokens int) (bench.EvalReport, error) {
	cfg := ref.Config
	ev := bench.NewEval(sampleLimit(cfg))
	for _, im := range images {
		pixels := imageproc.Preprocess(im.img, cfg.Vision.ImageSize)
		for _, p := range prompts {
			ids := make([]int, 0, cfg.NumImageTokens()+len(p.ids))
			for i := 0; i < cfg.NumImageTokens(); i++ {
				ids = append(ids, cfg.ImageTokenIndex)
			}
			ids = append(ids, p.ids...)
			where := func(err error) error { return fmt.Errorf("image %s, prompt %q: %w", im.name, p.label(), err) }
			refGen, err := greedyGenerate(ref, pixels, ids, maxTokens)
			if err != nil {
				return bench.EvalReport{}, where(err)
			}
			testGen, err := greedyGenerate(test, pixels, ids, maxTokens)
			if err != nil {
				return bench.EvalReport{}, where(err)
			}
			refRows, err := teacherForce(ref, pixels, ids, refGen)
			if err != nil {
				return bench.EvalReport{}, where(err)
			}
			testRows, err := teacherForce(test, pixels, ids, refGen)
			if err != nil {
				return bench.EvalReport{}, where(err)
			}
			if err := ev.AddPositions(refRows, testRows, refGen); err != nil {
				return bench.EvalReport{}, where(err)
			}
			ev.AddGreedy(refGen, testGen)
			if p.detection() && tok != nil {
				ev.AddBoxes(boxesOf(tok, cfg, refGen, im.img.W, im.img.H), boxesOf(tok, cfg, testGen, im.img.W, im.img.H))
			}
		}
	}
	return ev.Report()
}

func (p evalPrompt) label() string {
	if p.text != "" {
		return p.text
	}
	return fmt.Sprint(p.ids)
}

// greedyGenerate prefills ids and generates greedily until <eos> (kept) or maxTokens.
func greedyGenerate(m *runtime.Model, pixels []float32, ids []int, maxTokens int) ([]int, error) {
	s, err := m.NewSession(len(ids) + maxTokens)
	if err != nil {
		return nil, err
	}
	logits, err := s.Prefill(pixels, ids, false)
	if err != nil {
		return nil, err
	}
	var out []int
	for {
		id := greedy(m.Config, logits)
		out = append(out, id)
		if id == m.Config.EOS || len(out) == maxTokens {
			return out, nil
		}
		if logits, err = s.Extend(id); err != nil {
			return nil, err
		}
	}
}

// teacherForce returns the model's logits row predicting each of targets after ids:
// the last prefill position predicts targets[0], and appending targets[:n-1] in one
// pass (each attending causally) gives the rows that predict the rest.
func teacherForce(m *runtime.Model, pixels []float32, ids, targets []int) ([][]float32, error) {
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

// boxesOf decodes a generation's detections (valid <loc> boxes, in [0, 1] units).
func boxesOf(tok *tokenizer.Tokenizer, cfg *model.Config, gen []int, w, h int) []bench.Box {
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

// defaultPromptTexts are the built-in task prompts.
var defaultPromptTexts = []string{"caption en", "answer en what is this?", "detect cat"}

// evalPrompts reads --prompts, or builds the built-in prompts.
func evalPrompts(path string, cfg *model.Config, tok *tokenizer.Tokenizer) ([]evalPrompt, error) {
	lines := defaultPromptTexts
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
		var out []evalPrompt
		for _, n := range []int{2, 5, 8} {
			out = append(out, evalPrompt{ids: benchPromptIDs(cfg, n)[cfg.NumImageTokens():]})
		}
		return out, nil
	}
	var out []evalPrompt
	for _, l := range lines {
		if tok == nil {
			ids, err := parseIDs(l)
			if err != nil {
				return nil, fmt.Errorf("--prompts: the models have no tokenizer, so each line must be token ids: %w", err)
			}
			out = append(out, evalPrompt{ids: ids})
			continue
		}
		ids := append([]int{cfg.BOS}, tok.Encode(l)...)
		sep := runtime.NewlineID
		if id, ok := tok.ID("\n"); ok {
			sep = id
		}
		out = append(out, evalPrompt{text: l, ids: append(ids, sep)})
	}
	return out, nil
}

// loadImageDir reads every PNG and JPEG file of dir, in name order.
func loadImageDir(dir string) ([]evalImage, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--images: %w", err)
	}
	var out []evalImage
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
		out = append(out, evalImage{name: p, img: img})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--images: no .png, .jpg or .jpeg file in %s", dir)
	}
	return out, nil
}

// syntheticImages are the built-in inputs: deterministic 320×240 patterns with smooth
// regions, hard edges and fine detail, so that the vision tower sees varied statistics.
func syntheticImages() []evalImage {
	const w, h = 320, 240
	mk := func(name string, f func(x, y int) (r, g, b uint8)) evalImage {
		img := imageproc.NewRGB(w, h)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				i := 3 * (y*w + x)
				img.Pix[i], img.Pix[i+1], img.Pix[i+2] = f(x, y)
			}
		}
		return evalImage{name: name, img: img}
	}
	return []evalImage{
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

func writeEvalText(w io.Writer, r bench.EvalReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "model\t%s (%s %s)\n", r.Model, r.Preset, r.Weights)
	fmt.Fprintf(tw, "reference\t%s (%s)\n", r.Ref, r.RefWeights)
	fmt.Fprintf(tw, "positions\t%d over %d prompts × images\n", r.NPositions, r.NSequences)
	fmt.Fprintf(tw, "KL mean\t%.6g nats\n", r.KLMean)
	fmt.Fprintf(tw, "KL max\t%.6g nats\n", r.KLMax)
	fmt.Fprintf(tw, "top-1 agreement\t%.4f\n", r.Top1Agreement)
	fmt.Fprintf(tw, "greedy match rate\t%.4f\n", r.GreedyMatchRate)
	fmt.Fprintf(tw, "perplexity\t%.4f (reference) / %.4f (model)\n", r.PPLRef, r.PPLModel)
	if r.BoxIoUMean != nil {
		fmt.Fprintf(tw, "box IoU mean\t%.4f\n", *r.BoxIoUMean)
	} else {
		fmt.Fprintf(tw, "box IoU mean\t– (no boxes)\n")
	}
	return tw.Flush()
}
