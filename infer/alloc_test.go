package infer

import (
	"path/filepath"
	"testing"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/internal/refset"
	"github.com/pgedge/pgedge/quant"
)

// TestExtendDoesNotAllocate: decoding a token allocates nothing on the heap, for every
// storage type.
func TestExtendDoesNotAllocate(t *testing.T) {
	cases, _ := refset.Cases()
	rc := cases[len(cases)-1]
	for _, dt := range []quant.Type{quant.F32, quant.BF16, quant.Q8, quant.Q4} {
		t.Run(dt.String(), func(t *testing.T) {
			m := convertCase(t, rc.Dir, convert.DefaultPolicy(dt))
			var in refInput
			readJSON(t, filepath.Join(rc.Dir, "input.json"), &in)
			s, err := m.NewSession(len(in.InputIDs) + 200)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Prefill(in.PixelValues, in.InputIDs, false); err != nil {
				t.Fatal(err)
			}
			s.Extend(5) // grow the buffers once
			allocs := testing.AllocsPerRun(50, func() {
				if _, err := s.Extend(7); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("Extend allocates %.1f times per token", allocs)
			}
		})
	}
}
