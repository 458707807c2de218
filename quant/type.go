package quant

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/x448/float16"
)

// Type is the storage type of a tensor: the float types checkpoints come in (F32,
// BF16, F16) and pgedge's blocked INT8 and INT4 encodings (Q8, Q4). It is the one
// storage type of the module: safetensors entries, .pge tensors, the converter's
// precision policy and the matrices of the forward pass all carry it.
//
// The numeric values are the type codes of .pge files (compress.TensorInfo.Type,
// beside the name String returns): files hold them, so they never change. The zero
// value is no type.
type Type uint8

// Storage types; the values are .pge type codes.
const (
	F32  Type = 1 // IEEE binary32, little-endian, 32 bits/weight
	BF16 Type = 2 // bfloat16 (top half of binary32), little-endian, 16 bits/weight
	F16  Type = 3 // IEEE binary16, little-endian, 16 bits/weight (read from checkpoints)
	Q8   Type = 4 // 32-weight blocks, fp16 scale + u8 codes, 8.5 bits/weight
	Q4   Type = 5 // 256-weight super-blocks, 4-bit codes through a 16-entry LUT, 4.5 bits/weight
)

// traits is everything the module knows about one storage type; types is the one
// table of them. Which kernel multiplies a matrix follows from quantized: infer runs
// F32 and BF16 matrices through simd.GemmF32/GemmBF16 (DotF32 for a single row) on
// float32 activations, F16 rows are decoded to float32 as they are read (no
// checkpoint is copied), and Q8/Q4 matrices go through simd.GemmQ8/GemmQ4 after the
// layer's activations are quantized to int8 per 32-block (W8A8 / W4A8).
//
//	type code  name  text  block  bytes  bits/weight
//	F32  1     F32   f32   1      4      32
//	BF16 2     BF16  bf16  1      2      16
//	F16  3     F16   f16   1      2      16
//	Q8   4     Q8    int8  32     34     8.5
//	Q4   5     Q4    int4  256    144    4.5
type traits struct {
	name       string // String: the name in .pge files, reports and messages
	text       string // MarshalText: the lower-case name of --weights and JSON reports
	alias      string // also read by UnmarshalText ("q8" for int8)
	blockLen   int    // consecutive weights of a row encoded together
	blockBytes int    // encoded size of one block
	quantized  bool   // blocked: rows padded to whole blocks, a layout version, int8 kernels
	encode     func(e *RowEncoder, dst []byte, w, h []float32) error
	decode     func(row []byte, out []float32)
}

var types = [...]traits{
	F32:  {name: "F32", text: "f32", blockLen: 1, blockBytes: 4, encode: encodeF32, decode: decodeF32},
	BF16: {name: "BF16", text: "bf16", blockLen: 1, blockBytes: 2, encode: encodeBF16, decode: decodeBF16},
	F16:  {name: "F16", text: "f16", blockLen: 1, blockBytes: 2, encode: encodeF16, decode: decodeF16},
	Q8: {name: "Q8", text: "int8", alias: "q8", blockLen: q8Block, blockBytes: q8Bytes, quantized: true,
		encode: func(_ *RowEncoder, dst []byte, w, h []float32) error { return quantizeQ8Row(dst, w, h) },
		decode: dequantizeQ8Row},
	Q4: {name: "Q4", text: "int4", alias: "q4", blockLen: q4Block, blockBytes: q4Bytes, quantized: true,
		encode: func(e *RowEncoder, dst []byte, w, h []float32) error {
			if e.q4 == nil {
				e.q4 = newQ4Encoder()
			}
			return e.q4.quantizeRow(dst, w, h)
		},
		decode: dequantizeQ4Row},
}

// Valid reports whether t is a known type.
func (t Type) Valid() bool { return int(t) < len(types) && types[t].name != "" }

// traits returns t's row of the table; it panics for an unknown type (the
// functions that take a Type from outside check it with Valid or CheckShape).
func (t Type) traits() *traits {
	if !t.Valid() {
		panic("quant: unknown type " + t.String())
	}
	return &types[t]
}

// String is the type's name in .pge files (compress.TensorInfo.TypeName), reports
// and messages: "F32", "BF16", "F16", "Q8" or "Q4".
func (t Type) String() string {
	if !t.Valid() {
		return fmt.Sprintf("Type(%d)", uint8(t))
	}
	return types[t].name
}

