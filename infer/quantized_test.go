package infer

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/x448/float16"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/ggmlref"
	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
	"github.com/pgedge/pgedge/simd"
)

// convertCase writes a reference case as a .pge file with a policy and opens it.
func convertCase(t *testing.T, dir string, pol convert.Policy) *Model {
	t.Helper()
	return convertCaseFrom(t, dir, "model.safetensors", pol)
}

// convertCaseFrom is convertCase from the case's checkpoint file weights.
func convertCaseFrom(t *testing.T, dir, weights string, pol convert.Policy) *Model {
	t.Helper()
	return openConverted(t, convertCaseFile(t, dir, weights, pol))
}

// convertCaseFile converts the case's checkpoint file weights with a policy into a
// temporary .pge and returns its path.
func convertCaseFile(t *testing.T, dir, weights string, pol convert.Policy) string {
	t.Helper()
	cfg, err := model.LoadHFConfig(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	ck, err := model.OpenSafetensors(filepath.Join(dir, weights))
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	return convertSourceFile(t, cfg, ck, pol)
}

func prefillAll(t *testing.T, m *Model, in refInput) []float32 {
	t.Helper()
	s, err := m.NewSession(len(in.InputIDs))
	if err != nil {
		t.Fatal(err)
	}
	logits, err := s.Prefill(in.PixelValues, in.InputIDs, true)
	if err != nil {
		t.Fatal(err)
	}
	return logits
}

// TestPGEF32MatchesCheckpoint: a .pge converted with f32 weights gives bit-identical
// logits to running the Hugging Face checkpoint.
func TestPGEF32MatchesCheckpoint(t *testing.T) {
	cases, err := refset.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range cases {
		t.Run(rc.Name, func(t *testing.T) {
			ref := runCase(t, rc.Dir, "model.safetensors")
			m := convertCase(t, rc.Dir, convert.DefaultPolicy(quant.F32))
			got := prefillAll(t, m, ref.in)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(ref.logits[i]) {
					t.Fatalf("logit %d: %g from .pge, %g from the checkpoint", i, got[i], ref.logits[i])
				}
			}
		})
	}
}

// The quantized files are held to what llama.cpp's formats of the same size do to the
// same model: pgedge INT8 (8.5 bits) must not move the output distribution further
// from the reference than Q8_0 (8.5 bits) does, and INT4 (4.5 bits for the decoder)
// no further than Q4_0 (4.5 bits), measured as the mean KL divergence over every
// position of the case's prompt and klInputs−1 random prompts. Unlike a bound relative
// to bf16 rounding, this holds for any checkpoint, including one that is already bf16
// (each case runs twice: from its f32 weights and, where the set has them, from its
// bf16 weights as the checkpoint). Every confident position of every prompt must keep
// its top-1 token too.
//
// The reference is llama.cpp's as a whole (package ggmlref): its weight blocks, under
// pgedge's policy (every matrix Q8_0 for INT8; decoder matrices Q4_0 and the rest
// Q8_0 for INT4), multiplied with activations quantized as llama.cpp quantizes them
// (Q8_0 blocks: pgedge's codes, fp16 scales) in pgedge's integer kernels, which hold
// either block exactly. pgedge's own activation scales are float32: that is part of
// what is compared. The test also logs the reference with float32 activation scales
// and both on the float path (weights dequantized, activations unrounded).
//
// One quantized file's KL is one realization of the rounding noise, and on a tiny
// model whose soft-caps saturate it is a chaotic function of it: on pg2-small the KL of
// 8-bit weights is 0.6 nats (bf16 rounding alone: 0.07), and rounding the reference's
// activation scales to fp16 (≤ 2⁻¹¹ each) moves Q8_0's KL by up to 20%. So the test
// also measures each quantizer on reblockings re-blocked forms of the checkpoint (the
// same function with its dimensions renumbered, see reblocked: other weights share each
// 32-block, so another realization of the same quantizer) and logs the mean. Measured
// with 6 other prompt draws (INT8/Q8_0, mean of the checkpoint and 3 forms): pg1-small
// 0.87–0.91, its bf16 checkpoint 0.94–0.99; pg2-small 0.89–1.04, its bf16 checkpoint
// 0.93–1.04, single forms 0.80–1.23. pgedge Q8 has less squared error than Q8_0 in
// every block (TestQuantizedWeightError, 6% less RMS) — the scale search starts from
// Q8_0's own scale — but on the saturated pg2 cases that difference is within the
// realization spread of the model-level KL. So:
//   - INT8 ≤ Q8_0 and INT4 ≤ Q4_0 are required on the checkpoint as given (the issue's
//     test; it holds on every case shipped and on a bf16-native pg2 case, ratios
//     0.88–0.97), knowing that a new saturated case can miss it by a few percent
//     without INT8 being the worse quantizer;
//   - INT4 ≤ Q4_0 also on the mean over the forms (0.58–0.85: far outside the spread);
//   - INT8's mean over the forms is logged, not required (it was 1.02 on that bf16
//     pg2 case, with forms 0.97–1.08).

