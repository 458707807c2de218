// Command ggmlpge writes llama.cpp's Q8_0 or Q4_0 quantization of a model as a .pge
// file, so that `pgedge eval` can measure them beside pgedge's INT8 and INT4 on the
// same weights (bench/README.md, "Model-level accuracy at full size").
//
//	go run ./bench/ggmlpge --in model-f32.pge --format q8_0 --out model-q8_0.pge
//
// It applies package ggmlref's reference quantizers under pgedge's policies (q8_0:
// every matrix Q8_0, as pgedge INT8; q4_0: attention and MLP matrices Q4_0 and the
// rest Q8_0, as pgedge INT4) and stores the blocks in pgedge's Q8 format, which holds
// either exactly: the quantized weights are written decoded, and pgedge's Q8 encoder
// maps them back to the same weights, which the report checks: exactly for Q8_0
// (scale amax/127 = d, its first candidate); for Q4_0 through the sign-folded scale
// d/16, exact unless d/16 is an fp16 subnormal (blocks with |max| < 2⁻¹⁴·128 ≈ 7.8e-3),
// where it is off by up to 2⁻²⁵·128 ≈ 3.8e-6 (measured on the synthetic PaliGemma 2 3B:
// 3.6e-6 of the MLP weights' norm, 7.9e-7 of attention's, about 3·10⁻⁵ of Q4_0's own
// error). A re-encoding error above 10⁻⁵ of the norm fails the command. The model then runs with pgedge's
// int8 kernels and activations, which pgedge eval uses for both sides alike.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/ggmlref"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

func main() {
	in := flag.String("in", "", "source .pge (f32 or bf16 weights)")
	out := flag.String("out", "", "output .pge")
	format := flag.String("format", "q8_0", "q8_0 or q4_0")
	threads := flag.Int("threads", 0, "worker threads (0: all)")
	flag.Parse()
	if err := run(*in, *out, *format, *threads); err != nil {
		fmt.Fprintln(os.Stderr, "ggmlpge:", err)
		os.Exit(1)
	}
}

func run(in, out, format string, threads int) error {
	if format != "q8_0" && format != "q4_0" {
		return fmt.Errorf("--format %q: want q8_0 or q4_0", format)
	}
	p, err := model.OpenPGE(in)
	if err != nil {
		return err
	}
	defer p.Close()
	cfg := p.Meta.Config
	src := ggmlref.NewSource(&cfg, p, format == "q4_0", nil)
	src.Float = true
	opts := convert.Options{Policy: convert.DefaultPolicy(quant.Q8), Threads: threads,
		Source: fmt.Sprintf("llama.cpp %s (reference quantizer) of %s", format, p.Meta.Source)}
	if b, ok := p.Blob(model.BlobTokenizer); ok {
		opts.Tokenizer = b
	}
	if b, ok := p.Blob(model.BlobVQVAE); ok {
		opts.VQVAE = b
	}
	rep, err := convert.Convert(out, &cfg, src, opts)
	if err != nil {
		return err
	}
	var classes []string
	for c := range rep.Classes {
		classes = append(classes, c)
	}
	sort.Strings(classes)
	bad := 0
	for _, c := range classes {
		r := rep.Classes[c]
		fmt.Printf("%-10s %4d tensors %12d weights  re-encoding error %.3g (max %.3g)\n", c, r.Tensors, r.Params, r.RelRMSError, r.MaxAbsError)
		if r.RelRMSError > 1e-5 {
			bad++
		}
	}
	fmt.Printf("%s: %d bytes, %.1f s\n", out, rep.Bytes, rep.Seconds)
	if bad > 0 {
		return fmt.Errorf("%d classes are not held by pgedge Q8 to 1e-5", bad)
	}
	return nil
}
