// CKernels: the quantized row kernels of Trove's decoder, in C because Swift 6.3's SIMD
// integer-to-float conversions do not lower to vector instructions (see Benchmarks/decoder).
//
// Each kernel has a portable C version and AVX2+FMA+F16C and AVX-512 versions chosen once at
// run time (__builtin_cpu_supports). All dequantise exactly (ggml's formulas) and accumulate
// in float32; the Swift scalar twins in Tensors/Quantized are the reference in tests.
#ifndef TROVE_CKERNELS_H
#define TROVE_CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The quantized block types the kernels handle, by ggml type id.
enum {
    TROVE_Q4_0 = 2,
    TROVE_Q4_1 = 3,
    TROVE_Q5_0 = 6,
    TROVE_Q5_1 = 7,
    TROVE_Q8_0 = 8,
    TROVE_Q2_K = 10,
    TROVE_Q3_K = 11,
    TROVE_Q4_K = 12,
    TROVE_Q5_K = 13,
    TROVE_Q6_K = 14,
};

/// y[r - row_begin] = dot(row r, x) for r in [row_begin, row_end): rows of `columns` weights
/// (a multiple of the type's block: 32, or 256 for the K-quants) in `type`'s blocks, `row_bytes` apart from `base`. Returns 0, or -1 for
/// an unknown type.
int trove_matvec(int type, const void *base, size_t row_bytes, int columns,
                 const float *x, float *y, int row_begin, int row_end);

/// out[t·ldo + n] = Σ_k x[t·ldx + k] · W[n][k] for t < tokens and n in
/// [row_begin, row_end): the prefill product with a weight of `type` (0 = F32, or a block
/// type) whose rows of K weights are `row_bytes` apart. Each element is one sequential FMA chain
/// over k, so any split of the rows between threads gives the same result. Returns 0, or -1.
int trove_gemm_quantized(int type, const void *base, size_t row_bytes, int K,
                         const float *x, int ldx, int tokens, float *out, int ldo,
                         int row_begin, int row_end);

/// Dequantises `count` weights (a multiple of the type's block) of `type` at `blocks` into `out`.
/// Returns 0, or -1 for an unknown type.
int trove_dequantize(int type, const void *blocks, float *out, int count);

/// Which instruction set the kernels chose: 0 portable C, 2 AVX2, 5 AVX-512, 6 AVX-512 with VNNI.
int trove_kernel_level(void);

/// Forces a level (0, 2, 5 or 6, capped at what the CPU supports), for tests of each path.
void trove_set_kernel_level(int level);

// ---------------------------------------------------------------- 8-bit activations (Q8_K)
//
// What llama.cpp does at run time for the K-quants: the activation vector is quantised once per
// product to Q8_K (ggml's block_q8_K: float d, int8 qs[256], int16 bsums[16] = Σ of each 16 qs;
// x ≈ d·qs) and each weight row is multiplied in integer arithmetic, its group scales applied per
// group and d·d_x once per block. Faster, and no longer the exactly dequantised model: x is rounded.

/// Bytes of one Q8_K block (256 activations).
enum { TROVE_Q8_K_BLOCK_BYTES = 292 };

/// Quantises `count` floats (a multiple of 256) to Q8_K blocks at `out`, exactly as ggml's
/// quantize_row_q8_K_ref: per block d = max/−127 with max the element of largest |x|,
/// qs = nearest_int(x/d) (ties to even), bsums the sums of each 16 qs.
void trove_quantize_q8_K(const float *x, void *out, int count);

/// Whether `type` has the integer kernels (the K-quants Q2_K…Q6_K).
int trove_has_q8_K_kernels(int type);

/// y[r − row_begin] = Σ W[r]·x for r in [row_begin, row_end): trove_matvec with x given as
/// `columns` activations quantised by trove_quantize_q8_K. Returns 0, or -1 for a type without
/// integer kernels.
int trove_matvec_q8_K(int type, const void *base, size_t row_bytes, int columns,
                      const void *xq, float *y, int row_begin, int row_end);

/// out[t·ldo + n] = Σ W[n]·x_t for t < tokens and n in [row_begin, row_end), x_t the Q8_K row of
/// token t at xq + t·xq_stride bytes. Each element is computed exactly as trove_matvec_q8_K
/// computes it (the same operations, whatever the tiling), so prefill and decode agree and any
/// split of the rows between threads gives the same result. Returns 0, or -1.
int trove_gemm_q8_K(int type, const void *base, size_t row_bytes, int K,
                    const void *xq, size_t xq_stride, int tokens, float *out, int ldo,
                    int row_begin, int row_end);

#ifdef __cplusplus
}
#endif

#endif
