package simd

// Q4 weights in panels (PackQ4Panels, GemmQ4Panels), the Q8 panels'
// counterpart (qpanels.go) for quant's Q4 super-blocks.
//
// The row layout's Q4 GEMV cannot keep up with memory on AVX-512: per 32
// codes of one row it unpacks nibbles, looks up the row's level table,
// multiplies, and reduces the lanes to one sum, so PaliGemma 2 3B INT4
// extended at 0.35–0.44 of the read bandwidth beside it, compute-bound. In
// panels 16 rows sit side by side in the lanes of a zmm register, as for
// Q8, and the levels of 16 rows with different tables come from one
// VPERMB (AVX-512 VBMI): its 64-byte table holds quant's four 16-level
// tables, and each code byte carries its row's table number in bits 4-5.
//
//	rows [16i, 16i+16) of nw Q4 rows of k values (nsb = k/256 super-blocks)
//	become panel i, 16·144·nsb bytes, the same bytes the rows held. Per
//	super-block, 2304 bytes (36 cache lines):
//	   [0, 2048)     pair p = 0..3 of sub-blocks (2p, 2p+1) at 512p: 8 steps of
//	                 64 bytes [4 code bytes of row 0, …, row 15], step s being
//	                 each row's bytes 16+32p+4s … +3 (low nibbles: values
//	                 4s…4s+3 of sub-block 2p, high nibbles: of 2p+1)
//	   [2048, 2080)  the 16 rows' D words (bf16 d, bit 15 the table's bit 0)
//	   [2080, 2112)  their M words (bf16 dmin, bit 15 the table's bit 1)
//	   [2112, 2240)  sub-block j at 2112+16j: the rows' header byte 4+j
//	                 (sc[j] and mc[j] bits 0-3)
//	   [2240, 2304)  their H dwords (sc and mc bits 4-5)
//	The last nw mod 16 rows stay in the row layout after the panels.
//
// Every field keeps its bits, so a panel is no larger than its rows and
// decoding it is quant's decoding. One step is one zmm load of 64 bytes;
// its low and high nibbles are two sub-blocks' step, each turned into
// levels by a VPTERNLOGD (code | table·16) and a VPERMB, then multiplied by
// VPDPBUSD with a token's 4 activation bytes (the levels are unsigned ≤ 127,
// its u8 operand). Per super-block the kernel decodes the rows' d, dmin and
// tables once, per sub-block S = d·sc and M = dmin·mc (16 rows at once),
// and per sub-block j (activation block b) and token:
//
//	acc = Σ_steps VPDPBUSD(levels, a_t)   16 exact int32 sums
//	x = float(acc)·S                      the rows' sub-block scales
//	x = x − M·Σa_t                        one FMA: the mins against the block's sum
//	F_t = x·s_t + F_t                     one FMA: the token's block scale
//
// gemvQ4P runs it for one token, tileQ4P2/4/8 for 2, 4 or 8 tokens of the
// activations QPanels.Prepare laid out (the Q8 panels' layout: a block is
// a sub-block), with the same blocking; a token's outputs are therefore
// bit-identical in an extend, a batched step and a prefill, and the Go twin
// (q4PanelGo) follows the same operations.
//
// Accuracy: acc and float(acc) are exact (|acc| ≤ 32·127·127 < 2²⁴); x takes
// three roundings and F one, so the error stays within GemmQ4's bound
// (qgemm.go), which the tests apply.
//
// Speed, on a noisy 2-vCPU Zen 5 (BenchmarkQPanelsHot/Q4, BenchmarkQPanels/Q4,
// pgedge bench; bench/README.md has the tables): in cache, one token streams
// 57–63 GB/s per core against the row GEMV's 20–25, 4 tokens multiply-add at
// 202–223 G/s against GemmQ4Batch's 86–90. From memory one token reads at
// ~1.0 of the bandwidth beside it with software prefetch 6 super-blocks
// ahead (0.54–0.73 without); 4 tokens at 0.64–0.85, their multiply-adds being
// the limit (~158 vector operations per 4 tokens × 16 rows × 64 values).
// PaliGemma 2 3B INT4 then extends at 0.67–0.85 of the read probe
// (0.45–0.71 in rows). Packing is a Go loop (~0.15 s for the 3B decoder).

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/pgedge/pgedge/quant"
)

