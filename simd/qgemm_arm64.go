//go:build !purego

package simd

import "golang.org/x/sys/cpu"

// The integer kernels on arm64: level 1 is plain NEON (SMULL/SMLAL2 into
// int16 pairs, SADALP), for cores without the dot-product extension such
// as the Cortex-A72 of the Raspberry Pi 4; level 2 adds SDOT (FEAT_DotProd,
// Cortex-A76 and later); level 3 uses SMMLA (FEAT_I8MM, e.g. Neoverse V1/N2,
// Cortex-A710) for prefill, whose 2×8·8×2 products do twice SDOT's
// multiply-adds per instruction. NEON is part of every arm64 CPU.
const qArch = "arm64"

var qLevels = []qLevelImpl{
	qGenericLevel(),
	qNEONLevel(1, "neon", true, "NEON"),
	qNEONLevel(2, "neon-sdot", cpu.ARM64.HasASIMDDP, "the dot-product extension (SDOT)"),
	qNEONLevel(3, "neon-i8mm", cpu.ARM64.HasASIMDDP && cpu.ARM64.HasI8MM, "the dot-product and i8mm extensions"),
}

func qNEONLevel(lv int, name string, have bool, need string) qLevelImpl {
	return qLevelImpl{
		name: name, have: have, need: need, gemvMax: qTileT(lv),
		quant: quantizeActsAsm,
		gemv8: func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
			gemvQ8(lv, out, ldo, q, scales, nx, w, nw, k)
		},
		gemm8: func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
			gemmQ8At(lv, out, ldo, q, scales, sums, nx, w, nw, k)
		},
		gemv4: func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
			gemvQ4(lv, out, ldo, q, scales, sums, nx, w, nw, k)
		},
		gemm4: func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
			gemmQ4At(lv, out, ldo, q, scales, sums, nx, w, nw, k)
		},
		peak: func() int64 { return peakAt(lv) },
	}
}

