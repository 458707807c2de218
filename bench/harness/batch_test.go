package harness

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/pgedge/pgedge/internal/refset"
)

// TestMeasureBatch runs the batching measurement on the demo model: a row per batch
// size with consistent figures, and the TTFT among busy sequences.
func TestMeasureBatch(t *testing.T) {
	root, err := refset.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, exact := range []bool{false, true} {
		rep, err := MeasureBatch(filepath.Join(root, "testdata", "demo", "pg2-tiny-int8.pge"), &BatchConfig{Threads: 2,
			Batches: []int{1, 3}, PromptTokens: 6, GenTokens: 3, Repeat: 1, ProbeTime: 10 * time.Millisecond, TTFTBusy: 2, Exact: exact})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 2 || rep.Rows[0].Batch != 1 || rep.Rows[1].Batch != 3 || rep.Exact != exact {
			t.Fatalf("rows %+v", rep.Rows)
		}
		for _, r := range rep.Rows {
			if !(r.StepMS > 0 && r.RooflineMS > 0 && r.RooflineFraction > 0) || r.AggregateTokPerS != float64(r.Batch)*r.PerSeqTokPerS {
				t.Errorf("row %+v", r)
			}
		}
		if rep.Rows[0].SpeedupVsB1 != 1 || !(rep.TTFTIdleMS > 0 && rep.TTFTBusyMS > 0) || rep.TTFTBusy != 2 || rep.MACsPerRow <= 0 || rep.WeightBytes <= 0 {
			t.Errorf("report %+v", rep)
		}
	}
}