// llamaActs quantizes activations as llama.cpp's Q8_0 activation blocks do.
func llamaActs(x []float32, q []int8, scales []float32, sums []int32) {
	simd.QuantizeActs(x, q, scales, sums)
	ggmlref.RoundActScales(scales[:len(x)/quant.ActBlock])
}

// withActs runs f with the Q8/Q4 kernels' activations quantized by qa.
func withActs(qa func([]float32, []int8, []float32, []int32), f func() float64) float64 {
	defer func(old func([]float32, []int8, []float32, []int32)) { quantizeActs = old }(quantizeActs)
	quantizeActs = qa
	return f()
}

// dequantSource serves a .pge model with its Q8 and Q4 matrices decoded to F32, to
// run pgedge's weights on the float path.
type dequantSource struct{ model.Source }

func (d dequantSource) Close() error { return nil }

func (d dequantSource) Tensor(name string) (model.Tensor, bool) {
	t, ok := model.Lookup(d.Source, name)
	if !ok || (t.DType != quant.Q8 && t.DType != quant.Q4) {
		return t, ok
	}
	qt := quant.Q8
	if t.DType == quant.Q4 {
		qt = quant.Q4
	}
	rows := t.Shape[0]
	cols := t.Elems() / rows
	stored := quant.StoredCols(t.DType, cols)
	w := make([]float32, rows*stored)
	if err := quant.Dequantize(qt, t.Data, rows, stored, w); err != nil {
		return model.Tensor{}, false
	}
	data := make([]byte, 0, 4*rows*cols)
	for r := 0; r < rows; r++ {
		for _, v := range w[r*stored : r*stored+cols] {
			data = binary.LittleEndian.AppendUint32(data, math.Float32bits(v))
		}
	}
	return model.Tensor{Name: t.Name, DType: quant.F32, Shape: t.Shape, Data: data}, true
}

