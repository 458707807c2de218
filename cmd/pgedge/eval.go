package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pgedge/pgedge/bench"
	"github.com/pgedge/pgedge/bench/harness"
	"github.com/pgedge/pgedge/infer"
	"github.com/pgedge/pgedge/model"
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

--model takes several models, comma-separated: the reference runs once and each model is
compared with it in turn, one report each (one JSON object per line with --json).

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
		UsageText:   "pgedge eval --ref REF.pge --model TEST.pge[,TEST2.pge…] [--images DIR] [--prompts FILE] [--max-tokens N] [--json]",
		Description: evalDescription,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "ref", Required: true, Usage: "reference model (.pge or Hugging Face directory), e.g. f32 or bf16"},
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, Usage: "model(s) to evaluate (.pge or Hugging Face directory), comma-separated"},
			&cli.StringFlag{Name: "images", Usage: "directory of PNG/JPEG images (default: built-in synthetic images)"},
			&cli.StringFlag{Name: "prompts", Usage: "file with one prompt per line (default: built-in task prompts)"},
			&cli.IntFlag{Name: "max-tokens", Value: 24, Usage: "length limit of the reference's greedy continuation"},
			threadsFlag(),
			loadFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object"},
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%v (see pgedge eval --help)", err)
		},
		Action: runEval,
	}
}

func runEval(c *cli.Context) error {
	stdout := c.App.Writer
	if stdout == nil {
		stdout = os.Stdout
	}
	if c.Int("max-tokens") < 1 {
		return fmt.Errorf("--max-tokens must be at least 1")
	}
	load, err := loadMode(c)
	if err != nil {
		return err
	}
	opts := infer.Options{Threads: c.Int("threads"), Load: load}
	ref, err := infer.Open(c.String("ref"), opts)
	if err != nil {
		return fmt.Errorf("--ref: %w", err)
	}
	defer ref.Close()
	models := splitList(c.String("model"))
	if len(models) == 0 {
		return fmt.Errorf("--model: no model given")
	}
	// The first model is opened before the reference runs, so that a mismatch or a
	// missing tokenizer is found at once rather than after the reference's minutes.
	test, err := infer.Open(models[0], opts)
	if err != nil {
		return fmt.Errorf("--model: %w", err)
	}
	defer func() { test.Close() }()
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
	images := harness.SyntheticImages()
	if dir := c.String("images"); dir != "" {
		if images, err = harness.LoadImageDir(dir); err != nil {
			err = fmt.Errorf("--images: %w", err)
			return err
		}
	}
	prompts, err := harness.Prompts(c.String("prompts"), ref.Config, tok)
	if err != nil {
		return err
	}
	refRun, err := harness.RunReference(ref, images, prompts, c.Int("max-tokens"))
	if err != nil {
		return err
	}
	refWeights := ref.DecoderDType().Name()
	for i, path := range models {
		if i > 0 {
			test.Close()
			if test, err = infer.Open(path, opts); err != nil {
				return fmt.Errorf("--model %s: %w", path, err)
			}
			if err := sameShape(ref.Config, test.Config); err != nil {
				return fmt.Errorf("--model %s: %w", path, err)
			}
		}
		rep, err := refRun.Compare(test, tok)
		if err != nil {
			return err
		}
		rep.Ref, rep.Model = c.String("ref"), path
		rep.Preset = model.PresetName(test.Config, rep.Model)
		rep.Weights, rep.RefWeights = test.DecoderDType().Name(), refWeights
		if c.Bool("json") {
			if err := json.NewEncoder(stdout).Encode(rep); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if err := bench.WriteEvalText(stdout, rep); err != nil {
			return err
		}
	}
	return nil
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