const (
	q4PanelSB   = 2304 // one super-block of a panel
	q4PanelHD   = 2048 // its D words
	q4PanelHM   = 2080 // M words
	q4PanelHL   = 2112 // sc/mc low bytes, 16 per sub-block
	q4PanelHH   = 2240 // H dwords
	q4RowSB     = 144  // a super-block of a row
	q4RowCodes  = 16   // where a row's codes start in its super-block
	q4PanelPair = 512  // the codes of a pair of sub-blocks
)

// PackQ4Panels rewrites w, nw Q4 rows of k values (quant.RowBytes(quant.Q4,
// k) bytes each), in place into the panel layout described above. It panics
// if k is not a multiple of 256 or w is shorter than the rows. GemmQ4Panels
// and DequantizeQ4PanelRow then read it; nothing else can.
func PackQ4Panels(w []byte, nw, k int) {
	if nw < 0 || k < 0 || k%256 != 0 {
		panic(fmt.Sprintf("simd: PackQ4Panels: nw = %d, k = %d (a multiple of 256)", nw, k))
	}
	nsb := k / 256
	rb := nsb * q4RowSB
	if !qfits(nw, rb, len(w)) {
		panic(fmt.Sprintf("simd: PackQ4Panels: len(w) = %d < %d rows of %d bytes", len(w), nw, rb))
	}
	if nsb == 0 || nw < panelRows {
		return
	}
	rows := make([]byte, panelRows*rb)
	for i := 0; i+panelRows <= nw; i += panelRows {
		panel := w[i*rb : (i+panelRows)*rb]
		copy(rows, panel)
		packQ4PanelGo(panel, rows, nsb)
	}
}

// packQ4PanelGo writes the panel layout of the 16 rows of nsb super-blocks
// in rows to panel.
func packQ4PanelGo(panel, rows []byte, nsb int) {
	rb := nsb * q4RowSB
	le := binary.LittleEndian
	for sb := 0; sb < nsb; sb++ {
		dst := (*[q4PanelSB]byte)(panel[sb*q4PanelSB:])
		for r := 0; r < panelRows; r++ {
			blk := (*[q4RowSB]byte)(rows[r*rb+sb*q4RowSB:])
			for p := 0; p < 4; p++ {
				for s := 0; s < 8; s++ {
					le.PutUint32(dst[q4PanelPair*p+64*s+4*r:], le.Uint32(blk[q4RowCodes+32*p+4*s:]))
				}
			}
			copy(dst[q4PanelHD+2*r:][:2], blk[0:2])
			copy(dst[q4PanelHM+2*r:][:2], blk[2:4])
			for j := 0; j < 8; j++ {
				dst[q4PanelHL+16*j+r] = blk[4+j]
			}
			copy(dst[q4PanelHH+4*r:][:4], blk[12:16])
		}
	}
}

// q4PanelBlock copies super-block sb of row r of w, nw Q4 rows of k values
// packed by PackQ4Panels, into dst (144 bytes, as a row holds it).
func q4PanelBlock(dst, w []byte, nw, k, r, sb int) {
	nsb := k / 256
	rb := nsb * q4RowSB
	if r >= nw/panelRows*panelRows {
		copy(dst[:q4RowSB], w[r*rb+sb*q4RowSB:])
		return
	}
	src := (*[q4PanelSB]byte)(w[r/panelRows*panelRows*rb+sb*q4PanelSB:])
	i := r % panelRows
	for p := 0; p < 4; p++ {
		for s := 0; s < 8; s++ {
			copy(dst[q4RowCodes+32*p+4*s:][:4], src[q4PanelPair*p+64*s+4*i:])
		}
	}
	copy(dst[0:2], src[q4PanelHD+2*i:])
	copy(dst[2:4], src[q4PanelHM+2*i:])
	for j := 0; j < 8; j++ {
		dst[4+j] = src[q4PanelHL+16*j+i]
	}
	copy(dst[12:16], src[q4PanelHH+4*i:])
}

// DequantizeQ4PanelRow sets out[:k] to row r of w, nw Q4 rows of k values
// packed by PackQ4Panels, with the bits quant.DequantizeRow gives the row.
func DequantizeQ4PanelRow(out []float32, w []byte, nw, k, r int) {
	if r < 0 || r >= nw || k%256 != 0 || len(out) < k || !qfits(nw, k/256*q4RowSB, len(w)) {
		panic(fmt.Sprintf("simd: DequantizeQ4PanelRow: row %d of %d, k = %d, destination %d, len(w) = %d", r, nw, k, len(out), len(w)))
	}
	var blk [q4RowSB]byte
	for sb := 0; sb < k/256; sb++ {
		q4PanelBlock(blk[:], w, nw, k, r, sb)
		quant.DequantizeRow(quant.Q4, blk[:], out[256*sb:256*sb+256])
	}
}

