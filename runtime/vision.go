package runtime

import "fmt"

// ImageFeatures is the vision side of one image.
type ImageFeatures struct {
	VisionOut []float32 // SigLIP output after post_layernorm, N×vision_hidden
	Projected []float32 // projector output, N×text_hidden (before any scaling)
}

// EncodeImage runs SigLIP and the projector on CHW float32 pixel values in [-1, 1]
// (3×S×S at the checkpoint's resolution). Session.PrefillImage takes the result, so
// one image can serve several prompts.
func (m *Model) EncodeImage(pixels []float32) (*ImageFeatures, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.encodeImage(pixels)
}

// encodeImage is EncodeImage with m.mu held.
func (m *Model) encodeImage(pixels []float32) (*ImageFeatures, error) {
	v := m.Config.Vision
	s, p, c := v.ImageSize, v.PatchSize, v.Channels
	if len(pixels) != c*s*s {
		return nil, fmt.Errorf("pixel values: got %d floats, want %d×%d×%d = %d", len(pixels), c, s, s, c*s*s)
	}
	grid := s / p
	n := grid * grid
	d := v.Hidden
	patchLen := c * p * p

	// Patches in row-major order, each flattened in (channel, y, x) order to match the
	// [D, C, P, P] convolution weight read as a [D, C·P·P] matrix.
	patches := make([]float32, n*patchLen)
	for py := 0; py < grid; py++ {
		for px := 0; px < grid; px++ {
			dst := patches[(py*grid+px)*patchLen:]
			i := 0
			for ch := 0; ch < c; ch++ {
				for y := 0; y < p; y++ {
					row := pixels[ch*s*s+(py*p+y)*s+px*p:]
					copy(dst[i:i+p], row[:p])
					i += p
				}
			}
		}
	}
	x := make([]float32, n*d)
	m.eng.linear(x, patches, n, m.patchW, m.patchB)
	for i := range x {
		x[i] += m.posEmb[i]
	}

	xn := make([]float32, n*d)
	q := make([]float32, n*d)
	k := make([]float32, n*d)
	val := make([]float32, n*d)
	att := make([]float32, n*d)
	tmp := make([]float32, n*d)
	hid := make([]float32, n*v.Intermediate)
	// SigLIP's attention is full and bidirectional: every patch sees every patch.
	va := &fullAttention{pool: m.eng.pool, n: n, hd: m.visionHeadDim, heads: v.Heads, group: 1, scale: m.visionScale}
	for _, l := range m.vision {
		layerNormRows(xn, x, l.ln1W, l.ln1B, v.LayerNormEps)
		m.eng.linear(q, xn, n, l.q, l.qB)
		m.eng.linear(k, xn, n, l.k, l.kB)
		m.eng.linear(val, xn, n, l.v, l.vB)
		va.run(q, att, d, k, val, m.visionHeadDim, d)
		m.eng.linear(tmp, att, n, l.o, l.oB)
		for i := range x {
			x[i] += tmp[i]
		}
		layerNormRows(xn, x, l.ln2W, l.ln2B, v.LayerNormEps)
		m.eng.linear(hid, xn, n, l.fc1, l.fc1B)
		m.eng.geglu(hid, nil, v.Activation)
		m.eng.linear(tmp, hid, n, l.fc2, l.fc2B)
		for i := range x {
			x[i] += tmp[i]
		}
	}
	layerNormRows(x, x, m.postLNW, m.postLNB, v.LayerNormEps)
	proj := make([]float32, n*m.hidden)
	m.eng.linear(proj, x, n, m.proj, m.projB)
	return &ImageFeatures{VisionOut: x, Projected: proj}, nil
}
