package vqvae

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
)

// Sizes fixed by the vae-oid architecture (README section 2): 128 codebook entries,
// 16 codes on a 4x4 grid, 128 hidden channels, four stride-2 transposed convolutions
// 128->128->64->32->16 taking 4x4 to 64x64, then a 1x1 conv 16->1.
const (
	NumCodes  = 128 // valid codes are 0..127 (<seg000>..<seg127>)
	GridCodes = 16  // codes per mask, a 4x4 grid in row-major order
	MapSize   = 64  // the decoded map is MapSize x MapSize
	hidden    = 128
)

// upChannels are the channel counts around the transposed convolutions decoder.4/6/8/10.
var upChannels = [5]int{hidden, 128, 64, 32, 16}

// conv is one convolution repacked for the 2-pixel x 4-channel kernel (kernels.go):
// out[o] = b[o] + sum_s dot(in[seg s], w[o][s*L:(s+1)*L]), where the S input segments of
// L floats are rows of a zero-padded HWC feature map.
type conv struct {
	O, S, L int
	w       []float32 // [O][S*L]
	b       []float32 // [O]
}

// Decoder turns 16 VQ codes into a 64x64 logit map. It is safe for concurrent use: the
// weights are read-only after NewDecoder and each call takes its own scratch from a pool.
type Decoder struct {
	dim    int       // codebook dimension D (512 for vae-oid)
	lookup []float32 // [NumCodes][hidden]: ReLU(decoder.0(E[c])), precomputed per code
	res    [2][3]conv
	up     [4][4]conv // [layer][parity py*2+px]
	w12    [16]float32
	b12    float32
	pool   sync.Pool
}

// scratch holds the feature maps of one Decode call, each in HWC layout with a
// one-pixel zero border so that no kernel needs edge tests. The borders are zeroed at
// allocation and never written.
type scratch struct {
	x, h1, h2 []float32 // 6x6x128
	y8        []float32 // 10x10x128
	y16       []float32 // 18x18x64
	y32       []float32 // 34x34x32
}

func newScratch() *scratch {
	p := func(n, c int) []float32 { return make([]float32, (n+2)*(n+2)*c) }
	return &scratch{
		x: p(4, hidden), h1: p(4, hidden), h2: p(4, hidden),
		y8: p(8, 128), y16: p(16, 64), y32: p(32, 32),
	}
}

// Names of the tensors the decoder reads (README section 2, "used by decoder": yes).
func decoderTensorNames() []string {
	names := []string{"_vq_vae._embedding", "decoder.0.weight", "decoder.0.bias"}
	for _, blk := range []string{"decoder.2", "decoder.3"} {
		for _, l := range []string{"net.0", "net.2", "net.4"} {
			names = append(names, blk+"."+l+".weight", blk+"."+l+".bias")
		}
	}
	for _, l := range []string{"decoder.4", "decoder.6", "decoder.8", "decoder.10", "decoder.12"} {
		names = append(names, l+".weight", l+".bias")
	}
	return names
}

// LoadDecoder reads the decoder tensors of a vae-oid.npz checkpoint, ignoring every
// other member (the encoder and EMA buffers are not parsed at all).
func LoadDecoder(path string) (*Decoder, error) {
	ts, err := readNPZFile(path, isDecoderTensor)
	if err != nil {
		return nil, err
	}
	return NewDecoder(ts)
}

// DecoderFromBytes is LoadDecoder over the bytes of a vae-oid.npz file, e.g. the copy
// embedded in a .pge model file. The bytes are not retained.
func DecoderFromBytes(npz []byte) (*Decoder, error) {
	ts, err := ReadNPZFiltered(bytes.NewReader(npz), int64(len(npz)), isDecoderTensor)
	if err != nil {
		return nil, err
	}
	return NewDecoder(ts)
}

// isDecoderTensor reports whether an .npz member is one of the tensors NewDecoder reads.
func isDecoderTensor(name string) bool {
	return slices.Contains(decoderTensorNames(), name)
}

