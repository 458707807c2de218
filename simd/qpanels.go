package simd

// Q8 weights in panels (PackQ8Panels, GemmQ8Panels, QPanels).
//
// A .pge file stores Q8 weights row by row: per 32-value block a 2-byte fp16
// scale d and 32 codes (unsigned, offset 128). VPDPBUSD wants the transpose:
// one zmm register of 16 rows × 4 codes, multiplied with a token's 4
// activation bytes broadcast to all lanes, leaves each row's partial sum in
// its own int32 lane, so a block needs no reduction across lanes. The zmm
// prefill (qgemm_vnni_amd64.go) made that transpose on the fly, per panel
// and per block of tokens (~19% of its tile time); the one-token GEMV and
// the few-row kernels of a batched decode step read the row layout and
// reduce lanes instead (about 24 of the ~120 instructions per 8 blocks × 4
// tokens of rowsQ8Z4, which made a B = 4 step compute-bound at ~0.5 of the
// read bandwidth). PackQ8Panels makes the transpose once, in place, when
// the weights are read into private memory (infer, --load memory):
//
//	rows [16i, 16i+16) of nw Q8 rows of k values (nb = k/32 blocks) become
//	panel i, 16·34·nb bytes, the same bytes the rows held. Per pair of
//	blocks (1088 bytes, a multiple of 64: every zmm load stays in one
//	cache line):
//	   [0, 512)     block 2p:   8 steps × 64 bytes [4 codes of row 0, …, row 15]
//	   [512, 1024)  block 2p+1: the same
//	   [1024, 1056) block 2p:   the 16 rows' fp16 d
//	   [1056, 1088) block 2p+1: the same
//	an odd last block: 512 bytes of codes, then 32 of d (544 bytes).
//	The last nw mod 16 rows stay in the row layout after the panels.
//
// The codes stay unsigned and the scales fp16 (VCVTPH2PS widens 16 at a
// time), so a panel takes no more room than the rows did and the file's
// bytes are simply moved. One kernel shape then serves every call: for a
// panel, a block and each token t,
//
//	acc = −128·Σa_t + Σ_steps VPDPBUSD(codes, a_t)   16 exact int32 sums
//	x = float(acc)·d                                  the rows' scales
//	F_t = x·s_t + F_t                                 one FMA, s_t: the token's block scale
//
// with F_t one register of 16 rows per token, carried over all the blocks
// in order (a call that continues a row's sums loads F from the output).
// gemvQ8P runs it for one token, tileQ8P2/4/8 for 2, 4 or 8 tokens from
// activations laid out once per layer by QPanels.Prepare. Every token's
// arithmetic is the same whatever the number of tokens, their grouping, the
// token blocks and the k blocks: a token's outputs are bit-identical in a
// one-token extend, a batched decode step of any size and a prefill. The
// tests check that, and the assembly against the Go twin (q8PanelGo) bit
// for bit.
//
// Accuracy: acc is exact and float(acc) exact (|acc| < 2²⁴), so each block
// term is (acc·d rounded)·s fused into F: against the exact Σ_b d_b·s_b·I_b
// the error is at most (k/32 + 1)·2⁻²³·Σ_b |d_b·s_b·I_b|, within GemmQ8's
// bound (qgemm.go).
//
// Speed, on a noisy 2-vCPU Zen 5 (BenchmarkQPanelsHot, BenchmarkQPanels,
// pgedge bench): in cache, one token streams 122–141 GB/s per core against
// GemmQ8's 44–64, and 4 tokens multiply-add at 229–250 Gop/s against
// GemmQ8Batch's 98–120; with the weights from memory (huge pages) 4 and 8
// tokens read at 0.9–1.0 of the bandwidth beside them. PaliGemma 2 3B INT8
// then extends at 0.79–0.96 of the read probe (0.62–0.70 in rows) and a
// batched step of 4 sequences takes 64–77 ms (90–106 ms in rows). Packing
// runs at ~9.4 GB/s per core with AVX-512 gathers (packQ8PanelZ; the Go
// loop 3.7, BenchmarkPackQ8Panels): infer packs a model read into memory
// at load.
//
// AMX (Intel Xeons, the amx level): tileQ8PA runs a prefill's blocks on the
// tile unit, 16 tokens × 16 rows per TDPBSUD, then the same float steps
// (qpanels_amx_amd64.go, with why it is not yet the default).
//
// AVX-VNNI (ymm, no AVX-512): gemvQ8PY and tileQ8PY2/4 run the same
// operations on the panel's two halves (rows 0-7 and 8-15 are the two ymm of
// a step; VPDPBUSD hand-encoded, each activation dword broadcast into a
// register); an 8-token group is two 4-token calls. On the Zen 5's ymm units
// (PGEDGE_SIMD=avxvnni; not measured on an Intel core): in cache 1 token
// 121–122 GB/s against the row GEMV's 46–47, 4 tokens 121–126 Gop/s against
// 73–74; from memory 1, 2 and 4 tokens read 57–59, 44–49 and 38 GB/s against
// the rows' 39, 35 and 27; 3B INT8 extends at 17.7 against 14.8 tokens/s and
// a batched step of 4 takes 73–75 ms against 95–104.

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

