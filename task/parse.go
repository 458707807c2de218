package task

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Token ranges of PaliGemma's extended vocabulary (spec §5): <loc0000>..<loc1023> are ids
// 256000..257023 and <seg000>..<seg127> are 257024..257151.
const (
	LocBins  = 1024 // bins 0..1023
	SegCodes = 128  // codes 0..127
	NumSeg   = 16   // seg tokens per object (a 4x4 grid of VQ-VAE codes)

	// DefaultDivisor is big_vision's bin -> [0,1] rule, norm = bin/1023: the inverse of
	// its encoder round(v*1023) (spec §5, vqvae README §5).
	DefaultDivisor = 1023.0
)

// Box is a pixel box in the original image. Min is inclusive and Max exclusive, so the
// box covers columns XMin..XMax-1 and rows YMin..YMax-1 (vqvae README §5). Parse may
// return an inverted or empty Box for an invalid object (Object.Valid false).
type Box struct {
	XMin, YMin, XMax, YMax int
}

// Dx and Dy are the width and height (negative for an inverted box).
func (b Box) Dx() int { return b.XMax - b.XMin }
func (b Box) Dy() int { return b.YMax - b.YMin }

// Empty reports whether the box covers no pixel.
func (b Box) Empty() bool { return b.XMax <= b.XMin || b.YMax <= b.YMin }

// Object is one parsed detection or segmentation.
type Object struct {
	Label   string
	Bins    [4]int     // loc bins in token order: y_min, x_min, y_max, x_max (0..1023)
	NormBox [4]float64 // y_min, x_min, y_max, x_max: bin / divisor
	Box     Box        // pixel box in the original image
	Codes   []int      // the 16 VQ-VAE codes (0..127), nil for a detection-only object
	// Valid follows big_vision: y_max > y_min and x_max > x_min in bins and again after
	// the pixel conversion. An invalid object keeps its (possibly inverted or empty) Box
	// but gets no mask.
	Valid  bool
	Reason string // why the box is invalid; "" when Valid
}

// Segment is one ';'-separated piece of the text, trimmed, in order.
type Segment struct {
	Text   string
	Object int    // index into Result.Objects, or -1
	Reason string // why the piece is not an object ("" for objects)
}

// Result is the outcome of Parse.
type Result struct {
	Objects  []Object
	Unparsed []string  // the pieces that are not objects, in order
	Segments []Segment // every non-empty piece, objects and not
}

// ParseOptions selects the bin -> pixel rule. The zero value is big_vision's.
type ParseOptions struct {
	// Divisor maps a bin to [0,1] as bin/Divisor; 0 (or any value that is not a
	// positive finite number) means DefaultDivisor (1023). The HF Space uses 1024.
	Divisor float64
	// RoundHalfEven converts norm*size to a pixel with round-half-to-even (Python's
	// round, as the HF Space does) instead of big_vision's truncation int(norm*size).
	RoundHalfEven bool
	// DropInvalid moves objects whose box is invalid (inverted or zero area) to
	// Unparsed. By default they are kept with Valid false, as big_vision and the vqvae
	// reference vectors do.
	DropInvalid bool
}

// asciiSpace is the whitespace the reference grammar allows around tokens (README §4).
const asciiSpace = " \t\r\n"

// Parse splits generated text (the completion after the prompt, cut at the first EOS)
// into objects following the vqvae README §4 rule: the text is split at every ';', each
// piece is trimmed of ASCII whitespace, empty pieces are skipped, and a piece is an
// object iff it is exactly 4 <locDDDD> tokens, optional whitespace, 0 or 16 <segDDD>
// tokens, optional whitespace and a label without '<', '>' or ';' (maybe empty). Every
// other piece goes to Unparsed. Pixel boxes use imgW x imgH, the ORIGINAL image size.
// Parse never panics and every Box coordinate is within [0, imgW] x [0, imgH].
func Parse(text string, imgW, imgH int, opts ParseOptions) Result {
	div := opts.Divisor
	if !(div > 0) || math.IsInf(div, 0) {
		div = DefaultDivisor
	}
	imgW, imgH = max(imgW, 0), max(imgH, 0)
	var res Result
	for _, piece := range strings.Split(text, ";") {
		piece = strings.Trim(piece, asciiSpace)
		if piece == "" {
			continue
		}
		obj, reason := parsePiece(piece)
		if reason == "" {
			obj.NormBox = [4]float64{
				float64(obj.Bins[0]) / div, float64(obj.Bins[1]) / div,
				float64(obj.Bins[2]) / div, float64(obj.Bins[3]) / div,
			}
			obj.Box = Box{
				YMin: toPixel(obj.NormBox[0], imgH, opts.RoundHalfEven),
				XMin: toPixel(obj.NormBox[1], imgW, opts.RoundHalfEven),
				YMax: toPixel(obj.NormBox[2], imgH, opts.RoundHalfEven),
				XMax: toPixel(obj.NormBox[3], imgW, opts.RoundHalfEven),
			}
			switch {
			case obj.Bins[2] <= obj.Bins[0] || obj.Bins[3] <= obj.Bins[1]:
				obj.Reason = "box bins: need y2>y1 and x2>x1 (in bin units)"
			case obj.Box.Empty():
				obj.Reason = "pixel box has zero area after int() truncation"
			default:
				obj.Valid = true
			}
			if !obj.Valid && opts.DropInvalid {
				reason = obj.Reason
			}
		}
		if reason != "" {
			res.Unparsed = append(res.Unparsed, piece)
			res.Segments = append(res.Segments, Segment{Text: piece, Object: -1, Reason: reason})
			continue
		}
		res.Segments = append(res.Segments, Segment{Text: piece, Object: len(res.Objects)})
		res.Objects = append(res.Objects, obj)
	}
	return res
}

