package simd

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/pgedge/pgedge/quant"
)

// TestQ8PanelPack: PackQ8Panels, at every level, moves the bytes as
// qpanels.go documents (checked byte by byte on the first panel,
// independently of panelBlockAt), keeps the size, leaves the tail rows
// alone, and q8PanelRow gives every row back.
func TestQ8PanelPack(t *testing.T) {
	forEachQLevel(t, testQ8PanelPack)
}

func testQ8PanelPack(t *testing.T, _ qImpl) {
	rng := rand.New(rand.NewPCG(40, 40))
	for _, nw := range []int{0, 5, 16, 17, 33, 48} {
		for _, nb := range []int{1, 2, 3, 8, 9, 72} {
			k, rb := 32*nb, 34*nb
			orig := randQRows(rng, quant.Q8, nw, k)
			w := append([]byte(nil), orig...)
			PackQ8Panels(w, nw, k)
			if len(w) != len(orig) {
				t.Fatalf("nw=%d nb=%d: size %d → %d", nw, nb, len(orig), len(w))
			}
			if tail := nw / 16 * 16 * rb; !bytes.Equal(w[tail:], orig[tail:]) {
				t.Errorf("nw=%d nb=%d: the %d tail rows changed", nw, nb, nw%16)
			}
			if nw >= 16 {
				for b := 0; b < nb; b++ {
					// Pairs of 1088 bytes: codes of b, codes of b+1, d of b, d
					// of b+1; an odd last block: codes, then d.
					codes, d := b/2*1088+b%2*512, b/2*1088+1024+b%2*32
					if b%2 == 0 && b == nb-1 {
						d = b/2*1088 + 512
					}
					for r := 0; r < 16; r++ {
						blk := orig[r*rb+34*b:]
						if !bytes.Equal(w[d+2*r:d+2*r+2], blk[:2]) {
							t.Fatalf("nw=%d nb=%d: block %d row %d: d at %d is %x, want %x", nw, nb, b, r, d+2*r, w[d+2*r:d+2*r+2], blk[:2])
						}
						for j := 0; j < 8; j++ {
							at := codes + 64*j + 4*r
							if !bytes.Equal(w[at:at+4], blk[2+4*j:6+4*j]) {
								t.Fatalf("nw=%d nb=%d: block %d row %d step %d: codes at %d are %x, want %x", nw, nb, b, r, j, at, w[at:at+4], blk[2+4*j:6+4*j])
							}
						}
					}
				}
			}
			row := make([]byte, rb)
			for r := 0; r < nw; r++ {
				q8PanelRow(row, w, nw, k, r)
				if !bytes.Equal(row, orig[r*rb:(r+1)*rb]) {
					t.Fatalf("nw=%d nb=%d: q8PanelRow(%d) differs from the row packed", nw, nb, r)
				}
			}
		}
	}
}

// TestQPanelsEdges runs GemmQ8Panels at every level on token counts 0..18
// (groups of 8, 4 and 2, padded groups, several groups), row counts around
// the 16-row panels (tail rows, no panel at all), k from one block to odd
// and even block counts, misaligned slices and ldo ≥ nw: within GemmQ8's
// bound of quant and of the generic twin, exact with exact data. Once
// with the default blocking and once with the zmm token and k blocks
// shrunk so that a call crosses both.
func TestQPanelsEdges(t *testing.T) {
	testPanelsEdges(t, quant.Q8, []int{32, 64, 96, 544, 576, 1056})
}

