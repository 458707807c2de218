package simd

import "math"

// The portable twins. They are always compiled: they run when there is no
// assembly, and the tests check the assembly against them.

// bf16 widens a bfloat16 to float32; exact.
func bf16(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }

func dotF32Generic(a, b []float32) float32 {
	b = b[:len(a)]
	// Four partial sums: the loop is add-latency bound otherwise.
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// gemmF32Generic computes four output features per pass over a token, so
// each x value is loaded once for four multiply-adds; the weight rows are the
// outer loop so that four rows (4·k·4 bytes) stay in cache across tokens.
func gemmF32Generic(out []float32, ldo int, x []float32, nx int, w []float32, nw int, k int) {
	r := 0
	for ; r+4 <= nw; r += 4 {
		w0 := w[r*k : r*k+k]
		w1 := w[(r+1)*k : (r+1)*k+k]
		w2 := w[(r+2)*k : (r+2)*k+k]
		w3 := w[(r+3)*k : (r+3)*k+k]
		for i := 0; i < nx; i++ {
			xi := x[i*k : i*k+k]
			w0, w1, w2, w3 := w0[:len(xi)], w1[:len(xi)], w2[:len(xi)], w3[:len(xi)]
			var s0, s1, s2, s3 float32
			for j, v := range xi {
				s0 += v * w0[j]
				s1 += v * w1[j]
				s2 += v * w2[j]
				s3 += v * w3[j]
			}
			o := out[i*ldo+r : i*ldo+r+4]
			o[0], o[1], o[2], o[3] = s0, s1, s2, s3
		}
	}
	for ; r < nw; r++ {
		wr := w[r*k : r*k+k]
		for i := 0; i < nx; i++ {
			out[i*ldo+r] = dotF32Generic(x[i*k:i*k+k], wr)
		}
	}
}

func gemmBF16Generic(out []float32, ldo int, x []float32, nx int, w []uint16, nw int, k int) {
	r := 0
	for ; r+4 <= nw; r += 4 {
		w0 := w[r*k : r*k+k]
		w1 := w[(r+1)*k : (r+1)*k+k]
		w2 := w[(r+2)*k : (r+2)*k+k]
		w3 := w[(r+3)*k : (r+3)*k+k]
		for i := 0; i < nx; i++ {
			xi := x[i*k : i*k+k]
			w0, w1, w2, w3 := w0[:len(xi)], w1[:len(xi)], w2[:len(xi)], w3[:len(xi)]
			var s0, s1, s2, s3 float32
			for j, v := range xi {
				s0 += v * bf16(w0[j])
				s1 += v * bf16(w1[j])
				s2 += v * bf16(w2[j])
				s3 += v * bf16(w3[j])
			}
			o := out[i*ldo+r : i*ldo+r+4]
			o[0], o[1], o[2], o[3] = s0, s1, s2, s3
		}
	}
	for ; r < nw; r++ {
		wr := w[r*k : r*k+k]
		for i := 0; i < nx; i++ {
			xi := x[i*k : i*k+k]
			wr := wr[:len(xi)]
			var s float32
			for j, v := range xi {
				s += v * bf16(wr[j])
			}
			out[i*ldo+r] = s
		}
	}
}
