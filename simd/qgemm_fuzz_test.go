package simd

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/pgedge/pgedge/quant"
)

// Fuzz targets: every implementation against package quant. The GEMM
// targets take codes, scales and activations straight from the fuzz input
// (scales kept finite and of moderate range, as quant writes them), so that
// every code pattern and every activation pattern occurs.

// fuzzBytes cycles through data (a fixed pattern if it is empty).
type fuzzBytes struct {
	data []byte
	pos  int
}

func (f *fuzzBytes) next() byte {
	if len(f.data) == 0 {
		f.pos++
		return byte(f.pos * 37)
	}
	b := f.data[f.pos%len(f.data)]
	f.pos++
	return b
}

func (f *fuzzBytes) u16() uint16 { return uint16(f.next()) | uint16(f.next())<<8 }

func fuzzQProblem(typ quant.Type, data []byte, nx, nw, kb, extra uint8) *qProblem {
	return fuzzQProblemUpTo(typ, data, int(nx%10), int(nw%12), kb, extra)
}

// fuzzQProblemUpTo is fuzzQProblem with nx tokens and nw rows.
func fuzzQProblemUpTo(typ quant.Type, data []byte, nx, nw int, kb, extra uint8) *qProblem {
	src := &fuzzBytes{data: data}
	k := 32 * (int(kb)%12 + 1)
	if typ == quant.Q4 {
		k = 256 * (int(kb)%3 + 1)
	}
	p := &qProblem{typ: typ, nx: nx, nw: nw, k: k}
	p.ldo = p.nw + int(extra%3)
	nb := p.nx * k / 32
	p.q = make([]int8, p.nx*k)
	p.scales = make([]float32, nb)
	p.sums = make([]int32, nb)
	p.w = make([]byte, p.nw*p.rb())
	if p.nx > 0 && p.nw > 0 {
		p.outLen = (p.nx-1)*p.ldo + p.nw
	}
	p.outOff = int(extra/3) % 4
	for i := range p.q {
		p.q[i] = max(-127, int8(src.next()))
	}
	p.fillActsSums()
	for b := range p.scales {
		// Positive, exponent 2^-20 .. 2^11.
		p.scales[b] = math.Float32frombits(uint32(src.u16())<<7&0x0fffff | uint32(107+src.next()%32)<<23)
	}
	for i := range p.w {
		p.w[i] = src.next()
	}
	rb := p.rb()
	for r := 0; r < p.nw; r++ {
		row := p.w[r*rb : (r+1)*rb]
		if typ == quant.Q8 {
			for b := 0; b < k/32; b++ {
				if row[b*34+1]&0x7c == 0x7c { // fp16 Inf/NaN: keep finite
					row[b*34+1] &^= 0x40
				}
			}
			continue
		}
		for b := 0; b < k/256; b++ {
			for _, o := range []int{0, 2} { // bf16 d, dmin: exponent 2^-40 .. 2^23
				v := binary.LittleEndian.Uint16(row[b*144+o:])
				e := 87 + (v>>7)&0x3f
				binary.LittleEndian.PutUint16(row[b*144+o:], v&0x807f|e<<7)
			}
		}
	}
	return p
}

func fuzzQSeeds(f *testing.F) {
	f.Add([]byte{0, 0x80, 0xff, 0x7f, 1, 2, 3}, uint8(3), uint8(9), uint8(5), uint8(1))
	f.Add([]byte{0x12, 0x3c, 0xff, 0x00, 0x81, 0x7f, 0x80}, uint8(5), uint8(8), uint8(11), uint8(7))
	f.Add([]byte{0x80}, uint8(9), uint8(11), uint8(2), uint8(2))
	f.Add([]byte{}, uint8(4), uint8(1), uint8(0), uint8(0))
}

func FuzzGemmQ8(f *testing.F) {
	fuzzQSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, kb, extra uint8) {
		fuzzQProblem(quant.Q8, data, nx, nw, kb, extra).crossCheck(t, false)
	})
}

func FuzzGemmQ4(f *testing.F) {
	fuzzQSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, kb, extra uint8) {
		fuzzQProblem(quant.Q4, data, nx, nw, kb, extra).crossCheck(t, false)
	})
}

// FuzzQuantizeActs feeds raw float32 bit patterns (NaN, ±Inf, subnormals,
// tiny blocks whose 127/maxabs overflows) and requires bit-identical
// results from every implementation.
func FuzzQuantizeActs(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0xc0, 0x7f, 1, 0, 0, 0, 0, 0, 0x80, 0xff})
	f.Add([]byte{0x33, 0x33, 0x33, 0x3f, 0, 0, 0, 0x80})
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := (len(data)/4 + 31) &^ 31
		x := make([]float32, max(n, 32))
		src := &fuzzBytes{data: data}
		for i := range x {
			x[i] = math.Float32frombits(uint32(src.next()) | uint32(src.next())<<8 | uint32(src.next())<<16 | uint32(src.next())<<24)
		}
		checkQuantizeActs(t, x)
	})
}