const (
	panelRows  = 16
	panelPair  = 1088 // two blocks of a panel
	panelBlock = 544  // one block: 512 bytes of codes, 32 of fp16 d
)

// PackQ8Panels rewrites w, nw Q8 rows of k values (quant.RowBytes(quant.Q8,
// k) bytes each), in place into the panel layout described above. It panics
// if k is not a multiple of 32 or w is shorter than the rows. GemmQ8Panels
// and DequantizeQ8PanelRow then read it; nothing else can.
func PackQ8Panels(w []byte, nw, k int) {
	if nw < 0 || k < 0 || k%32 != 0 {
		panic(fmt.Sprintf("simd: PackQ8Panels: nw = %d, k = %d (a multiple of 32)", nw, k))
	}
	nb := k / 32
	rb := nb * 34
	if !qfits(nw, rb, len(w)) {
		panic(fmt.Sprintf("simd: PackQ8Panels: len(w) = %d < %d rows of %d bytes", len(w), nw, rb))
	}
	if nb == 0 || nw < panelRows {
		return
	}
	packWith(&qLevels[qSel[qkPanels8]], w, nw, k)
}

// packWith is PackQ8Panels with level l's transpose (the Go loop if it has
// none).
func packWith(l *qLevelImpl, w []byte, nw, k int) {
	nb := k / 32
	rb := nb * 34
	rows := make([]byte, panelRows*rb)
	for i := 0; i+panelRows <= nw; i += panelRows {
		panel := w[i*rb : (i+panelRows)*rb]
		copy(rows, panel)
		if l.panelsPack != nil {
			l.panelsPack(panel, rows, nb)
		} else {
			packPanelGo(panel, rows, nb)
		}
	}
}

// packPanelGo writes the panel layout of the 16 rows of nb blocks in rows to
// panel.
func packPanelGo(panel, rows []byte, nb int) {
	rb := nb * 34
	le := binary.LittleEndian
	for b := 0; b < nb; b++ {
		codes, scales := panelBlockAt(b, nb)
		dst := (*[512]byte)(panel[codes : codes+512])
		d := (*[32]byte)(panel[scales : scales+32])
		var blk [panelRows]*[34]byte
		for r := range blk {
			blk[r] = (*[34]byte)(rows[r*rb+b*34 : r*rb+b*34+34])
			d[2*r], d[2*r+1] = blk[r][0], blk[r][1]
		}
		// Step j of rows r and r+1: 8 adjacent bytes of the panel.
		for j := 0; j < 8; j++ {
			for r := 0; r < panelRows; r += 2 {
				v := uint64(le.Uint32(blk[r][2+4*j:])) | uint64(le.Uint32(blk[r+1][2+4*j:]))<<32
				le.PutUint64(dst[(64*j+4*r)&511:], v)
			}
		}
	}
}

