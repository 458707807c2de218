package ggmlref

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/x448/float16"

	"github.com/pgedge/pgedge/quant"
)

// ramp is x_i = i − 16: amax 16, the signed maximum −16 (first), 15 at the top.
func ramp() []float32 {
	x := make([]float32, Block)
	for i := range x {
		x[i] = float32(i - 16)
	}
	return x
}

// TestQ8_0: d = fp16(16/127); q = round(x·127/16), half away from zero.
func TestQ8_0(t *testing.T) {
	d, q := Q8_0(ramp())
	if want := float16.Fromfloat32(16.0 / 127); d != uint16(want) {
		t.Errorf("d = %#04x, want %#04x", d, uint16(want))
	}
	for i, v := range ramp() {
		if want := int8(math.Round(float64(v) * 127 / 16)); q[i] != want {
			t.Errorf("q[%d] = %d, want %d", i, q[i], want)
		}
	}
	if q[0] != -127 {
		t.Errorf("the largest magnitude codes to %d, want -127", q[0])
	}
}

// TestQ4_0: d = −16/−8 = 2 exactly; code = min(15, trunc(x/2 + 8.5)); q = code − 8.
func TestQ4_0(t *testing.T) {
	d, q := Q4_0(ramp())
	if df := float16.Frombits(d).Float32(); df != 2 {
		t.Errorf("d = %g, want 2", df)
	}
	for i, v := range ramp() {
		want := int8(min(15, int(v/2+8.5))) - 8
		if q[i] != want {
			t.Errorf("q[%d] = %d, want %d", i, q[i], want)
		}
	}
	if q[0] != -8 || q[31] != 7 {
		t.Errorf("ends %d, %d, want -8, 7 (15/2 + 8.5 = 16 clamps to code 15)", q[0], q[31])
	}
}

// TestEncode: the Q8 tensor holds (d, q+128) per block and decodes, with pgedge's own
// decoder, to exactly the Float tensor's weights; rows are zero-padded to whole blocks.
func TestEncode(t *testing.T) {
	const rows, cols = 3, 40 // 40 columns: one block and a padded one
	w := make([]float32, rows*cols)
	for i := range w {
		w[i] = float32(math.Sin(float64(i)*0.7)) * float32(1+i%5)
	}
	for _, f := range []Quantizer{Q8_0, Q4_0} {
		q8 := Encode("w", []int{rows, cols}, w, f, false)
		fl := Encode("w", []int{rows, cols}, w, f, true)
		stored := quant.StoredCols(quant.Q8, cols)
		if len(q8.Data) != rows*quant.RowBytes(quant.Q8, stored) || len(fl.Data) != 4*rows*cols {
			t.Fatalf("sizes %d, %d", len(q8.Data), len(fl.Data))
		}
		dec := make([]float32, rows*stored)
		if err := quant.Dequantize(quant.Q8, q8.Data, rows, stored, dec); err != nil {
			t.Fatal(err)
		}
		for r := 0; r < rows; r++ {
			for c := 0; c < stored; c++ {
				got := dec[r*stored+c]
				if c >= cols {
					if got != 0 {
						t.Errorf("padding (%d, %d) decodes to %g", r, c, got)
					}
					continue
				}
				want := math.Float32frombits(binary.LittleEndian.Uint32(fl.Data[4*(r*cols+c):]))
				if got != want {
					t.Errorf("(%d, %d): Q8 block decodes to %g, float encoding %g", r, c, got, want)
				}
			}
		}
	}
}

// TestRoundActScales: scales become the nearest fp16 values.
func TestRoundActScales(t *testing.T) {
	s := []float32{1.0 / 127, 3.3, 0}
	RoundActScales(s)
	for i, want := range []float32{float16.Fromfloat32(1.0 / 127).Float32(), float16.Fromfloat32(3.3).Float32(), 0} {
		if s[i] != want {
			t.Errorf("scale %d = %g, want %g", i, s[i], want)
		}
	}
}
