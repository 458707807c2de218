package pgedge

import "errors"

// Errors a caller can test for with errors.Is. The error returned wraps one of these
// and says what exactly was wrong.
var (
	// ErrPromptTooLong: the prompt (image tokens included) leaves no room in the
	// context for a generated token.
	ErrPromptTooLong = errors.New("prompt too long")
	// ErrBadImage: the image could not be decoded (not PNG or JPEG, corrupt,
	// truncated, or too large).
	ErrBadImage = errors.New("bad image")
	// ErrBadModel: the model file or directory is corrupt, incomplete, or not a
	// PaliGemma checkpoint pgedge can run.
	ErrBadModel = errors.New("bad model")
	// ErrBadVQVAE: the segmentation VQ-VAE given WithVQVAE could not be loaded.
	ErrBadVQVAE = errors.New("bad VQ-VAE")
	// ErrBadRequest: a Request field is missing, out of range, or conflicts with
	// another (the message names it).
	ErrBadRequest = errors.New("bad request")
	// ErrClosed: the model was closed.
	ErrClosed = errors.New("model closed")
	// ErrStop, returned by a Request.Stream callback, ends generation early without
	// an error: Generate returns the result so far with FinishReason "stop_requested".
	ErrStop = errors.New("stop generation")
)
