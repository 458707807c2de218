package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"
)

// Tables for people: the gate's comparison, reports read back, an eval report.

// WriteGateTable prints every gated figure of the baseline beside this run's, so a CI
// log shows how close each one came to its tolerance, not only the failures.
func WriteGateTable(w io.Writer, base, cur Baseline, regs []Regression) error {
	bad := map[[3]string]bool{}
	for _, r := range regs {
		bad[[3]string{r.Preset, r.Weights, r.Metric}] = true
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "preset\tweights\tmetric\tbaseline\tthis run\tchange\tallowed\t\n")
	for _, e := range base.Entries {
		names := make([]string, 0, len(e.Metrics))
		for n := range e.Metrics {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, n := range names {
			bm := e.Metrics[n]
			now, change := "missing", ""
			if cm, ok := cur.Get(e.Preset, e.Weights, n); ok {
				now = strconv.FormatFloat(cm.Value, 'g', 4, 64)
				if bm.Value != 0 {
					change = fmt.Sprintf("%+.1f%%", (cm.Value-bm.Value)/math.Abs(bm.Value)*100)
				} else {
					change = fmt.Sprintf("%+.3g", cm.Value)
				}
			}
			allowed := fmt.Sprintf("%s %.0f%%", map[Better]string{HigherIsBetter: "−", LowerIsBetter: "+"}[bm.Better], bm.Tolerance*100)
			if bm.AbsTolerance > 0 {
				allowed += fmt.Sprintf(" or %g", bm.AbsTolerance)
			}
			verdict := "ok"
			if bad[[3]string{e.Preset, e.Weights, n}] {
				verdict = "REGRESSED"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Preset, e.Weights, n,
				strconv.FormatFloat(bm.Value, 'g', 4, 64), now, change, allowed, verdict)
		}
	}
	return tw.Flush()
}

// WriteResults prints reports read back (pgedge bench --results): everything measured, gated or not.
func WriteResults(w io.Writer, res Results) error {
	if len(res.Bench) > 0 {
		fmt.Fprintf(w, "bench (%s; kernels %s; absolute speeds are not gated):\n\n", res.Bench[0].CPU, res.Bench[0].Kernels)
		if err := WriteTable(w, res.Bench); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if len(res.Eval) > 0 {
		fmt.Fprintf(w, "eval (teacher-forced against the reference):\n\n")
		tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
		fmt.Fprintf(tw, "| preset\t| weights\t| reference\t| positions\t| KL mean\t| KL max\t| top-1 agreement\t| greedy match\t| ppl ref\t| ppl model\t| box IoU |\n")
		fmt.Fprintf(tw, "| ---\t| ---\t| ---\t| ---\t| ---\t| ---\t| ---\t| ---\t| ---\t| ---\t| --- |\n")
		for _, r := range res.Eval {
			iou := "–"
			if r.BoxIoUMean != nil {
				iou = fmt.Sprintf("%.3f", *r.BoxIoUMean)
			}
			fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %d\t| %.3g\t| %.3g\t| %.4f\t| %.3f\t| %.3f\t| %.3f\t| %s |\n", r.Preset, r.Weights,
				r.RefWeights, r.NPositions, r.KLMean, r.KLMax, r.Top1Agreement, r.GreedyMatchRate, r.PPLRef, r.PPLModel, iou)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}

// WriteEvalText prints an eval report for people (pgedge eval without --json).
func WriteEvalText(w io.Writer, r EvalReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "model\t%s (%s %s)\n", r.Model, r.Preset, r.Weights)
	fmt.Fprintf(tw, "reference\t%s (%s)\n", r.Ref, r.RefWeights)
	fmt.Fprintf(tw, "positions\t%d over %d prompts × images\n", r.NPositions, r.NSequences)
	fmt.Fprintf(tw, "KL mean\t%.6g nats\n", r.KLMean)
	fmt.Fprintf(tw, "KL max\t%.6g nats\n", r.KLMax)
	fmt.Fprintf(tw, "top-1 agreement\t%.4f\n", r.Top1Agreement)
	fmt.Fprintf(tw, "greedy match rate\t%.4f\n", r.GreedyMatchRate)
	fmt.Fprintf(tw, "perplexity\t%.4f (reference) / %.4f (model)\n", r.PPLRef, r.PPLModel)
	if r.BoxIoUMean != nil {
		fmt.Fprintf(tw, "box IoU mean\t%.4f\n", *r.BoxIoUMean)
	} else {
		fmt.Fprintf(tw, "box IoU mean\t– (no boxes)\n")
	}
	return tw.Flush()
}
