package vqvae

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/pgedge/pgedge/simd"
)

// TestKernelPaths compares the dispatching kernel with the portable loop on random data
// for every segment length the decoder uses (64..384 floats) and a few odd ones.
func TestKernelPaths(t *testing.T) {
	if !useAVX2 {
		t.Log("no AVX2+FMA kernel on this machine/build: only the portable path runs")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, g := range [][2]int{{1, 8}, {1, 128}, {2, 64}, {2, 256}, {3, 384}, {1, 3}, {2, 13}} {
		S, L := g[0], g[1]
		K, pix, rs := S*L, L+3, 2*L+5
		a := make([]float32, (S-1)*rs+pix+L)
		w := make([]float32, 4*K)
		for i := range a {
			a[i] = r.Float32()*2 - 1
		}
		for i := range w {
			w[i] = r.Float32()*2 - 1
		}
		var got, want [8]float32
		for i := range got {
			got[i] = float32(i)
			want[i] = float32(i)
		}
		dot2x4acc(a, pix, rs, S, w, K, L, &got)
		for s := 0; s < S; s++ {
			o, ws := s*rs, s*L
			dot2x4Generic(a[o:o+L], a[o+pix:o+pix+L], w[ws:ws+L], w[K+ws:K+ws+L], w[2*K+ws:2*K+ws+L], w[3*K+ws:3*K+ws+L], &want)
		}
		for i := range got {
			// Sums of K products of magnitude <1 in float32: a few ulps of K.
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*float64(K) {
				t.Errorf("S=%d L=%d acc[%d]: %g vs portable %g", S, L, i, got[i], want[i])
			}
		}
	}
}

// TestVQVAEGridPortable decodes the reference grids with the portable kernel.
func TestVQVAEGridPortable(t *testing.T) {
	saved := useAVX2
	useAVX2 = false
	defer func() { useAVX2 = saved }()
	for _, rs := range loadRefSets(t) {
		dec := loadDecoder(t, filepath.Join(rs.dir, rs.idx.Weights.File))
		for _, g := range rs.idx.DecoderVectors {
			want := readF32(t, filepath.Join(rs.dir, g.LogitsFile))
			got, err := dec.Decode([GridCodes]int(g.Codes))
			if err != nil {
				t.Fatal(err)
			}
			if d := maxAbsDiff(got, want); !(d <= mapTol) {
				t.Errorf("%s/%s: max abs diff %g", rs.name, g.Name, d)
			}
		}
	}
}

// TestKernelFollowsSimd: simd.ForceGeneric switches this package's kernel off too.
func TestKernelFollowsSimd(t *testing.T) {
	if !avx2Active() {
		t.Skip("SKIP: the AVX2 kernel is not active here (no AVX2+FMA, purego, or PGEDGE_SIMD=generic)")
	}
	simd.ForceGeneric(true)
	off := avx2Active()
	simd.ForceGeneric(false)
	if off || !avx2Active() {
		t.Errorf("with simd.ForceGeneric(true) the AVX2 kernel is active: %v; after ForceGeneric(false): %v", off, avx2Active())
	}
}
