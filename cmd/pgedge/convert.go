package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/atomicfile"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/tokenizer"
	"github.com/pgedge/pgedge/vqvae"
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
		&cli.IntFlag{Name: "threads", Usage: "goroutines that read and quantize rows (default: all cores); the file written is the same for any count"},
	}
}

// policyFromFlags builds the precision policy; norms, biases and the position table
// always stay F32.
func policyFromFlags(c *cli.Context) (convert.Policy, error) {
	w, err := parseWeights(c.String("weights"))
	if err != nil {
		return convert.Policy{}, err
	}
	p := convert.DefaultPolicy(w)
	for _, f := range []struct {
		name string
		dst  *quant.Type
	}{{"vision-weights", &p.Vision}, {"embedding-weights", &p.Embedding}, {"projector-weights", &p.Projector}} {
		if s := c.String(f.name); s != "" {
			if *f.dst, err = parseWeights(s); err != nil {
				return p, fmt.Errorf("--%s: %v", f.name, err)
			}
			if f.name == "vision-weights" && c.String("projector-weights") == "" {
				p.Projector = p.Vision
			}
		}
	}
	return p, nil
}

// parseWeights reads a storage type that convert writes, for --weights and the
// per-class flags: f32, bf16, int8 (q8, Q8) or int4 (q4, Q4).
func parseWeights(s string) (quant.Type, error) {
	t, err := quant.ParseType(s)
	if err != nil || !convert.Writable(t) {
		return 0, fmt.Errorf("unknown weight type %q (want f32, bf16, int8 or int4)", s)
	}
	return t, nil
}

// cmdOut and cmdErr are the app's writers (os.Stdout and os.Stderr unless a test
// sets them).
func cmdOut(c *cli.Context) io.Writer {
	if c.App.Writer != nil {
		return c.App.Writer
	}
	return os.Stdout
}

func cmdErr(c *cli.Context) io.Writer {
	if c.App.ErrWriter != nil {
		return c.App.ErrWriter
	}
	return os.Stderr
}

// progress returns a progress bar of weights written, with the rate in M weights/s
// and an ETA, when stderr is a terminal; nothing otherwise.
func progress(desc string) func(done, total int64) {
	if !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	var bar *progressbar.ProgressBar
	var start, last time.Time
	return func(done, total int64) {
		now := time.Now()
		if bar == nil {
			start = now
			bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription(desc),
				progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())
		}
		if now.Sub(last) >= 250*time.Millisecond && now.Sub(start) > 0 {
			last = now
			bar.Describe(fmt.Sprintf("%s %.1f/%.1f G weights, %.1f M weights/s", desc, float64(done)/1e9, float64(total)/1e9,
				float64(done)/now.Sub(start).Seconds()/1e6))
		}
		bar.Set64(done)
	}
}

// shellQuote quotes a path for a command line the user may paste.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"$`\\!*?[]{}()<>|;&#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// runHint is the one-line next step printed after a model file is written.
func runHint(model string) string {
	return fmt.Sprintf("run with: pgedge run --model %s --image IMG --task caption", shellQuote(model))
}

// writeHint prints the next-step hint: after the table on stdout, or on stderr when
// stdout carries JSON (which must stay one object).
func writeHint(c *cli.Context, hint string) {
	w := cmdOut(c)
	if c.Bool("json") {
		w = cmdErr(c)
	}
	fmt.Fprintln(w, hint)
}

// removeOnInterrupt makes SIGINT and SIGTERM remove the temporary file that a
// conversion to out is writing (package atomicfile knows it) and exit 130, so that an
// interrupted run leaves nothing behind; a temporary file that existed before the run
// is left alone. The returned function undoes it. (SIGKILL cannot be caught: then no
// file appears at out, but the temporary one stays.)
func removeOnInterrupt(c *cli.Context, out string) (stop func()) {
	return atomicfile.RemoveOnInterrupt(func(sig os.Signal) {
		fmt.Fprintf(cmdErr(c), "pgedge: %v: stopped; %s was not written\n", sig, out)
		os.Exit(130)
	})
}

// convertReport is the --json summary: the conversion's report, and the plain-copy
// baseline when --copy-baseline measured one.
type convertReport struct {
	*convert.Report
	CopyMBPerSec float64 `json:"copy_mb_per_s,omitempty"`
}

func printReport(c *cli.Context, rep *convert.Report, out string) error {
	return printReportCopy(c, rep, out, 0)
}

