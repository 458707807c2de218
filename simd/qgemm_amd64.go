//go:build !purego

package simd

import "golang.org/x/sys/cpu"

const qArch = "amd64"

// The integer kernel levels on amd64, best last (qgemm_vnni_amd64.go has
// the VPDPBUSD levels). avx2: VPMADDUBSW + VPMADDWD, with F16C
// for the Q8 scales and FMA for the float accumulation. x/sys/cpu reports
// AVX2 only when the OS saves the YMM state.
var qLevels = []qLevelImpl{
	qGenericLevel(),
	{
		name: "avx2", have: haveQAVX2, need: "AVX2, FMA and F16C", gemvMax: qTileT,
		quant: quantizeActsAsm,
		gemv8: func(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
			gemvQ8(out, ldo, q, scales, nx, w, nw, k)
		},
		gemm8: gemmQ8Asm,
		gemv4: gemvQ4,
		gemm4: gemmQ4Asm,
		peak:  func() int64 { return peakAVX2(4096) },
	},
	qLevelAVXVNNI,    // qgemm_vnni_amd64.go
	qLevelAVX512VNNI, // qgemm_vnni_amd64.go
	qLevelAMX,        // qpanels_amx_amd64.go
}

var haveQAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasF16C

func b2iQ(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The prefill micro-kernel's tile: 8 weight rows (one per 32-bit lane of a
// YMM register) × 4 tokens, so 4 int32 and 4 float32 accumulators, the
// weight vector and its absolute value, a broadcast activation and the
// constant of VPMADDWD fit AVX2's 16 registers.
const (
	qTileR = 8
	qTileT = 4
	// Packed panel bytes per 32-value block: Q8: 8 rows × 32 signed codes
	// and 8 float32 d; Q4: 8 rows × 32 levels, 8 S_j and 8 −M_j.
	qPanelBlk8 = 256 + 32
	qPanelBlk4 = 256 + 64
)

//go:noescape
func quantActsAVX2(x *float32, q *int8, s *float32, m *int32, nb int)

//go:noescape
func streamReadAVX2(p *byte, n int) uint64

func peakAVX2(n int) int64

// gemvQ8AVX2 sets out[r] = DotQ8(row r, token) for r < nr, rows rb bytes
// apart, over nb ≥ 1 blocks; q, s: the token's activations and scales.
//
//go:noescape
func gemvQ8AVX2(w *byte, rb int, nr int, q *int8, s *float32, nb int, out *float32)

// gemvQ4AVX2 is gemvQ8AVX2 for Q4 rows of nsb ≥ 1 super-blocks; m: the
// token's scale·sum products (ssumAVX2); lut: the four level tables, 16
// bytes each.
//
//go:noescape
func gemvQ4AVX2(w *byte, rb int, nr int, q *int8, s *float32, m *float32, nsb int, out *float32, lut *byte)

// packQ8AVX2 repacks nb blocks of 8 Q8 rows (rows[i] points at row i's
// first block) into the panel layout of tileQ8AVX2: per block, 8 steps of
// [4 signed codes of row 0, …, of row 7], then the 8 rows' scales d as
// float32.
//
//go:noescape
func packQ8AVX2(dst *byte, rows *[8]*byte, nb int)

// packQ4AVX2 repacks nsb super-blocks of 8 Q4 rows into the panel layout
// of tileQ4AVX2: per 32-value sub-block, 8 steps of [4 levels of row 0, …,
// of row 7], then S_j and −M_j of the 8 rows as float32.
//
//go:noescape
func packQ4AVX2(dst *byte, rows *[8]*byte, nsb int, lut *byte)

// tileQ8AVX2 multiplies a packed panel of nb blocks with 4 tokens: token t's
// activations are at q + 8·off[t], its scales at s + off[t] (bytes). It sets
// (acc = 0) or adds to (acc = 1) out[t][0:nr], nr ≤ 8.
//
//go:noescape
func tileQ8AVX2(p *byte, q *int8, s *float32, off *[4]int, out *[4]*float32, nb int, nr int, acc int)

// tileQ4AVX2 is tileQ8AVX2 for a Q4 panel; token t's scale·sum products
// are at ss + off[t] (bytes), laid out like the scales.
//
//go:noescape
func tileQ4AVX2(p *byte, q *int8, s *float32, ss *float32, off *[4]int, out *[4]*float32, nb int, nr int, acc int)

// ssumAVX2 sets dst[i] = s[i]·float32(m[i]) for i < n, n a positive
// multiple of 8.
//
//go:noescape
func ssumAVX2(dst *float32, s *float32, m *int32, n int)

func quantizeActsAsm(x []float32, q []int8, scales []float32, sums []int32) {
	nb := len(x) / 32
	// 1024 blocks per call: about 10 µs.
	for b0 := 0; b0 < nb; b0 += 1024 {
		n := min(1024, nb-b0)
		quantActsAVX2(&x[b0*32], &q[b0*32], &scales[b0], &sums[b0], n)
	}
}

// streamChunk bounds one assembly call of StreamRead (10–20 µs).
const streamChunk = 256 << 10

func streamReadAsm(b []byte) uint64 {
	var s uint64
	for len(b) >= 256 {
		n := min(len(b), streamChunk) &^ 255
		s += streamReadAVX2(&b[0], n)
		b = b[n:]
	}
	return s + streamReadGeneric(b)
}

func setQBlocking(kc, mc int) (restore func()) {
	okc, omc := qBlockK, qBlockT
	qBlockK, qBlockT = kc, mc
	return func() { qBlockK, qBlockT = okc, omc }
}

func gemmQ8Asm(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	if nx < qTileT {
		gemvQ8(out, ldo, q, scales, nx, w, nw, k)
		return
	}
	var (
		panel   [qPanelMaxBlocks * qPanelBlk8]byte
		rows    [8]*byte
		off     [4]int
		outs    [4]*float32
		scratch [qTileR]float32
	)
	rb := k / 32 * 34
	kc := qSplitK(k)
	mc := qTokenBlock(k)
	for t0 := 0; t0 < nx; t0 += mc {
		t1 := min(t0+mc, nx)
		for r0 := 0; r0 < nw; r0 += qTileR {
			nr := min(qTileR, nw-r0)
			for k0 := 0; k0 < k; k0 += kc {
				nb := min(kc, k-k0) / 32
				for i := range rows {
					rows[i] = &w[(r0+min(i, nr-1))*rb+k0/32*34]
				}
				packQ8AVX2(&panel[0], &rows, nb)
				for t := t0; t < t1; t += qTileT {
					n := qTileOffs(&off, t, t1, k)
					for i := range outs {
						outs[i] = &scratch[0]
						if i < n {
							outs[i] = &out[(t+i)*ldo+r0]
						}
					}
					a := t*k + k0
					tileQ8AVX2(&panel[0], &q[a], &scales[a/32], &off, &outs, nb, nr, b2iQ(k0 > 0))
				}
			}
		}
	}
}

// qTileOffs sets the token offsets (bytes of scales; ×8 for q) of the
// tile at tokens t.. of a block ending at t1, and reports which of the 4
// tokens exist: the others repeat the last token and write to a scratch
// tile.
func qTileOffs(off *[4]int, t, t1, k int) (n int) {
	for i := range off {
		off[i] = (min(t+i, t1-1) - t) * (k / 8)
	}
	return min(4, t1-t)
}

// gemmQ4Asm is the prefill loop of gemmQ8Asm for Q4; the tokens'
// scale·sum products of a token block are computed once, on the stack, in
// the layout of the scales.
func gemmQ4Asm(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	if nx < qTileT {
		gemvQ4(out, ldo, q, scales, sums, nx, w, nw, k)
		return
	}
	var (
		panel   [qPanelMaxBlocks * qPanelBlk4]byte
		ssum    [qSSumMax]float32
		rows    [8]*byte
		off     [4]int
		outs    [4]*float32
		scratch [qTileR]float32
	)
	rb := k / 256 * 144
	kc := qSplitK(k)
	mc := min(qTokenBlock(k), qSSumMax/(k/32)&^3)
	if mc < 4 {
		gemvQ4(out, ldo, q, scales, sums, nx, w, nw, k) // k > 65536
		return
	}
	for t0 := 0; t0 < nx; t0 += mc {
		t1 := min(t0+mc, nx)
		n := (t1 - t0) * k / 32
		ssumAVX2(&ssum[0], &scales[t0*k/32], &sums[t0*k/32], n)
		for r0 := 0; r0 < nw; r0 += qTileR {
			nr := min(qTileR, nw-r0)
			for k0 := 0; k0 < k; k0 += kc {
				nb := min(kc, k-k0) / 32
				for i := range rows {
					rows[i] = &w[(r0+min(i, nr-1))*rb+k0/256*144]
				}
				packQ4AVX2(&panel[0], &rows, nb/8, &q4LUT[0])
				for t := t0; t < t1; t += qTileT {
					n := qTileOffs(&off, t, t1, k)
					for i := range outs {
						outs[i] = &scratch[0]
						if i < n {
							outs[i] = &out[(t+i)*ldo+r0]
						}
					}
					a := t*k + k0
					tileQ4AVX2(&panel[0], &q[a], &scales[a/32], &ssum[(a-t0*k)/32], &off, &outs, nb, nr, b2iQ(k0 > 0))
				}
			}
		}
	}
}

// gemvQ8 is the extend path (nx < 4): each call streams up to ~40 KB of
// weight rows once for one token; further tokens find the rows in L2.
func gemvQ8(out []float32, ldo int, q []int8, scales []float32, nx int, w []byte, nw int, k int) {
	nb := k / 32
	rb := nb * 34
	step := max(1, qGemvBytes/rb)
	for r0 := 0; r0 < nw; r0 += step {
		n := min(step, nw-r0)
		for i := 0; i < nx; i++ {
			gemvQ8AVX2(&w[r0*rb], rb, n, &q[i*k], &scales[i*nb], nb, &out[i*ldo+r0])
		}
	}
}

func gemvQ4(out []float32, ldo int, q []int8, scales []float32, sums []int32, nx int, w []byte, nw int, k int) {
	nsb, nb := k/256, k/32
	if nb > qSSumMax {
		gemmQ4Generic(out, ldo, q, scales, sums, nx, w, nw, k) // k > 262144
		return
	}
	var ssum [qSSumMax]float32
	rb := nsb * 144
	step := max(1, qGemvBytes/rb)
	for r0 := 0; r0 < nw; r0 += step {
		n := min(step, nw-r0)
		for i := 0; i < nx; i++ {
			if r0 == 0 || nx > 1 {
				ssumAVX2(&ssum[0], &scales[i*nb], &sums[i*nb], nb)
			}
			gemvQ4AVX2(&w[r0*rb], rb, n, &q[i*k], &scales[i*nb], &ssum[0], nsb, &out[i*ldo+r0], &q4LUT[0])
		}
	}
}
