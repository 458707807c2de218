package quant

import (
	"errors"
	"fmt"
	"math"
)

// LayoutVersion is the version of the byte layouts documented in this
// package. The model file records it; any change to a layout (for example
// interleaving rows for a kernel, or new LUT values) must bump it.
const LayoutVersion = 1

// ErrShape is wrapped by the errors for shapes that a type cannot encode.
// A caller that gets it should pad the matrix or keep it in F32/BF16.
var ErrShape = errors.New("quant: shape not encodable")

// ErrValue is wrapped by the errors for weights that cannot be encoded:
// NaN or ±Inf for every type, and magnitudes above Q8MaxAbs (Q8) or
// Q4MaxAbs (Q4).
var ErrValue = errors.New("quant: value not encodable")

// CheckShape reports whether a rows×cols matrix can be stored as t.
func CheckShape(t Type, rows, cols int) error {
	if !t.Valid() {
		return fmt.Errorf("%w: unknown type %v", ErrShape, t)
	}
	if rows < 0 || cols < 0 {
		return fmt.Errorf("%w: negative shape [%d,%d]", ErrShape, rows, cols)
	}
	if bl := BlockLen(t); cols%bl != 0 {
		return fmt.Errorf("%w: %v needs columns in multiples of %d, have %d", ErrShape, t, bl, cols)
	}
	if rows > 0 && cols > 0 && rows > math.MaxInt/cols/4 {
		return fmt.Errorf("%w: [%d,%d] too large", ErrShape, rows, cols)
	}
	return nil
}

// Quantize encodes the row-major rows×cols matrix w ([out,in]: blocks run
// along the input dimension) as t and returns rows*RowBytes(t, cols) bytes.
//
// importance, if not nil, holds one non-negative weight per input column
// (for example the mean squared activation of that input over calibration
// data); the Q8 and Q4 searches then minimise Σ importance[c]·(ŵ−w)² per
// block instead of the plain squared error. It is ignored by F32 and BF16.
//
// Errors wrap ErrShape for a bad shape or importance length and ErrValue for
// NaN/Inf weights (or importance), or weights above Q8MaxAbs / Q4MaxAbs.
func Quantize(t Type, w []float32, rows, cols int, importance []float32) ([]byte, error) {
	if err := CheckShape(t, rows, cols); err != nil {
		return nil, err
	}
	if len(w) != rows*cols {
		return nil, fmt.Errorf("%w: %d weights for [%d,%d]", ErrShape, len(w), rows, cols)
	}
	h, err := normImportance(importance, cols)
	if err != nil {
		return nil, err
	}
	rb := RowBytes(t, cols)
	out := make([]byte, rows*rb)
	var enc RowEncoder
	for r := 0; r < rows; r++ {
		if err := t.traits().encode(&enc, out[r*rb:(r+1)*rb], w[r*cols:(r+1)*cols], h); err != nil {
			return nil, fmt.Errorf("row %d: %w", r, err)
		}
	}
	return out, nil
}

// QuantizeRow encodes one row of len(w) weights into dst, which must be
// RowBytes(t, len(w)) long; importance is as for Quantize (nil or len(w)
// values). It lets a converter stream a matrix row by row.
func QuantizeRow(t Type, dst []byte, w []float32, importance []float32) error {
	if err := CheckShape(t, 1, len(w)); err != nil {
		return err
	}
	if len(dst) != RowBytes(t, len(w)) {
		return fmt.Errorf("%w: dst has %d bytes, want %d", ErrShape, len(dst), RowBytes(t, len(w)))
	}
	h, err := normImportance(importance, len(w))
	if err != nil {
		return err
	}
	var enc RowEncoder
	return t.traits().encode(&enc, dst, w, h)
}

// RowEncoder is QuantizeRow with its search state kept between calls, for
// a goroutine that encodes many rows. The zero value is ready to use; it
// must not be used by two goroutines at once.
type RowEncoder struct{ q4 *q4Encoder }

// QuantizeRow is the package's QuantizeRow, reusing e's state.
func (e *RowEncoder) QuantizeRow(t Type, dst []byte, w []float32, importance []float32) error {
	if err := CheckShape(t, 1, len(w)); err != nil {
		return err
	}
	if len(dst) != RowBytes(t, len(w)) {
		return fmt.Errorf("%w: dst has %d bytes, want %d", ErrShape, len(dst), RowBytes(t, len(w)))
	}
	h, err := normImportance(importance, len(w))
	if err != nil {
		return err
	}
	return t.traits().encode(e, dst, w, h)
}

// normImportance validates importance and scales it to max 1 so that the
// float32 sums of the searches cannot overflow; nil or all-zero importance
// becomes nil (uniform).
func normImportance(imp []float32, cols int) ([]float32, error) {
	if imp == nil {
		return nil, nil
	}
	if len(imp) != cols {
		return nil, fmt.Errorf("%w: %d importance values for %d columns", ErrShape, len(imp), cols)
	}
	var mx float32
	for i, v := range imp {
		if !finite(v) || v < 0 {
			return nil, fmt.Errorf("%w: importance[%d] = %v", ErrValue, i, v)
		}
		mx = max(mx, v)
	}
	if mx == 0 {
		return nil, nil
	}
	// The floor keeps columns of zero importance from being "don't care":
	// a sub-block whose importance is all zero still gets a sensible fit.
	h := make([]float32, cols)
	for i, v := range imp {
		h[i] = max(v/mx, 1e-6)
	}
	return h, nil
}

// Dequantize decodes rows×cols weights of type t from b into out.
func Dequantize(t Type, b []byte, rows, cols int, out []float32) error {
	if err := CheckShape(t, rows, cols); err != nil {
		return err
	}
	rb := RowBytes(t, cols)
	if len(b) != rows*rb {
		return fmt.Errorf("%w: %d bytes for %v [%d,%d], want %d", ErrShape, len(b), t, rows, cols, rows*rb)
	}
	if len(out) < rows*cols {
		return fmt.Errorf("%w: out has %d values for [%d,%d]", ErrShape, len(out), rows, cols)
	}
	for r := 0; r < rows; r++ {
		DequantizeRow(t, b[r*rb:(r+1)*rb], out[r*cols:(r+1)*cols])
	}
	return nil
}

// DequantizeRow decodes one row into out; the number of columns is
// len(out). It panics if len(row) != RowBytes(t, len(out)) (it is meant for
// inner loops whose shapes were checked once).
func DequantizeRow(t Type, row []byte, out []float32) {
	if len(row) != RowBytes(t, len(out)) {
		panic(fmt.Sprintf("quant: DequantizeRow: %d bytes for %d %v columns", len(row), len(out), t))
	}
	t.traits().decode(row, out)
}

func finite(v float32) bool { return v-v == 0 }

func nonFinite(i int, v float32) error {
	return fmt.Errorf("%w: weight %d is %v", ErrValue, i, v)
}

// toBF16 rounds to nearest even; finite values beyond the bf16 range
// saturate to ±MaxBF16 instead of becoming ±Inf.
func toBF16(v float32) uint16 {
	b := math.Float32bits(v)
	r := b + 0x7fff + (b>>16)&1
	if r&0x7f800000 == 0x7f800000 && b&0x7f800000 != 0x7f800000 {
		return uint16(b>>16)&0x8000 | 0x7f7f
	}
	return uint16(r >> 16)
}

func fromBF16(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