// NewDecoder checks the presence and shape of the 25 decoder tensors (PyTorch layouts)
// and repacks them. Extra tensors are ignored. The codebook dimension D is read from
// `_vq_vae._embedding` ([128, D]; 512 in vae-oid) and must agree with decoder.0.
func NewDecoder(tensors map[string]Tensor) (*Decoder, error) {
	get := func(name string, shape ...int) (Tensor, error) {
		t, ok := tensors[name]
		if !ok {
			return Tensor{}, fmt.Errorf("vqvae: tensor %q missing", name)
		}
		if !slices.Equal(t.Shape, shape) {
			return Tensor{}, fmt.Errorf("vqvae: tensor %q has shape %v, want %v", name, t.Shape, shape)
		}
		n := 1
		for _, s := range shape {
			n *= s
		}
		if len(t.Data) != n {
			return Tensor{}, fmt.Errorf("vqvae: tensor %q has %d values for shape %v (want %d)", name, len(t.Data), shape, n)
		}
		return t, nil
	}
	emb, ok := tensors["_vq_vae._embedding"]
	if !ok {
		return nil, fmt.Errorf("vqvae: tensor %q missing", "_vq_vae._embedding")
	}
	if len(emb.Shape) != 2 || emb.Shape[0] != NumCodes || emb.Shape[1] <= 0 || emb.Shape[1] > 1<<16 {
		return nil, fmt.Errorf("vqvae: tensor %q has shape %v, want [%d, D]", "_vq_vae._embedding", emb.Shape, NumCodes)
	}
	D := emb.Shape[1]
	if _, err := get("_vq_vae._embedding", NumCodes, D); err != nil {
		return nil, err
	}
	d := &Decoder{dim: D}
	d.pool.New = func() any { return newScratch() }

	// Steps 0+1 (README section 3): decoder.0 is a 1x1 conv followed by ReLU applied to a
	// codebook row, so its output depends on the code alone. Precomputing it for all 128
	// codes (in float64) removes 16*128*512 = 1M multiply-adds from every call.
	w0, err := get("decoder.0.weight", hidden, D, 1, 1)
	if err != nil {
		return nil, err
	}
	b0, err := get("decoder.0.bias", hidden)
	if err != nil {
		return nil, err
	}
	d.lookup = make([]float32, NumCodes*hidden)
	for c := 0; c < NumCodes; c++ {
		e := emb.Data[c*D : (c+1)*D]
		for o := 0; o < hidden; o++ {
			w := w0.Data[o*D : (o+1)*D]
			s := float64(b0.Data[o])
			for i, v := range e {
				s += float64(w[i]) * float64(v)
			}
			d.lookup[c*hidden+o] = float32(max(s, 0))
		}
	}

	for bi, blk := range []string{"decoder.2", "decoder.3"} {
		for li, l := range []string{"net.0", "net.2", "net.4"} {
			k := 3
			if li == 2 {
				k = 1
			}
			w, err := get(blk+"."+l+".weight", hidden, hidden, k, k)
			if err != nil {
				return nil, err
			}
			b, err := get(blk+"."+l+".bias", hidden)
			if err != nil {
				return nil, err
			}
			d.res[bi][li] = packConv(w.Data, b.Data, hidden, hidden, k)
		}
	}

	for li, l := range []string{"decoder.4", "decoder.6", "decoder.8", "decoder.10"} {
		I, O := upChannels[li], upChannels[li+1]
		w, err := get(l+".weight", I, O, 4, 4)
		if err != nil {
			return nil, err
		}
		b, err := get(l+".bias", O)
		if err != nil {
			return nil, err
		}
		for par := 0; par < 4; par++ {
			d.up[li][par] = packConvT(w.Data, b.Data, I, O, par/2, par%2)
		}
	}

	w12, err := get("decoder.12.weight", 1, 16, 1, 1)
	if err != nil {
		return nil, err
	}
	b12, err := get("decoder.12.bias", 1)
	if err != nil {
		return nil, err
	}
	copy(d.w12[:], w12.Data)
	d.b12 = b12.Data[0]
	return d, nil
}