func printReportCopy(c *cli.Context, rep *convert.Report, out string, copyMBs float64) error {
	if c.Bool("json") {
		enc := json.NewEncoder(cmdOut(c))
		enc.SetIndent("", "  ")
		return enc.Encode(convertReport{rep, copyMBs})
	}
	tw := tabwriter.NewWriter(cmdOut(c), 0, 0, 2, ' ', tabwriter.AlignRight)
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
	fmt.Fprintf(cmdOut(c), "%.2f G weights in %.1f s on %d threads: %.1f M weights/s, %.0f MB/s read, %.0f MB/s written; peak RSS %.2f GB\n",
		float64(rep.Params)/1e9, rep.Seconds, rep.Threads, rep.WeightsPerSec/1e6, rep.InputMBPerSec, rep.OutputMBPerSec, float64(rep.PeakRSSBytes)/1e9)
	if copyMBs > 0 {
		fmt.Fprintf(cmdOut(c), "plain copy of the checkpoint's safetensors (same disk, fsync'd): %.0f MB/s\n", copyMBs)
	}
	fmt.Fprintf(cmdOut(c), "wrote %s\n", out)
	return nil
}

// copyBaseline reads the checkpoint's safetensors files once (so the copy and the
// conversion both start from the page cache), then copies them to a temporary file
// next to out, fsyncs it, deletes it and returns the copy's rate in MB/s: what
// reading and writing the same bytes costs without converting them.
func copyBaseline(in, out string) (float64, error) {
	files, err := filepath.Glob(filepath.Join(in, "*.safetensors"))
	if err != nil || len(files) == 0 {
		return 0, fmt.Errorf("--copy-baseline: no safetensors in %s", in)
	}
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, r)
		r.Close()
		if err != nil {
			return 0, err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".copy-baseline-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	start := time.Now()
	var n int64
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return 0, err
		}
		m, err := io.Copy(tmp, r)
		r.Close()
		n += m
		if err != nil {
			return 0, err
		}
	}
	if err := tmp.Sync(); err != nil {
		return 0, err
	}
	return float64(n) / time.Since(start).Seconds() / 1e6, nil
}

// checkInDir tells a missing or wrong --in apart from a broken checkpoint.
func checkInDir(in string) error {
	st, err := os.Stat(in)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--in %s: no such directory", in)
	case err != nil:
		return fmt.Errorf("--in: %w", err)
	case !st.IsDir():
		return fmt.Errorf("--in %s is a file; give the Hugging Face checkpoint directory (config.json, *.safetensors, tokenizer.model)", in)
	}
	if _, err := os.Stat(filepath.Join(in, "config.json")); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("--in %s has no config.json; it is not a Hugging Face checkpoint directory", in)
	}
	return nil
}

