package bench

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"
)

// svgStats decodes an SVG with encoding/xml (which fails on anything not well-formed) and
// counts the bars and the texts.
func svgStats(t *testing.T, data []byte) (root xml.Name, bars int, texts []string) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, data)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if root.Local == "" {
				root = el.Name
			}
			inText = el.Name.Local == "text"
			if el.Name.Local == "rect" {
				for _, a := range el.Attr {
					if a.Name.Local == "class" && a.Value == "bar" {
						bars++
					}
				}
			}
		case xml.CharData:
			if inText {
				texts = append(texts, string(el))
			}
		case xml.EndElement:
			inText = false
		}
	}
	return root, bars, texts
}

func TestPlotSVG(t *testing.T) {
	series := []PlotSeries{
		{Name: "int8", Points: []PlotPoint{{Group: "1 thread", Value: 11, Min: 10.5, Max: 11.4}, {Group: "2 threads", Value: 20.3}}},
		{Name: "int4", Points: []PlotPoint{{Group: "1 thread", Value: 19}, {Group: "2 threads", Value: 35.2, Min: 34, Max: 36}}},
		{Name: "bf16 <&>", Points: []PlotPoint{{Group: "2 threads", Value: math.NaN()}}}, // escaped, NaN drawn empty
	}
	var buf bytes.Buffer
	if err := PlotSVG(&buf, `extend tokens/s, pg2-3b-224 "AMD EPYC"`, series); err != nil {
		t.Fatal(err)
	}
	root, bars, texts := svgStats(t, buf.Bytes())
	if root.Local != "svg" || root.Space != "http://www.w3.org/2000/svg" {
		t.Errorf("root element %v", root)
	}
	if bars != 5 {
		t.Errorf("%d bars, want 5 (one per point)", bars)
	}
	all := strings.Join(texts, "|")
	for _, want := range []string{"1 thread", "2 threads", "int8", "int4", "bf16 <&>", "tokens/s", "n/a", "35.2"} {
		if !strings.Contains(all, want) {
			t.Errorf("SVG texts lack %q: %s", want, all)
		}
	}
	if !strings.Contains(all, "0|") || !strings.Contains(all, "|40|") {
		t.Errorf("y ticks should run from 0 to 40 in round steps: %s", all)
	}
}

func TestPlotSVGEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := PlotSVG(&buf, "nothing measured", nil); err != nil {
		t.Fatal(err)
	}
	if _, bars, _ := svgStats(t, buf.Bytes()); bars != 0 {
		t.Errorf("%d bars in an empty chart", bars)
	}
}

func TestReportSeries(t *testing.T) {
	mk := func(w string, th int, v float64) BenchReport {
		return BenchReport{Preset: "pg2-3b-224", Weights: w, Threads: th, ExtendTokensPerS: v, PrefillTokensPerS: 10 * v}
	}
	s := ReportSeries([]BenchReport{mk("int8", 2, 20), mk("int4", 1, 19), mk("int8", 1, 11), mk("int4", 2, 35)}, false)
	if len(s) != 2 || s[0].Name != "int4" || s[1].Name != "int8" {
		t.Fatalf("series %+v", s)
	}
	if p := s[1].Points; len(p) != 2 || p[0].Group != "1 thread" || p[0].Value != 11 || p[1].Group != "2 threads" {
		t.Errorf("int8 points %+v", p)
	}
	if p := ReportSeries([]BenchReport{mk("int8", 4, 2)}, true); p[0].Points[0].Value != 20 || p[0].Points[0].Group != "4 threads" {
		t.Errorf("prefill series %+v", p)
	}
	two := ReportSeries([]BenchReport{mk("int8", 1, 1), {Preset: "pg1-3b-224", Weights: "int8", Threads: 1}}, false)
	if len(two) != 2 || two[1].Name != "pg1-3b-224 int8" {
		t.Errorf("several presets: %+v", two)
	}
	var buf bytes.Buffer
	if err := PlotSVG(&buf, "scaling", s); err != nil {
		t.Fatal(err)
	}
	if _, bars, _ := svgStats(t, buf.Bytes()); bars != 4 {
		t.Errorf("%d bars, want 4", bars)
	}
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{7.04, 10}, {1.2, 2}, {0.3, 0.5}, {45, 50}, {0, 1}, {100, 100}} {
		if got := niceStep(c.in); !near(got, c.want, 1e-12) {
			t.Errorf("niceStep(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