func testPanelsEdges(t *testing.T, typ quant.Type, ks []int) {
	logQLevels(t)
	for _, blocking := range []string{"default", "small"} {
		t.Run(blocking, func(t *testing.T) {
			if blocking == "small" {
				defer shrinkZBlocks()()
			}
			rng := rand.New(rand.NewPCG(41, uint64(len(blocking))+uint64(typ)<<8))
			n := 0
			for _, k := range ks {
				for nx := 0; nx <= 18; nx++ {
					for _, nw := range []int{0, 1, 15, 16, 17, 32, 35} {
						n++
						act, wk := n%5, (n/5)%5
						p := newQProblem(rng, typ, nx, nw, k, nw+rng.IntN(3), act, wk)
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

// TestQPanelsSameBits is the layout's promise: at each level, a token's
// outputs are the same bits whatever the other tokens of the call, their
// number and the blocking (default, and zmm blocks shrunk so that token
// blocks and k blocks split every call): one token alone, in a batched
// step of 2..17, and in a prefill. The assembly must also match the Go
// twin q8PanelGo bit for bit but for the twin's float64 FMA (a double
// rounding in rare ties, see fma32).
func TestQPanelsSameBits(t *testing.T) {
	testPanelsSameBits(t, quant.Q8, [][2]int{{53, 2336}, {32, 9216}, {64, 2304}, {17, 32}})
}

func testPanelsSameBits(t *testing.T, typ quant.Type, shapes [][2]int) {
	logQLevels(t)
	rng := rand.New(rand.NewPCG(42, uint64(typ)))
	for _, s := range shapes {
		nw, k := s[0], s[1]
		p := newQProblem(rng, typ, 17, nw, k, nw, actRandom, wRandom)
		pw := append([]byte(nil), p.w...)
		pack, gemm, kernels := PackQ8Panels, GemmQ8Panels, func(l *qLevelImpl) bool { return l.panels8 != nil }
		if typ == quant.Q4 {
			pack, gemm, kernels = PackQ4Panels, GemmQ4Panels, func(l *qLevelImpl) bool { return l.panels4 != nil }
		}
		pack(pw, nw, k)
		nb := k / 32
		var qp QPanels
		run := func(nx, t0 int) []float32 {
			out := make([]float32, nx*nw)
			qp.Prepare(p.q[t0*k:], p.scales[t0*nb:], p.sums[t0*nb:], nx, k)
			gemm(out, nw, &qp, pw, nw)
			return out
		}
		var twin [][]float32 // per token, the generic level's
		var same, all int
		t.Run(fmt.Sprintf("nw=%d,k=%d", nw, k), func(t *testing.T) {
			forEachQLevel(t, func(t *testing.T, im qImpl) {
				for _, blocking := range []string{"default", "small"} {
					restore := func() {}
					if blocking == "small" {
						restore = shrinkZBlocks()
					}
					alone := make([][]float32, 17)
					for tok := range alone {
						alone[tok] = run(1, tok)
					}
					if im.level == 0 && blocking == "default" {
						twin = alone
					}
					for nx := 2; nx <= 17; nx++ {
						out := run(nx, 17-nx)
						for i := 0; i < nx; i++ {
							want := alone[17-nx+i]
							for r := 0; r < nw; r++ {
								if got := out[i*nw+r]; math.Float32bits(got) != math.Float32bits(want[r]) {
									restore()
									t.Fatalf("nw=%d k=%d %s blocks: token %d of %d, row %d: %v, alone %v", nw, k, blocking, i, nx, r, got, want[r])
								}
							}
						}
					}
					restore()
					for tok := range alone {
						for r := 0; r < nw; r++ {
							a, b := alone[tok][r], twin[tok][r]
							_, tol := p.ref(tok, r)
							if !(math.Abs(float64(a)-float64(b)) <= tol) {
								t.Fatalf("nw=%d k=%d token %d row %d: %v, Go twin %v (tol %.3g)", nw, k, tok, r, a, b, tol)
							}
							if kernels(&qLevels[im.level]) && im.level != 0 && r < nw/16*16 { // assembly; the tail rows are the row kernels'
								all++
								if a == b {
									same++
								}
							}
						}
					}
				}
			})
		})
		if all > 0 && same < all*99/100 {
			t.Errorf("nw=%d k=%d: only %d of %d outputs equal the Go twin's: the kernels' order has drifted from it", nw, k, same, all)
		}
		t.Logf("nw=%d k=%d: %d of %d assembly outputs bit-identical to the Go twin", nw, k, same, all)
	}
}

// TestQPanelsLarge: the model's shapes with quantized and saturating
// data, against quant.
func TestQPanelsLarge(t *testing.T) {
	testPanelsLarge(t, quant.Q8, [][3]int{{4, 37, 2304}, {9, 21, 9216}, {17, 40, 2336}, {1, 64, 2304}})
}

func testPanelsLarge(t *testing.T, typ quant.Type, shapes [][3]int) {
	rng := rand.New(rand.NewPCG(43, uint64(typ)))
	for _, s := range shapes {
		for _, kinds := range [][2]int{{actRandom, wQuant}, {actSaturate, wExtreme}} {
			p := newQProblem(rng, typ, s[0], s[1], s[2], s[1]+rng.IntN(2), kinds[0], kinds[1])
			p.panels = true
			p.crossCheck(t, false)
			if t.Failed() {
				return
			}
		}
	}
}

// TestQPanelsNoAllocs: a step's calls allocate nothing once QPanels'
// buffers have grown.
func TestQPanelsNoAllocs(t *testing.T) {
	for _, typ := range []quant.Type{quant.Q8, quant.Q4} {
		rng := rand.New(rand.NewPCG(44, uint64(typ)))
		const nw, k = 48, 2304
		p := newQProblem(rng, typ, 8, nw, k, nw, actRandom, wRandom)
		pack, gemm := panelsFor(typ)
		pack(p.w, nw, k)
		out := make([]float32, 8*nw)
		var qp QPanels
		for _, nx := range []int{1, 4, 8} {
			qp.Prepare(p.q, p.scales, p.sums, nx, k)
			if n := testing.AllocsPerRun(10, func() {
				qp.Prepare(p.q, p.scales, p.sums, nx, k)
				gemm(out, nw, &qp, p.w, nw)
			}); n != 0 {
				t.Errorf("%s nx=%d: %v allocations per call", typ, nx, n)
			}
		}
	}
}

func FuzzGemmQ8Panels(f *testing.F) {
	fuzzQSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, nx, nw, kb, extra uint8) {
		// Up to 17 tokens (every group shape) and 39 rows (two panels and
		// a tail).
		p := fuzzQProblemUpTo(quant.Q8, data, int(nx%18), int(nw%40), kb, extra)
		p.panels = true
		p.crossCheck(t, false)
	})
}

// TestDequantizePanelRow: every row of packed Q8 and Q4 weights decodes to
// the bits quant.DequantizeRow gives for the row before packing.
func TestDequantizePanelRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 45))
	for _, c := range []struct {
		typ    quant.Type
		shapes [][2]int
	}{
		{quant.Q8, [][2]int{{35, 96}, {16, 2336}, {3, 64}}},
		{quant.Q4, [][2]int{{35, 512}, {16, 2304}, {3, 256}}},
	} {
		pack, _ := panelsFor(c.typ)
		dequant := DequantizeQ8PanelRow
		if c.typ == quant.Q4 {
			dequant = DequantizeQ4PanelRow
		}
		for _, s := range c.shapes {
			nw, k := s[0], s[1]
			rb := quant.RowBytes(c.typ, k)
			orig := randQRows(rng, c.typ, nw, k)
			w := append([]byte(nil), orig...)
			pack(w, nw, k)
			got, want := make([]float32, k), make([]float32, k)
			for r := 0; r < nw; r++ {
				dequant(got, w, nw, k, r)
				quant.DequantizeRow(c.typ, orig[r*rb:(r+1)*rb], want)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s nw=%d k=%d row %d [%d]: %v, quant %v", c.typ, nw, k, r, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// q8PanelRow copies row r of w, nw Q8 rows of k values packed by
// PackQ8Panels, into dst in the row layout (quant.RowBytes(quant.Q8, k)
// bytes).
func q8PanelRow(dst, w []byte, nw, k, r int) {
	checkPanelRow("q8PanelRow", len(dst), k/32*34, w, nw, k, r)
	for b := 0; b < k/32; b++ {
		q8PanelBlock(dst[34*b:], w, nw, k, r, b)
	}
}

// TestQPanelsPrepareWith: groups laid out by a run function (here on
// goroutines, in reverse) give the layout Prepare gives, for 1..40 tokens.
func TestQPanelsPrepareWith(t *testing.T) {
	rng := rand.New(rand.NewPCG(46, 46))
	const k = 96
	q, s, m := benchActs(rng, 40, k)
	run := func(n int, f func(int)) {
		done := make(chan bool)
		for i := n - 1; i >= 0; i-- {
			go func() { f(i); done <- true }()
		}
		for range n {
			<-done
		}
	}
	for nx := 1; nx <= 40; nx++ {
		var a, b QPanels
		a.Prepare(q, s, m, nx, k)
		b.PrepareWith(q, s, m, nx, k, run)
		if !bytes.Equal(int8Bytes(a.a), int8Bytes(b.a)) || fmt.Sprint(a.s, a.c, a.f) != fmt.Sprint(b.s, b.c, b.f) || len(a.groups) != len(b.groups) {
			t.Fatalf("nx=%d: PrepareWith's layout differs from Prepare's", nx)
		}
	}
}
