package quant

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/x448/float16"
)

// TestTypeCodes pins the values, which are the type codes of .pge files, and the
// names: a file written by any pgedge must keep reading as the same types.
func TestTypeCodes(t *testing.T) {
	for _, c := range []struct {
		t          Type
		code       uint8
		name, text string
		size       int
		quantized  bool
	}{
		{F32, 1, "F32", "f32", 4, false},
		{BF16, 2, "BF16", "bf16", 2, false},
		{F16, 3, "F16", "f16", 2, false},
		{Q8, 4, "Q8", "int8", 0, true},
		{Q4, 5, "Q4", "int4", 0, true},
	} {
		if uint8(c.t) != c.code || c.t.String() != c.name || c.t.Name() != c.text || c.t.Size() != c.size || c.t.Quantized() != c.quantized {
			t.Errorf("%v: code %d name %q text %q size %d quantized %v", c.t, uint8(c.t), c.t.String(), c.t.Name(), c.t.Size(), c.t.Quantized())
		}
		b, err := c.t.MarshalText()
		if err != nil || string(b) != c.text {
			t.Errorf("%v.MarshalText() = %q, %v", c.t, b, err)
		}
		for _, s := range []string{c.text, c.name} {
			var got Type
			if err := got.UnmarshalText([]byte(s)); err != nil || got != c.t {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", s, got, err, c.t)
			}
		}
	}
	for s, want := range map[string]Type{"q8": Q8, "q4": Q4} {
		if got, err := ParseType(s); err != nil || got != want {
			t.Errorf("ParseType(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "int2", "fp32", "Int8", "Type(9)"} {
		if _, err := ParseType(s); err == nil {
			t.Errorf("ParseType(%q) accepted", s)
		}
	}
	for _, bad := range []Type{0, 6, 255} {
		if bad.Valid() || bad.Quantized() || bad.Size() != 0 {
			t.Errorf("%v is a type", bad)
		}
		if _, err := bad.MarshalText(); err == nil {
			t.Errorf("%v marshalled", bad)
		}
	}
	// In JSON the type is its text.
	var v struct{ W Type }
	if err := json.Unmarshal([]byte(`{"W":"int4"}`), &v); err != nil || v.W != Q4 {
		t.Errorf("json: %v %v", v.W, err)
	}
	if b, _ := json.Marshal(struct{ W Type }{BF16}); string(b) != `{"W":"bf16"}` {
		t.Errorf("json: %s", b)
	}
}

func TestStoredCols(t *testing.T) {
	for _, c := range []struct {
		t          Type
		cols, want int
	}{
		{F32, 5, 5}, {BF16, 588, 588}, {F16, 4304, 4304},
		{Q8, 4304, 4320}, {Q8, 588, 608}, {Q8, 1152, 1152}, {Q8, 0, 0},
		{Q4, 1152, 1280}, {Q4, 2304, 2304}, {Q4, 1, 256},
	} {
		if got := StoredCols(c.t, c.cols); got != c.want {
			t.Errorf("StoredCols(%v, %d) = %d, want %d", c.t, c.cols, got, c.want)
		}
	}
}

// TestF16 checks the F16 row codec against the float16 package: round to nearest
// even, subnormals kept, values that would round to ±Inf refused.
func TestF16(t *testing.T) {
	if BlockLen(F16) != 1 || RowBytes(F16, 2304) != 4608 || BitsPerWeight(F16) != 16 {
		t.Fatalf("F16 traits: %d %d %v", BlockLen(F16), RowBytes(F16, 2304), BitsPerWeight(F16))
	}
	w := []float32{0, -0.0, 1, -1, 1.0 / 3, 65504, -65504, 65519, 6e-8, 1e-5, 3.14159, 1 + 1.0/2048}
	b, err := Quantize(F16, w, 2, len(w)/2, nil)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float32, len(w))
	if err := Dequantize(F16, b, 2, len(w)/2, y); err != nil {
		t.Fatal(err)
	}
	for i, v := range w {
		want := float16.Fromfloat32(v).Float32()
		if math.Float32bits(y[i]) != math.Float32bits(want) {
			t.Errorf("F16 %v → %v, want %v", v, y[i], want)
		}
	}
	if y[11] != 1 { // halfway between 1 and the next fp16: to even
		t.Errorf("1+2^-11 → %v, want 1", y[11])
	}
	for _, v := range []float32{65520, -1e6, float32(math.Inf(1)), float32(math.NaN())} {
		if _, err := Quantize(F16, []float32{v}, 1, 1, nil); !errors.Is(err, ErrValue) {
			t.Errorf("F16 %v: %v, want ErrValue", v, err)
		}
	}
}
