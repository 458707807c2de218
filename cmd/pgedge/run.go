package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pgedge/pgedge"
	"github.com/pgedge/pgedge/compress"
	"github.com/pgedge/pgedge/task"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/urfave/cli/v2"
)

func env(name string) []string { return []string{"PGEDGE_" + name} }

func modelFlag() cli.Flag {
	return &cli.StringFlag{Name: "model", Aliases: []string{"m"}, Required: true, EnvVars: env("MODEL"),
		Usage: "a .pge file (pgedge convert) or a Hugging Face PaliGemma directory (config.json, safetensors, tokenizer.model)"}
}

// loadFlag is --load: how a .pge file's bytes are brought into memory.
func loadFlag() cli.Flag {
	return &cli.StringFlag{Name: "load", Value: "auto", EnvVars: env("LOAD"),
		Usage: "how a .pge is held: memory (read into huge pages at start: 0.3 s for 3 GB in the page cache, longer from disk; decoding then streams the weights 10-16% faster, and on AVX-512 VNNI or AVX-VNNI CPUs INT8 weights (with AVX-512 VBMI also INT4) are packed for the panel kernels, 0.15-0.4 s more, 20-50% faster again), mmap (map it: instant, shared page cache), or auto (memory on Linux when the file is at most half the available memory, else mmap)"}
}

// loadMode parses --load.
func loadMode(c *cli.Context) (compress.Load, error) {
	l, err := compress.ParseLoad(c.String("load"))
	if err != nil {
		return 0, fmt.Errorf("--load: %w", err)
	}
	return l, nil
}

func threadsFlag() cli.Flag {
	return &cli.IntFlag{Name: "threads", Aliases: []string{"t"}, EnvVars: env("THREADS"),
		Usage: "worker threads (default: all CPUs this process may use)"}
}

// parseIDs reads --prompt-ids.
func parseIDs(s string) ([]int, error) {
	ids, err := tokenizer.ParseIDs(s)
	if err != nil {
		return nil, fmt.Errorf("--prompt-ids: %w", err)
	}
	return ids, nil
}

