package bench

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestLogSoftmax(t *testing.T) {
	// [0, 0] is uniform: log ½ each. Large logits must not overflow (max-subtraction).
	lp := LogSoftmax([]float32{0, 0})
	if !near(lp[0], -math.Ln2, 1e-15) || !near(lp[1], -math.Ln2, 1e-15) {
		t.Errorf("LogSoftmax([0 0]) = %v", lp)
	}
	lp = LogSoftmax([]float32{1000, 1000, float32(math.Inf(-1))}) // exp(1000) overflows float64
	if !near(lp[0], -math.Ln2, 1e-12) || !math.IsInf(lp[2], -1) {
		t.Errorf("LogSoftmax(huge) = %v", lp)
	}
}

func TestKLIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	row := make([]float32, 1000)
	for i := range row {
		row[i] = float32(rng.NormFloat64() * 10)
	}
	row[5] = float32(math.Inf(-1)) // a masked entry in both rows
	if kl := KL(row, row); kl != 0 {
		t.Errorf("KL(row, row) = %g, want exactly 0", kl)
	}
	// A constant shift of every logit leaves the distribution unchanged.
	shifted := make([]float32, len(row))
	for i, x := range row {
		shifted[i] = x + 3
	}
	if kl := KL(row, shifted); kl > 1e-12 {
		t.Errorf("KL(row, row+3) = %g, want ~0", kl)
	}
}

func TestKLByHand(t *testing.T) {
	// P = (½, ½). Q from logits [0, 1] is (1/(1+e), e/(1+e)).
	// KL = ½ln(½(1+e)) + ½ln(½(1+e)/e) = ln((1+e)/2) − ½ = 0.12011561...
	want := math.Log((1+math.E)/2) - 0.5
	if got := KL([]float32{0, 0}, []float32{0, 1}); !near(got, want, 1e-12) {
		t.Errorf("KL two-token = %.15f, want %.15f", got, want)
	}
	// Q = (¼, ¾) from logits [0, ln 3]: KL = ½ln 2 + ½ln(⅔) = ½ln(4/3) = 0.14384103...
	// (ln 3 rounded to float32 costs ~1e-8.)
	if got := KL([]float32{0, 0}, []float32{0, float32(math.Log(3))}); !near(got, 0.5*math.Log(4.0/3), 1e-7) {
		t.Errorf("KL(½½‖¼¾) = %.10f, want %.10f", got, 0.5*math.Log(4.0/3))
	}
	// KL is not symmetric: KL(¼¾‖½½) = ¼ln(½) + ¾ln(3/2) = 0.13081203...
	if got := KL([]float32{0, float32(math.Log(3))}, []float32{0, 0}); !near(got, 0.25*math.Log(0.5)+0.75*math.Log(1.5), 1e-7) {
		t.Errorf("KL(¼¾‖½½) = %.10f", got)
	}
	// The test model ruling out a token the reference can emit: infinite divergence.
	if got := KL([]float32{0, 0}, []float32{0, float32(math.Inf(-1))}); !math.IsInf(got, 1) {
		t.Errorf("KL with q=0 where p>0 = %v, want +Inf", got)
	}
	kls := KLRows([][]float32{{0, 0}, {1, 1}}, [][]float32{{0, 1}, {1, 1}})
	if len(kls) != 2 || !near(kls[0], want, 1e-12) || kls[1] != 0 {
		t.Errorf("KLRows = %v", kls)
	}
}

func TestArgmaxAndAgreement(t *testing.T) {
	if Argmax([]float32{1, 3, 3, 2}) != 1 {
		t.Error("Argmax ties should go to the lowest index, as the greedy sampler does")
	}
	if Argmax(nil) != -1 {
		t.Error("Argmax(nil) should be -1")
	}
	ref := [][]float32{{0, 1, 0}, {2, 0, 0}, {0, 0, 5}, {1, 1, 0}}
	test := [][]float32{{0, 2, 0}, {0, 3, 0}, {0, 0, 4}, {1, 2, 1}}
	// Agree at 0 and 2; disagree at 1 (0 vs 1) and 3 (0 vs 1).
	if got := Top1Agreement(ref, test); got != 0.5 {
		t.Errorf("Top1Agreement = %v, want 0.5", got)
	}
	if got := Top1Agreement(ref, ref); got != 1 {
		t.Errorf("self agreement = %v", got)
	}
}

