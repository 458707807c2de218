package bench

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// PlotSeries is one bar colour in PlotSVG's grouped bar chart: one weight type, with a
// bar for each group (thread count) it was measured at.
type PlotSeries struct {
	Name   string // legend entry, e.g. "int8"
	Points []PlotPoint
}

// PlotPoint is one bar. Min and Max, when Min < Max, draw a whisker for the spread over
// the runs, so a reader sees at a glance which differences are bigger than the noise.
type PlotPoint struct {
	Group    string  // x-axis category, e.g. "2 threads"
	Value    float64 // bar height in tokens/s (the median)
	Min, Max float64 // optional spread
}

// Chart geometry in SVG user units (pixels at 100%).
const (
	plotW, plotH       = 760, 440
	plotLeft, plotTop  = 70, 50
	plotRight          = 150 // room for the legend
	plotBottom         = 60
	plotInnerW         = plotW - plotLeft - plotRight
	plotInnerH         = plotH - plotTop - plotBottom
	plotGroupFill      = 0.8 // share of a group's slot that its bars take
	plotYTicksDesired  = 5
	plotLegendRowH     = 18
	plotLegendSwatchSz = 12
)

// plotPalette: distinguishable colours that survive greyscale printing in this order.
var plotPalette = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"}

// PlotSVG writes a self-contained SVG grouped bar chart of tokens/s: groups along the x
// axis (thread counts, in order of first appearance), one coloured bar per series (weight
// type) in each group where that series has a point, a y axis from 0 with round ticks,
// labels, a legend and a hover title on every bar. It uses no script, stylesheet or font
// file, so the file opens the same in a browser, an image viewer or a README. Every bar is
// a <rect class="bar">; non-finite or negative values draw as empty bars labelled "n/a" or
// with their value, rather than breaking the scale.
func PlotSVG(w io.Writer, title string, series []PlotSeries) error {
	var groups []string
	top := 0.0
	for _, s := range series {
		for _, p := range s.Points {
			if !slices.Contains(groups, p.Group) {
				groups = append(groups, p.Group)
			}
			for _, v := range []float64{p.Value, p.Max} {
				if finite(v) {
					top = max(top, v)
				}
			}
		}
	}
	step := niceStep(top / plotYTicksDesired)
	yMax := math.Ceil(top/step) * step
	if yMax <= 0 {
		yMax = step
	}
	y := func(v float64) float64 {
		if !finite(v) || v < 0 {
			v = 0
		}
		return plotTop + plotInnerH*(1-min(v, yMax)/yMax)
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n",
		plotW, plotH, plotW, plotH)
	fmt.Fprintf(&b, "<title>%s</title>\n", esc(title))
	fmt.Fprintf(&b, `<rect class="background" x="0" y="0" width="%d" height="%d" fill="white"/>`+"\n", plotW, plotH)
	fmt.Fprintf(&b, `<text class="title" x="%d" y="%d" text-anchor="middle" font-size="16" font-weight="bold">%s</text>`+"\n",
		plotLeft+plotInnerW/2, plotTop-22, esc(title))

	// Grid and y ticks first, so bars are drawn over them.
	for i := 0; i <= int(math.Round(yMax/step)); i++ {
		v := float64(i) * step // not an accumulated sum, which drifts off the round values
		yy := y(v)
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%s" x2="%d" y2="%s" stroke="#ddd"/>`+"\n", plotLeft, f1(yy), plotLeft+plotInnerW, f1(yy))
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%s" text-anchor="end" dominant-baseline="middle">%s</text>`+"\n", plotLeft-6, f1(yy), tickLabel(v, step))
	}
	fmt.Fprintf(&b, `<text class="axis-label" x="%d" y="%d" text-anchor="middle" transform="rotate(-90 %d %d)">tokens/s</text>`+"\n",
		18, plotTop+plotInnerH/2, 18, plotTop+plotInnerH/2)

	// Bars. One label precision for the whole chart, from its scale, so that 6 and 17
	// read as "6.0" and "17.0" rather than "6.00" and "17.0".
	prec := valuePrec(yMax)
	if len(groups) > 0 && len(series) > 0 {
		slot := float64(plotInnerW) / float64(len(groups))
		barW := slot * plotGroupFill / float64(len(series))
		for gi, g := range groups {
			x0 := plotLeft + slot*float64(gi) + slot*(1-plotGroupFill)/2
			fmt.Fprintf(&b, `<text class="group" x="%s" y="%d" text-anchor="middle">%s</text>`+"\n",
				f1(plotLeft+slot*(float64(gi)+0.5)), plotTop+plotInnerH+18, esc(g))
			for si, s := range series {
				color := plotPalette[si%len(plotPalette)]
				for _, p := range s.Points {
					if p.Group != g {
						continue
					}
					x := x0 + barW*float64(si)
					yy := y(p.Value)
					label := "n/a"
					if finite(p.Value) {
						label = strconv.FormatFloat(p.Value, 'f', prec, 64)
					}
					fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s, %s: %s tokens/s</title></rect>`+"\n",
						f1(x), f1(yy), f1(max(barW-1, 1)), f1(plotTop+plotInnerH-yy), color, esc(s.Name), esc(g), label)
					labelY := yy - 4
					if finite(p.Min) && finite(p.Max) && p.Min < p.Max {
						cx := x + barW/2
						fmt.Fprintf(&b, `<line class="spread" x1="%s" y1="%s" x2="%s" y2="%s" stroke="black"/>`+"\n",
							f1(cx), f1(y(p.Min)), f1(cx), f1(y(p.Max)))
						labelY = min(labelY, y(p.Max)-4)
					}
					fmt.Fprintf(&b, `<text class="value" x="%s" y="%s" text-anchor="middle" font-size="10">%s</text>`+"\n",
						f1(x+barW/2), f1(labelY), label)
				}
			}
		}
	}

	// Axes last, over the bars' bottom edges.
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", plotLeft, plotTop, plotLeft, plotTop+plotInnerH)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>`+"\n", plotLeft, plotTop+plotInnerH, plotLeft+plotInnerW, plotTop+plotInnerH)

	// Legend.
	lx := plotLeft + plotInnerW + 20
	for si, s := range series {
		ly := plotTop + si*plotLegendRowH
		fmt.Fprintf(&b, `<rect class="legend-swatch" x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n",
			lx, ly, plotLegendSwatchSz, plotLegendSwatchSz, plotPalette[si%len(plotPalette)])
		fmt.Fprintf(&b, `<text class="legend" x="%d" y="%d" dominant-baseline="middle">%s</text>`+"\n",
			lx+plotLegendSwatchSz+6, ly+plotLegendSwatchSz/2, esc(s.Name))
	}
	b.WriteString("</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// niceStep rounds a raw tick step up to 1, 2 or 5 × 10^k, the steps people read easily.
func niceStep(raw float64) float64 {
	if !(raw > 0) || !finite(raw) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// tickLabel prints a tick with as many decimals as the step needs (0.25 → "0.25", 20 → "20").
func tickLabel(v, step float64) string {
	prec := max(0, -int(math.Floor(math.Log10(step))))
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// valuePrec is the number of decimals worth printing for values up to v: three significant
// digits at the top of the scale.
func valuePrec(v float64) int {
	switch a := math.Abs(v); {
	case a >= 100:
		return 0
	case a >= 10:
		return 1
	default:
		return 2
	}
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writes to a bytes.Buffer cannot fail
	return b.String()
}

// ReportSeries turns bench reports into PlotSVG series: one series per weight type
// (prefixed with the preset when the reports span several), one group per thread count
// in increasing order, plotting prefill tokens/s when prefill is true and extend
// tokens/s otherwise, with the runs' spread as whiskers.
func ReportSeries(reports []BenchReport, prefill bool) []PlotSeries {
	rs := slices.Clone(reports)
	slices.SortStableFunc(rs, func(a, b BenchReport) int { return cmp.Compare(a.Threads, b.Threads) })
	presets := map[string]bool{}
	for _, r := range rs {
		presets[r.Preset] = true
	}
	var out []PlotSeries
	index := map[string]int{}
	for _, r := range rs {
		name := r.Weights
		if len(presets) > 1 {
			name = r.Preset + " " + r.Weights
		}
		i, ok := index[name]
		if !ok {
			i = len(out)
			index[name] = i
			out = append(out, PlotSeries{Name: name})
		}
		p := PlotPoint{Group: fmt.Sprintf("%d threads", r.Threads), Value: r.ExtendTokensPerS,
			Min: r.Spread.ExtendTokensPerS.Min, Max: r.Spread.ExtendTokensPerS.Max}
		if r.Threads == 1 {
			p.Group = "1 thread"
		}
		if prefill {
			p.Value, p.Min, p.Max = r.PrefillTokensPerS, r.Spread.PrefillTokensPerS.Min, r.Spread.PrefillTokensPerS.Max
		}
		out[i].Points = append(out[i].Points, p)
	}
	return out
}
