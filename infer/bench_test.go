package infer

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pgedge/pgedge/convert"
	"github.com/pgedge/pgedge/model"
	"github.com/pgedge/pgedge/quant"
)

// oneLayerModel is PaliGemma 2 3B with one decoder layer, one vision layer and a
// 4096-token vocabulary: the decoder layer has the real shapes (2304 wide, 9216 FFN,
// 8/4 heads of 256), the rest is shrunk so that setting up costs seconds, not minutes.
func oneLayerModel(b *testing.B, dt quant.Type) *Model {
	b.Helper()
	cfg, _ := model.Preset("pg2-3b-224")
	cfg.Text.Layers, cfg.Vision.Layers = 1, 1
	cfg.Text.VocabSize, cfg.ImageTokenIndex = 4096, 4095
	path := filepath.Join(b.TempDir(), "layer.pge")
	if _, err := convert.Convert(path, cfg, convert.NewSynthetic(cfg, 1), convert.Options{Policy: convert.DefaultPolicy(dt)}); err != nil {
		b.Fatal(err)
	}
	m, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	return m
}

// BenchmarkDecoderLayer times one PaliGemma 2 3B decoder layer (plus the small
// embedding and output layers of the shrunk vocabulary): extend of one token after a
// 266-token prompt, and prefill of 266 tokens (256 image slots + 10 prompt tokens,
// run here as text tokens so the vision tower is not timed).
func BenchmarkDecoderLayer(b *testing.B) {
	for _, dt := range []quant.Type{quant.BF16, quant.Q8, quant.Q4} {
		b.Run(dt.String(), func(b *testing.B) {
			m := oneLayerModel(b, dt)
			ids := make([]int, 266)
			for i := range ids {
				ids[i] = 3 + i%4000
			}
			b.Run("extend", func(b *testing.B) {
				s, _ := m.NewSession(len(ids) + b.N + 1)
				if _, err := s.Prefill(nil, ids, false); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if _, err := s.Extend(5 + i%100); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("prefill%d", len(ids)), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					s, _ := m.NewSession(len(ids))
					if _, err := s.Prefill(nil, ids, false); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "tokens/s")
			})
		})
	}
}