func convertCommand() *cli.Command {
	return &cli.Command{
		Name:      "convert",
		Usage:     "convert a Hugging Face PaliGemma checkpoint into one .pge file",
		UsageText: "pgedge convert --in HF_DIR --out model.pge [--weights int8|int4|bf16|f32] [options]",
		Description: "Reads config.json, the safetensors (single file or shards; F32, BF16 or F16) and tokenizer.model\n" +
			"from HF_DIR, quantizes rows in parallel on all cores, streaming (memory stays bounded whatever the\n" +
			"model's size), and writes one\n" +
			"file that pgedge maps and uses in place. The file appears only when complete: an interrupted or\n" +
			"failed run leaves nothing at --out.\n\n" +
			"Precision: --weights sets the decoder's attention and MLP matrices; with int4 the vision tower,\n" +
			"projector and embedding default to int8. Norms, biases and the vision position table always stay\n" +
			"F32. The run ends with a table per tensor class: bits per weight and the quantization error\n" +
			"(relative RMS error ‖Ŵ−W‖/‖W‖ pooled over the class, and the largest absolute error).\n\n" +
			"A directory without tokenizer.model converts with a warning; --tokenizer embeds one from elsewhere.\n" +
			"The segmentation decoder (vae-oid.npz) is embedded from --vqvae or from HF_DIR when present.\n\n" +
			"Example:\n" +
			"  pgedge convert --in paligemma2-3b-mix-224 --out pg2-3b-224-int4.pge --weights int4",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "in", Required: true, Usage: "Hugging Face PaliGemma checkpoint directory"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "output .pge file (written atomically)"},
			&cli.StringFlag{Name: "tokenizer", Usage: "tokenizer.model to embed (default: HF_DIR/tokenizer.model)"},
			&cli.StringFlag{Name: "vqvae", Usage: "vae-oid.npz segmentation decoder to embed (default: HF_DIR/vae-oid.npz if present)"},
			&cli.BoolFlag{Name: "json", Usage: "print the summary as one JSON object {\"tensors\": [...], \"classes\": {...}, \"weights_per_s\": ..., \"input_mb_per_s\": ..., \"peak_rss_bytes\": ...} instead of the table"},
			&cli.BoolFlag{Name: "copy-baseline", Usage: "first time a plain copy of the checkpoint's safetensors to the output's directory, and report its MB/s beside the conversion's"},
		}, weightFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("unexpected argument %q (give the checkpoint with --in DIR)", c.Args().First())
			}
			pol, err := policyFromFlags(c)
			if err != nil {
				return err
			}
			in, out := c.String("in"), c.String("out")
			if err := checkInDir(in); err != nil {
				return err
			}
			cfg, err := model.LoadHFConfig(filepath.Join(in, "config.json"))
			if err != nil {
				return err
			}
			ck, err := model.OpenCheckpointDir(in)
			if err != nil {
				return err
			}
			defer ck.Close()
			// Check the weights against the config before anything else is said.
			if err := cfg.CheckTensors(ck); err != nil {
				return fmt.Errorf("%s: %w", in, err)
			}
			opts := convert.Options{Policy: pol, Source: filepath.Base(filepath.Clean(in)), Progress: progress("converting"),
				Threads: c.Int("threads")}
			tokPath := c.String("tokenizer")
			if tokPath == "" {
				tokPath = filepath.Join(in, "tokenizer.model")
			}
			if b, err := os.ReadFile(tokPath); err == nil {
				if _, err := tokenizer.FromBytes(b); err != nil {
					return fmt.Errorf("%s: %w", tokPath, err)
				}
				opts.Tokenizer = b
			} else if c.String("tokenizer") != "" {
				return fmt.Errorf("--tokenizer: %w", err)
			} else {
				fmt.Fprintf(cmdErr(c), "warning: %s has no tokenizer.model; converting without one (pass --tokenizer FILE to embed one)\n", in)
			}
			vqPath := c.String("vqvae")
			if vqPath == "" {
				vqPath = filepath.Join(in, "vae-oid.npz")
			}
			if b, err := os.ReadFile(vqPath); err == nil {
				if _, err := vqvae.DecoderFromBytes(b); err != nil {
					return fmt.Errorf("%s: not a usable segmentation decoder: %w", vqPath, err)
				}
				opts.VQVAE = b
			} else if c.String("vqvae") != "" {
				return fmt.Errorf("--vqvae: %w", err)
			}
			var copyMBs float64
			if c.Bool("copy-baseline") {
				if copyMBs, err = copyBaseline(in, out); err != nil {
					return err
				}
			}
			defer removeOnInterrupt(c, out)()
			rep, err := convert.Convert(out, cfg, ck, opts)
			if err != nil {
				return err
			}
			if err := printReportCopy(c, rep, out, copyMBs); err != nil {
				return err
			}
			writeHint(c, runHint(out))
			return nil
		},
	}
}

func synthCommand() *cli.Command {
	return &cli.Command{
		Name:  "synth",
		Usage: "write a model with random, trained-looking weights (no download needed)",
		UsageText: "pgedge synth --preset pg2-3b-224 --out model.pge [--weights int8|int4|bf16|f32] [--seed N]\n" +
			"pgedge synth --preset pg2-tiny --hf --out DIR",
		Description: "Generates every tensor of a preset from a seed: per-row log-normal scales, heavy tails and a few\n" +
			"outlier input channels, so that quantization and speed can be measured at real size. The same seed\n" +
			"and preset give the same weights whatever --weights is, so an int8 and an f32 synth are the same\n" +
			"model. A tokenizer with the real PaliGemma special ids (<loc>/<seg> pieces included) is generated\n" +
			"and embedded. The answers are random text: this is for measuring, not for captions.\n\n" +
			"With --hf, writes a Hugging Face directory (config.json, model.safetensors in F32, tokenizer.model)\n" +
			"instead, to try `pgedge convert` on. The tiny presets are a few MB; the released sizes take minutes\n" +
			"and as much disk as the real model.\n\n" +
			"Presets: " + strings.Join(model.PresetNames(), ", "),
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "preset", Required: true, Usage: "model shape, e.g. pg2-3b-224, pg1-tiny or pg2-tiny (all listed under Presets above)"},
			&cli.StringFlag{Name: "out", Required: true, Usage: "output .pge file (written atomically), or a directory with --hf"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed"},
			&cli.BoolFlag{Name: "hf", Usage: "write a Hugging Face directory (config.json, model.safetensors in F32, tokenizer.model) instead of a .pge file; --weights does not apply"},
			&cli.BoolFlag{Name: "json", Usage: "print the conversion summary as one JSON object instead of the table"},
		}, weightFlags()...),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("unexpected argument %q", c.Args().First())
			}
			cfg, err := model.Preset(c.String("preset"))
			if err != nil {
				return err
			}
			syn := convert.NewSynthetic(cfg, c.Uint64("seed"))
			tok, err := tokenizer.Synthesize(tokenizer.SynthOptions{VocabSize: cfg.Text.VocabSize, ImageToken: cfg.ImageTokenIndex})
			if err != nil {
				return err
			}
			out := c.String("out")
			if c.Bool("hf") {
				if err := writeHFDir(c, out, cfg, syn, tok); err != nil {
					return err
				}
				fmt.Fprintf(cmdOut(c), "convert with: pgedge convert --in %s --out %s --weights int8\n",
					shellQuote(out), shellQuote(filepath.Clean(out)+".pge"))
				return nil
			}
			pol, err := policyFromFlags(c)
			if err != nil {
				return err
			}
			defer removeOnInterrupt(c, out)()
			rep, err := convert.Convert(out, cfg, syn, convert.Options{Policy: pol, Tokenizer: tok, Threads: c.Int("threads"),
				Source: fmt.Sprintf("synthetic %s seed %d", c.String("preset"), c.Uint64("seed")), Progress: progress("generating")})
			if err != nil {
				return err
			}
			if err := printReport(c, rep, out); err != nil {
				return err
			}
			writeHint(c, runHint(out))
			return nil
		},
	}
}

