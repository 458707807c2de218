//go:build !purego && (amd64 || arm64)

package simd

// The Go half of the assembly implementations: loops over tiles that call
// the micro-kernels of gemm_$GOARCH.s. The kernels have a fixed shape
// (tileR weight rows × tileT tokens, or tileR rows × 1 token for GEMV; the
// amd64 prefill path in gemm_amd64.go uses 16 rows × 6 tokens) and
// need k ≥ 8 per call: the last k%8 values are handled by re-reading the
// final 8 values with the already-counted lanes masked to zero. Edges that
// do not fill a tile are computed as an overlapping full tile (shifted back
// to end at nw or nx) into a scratch tile, of which only the new entries are
// copied out; matrices with fewer than tileR rows or k < 8 go to the Go twin.

// Cache blocking. A micro-kernel call multiplies a tileR×kb weight panel by
// tileT×kb tokens; the panel stays in L1 while the tokens of one block
// (blockT×kb floats, L2-resident) stream past it. Each call lasts well under
// a microsecond at these sizes. Variables only so that the tests can shrink
// them to exercise the blocking with small matrices.
var (
	blockK     = kcDefault // k values per call, a multiple of 8, ≤ kcLimit
	blockT     = mcDefault // tokens per L2 block, a multiple of tileT
	blockKGemv = 8192      // k values per GEMV call: bounds a call to 4·8192 weights
)

// kcLimit sizes the stack scratch for the bf16 weight panel (16.5 KB).
const kcLimit = 1024

// nextK returns the length of the k block starting at k0: kc, or the rest
// when fewer than kc+8 values remain, so that every block has ≥ 8 values.
func nextK(k0, k, kc int) int {
	if k-k0 < kc+8 {
		return k - k0
	}
	return kc
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// dotChunk bounds one assembly call of DotF32 (256 KB of each operand).
const dotChunk = 1 << 16

func dotF32Asm(a, b []float32) float32 {
	b = b[:len(a)]
	if len(a) < 8 {
		return dotF32Generic(a, b)
	}
	var s float32
	for len(a) > 0 {
		n := len(a)
		if n >= dotChunk+8 {
			n = dotChunk
		}
		s += dotF32(&a[0], &b[0], n)
		a, b = a[n:], b[n:]
	}
	return s
}

// gemmF32Asm runs the gemv kind's kernel for nx < tileT and the gemm kind's
// otherwise, each in assembly only if its switch is set (dispatch_float.go).
func gemmF32Asm(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	if k < 8 || nw < tileR || !useGemvAsm && nx < tileT || !useGemmAsm && nx >= tileT {
		gemmF32Generic(out, ldo, x, nx, w, nw, k)
		return
	}
	if nx < tileT {
		gemvF32(out, ldo, x, nx, w, nw, k)
		return
	}
	if haveBig && nx >= bigT && nw >= bigR {
		gemmF32Big(out, ldo, x, nx, w, nw, k)
		return
	}
	var tmp [tileR * tileT]float32
	kc, mc := blockK, blockT
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		acc := b2i(k0 > 0)
		for t0 := 0; t0 < nx; t0 += mc {
			t1 := min(t0+mc, nx)
			for r := 0; r < nw; r += tileR {
				rs := min(r, nw-tileR)
				wp := &w[rs*k+k0]
				for t := t0; t < t1; t += tileT {
					ts := min(t, nx-tileT)
					xp := &x[ts*k+k0]
					if rs == r && ts == t {
						tileF32(wp, k, xp, k, kb, &out[t*ldo+r], ldo, acc)
					} else {
						tileF32(wp, k, xp, k, kb, &tmp[0], tileR, 0)
						mergeTile(out, ldo, tmp[:], tileR, tileT, r, rs, t, ts, acc)
					}
				}
			}
		}
		k0 += kb
	}
}

