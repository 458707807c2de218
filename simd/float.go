package simd

// FloatAsm reports whether the float kernels run in assembly: false under the purego
// tag, with PGEDGE_SIMD=generic, after ForceGeneric(true), or when the start-up
// self-check refused them. Packages with float kernels of their own (vqvae) follow it,
// so that one switch selects the portable code everywhere.
func FloatAsm() bool { return useAsm }