// packConv repacks a PyTorch Conv2d weight [O][I][k][k] (k = 1 or 3, padding (k-1)/2)
// into [O][ky][kx][I]: for output pixel (y, x) segment ky is then the k*I consecutive
// floats of padded input row y+ky starting at padded column x (k = 3) or the I floats of
// padded pixel (y+1, x+1) (k = 1).
func packConv(w, b []float32, O, I, k int) conv {
	c := conv{O: O, S: k, L: k * I, w: make([]float32, O*k*k*I), b: slices.Clone(b)}
	for o := 0; o < O; o++ {
		for i := 0; i < I; i++ {
			for ky := 0; ky < k; ky++ {
				for kx := 0; kx < k; kx++ {
					c.w[o*k*k*I+(ky*k+kx)*I+i] = w[((o*I+i)*k+ky)*k+kx]
				}
			}
		}
	}
	return c
}

// tapK[p][t] is the kernel index that links output parity p to the t-th (t = 0 lower,
// 1 upper) input row or column of its 2x2 window. From oy = 2*iy - 1 + ky (README
// section 3): oy = 2m takes iy = m-1 (ky 3) and iy = m (ky 1); oy = 2m+1 takes iy = m
// (ky 2) and iy = m+1 (ky 0).
var tapK = [2][2]int{{3, 1}, {2, 0}}

// packConvT repacks a PyTorch ConvTranspose2d(k4, s2, p1) weight [I][O][4][4] into one
// 2x2 convolution per output parity (py, px): [O][ty][tx][I]. The window of output
// (2m+py, 2n+px) starts at padded input pixel (m+py, n+px), so segment ty is the 2*I
// floats of padded row m+py+ty from column n+px.
func packConvT(w, b []float32, I, O, py, px int) conv {
	c := conv{O: O, S: 2, L: 2 * I, w: make([]float32, O*4*I), b: slices.Clone(b)}
	for o := 0; o < O; o++ {
		for ty := 0; ty < 2; ty++ {
			for tx := 0; tx < 2; tx++ {
				ky, kx := tapK[py][ty], tapK[px][tx]
				for i := 0; i < I; i++ {
					c.w[o*4*I+(ty*2+tx)*I+i] = w[((i*O+o)*4+ky)*4+kx]
				}
			}
		}
	}
	return c
}

// Decode returns the 64x64 logit map (row-major, rows = y) of 16 codes laid out as a 4x4
// grid in row-major order. The output is the only allocation.
func (d *Decoder) Decode(codes [GridCodes]int) ([]float32, error) {
	out := make([]float32, MapSize*MapSize)
	if err := d.DecodeInto(out, codes); err != nil {
		return nil, err
	}
	return out, nil
}

// DecodeInto is Decode writing into dst (at least 64*64 floats); it does not allocate.
func (d *Decoder) DecodeInto(dst []float32, codes [GridCodes]int) error {
	if len(dst) < MapSize*MapSize {
		return fmt.Errorf("vqvae: output buffer holds %d floats, need %d", len(dst), MapSize*MapSize)
	}
	for k, c := range codes {
		if c < 0 || c >= NumCodes {
			return fmt.Errorf("vqvae: code %d (position %d) outside 0..%d", c, k, NumCodes-1)
		}
	}
	s := d.pool.Get().(*scratch)
	defer d.pool.Put(s)

	// Steps 0+1: 4x4 grid of precomputed decoder.0 outputs into the padded 6x6 map.
	for k, c := range codes {
		r, q := k/4, k%4
		copy(s.x[((r+1)*6+q+1)*hidden:][:hidden], d.lookup[c*hidden:(c+1)*hidden])
	}
	// Steps 2-3: ResBlocks x + conv1(ReLU(conv3(ReLU(conv3(x))))), no ReLU after the sum.
	for b := range d.res {
		conv3(&d.res[b][0], s.x, s.h1, 4, modeReLU)
		conv3(&d.res[b][1], s.h1, s.h2, 4, modeReLU)
		conv1(&d.res[b][2], s.h2, s.x, 4, modeAdd)
	}
	// Steps 4-6: transposed convolutions with ReLU, 4 -> 8 -> 16 -> 32.
	convT(&d.up[0], s.x, s.y8, 4, hidden, nil)
	convT(&d.up[1], s.y8, s.y16, 8, 128, nil)
	convT(&d.up[2], s.y16, s.y32, 16, 64, nil)
	// Steps 7-8: 32 -> 64 with ReLU, fused with the final 1x1 conv 16 -> 1.
	convT(&d.up[3], s.y32, nil, 32, 32, &finalConv{w: &d.w12, b: d.b12, dst: dst[:MapSize*MapSize]})
	return nil
}

