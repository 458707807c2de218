package infer

import "github.com/pgedge/pgedge/simd"

// fullAttention is attention in which every query sees every key (SigLIP; the
// decoder's prefill, where image and prompt form one prefix) as two matrix products
// per query head and block of queries: S = Q·Kᵀ through simd.GemmF32, a softmax per
// row, then S·V against Vᵀ packed once per key/value head. Done a score and a value
// row at a time it ran at dot-product speed: SigLIP at 224 px took 6.2 s instead of
// 2.8 s on one Zen 3 core, and at 448 px (1024 patches, 65 G multiply-adds of
// attention) as long as all its linear layers together. Query blocks keep the score
// buffers at fullAttnQueryBlock × n floats per thread, so memory stays linear in the
// sequence (896 px: 4096 patches, 1.5 MB per thread).
type fullAttention struct {
	pool                *Pool
	n, hd, heads, group int // keys = queries; head size; query heads; query heads per KV head
	scale, softcap      float32

	q, att     []float32 // n rows of qStride floats; head h at h·hd
	qStride    int
	k, v       []float32 // key/value rows: head kvh of row j at kvh·headStride + j·rowStride
	headStride int
	rowStride  int
	kh, vt     []float32 // per KV head: n×hd keys (packed unless already contiguous), hd×n values
	qb, sc     [][]float32
	packing    bool
	b0, nb     int // the query blocks of the current attend call
}

// maxPackedHeadDim bounds the head size whose values' transpose buffer is on the
// stack (SigLIP 72, Gemma 256; larger heads allocate it).
const maxPackedHeadDim = 256

// fullAttnQueryBlock is the queries per task: a multiple of the float GEMM's 6-token
// micro-tile.
const fullAttnQueryBlock = 96

// run computes att from q, k and v (see the fields for their layouts).
func (a *fullAttention) run(q, att []float32, qStride int, k, v []float32, headStride, rowStride int) {
	a.pack(q, att, qStride, k, v, headStride, rowStride)
	a.attend(0, a.blocks())
	a.release()
}

// blocks is the number of query blocks.
func (a *fullAttention) blocks() int { return (a.n + fullAttnQueryBlock - 1) / fullAttnQueryBlock }

// pack takes the inputs and packs the keys and transposed values; attend then
// computes blocks of queries (a prefill in pieces calls it several times), release
// drops the references.
func (a *fullAttention) pack(q, att []float32, qStride int, k, v []float32, headStride, rowStride int) {
	a.q, a.att, a.qStride = q, att, qStride
	a.k, a.v, a.headStride, a.rowStride = k, v, headStride, rowStride
	kvHeads := a.heads / a.group
	a.kh = grow(&a.kh, kvHeads*a.n*a.hd)
	a.vt = grow(&a.vt, kvHeads*a.n*a.hd)
	for len(a.qb) < a.pool.Threads() {
		a.qb = append(a.qb, make([]float32, fullAttnQueryBlock*a.hd))
		a.sc = append(a.sc, nil)
	}
	for w := range a.sc {
		grow(&a.sc[w], fullAttnQueryBlock*a.n)
	}
	a.packing = true
	a.pool.Run(kvHeads, a)
	a.packing = false
}

// attend computes query blocks [b0, b1) of every head.
func (a *fullAttention) attend(b0, b1 int) {
	a.b0, a.nb = b0, b1-b0
	a.pool.Run(a.heads*a.nb, a)
}

func (a *fullAttention) release() {
	a.q, a.att, a.k, a.v = nil, nil, nil, nil
}

// Task packs one KV head's keys and transposed values (packing step), or computes one
// query head's outputs for one block of queries.
func (a *fullAttention) Task(task, worker int) {
	n, hd := a.n, a.hd
	if a.packing {
		kvh := task
		kh, vt := a.kh[kvh*n*hd:(kvh+1)*n*hd], a.vt[kvh*n*hd:(kvh+1)*n*hd]
		for j := 0; j < n; j++ {
			at := kvh*a.headStride + j*a.rowStride
			copy(kh[j*hd:(j+1)*hd], a.k[at:at+hd])
		}
		// Vᵀ 16 keys at a time through a small contiguous buffer, then one
		// cache line per Vᵀ row: writing Vᵀ a value row at a time put hd lines
		// n floats apart, which for n = 256 fall in 4 of the L1's 64 sets and
		// were evicted before the next key wrote them again (~4 ns per value).
		var stack [16 * maxPackedHeadDim]float32
		blk := stack[:]
		if hd > maxPackedHeadDim {
			blk = make([]float32, 16*hd)
		}
		for j0 := 0; j0 < n; j0 += 16 {
			nj := min(16, n-j0)
			for jj := 0; jj < nj; jj++ {
				at := kvh*a.headStride + (j0+jj)*a.rowStride
				for e, x := range a.v[at : at+hd] {
					blk[e*16+jj] = x
				}
			}
			for e := 0; e < hd; e++ {
				copy(vt[e*n+j0:e*n+j0+nj], blk[e*16:e*16+nj])
			}
		}
		return
	}
	h, b := task/a.nb, a.b0+task%a.nb
	kvh := h / a.group
	i0 := b * fullAttnQueryBlock
	rows := min(n, i0+fullAttnQueryBlock) - i0
	qb := a.qb[worker][:rows*hd]
	for i := 0; i < rows; i++ {
		copy(qb[i*hd:(i+1)*hd], a.q[(i0+i)*a.qStride+h*hd:])
	}
	sc := a.sc[worker][:rows*n]
	simd.GemmF32(sc, n, qb, rows, a.kh[kvh*n*hd:(kvh+1)*n*hd], n, hd)
	for i := 0; i < rows; i++ {
		row := sc[i*n : (i+1)*n]
		simd.ScaleF32(row, a.scale)
		if a.softcap > 0 {
			simd.SoftcapF32(row, a.softcap) // Gemma 2: before the mask, as the reference
		}
		simd.ExpShiftF32(row, simd.MaxF32(row))
	}
	normalizeRows(sc, rows, n)
	simd.GemmF32(a.att[i0*a.qStride+h*hd:], a.qStride, sc, rows, a.vt[kvh*n*hd:(kvh+1)*n*hd], hd, n)
}