// runDescription is the DESCRIPTION of `pgedge run --help` (printed as written).
const runDescription = `Prefills the image and the prompt, then generates until <eos> or --max-tokens.

PROMPT (give exactly one of --task, --prompt, --prompt-ids)
  --task caption [--lang en]           a short caption; "cap" is shorter, "describe" longer
  --task ocr                           the text in the image
  --task answer --question "..."       answers the question ("answer en ...")
  --task question --question "..."     asks a question whose answer is the given text
  --task detect --objects "cat ; dog"  boxes: <loc>x4 and a label per object, " ; " between
  --task segment --objects "cat"       boxes and masks: <loc>x4, <seg>x16 and a label
  --prompt TEXT     free text, e.g. "caption en"; laid out as PaliGemma was trained: image
                    tokens, <bos>, the prompt, "\n" (a trailing newline is dropped, not doubled)
  --prompt-ids IDS  token ids placed after the image tokens, used as given

OUTPUT
  (default)         one image: the generated text, streamed as it is produced
  --json            one JSON object per image:
                      {"image", "width", "height", "text",
                       "objects": [{"label", "box": {"x_min", "y_min", "x_max", "y_max"}, "mask"}],
                       "unparsed", "tokens", "timings"}
                    text is the generation without <eos> (<loc>/<seg> tokens kept); tokens are the
                    generated ids. Boxes are pixels of the ORIGINAL image, min inclusive, max
                    exclusive (bin/1023 of the size, as big_vision). mask is a COCO compressed RLE
                    {"size": [h, w], "counts": "..."} over the whole image, present for objects
                    with <seg> codes when a VQ-VAE is available (--vqvae, vae-oid.npz in the model
                    directory, or embedded in a .pge file); without one masks are left out with a
                    warning. PaliGemma gives no confidence, so objects carry no "score". unparsed
                    lists pieces of box output that are not valid objects (wrong token counts,
                    zero-area boxes).
  --format coco     a COCO results file: a JSON array, one entry per object of every image:
                      {"image_id", "category_id", "label", "bbox": [x, y, w, h], "score", "segmentation"}
                    image_id: the number of a file named by digits only (000000397133.jpg -> 397133),
                      otherwise the image path as given (a string).
                    category_id: the id of the label in --categories (a COCO annotations file or
                      its "categories" list; names match case-insensitively); left out when the
                      label is not there or no --categories is given. label: always present.
                    bbox: pixels of the original image, from the box above (w = x_max - x_min).
                    score: always 1 (PaliGemma gives none).
                    segmentation: the mask as COCO compressed RLE, when there is one.
  --out FILE        write the output to FILE, through a temporary file renamed at the end
  --draw PATH       the image with boxes, labels and translucent masks as PNG: the file PATH for
                    one image; for several, the directory PATH with NAME.png per image
                    (NAME-INDEX.png when names repeat, INDEX being the image's 0-based position
                    in the list)

BATCH
  --image a.jpg --image b.jpg ... and/or --images-from list.txt (one path per line, relative to
  the working directory; blank lines and lines starting with # are skipped; "-" reads the
  standard input; --image paths come first in the list) load the model once and
  write one JSON line per image (JSONL), in list order, or one COCO array at the end. An image
  that fails gives {"image", "error"} (and a line on stderr) and the run goes on; the exit status
  is 1 if any image failed. A progress bar is drawn on stderr when it is a terminal.
  --batch B (default 8) images are generated at once: their tokens are decoded together, each
  step reading the weights once for all of them (PaliGemma 2 3B INT8, 2 threads: 1.85× the
  tokens/s of one at a time); the output is the same, in the same order.

SPLITTING A LARGE JOB ACROSS MACHINES
  --shard i/n keeps images i, i+n, i+2n, ... of the list (0-based, counted after blank and #
  lines are dropped): n processes given the same list and i = 0 .. n-1 share the work, each
  image going to exactly one of them. Any job runner that numbers its tasks can fan it out:
    Kubernetes Indexed Job (completionMode: Indexed, completions: N, any parallelism):
      pgedge run -m /models/pg2 --task detect --objects car --images-from /data/list.txt \
        --shard $JOB_COMPLETION_INDEX/N --out /results/part-$JOB_COMPLETION_INDEX.jsonl
    Slurm job array (sbatch --array=0-7 for N = 8):
      pgedge run -m /models/pg2 --task caption --images-from list.txt \
        --shard $SLURM_ARRAY_TASK_ID/N --out part-$SLURM_ARRAY_TASK_ID.jsonl
  Then cat part-*.jsonl > all.jsonl (for --format coco: jq -s add part-*.json > all.json). Every
  output is renamed into place only when its shard is done, so a retried task never leaves a
  partial file behind; --draw names are the same in every shard.`

// defaultRunBatch is --batch: PaliGemma 2 3B INT8 on 2 threads decodes 8 sequences
// (in exact steps, as run does) at 1.85× the tokens/s of one, 4 at 1.6×
// (bench/README.md); a 224 px caption's KV cache is ~0.2 MB per token (~70 MB).
const defaultRunBatch = 8

