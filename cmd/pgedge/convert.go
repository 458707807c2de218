package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
)

func weightFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "weights", Value: "int8", Usage: "decoder attention and MLP weights: int8 (8.5 bits), int4 (4.5 bits), bf16 or f32"},
		&cli.StringFlag{Name: "vision-weights", Usage: "SigLIP weights (default: as --weights, int8 when --weights is int4)"},
		&cli.StringFlag{Name: "embedding-weights", Usage: "token embedding / output layer (default: as --weights, int8 when --weights is int4)"},
		&cli.StringFlag{Name: "projector-weights", Usage: "vision-to-text projector (default: as --vision-weights)"},
	}
}

// policyFromFlags builds the precision policy; norms, biases and the position table
// always stay F32.
func policyFromFlags(c *cli.Context) (convert.Policy, error) {
	w, err := convert.ParseDType(c.String("weights"))
	if err != nil {
		return convert.Policy{}, err
	}
	p := convert.DefaultPolicy(w)
	for _, f := range []struct {
		name string
		dst  *model.DType
	}{{"vision-weights", &p.Vision}, {"embedding-weights", &p.Embedding}, {"projector-weights", &p.Projector}} {
		if s := c.String(f.name); s != "" {
			if *f.dst, err = convert.ParseDType(s); err != nil {
				return p, fmt.Errorf("--%s: %v", f.name, err)
			}
			if f.name == "vision-weights" && c.String("projector-weights") == "" {
				p.Projector = p.Vision
			}
		}
	}
	return p, nil
}

// progress returns a byte progress bar on a terminal, nothing otherwise.
func progress(desc string) func(done, total int64) {
	if !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	return func(done, total int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowBytes(true),
				progressbar.OptionSetDescription(desc), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
		}
		bar.Set64(done)
	}
}

func printReport(rep *convert.Report, out string, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "class\ttensors\tparams\tbytes\tbits/weight\trel RMS error\tmax error\t\n")
	classes := make([]string, 0, len(rep.Classes))
	for k := range rep.Classes {
		classes = append(classes, k)
	}
	sort.Strings(classes)
	for _, k := range classes {
		c := rep.Classes[k]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.2f\t%.5f\t%.3g\t\n", k, c.Tensors, c.Params, c.Bytes, c.BitsPerWeight, c.RelRMSError, c.MaxAbsError)
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%.2f\t\t\t\n", len(rep.Tensors), rep.Params, rep.Bytes, float64(8*rep.Bytes)/float64(max(rep.Params, 1)))
	tw.Flush()
	fmt.Printf("wrote %s\n", out)
	return nil
}

func convertCommand() *cli.Command {
	return &cli.Command{
		Name:      "convert",
		Usage:     "convert a Hugging Face PaliGemma checkpoint into one .pge file",
		UsageText: "pgedge convert --in HF_DIR --out model.pge [--weights int8|int4|bf16|f32] [options]",
		Description: "Reads config.json, the safetensors (single file or shards; F32, BF16 or F16) and tokenizer.model,\n" +
			"quantizes tensor by tensor (peak memory stays near the largest tensor) and writes a file that pgedge\n" +
			"maps and uses in place. The file appears only when complete: an interrupted run leaves nothing at\n" +
			"--out. Norms, biases and the vision position table always stay F32. Ends with a table of the\n" +
			"quantization error per tensor class (‖Ŵ−W‖/‖W‖ pooled over the class).",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "in", Required: true, Usage: "Hugging Face PaliGemma directory"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "output .pge file"},
			&cli.StringFlag{Name: "tokenizer", Usage: "tokenizer.model to embed (default: the one in --in)"},
			&cli.StringFlag{Name: "vqvae", Usage: "vae-oid.npz segmentation decoder to embed (default: --in/vae-oid.npz if present)"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON: {tensors: [...], classes: {...}}"},
		}, weightFlags()...),
		Action: func(c *cli.Context) error {
			pol, err := policyFromFlags(c)
			if err != nil {
				return err
			}
			in := c.String("in")
			cfg, err := model.LoadHFConfig(filepath.Join(in, "config.json"))
			if err != nil {
				return err
			}
			ck, err := model.OpenCheckpointDir(in)
			if err != nil {
				return err
			}
			defer ck.Close()
			opts := convert.Options{Policy: pol, Source: filepath.Base(filepath.Clean(in)), Progress: progress("converting")}
			tokPath := c.String("tokenizer")
			if tokPath == "" {
				tokPath = filepath.Join(in, "tokenizer.model")
			}
			if b, err := os.ReadFile(tokPath); err == nil {
				if _, err := tokenizer.FromBytes(b); err != nil {
					return err
				}
				opts.Tokenizer = b
			} else if c.String("tokenizer") != "" {
				return err
			} else {
				fmt.Fprintf(os.Stderr, "warning: %s has no tokenizer.model; converting without one (pass --tokenizer FILE to embed one)\n", in)
			}
			vqPath := c.String("vqvae")
			if vqPath == "" {
				vqPath = filepath.Join(in, "vae-oid.npz")
			}
			if b, err := os.ReadFile(vqPath); err == nil {
				opts.VQVAE = b
			} else if c.String("vqvae") != "" {
				return err
			}
			rep, err := convert.Convert(c.String("out"), cfg, ck, opts)
			if err != nil {
				return err
			}
			return printReport(rep, c.String("out"), c.Bool("json"))
		},
	}
}

