package simd

import (
	"bytes"
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

// TestQ4PanelsEdges: as TestQPanelsEdges, for Q4 (k of 1, 2, 3 and 9
// super-blocks).
func TestQ4PanelsEdges(t *testing.T) {
	testPanelsEdges(t, quant.Q4, []int{256, 512, 768, 2304})
}

// TestQ4PanelsSameBits: as TestQPanelsSameBits, for Q4.
func TestQ4PanelsSameBits(t *testing.T) {
	testPanelsSameBits(t, quant.Q4, [][2]int{{53, 2304}, {32, 9216}, {17, 256}})
}

// TestQ4PanelsLarge: as TestQPanelsLarge, for Q4.
func TestQ4PanelsLarge(t *testing.T) {
	testPanelsLarge(t, quant.Q4, [][3]int{{4, 37, 2304}, {9, 21, 9216}, {17, 40, 2048}, {1, 64, 2304}})
}

func FuzzGemmQ4Panels(f *testing.F) {
	fuzzQSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, kb, extra uint8) {
		p := fuzzQProblemUpTo(quant.Q4, data, int(nx%18), int(nw%40), kb, extra)
		p.panels = true
		p.crossCheck(t, false)
	})
}