// sourceModel builds a model from src (closed when the test ends).
func sourceModel(t *testing.T, cfg *model.Config, src model.Source) *Model {
	t.Helper()
	m, err := New(cfg, src, Options{Threads: 2}, quant.F32, quant.BF16, quant.F16, quant.Q8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// klInputs is the number of prompts the KL comparisons average over: the case's own
// and klInputs−1 random ones of the same shape (random pixels in [−1, 1], random
// text ids below the image token), seeded by the case name. One prompt's KL depends
// on the particular rounding noise as much as on its size; more prompts average the
// former out.
const klInputs = 16

func klPrompts(name string, in refInput, imageToken int) []refInput {
	h := fnv.New64a()
	h.Write([]byte(name))
	rng := rand.New(rand.NewPCG(h.Sum64(), 1))
	out := []refInput{in}
	for k := 1; k < klInputs; k++ {
		r := refInput{InputIDs: slices.Clone(in.InputIDs), PixelValues: make([]float32, len(in.PixelValues))}
		for i := range r.PixelValues {
			r.PixelValues[i] = float32(2*rng.Float64() - 1)
		}
		for i, id := range r.InputIDs {
			if id != imageToken && i > 0 && in.InputIDs[i-1] != imageToken && i+1 < len(r.InputIDs) {
				r.InputIDs[i] = 3 + rng.IntN(imageToken-3) // the prompt's text, not <bos> or the final "\n"
			}
		}
		out = append(out, r)
	}
	return out
}

// promptsKL is the mean KL divergence from the reference logits over every position of
// every prompt. With strict, every confident position (confidentAgree) must keep its
// top-1 token.
func promptsKL(t *testing.T, what string, ref [][]float32, vocab int, m *Model, prompts []refInput, strict bool) float64 {
	t.Helper()
	var sum float64
	n, confident := 0, 0
	for k, in := range prompts {
		got := prefillAll(t, m, in)
		for i := 0; i < len(in.InputIDs); i++ {
			a, b := ref[k][i*vocab:(i+1)*vocab], got[i*vocab:(i+1)*vocab]
			sum += kl(a, b)
			n++
			if c, ok := confidentAgree(a, b); c && strict {
				confident++
				if !ok {
					t.Errorf("%s: prompt %d position %d: confident top-1 %d changed to %d", what, k, i, argmax(a), argmax(b))
				}
			}
		}
	}
	if strict {
		t.Logf("%s: %d of %d positions over %d prompts confident, all kept their top-1", what, confident, n, len(prompts))
	}
	return sum / float64(n)
}

// confidentAgree counts positions where the reference is confident — its top-2 margin
// exceeds 4× the largest logit change quantization made in that row — and how many of
// those keep the same top-1 token. Every confident position must agree.
func confidentAgree(ref, got []float32) (confident, agree bool) {
	var maxDelta float64
	for i := range ref {
		maxDelta = math.Max(maxDelta, math.Abs(float64(ref[i]-got[i])))
	}
	a := argmax(ref)
	second := math.Inf(-1)
	for i, v := range ref {
		if i != a {
			second = math.Max(second, float64(v))
		}
	}
	return float64(ref[a])-second > 4*maxDelta, argmax(got) == a
}

func logSoftmax(x []float32) []float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, float64(v))
	}
	var s float64
	for _, v := range x {
		s += math.Exp(float64(v) - m)
	}
	out := make([]float64, len(x))
	lse := m + math.Log(s)
	for i, v := range x {
		out[i] = float64(v) - lse
	}
	return out
}

func kl(p, q []float32) float64 {
	lp, lq := logSoftmax(p), logSoftmax(q)
	var k float64
	for i := range lp {
		k += math.Exp(lp[i]) * (lp[i] - lq[i])
	}
	return k
}

// klStats compares quantized logits with the reference over every prompt position:
// mean and max KL, top-1 agreement, and the confident positions (with strict, all
// must keep their top-1).
func klStats(t *testing.T, what string, ref *caseRun, got []float32, strict bool) (klMean, klMax float64, agree, confident int) {
	t.Helper()
	L := len(ref.in.InputIDs)
	var klSum float64
	for i := 0; i < L; i++ {
		a, b := ref.row(i), got[i*ref.vocab:(i+1)*ref.vocab]
		k := kl(a, b)
		klSum += k
		klMax = math.Max(klMax, k)
		if argmax(a) == argmax(b) {
			agree++
		}
		if c, ok := confidentAgree(a, b); c {
			confident++
			if !ok && strict {
				t.Errorf("%s: position %d: confident top-1 %d changed to %d", what, i, argmax(a), argmax(b))
			}
		}
	}
	return klSum / float64(L), klMax, agree, confident
}

// checkpoints lists the weights a case runs from: its f32 model.safetensors and, where
// the set has them, its bf16 weights (model.bf16.safetensors) taken as the checkpoint
// itself, as every released PaliGemma is.
func checkpoints(dir string) []string {
	out := []string{"model.safetensors"}
	if fileExists(filepath.Join(dir, "model.bf16.safetensors")) {
		out = append(out, "model.bf16.safetensors")
	}
	return out
}

func TestQuantized(t *testing.T) {
	cases, err := refset.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range cases {
		for _, weights := range checkpoints(rc.Dir) {
			name := rc.Name
			if weights != "model.safetensors" {
				name += "/bf16-checkpoint"
			}
			t.Run(name, func(t *testing.T) { testQuantizedCase(t, rc, weights) })
		}
	}
}

