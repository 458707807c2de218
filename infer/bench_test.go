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

// BenchmarkVisionTower times PaliGemma 2 3B's SigLIP tower at 224 px (27 layers of
// 1152 wide, 4304 FFN, 256 patches) and the projector, INT8 as converted by default:
// ~110 G multiply-adds per image (the decoder is shrunk to one layer).
func BenchmarkVisionTower(b *testing.B) {
	cfg, _ := model.Preset("pg2-3b-224")
	cfg.Text.Layers = 1
	cfg.Text.VocabSize, cfg.ImageTokenIndex = 4096, 4095
	path := filepath.Join(b.TempDir(), "vision.pge")
	if _, err := convert.Convert(path, cfg, convert.NewSynthetic(cfg, 1), convert.Options{Policy: convert.DefaultPolicy(quant.Q8)}); err != nil {
		b.Fatal(err)
	}
	m, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	s := cfg.Vision.ImageSize
	pixels := make([]float32, 3*s*s)
	for i := range pixels {
		pixels[i] = float32(i%255)/127.5 - 1
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.EncodeImage(pixels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/image")
}

// BenchmarkNormRows: one thread's norms of a prefill: SigLIP's LayerNorm over 256
// rows of 1152, Gemma's RMSNorm over 256 rows of 2304.
func BenchmarkNormRows(b *testing.B) {
	for _, c := range []struct {
		name  string
		width int
		layer bool
	}{{"layer/256x1152", 1152, true}, {"rms/256x2304", 2304, false}} {
		x, dst := make([]float32, 256*c.width), make([]float32, 256*c.width)
		w, bias := make([]float32, c.width), make([]float32, c.width)
		for i := range x {
			x[i] = float32(i%17) - 8
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if c.layer {
					layerNormRows(dst, x, w, bias, 1e-6)
				} else {
					rmsNormRows(dst, x, w, 1e-6)
				}
			}
		})
	}
}
