package simd

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pgedge/pgedge/quant"
)

// TestQ4PanelPack: PackQ4Panels moves the bytes as q4panels.go documents
// (checked field by field on the first panel, independently of
// q4PanelBlock), keeps the size, leaves the tail rows alone, and
// q4PanelBlock gives every row back.
func TestQ4PanelPack(t *testing.T) {
	rng := rand.New(rand.NewPCG(50, 50))
	for _, nw := range []int{0, 5, 16, 17, 33, 48} {
		for _, nsb := range []int{1, 2, 3, 9} {
			k, rb := 256*nsb, 144*nsb
			orig := randQRows(rng, quant.Q4, nw, k)
			w := append([]byte(nil), orig...)
			PackQ4Panels(w, nw, k)
			if len(w) != len(orig) {
				t.Fatalf("nw=%d nsb=%d: size %d → %d", nw, nsb, len(orig), len(w))
			}
			if tail := nw / 16 * 16 * rb; !bytes.Equal(w[tail:], orig[tail:]) {
				t.Errorf("nw=%d nsb=%d: the %d tail rows changed", nw, nsb, nw%16)
			}
			if nw >= 16 {
				for sb := 0; sb < nsb; sb++ {
					base := 2304 * sb
					for r := 0; r < 16; r++ {
						blk := orig[r*rb+144*sb:]
						field := func(what string, at, n int, want []byte) {
							t.Helper()
							if !bytes.Equal(w[base+at:base+at+n], want[:n]) {
								t.Fatalf("nw=%d nsb=%d: super-block %d row %d: %s at %d is %x, want %x", nw, nsb, sb, r, what, base+at, w[base+at:base+at+n], want[:n])
							}
						}
						field("D", 2048+2*r, 2, blk[0:])
						field("M", 2080+2*r, 2, blk[2:])
						field("H", 2240+4*r, 4, blk[12:])
						for j := 0; j < 8; j++ {
							field("sc/mc low", 2112+16*j+r, 1, blk[4+j:])
						}
						for p := 0; p < 4; p++ {
							for s := 0; s < 8; s++ {
								field("codes", 512*p+64*s+4*r, 4, blk[16+32*p+4*s:])
							}
						}
					}
				}
			}
			row := make([]byte, rb)
			for r := 0; r < nw; r++ {
				for sb := 0; sb < nsb; sb++ {
					q4PanelBlock(row[144*sb:], w, nw, k, r, sb)
				}
				if !bytes.Equal(row, orig[r*rb:(r+1)*rb]) {
					t.Fatalf("nw=%d nsb=%d: q4PanelBlock of row %d differs from the row packed", nw, nsb, r)
				}
			}
		}
	}
}

// TestQ4PanelsEdges runs GemmQ4Panels at every level on token counts 0..18
// (groups of 8, 4 and 2, padded groups, several groups), row counts around
// the 16-row panels, k of 1, 2, 3 and 9 super-blocks, misaligned slices and
// ldo ≥ nw: within GemmQ4's bound of quant and of the generic twin, exact
// with exact data; with the default blocking and with the zmm token and k
// blocks shrunk so that a call crosses both.
func TestQ4PanelsEdges(t *testing.T) {
	logQLevels(t)
	for _, blocking := range []string{"default", "small"} {
		t.Run(blocking, func(t *testing.T) {
			if blocking == "small" {
				defer shrinkZBlocks()()
			}
			rng := rand.New(rand.NewPCG(51, uint64(len(blocking))))
			n := 0
			for _, k := range []int{256, 512, 768, 2304} {
				for nx := 0; nx <= 18; nx++ {
					for _, nw := range []int{0, 1, 15, 16, 17, 32, 35} {
						n++
						act, wk := n%5, (n/5)%5
						p := newQProblem(rng, quant.Q4, nx, nw, k, nw+rng.IntN(3), act, wk)
						p.panels = true
						p.crossCheck(t, act == actExact && wk == wExact)
						if t.Failed() {
							return
						}
					}
				}
			}
		})
	}
}

// TestQ4PanelsSameBits: as TestQPanelsSameBits, for Q4.
func TestQ4PanelsSameBits(t *testing.T) {
	testPanelsSameBits(t, quant.Q4, [][2]int{{53, 2304}, {32, 9216}, {17, 256}})
}

// TestQ4PanelsLarge: the model's shapes with quantized and saturating data,
// against quant.
func TestQ4PanelsLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 53))
	for _, s := range [][3]int{{4, 37, 2304}, {9, 21, 9216}, {17, 40, 2048}, {1, 64, 2304}} {
		for _, kinds := range [][2]int{{actRandom, wQuant}, {actSaturate, wExtreme}} {
			p := newQProblem(rng, quant.Q4, s[0], s[1], s[2], s[1]+rng.IntN(2), kinds[0], kinds[1])
			p.panels = true
			p.crossCheck(t, false)
			if t.Failed() {
				return
			}
		}
	}
}

// TestQ4PanelsNoAllocs: a step's calls allocate nothing once QPanels'
// buffers have grown.
func TestQ4PanelsNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(54, 54))
	const nw, k = 48, 2304
	p := newQProblem(rng, quant.Q4, 8, nw, k, nw, actRandom, wRandom)
	PackQ4Panels(p.w, nw, k)
	out := make([]float32, 8*nw)
	var qp QPanels
	for _, nx := range []int{1, 4, 8} {
		qp.Prepare(p.q, p.scales, p.sums, nx, k)
		if n := testing.AllocsPerRun(10, func() {
			qp.Prepare(p.q, p.scales, p.sums, nx, k)
			GemmQ4Panels(out, nw, &qp, p.w, nw)
		}); n != 0 {
			t.Errorf("nx=%d: %v allocations per call", nx, n)
		}
	}
}

func FuzzGemmQ4Panels(f *testing.F) {
	fuzzQSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, kb, extra uint8) {
		p := fuzzQProblemUpTo(quant.Q4, data, int(nx%18), int(nw%40), kb, extra)
		p.panels = true
		p.crossCheck(t, false)
	})
}

// TestDequantizeQ4PanelRow: every row of packed weights decodes to the bits
// quant.DequantizeRow gives for the row before packing.
func TestDequantizeQ4PanelRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(55, 55))
	for _, s := range [][2]int{{35, 512}, {16, 2304}, {3, 256}} {
		nw, k := s[0], s[1]
		orig := randQRows(rng, quant.Q4, nw, k)
		w := append([]byte(nil), orig...)
		PackQ4Panels(w, nw, k)
		got, want := make([]float32, k), make([]float32, k)
		for r := 0; r < nw; r++ {
			DequantizeQ4PanelRow(got, w, nw, k, r)
			quant.DequantizeRow(quant.Q4, orig[r*k/256*144:(r+1)*k/256*144], want)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("nw=%d k=%d row %d [%d]: %v, quant %v", nw, k, r, i, got[i], want[i])
				}
			}
		}
	}
}
