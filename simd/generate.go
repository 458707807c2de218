package simd

// The assembly of the integer and elementwise kernels is generated, and committed so
// that building needs nothing but Go; TestGeneratedAssembly regenerates it into a
// temporary directory and requires the same bytes. The arm64 generators encode the
// instructions the Go assembler lacks (SDOT, SMMLA, ...) with llvm-mc (Debian's llvm).
// The VNNI and AVX-512F generators are named beside their kernels.

//go:generate python3 ../scripts/simdgen/gen_qgemm_amd64.py
//go:generate python3 ../scripts/simdgen/gen_qgemm_arm64.py
//go:generate python3 ../scripts/simdgen/gen_elementwise_arm64.py
//go:generate python3 ../scripts/simdgen/gen_qgemv_rows_amd64.py
//go:generate python3 ../scripts/simdgen/gen_gemm_bf16dot_amd64.py
