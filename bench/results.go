package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Results are the reports of one gate run, as `pgedge bench --json` and `pgedge eval
// --json` print them, read back for the regression gate.
type Results struct {
	Bench []BenchReport
	Eval  []EvalReport
	// Batch holds the objects of `pgedge bench --batch --json` (they have "rows"), as
	// read: their type lives in bench/harness, and they are printed, never gated.
	Batch []json.RawMessage
}

// ReadResults decodes a stream of JSON objects (one per line, or concatenated, or
// indented) into bench and eval reports, telling them apart by their keys: an object
// with "kl_mean" is an eval report, one with "extend_tokens_per_s" a bench report, one
// with "rows" a batch report (kept raw in Results.Batch).
// Anything else is an error naming the object's position, as is a report without the
// preset and weights it would be gated under.
func ReadResults(r io.Reader, name string) (Results, error) {
	var res Results
	dec := json.NewDecoder(r)
	for i := 1; ; i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); errors.Is(err, io.EOF) {
			return res, nil
		} else if err != nil {
			return res, fmt.Errorf("%s: object %d: %w", name, i, err)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil {
			return res, fmt.Errorf("%s: object %d is not a JSON object", name, i)
		}
		strict := json.NewDecoder(bytes.NewReader(raw))
		strict.DisallowUnknownFields()
		switch {
		case keys["kl_mean"] != nil:
			var e EvalReport
			if err := strict.Decode(&e); err != nil {
				return res, fmt.Errorf("%s: object %d (eval report): %w", name, i, err)
			}
			if e.Preset == "" || e.Weights == "" {
				return res, fmt.Errorf("%s: object %d: eval report without preset and weights", name, i)
			}
			res.Eval = append(res.Eval, e)
		case keys["extend_tokens_per_s"] != nil:
			var b BenchReport
			if err := strict.Decode(&b); err != nil {
				return res, fmt.Errorf("%s: object %d (bench report): %w", name, i, err)
			}
			if b.Preset == "" || b.Weights == "" {
				return res, fmt.Errorf("%s: object %d: bench report without preset and weights", name, i)
			}
			res.Bench = append(res.Bench, b)
		case keys["rows"] != nil:
			res.Batch = append(res.Batch, raw)
		default:
			return res, fmt.Errorf("%s: object %d is neither a bench report (extend_tokens_per_s), an eval report (kl_mean) nor a batch report (rows)", name, i)
		}
	}
}

// Add appends the reports of o.
func (r *Results) Add(o Results) {
	r.Bench = append(r.Bench, o.Bench...)
	r.Eval = append(r.Eval, o.Eval...)
	r.Batch = append(r.Batch, o.Batch...)
}

// Baseline turns the reports into the gated figures (RecordBench, RecordEval), ready for
// Compare or Update. Several bench reports of one preset and weight type (repeated
// invocations, as scripts/bench-gate makes to ride out a busy host) are combined by
// taking the median of each figure; they must agree on the thread count, which the
// baseline does not key on. Two eval reports of one preset and weight type are an error:
// eval is deterministic, so a second one is a mistake (another reference, say), not a
// repetition.
func (r Results) Baseline(comment string) (Baseline, error) {
	b := Baseline{Version: BaselineVersion, Comment: comment}
	type key struct{ preset, weights string }
	var order []key
	groups := map[key][]BenchReport{}
	for _, rep := range r.Bench {
		k := key{rep.Preset, rep.Weights}
		if g := groups[k]; len(g) > 0 && g[0].Threads != rep.Threads {
			return b, fmt.Errorf("bench: bench reports for %s %s with %d and %d threads; the baseline holds one thread count per preset and weight type",
				rep.Preset, rep.Weights, g[0].Threads, rep.Threads)
		}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], rep)
	}
	for _, k := range order {
		values := map[string][]float64{}
		var names []string
		for _, rep := range groups[k] {
			var one Baseline
			one.RecordBench(rep)
			for _, e := range one.Entries {
				for name, m := range e.Metrics {
					if values[name] == nil {
						names = append(names, name)
					}
					values[name] = append(values[name], m.Value)
				}
			}
		}
		for _, name := range names {
			if err := b.Set(k.preset, k.weights, name, Median(values[name])); err != nil {
				return b, err
			}
		}
	}
	seen := map[[2]string]bool{}
	for _, rep := range r.Eval {
		k := [2]string{rep.Preset, rep.Weights}
		if seen[k] {
			return b, fmt.Errorf("bench: two eval reports for %s %s; the baseline holds one per preset and weight type", rep.Preset, rep.Weights)
		}
		seen[k] = true
		b.RecordEval(rep.Preset, rep.Weights, rep)
	}
	b.sort()
	return b, nil
}

// BenchMetrics are the metrics that a bench report feeds into a baseline (RecordBench);
// the rest of DefaultMetrics come from eval reports.
var BenchMetrics = []string{"extend_bandwidth_fraction", "gemm_peak_fraction", "generic_speedup"}

// Filter returns the part of b whose (preset, weights, metric) keep accepts, for
// checking a partial run against the full baseline: `pgedge bench --check-baseline`
// without eval reports compares only the bench metrics of the configurations it ran.
func (b Baseline) Filter(keep func(preset, weights, metric string) bool) Baseline {
	out := Baseline{Version: b.Version, Comment: b.Comment}
	for _, e := range b.Entries {
		for name, m := range e.Metrics {
			if keep(e.Preset, e.Weights, name) {
				out.SetMetric(e.Preset, e.Weights, name, m)
			}
		}
	}
	out.sort()
	return out
}

// IsBenchMetric reports whether name is one of BenchMetrics.
func IsBenchMetric(name string) bool { return slices.Contains(BenchMetrics, name) }
