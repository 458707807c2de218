package bench

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Accuracy metrics for `pgedge eval`: a quantized model against its bf16/f32 reference on
// the same inputs with teacher forcing (both models are fed the reference's tokens, so
// position i of both runs predicts the same next token and the rows are comparable even
// after the models' own choices would have diverged).
//
// A logits row is the unnormalised next-token scores at one position, as the runtime's
// output projection produces them. Everything is computed in float64 from the float32
// rows: a 257k-entry sum of exponentials in float32 loses the small differences that KL
// is meant to show.

// LogSoftmax returns the log-probabilities of a logits row, in float64. The maximum is
// subtracted before exponentiating so that large logits cannot overflow exp; −Inf logits
// (masked entries) get log-probability −Inf.
func LogSoftmax(row []float32) []float64 {
	return logSoftmaxInto(make([]float64, len(row)), row)
}

func logSoftmaxInto(dst []float64, row []float32) []float64 {
	dst = dst[:len(row)]
	m := math.Inf(-1)
	for _, x := range row {
		m = max(m, float64(x))
	}
	var s float64
	for _, x := range row {
		s += math.Exp(float64(x) - m)
	}
	lse := m + math.Log(s)
	for i, x := range row {
		dst[i] = float64(x) - lse
	}
	return dst
}

// KL returns KL(P_ref ‖ P_test) = Σ p_ref·(log p_ref − log p_test) in nats for one position:
// the expected extra surprise of the test model on tokens the reference would emit. It is
// 0 exactly for identical rows (the two log-softmaxes are then bit-identical), +Inf when
// the test model gives probability 0 to a token the reference can emit, and NaN for NaN
// inputs. It panics when the rows differ in length, a caller's bug.
func KL(ref, test []float32) float64 {
	if len(ref) != len(test) {
		panic(fmt.Sprintf("bench: KL of rows of different lengths (%d, %d)", len(ref), len(test)))
	}
	return klLogProbs(LogSoftmax(ref), LogSoftmax(test))
}

// klLogProbs is KL from log-probabilities.
func klLogProbs(lp, lq []float64) float64 {
	var kl float64
	for i, a := range lp {
		if math.IsInf(a, -1) {
			continue // p = 0 contributes 0, not 0·(−Inf − x) = NaN
		}
		kl += math.Exp(a) * (a - lq[i])
	}
	// KL ≥ 0 in exact arithmetic; rows that differ in the last bits can sum to −1e-17.
	// Clamping keeps kl_max and the gate's "lower is better" free of negative noise.
	if kl < 0 {
		kl = 0
	}
	return kl
}

// KLRows returns KL(P_ref ‖ P_test) for every position (row) of two logits matrices.
func KLRows(ref, test [][]float32) []float64 {
	if len(ref) != len(test) {
		panic(fmt.Sprintf("bench: KLRows of %d and %d positions", len(ref), len(test)))
	}
	out := make([]float64, len(ref))
	for i := range ref {
		out[i] = KL(ref[i], test[i])
	}
	return out
}

// Argmax returns the index of the largest entry, the lowest index on ties: the same
// choice as the runtime's greedy sampler, so "top-1 agreement" and "greedy match" agree
// with what `pgedge run` would emit. It returns -1 for an empty row.
func Argmax(row []float32) int {
	if len(row) == 0 {
		return -1
	}
	best := 0
	for i, v := range row {
		if v > row[best] {
			best = i
		}
	}
	return best
}

// Top1Agreement returns the fraction of positions where both models' most likely next
// token is the same (NaN for no positions).
func Top1Agreement(ref, test [][]float32) float64 {
	if len(ref) != len(test) {
		panic(fmt.Sprintf("bench: Top1Agreement of %d and %d positions", len(ref), len(test)))
	}
	if len(ref) == 0 {
		return math.NaN()
	}
	same := 0
	for i := range ref {
		if Argmax(ref[i]) == Argmax(test[i]) {
			same++
		}
	}
	return float64(same) / float64(len(ref))
}

// Perplexity of a token sequence under a model: exp of the mean negative log-likelihood,
// where rows[i] is the model's logits row that predicts targets[i]. A model that is
// certain and right scores 1; a uniform model over V tokens scores V. NaN for no
// positions; it panics on mismatched lengths or a target outside the row.
func Perplexity(rows [][]float32, targets []int) float64 {
	if len(rows) != len(targets) {
		panic(fmt.Sprintf("bench: Perplexity of %d rows and %d targets", len(rows), len(targets)))
	}
	if len(rows) == 0 {
		return math.NaN()
	}
	var nll float64
	for i, row := range rows {
		nll -= LogSoftmax(row)[targets[i]]
	}
	return math.Exp(nll / float64(len(rows)))
}

// GreedyMatchRate returns the fraction of prompts whose greedy outputs (token ids, as
// generated until the stop token or the length limit) are identical. It is the strictest
// user-visible measure: one flipped token early on changes everything after it.
func GreedyMatchRate(ref, test [][]int) float64 {
	if len(ref) != len(test) {
		panic(fmt.Sprintf("bench: GreedyMatchRate of %d and %d outputs", len(ref), len(test)))
	}
	if len(ref) == 0 {
		return math.NaN()
	}
	same := 0
	for i := range ref {
		if slices.Equal(ref[i], test[i]) {
			same++
		}
	}
	return float64(same) / float64(len(ref))
}