// panelBlockAt returns the offsets in a panel of block b's codes and
// scales (nb blocks in all).
func panelBlockAt(b, nb int) (codes, scales int) {
	base := b / 2 * panelPair
	if b%2 == 1 {
		return base + 512, base + 1056
	}
	if b == nb-1 { // an odd last block
		return base, base + 512
	}
	return base, base + 1024
}

// q8PanelBlock copies block b of row r of w, nw Q8 rows of k values packed
// by PackQ8Panels, into dst (34 bytes: fp16 d and 32 codes, as a row holds
// it).
func q8PanelBlock(dst, w []byte, nw, k, r, b int) {
	nb := k / 32
	rb := nb * 34
	if r >= nw/panelRows*panelRows {
		copy(dst[:34], w[r*rb+b*34:])
		return
	}
	panel := w[r/panelRows*panelRows*rb:]
	i := r % panelRows
	codes, scales := panelBlockAt(b, nb)
	copy(dst[:2], panel[scales+2*i:])
	for j := 0; j < 8; j++ {
		copy(dst[2+4*j:6+4*j], panel[codes+64*j+4*i:])
	}
}

// DequantizeQ8PanelRow sets out[:k] to row r of w, nw Q8 rows of k values
// packed by PackQ8Panels, as quant.DequantizeRow decodes a row: d·(code −
// 128), the same bits (an embedding lookup).
func DequantizeQ8PanelRow(out []float32, w []byte, nw, k, r int) {
	checkPanelRow("DequantizeQ8PanelRow", len(out), k, w, nw, k, r)
	var blk [34]byte
	for b := 0; b < k/32; b++ {
		q8PanelBlock(blk[:], w, nw, k, r, b)
		d := f16(binary.LittleEndian.Uint16(blk[:]))
		o := out[32*b : 32*b+32]
		for i := range o {
			o[i] = d * float32(int32(blk[2+i])-128)
		}
	}
}

// checkPanelRow panics unless row r of nw packed rows of k values exists in
// w and n ≥ need.
func checkPanelRow(fn string, n, need int, w []byte, nw, k, r int) {
	if r < 0 || r >= nw || k%32 != 0 || n < need || !qfits(nw, k/32*34, len(w)) {
		panic(fmt.Sprintf("simd: %s: row %d of %d, k = %d, destination %d of %d, len(w) = %d", fn, r, nw, k, n, need, len(w)))
	}
}

// Q8PanelsFast reports whether GemmQ8Panels runs on assembly kernels here
// (the avx512vnni and avxvnni levels), that is, whether packing pays.
// Elsewhere it runs the Go twin, correct but slow.
func Q8PanelsFast() bool {
	l := &qLevels[qSel[qkPanels8]]
	return l.panels8 != nil && qSel[qkPanels8] != 0
}

// QPanels is one linear layer's int8 activations (nx tokens of k values, as
// QuantizeActs writes them) prepared for GemmQ8Panels, which a caller then
// runs on many panels of the layer's rows (in parallel: they only read
// it). For 2 or more tokens and the assembly kernels it lays them out in
// groups of 8, 4 or 2 tokens: per block, 8 steps of T tokens × 4 bytes,
// and per block the T scales and −128·sums (a padded group repeats its
// last token), and the sums as float32 for the Q4 kernels. It keeps q,
// scales and sums, which must not change until its last use; its buffers
// are reused by the next Prepare.
type QPanels struct {
	q      []int8
	scales []float32
	sums   []int32
	nx, k  int
	groups []panelGroup
	a      []int8
	s      []float32
	c      []int32   // −128·Σa (Q8)
	f      []float32 // Σa as float32 (Q4)
	// ts, tc: per 16 tokens and block, the 16 tokens' scales and −128·Σa
	// (the last token repeated past nx), for the amx level from
	// amxMinTokens tokens on.
	ts []float32
	tc []int32
}

