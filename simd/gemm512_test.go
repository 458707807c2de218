package simd

import "testing"

// TestGemmEdgesZmm is TestGemmEdges for the shapes of the AVX-512F prefill
// (amd64: nx ≥ 24, nw ≥ 16), around its 24-token tile; on other hosts it
// checks the same shapes on what they have.
func TestGemmEdgesZmm(t *testing.T) {
	if !haveZmmF {
		t.Logf("SKIP avx512f: this CPU/build has no AVX-512F float path; the shapes run on %v", implNames())
	}
	sweep(t, []int{23, 24, 25, 49}, []int{15, 16, 17, 33})
}