// Box is an axis-aligned box, as decoded from PaliGemma's <locYYYY> tokens (in pixels or
// normalised units; IoU does not care which, as long as both boxes use the same). Label,
// when set, restricts matching to boxes of the same label.
type Box struct {
	XMin  float64 `json:"xmin"`
	YMin  float64 `json:"ymin"`
	XMax  float64 `json:"xmax"`
	YMax  float64 `json:"ymax"`
	Label string  `json:"label,omitempty"`
}

func (b Box) area() float64 { return max(0, b.XMax-b.XMin) * max(0, b.YMax-b.YMin) }

// IoU returns the intersection over union of two boxes, in [0, 1]. Inverted extents count
// as empty. Two boxes with zero union (degenerate: a line or a point) score 1 when they
// have the same coordinates and 0 otherwise, so that a model evaluated against itself
// always gets 1 — PaliGemma's 1024 location bins do emit such boxes.
func IoU(a, b Box) float64 {
	iw := max(0, min(a.XMax, b.XMax)-max(a.XMin, b.XMin))
	ih := max(0, min(a.YMax, b.YMax)-max(a.YMin, b.YMin))
	inter := iw * ih
	union := a.area() + b.area() - inter
	if union <= 0 {
		if a.XMin == b.XMin && a.YMin == b.YMin && a.XMax == b.XMax && a.YMax == b.YMax {
			return 1
		}
		return 0
	}
	return inter / union
}