func b2iQ(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The prefill tile is 8 weight rows (two vectors of 4 rows × 4 values) ×
// qTileT tokens: 4 with SDOT (int32 and float32 accumulators for 8 rows ×
// 4 tokens, the 4 tokens' activation vectors and the weights fit the 32
// vector registers), 2 with plain NEON (its int16 products and two-lane
// int32 accumulators need twice the registers).
const (
	qTileR = 8
	// Packed panel bytes per 32-value block: 8 rows × 32 codes and 8
	// float32 d (Q8), or 8 rows × 32 levels, 8 S_j and 8 −M_j (Q4); the
	// SMMLA panels hold each scale twice.
	qPanelBlk8   = 256 + 32
	qPanelBlk4   = 256 + 64
	qPanelBlk8MM = 256 + 64
	qPanelBlk4MM = 256 + 128
)

func qTileT(lv int) int {
	if lv >= 2 {
		return 4
	}
	return 2
}

//go:noescape
func quantActsNEON(x *float32, q *int8, s *float32, m *int32, nb int)

//go:noescape
func streamReadNEON(p *byte, n int) uint64

func peakNEON(n int) int64

func peakSDOT(n int) int64

func peakMM(n int) int64

// gemvQ8NEON and gemvQ8SDOT set out[r] = DotQ8(row r, token) for r < nr,
// rows rb bytes apart, over nb ≥ 1 blocks; q, s: the token's activations
// and scales.
//
//go:noescape
func gemvQ8NEON(w *byte, rb int, nr int, q *int8, s *float32, nb int, out *float32)

//go:noescape
func gemvQ8SDOT(w *byte, rb int, nr int, q *int8, s *float32, nb int, out *float32)

// gemvQ4NEON and gemvQ4SDOT are the Q4 versions (nsb ≥ 1 super-blocks; m:
// the token's activation sums; lut: the four level tables).
//
//go:noescape
func gemvQ4NEON(w *byte, rb int, nr int, q *int8, s *float32, m *int32, nsb int, out *float32, lut *byte)

//go:noescape
func gemvQ4SDOT(w *byte, rb int, nr int, q *int8, s *float32, m *int32, nsb int, out *float32, lut *byte)

// packQ8NEON repacks nb blocks of 8 Q8 rows (rows[i] points at row i's
// first block) into the panel layout of the tiles: per block, for each of
// the 8 steps of 4 values, 16 bytes of rows 0-3 then 16 of rows 4-7 (codes
// flipped to signed), then the 8 rows' d as float32.
//
//go:noescape
func packQ8NEON(dst *byte, rows *[8]*byte, nb int)

// packQ4NEON repacks nsb super-blocks of 8 Q4 rows: levels in the layout of
// packQ8NEON, then per sub-block the rows' S_j and −M_j.
//
//go:noescape
func packQ4NEON(dst *byte, rows *[8]*byte, nsb int, lut *byte, scratch *[2048]byte)

// The tiles multiply a packed panel of nb blocks with qTileT() tokens:
// token t's activations are at q + 8·off[t], its scales (and Q4 scale·sum
// products) at s + off[t] (ss + off[t]) in bytes, off[0] = 0. They set
// (acc = 0) or add to (acc = 1) out[t][0:8].
//
//go:noescape
func tileQ8SDOT(p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int)

//go:noescape
func tileQ4SDOT(p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int)

//go:noescape
func tileQ8NEON(p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int)

//go:noescape
func tileQ4NEON(p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int)

// packQ8MM and packQ4MM are packQ8NEON and packQ4NEON in the layout of the
// SMMLA tiles: per block, for each 8-value chunk and row pair, 16 bytes
// [row 2p's 8 codes, row 2p+1's], then the scales as [d_2p, d_2p, d_2p+1,
// d_2p+1] for p = 0..3 (Q4: S_j, then −M_j).
//
//go:noescape
func packQ8MM(dst *byte, rows *[8]*byte, nb int)

//go:noescape
func packQ4MM(dst *byte, rows *[8]*byte, nsb int, lut *byte, scratch *[2048]byte)

// tileQ8MM and tileQ4MM are the SMMLA tiles (8 rows × 4 tokens), with the
// contract of tileQ8SDOT and tileQ4SDOT.
//
//go:noescape
func tileQ8MM(p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, acc int)

//go:noescape
func tileQ4MM(p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, acc int)

// ssumNEON sets dst[i] = s[i]·float32(m[i]) for i < n, n a positive
// multiple of 8.
//
//go:noescape
func ssumNEON(dst *float32, s *float32, m *int32, n int)

func quantizeActsAsm(x []float32, q []int8, scales []float32, sums []int32) {
	nb := len(x) / 32
	for b0 := 0; b0 < nb; b0 += 1024 {
		n := min(1024, nb-b0)
		quantActsNEON(&x[b0*32], &q[b0*32], &scales[b0], &sums[b0], n)
	}
}

// streamChunk bounds one assembly call of StreamRead.
const streamChunk = 256 << 10

func streamReadAsm(b []byte) uint64 {
	var s uint64
	for len(b) >= 256 {
		n := min(len(b), streamChunk) &^ 255
		s += streamReadNEON(&b[0], n)
		b = b[n:]
	}
	return s + streamReadGeneric(b)
}

func peakAt(lv int) int64 {
	switch lv {
	case 3:
		return peakMM(4096)
	case 2:
		return peakSDOT(4096)
	}
	return peakNEON(4096)
}

func setQBlocking(kc, mc int) (restore func()) {
	okc, omc := qBlockK, qBlockT
	qBlockK, qBlockT = kc, mc
	return func() { qBlockK, qBlockT = okc, omc }
}

func gemmQ8At(lv int, out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	tt := qTileT(lv)
	if nx < tt {
		gemvQ8(lv, out, ldo, q, scales, nx, w, nw, k)
		return
	}
	var (
		panel   [qPanelMaxBlocks * qPanelBlk8MM]byte
		rows    [8]*byte
		off     [4]int
		outs    [4]*float32
		scratch [4][qTileR]float32
	)
	rb := k / 32 * 34
	kc := qSplitK(k)
	mc := qTokenBlock(k)
	sdot := lv >= 2
	for t0 := 0; t0 < nx; t0 += mc {
		t1 := min(t0+mc, nx)
		for r0 := 0; r0 < nw; r0 += qTileR {
			nr := min(qTileR, nw-r0)
			for k0 := 0; k0 < k; k0 += kc {
				nb := min(kc, k-k0) / 32
				for i := range rows {
					rows[i] = &w[(r0+min(i, nr-1))*rb+k0/32*34]
				}
				if lv == 3 {
					packQ8MM(&panel[0], &rows, nb)
				} else {
					packQ8NEON(&panel[0], &rows, nb)
				}
				for t := t0; t < t1; t += tt {
					n := qTileOffs(&off, t, t1, k)
					for i := range outs {
						outs[i] = &scratch[i][0]
						if i < n && nr == qTileR {
							outs[i] = &out[(t+i)*ldo+r0]
						}
					}
					a := t*k + k0
					acc := b2iQ(k0 > 0 && nr == qTileR)
					switch {
					case lv == 3:
						tileQ8MM(&panel[0], &q[a], &scales[a/32], &off, &outs, nb, acc)
					case sdot:
						tileQ8SDOT(&panel[0], &q[a], &scales[a/32], &off, &outs, nb, acc)
					default:
						tileQ8NEON(&panel[0], &q[a], &scales[a/32], &off, &outs, nb, acc)
					}
					if nr < qTileR {
						qMergeEdge(out, ldo, &scratch, t, min(n, tt), r0, nr, k0 > 0)
					}
				}
			}
		}
	}
}

func gemmQ4At(lv int, out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	tt := qTileT(lv)
	if nx < tt {
		gemvQ4(lv, out, ldo, q, scales, sums, nx, w, nw, k)
		return
	}
	var (
		panel   [qPanelMaxBlocks * qPanelBlk4MM]byte
		lvbuf   [2048]byte
		ssum    [qSSumMax]float32
		rows    [8]*byte
		off     [4]int
		outs    [4]*float32
		scratch [4][qTileR]float32
	)
	rb := k / 256 * 144
	kc := qSplitK(k)
	mc := min(qTokenBlock(k), qSSumMax/(k/32)&^3)
	if mc < 4 {
		gemvQ4(lv, out, ldo, q, scales, sums, nx, w, nw, k) // k > 65536
		return
	}
	sdot := lv >= 2
	for t0 := 0; t0 < nx; t0 += mc {
		t1 := min(t0+mc, nx)
		ssumNEON(&ssum[0], &scales[t0*k/32], &sums[t0*k/32], (t1-t0)*k/32)
		for r0 := 0; r0 < nw; r0 += qTileR {
			nr := min(qTileR, nw-r0)
			for k0 := 0; k0 < k; k0 += kc {
				nb := min(kc, k-k0) / 32
				for i := range rows {
					rows[i] = &w[(r0+min(i, nr-1))*rb+k0/256*144]
				}
				if lv == 3 {
					packQ4MM(&panel[0], &rows, nb/8, &q4LUT[0], &lvbuf)
				} else {
					packQ4NEON(&panel[0], &rows, nb/8, &q4LUT[0], &lvbuf)
				}
				for t := t0; t < t1; t += tt {
					n := qTileOffs(&off, t, t1, k)
					for i := range outs {
						outs[i] = &scratch[i][0]
						if i < n && nr == qTileR {
							outs[i] = &out[(t+i)*ldo+r0]
						}
					}
					a := t*k + k0
					acc := b2iQ(k0 > 0 && nr == qTileR)
					switch {
					case lv == 3:
						tileQ4MM(&panel[0], &q[a], &scales[a/32], &ssum[(a-t0*k)/32], &off, &outs, nb, acc)
					case sdot:
						tileQ4SDOT(&panel[0], &q[a], &scales[a/32], &ssum[(a-t0*k)/32], &off, &outs, nb, acc)
					default:
						tileQ4NEON(&panel[0], &q[a], &scales[a/32], &ssum[(a-t0*k)/32], &off, &outs, nb, acc)
					}
					if nr < qTileR {
						qMergeEdge(out, ldo, &scratch, t, min(n, tt), r0, nr, k0 > 0)
					}
				}
			}
		}
	}
}

// qTileOffs sets the token offsets (bytes of scales; ×8 for q) of the
// tile at tokens t.. of a block ending at t1, and returns how many of the
// 4 tokens exist: the others repeat the last token.
func qTileOffs(off *[4]int, t, t1, k int) (n int) {
	for i := range off {
		off[i] = (min(t+i, t1-1) - t) * (k / 8)
	}
	return min(4, t1-t)
}

// qMergeEdge copies (or adds) the first nr rows of n tokens of an edge
// tile computed into scratch.
func qMergeEdge(out []float32, ldo int, scratch *[4][qTileR]float32, t, n, r0, nr int, acc bool) {
	for i := 0; i < n; i++ {
		o := out[(t+i)*ldo+r0 : (t+i)*ldo+r0+nr]
		if acc {
			for j := range o {
				o[j] += scratch[i][j]
			}
		} else {
			copy(o, scratch[i][:nr])
		}
	}
}

// gemvQ8 is the extend path (nx < qTileT): each call streams up to ~40 KB
// of weight rows once for one token; further tokens find them in L2.
func gemvQ8(lv int, out []float32, ldo int, q []int8, scales []float32, nx int, w []byte, nw int, k int) {
	nb := k / 32
	rb := nb * 34
	step := max(1, qGemvBytes/rb)
	sdot := lv >= 2
	for r0 := 0; r0 < nw; r0 += step {
		n := min(step, nw-r0)
		for i := 0; i < nx; i++ {
			if sdot {
				gemvQ8SDOT(&w[r0*rb], rb, n, &q[i*k], &scales[i*nb], nb, &out[i*ldo+r0])
			} else {
				gemvQ8NEON(&w[r0*rb], rb, n, &q[i*k], &scales[i*nb], nb, &out[i*ldo+r0])
			}
		}
	}
}

func gemvQ4(lv int, out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	nsb, nb := k/256, k/32
	rb := nsb * 144
	step := max(1, qGemvBytes/rb)
	sdot := lv >= 2
	for r0 := 0; r0 < nw; r0 += step {
		n := min(step, nw-r0)
		for i := 0; i < nx; i++ {
			if sdot {
				gemvQ4SDOT(&w[r0*rb], rb, n, &q[i*k], &scales[i*nb], &sums[i*nb], nsb, &out[i*ldo+r0], &q4LUT[0])
			} else {
				gemvQ4NEON(&w[r0*rb], rb, n, &q[i*k], &scales[i*nb], &sums[i*nb], nsb, &out[i*ldo+r0], &q4LUT[0])
			}
		}
	}
}