// toPixel is big_vision's int(norm*size): float64, divide first (done by the caller),
// multiply, truncate toward zero. Integer arithmetic differs: bin 693, H 310 gives
// (693/1023)*310 = 209.99999999999997 -> 209 but 693*310/1023 = 210 (README §5). The clamp
// only matters for a divisor below 1023.
func toPixel(norm float64, size int, halfEven bool) int {
	v := norm * float64(size)
	if halfEven {
		v = math.RoundToEven(v)
	}
	if !(v > 0) { // also NaN
		return 0
	}
	if v >= float64(size) {
		return size
	}
	return int(v)
}

// parsePiece applies the object grammar to one trimmed piece. It returns a non-empty
// reason when the piece is not an object.
func parsePiece(p string) (Object, string) {
	var obj Object
	rest := p
	for k := 0; k < 4; k++ {
		v, n := readToken(rest, "<loc", 4)
		if n == 0 {
			if k == 0 {
				return obj, "does not start with a <locDDDD> token"
			}
			return obj, fmt.Sprintf("only %d <loc> tokens", k)
		}
		if v >= LocBins {
			return obj, fmt.Sprintf("<loc> bin %d above %d", v, LocBins-1)
		}
		obj.Bins[k] = v
		rest = rest[n:]
	}
	if _, n := readToken(rest, "<loc", 4); n > 0 {
		return obj, "more than 4 <loc> tokens"
	}
	rest = strings.TrimLeft(rest, asciiSpace)
	var codes []int
	for {
		v, n := readToken(rest, "<seg", 3)
		if n == 0 {
			break
		}
		if v >= SegCodes {
			return obj, fmt.Sprintf("<seg> code %d above %d", v, SegCodes-1)
		}
		codes = append(codes, v)
		rest = rest[n:]
	}
	if len(codes) != 0 && len(codes) != NumSeg {
		return obj, fmt.Sprintf("%d <seg> tokens (need exactly %d or 0)", len(codes), NumSeg)
	}
	label := strings.Trim(rest, asciiSpace)
	if strings.ContainsAny(label, "<>") {
		return obj, "unexpected '<' or '>' after the tokens"
	}
	obj.Label = label
	obj.Codes = codes
	return obj, ""
}

// readToken reads prefix + exactly `digits` ASCII digits + '>' at the start of s and
// returns the number and the token length (0 when s does not start with such a token).
func readToken(s, prefix string, digits int) (int, int) {
	n := len(prefix) + digits + 1
	if len(s) < n || s[:len(prefix)] != prefix || s[n-1] != '>' {
		return 0, 0
	}
	v := 0
	for _, c := range []byte(s[len(prefix) : n-1]) {
		if c < '0' || c > '9' {
			return 0, 0
		}
		v = v*10 + int(c-'0')
	}
	return v, n
}

// Format writes objects in PaliGemma's output grammar: <locNNNN> x4 (Bins) [+ <segNNN>
// x16 (Codes)] + " " + label, joined by " ; ". Bins and codes are written as they are
// (4 and 3 digits, zero-padded): keep them in 0..1023 and 0..127 for Parse to accept
// them. An empty label writes no trailing space.
func Format(objs []Object) string {
	var b strings.Builder
	for i, o := range objs {
		if i > 0 {
			b.WriteString(" ; ")
		}
		for _, v := range o.Bins {
			b.WriteString("<loc")
			b.WriteString(pad(v, 4))
			b.WriteByte('>')
		}
		for _, c := range o.Codes {
			b.WriteString("<seg")
			b.WriteString(pad(c, 3))
			b.WriteByte('>')
		}
		if o.Label != "" {
			b.WriteByte(' ')
			b.WriteString(o.Label)
		}
	}
	return b.String()
}

func pad(v, width int) string {
	s := strconv.Itoa(v)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