func synthCommand() *cli.Command {
	return &cli.Command{
		Name:      "synth",
		Usage:     "write a full-size model with random, trained-looking weights (no download needed)",
		UsageText: "pgedge synth --preset pg2-3b-224 --weights int8 --out model.pge [--seed N]",
		Description: "Generates every tensor of a preset from a seed: per-row log-normal scales, heavy tails and a few\n" +
			"outlier input channels, so that quantization and speed can be measured at real size. The same seed\n" +
			"and preset give the same weights whatever --weights is. A tokenizer with the real PaliGemma special\n" +
			"ids (<loc>/<seg> pieces included) is generated and embedded.\n\n" +
			"Presets: " + strings.Join(model.PresetNames(), ", "),
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "preset", Required: true, Usage: "model shape, e.g. pg2-3b-224 or pg1-tiny"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "output .pge file, or a directory with --hf"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			&cli.BoolFlag{Name: "hf", Usage: "write a Hugging Face directory (config.json, model.safetensors in F32, tokenizer.model) instead of a .pge file"},
			&cli.BoolFlag{Name: "json", Usage: "print the conversion summary as JSON"},
		}, weightFlags()...),
		Action: func(c *cli.Context) error {
			cfg, err := model.Preset(c.String("preset"))
			if err != nil {
				return err
			}
			syn := convert.NewSynthetic(cfg, c.Uint64("seed"))
			tok, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: cfg.Text.VocabSize, ImageToken: cfg.ImageTokenIndex})
			if err != nil {
				return err
			}
			if c.Bool("hf") {
				return writeHFDir(c.String("out"), cfg, syn, tok)
			}
			pol, err := policyFromFlags(c)
			if err != nil {
				return err
			}
			rep, err := convert.Convert(c.String("out"), cfg, syn, convert.Options{Policy: pol, Tokenizer: tok,
				Source: fmt.Sprintf("synthetic %s seed %d", c.String("preset"), c.Uint64("seed")), Progress: progress("generating")})
			if err != nil {
				return err
			}
			return printReport(rep, c.String("out"), c.Bool("json"))
		},
	}
}

