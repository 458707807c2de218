package infer

// ImageFeatures is the vision side of one image.
type ImageFeatures struct {
	VisionOut []float32 // SigLIP output after post_layernorm, N×vision_hidden
	Projected []float32 // projector output, N×text_hidden (before any scaling)
}

// EncodeImage runs SigLIP and the projector on CHW float32 pixel values in [-1, 1]
// (3×S×S at the checkpoint's resolution). Session.PrefillImage takes the result, so
// one image can serve several prompts.
func (m *Model) EncodeImage(pixels []float32) (*ImageFeatures, error) {
	if err := m.checkPixels(pixels); err != nil {
		return nil, err
	}
	r := m.newVisionRun(pixels, 0)
	m.mu.Lock()
	defer m.mu.Unlock()
	for r.stage != vDone {
		r.unit()
	}
	return r.out, nil
}