// amxMinTokens: GemmQ8Panels with at least this many tokens runs on the
// tile unit; fewer (an extend, a batched step: weights from memory, so the
// zmm kernels already keep up with the bandwidth) on the zmm kernels. A
// variable so that the self-check and the tests can lower it.
var amxMinTokens = 16

// panelGroup is tokens [t0, t0+n) of a QPanels as a group of T (≥ n; the
// rest padding), its activations at a[ao:], its scales and corrections at
// s[so:], c[so:].
type panelGroup struct {
	t0, n, T int
	ao, so   int
}

// panelGroupsOf splits nx ≥ 2 tokens into groups: of 8 while at least 5
// remain, then one of 4 (3 or 4 left) or 2 (1 or 2 left).
func panelGroupsOf(nx int, f func(t0, n, T int)) {
	for t0 := 0; t0 < nx; {
		n, T := nx-t0, 2
		switch {
		case n >= 5:
			n, T = min(n, 8), 8
		case n >= 3:
			T = 4
		}
		f(t0, n, T)
		t0 += n
	}
}

// Prepare sets p to nx tokens of k values (q, scales, sums as GemmQ8
// takes them).
func (p *QPanels) Prepare(q []int8, scales []float32, sums []int32, nx, k int) {
	p.PrepareWith(q, scales, sums, nx, k, nil)
}

// PrepareWith is Prepare with the token groups' layout shared out by run (nil:
// none), for a prefill's many groups: run(n, f) must call f(i) once for each i
// in [0, n), on any goroutines, and return when all have returned. A 256-token
// prefill's layout is ~0.4 ms for k = 1152 that other threads would otherwise
// wait for; below 4 groups (32 tokens) it is laid out here.
func (p *QPanels) PrepareWith(q []int8, scales []float32, sums []int32, nx, k int, run func(n int, f func(i int))) {
	p.prepare(q, scales, sums, nx, k, qLevels[qSel[qkPanels8]].panelsActs || qLevels[qSel[qkPanels4]].panelsActs, qLevels[qSel[qkPanels8]].panelsAMX, run)
}

// prepare is PrepareWith; acts: lay out the groups' activations; amx: the
// 16-token scales too.
func (p *QPanels) prepare(q []int8, scales []float32, sums []int32, nx, k int, acts, amx bool, run func(n int, f func(i int))) {
	if nx < 0 || k < 0 || k%32 != 0 || !qfits(nx, k, len(q)) || !qfits(nx, k/32, len(scales)) || !qfits(nx, k/32, len(sums)) {
		panic(fmt.Sprintf("simd: QPanels.Prepare: %d tokens of %d values with len(q), len(scales), len(sums) = %d, %d, %d", nx, k, len(q), len(scales), len(sums)))
	}
	p.q, p.scales, p.sums, p.nx, p.k = q, scales, sums, nx, k
	p.groups = p.groups[:0]
	p.ts, p.tc = p.ts[:0], p.tc[:0]
	if nx < 2 || k == 0 || !acts {
		return
	}
	nb := k / 32
	if amx && nx >= amxMinTokens {
		p.tileScales()
	}
	na, ns := 0, 0
	panelGroupsOf(nx, func(t0, n, T int) {
		p.groups = append(p.groups, panelGroup{t0: t0, n: n, T: T, ao: na, so: ns})
		na += T * k
		ns += T * nb
	})
	if cap(p.a) < na {
		p.a = make([]int8, na)
	}
	if cap(p.s) < ns {
		p.s, p.c, p.f = make([]float32, ns), make([]int32, ns), make([]float32, ns)
	}
	p.a, p.s, p.c, p.f = p.a[:na], p.s[:ns], p.c[:ns], p.f[:ns]
	if run == nil || len(p.groups) < 4 {
		for i := range p.groups {
			p.layOut(i)
		}
		return
	}
	run(len(p.groups), p.layOut)
}