// writeHFDir writes a synthetic model as a Hugging Face checkpoint directory (F32).
func writeHFDir(dir string, cfg *model.Config, syn *convert.Synthetic, tok []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := cfg.HFConfigJSON()
	if err != nil {
		return err
	}
	var tensors []model.Tensor
	for _, spec := range cfg.TensorSpecs() {
		if t, ok := syn.Tensor(spec.Name); ok {
			tensors = append(tensors, t)
		}
	}
	if err := model.WriteSafetensors(filepath.Join(dir, "model.safetensors"), tensors); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.model"), tok, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s\n", dir)
	return nil
}

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show what a .pge file holds",
		UsageText: "pgedge inspect FILE [--json]",
		Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print as JSON"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("give one .pge file")
			}
			p, err := model.OpenPGE(c.Args().First())
			if err != nil {
				return err
			}
			defer p.Close()
			type tensor struct {
				Name   string  `json:"name"`
				Type   string  `json:"type"`
				Shape  []int64 `json:"shape"`
				Offset int64   `json:"offset"`
				Bytes  int64   `json:"bytes"`
			}
			type totals struct {
				Tensors int   `json:"tensors"`
				Params  int64 `json:"params"`
				Bytes   int64 `json:"bytes"`
			}
			out := struct {
				File            string             `json:"file"`
				Version         uint32             `json:"format_version"`
				Size            int64              `json:"size"`
				Config          model.Config       `json:"config"`
				Quantization    json.RawMessage    `json:"quantization,omitempty"`
				Source          string             `json:"source,omitempty"`
				TokenizerBytes  int                `json:"tokenizer_bytes"`
				TokenizerPieces int                `json:"tokenizer_pieces"`
				VQVAEBytes      int                `json:"vqvae_bytes"`
				Tensors         []tensor           `json:"tensors"`
				PerType         map[string]*totals `json:"per_type"`
			}{File: c.Args().First(), Version: p.File.Version(), Size: p.File.Size(), Config: p.Meta.Config,
				Quantization: p.Meta.Quant, Source: p.Meta.Source, PerType: map[string]*totals{}}
			if b, ok := p.Blob(model.BlobTokenizer); ok {
				out.TokenizerBytes = len(b)
				if tk, err := tokenizer.FromBytes(b); err == nil {
					out.TokenizerPieces = tk.VocabSize()
				}
			}
			if b, ok := p.Blob(model.BlobVQVAE); ok {
				out.VQVAEBytes = len(b)
			}
			for _, t := range p.File.Tensors() {
				out.Tensors = append(out.Tensors, tensor{t.Name, t.TypeName, t.Shape, t.Offset, t.Size})
				tt := out.PerType[t.TypeName]
				if tt == nil {
					tt = &totals{}
					out.PerType[t.TypeName] = tt
				}
				tt.Tensors++
				tt.Params += t.NumElements()
				tt.Bytes += t.Size
			}
			if c.Bool("json") {
				enc := json.NewEncoder(os.Stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			cfg := out.Config
			fmt.Printf("file       %s (%d bytes, format version %d)\n", out.File, out.Size, out.Version)
			fmt.Printf("model      %s: text %d wide, %d layers, %d/%d heads; vision %d px, %d image tokens\n", cfg.Family,
				cfg.Text.Hidden, cfg.Text.Layers, cfg.Text.Heads, cfg.Text.KVHeads, cfg.Vision.ImageSize, cfg.NumImageTokens())
			fmt.Printf("tokenizer  %d bytes, %d pieces\n", out.TokenizerBytes, out.TokenizerPieces)
			if out.VQVAEBytes > 0 {
				fmt.Printf("vqvae      %d bytes\n", out.VQVAEBytes)
			}
			if out.Source != "" {
				fmt.Printf("source     %s\n", out.Source)
			}
			tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "\nname\ttype\tshape\toffset\tbytes\n")
			for _, t := range out.Tensors {
				fmt.Fprintf(tw, "%s\t%s\t%v\t%d\t%d\n", t.Name, t.Type, t.Shape, t.Offset, t.Bytes)
			}
			fmt.Fprintf(tw, "\ntype\ttensors\tparams\tbytes\tbits/weight\n")
			types := make([]string, 0, len(out.PerType))
			for k := range out.PerType {
				types = append(types, k)
			}
			sort.Strings(types)
			for _, k := range types {
				t := out.PerType[k]
				fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.2f\n", k, t.Tensors, t.Params, t.Bytes, float64(8*t.Bytes)/float64(max(t.Params, 1)))
			}
			return tw.Flush()
		},
	}
}

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check every checksum of a .pge file",
		UsageText: "pgedge verify FILE",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return fmt.Errorf("give one .pge file")
			}
			p, err := model.OpenPGE(c.Args().First())
			if err != nil {
				return err
			}
			defer p.Close()
			if err := p.File.Verify(); err != nil {
				return err
			}
			fmt.Printf("%s: %d tensors, %d blobs, all checksums match\n", c.Args().First(), len(p.File.Tensors()), len(p.File.Blobs()))
			return nil
		},
	}
}