func runCommand() *cli.Command {
	model := modelFlag().(*cli.StringFlag)
	model.Required = false // checked by the action, for a one-line error
	return &cli.Command{
		Name:        "run",
		Usage:       "answer a prompt or run a task (caption, OCR, detect, segment, ...) on images",
		UsageText:   "pgedge run --model DIR --image FILE (--task TASK [task flags] | --prompt TEXT | --prompt-ids IDS) [options]",
		Description: runDescription,
		Flags: []cli.Flag{
			model,
			&cli.GenericFlag{Name: "image", Aliases: []string{"i"}, EnvVars: env("IMAGE"), Value: &pathList{},
				Usage: "image file (PNG or JPEG); repeat for several images, which gives JSON lines"},
			&cli.StringFlag{Name: "images-from", Usage: "file listing one image path per line (blank and # lines skipped; - for stdin); gives JSON lines"},
			&cli.IntFlag{Name: "batch", EnvVars: env("BATCH"), Value: defaultRunBatch, Usage: "with several images: how many are generated at once (decoded together, one pass over the weights per token for all; output stays in list order)"},
			&cli.StringFlag{Name: "shard", EnvVars: env("SHARD"), Usage: "i/n: keep every n-th image of the list starting at i (0-based), to split a job across machines"},
			&cli.StringFlag{Name: "task", Usage: "task whose prompt to build: " + strings.Join(task.Tasks, "|")},
			&cli.StringFlag{Name: "lang", Usage: "language of the answer for caption, cap, describe, answer and question (default: en)"},
			&cli.StringFlag{Name: "question", Usage: "the question for --task answer; the answer to ask about for --task question"},
			&cli.StringFlag{Name: "objects", Usage: "objects for --task detect and segment, separated by ';' (e.g. \"cat ; dog\")"},
			&cli.StringFlag{Name: "prompt", Aliases: []string{"p"}, Usage: "prompt text, e.g. \"caption en\""},
			&cli.StringFlag{Name: "prompt-ids", Usage: "prompt as comma-separated token ids placed after the image tokens, used as given (e.g. 2,5,108); for models without a tokenizer and for debugging"},
			&cli.StringFlag{Name: "tokenizer", EnvVars: env("TOKENIZER"), Usage: "SentencePiece tokenizer.model to use instead of the model's own"},
			&cli.StringFlag{Name: "vqvae", EnvVars: env("VQVAE"), Usage: "segmentation VQ-VAE (vae-oid.npz) for masks, instead of the model's own"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON {text, objects, tokens, timings} instead of streaming text (same as --format json)"},
			&cli.StringFlag{Name: "format", Usage: "output: text, json or coco (default: text for one image, json lines for several)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write the output to this file instead of stdout"},
			&cli.StringFlag{Name: "categories", Usage: "with --format coco: COCO annotations JSON (or its categories list) mapping labels to category_id"},
			&cli.StringFlag{Name: "draw", Usage: "write the image with boxes, labels and masks to this PNG (a directory for several images)"},
			&cli.IntFlag{Name: "max-tokens", EnvVars: env("MAX_TOKENS"), DefaultText: fmt.Sprintf("%d, %d for --task detect and segment", pgedge.DefaultMaxTokens, pgedge.DefaultMaxTokensObject),
				Usage: "stop after this many generated tokens"},
			&cli.Float64Flag{Name: "temperature", EnvVars: env("TEMPERATURE"), Usage: "sampling temperature; 0 is greedy (PaliGemma's default)"},
			&cli.IntFlag{Name: "top-k", EnvVars: env("TOP_K"), Usage: "sample only among the k most likely tokens (0: all)"},
			&cli.Float64Flag{Name: "top-p", EnvVars: env("TOP_P"), Usage: "sample only within this cumulative probability (0 or 1: all)"},
			&cli.Uint64Flag{Name: "seed", EnvVars: env("SEED"), Usage: "random seed for sampling"},
			threadsFlag(),
			loadFlag(),
			&cli.BoolFlag{Name: "global-attention", EnvVars: env("GLOBAL_ATTENTION"), Usage: "PaliGemma 2: attend globally on every layer, as big_vision trained it, instead of the config's sliding window (differs only past 4096 tokens, i.e. 896 px)"},
		},
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%v (see pgedge run --help)", err)
		},
		Action: func(c *cli.Context) error {
			o, err := parseRunOptions(c)
			if err != nil {
				return err
			}
			return o.execute(c)
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
