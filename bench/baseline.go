package bench

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/pgedge/pgedge/internal/atomicfile"
)

// The regression gate. CI runs on whatever machine it is given, shared with others, so it
// compares only quantities that do not depend on the machine's speed: speed as a ratio of
// two things measured in the same run (fast kernels ÷ pure-Go kernels, extend GB/s ÷ the
// read probe) and accuracy against the reference (KL, agreement). Absolute tokens/s are
// reported but never gated.

// BaselineVersion is the schema version written to bench/baseline.json.
const BaselineVersion = 1

// Better says which direction of change is an improvement.
type Better string

const (
	HigherIsBetter Better = "higher" // speed ratios, agreement
	LowerIsBetter  Better = "lower"  // divergences
)

// Metric is one gated quantity with its tolerance. A change in the bad direction fails the
// gate when it exceeds max(Tolerance × |Value|, AbsTolerance): the relative part scales
// with the figure, and the absolute floor keeps a near-zero baseline (KL of f32 against
// itself) from turning any rounding difference into an "infinite" relative regression.
type Metric struct {
	Value        float64 `json:"value"`
	Better       Better  `json:"better"`
	Tolerance    float64 `json:"tolerance"`               // relative, 0.10 = 10%
	AbsTolerance float64 `json:"abs_tolerance,omitempty"` // absolute, in the metric's unit
}

// DefaultMetrics gives direction and tolerance for the metrics the gate knows (Value is
// unused). Speed ratios get 10%: both halves of a ratio see the same machine, but a shared
// host still drifts between them; raise a tolerance in baseline.json (Update keeps it)
// rather than here if CI proves noisier. Accuracy is deterministic for a given model and
// input set, so its tolerances only absorb summation-order differences between kernels
// and thread counts; kl_max is a single worst position and moves more than the mean.
var DefaultMetrics = map[string]Metric{
	"extend_bandwidth_fraction": {Better: HigherIsBetter, Tolerance: 0.10},
	"generic_speedup":           {Better: HigherIsBetter, Tolerance: 0.10},
	"gemm_peak_fraction":        {Better: HigherIsBetter, Tolerance: 0.10},
	"kl_mean":                   {Better: LowerIsBetter, Tolerance: 0.10, AbsTolerance: 1e-5},
	"kl_max":                    {Better: LowerIsBetter, Tolerance: 0.25, AbsTolerance: 1e-4},
	"top1_agreement":            {Better: HigherIsBetter, Tolerance: 0.02},
}

// BaselineEntry holds the metrics of one preset and weight type.
type BaselineEntry struct {
	Preset  string            `json:"preset"`
	Weights string            `json:"weights"`
	Metrics map[string]Metric `json:"metrics"`
}

// Baseline is bench/baseline.json. The same type carries the current run's figures into
// Compare, so a run is gated by building a Baseline from its reports and comparing.
type Baseline struct {
	Version int             `json:"version"`
	Comment string          `json:"comment,omitempty"` // free text: the command that produced it
	Entries []BaselineEntry `json:"entries"`
}

func (b *Baseline) entry(preset, weights string, create bool) *BaselineEntry {
	for i := range b.Entries {
		if e := &b.Entries[i]; e.Preset == preset && e.Weights == weights {
			return e
		}
	}
	if !create {
		return nil
	}
	b.Entries = append(b.Entries, BaselineEntry{Preset: preset, Weights: weights, Metrics: map[string]Metric{}})
	return &b.Entries[len(b.Entries)-1]
}

// Get returns a metric of preset/weights.
func (b *Baseline) Get(preset, weights, name string) (Metric, bool) {
	e := b.entry(preset, weights, false)
	if e == nil {
		return Metric{}, false
	}
	m, ok := e.Metrics[name]
	return m, ok
}

// SetMetric stores m under preset/weights/name, replacing any previous one.
func (b *Baseline) SetMetric(preset, weights, name string, m Metric) {
	e := b.entry(preset, weights, true)
	if e.Metrics == nil {
		e.Metrics = map[string]Metric{}
	}
	e.Metrics[name] = m
}

// Set stores value with the direction and tolerance of DefaultMetrics; it fails for a
// metric without defaults, whose direction would otherwise be a guess (use SetMetric).
func (b *Baseline) Set(preset, weights, name string, value float64) error {
	m, ok := DefaultMetrics[name]
	if !ok {
		return fmt.Errorf("bench: no default direction and tolerance for metric %q", name)
	}
	m.Value = value
	b.SetMetric(preset, weights, name, m)
	return nil
}