// Q4PanelsFast reports whether GemmQ4Panels runs on assembly kernels here
// (the avx512vnni level on a CPU with AVX-512 VBMI), that is, whether
// packing pays.
func Q4PanelsFast() bool {
	return qLevels[qSel[qkPanels4]].panels4 != nil && qSel[qkPanels4] != 0
}

// GemmQ4Panels is GemmQ4(out, ldo, q, scales, sums, nx, w, nw, k) on the
// activations p was prepared with, for rows that PackQ4Panels packed: w
// must start at a panel and hold nw rows, all the matrix's rows from there
// or a multiple of 16. Each token's results do not depend on nx; the
// accuracy is GemmQ4's.
func GemmQ4Panels(out []float32, ldo int, p *QPanels, w []byte, nw int) {
	if !checkQGemm("GemmQ4Panels", 256, q4RowSB, out, ldo, p.q, p.scales, p.sums, p.nx, w, nw, p.k) {
		return
	}
	gemmQ4PanelsWith(&qLevels[qSel[qkPanels4]], GemmQ4, out, ldo, p, w, nw)
}

// gemmQ4PanelsWith is GemmQ4Panels (checked) with level l's kernels and gemv
// for the rows after the panels.
func gemmQ4PanelsWith(l *qLevelImpl, gemv qGemmFunc, out []float32, ldo int, p *QPanels, w []byte, nw int) {
	kern := l.panels4
	if kern == nil || p.nx > 1 && len(p.groups) == 0 {
		kern = qLevels[0].panels4
	}
	panelsWith(kern, gemv, p.k/256*q4RowSB, out, ldo, p, w, nw)
}

// gemmQ4PanelsGo is the Go twin of the Q4 panel kernels.
func gemmQ4PanelsGo(out []float32, ldo int, p *QPanels, w []byte, nw int) {
	k, nb := p.k, p.k/32
	rb := k / 256 * q4RowSB
	for t := 0; t < p.nx; t++ {
		for i := 0; i+panelRows <= nw; i += panelRows {
			q4PanelGo(out[t*ldo+i:t*ldo+i+panelRows], w[i*rb:(i+panelRows)*rb], k/256, p.q[t*k:(t+1)*k], p.scales[t*nb:], p.sums[t*nb:])
		}
	}
}

// q4PanelGo sets out[r] for the 16 rows of a panel of nsb super-blocks and
// one token, as the kernels do.
func q4PanelGo(out []float32, panel []byte, nsb int, q []int8, scales []float32, sums []int32) {
	var f [panelRows]float32
	le := binary.LittleEndian
	for sb := 0; sb < nsb; sb++ {
		src := (*[q4PanelSB]byte)(panel[sb*q4PanelSB:])
		for r := 0; r < panelRows; r++ {
			D, M := le.Uint16(src[q4PanelHD+2*r:]), le.Uint16(src[q4PanelHM+2*r:])
			d := math.Float32frombits(uint32(D&0x7fff) << 16)
			dmin := math.Float32frombits(uint32(M&0x7fff) << 16)
			lv := &q4LevelsTab[int(D>>15)|int(M>>15)<<1]
			h := le.Uint32(src[q4PanelHH+4*r:])
			for j := 0; j < 8; j++ {
				b := 8*sb + j
				lo := src[q4PanelHL+16*j+r]
				sc := lo&15 | uint8(h>>(2*j)&3)<<4
				mc := lo>>4 | uint8(h>>(16+2*j)&3)<<4
				a := q[32*b : 32*b+32]
				var acc int32
				for s := 0; s < 8; s++ {
					c := src[q4PanelPair*(j/2)+64*s+4*r:][:4]
					for u, v := range c {
						acc += int32(lv[v>>(4*(j&1))&15]) * int32(a[4*s+u])
					}
				}
				x := float32(acc) * (d * float32(sc))
				x = fma32(-(dmin * float32(mc)), float32(sums[b]), x)
				f[r] = fma32(x, scales[b], f[r])
			}
		}
	}
	copy(out, f[:])
}