func TestPerplexity(t *testing.T) {
	// Uniform over 2: ppl 2 whatever the target.
	if got := Perplexity([][]float32{{0, 0}}, []int{1}); !near(got, 2, 1e-12) {
		t.Errorf("uniform-2 ppl = %v", got)
	}
	// Uniform over V: ppl V.
	row := make([]float32, 257)
	if got := Perplexity([][]float32{row, row, row}, []int{0, 100, 256}); !near(got, 257, 1e-9) {
		t.Errorf("uniform-257 ppl = %v", got)
	}
	// p = ½ then ¾: mean NLL = (ln 2 + ln 4/3)/2 = ½ln(8/3), ppl = √(8/3) = 1.63299...
	got := Perplexity([][]float32{{0, 0}, {0, float32(math.Log(3))}}, []int{0, 1})
	if !near(got, math.Sqrt(8.0/3), 1e-7) {
		t.Errorf("ppl = %v, want %v", got, math.Sqrt(8.0/3))
	}
	if !math.IsNaN(Perplexity(nil, nil)) {
		t.Error("Perplexity of nothing should be NaN")
	}
}

func TestGreedyMatchRate(t *testing.T) {
	ref := [][]int{{1, 2, 3}, {4, 5}, {6}, {}}
	test := [][]int{{1, 2, 3}, {4, 6}, {6, 7}, {}}
	if got := GreedyMatchRate(ref, test); got != 0.5 {
		t.Errorf("GreedyMatchRate = %v, want 0.5", got)
	}
}

func TestIoU(t *testing.T) {
	a := Box{XMin: 0, YMin: 0, XMax: 2, YMax: 2}
	for _, c := range []struct {
		name string
		b    Box
		want float64
	}{
		{"identical", a, 1},
		{"half overlap", Box{XMin: 1, YMin: 0, XMax: 3, YMax: 2}, 2.0 / 6}, // inter 2, union 4+4-2
		{"quarter inside", Box{XMin: 0, YMin: 0, XMax: 1, YMax: 1}, 0.25},
		{"corner touch", Box{XMin: 2, YMin: 2, XMax: 3, YMax: 3}, 0},
		{"disjoint", Box{XMin: 5, YMin: 5, XMax: 6, YMax: 6}, 0},
		{"corner overlap", Box{XMin: 1, YMin: 1, XMax: 3, YMax: 3}, 1.0 / 7}, // inter 1, union 7
		{"inverted is empty", Box{XMin: 2, YMin: 2, XMax: 0, YMax: 0}, 0},
	} {
		if got := IoU(a, c.b); !near(got, c.want, 1e-15) {
			t.Errorf("%s: IoU = %v, want %v", c.name, got, c.want)
		}
		if got := IoU(c.b, a); !near(got, c.want, 1e-15) {
			t.Errorf("%s: IoU not symmetric: %v", c.name, got)
		}
	}
	line := Box{XMin: 1, YMin: 1, XMax: 1, YMax: 4}
	if IoU(line, line) != 1 || IoU(line, Box{XMin: 2, YMin: 1, XMax: 2, YMax: 4}) != 0 {
		t.Error("degenerate boxes: identical should be 1, different 0")
	}
}

