package infer

import "github.com/pgedge/pgedge/simd"

// quantizeActs quantizes one row of activations for the Q8 and Q4 kernels
// (simd.QuantizeActs). It is a variable so that TestQuantized can run llama.cpp's
// reference formats with llama.cpp's activation rounding (fp16 block scales); nothing
// else replaces it.
var quantizeActs = simd.QuantizeActs