// RecordBench adds a bench report's gated speed figures: gemm_peak_fraction (the INT8
// GEMM against the register-only multiply-add loop) and generic_speedup (assembly
// against the pure-Go kernels), both ratios of two measurements of the same run.
// extend_bandwidth_fraction is reported but not gated: the presets CI can afford fit
// in cache, where a decode step is dominated by per-token overhead, and their fraction
// moved by 60% between runs on a shared host.
func (b *Baseline) RecordBench(r BenchReport) {
	if r.GemmPeakFraction != nil {
		_ = b.Set(r.Preset, r.Weights, "gemm_peak_fraction", *r.GemmPeakFraction)
	}
	if r.GenericSpeedup != nil {
		_ = b.Set(r.Preset, r.Weights, "generic_speedup", *r.GenericSpeedup)
	}
}

// RecordEval adds an eval report's accuracy figures for the tested model's preset and
// weight type: kl_mean, kl_max and top1_agreement. greedy_match_rate is left out on
// purpose: over the handful of prompts CI can afford, one flipped answer moves it by
// tens of percent, so it would gate on luck rather than on quality.
func (b *Baseline) RecordEval(preset, weights string, r EvalReport) {
	_ = b.Set(preset, weights, "kl_mean", r.KLMean)
	_ = b.Set(preset, weights, "kl_max", r.KLMax)
	_ = b.Set(preset, weights, "top1_agreement", r.Top1Agreement)
}

// Update takes the current run's values into the baseline (`pgedge bench
// --update-baseline`). A metric already in the baseline keeps its direction and
// tolerance, so a tolerance widened by hand survives updates; new metrics come in with
// the current run's. Metrics the current run did not measure are kept, so a partial run
// (bench without eval) does not erase the rest; remove a retired metric by hand.
func (b *Baseline) Update(cur Baseline) {
	b.Version = BaselineVersion
	if cur.Comment != "" {
		b.Comment = cur.Comment
	}
	for _, ce := range cur.Entries {
		for name, cm := range ce.Metrics {
			if old, ok := b.Get(ce.Preset, ce.Weights, name); ok {
				old.Value = cm.Value
				cm = old
			}
			b.SetMetric(ce.Preset, ce.Weights, name, cm)
		}
	}
	b.sort()
}

// sort orders entries by preset and weights so that the committed file diffs cleanly
// (metric maps are already written in key order by encoding/json).
func (b *Baseline) sort() { sortEntries(b.Entries) }

func sortEntries(es []BaselineEntry) {
	slices.SortFunc(es, func(x, y BaselineEntry) int {
		return cmp.Or(cmp.Compare(x.Preset, y.Preset), cmp.Compare(x.Weights, y.Weights))
	})
}

// Validate checks what a hand edit can get wrong: the version, a direction other than
// "higher"/"lower", negative or non-finite numbers.
func (b *Baseline) Validate() error {
	if b.Version != BaselineVersion {
		return fmt.Errorf("bench: baseline version %d, want %d", b.Version, BaselineVersion)
	}
	for _, e := range b.Entries {
		for name, m := range e.Metrics {
			where := fmt.Sprintf("bench: baseline %s for %s %s", name, e.Preset, e.Weights)
			switch {
			case m.Better != HigherIsBetter && m.Better != LowerIsBetter:
				return fmt.Errorf("%s: better is %q, want \"higher\" or \"lower\"", where, m.Better)
			case !finite(m.Value):
				return fmt.Errorf("%s: value is %v", where, m.Value)
			case !finite(m.Tolerance) || m.Tolerance < 0 || !finite(m.AbsTolerance) || m.AbsTolerance < 0:
				return fmt.Errorf("%s: tolerances must be finite and ≥ 0", where)
			}
		}
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// LoadBaseline reads and validates a baseline file. Unknown fields are an error: a
// misspelt "tolerence" would otherwise silently become a zero tolerance.
func LoadBaseline(path string) (Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Baseline{}, err
	}
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Baseline{}, fmt.Errorf("bench: %s: %w", path, err)
	}
	if err := b.Validate(); err != nil {
		return Baseline{}, fmt.Errorf("%w (in %s)", err, path)
	}
	return b, nil
}