func TestMeanMatchedIoU(t *testing.T) {
	if MeanMatchedIoU(nil, nil) != nil {
		t.Error("no boxes on either side should give nil (JSON null)")
	}
	a := Box{XMin: 0, YMin: 0, XMax: 2, YMax: 2}
	b := Box{XMin: 10, YMin: 10, XMax: 12, YMax: 12}
	bShift := Box{XMin: 11, YMin: 10, XMax: 13, YMax: 12} // IoU 1/3 with b
	// Greedy must pair each test box with its own reference box, whatever the order.
	got := MeanMatchedIoU([]Box{a, b}, []Box{bShift, a})
	if got == nil || !near(*got, (1+1.0/3)/2, 1e-15) {
		t.Errorf("matched mean = %v, want %v", deref(got), (1+1.0/3)/2)
	}
	// A missed box counts 0: one perfect match out of two reference boxes.
	if got := MeanMatchedIoU([]Box{a, b}, []Box{a}); got == nil || *got != 0.5 {
		t.Errorf("missed box: %v, want 0.5", deref(got))
	}
	// An invented box counts 0 too.
	if got := MeanMatchedIoU([]Box{a}, []Box{a, b}); got == nil || *got != 0.5 {
		t.Errorf("extra box: %v, want 0.5", deref(got))
	}
	// The reference found a box, the model none: 0, not null.
	if got := MeanMatchedIoU([]Box{a}, nil); got == nil || *got != 0 {
		t.Errorf("no test boxes: %v, want 0", deref(got))
	}
	// Labels must agree to match.
	cat, dog := a, a
	cat.Label, dog.Label = "cat", "dog"
	if got := MeanMatchedIoU([]Box{cat}, []Box{dog}); got == nil || *got != 0 {
		t.Errorf("different labels: %v, want 0", deref(got))
	}
	// Greedy takes the best pair first: r0 overlaps t0 a little (1/7) and equals t1; r1
	// equals t0. Greedy pairs r0–t1 and r1–t0 (mean 1); pairing in index order would
	// take r0–t0 first and score 1/7.
	r0 := Box{XMin: 0, YMin: 0, XMax: 4, YMax: 4}
	r1 := Box{XMin: 3, YMin: 0, XMax: 7, YMax: 4}
	t0 := Box{XMin: 3, YMin: 0, XMax: 7, YMax: 4}
	if got := MeanMatchedIoU([]Box{r0, r1}, []Box{t0, r0}); got == nil || *got != 1 {
		t.Errorf("greedy order: %v, want 1", deref(got))
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestEvalSelfIsPerfect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rows := make([][]float32, 20)
	targets := make([]int, len(rows))
	for i := range rows {
		rows[i] = make([]float32, 300)
		for j := range rows[i] {
			rows[i][j] = float32(rng.NormFloat64() * 4)
		}
		targets[i] = Argmax(rows[i])
	}
	e := NewEval(0)
	if err := e.AddPositions(rows, rows, targets); err != nil {
		t.Fatal(err)
	}
	e.AddGreedy([]int{1, 2, 3}, []int{1, 2, 3})
	e.AddBoxes([]Box{{XMin: 1, YMin: 1, XMax: 5, YMax: 5}}, []Box{{XMin: 1, YMin: 1, XMax: 5, YMax: 5}})
	r, err := e.Report()
	if err != nil {
		t.Fatal(err)
	}
	if r.KLMean != 0 || r.KLMax != 0 || r.Top1Agreement != 1 || r.GreedyMatchRate != 1 || r.PPLRef != r.PPLModel {
		t.Errorf("self eval is not perfect: %+v", r)
	}
	if r.BoxIoUMean == nil || *r.BoxIoUMean != 1 || r.NPositions != 20 || r.NSequences != 1 {
		t.Errorf("self eval: %+v", r)
	}
	if want := Perplexity(rows, targets); !near(r.PPLRef, want, 1e-12) {
		t.Errorf("pooled ppl %v, Perplexity %v", r.PPLRef, want)
	}
}

func TestEvalByHand(t *testing.T) {
	e := NewEval(2) // third entry is padding and must be ignored
	ref := [][]float32{{0, 0, 99}, {1, 1, -99}}
	test := [][]float32{{0, 1, -99}, {1, 1, 99}}
	if err := e.AddPositions(ref, test, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	e.AddGreedy([]int{1}, []int{1})
	e.AddGreedy([]int{1}, []int{2})
	r, err := e.Report()
	if err != nil {
		t.Fatal(err)
	}
	kl0 := math.Log((1+math.E)/2) - 0.5
	if !near(r.KLMean, kl0/2, 1e-12) || !near(r.KLMax, kl0, 1e-12) {
		t.Errorf("KL mean/max = %v/%v, want %v/%v", r.KLMean, r.KLMax, kl0/2, kl0)
	}
	// Position 0: argmax 0 vs 1; position 1: 0 vs 0.
	if r.Top1Agreement != 0.5 || r.GreedyMatchRate != 0.5 {
		t.Errorf("agreement %v, greedy %v", r.Top1Agreement, r.GreedyMatchRate)
	}
	// Reference: p(target) = ½ twice → ppl 2. Test: 1/(1+e) then ½.
	if !near(r.PPLRef, 2, 1e-12) {
		t.Errorf("ppl_ref = %v", r.PPLRef)
	}
	if want := math.Exp((math.Log(1+math.E) + math.Ln2) / 2); !near(r.PPLModel, want, 1e-12) {
		t.Errorf("ppl_model = %v, want %v", r.PPLModel, want)
	}
	if r.BoxIoUMean != nil {
		t.Error("no boxes were added: box_iou_mean should be nil")
	}
}

func TestEvalRejects(t *testing.T) {
	nan := float32(math.NaN())
	ninf := float32(math.Inf(-1))
	for _, c := range []struct {
		name      string
		ref, test [][]float32
		targets   []int
		msg       string
	}{
		{"shape", [][]float32{{0, 0}}, [][]float32{{0, 0}, {0, 0}}, []int{0}, "rows"},
		{"width", [][]float32{{0, 0}}, [][]float32{{0, 0, 0}}, []int{0}, "entries"},
		{"target", [][]float32{{0, 0}}, [][]float32{{0, 0}}, []int{2}, "target"},
		{"nan", [][]float32{{0, 0}}, [][]float32{{nan, 0}}, []int{0}, "NaN"},
		{"all masked", [][]float32{{ninf, ninf}}, [][]float32{{0, 0}}, []int{0}, "all"},
		{"infinite KL", [][]float32{{0, 0}}, [][]float32{{0, ninf}}, []int{0}, "probability 0"},
	} {
		e := NewEval(0)
		err := e.AddPositions(c.ref, c.test, c.targets)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.msg)
		}
		if e.n != 0 {
			t.Errorf("%s: a rejected batch was partly added", c.name)
		}
	}
	if _, err := NewEval(0).Report(); err == nil {
		t.Error("an empty eval must not report")
	}
}