// writeHFDir writes a synthetic model as a Hugging Face checkpoint directory (F32).
func writeHFDir(c *cli.Context, dir string, cfg *model.Config, syn *convert.Synthetic, tok []byte) error {
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
	fmt.Fprintf(cmdOut(c), "wrote %s\n", dir)
	return nil
}

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "show what a .pge file holds",
		UsageText: "pgedge inspect [--json] FILE",
		Description: "Prints the model configuration, the embedded tokenizer and segmentation decoder, every tensor\n" +
			"with its storage type, shape, offset and size, and totals per type. Opening the file validates its\n" +
			"structure; `pgedge verify` also checks the checksums of all the data.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print as one JSON object"}},
		Action: func(c *cli.Context) error {
			file, asJSON, err := fileArg(c, "inspect")
			if err != nil {
				return err
			}
			p, err := model.OpenPGE(file)
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
			}{File: file, Version: p.File.Version(), Size: p.File.Size(), Config: p.Meta.Config,
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
			if asJSON {
				enc := json.NewEncoder(cmdOut(c))
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			cfg := out.Config
			fmt.Fprintf(cmdOut(c), "file       %s (%d bytes, format version %d)\n", out.File, out.Size, out.Version)
			fmt.Fprintf(cmdOut(c), "model      %s: text %d wide, %d layers, %d/%d heads; vision %d px, %d image tokens\n", cfg.Family,
				cfg.Text.Hidden, cfg.Text.Layers, cfg.Text.Heads, cfg.Text.KVHeads, cfg.Vision.ImageSize, cfg.NumImageTokens())
			fmt.Fprintf(cmdOut(c), "tokenizer  %d bytes, %d pieces\n", out.TokenizerBytes, out.TokenizerPieces)
			if out.VQVAEBytes > 0 {
				fmt.Fprintf(cmdOut(c), "vqvae      %d bytes\n", out.VQVAEBytes)
			}
			if out.Source != "" {
				fmt.Fprintf(cmdOut(c), "source     %s\n", out.Source)
			}
			tw := tabwriter.NewWriter(cmdOut(c), 0, 0, 2, ' ', 0)
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
		Description: "Validates the file's structure and its tensors against the model configuration, then reads\n" +
			"all of it and checks the checksum of every tensor and blob and that all padding is zero. Exits\n" +
			"with status 1 and names the first damaged part if anything is wrong.",
		Action: func(c *cli.Context) error {
			file, _, err := fileArg(c, "verify")
			if err != nil {
				return err
			}
			p, err := model.OpenPGE(file)
			if err != nil {
				return err
			}
			defer p.Close()
			if err := p.File.Verify(); err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			fmt.Fprintf(cmdOut(c), "%s: %d tensors, %d blobs, all checksums match\n", file, len(p.File.Tensors()), len(p.File.Blobs()))
			return nil
		},
	}
}

// fileArg returns the one FILE argument of inspect and verify. urfave/cli stops
// reading flags at the first argument, so a --json written after FILE arrives here
// as an argument and is honoured.
func fileArg(c *cli.Context, cmd string) (file string, asJSON bool, err error) {
	asJSON = c.Bool("json")
	var files []string
	for _, a := range c.Args().Slice() {
		if (a == "--json" || a == "-json") && cmd == "inspect" {
			asJSON = true
			continue
		}
		files = append(files, a)
	}
	if len(files) != 1 {
		return "", false, fmt.Errorf("%s needs one .pge file, got %d arguments (usage: %s)", cmd, len(files), c.Command.UsageText)
	}
	return files[0], asJSON, nil
}
