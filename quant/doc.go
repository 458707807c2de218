// Package quant defines the storage formats of pgedge's weight matrices —
// F32, BF16, F16, blocked INT8 (Q8) and INT4 (Q4) — with their encoders,
// decoders, and the pure-Go reference ("generic") dot-product kernels that
// the assembly kernels are checked against.
//
// # One storage type
//
// Type is the module's only storage-type enum: safetensors tensors, .pge
// tensors (its values are the files' type codes), the converter's precision
// policy and infer's matrices all carry it. One table (type.go) holds each
// type's traits — names (String for files and messages, MarshalText for
// --weights and JSON), block length and bytes, whether it is blocked (rows
// padded by StoredCols, multiplied by the int8 kernels), and its row encoder
// and decoder — so a new type is one row there.
//
// # Matrices, rows, blocks
//
// A matrix is rows×cols, stored [out,in] and row-major: row r holds the
// weights that multiply the input vector to give output r, and blocks run
// along the input dimension, so y = W·x is one dot product per row. Every
// row is RowBytes(t, cols) bytes: cols/BlockLen(t) blocks back to back,
// rows back to back, no padding, no row header. cols must be a multiple of
// BlockLen(t) — 1 (F32, BF16, F16), 32 (Q8), 256 (Q4) — or Quantize returns an
// error wrapping ErrShape; the caller pads the matrix or keeps it in
// F32/BF16. (PG2-3B's language model is all multiples of 256: 2304, 2048,
// 1024, 9216; SigLIP's 1152 is a multiple of 32 but not 256, and its 4304
// of neither.) All multi-byte fields are little-endian. The layouts below
// are LayoutVersion 1; interleaving rows for a kernel would be version 2.
//
// # Activations
//
// Kernels quantize the input vector x once per matvec, per block of 32
// (QuantizeActivations): scale = maxabs/127 (float32), q = RNE(x·127/maxabs)
// in int8 [-127, 127], and sum = Σq (int32). 32 is the Q8 block and the Q4
// sub-block, so each weight scale (and min) meets exactly one activation
// scale and one activation sum, and the integer part of every block dot is
// exact in int32.
//
// # Q8: 8.5 bits/weight
//
// Block of 32 weights, 34 bytes:
//
//	offset size  field
//	0      2     d   fp16 scale, signed
//	2      32    c[i] u8 code; weight i = d·(c[i] − 128)
//
// Dot with quantized activations (DotQ8): Σ_b d_b·scale_b·(Σ c·q − 128·sum_b).
//
// Why unsigned codes: AVX-512 VNNI's VPDPBUSD multiplies u8 by s8, so the
// codes go in as they are and the −128·sum_b correction is per activation
// block — computed once per input vector and shared by every row, it can be
// the accumulator's initial value: zero extra instructions per weight. With
// s8 weights VNNI would need the abs/sign trick (AVX-512 has no VPSIGNB:
// VPABSB + VPMOVB2M + masked VPSUBB, 3 extra ops per 64 weights) or
// u8-shifted activations plus a per-row-block Σw (one more VPDPBUSD per
// block). AVX2 (VPMADDUBSW would saturate: 2·255·127 = 64770 > 32767) and
// arm64 SDOT (s8×s8) first flip the codes to s8 with one XOR 0x80 per
// vector, then do what they would do for Q8_0.
//
// Why a signed scale: the quantizer picks the sign that puts the block's
// largest-magnitude weight on code −128, so the step is amax/128 rather than
// Q8_0's amax/127, and it then tries Q8_0's amax/127 and ±2 fp16 ulps
// around the folded scale, keeping the least (importance-weighted) squared
// error. The block's rounding errors at nearby scales are weakly
// correlated, so taking the best of 6 candidates gains far more than
// 128/127: −6% RMS on Gaussian weights, −4.5% Student-t, −3% trained-like
// (table below). fp16 rather than bf16: bf16's 8-bit mantissa would cost
// an estimated ~0.4% of that. fp16's range is the price: |w| ≤ Q8MaxAbs =
// 65504·128, and blocks with max |w| below 128·2^-14 ≈ 7.8e-3 get subnormal scales
// whose relative spacing grows as the block shrinks (0.8% at max |w| 1e-3,
// where the search absorbs most of it; 8% at 1e-4).
//
// Rejected: an asymmetric block (fp16 scale + u8 zero point, 35 bytes,
// 8.75 bits) measured 0.00475/0.00569/0.00539 on the three distributions,
// −11%/−22%/−33% vs Q8_0, but costs 3% more bytes on a bandwidth-bound
// matvec for a format that is already far below what matters to a model.
//
// # Q4: 4.5 bits/weight
//
// Super-block of 256 weights = 8 sub-blocks of 32, 144 bytes:
//
//	offset size  field
//	0      2     D  bf16 bits of the super-scale d ≥ 0; bit 15 = table bit 0
//	2      2     M  bf16 bits of the min scale dmin ≥ 0; bit 15 = table bit 1
//	4      8     byte 4+j, j = 0..7: low nibble = sc[j] bits 0-3, high nibble = mc[j] bits 0-3
//	12     4     uint32 H: bits 2j..2j+1 = sc[j] bits 4-5, bits 16+2j..17+2j = mc[j] bits 4-5
//	16     128   codes: byte 16+32p+l (p = 0..3, l = 0..31): low nibble = code of
//	             weight 64p+l (sub-block 2p), high nibble = code of weight 64p+32+l
//	             (sub-block 2p+1)
//
// With table t = (D>>15) | (M>>15)<<1, d = bf16(D & 0x7fff), dmin =
// bf16(M & 0x7fff), weight i of sub-block j (i in 32j..32j+31) with code c:
//
//	w = (d·sc[j])·L[t][c] − dmin·mc[j]          (S_j = d·sc[j] and M_j = dmin·mc[j] in float32)
//
// where L is the four 16-entry level tables of Q4Levels, integers 0..127.
// Dot with quantized activations (DotQ4), per sub-block j meeting activation
// block b: scale_b·(S_j·Σ L[c]·q − M_j·sum_b).
//
// Structure (Q4_K's): 128 bytes of nibbles + 16 of header = 4.5 bits. The
// 6-bit scale and min per sub-block cost 0.375 bits and are nearly free in
// accuracy because the codes are re-searched under the quantized values. A
// min (asymmetric blocks) fits the kernels: unsigned levels are the u8
// operand of VPDPBUSD and M_j·sum_b uses the activation sums that come for
// free; 32-weight sub-blocks line up with activation blocks (16-weight
// scales would need 16-weight activation sums). The nibble order is Q4_K's:
// one 32-byte load, AND 0x0f → the 32 codes of sub-block 2p, shift+AND →
// sub-block 2p+1; a 64-byte load gives sub-blocks (0,2) and (1,3) in the
// halves of two zmm, matched by permuting the activations once per input
// vector. bf16 super-scales: the f32 range (an fp16 d = max sub-scale/63 is
// already subnormal for weights of std 0.01) and decoding is a 16-bit
// shift; their 8-bit precision does not matter because the codes are
// chosen under the rounded d, dmin.
//
// Non-uniform levels: a kernel maps codes to levels with one VPSHUFB/TBL
// per 16/32/64 codes. Levels are integers ≤ 127 so they are valid u8
// (VPDPBUSD) and s8 (SDOT), and VPMADDUBSW pairs stay ≤ 2·127·127 = 32258
// (no saturation). Measured during the design on 1/16-1/32 of the layer
// (Gaussian / Student-t(4) / trained-like, float levels, a search like the
// final one): uniform levels 0..15: 0.0698/0.0845/0.0805 (Q4_K's own
// search: 0.0714/0.0867/0.0814, so the search alone is worth 2-3%); one
// table fitted to Gaussian blocks: 0.0666/0.0810/0.0873 — better in the bulk
// but worse on blocks holding a ×20 outlier column, whose 31 other weights
// sit at one end of the range; four tables fitted jointly (Lloyd over an
// equal mix of the three distributions, each super-block choosing its best)
// and selected per super-block by the two sign bits that d ≥ 0 and dmin ≥ 0
// leave unused: 0.0661/0.0786/0.0668. Tables 2 and 3 are skewed (dense
// near one end) for outlier blocks. Rounding the levels to integers costs
// 0.3%. With two tables, selecting per sub-block (one bit taken from a
// 5-bit min) instead of per super-block gained only 1%, for a costlier
// kernel, so tables are per super-block.
//
// Search (Quantize), per super-block, normalised by a power of two: rank
// the tables by a quick least-squares fit; for the best two, fit each
// sub-block's scale and min (7 inverse scales around 127/span, each
// followed by a weighted least-squares solve and one reassign-and-solve
// round), quantize them to 6-bit codes under bf16(max/63), search the 3×3
// neighbouring codes per sub-block with nearest-level assignment, refit d
// and dmin by least squares and search again; the naive min/max encoding
// of every table is also a candidate, so the result is never worse than
// it. With importance, all errors are Σ importance·(ŵ−w)². Measured
// trade-offs (sample of 1/128 of the layer): 13 scale candidates and
// two refits: −0.2% error for 1.8× the time; one table instead of two:
// +0.5%; no code neighbourhood: +1–2%.
//
// Speed: the search runs the eight sub-blocks of a super-block side by
// side, one per SIMD lane (q4lanes_amd64.s: the nearest level by a
// branch-free binary search over the thresholds with VPERMPS), each lane
// doing exactly the float32 operations of the one-sub-block search, so the
// bytes do not depend on the implementation (TestQuantizeBitIdentical
// checks them against the scalar encoder). AVX2: 12–15 M weights/s per
// core (scalar: 4.2); Q8 tries its scale candidates in the lanes of one
// pass (fp16 widened by VCVTPH2PS) and writes its codes in another:
// 273–280 M weights/s per core on a quiet machine (scalar: 42).
//
// # Accuracy
//
// Relative RMS error ‖Ŵ−W‖/‖W‖ over the q, k, v, o, gate, up and down
// matrices of one PaliGemma 2 3B layer (78 M weights), seeded, measured by
// TestAccuracyTable with PGEDGE_FULL_ACCURACY=1 (the llama.cpp columns are
// the reference figures; the Go ports in reference_test.go give the same
// figures on this data to the digits shown, except trained-like Q8_0:
// 0.00794):
//
//	format          bits  Gaussian  Student-t(4)  trained-like
//	llama.cpp Q8_0  8.5   0.00535   0.00732       0.00793
//	pgedge Q8       8.5   0.00502   0.00700       0.00771
//	llama.cpp Q4_0  4.5   0.0859    0.1157        0.1113
//	llama.cpp Q4_K  4.5   0.0713    0.0867        0.0812
//	pgedge Q4       4.5   0.0662    0.0786        0.0667
package quant
