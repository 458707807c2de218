//go:build !purego

package quant

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/x448/float16"
)

// TestQ4LanesAsm checks the assembly search loops against the Go ones bit
// for bit, including lanes whose inverse scale is 0, huge, +Inf or NaN
// (t = NaN or ≥ 2^63, where Go's int(t) overflows on amd64).
func TestQ4LanesAsm(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var xt, ht [q4Sub][q4NSub]float32
	specials := []float32{0, 1e-30, 1e30, 3e19, float32(math.Inf(1)), float32(math.NaN()), -1e25}
	for it := 0; it < 2000; it++ {
		for i := range xt {
			for j := range xt[i] {
				xt[i][j] = float32(rng.NormFloat64())
				ht[i][j] = float32(rng.Float64())
				if it%7 == 0 && i%5 == 0 {
					xt[i][j] = 0
				}
			}
		}
		var tm, inv, S [q4NSub]float32
		for j := range tm {
			tm[j] = float32(rng.Float64() * 2)
			S[j] = float32(rng.Float64() * 0.1)
			inv[j] = float32(rng.Float64() * 60)
			if rng.IntN(4) == 0 {
				inv[j] = specials[rng.IntN(len(specials))]
			}
		}
		k := it % 4
		var a, b [3][q4NSub]float32
		q4FitAVX2(&xt, &ht, &tm, &inv, &q4vtabs[k], &a)
		q4FitLanesGo(&xt, &ht, &tm, &inv, k, &b)
		for r := range a {
			for j := range a[r] {
				if math.Float32bits(a[r][j]) != math.Float32bits(b[r][j]) {
					t.Fatalf("fit iter %d sum %d lane %d (inv %g): asm %g, Go %g", it, r, j, inv[j], a[r][j], b[r][j])
				}
			}
		}
		var ea, eb [q4NSub]float32
		var ca, cb [q4Sub][q4NSub]int32
		q4AssignAVX2(&xt, &ht, &S, &tm, &inv, &q4vtabs[k], &ea, &ca)
		q4AssignLanesGo(&xt, &ht, &S, &tm, &inv, k, &eb, &cb)
		if ca != cb {
			t.Fatalf("assign iter %d: codes differ", it)
		}
		for j := range ea {
			if math.Float32bits(ea[j]) != math.Float32bits(eb[j]) {
				t.Fatalf("assign iter %d lane %d: asm %g, Go %g", it, j, ea[j], eb[j])
			}
		}
	}
}

func TestQ8ErrsAsm(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var x, h [q8Block]float32
	for it := 0; it < 5000; it++ {
		sc := math.Exp(rng.NormFloat64() * 8)
		for i := range x {
			x[i] = float32(rng.NormFloat64() * sc)
			h[i] = float32(rng.Float64())
		}
		var cand [8]uint16
		var a, b [8]float32
		for i := range cand {
			cand[i] = f16Mag(float32(sc * (0.005 + 0.01*rng.Float64())))
		}
		q8ErrsAVX2(&x, &h, &cand, &a)
		q8ErrsGo(&x, &h, &cand, &b)
		var ca, cb [q8Block]byte
		q8CodesAVX2(&x, 1/float16.Frombits(cand[0]).Float32(), &ca)
		q8CodesGo(x[:], float16.Frombits(cand[0]).Float32(), cb[:])
		if ca != cb {
			t.Fatalf("iter %d: codes differ:\n%v\n%v", it, ca, cb)
		}
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
				t.Fatalf("iter %d lane %d: asm %g, Go %g", it, i, a[i], b[i])
			}
		}
	}
}