// reblockings is the number of re-blocked forms of each checkpoint (reblocked) that
// the KL comparison averages over besides the checkpoint itself.
const reblockings = 3

func testQuantizedCase(t *testing.T, rc refset.Case, weights string) {
	ref := runCase(t, rc.Dir, weights)
	L := len(ref.in.InputIDs)
	refGreedy := greedy(t, ref, 8)
	cfg, err := model.LoadHFConfig(filepath.Join(rc.Dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	ck, err := model.OpenSafetensors(filepath.Join(rc.Dir, weights))
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	prompts := klPrompts(rc.Name, ref.in, cfg.ImageTokenIndex)
	// Realization 0 is the checkpoint; the others are its re-blocked forms, each with
	// its own reference logits (the same function, to float32 rounding).
	srcs := []model.Source{ck}
	for k := 1; k <= reblockings; k++ {
		srcs = append(srcs, newReblocked(cfg, ck, uint64(k)))
	}
	refLogits := make([][][]float32, len(srcs))
	for k, src := range srcs {
		m := ref.m
		if k > 0 {
			m = sourceModel(t, cfg, src)
		}
		for _, in := range prompts {
			refLogits[k] = append(refLogits[k], prefillAll(t, m, in))
		}
	}
	for _, q := range []struct {
		name, ggml string
		dt         quant.Type
	}{{"bf16", "", quant.BF16}, {"int8", "Q8_0", quant.Q8}, {"int4", "Q4_0", quant.Q4}} {
		t.Run(q.name, func(t *testing.T) {
			m := convertCaseFrom(t, rc.Dir, weights, convert.DefaultPolicy(q.dt))
			got := prefillAll(t, m, ref.in)
			klMean, klMax, agree, confident := klStats(t, q.name, ref, got, true)
			qc := &caseRun{m: m, in: ref.in, vocab: ref.vocab}
			gen := greedy(t, qc, 8)
			same := 0
			for same < len(gen) && gen[same] == refGreedy[same] {
				same++
			}
			t.Logf("%s: KL mean %.4g max %.3g; top-1 agreement %d/%d (%d confident positions); greedy prefix agreement %d/8",
				q.name, klMean, klMax, agree, L, confident, same)
			if q.name == "bf16" {
				// bf16 conversion rounds to nearest even, as the oracle's
				// model.bf16.safetensors does: every matrix stored as BF16 must
				// hold exactly the oracle's bytes.
				if p := filepath.Join(rc.Dir, "model.bf16.safetensors"); fileExists(p) {
					checkBF16Bytes(t, m, p)
				}
				return
			}
			q4 := q.dt == quant.Q4
			var ours, llama []float64
			var sumOurs, sumLlama float64
			for k, src := range srcs {
				mk := m
				if k > 0 {
					mk = convertSource(t, cfg, src, convert.DefaultPolicy(q.dt))
				}
				llamaM := sourceModel(t, cfg, ggmlref.NewSource(cfg, src, q4, nil))
				o := promptsKL(t, fmt.Sprintf("%s, form %d", q.name, k), refLogits[k], ref.vocab, mk, prompts, true)
				l := withActs(llamaActs, func() float64 { return promptsKL(t, q.ggml, refLogits[k], ref.vocab, llamaM, prompts, false) })
				ours, llama = append(ours, o), append(llama, l)
				sumOurs, sumLlama = sumOurs+o, sumLlama+l
				if k > 0 {
					continue
				}
				// Diagnostics on the checkpoint itself: the reference with pgedge's
				// float32 activation scales, and both on the float path.
				llama32 := promptsKL(t, q.ggml, refLogits[0], ref.vocab, llamaM, prompts, false)
				oursF := promptsKL(t, "", refLogits[0], ref.vocab, sourceModel(t, cfg, dequantSource{m.src}), prompts, false)
				fl := ggmlref.NewSource(cfg, ck, q4, nil)
				fl.Float = true
				llamaF := promptsKL(t, "", refLogits[0], ref.vocab, sourceModel(t, cfg, fl), prompts, false)
				t.Logf("checkpoint as given, KL mean over %d prompts: %s %.4g, llama.cpp %s %.4g: ratio %.3f (%s with float32 activation scales %.4g: ratio %.3f; weights on the float path: %.4g, %.4g: ratio %.3f)",
					len(prompts), q.name, o, q.ggml, l, o/l, q.ggml, llama32, o/llama32, oursF, llamaF, oursF/llamaF)
			}
			ratios := make([]string, len(ours))
			for k := range ours {
				ratios[k] = fmt.Sprintf("%.3f", ours[k]/llama[k])
			}
			t.Logf("KL mean over the checkpoint and %d re-blocked forms: %s %.4g, llama.cpp %s %.4g: ratio %.3f (per form: %s)",
				reblockings, q.name, sumOurs/float64(len(ours)), q.ggml, sumLlama/float64(len(ours)), sumOurs/sumLlama, strings.Join(ratios, " "))
			if ours[0] > llama[0] {
				t.Errorf("%s: KL mean %.4g exceeds llama.cpp %s's %.4g on the checkpoint as given (ratio %.3f)",
					q.name, ours[0], q.ggml, llama[0], ours[0]/llama[0])
			}
			if q4 && sumOurs > sumLlama {
				t.Errorf("%s: KL mean %.4g over the re-blocked forms exceeds llama.cpp %s's %.4g (ratio %.3f)",
					q.name, sumOurs/float64(len(ours)), q.ggml, sumLlama/float64(len(ours)), sumOurs/sumLlama)
			}
		})
	}
}

// convertSource converts a model source with a policy and opens the .pge.
func convertSource(t *testing.T, cfg *model.Config, src model.Source, pol convert.Policy) *Model {
	t.Helper()
	return openConverted(t, convertSourceFile(t, cfg, src, pol))
}

// convertSourceFile converts a model source with a policy into a temporary .pge and
// returns its path.
func convertSourceFile(t *testing.T, cfg *model.Config, src model.Source, pol convert.Policy) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "m.pge")
	if _, err := convert.Convert(out, cfg, src, convert.Options{Policy: pol}); err != nil {
		t.Fatal(err)
	}
	return out
}

