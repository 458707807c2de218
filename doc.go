// Package pgedge runs Google's PaliGemma vision-language models on the CPU: image +
// prompt → text, with detection boxes and segmentation masks parsed from the answer.
//
// Open a model once, then call Generate as often as you like:
//
//	m, err := pgedge.Open("pg2-3b-224-int8.pge")
//	if err != nil { ... }
//	defer m.Close()
//	img, err := pgedge.LoadImage("cat.jpg")
//	if err != nil { ... }
//	res, err := m.Generate(ctx, pgedge.Request{Image: img, Task: pgedge.Detect, Objects: []string{"cat"}})
//	for _, o := range res.Objects {
//		fmt.Println(o.Label, o.Box) // pixels of the original image
//	}
//
// # What a call does
//
// Generate lays the prompt out as PaliGemma was trained (the image's tokens, <bos>,
// the prompt, "\n"), runs the SigLIP vision tower and the Gemma decoder over it
// (prefill), then decodes one token at a time until <eos> or Request.MaxTokens. The
// text is detokenized, and <loc>/<seg> tokens in it are parsed into Objects with
// boxes in the original image's pixels and, when the model carries the segmentation
// VQ-VAE, masks (a bitmap and COCO RLE).
//
// # Concurrency
//
// A Model is safe for concurrent use, and concurrent Generate calls are batched. Each
// call has its own KV cache, sized for its prompt plus its MaxTokens. The model has
// one pool of worker threads (WithThreads, default GOMAXPROCS) and one scheduler:
//
//   - What runs in parallel: the decode steps of every call that is generating are one
//     step, a token for each of them from a single pass over the weights, so N calls
//     together produce more tokens per second than one (PaliGemma 2 3B INT8 on 2
//     threads: about 3× at 4 and 3.5–4.5× at 8; bench/README.md), while
//     each of them gets fewer. The image encoding and prefill of a new
//     call run in pieces between those steps (at most 256 prompt rows of one layer's
//     linear phase, or 192 queries of its attention, per piece; a turn of pieces lasts
//     about four decode steps), so it does not wait for the others to finish, and they
//     are not stalled for the whole of it.
//   - What queues: prefills run one at a time, oldest first. Calls whose KV caches do
//     not fit in WithKVMemory (default 4 GiB) beside those running wait for memory,
//     first come, first served. EncodeImage runs as one step on the whole pool.
//
// Tokenizing, image decoding, sampling, streaming callbacks and mask decoding run on
// the caller's goroutine, between steps; a step does not wait long for a call that is
// slow to take its token (it joins the next one).
//
// A call's tokens do not depend on what else runs, up to float rounding: a step of more
// than 4 sequences runs the GEMM kernels, whose sums differ from the one-sequence
// kernels' in the last bits, which can change a sampled draw or a greedy near-tie.
// WithExactBatch makes every step bit for bit what each call gets alone (pgedge run
// uses it, so its output does not depend on --batch), at a cost in throughput.
//
// # Cancellation and errors
//
// Generate checks its context before the prefill, between its pieces, while it waits
// for KV memory and before every decoded token: a cancelled call returns ctx.Err()
// within one step, leaves the batch, and leaves the model usable.
// Errors can be tested with errors.Is: ErrPromptTooLong, ErrBadImage, ErrBadModel,
// ErrBadRequest, context.Canceled and context.DeadlineExceeded.
//
// # Kernels
//
// The SIMD kernels are chosen once per process, at start-up, from the CPU's features
// (each assembly kernel first checks itself against its Go twin). They are a property
// of the process, not of a Model, so there is no Open option for them: the environment
// variable PGEDGE_SIMD forces a level: avx512vnni|avxvnni|avx2 (amd64) or
// neon-i8mm|neon-sdot|neon (arm64) for the integer kernels and the float kernels of the
// same registers, avx512f|avx2-fma for the float kernels (the integer ones then stay
// within the same registers), generic for the portable Go code everywhere. Info
// reports what was chosen per kernel kind.
package pgedge