// Quantized reports whether t is one of the blocked integer encodings (Q8, Q4):
// rows padded to whole blocks (StoredCols), a layout version in the file, and
// multiplied by the int8 kernels. The float types are not.
func (t Type) Quantized() bool { return t.Valid() && types[t].quantized }

// Size is the size in bytes of one weight of the float types (F32 4, BF16 and F16
// 2), and 0 for the blocked types and unknown ones.
func (t Type) Size() int {
	if !t.Valid() || types[t].blockLen != 1 {
		return 0
	}
	return types[t].blockBytes
}

// MarshalText writes the lower-case name that --weights takes and JSON reports
// hold: "f32", "bf16", "f16", "int8" or "int4".
func (t Type) MarshalText() ([]byte, error) {
	if !t.Valid() {
		return nil, fmt.Errorf("quant: cannot marshal %v", t)
	}
	return []byte(types[t].text), nil
}

// UnmarshalText reads a type by its lower-case name (as MarshalText writes it),
// its String name, or q8/q4.
func (t *Type) UnmarshalText(b []byte) error {
	v, err := ParseType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// ParseType is UnmarshalText for a string.
func ParseType(s string) (Type, error) {
	for i, tr := range types {
		if tr.name != "" && (s == tr.text || s == tr.name || (tr.alias != "" && s == tr.alias)) {
			return Type(i), nil
		}
	}
	return 0, fmt.Errorf("unknown weight type %q (want f32, bf16, f16, int8 or int4)", s)
}

// Name is MarshalText as a string ("int8"); for an unknown type it is String.
func (t Type) Name() string {
	if !t.Valid() {
		return t.String()
	}
	return types[t].text
}

// BlockLen is the number of consecutive weights of a row that are encoded
// together: 1 for the float types, 32 for Q8, 256 for Q4. The number of
// columns of a matrix must be a multiple of it.
func BlockLen(t Type) int { return t.traits().blockLen }

// BlockBytes is the encoded size of one block of BlockLen(t) weights.
func BlockBytes(t Type) int { return t.traits().blockBytes }

// BitsPerWeight is the storage cost of t: 32, 16, 16, 8.5 and 4.5.
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

// StoredCols is the row length a matrix of cols columns is stored with as t:
// blocked rows are zero-padded to a whole number of blocks (SigLIP's 4304-wide MLP
// and the 588-wide patch embedding are not multiples of 32; 1152 is not of 256);
// the float types store rows as they are. This is the one place the padding rule
// is defined: the converter writes by it and the .pge reader checks by it.
func StoredCols(t Type, cols int) int {
	bl := BlockLen(t)
	return (cols + bl - 1) / bl * bl
}

func encodeF32(_ *RowEncoder, dst []byte, w, _ []float32) error {
	for i, v := range w {
		if !finite(v) {
			return nonFinite(i, v)
		}
		binary.LittleEndian.PutUint32(dst[4*i:], math.Float32bits(v))
	}
	return nil
}

func encodeBF16(_ *RowEncoder, dst []byte, w, _ []float32) error {
	for i, v := range w {
		if !finite(v) {
			return nonFinite(i, v)
		}
		binary.LittleEndian.PutUint16(dst[2*i:], toBF16(v))
	}
	return nil
}

// F16MaxAbs is the largest magnitude F16 encodes: above it a weight would
// round to ±Inf, and Quantize returns an error wrapping ErrValue instead.
const F16MaxAbs = 65504

func encodeF16(_ *RowEncoder, dst []byte, w, _ []float32) error {
	for i, v := range w {
		if !finite(v) {
			return nonFinite(i, v)
		}
		h := float16.Fromfloat32(v) // round to nearest even
		if h.IsInf(0) {
			return fmt.Errorf("%w: weight %d is %v, above F16's %v", ErrValue, i, v, F16MaxAbs)
		}
		binary.LittleEndian.PutUint16(dst[2*i:], uint16(h))
	}
	return nil
}

func decodeF32(row []byte, out []float32) {
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(row[4*i:]))
	}
}

func decodeBF16(row []byte, out []float32) {
	for i := range out {
		out[i] = fromBF16(binary.LittleEndian.Uint16(row[2*i:]))
	}
}

func decodeF16(row []byte, out []float32) {
	for i := range out {
		out[i] = float16.Frombits(binary.LittleEndian.Uint16(row[2*i:])).Float32()
	}
}
