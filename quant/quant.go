package quant

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Type is the storage type of one weight matrix.
type Type uint8

// Storage types. The numeric values are part of the file format.
const (
	F32  Type = 0 // IEEE binary32, little-endian, 32 bits/weight
	BF16 Type = 1 // bfloat16 (top half of binary32), little-endian, 16 bits/weight
	Q8   Type = 2 // 32-weight blocks, fp16 scale + u8 codes, 8.5 bits/weight
	Q4   Type = 3 // 256-weight super-blocks, 4-bit codes through a 16-entry LUT, 4.5 bits/weight
)

// LayoutVersion is the version of the byte layouts documented in this
// package. The model file records it; any change to a layout (for example
// interleaving rows for a kernel, or new LUT values) must bump it.
const LayoutVersion = 1

func (t Type) String() string {
	switch t {
	case F32:
		return "F32"
	case BF16:
		return "BF16"
	case Q8:
		return "Q8"
	case Q4:
		return "Q4"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return t <= Q4 }

// BlockLen is the number of consecutive weights of a row that are encoded
// together: 1 for F32 and BF16, 32 for Q8, 256 for Q4. The number of
// columns of a matrix must be a multiple of it.
func BlockLen(t Type) int {
	switch t {
	case F32, BF16:
		return 1
	case Q8:
		return q8Block
	case Q4:
		return q4Block
	}
	panic("quant: unknown type " + t.String())
}

// BlockBytes is the encoded size of one block of BlockLen(t) weights.
func BlockBytes(t Type) int {
	switch t {
	case F32:
		return 4
	case BF16:
		return 2
	case Q8:
		return q8Bytes
	case Q4:
		return q4Bytes
	}
	panic("quant: unknown type " + t.String())
}

// BitsPerWeight is the storage cost of t: 32, 16, 8.5 and 4.5.
func BitsPerWeight(t Type) float64 {
	return float64(8*BlockBytes(t)) / float64(BlockLen(t))
}

// RowBytes is the size in bytes of one encoded row of cols weights. It
// panics if cols is negative or not a multiple of BlockLen(t): check the
// shape with CheckShape first (Quantize and Dequantize do).
func RowBytes(t Type, cols int) int {
	bl := BlockLen(t)
	if cols < 0 || cols%bl != 0 {
		panic(fmt.Sprintf("quant: %v row of %d columns: not a multiple of the block length %d", t, cols, bl))
	}
	return cols / bl * BlockBytes(t)
}

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
	var enc *q4Encoder
	if t == Q4 {
		enc = newQ4Encoder()
	}
	for r := 0; r < rows; r++ {
		if err := quantizeRow(t, out[r*rb:(r+1)*rb], w[r*cols:(r+1)*cols], h, enc); err != nil {
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
	var enc *q4Encoder
	if t == Q4 {
		enc = newQ4Encoder()
	}
	return quantizeRow(t, dst, w, h, enc)
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
	if t == Q4 && e.q4 == nil {
		e.q4 = newQ4Encoder()
	}
	return quantizeRow(t, dst, w, h, e.q4)
}

func quantizeRow(t Type, dst []byte, w, h []float32, enc *q4Encoder) error {
	switch t {
	case F32:
		for i, v := range w {
			if !finite(v) {
				return nonFinite(i, v)
			}
			binary.LittleEndian.PutUint32(dst[4*i:], math.Float32bits(v))
		}
		return nil
	case BF16:
		for i, v := range w {
			if !finite(v) {
				return nonFinite(i, v)
			}
			binary.LittleEndian.PutUint16(dst[2*i:], toBF16(v))
		}
		return nil
	case Q8:
		return quantizeQ8Row(dst, w, h)
	case Q4:
		return enc.quantizeRow(dst, w, h)
	}
	return fmt.Errorf("%w: unknown type %v", ErrShape, t)
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
	switch t {
	case F32:
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(row[4*i:]))
		}
	case BF16:
		for i := range out {
			out[i] = fromBF16(binary.LittleEndian.Uint16(row[2*i:]))
		}
	case Q8:
		dequantizeQ8Row(row, out)
	case Q4:
		dequantizeQ4Row(row, out)
	}
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
