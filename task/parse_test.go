package task

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseMalformed(t *testing.T) {
	segs := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString("<seg" + pad(i%128, 3) + ">")
		}
		return b.String()
	}
	box := "<loc0100><loc0200><loc0300><loc0400>"
	notObjects := map[string]string{
		"3 locs":         "<loc0100><loc0200><loc0300> cat",
		"5 locs":         box + "<loc0500> cat",
		"15 segs":        box + segs(15) + " cat",
		"17 segs":        box + segs(17) + " cat",
		"text before":    "a " + box + " cat",
		"bin 1024":       "<loc0100><loc0200><loc1024><loc0400> cat",
		"code 128":       box + strings.Replace(segs(16), "<seg000>", "<seg128>", 1) + " cat",
		"3-digit loc":    "<loc100><loc0200><loc0300><loc0400> cat",
		"spaced segs":    box + "<seg001> " + segs(15) + " cat",
		"garbage":        "hello world",
		"angle in label": box + " c<t",
		"loc in label":   box + " cat <loc0001>",
	}
	for name, piece := range notObjects {
		r := Parse(piece+" ; "+box+" ok", 640, 480, ParseOptions{})
		if len(r.Objects) != 1 || r.Objects[0].Label != "ok" || !slices.Equal(r.Unparsed, []string{piece}) {
			t.Errorf("%s: got objects %+v unparsed %q", name, r.Objects, r.Unparsed)
		}
	}
	objects := map[string]string{
		"empty label":   box,
		"no space":      box + "cat",
		"16 segs":       box + segs(16) + " cat",
		"space in segs": box + " \t" + segs(16) + "\n cat",
		"utf8 label":    box + " chat noir été",
	}
	for name, piece := range objects {
		r := Parse("\n"+piece+";", 640, 480, ParseOptions{})
		if len(r.Objects) != 1 || len(r.Unparsed) != 0 {
			t.Errorf("%s: got objects %+v unparsed %q", name, r.Objects, r.Unparsed)
		}
	}
	// Zero-area and inverted boxes: kept but invalid by default, dropped on request.
	for _, piece := range []string{"<loc0600><loc0300><loc0601><loc0700> thin", "<loc0700><loc0100><loc0200><loc0400> inverted"} {
		r := Parse(piece, 500, 333, ParseOptions{})
		if len(r.Objects) != 1 || r.Objects[0].Valid || r.Objects[0].Reason == "" {
			t.Errorf("%q: %+v", piece, r)
		}
		r = Parse(piece, 500, 333, ParseOptions{DropInvalid: true})
		if len(r.Objects) != 0 || len(r.Unparsed) != 1 || r.Segments[0].Reason == "" {
			t.Errorf("%q with DropInvalid: %+v", piece, r)
		}
	}
	if r := Parse(" ;; ; ", 10, 10, ParseOptions{}); len(r.Objects)+len(r.Unparsed)+len(r.Segments) != 0 {
		t.Errorf("empty pieces: %+v", r)
	}
}

// TestParseIntegerPitfall checks README §5's example: float64 divide-then-multiply, not
// integer arithmetic.
func TestParseIntegerPitfall(t *testing.T) {
	bin, h := 693, 310 // variables: constant arithmetic would be exact
	r := Parse("<loc0000><loc0000><loc"+pad(bin, 4)+"><loc1023>", 100, h, ParseOptions{})
	want := int(float64(bin) / DefaultDivisor * float64(h))
	if r.Objects[0].Box.YMax != want || want == bin*h/1023 {
		t.Errorf("y2 = %d, want %d (integer arithmetic gives %d)", r.Objects[0].Box.YMax, want, bin*h/1023)
	}
}

func randomObjects(r *rand.Rand) []Object {
	labels := []string{"", "cat", "left person", "été", "a  b", "x-1"}
	objs := make([]Object, r.IntN(5))
	for i := range objs {
		o := &objs[i]
		for k := range o.Bins {
			o.Bins[k] = r.IntN(LocBins)
		}
		if r.IntN(2) == 0 {
			o.Codes = make([]int, NumSeg)
			for k := range o.Codes {
				o.Codes[k] = r.IntN(SegCodes)
			}
		}
		o.Label = labels[r.IntN(len(labels))]
	}
	return objs
}

func TestFormatParseRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for it := 0; it < 2000; it++ {
		objs := randomObjects(r)
		W, H := 1+r.IntN(2000), 1+r.IntN(2000)
		text := Format(objs)
		res := Parse(text, W, H, ParseOptions{})
		if len(res.Objects) != len(objs) || len(res.Unparsed) != 0 {
			t.Fatalf("%q: %d objects, %d unparsed", text, len(res.Objects), len(res.Unparsed))
		}
		for i, o := range objs {
			g := res.Objects[i]
			if g.Label != o.Label || g.Bins != o.Bins || !slices.Equal(g.Codes, o.Codes) {
				t.Fatalf("%q object %d: got %+v want %+v", text, i, g, o)
			}
			valid := o.Bins[2] > o.Bins[0] && o.Bins[3] > o.Bins[1] && !g.Box.Empty()
			if g.Valid != valid {
				t.Fatalf("%q object %d: valid %v", text, i, g.Valid)
			}
			for k, b := range o.Bins {
				if g.NormBox[k] != float64(b)/DefaultDivisor {
					t.Fatalf("NormBox %v for bins %v", g.NormBox, o.Bins)
				}
			}
		}
		if Format(res.Objects) != text {
			t.Fatalf("Format(Parse(%q)) = %q", text, Format(res.Objects))
		}
	}
}

func checkParseInvariants(t *testing.T, text string, W, H int, opts ParseOptions) {
	res := Parse(text, W, H, opts)
	W, H = max(W, 0), max(H, 0)
	if len(res.Segments) != len(res.Objects)+len(res.Unparsed) {
		t.Fatalf("%q: %d segments, %d objects, %d unparsed", text, len(res.Segments), len(res.Objects), len(res.Unparsed))
	}
	for _, o := range res.Objects {
		b := o.Box
		if b.XMin < 0 || b.XMax > W || b.YMin < 0 || b.YMax > H || b.XMax < 0 || b.XMin > W || b.YMax < 0 || b.YMin > H {
			t.Fatalf("%q: box %+v outside %dx%d", text, b, W, H)
		}
		if o.Valid && (b.XMin >= b.XMax || b.YMin >= b.YMax) {
			t.Fatalf("%q: valid object with box %+v", text, b)
		}
		if opts.DropInvalid && !o.Valid {
			t.Fatalf("%q: invalid object kept with DropInvalid", text)
		}
		if o.Codes != nil && len(o.Codes) != NumSeg {
			t.Fatalf("%q: %d codes", text, len(o.Codes))
		}
		for _, c := range o.Codes {
			if c < 0 || c >= SegCodes {
				t.Fatalf("%q: code %d", text, c)
			}
		}
		for k, v := range o.Bins {
			// norm <= 1 holds for the usual divisors 1023 and 1024; a smaller custom
			// divisor can exceed 1, and the pixel clamp keeps the box inside the image.
			if v < 0 || v >= LocBins || o.NormBox[k] < 0 || (o.NormBox[k] > 1 && (opts.Divisor == 0 || opts.Divisor >= DefaultDivisor)) {
				t.Fatalf("%q: bins %v norm %v", text, o.Bins, o.NormBox)
			}
		}
		if strings.ContainsAny(o.Label, "<>;") || o.Label != strings.Trim(o.Label, asciiSpace) {
			t.Fatalf("%q: label %q", text, o.Label)
		}
		if utf8.ValidString(text) && !utf8.ValidString(o.Label) {
			t.Fatalf("%q: label %q not UTF-8", text, o.Label)
		}
	}
}

func FuzzParse(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 5))
	for i := 0; i < 8; i++ {
		f.Add(Format(randomObjects(r)), 640, 480, false, uint16(0))
	}
	f.Add("<loc0100><loc0200><loc0300> cat ; <loc0700><loc0100><loc0200><loc0400> cup", 224, 224, true, uint16(1024))
	f.Add("<loc0600><loc0300><loc0601><loc0700> tiny", 500, 333, false, uint16(1))
	f.Add("<loc9999><loc0000><loc0000><loc0000>", -5, 1<<30, true, uint16(7))
	f.Fuzz(func(t *testing.T, text string, W, H int, drop bool, div uint16) {
		for _, half := range []bool{false, true} {
			checkParseInvariants(t, text, W, H, ParseOptions{Divisor: float64(div), RoundHalfEven: half, DropInvalid: drop})
		}
	})
}
