package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/pgedge/pgedge/imageproc"
	"github.com/pgedge/pgedge/runtime"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/urfave/cli/v2"
)

func env(name string) []string { return []string{"PGEDGE_" + name} }

func modelFlag() cli.Flag {
	return &cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, EnvVars: env("MODEL"),
		Usage: "Hugging Face PaliGemma directory (config.json, safetensors, tokenizer.model)"}
}

func threadsFlag() cli.Flag {
	return &cli.IntFlag{Name: "threads", Aliases: []string{"t"}, EnvVars: env("THREADS"),
		Usage: "worker threads (default: all CPUs this process may use)"}
}

// loaded is an opened model with its tokenizer (nil when the model ships none).
type loaded struct {
	m   *runtime.Model
	tok *tokenizer.Tokenizer
}

func openModel(c *cli.Context) (*loaded, error) {
	m, err := runtime.Open(c.String("model"), runtime.Options{
		Threads:         c.Int("threads"),
		GlobalAttention: c.Bool("global-attention"),
	})
	if err != nil {
		return nil, err
	}
	l := &loaded{m: m}
	tokPath := c.String("tokenizer")
	switch {
	case tokPath != "":
		if l.tok, err = tokenizer.Load(tokPath); err != nil {
			m.Close()
			return nil, err
		}
	case m.TokenizerModel != nil:
		if l.tok, err = tokenizer.FromBytes(m.TokenizerModel); err != nil {
			m.Close()
			return nil, err
		}
	}
	return l, nil
}

// separator is the "\n" token of the loaded vocabulary.
func (l *loaded) separator() int {
	if l.tok != nil {
		if id, ok := l.tok.ID("\n"); ok {
			return id
		}
	}
	return runtime.NewlineID
}

func parseIDs(s string) ([]int, error) {
	var ids []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		id, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("--prompt-ids: %q is not a token id", f)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("--prompt-ids: no ids given")
	}
	return ids, nil
}

func runCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "answer a prompt about an image",
		UsageText: "pgedge run --model DIR --image FILE --prompt \"caption en\" [options]",
		Description: "Prefills the image and the prompt, then generates until <eos> or --max-tokens, printing text as\n" +
			"it is produced. The prompt is laid out as PaliGemma was trained: image tokens, <bos>, the prompt,\n" +
			"then \"\\n\" (a trailing newline in --prompt is dropped, not doubled).\n\n" +
			"Prompts: \"caption en\", \"describe en\", \"ocr\", \"answer en WHAT IS ...\", \"detect cat ; dog\",\n" +
			"\"segment cat\".",
		Flags: []cli.Flag{
			modelFlag(),
			&cli.StringFlag{Name: "image", Aliases: []string{"i"}, EnvVars: env("IMAGE"), Usage: "image file (PNG or JPEG)"},
			&cli.StringFlag{Name: "prompt", Aliases: []string{"p"}, Usage: "prompt text, e.g. \"caption en\""},
			&cli.StringFlag{Name: "prompt-ids", Usage: "prompt as comma-separated token ids placed after the image tokens, used as given (e.g. 2,5,108); for models without a tokenizer and for debugging"},
			&cli.StringFlag{Name: "tokenizer", EnvVars: env("TOKENIZER"), Usage: "SentencePiece tokenizer.model to use instead of the model's own"},
			&cli.IntFlag{Name: "max-tokens", Value: 64, EnvVars: env("MAX_TOKENS"), Usage: "stop after this many generated tokens"},
			&cli.Float64Flag{Name: "temperature", EnvVars: env("TEMPERATURE"), Usage: "sampling temperature; 0 is greedy (PaliGemma's default)"},
			&cli.IntFlag{Name: "top-k", EnvVars: env("TOP_K"), Usage: "sample only among the k most likely tokens (0: all)"},
			&cli.Float64Flag{Name: "top-p", EnvVars: env("TOP_P"), Usage: "sample only within this cumulative probability (0 or 1: all)"},
			&cli.Uint64Flag{Name: "seed", EnvVars: env("SEED"), Usage: "random seed for sampling"},
			threadsFlag(),
			&cli.BoolFlag{Name: "global-attention", EnvVars: env("GLOBAL_ATTENTION"), Usage: "PaliGemma 2: attend globally on every layer, as big_vision trained it, instead of the config's sliding window (differs only past 4096 tokens, i.e. 896 px)"},
			&cli.BoolFlag{Name: "json", Usage: "print one JSON object {text, tokens, timings} instead of streaming text"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("unexpected argument %q (did you mean --prompt?)", c.Args().First())
			}
			if (c.String("prompt") == "") == (c.String("prompt-ids") == "") {
				return fmt.Errorf("give exactly one of --prompt and --prompt-ids")
			}
			l, err := openModel(c)
			if err != nil {
				return err
			}
			defer l.m.Close()
			cfg := l.m.Config

			var text []int
			if s := c.String("prompt-ids"); s != "" {
				if text, err = parseIDs(s); err != nil {
					return err
				}
			} else {
				if l.tok == nil {
					return fmt.Errorf("%s has no tokenizer.model: pass --tokenizer FILE or --prompt-ids", c.String("model"))
				}
				p := strings.TrimRight(c.String("prompt"), "\r\n")
				text = append([]int{cfg.BOS}, l.tok.Encode(p)...)
				text = append(text, l.separator())
			}
			var pixels []float32
			ids := text
			if path := c.String("image"); path != "" {
				img, err := imageproc.DecodeFile(path)
				if err != nil {
					return err
				}
				pixels = imageproc.Preprocess(img, cfg.Vision.ImageSize)
				ids = append(runtime.PromptIDs(cfg, nil, 0, true)[:cfg.NumImageTokens()], text...)
			}

			asJSON := c.Bool("json")
			var printed string
			var gen []int
			decode := func(ids []int) string {
				if l.tok == nil {
					parts := make([]string, len(ids))
					for i, id := range ids {
						parts[i] = strconv.Itoa(id)
					}
					return strings.Join(parts, " ")
				}
				return l.tok.Decode(ids)
			}
			onToken := func(id int) {
				if id == cfg.EOS {
					return
				}
				gen = append(gen, id)
				if asJSON {
					return
				}
				// Print what the new token adds; byte pieces can complete a character
				// only later, so compare whole decodings.
				s := decode(gen)
				if strings.HasPrefix(s, printed) {
					fmt.Print(s[len(printed):])
					printed = s
				}
			}
			out, tm, err := l.m.Generate(pixels, ids, runtime.GenerateOptions{
				MaxTokens: c.Int("max-tokens"),
				Sampler: runtime.SamplerOptions{Temperature: c.Float64("temperature"), TopK: c.Int("top-k"),
					TopP: c.Float64("top-p"), Seed: c.Uint64("seed")},
				StopIDs: []int{cfg.EOS},
				OnToken: onToken,
			})
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(os.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"text": decode(gen), "tokens": out, "timings": tm})
			}
			if s := decode(gen); s != printed {
				fmt.Print(strings.TrimPrefix(s, printed))
			}
			fmt.Println()
			return nil
		},
	}
}

func tokenizeCommand() *cli.Command {
	return &cli.Command{
		Name:      "tokenize",
		Usage:     "print the token ids and pieces of a text",
		UsageText: "pgedge tokenize --model DIR TEXT   (or --tokenizer tokenizer.model TEXT)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, EnvVars: env("MODEL"), Usage: "model directory holding tokenizer.model"},
			&cli.StringFlag{Name: "tokenizer", Usage: "a tokenizer.model file"},
			&cli.BoolFlag{Name: "json", Usage: "print {ids, pieces} as JSON"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("give the text to tokenize as one argument")
			}
			path := c.String("tokenizer")
			if path == "" {
				if c.String("model") == "" {
					return fmt.Errorf("give --model DIR or --tokenizer FILE")
				}
				path = c.String("model") + "/tokenizer.model"
			}
			tok, err := tokenizer.Load(path)
			if err != nil {
				return err
			}
			ids := tok.Encode(c.Args().First())
			pieces := make([]string, len(ids))
			for i, id := range ids {
				pieces[i] = tok.Piece(id)
			}
			if c.Bool("json") {
				return json.NewEncoder(os.Stdout).Encode(map[string]any{"ids": ids, "pieces": pieces})
			}
			for i, id := range ids {
				fmt.Printf("%d\t%q\n", id, pieces[i])
			}
			return nil
		},
	}
}