const (
	modeReLU = iota // out = ReLU(conv)
	modeAdd         // out += conv (residual)
)

// finalConv fuses decoder.12 (1x1, 16 -> 1, no activation) into the last convT.
type finalConv struct {
	w   *[16]float32
	b   float32
	dst []float32 // 64x64
}

// conv3 runs a 3x3 convolution (padding 1) over an n x n padded map, two pixels at a time.
func conv3(c *conv, in, out []float32, n, mode int) {
	C := c.L / 3
	rs := (n + 2) * C
	for y := 0; y < n; y++ {
		for x := 0; x < n; x += 2 {
			d0 := ((y+1)*(n+2) + x + 1) * c.O
			c.pair(in, (y*(n+2)+x)*C, rs, C, out, d0, d0+c.O, mode)
		}
	}
}

// conv1 runs a 1x1 convolution over an n x n padded map.
func conv1(c *conv, in, out []float32, n, mode int) {
	C := c.L
	for y := 0; y < n; y++ {
		for x := 0; x < n; x += 2 {
			p := (y+1)*(n+2) + x + 1
			c.pair(in, p*C, 0, C, out, p*c.O, (p+1)*c.O, mode)
		}
	}
}

// convT runs ConvTranspose2d(k4, s2, p1) + ReLU from an n x n padded map with C channels
// to a 2n x 2n padded map, as four 2x2 convolutions, one per output parity. With fin set
// the ReLU output goes through decoder.12 into fin.dst instead of into out.
func convT(cs *[4]conv, in, out []float32, n, C int, fin *finalConv) {
	rs := (n + 2) * C
	m2 := 2*n + 2
	var tmp [2 * 16]float32
	for par := 0; par < 4; par++ {
		c := &cs[par]
		py, px := par/2, par%2
		for m := 0; m < n; m++ {
			for j := 0; j < n; j += 2 {
				base := ((m+py)*(n+2) + j + px) * C
				if fin == nil {
					d0 := ((2*m+py+1)*m2 + 2*j + px + 1) * c.O
					c.pair(in, base, rs, C, out, d0, d0+2*c.O, modeReLU)
					continue
				}
				c.pair(in, base, rs, C, tmp[:], 0, 16, modeReLU)
				s0, s1 := fin.b, fin.b
				for k, w := range fin.w {
					s0 += w * tmp[k]
					s1 += w * tmp[16+k]
				}
				o := (2*m+py)*2*n + 2*j + px
				fin.dst[o] = s0
				fin.dst[o+2] = s1
			}
		}
	}
}

// pair computes all O output channels of two pixels whose input windows start at base
// and base+pix, and stores them at out[d0:] and out[d1:].
func (c *conv) pair(in []float32, base, rowStride, pix int, out []float32, d0, d1, mode int) {
	K := c.S * c.L
	L := c.L
	for o := 0; o < c.O; o += 4 {
		w := c.w[o*K : (o+4)*K]
		b := c.b[o : o+4]
		acc := [8]float32{b[0], b[1], b[2], b[3], b[0], b[1], b[2], b[3]}
		dot2x4acc(in[base:], pix, rowStride, c.S, w, K, L, &acc)
		o0 := out[d0+o : d0+o+4]
		o1 := out[d1+o : d1+o+4]
		if mode == modeAdd {
			for j := range 4 {
				o0[j] += acc[j]
				o1[j] += acc[4+j]
			}
			continue
		}
		for j := range 4 {
			o0[j] = max(acc[j], 0)
			o1[j] = max(acc[4+j], 0)
		}
	}
}