// tileScales writes ts and tc: for tokens [16j, 16j+16) and block b, at
// 16·(j·nb + b), the 16 tokens' scales and −128·sums.
func (p *QPanels) tileScales() {
	nx, nb := p.nx, p.k/32
	n := (nx + 15) / 16 * 16 * nb
	if cap(p.ts) < n {
		p.ts, p.tc = make([]float32, n), make([]int32, n)
	}
	p.ts, p.tc = p.ts[:n], p.tc[:n]
	for j := 0; 16*j < nx; j++ {
		ts, tc := p.ts[16*j*nb:16*(j+1)*nb], p.tc[16*j*nb:16*(j+1)*nb]
		for t := range 16 {
			tok := min(16*j+t, nx-1)
			s, m := p.scales[tok*nb:tok*nb+nb], p.sums[tok*nb:tok*nb+nb]
			for b := range nb {
				ts[16*b+t], tc[16*b+t] = s[b], -128*m[b]
			}
		}
	}
}

// layOut writes group i's activations, scales and sums.
func (p *QPanels) layOut(i int) {
	g, k, nb := p.groups[i], p.k, p.k/32
	var src [8][]int8
	for t := 0; t < g.T; t++ {
		tok := g.t0 + min(t, g.n-1)
		src[t] = p.q[tok*k : tok*k+k]
		for b := 0; b < nb; b++ {
			p.s[g.so+b*g.T+t] = p.scales[tok*nb+b]
			p.c[g.so+b*g.T+t] = -128 * p.sums[tok*nb+b]
			p.f[g.so+b*g.T+t] = float32(p.sums[tok*nb+b])
		}
	}
	interleaveTokens(p.a[g.ao:g.ao+g.T*k], src[:g.T], k)
}

// GemmQ8Panels is GemmQ8(out, ldo, q, scales, sums, nx, w, nw, k) on the
// activations p was prepared with, for rows that PackQ8Panels packed: w
// must start at a panel (a row that is a multiple of 16 of the packed
// matrix) and hold nw rows, all the matrix's rows from there or a multiple
// of 16. Each token's results do not depend on nx (see the package
// comment above); the accuracy is GemmQ8's.
func GemmQ8Panels(out []float32, ldo int, p *QPanels, w []byte, nw int) {
	if !checkQGemm("GemmQ8Panels", 32, 34, out, ldo, p.q, p.scales, p.sums, p.nx, w, nw, p.k) {
		return
	}
	gemmQ8PanelsWith(&qLevels[qSel[qkPanels8]], GemmQ8, out, ldo, p, w, nw)
}

// gemmQ8PanelsWith is GemmQ8Panels (checked) with level l's kernels and
// gemv for the rows after the panels (the start-up self-check, which runs
// before GemmQ8's kernels are chosen, passes the Go twin).
func gemmQ8PanelsWith(l *qLevelImpl, gemv qGemmFunc, out []float32, ldo int, p *QPanels, w []byte, nw int) {
	kern := l.panels8
	if kern == nil || p.nx > 1 && len(p.groups) == 0 {
		kern = qLevels[0].panels8
	}
	panelsWith(kern, gemv, p.k/32*34, out, ldo, p, w, nw)
}

// panelsWith runs kern on the panels of nw rows of rb bytes and gemv on the
// rows after the last panel, in the row layout: the one-token GEMV for each
// token, as a one-token extend runs them.
func panelsWith(kern qPanelsFunc, gemv qGemmFunc, rb int, out []float32, ldo int, p *QPanels, w []byte, nw int) {
	kern(out, ldo, p, w, nw)
	if r := nw / panelRows * panelRows; r < nw {
		k, nb := p.k, p.k/32
		for t := 0; t < p.nx; t++ {
			gemv(out[t*ldo+r:], ldo, p.q[t*k:], p.scales[t*nb:], p.sums[t*nb:], 1, w[r*rb:], nw-r, k)
		}
	}
}