// openConverted opens a converted .pge with 2 threads, closed at the test's end.
func openConverted(t *testing.T, out string) *Model {
	t.Helper()
	m, err := Open(out, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func checkBF16Bytes(t *testing.T, m *Model, oracle string) {
	t.Helper()
	ck, err := model.OpenSafetensors(oracle)
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	n := 0
	for _, spec := range m.Config.TensorSpecs() {
		ours, ok := model.Lookup(m.src, spec.Name)
		if !ok || ours.DType != quant.BF16 {
			continue
		}
		want, _ := model.Lookup(ck, spec.Name)
		if string(ours.Data) != string(want.Data) {
			t.Errorf("%s: bf16 bytes differ from the oracle's rounding", spec.Name)
		}
		n++
	}
	if n == 0 {
		t.Error("no BF16 tensors to compare")
	}
}

// TestQuantizedWeightError compares the weights themselves, matrix by matrix, on every
// reference case and checkpoint: pgedge Q8 must have no more squared error than
// llama.cpp's Q8_0 in every single 32-weight block (its scale search starts from Q8_0's
// scale, amax/127 in fp16, with the codes rounded under the stored scale rather than
// the unrounded one), and pgedge Q4 less than Q4_0 over each matrix. Relative RMS errors
// are logged: these are what the model-level KL comparisons above rest on.
func TestQuantizedWeightError(t *testing.T) {
	cases, err := refset.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range cases {
		for _, weights := range checkpoints(rc.Dir) {
			name := rc.Name
			if weights != "model.safetensors" {
				name += "/bf16-checkpoint"
			}
			t.Run(name, func(t *testing.T) {
				cfg, err := model.LoadHFConfig(filepath.Join(rc.Dir, "config.json"))
				if err != nil {
					t.Fatal(err)
				}
				ck, err := model.OpenSafetensors(filepath.Join(rc.Dir, weights))
				if err != nil {
					t.Fatal(err)
				}
				defer ck.Close()
				var ss, e8, e80, e4, e40 float64
				worse, blocks := 0, 0
				for _, s := range cfg.TensorSpecs() {
					if len(s.Shape) < 2 {
						continue
					}
					tn, ok := model.Lookup(ck, s.Name)
					if !ok {
						continue
					}
					w, err := tn.Float32s(nil)
					if err != nil {
						t.Fatal(err)
					}
					rows := s.Shape[0]
					cols := len(w) / rows
					st8 := quant.StoredCols(quant.Q8, cols)
					x := make([]float32, rows*st8)
					for r := 0; r < rows; r++ {
						copy(x[r*st8:], w[r*cols:(r+1)*cols])
					}
					y := dequantRoundTrip(t, quant.Q8, x, rows, st8)
					for b := 0; b < len(x); b += ggmlref.Block {
						d, q := ggmlref.Q8_0(x[b : b+ggmlref.Block])
						df := float16.Frombits(d).Float32()
						var a, g float64
						for i := b; i < b+ggmlref.Block; i++ {
							ss += sq(x[i])
							a += sq(y[i] - x[i])
							g += sq(float32(q[i-b])*df - x[i])
						}
						e8, e80 = e8+a, e80+g
						blocks++
						if a > g {
							worse++
						}
					}
					if s.Class != model.ClassAttention && s.Class != model.ClassMLP {
						continue
					}
					st4 := quant.StoredCols(quant.Q4, cols)
					x4 := make([]float32, rows*st4)
					for r := 0; r < rows; r++ {
						copy(x4[r*st4:], w[r*cols:(r+1)*cols])
					}
					y4 := dequantRoundTrip(t, quant.Q4, x4, rows, st4)
					var a, g float64
					for b := 0; b < len(x4); b += ggmlref.Block {
						d, q := ggmlref.Q4_0(x4[b : b+ggmlref.Block])
						df := float16.Frombits(d).Float32()
						for i := b; i < b+ggmlref.Block; i++ {
							a += sq(y4[i] - x4[i])
							g += sq(float32(q[i-b])*df - x4[i])
						}
					}
					if a > g {
						t.Errorf("%s: pgedge Q4 squared error %.4g above Q4_0's %.4g", s.Name, a, g)
					}
					e4, e40 = e4+a, e40+g
				}
				t.Logf("relative RMS weight error, every matrix: pgedge Q8 %.5f, Q8_0 %.5f (%.3f); decoder matrices: pgedge Q4 %.4f, Q4_0 %.4f (of all matrices' norm)",
					math.Sqrt(e8/ss), math.Sqrt(e80/ss), math.Sqrt(e8/e80), math.Sqrt(e4/ss), math.Sqrt(e40/ss))
				if worse > 0 {
					t.Errorf("pgedge Q8 has more squared error than Q8_0 in %d of %d blocks", worse, blocks)
				}
			})
		}
	}
}

func sq(v float32) float64 { return float64(v) * float64(v) }

func dequantRoundTrip(t *testing.T, qt quant.Type, x []float32, rows, cols int) []float32 {
	t.Helper()
	b, err := quant.Quantize(qt, x, rows, cols, nil)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float32, len(x))
	if err := quant.Dequantize(qt, b, rows, cols, y); err != nil {
		t.Fatal(err)
	}
	return y
}

// reblocked serves a checkpoint's text decoder with its dimensions renumbered: the
// hidden dimension by ph, the MLP dimension by pi, and the dimensions of every value
// head by pd. The model computes the same function (up to float32 summation order):
// every hidden-sized vector, norm weight, embedding column and projector output is
// permuted alike, RMSNorm and the final h·Eᵀ are invariant, the MLP is elementwise in
// its dimension, and attention is elementwise in the value dimensions (query and key
// dimensions, which RoPE pairs, are left alone). But 32-weight blocks now gather other
// weights: the q, k, v, gate, up and embedding matrices are re-blocked by ph, down by
// pi, o by pd. Each such checkpoint is as good a model as the case's own, and a
// quantizer's rounding of it is another realization.
type reblocked struct {
	model.Source
	cfg        *model.Config
	ph, pi, pd []int
	cache      map[string]model.Tensor
}

func newReblocked(cfg *model.Config, src model.Source, seed uint64) *reblocked {
	rng := rand.New(rand.NewPCG(seed, 2))
	t := cfg.Text
	return &reblocked{Source: src, cfg: cfg, ph: rng.Perm(t.Hidden), pi: rng.Perm(t.Intermediate), pd: rng.Perm(t.HeadDim),
		cache: map[string]model.Tensor{}}
}

func (r *reblocked) Close() error { return nil }

func (r *reblocked) Tensor(name string) (model.Tensor, bool) {
	if t, ok := r.cache[name]; ok {
		return t, true
	}
	t, ok := model.Lookup(r.Source, name)
	if !ok || !strings.HasPrefix(name, "language_model.") && !strings.HasPrefix(name, "multi_modal_projector.") {
		return t, ok
	}
	w, err := t.Float32s(nil)
	if err != nil {
		return model.Tensor{}, false
	}
	hd := r.cfg.Text.HeadDim
	// heads maps a row or column index of heads×head_dim to its renumbered one.
	heads := func(i int) int { return i/hd*hd + r.pd[i%hd] }
	id := func(i int) int { return i }
	ph := func(i int) int { return r.ph[i] }
	pi := func(i int) int { return r.pi[i] }
	var rowP, colP func(int) int
	switch base := name[strings.LastIndex(strings.TrimSuffix(strings.TrimSuffix(name, ".weight"), ".bias"), ".")+1:]; {
	case strings.HasSuffix(name, "norm.weight") || name == "multi_modal_projector.linear.bias":
		rowP, colP = ph, id // vectors: one row
	case strings.HasPrefix(base, "embed_tokens") || strings.HasPrefix(base, "q_proj") || strings.HasPrefix(base, "k_proj"):
		rowP, colP = id, ph
	case strings.HasPrefix(base, "v_proj"):
		rowP, colP = heads, ph
	case strings.HasPrefix(base, "o_proj"):
		rowP, colP = ph, heads
	case strings.HasPrefix(base, "gate_proj") || strings.HasPrefix(base, "up_proj"):
		rowP, colP = pi, ph
	case strings.HasPrefix(base, "down_proj"):
		rowP, colP = ph, pi
	case name == "multi_modal_projector.linear.weight":
		rowP, colP = ph, id
	default:
		return t, ok
	}
	rows, cols := 1, len(w)
	if len(t.Shape) == 2 {
		rows, cols = t.Shape[0], t.Shape[1]
	}
	if rows == 1 {
		rowP, colP = id, rowP
	}
	out := make([]byte, 4*len(w))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			binary.LittleEndian.PutUint32(out[4*(rowP(i)*cols+colP(j)):], math.Float32bits(w[i*cols+j]))
		}
	}
	t = model.Tensor{Name: t.Name, DType: quant.F32, Shape: t.Shape, Data: out}
	r.cache[name] = t
	return t, true
}

// TestReblockedSameModel: a re-blocked checkpoint computes the same logits.
func TestReblockedSameModel(t *testing.T) {
	cases, err := refset.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range cases {
		t.Run(rc.Name, func(t *testing.T) {
			ref := runCase(t, rc.Dir, "model.safetensors")
			cfg, err := model.LoadHFConfig(filepath.Join(rc.Dir, "config.json"))
			if err != nil {
				t.Fatal(err)
			}
			ck, err := model.OpenSafetensors(filepath.Join(rc.Dir, "model.safetensors"))
			if err != nil {
				t.Fatal(err)
			}
			defer ck.Close()
			got := prefillAll(t, sourceModel(t, cfg, newReblocked(cfg, ck, 7)), ref.in)
			var worst float64
			for i := 0; i < len(ref.in.InputIDs); i++ {
				d, m := rowError(got[i*ref.vocab:(i+1)*ref.vocab], ref.row(i))
				worst = math.Max(worst, d/m)
			}
			t.Logf("re-blocked: largest logit change %.2g of the row's largest logit", worst)
			if worst > 1e-4 {
				t.Errorf("re-blocked model's logits differ by %.3g of the largest logit", worst)
			}
		})
	}
}