// gemmBF16Asm widens each tileR×kb weight panel to float32 once per token
// block, into a stack scratch, and runs the float32 micro-kernel on it: the
// widening (2 instructions per 8 weights) is then paid once per blockT/tileT
// tiles instead of in every tile.
func gemmBF16Asm(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	if k < 8 || nw < tileR || !useGemvAsm && nx < tileT || !useGemmAsm && nx >= tileT {
		gemmBF16Generic(out, ldo, x, nx, w, nw, k)
		return
	}
	if nx < tileT {
		gemvBF16(out, ldo, x, nx, w, nw, k)
		return
	}
	if haveBig && nx >= bigT && nw >= bigR {
		gemmBF16Big(out, ldo, x, nx, w, nw, k)
		return
	}
	var (
		tmp   [tileR * tileT]float32
		panel [tileR * (kcLimit + 8)]float32
	)
	kc, mc := min(blockK, kcLimit), blockT
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		acc := b2i(k0 > 0)
		for t0 := 0; t0 < nx; t0 += mc {
			t1 := min(t0+mc, nx)
			for r := 0; r < nw; r += tileR {
				rs := min(r, nw-tileR)
				for j := 0; j < tileR; j++ {
					cvtBF16(&panel[j*kb], &w[(rs+j)*k+k0], kb)
				}
				for t := t0; t < t1; t += tileT {
					ts := min(t, nx-tileT)
					xp := &x[ts*k+k0]
					if rs == r && ts == t {
						tileF32(&panel[0], kb, xp, k, kb, &out[t*ldo+r], ldo, acc)
					} else {
						tileF32(&panel[0], kb, xp, k, kb, &tmp[0], tileR, 0)
						mergeTile(out, ldo, tmp[:], tileR, tileT, r, rs, t, ts, acc)
					}
				}
			}
		}
		k0 += kb
	}
}

// mergeTile copies the entries of an overlapping edge tile that no earlier
// tile wrote. The tile (tmp, [nt][nr]) was computed at rows rs.., tokens
// ts..; the new entries are rows r.., tokens t...
func mergeTile(out []float32, ldo int, tmp []float32, nr, nt, r, rs, t, ts, acc int) {
	for i := t; i < ts+nt; i++ {
		o := out[i*ldo+r : i*ldo+rs+nr]
		src := tmp[(i-ts)*nr+r-rs : (i-ts+1)*nr]
		if acc != 0 {
			for j, v := range src {
				o[j] += v
			}
		} else {
			copy(o, src)
		}
	}
}

// gemvF32 handles nx < tileT (extend: one token): each call computes four
// output features of one token, streaming four weight rows once. Memory
// bound, so weights are read once per token pass: for nx = 2 the second
// token finds the rows in L1/L2.
func gemvF32(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	var tmp [tileR]float32
	kc := blockKGemv
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		acc := b2i(k0 > 0)
		for r := 0; r < nw; r += tileR {
			rs := min(r, nw-tileR)
			for i := 0; i < nx; i++ {
				if rs == r {
					gemv4F32(&w[r*k+k0], k, &x[i*k+k0], kb, &out[i*ldo+r], acc)
				} else {
					gemv4F32(&w[rs*k+k0], k, &x[i*k+k0], kb, &tmp[0], 0)
					mergeRows(out[i*ldo+r:i*ldo+nw], tmp[r-rs:], acc)
				}
			}
		}
		k0 += kb
	}
}

func gemvBF16(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	var tmp [tileR]float32
	kc := blockKGemv
	for k0 := 0; k0 < k; {
		kb := nextK(k0, k, kc)
		acc := b2i(k0 > 0)
		for r := 0; r < nw; r += tileR {
			rs := min(r, nw-tileR)
			for i := 0; i < nx; i++ {
				switch {
				case rs == r && useZmmGemv: // amd64 with AVX-512F
					gemv4BF16Z(&w[r*k+k0], k, &x[i*k+k0], kb, &out[i*ldo+r], acc)
				case rs == r:
					gemv4BF16(&w[r*k+k0], k, &x[i*k+k0], kb, &out[i*ldo+r], acc)
				default:
					if useZmmGemv {
						gemv4BF16Z(&w[rs*k+k0], k, &x[i*k+k0], kb, &tmp[0], 0)
					} else {
						gemv4BF16(&w[rs*k+k0], k, &x[i*k+k0], kb, &tmp[0], 0)
					}
					mergeRows(out[i*ldo+r:i*ldo+nw], tmp[r-rs:], acc)
				}
			}
		}
		k0 += kb
	}
}

func mergeRows(o, src []float32, acc int) {
	src = src[:len(o)]
	if acc != 0 {
		for j, v := range src {
			o[j] += v
		}
	} else {
		copy(o, src)
	}
}
