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
// A Model is safe for concurrent use. Each Generate call has its own KV cache, sized
// for its prompt plus its MaxTokens. The model has one pool of worker threads
// (WithThreads, default GOMAXPROCS) and every compute step — an image encoding, a
// prefill, one decoded token — runs on all of them; steps of concurrent calls queue
// for the pool and interleave, so N concurrent generations each advance about 1/N as
// fast as one alone and none waits for another to finish. Tokenizing, image decoding
// and mask decoding run on the caller's goroutine, outside the queue.
//
// # Cancellation and errors
//
// Generate checks its context before the prefill and before every decoded token: a
// cancelled call returns ctx.Err() within one step and leaves the model usable.
// Errors can be tested with errors.Is: ErrPromptTooLong, ErrBadImage, ErrBadModel,
// ErrBadRequest, context.Canceled and context.DeadlineExceeded.
//
// # Kernels
//
// The SIMD kernels are chosen once per process, at start-up, from the CPU's features
// (each assembly kernel first checks itself against its Go twin). They are a property
// of the process, not of a Model, so there is no Open option for them: the environment
// variable PGEDGE_SIMD=avx512vnni|avxvnni|avx2|generic forces a level (amd64; generic
// is the portable Go code everywhere). Info reports what was chosen.
package pgedge