// matchBoxes pairs boxes greedily by best IoU: repeatedly take the unmatched (ref, test)
// pair with the highest IoU (> 0, same label), ties to the lowest indices. It returns the
// sum of the matched IoUs and the denominator max(len(ref), len(test)): every box left
// without a partner, on either side, counts as IoU 0, so a model that drops or invents a
// box scores lower than one that finds exactly the reference's boxes.
func matchBoxes(ref, test []Box) (sum float64, n int) {
	type pair struct {
		i, j int
		iou  float64
	}
	var pairs []pair
	for i, a := range ref {
		for j, b := range test {
			if a.Label != b.Label {
				continue
			}
			if v := IoU(a, b); v > 0 {
				pairs = append(pairs, pair{i, j, v})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int { return cmp.Compare(y.iou, x.iou) })
	usedR := make([]bool, len(ref))
	usedT := make([]bool, len(test))
	for _, p := range pairs {
		if usedR[p.i] || usedT[p.j] {
			continue
		}
		usedR[p.i], usedT[p.j] = true, true
		sum += p.iou
	}
	return sum, max(len(ref), len(test))
}

// MeanMatchedIoU returns the mean IoU of greedily matched boxes (see matchBoxes: unmatched
// boxes count as 0), or nil when neither side has a box — "no boxes" is not "IoU 0", and
// the JSON field is null in that case.
func MeanMatchedIoU(ref, test []Box) *float64 {
	sum, n := matchBoxes(ref, test)
	if n == 0 {
		return nil
	}
	v := sum / float64(n)
	return &v
}

// EvalReport is the output of `pgedge eval --json`. KL is in nats; rates and agreement
// are fractions in [0, 1]; perplexities are per token.
type EvalReport struct {
	// What was compared, filled by `pgedge eval` (absent when empty): the tested model's
	// preset and weight type (the baseline entry its accuracy is gated under), the
	// reference's weight type, and both paths as given.
	Preset     string `json:"preset,omitempty"`
	Weights    string `json:"weights,omitempty"`
	RefWeights string `json:"ref_weights,omitempty"`
	Model      string `json:"model,omitempty"`
	Ref        string `json:"ref,omitempty"`

	KLMean          float64  `json:"kl_mean"`
	KLMax           float64  `json:"kl_max"`
	Top1Agreement   float64  `json:"top1_agreement"`
	GreedyMatchRate float64  `json:"greedy_match_rate"`
	PPLRef          float64  `json:"ppl_ref"`
	PPLModel        float64  `json:"ppl_model"`
	BoxIoUMean      *float64 `json:"box_iou_mean"` // null when no sample produced boxes
	NPositions      int      `json:"n_positions"`
	NSequences      int      `json:"n_sequences"` // prompts behind greedy_match_rate
}

// Eval accumulates an evaluation over many prompts and images, so that the means are
// over all positions (not a mean of per-prompt means, which would overweight short
// answers) and perplexity is pooled per token.
type Eval struct {
	// Vocab, when > 0, compares only the first Vocab entries of every row: the output
	// matrix may carry padding rows beyond the tokenizer's vocabulary that the sampler
	// never picks, and their (arbitrary) logits must not count as disagreement.
	Vocab int

	n, top1         int
	klSum, klMax    float64
	nllRef, nllTest float64
	seqs, seqSame   int
	boxSum          float64
	boxN            int
	lp, lq          []float64
}

// NewEval returns an accumulator comparing the first vocab entries of each row (0: all).
func NewEval(vocab int) *Eval { return &Eval{Vocab: vocab} }

// AddPositions adds teacher-forced positions: ref[i] and test[i] are the two models'
// logits rows at position i, and targets[i] is the token that follows it — the
// reference's greedy continuation, whose perplexity under each model gives ppl_ref and
// ppl_model. It rejects mismatched shapes, targets outside the row, and rows holding NaN
// or +Inf or nothing but −Inf, which would make every mean meaningless (and unencodable
// as JSON); it also rejects an infinite KL, which means the test model rules out a token
// the reference can emit. Nothing is added when it returns an error.
func (e *Eval) AddPositions(ref, test [][]float32, targets []int) error {
	if len(ref) != len(test) || len(ref) != len(targets) {
		return fmt.Errorf("bench: eval: %d reference rows, %d test rows, %d targets", len(ref), len(test), len(targets))
	}
	type pos struct {
		kl              float64
		agree           bool
		nllRef, nllTest float64
	}
	got := make([]pos, len(ref))
	for i := range ref {
		r, t := e.trim(ref[i]), e.trim(test[i])
		if len(r) != len(t) || len(r) == 0 {
			return fmt.Errorf("bench: eval: position %d: rows of %d and %d entries", i, len(r), len(t))
		}
		if targets[i] < 0 || targets[i] >= len(r) {
			return fmt.Errorf("bench: eval: position %d: target %d outside a row of %d", i, targets[i], len(r))
		}
		if err := checkRow(r); err != nil {
			return fmt.Errorf("bench: eval: position %d: reference %w", i, err)
		}
		if err := checkRow(t); err != nil {
			return fmt.Errorf("bench: eval: position %d: test %w", i, err)
		}
		if cap(e.lp) < len(r) {
			e.lp, e.lq = make([]float64, len(r)), make([]float64, len(r))
		}
		lp, lq := logSoftmaxInto(e.lp, r), logSoftmaxInto(e.lq, t)
		kl := klLogProbs(lp, lq)
		if math.IsInf(kl, 0) || math.IsNaN(kl) {
			return fmt.Errorf("bench: eval: position %d: KL is %v (the test model gives probability 0 to a token the reference can emit)", i, kl)
		}
		got[i] = pos{kl: kl, agree: Argmax(r) == Argmax(t), nllRef: -lp[targets[i]], nllTest: -lq[targets[i]]}
	}
	for _, p := range got {
		e.n++
		e.klSum += p.kl
		e.klMax = max(e.klMax, p.kl)
		if p.agree {
			e.top1++
		}
		e.nllRef += p.nllRef
		e.nllTest += p.nllTest
	}
	return nil
}

func (e *Eval) trim(row []float32) []float32 {
	if e.Vocab > 0 && len(row) > e.Vocab {
		return row[:e.Vocab]
	}
	return row
}

// checkRow rejects rows that have no finite distribution. −Inf entries are fine (masked
// tokens); NaN and +Inf are a broken kernel.
func checkRow(row []float32) error {
	finite := false
	for j, x := range row {
		v := float64(x)
		if math.IsNaN(v) || math.IsInf(v, 1) {
			return fmt.Errorf("logit %d is %v", j, v)
		}
		if !math.IsInf(v, -1) {
			finite = true
		}
	}
	if !finite {
		return errors.New("row is all −Inf")
	}
	return nil
}

// AddGreedy adds one prompt's greedy outputs from both models (generated freely, not
// teacher-forced) for greedy_match_rate.
func (e *Eval) AddGreedy(ref, test []int) {
	e.seqs++
	if slices.Equal(ref, test) {
		e.seqSame++
	}
}

// AddBoxes adds one sample's decoded boxes from both models. Call it for every
// detection-style sample, also when one side found none (that counts as IoU 0); samples
// where neither side has a box change nothing.
func (e *Eval) AddBoxes(ref, test []Box) {
	s, n := matchBoxes(ref, test)
	e.boxSum += s
	e.boxN += n
}

// Report returns the accumulated metrics. It fails when no position or no greedy output
// was added, because kl_mean, ppl and greedy_match_rate would then be undefined (NaN,
// which JSON cannot carry) and an eval that measured nothing must not pass a gate.
func (e *Eval) Report() (EvalReport, error) {
	if e.n == 0 {
		return EvalReport{}, errors.New("bench: eval: no positions were added")
	}
	if e.seqs == 0 {
		return EvalReport{}, errors.New("bench: eval: no greedy outputs were added")
	}
	n := float64(e.n)
	r := EvalReport{
		KLMean:          e.klSum / n,
		KLMax:           e.klMax,
		Top1Agreement:   float64(e.top1) / n,
		GreedyMatchRate: float64(e.seqSame) / float64(e.seqs),
		PPLRef:          math.Exp(e.nllRef / n),
		PPLModel:        math.Exp(e.nllTest / n),
		NPositions:      e.n,
		NSequences:      e.seqs,
	}
	if e.boxN > 0 {
		v := e.boxSum / float64(e.boxN)
		r.BoxIoUMean = &v
	}
	return r, nil
}