// gemmQ8PanelsGo is the Go twin of the panel kernels: each token and panel
// in turn, over all the blocks (the assembly's token groups and k blocks
// give the same bits).
func gemmQ8PanelsGo(out []float32, ldo int, p *QPanels, w []byte, nw int) {
	k, nb := p.k, p.k/32
	rb := nb * 34
	for t := 0; t < p.nx; t++ {
		for i := 0; i+panelRows <= nw; i += panelRows {
			q8PanelGo(out[t*ldo+i:t*ldo+i+panelRows], w[i*rb:(i+panelRows)*rb], nb, p.q[t*k:(t+1)*k], p.scales[t*nb:], p.sums[t*nb:])
		}
	}
}

// q8PanelGo sets out[r] for the 16 rows of a panel of nb blocks and one
// token, as the kernels do.
func q8PanelGo(out []float32, panel []byte, nb int, q []int8, scales []float32, sums []int32) {
	var f [panelRows]float32
	for b := 0; b < nb; b++ {
		codes, sc := panelBlockAt(b, nb)
		a := q[32*b : 32*b+32]
		for r := 0; r < panelRows; r++ {
			acc := -128 * sums[b]
			for j := 0; j < 8; j++ {
				c := panel[codes+64*j+4*r : codes+64*j+4*r+4]
				for u, v := range c {
					acc += int32(v) * int32(a[4*j+u])
				}
			}
			x := float32(acc) * f16(binary.LittleEndian.Uint16(panel[sc+2*r:]))
			f[r] = fma32(x, scales[b], f[r])
		}
	}
	copy(out, f[:])
}

// interleaveTokens lays out the k activations of each of the T = len(src)
// tokens step by step: 4-byte group j of token t at dst[4·(T·j+t):], so that
// a kernel reads one sequential stream. The zmm prefill's packed activations
// (zActs) and QPanels' groups share this layout. Each step's T·4 bytes are
// written together from the T rows (1.5 → 0.6 ns per 4 bytes against one
// token at a time, BenchmarkQPanelsPrepare).
func interleaveTokens(dst []int8, src [][]int8, k int) {
	d := int8Words(dst[:len(src)*k])
	switch len(src) {
	case 8:
		s0, s1, s2, s3 := int8Words(src[0][:k]), int8Words(src[1][:k]), int8Words(src[2][:k]), int8Words(src[3][:k])
		s4, s5, s6, s7 := int8Words(src[4][:k]), int8Words(src[5][:k]), int8Words(src[6][:k]), int8Words(src[7][:k])
		for j := range k / 4 {
			o := d[8*j : 8*j+8 : 8*j+8]
			o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7] = s0[j], s1[j], s2[j], s3[j], s4[j], s5[j], s6[j], s7[j]
		}
	case 4:
		s0, s1, s2, s3 := int8Words(src[0][:k]), int8Words(src[1][:k]), int8Words(src[2][:k]), int8Words(src[3][:k])
		for j := range k / 4 {
			o := d[4*j : 4*j+4 : 4*j+4]
			o[0], o[1], o[2], o[3] = s0[j], s1[j], s2[j], s3[j]
		}
	default:
		for t, row := range src {
			for j, w := range int8Words(row[:k]) {
				d[j*len(src)+t] = w
			}
		}
	}
}

// int8Words views int8s as little-endian dwords (len(q) a multiple of 4;
// no alignment needed: amd64 and arm64 load unaligned words, and checkptr
// allows it for pointer-free types).
func int8Words(q []int8) []uint32 {
	if len(q) < 4 {
		return nil
	}
	return unsafe.Slice((*uint32)(unsafe.Pointer(&q[0])), len(q)/4)
}

// int8Bytes views int8s as bytes.
func int8Bytes(q []int8) []byte {
	if len(q) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&q[0])), len(q))
}