// Save writes the baseline as indented JSON, sorted, through a temporary file and a
// rename, so an interrupted update never leaves a truncated baseline in the tree.
func (b *Baseline) Save(path string) error {
	b.Version = BaselineVersion
	b.sort()
	if err := b.Validate(); err != nil {
		return err
	}
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	return atomicfile.WriteFile(path, data)
}

// Regression is one gated metric that got worse beyond its tolerance (or went missing).
type Regression struct {
	Preset, Weights, Metric string
	Base, Cur               float64 // Cur is NaN when Missing
	Missing                 bool
	Message                 string // e.g. "kl_mean for pg2-tiny int4 rose from 0.012 to 0.018 (+50%, tolerance 10%)"
}

func (r Regression) String() string { return r.Message }

// Compare checks every metric of base against cur and returns the regressions, in the
// baseline's order (empty: the gate passes). Direction and tolerance come from base, the
// committed file, not from the run under test. A baseline metric that cur lacks is a
// regression too: a gate that silently stops measuring something has stopped gating it.
// Metrics only in cur are ignored until --update-baseline takes them in.
func Compare(base, cur Baseline) []Regression {
	entries := slices.Clone(base.Entries) // sorted for a stable report, without touching the caller's
	sortEntries(entries)
	var out []Regression
	for _, be := range entries {
		names := make([]string, 0, len(be.Metrics))
		for n := range be.Metrics {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, name := range names {
			bm := be.Metrics[name]
			reg := Regression{Preset: be.Preset, Weights: be.Weights, Metric: name, Base: bm.Value, Cur: math.NaN()}
			what := fmt.Sprintf("%s for %s %s", name, be.Preset, be.Weights)
			cm, ok := cur.Get(be.Preset, be.Weights, name)
			if !ok {
				reg.Missing = true
				reg.Message = fmt.Sprintf("%s is missing from this run (baseline %s)", what, num(bm.Value))
				out = append(out, reg)
				continue
			}
			reg.Cur = cm.Value
			if msg, bad := judge(what, bm, cm.Value); bad {
				reg.Message = msg
				out = append(out, reg)
			}
		}
	}
	return out
}

// judge returns the message for a regression of cur against bm, and whether it is one.
func judge(what string, bm Metric, cur float64) (string, bool) {
	if !finite(cur) {
		return fmt.Sprintf("%s is %v (baseline %s)", what, cur, num(bm.Value)), true
	}
	var worse float64
	switch bm.Better {
	case HigherIsBetter:
		worse = bm.Value - cur
	case LowerIsBetter:
		worse = cur - bm.Value
	default:
		return fmt.Sprintf("%s: baseline direction %q is neither \"higher\" nor \"lower\"", what, bm.Better), true
	}
	allowed := max(bm.Tolerance*math.Abs(bm.Value), bm.AbsTolerance)
	if worse <= allowed {
		return "", false
	}
	verb := "fell"
	if cur > bm.Value {
		verb = "rose"
	}
	a, b := numPair(bm.Value, cur)
	return fmt.Sprintf("%s %s from %s to %s (%s, %s)", what, verb, a, b, change(bm.Value, cur), tolerance(bm)), true
}

// change formats the relative change with a real minus sign, or the absolute change when
// the baseline is 0 and a percentage would be infinite.
func change(base, cur float64) string {
	var s string
	if base == 0 {
		s = strconv.FormatFloat(cur-base, 'g', 3, 64)
		if cur > base {
			s = "+" + s
		}
	} else {
		pct := (cur - base) / math.Abs(base) * 100
		prec := 0
		if math.Abs(pct) < 1 {
			prec = 1
		}
		s = fmt.Sprintf("%+.*f%%", prec, pct)
	}
	return strings.Replace(s, "-", "−", 1)
}

func tolerance(m Metric) string {
	s := "tolerance " + strconv.FormatFloat(m.Tolerance*100, 'g', 3, 64) + "%"
	if m.AbsTolerance > 0 {
		s += " or ±" + strconv.FormatFloat(m.AbsTolerance, 'g', 3, 64)
	}
	return s
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }

// numPair formats two values with the fewest significant digits (at least 3) that tell
// them apart, so a message never reads "fell from 0.912 to 0.912".
func numPair(a, b float64) (string, string) {
	for p := 3; p < 17; p++ {
		x, y := strconv.FormatFloat(a, 'g', p, 64), strconv.FormatFloat(b, 'g', p, 64)
		if x != y {
			return x, y
		}
	}
	return strconv.FormatFloat(a, 'g', -1, 64), strconv.FormatFloat(b, 'g', -1, 64)
}
