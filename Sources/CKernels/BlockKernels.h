// The kernel table of the block types whose kernels live outside Quantized.c: Q5_0 and Q5_1
// (FiveBitKernels.c) and the K-quants Q2_K…Q6_K (KQuantKernels.c).
// BlockKernels.c runs rows and dispatches on it; Quantized.c's entry points hand these types over.
//
// Every type's dot product uses the exact dequantisation distributed over the sum:
//   Σ_j w_j x_j = Σ_groups (d·s) Σ_j q_j x_j − Σ_groups (dmin·m) Σ_j x_j
// with d·s and dmin·m rounded to float exactly as the dequantiser rounds them (ggml's
// dequantize_row_*), so a row's dot equals dequantise-then-dot up to float32 summation order.
#ifndef TROVE_BLOCK_KERNELS_H
#define TROVE_BLOCK_KERNELS_H

#include "KernelCommon.h"

/// One block type's kernels. `dequantize_*` write one block's `block_size` floats, exactly;
/// `dot_*` return Σ w·x over `blocks` consecutive blocks of a row, with `sums` holding Σ x over
/// each group of `sum_group` elements of the row (unused when `sum_group` is 0).
typedef struct {
    int type, block_size, block_bytes, sum_group;
    void (*dequantize_portable)(const uint8_t *block, float *out);
#ifdef TROVE_X86
    void (*dequantize_avx2)(const uint8_t *block, float *out);
    void (*dequantize_avx512)(const uint8_t *block, float *out);
    float (*dot_avx2)(const uint8_t *row, const float *x, const float *sums, int blocks);
    float (*dot_avx512)(const uint8_t *row, const float *x, const float *sums, int blocks);
    /// Two rows at once sharing the loads of x (and their latency); each row's arithmetic is
    /// exactly dot_avx512's, so a row's value does not depend on how rows are paired.
    void (*dot2_avx512)(const uint8_t *row0, const uint8_t *row1, const float *x, const float *sums, int blocks, float y[2]);
#endif
} BlockKernels;

/// The kernels of `type`, or NULL when Quantized.c handles it (Q4_0, Q4_1, Q8_0) or it is unknown.
const BlockKernels *block_kernels(int type);

int block_kernels_matvec(const BlockKernels *k, const uint8_t *rows, size_t row_bytes, int columns,
                         const float *x, float *y, int row_begin, int row_end, int level);
void block_kernels_dequantize(const BlockKernels *k, const uint8_t *blocks, float *out, int count, int level);

extern const BlockKernels q5_0_kernels, q5_1_kernels;
extern const BlockKernels q2_k_kernels, q3_k_kernels, q4_k_kernels, q5_k_kernels, q6_k_kernels;

#ifdef TROVE_X86
// Σ_j q_j·x_j of one group of quantized values as signed bytes (every type's q fits in int8),
// in vector lanes summed by the caller.

/// 32 signed bytes of q against x[0..<32], in 8 lanes.
AVX2 static inline __m256 dot32s_avx2(__m256i q, const float *x) {
    __m128i a = _mm256_castsi256_si128(q), b = _mm256_extracti128_si256(q, 1);
    __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(a)), _mm256_loadu_ps(x));
    t = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(a, 8))), _mm256_loadu_ps(x + 8), t);
    t = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(b)), _mm256_loadu_ps(x + 16), t);
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(b, 8))), _mm256_loadu_ps(x + 24), t);
}

/// 16 signed bytes of q against x[0..<16], in 8 lanes.
AVX2 static inline __m256 dot16s_avx2(__m128i q, const float *x) {
    __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q)), _mm256_loadu_ps(x));
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q, 8))), _mm256_loadu_ps(x + 8), t);
}

/// Stores dl·q − ml for 8 signed-byte values q (the exact dequantisation: a product, then a difference).
AVX2 static inline void store8_avx2(__m128i q8, __m256 dl, __m256 ml, float *out) {
    _mm256_storeu_ps(out, _mm256_sub_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q8)), dl), ml));
}

/// Stores dl·q − ml for 16 signed-byte values.
AVX2 static inline void store16_avx2(__m128i q, __m256 dl, __m256 ml, float *out) {
    store8_avx2(q, dl, ml, out);
    store8_avx2(_mm_srli_si128(q, 8), dl, ml, out + 8);
}

/// 32 signed bytes of q against x[0..<32], in 16 lanes.
AVX512 static inline __m512 dot32s_avx512(__m256i q, const float *x) {
    __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_castsi256_si128(q))), _mm512_loadu_ps(x));
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm256_extracti128_si256(q, 1))), _mm512_loadu_ps(x + 16), t);
}

/// 16 signed bytes of q against x[0..<16], in 16 lanes.
AVX512 static inline __m512 dot16s_avx512(__m128i q, const float *x) {
    return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)), _mm512_loadu_ps(x));
}

/// Stores dl·q − ml for 16 signed-byte values.
AVX512 static inline void store16_avx512(__m128i q, __m512 dl, __m512 ml, float *out) {
    _mm512_storeu_ps(out, _mm512_sub_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)), dl), ml));
}
#endif

#endif
