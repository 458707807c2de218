package runtime

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/model"
)

// convertCase writes a reference case as a .pge file with a policy and opens it.
func convertCase(t *testing.T, dir string, pol convert.Policy) *Model {
	t.Helper()
	cfg, err := model.LoadHFConfig(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	ck, err := model.OpenSafetensors(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	out := filepath.Join(t.TempDir(), "m.pge")
	if _, err := convert.Convert(out, cfg, ck, convert.Options{Policy: pol}); err != nil {
		t.Fatal(err)
	}
	m, err := Open(out, Options{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
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
			m := convertCase(t, rc.Dir, convert.DefaultPolicy(model.F32))
			got := prefillAll(t, m, ref.in)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(ref.logits[i]) {
					t.Fatalf("logit %d: %g from .pge, %g from the checkpoint", i, got[i], ref.logits[i])
				}
			}
		})
	}
}

// The quantized files are held to bounds scaled by each case's own sensitivity to
// weight rounding, measured as the KL divergence that plain bf16 rounding of the
// weights causes (klBF16). A small random model can be very sensitive — in pg2-small,
// whose "warm" weights saturate both soft-caps, bf16 rounding alone moves the
// logits by up to 7 — so a fixed KL bound would be either vacuous for robust cases or
// unmeetable for sensitive ones. KL grows with the square of the weight error; the
// relative RMS weight errors are about 0.0017 (bf16), 0.005 (int8) and 0.065 (int4),
// i.e. 3× and 38× bf16's, so the bounds allow 20× and 3000× klBF16 (about 2× headroom),
// plus 1e-5 nats for cases where bf16 changes nothing.
var quantBounds = map[string]float64{"bf16": 1, "int8": 20, "int4": 3000}

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

func TestQuantized(t *testing.T) {
	cases, err := refset.Cases()
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range cases {
		t.Run(rc.Name, func(t *testing.T) {
			ref := runCase(t, rc.Dir, "model.safetensors")
			L := len(ref.in.InputIDs)
			refGreedy := greedy(t, ref, 8)
			var klBF16 float64
			for _, q := range []struct {
				name string
				dt   model.DType
			}{{"bf16", model.BF16}, {"int8", model.Q8}, {"int4", model.Q4}} {
				t.Run(q.name, func(t *testing.T) {
					m := convertCase(t, rc.Dir, convert.DefaultPolicy(q.dt))
					got := prefillAll(t, m, ref.in)
					var klSum, klMax float64
					agree, confident := 0, 0
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
							if !ok {
								t.Errorf("position %d: confident top-1 %d changed to %d", i, argmax(a), argmax(b))
							}
						}
					}
					qc := &caseRun{m: m, in: ref.in, vocab: ref.vocab}
					gen := greedy(t, qc, 8)
					same := 0
					for same < len(gen) && gen[same] == refGreedy[same] {
						same++
					}
					klMean := klSum / float64(L)
					if q.name == "bf16" {
						klBF16 = klMean
						// bf16 conversion rounds to nearest even, as the oracle's
						// model.bf16.safetensors does: every matrix stored as BF16 must
						// hold exactly the oracle's bytes.
						if p := filepath.Join(rc.Dir, "model.bf16.safetensors"); fileExists(p) {
							checkBF16Bytes(t, m, p)
						}
					}
					bound := quantBounds[q.name]*klBF16 + 1e-5
					t.Logf("%s: KL mean %.3g (bound %.3g) max %.3g; top-1 agreement %d/%d (%d confident positions, all kept); greedy prefix agreement %d/8",
						q.name, klMean, bound, klMax, agree, L, confident, same)
					if klMean > bound {
						t.Errorf("%s: KL mean %.3g exceeds %g × bf16's %.3g", q.name, klMean, quantBounds[q.name], klBF16)
					}
				})
			}
		})
	}
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
		if !ok || ours.DType != model.BF16 {
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
