// Q5_0 and Q5_1: ggml's 5-bit blocks of 32 (block_q5_0, block_q5_1 in ggml-common.h).
//   Q5_0 (22 B): f16 d, u32 qh, 16 B qs;          w_j = d·(q_j − 16)
//   Q5_1 (24 B): f16 d, f16 m, u32 qh, 16 B qs;   w_j = d·q_j + m
// q_j = low nibble of qs[j] (j < 16) or high nibble of qs[j − 16] (j ≥ 16), plus bit j of qh
// (little-endian) as its fifth bit. llama.cpp's SmolLM2 Q4_K_M/Q5_K_M files use these for every
// matrix whose rows (576) are not a multiple of 256, the K-quants' block.
#pragma STDC FP_CONTRACT OFF
#include "CKernels.h"
#include "BlockKernels.h"

static void five_bit_values_portable(const uint8_t *qh_bytes, const uint8_t *qs, int q[32]) {
    uint32_t qh = load_u32(qh_bytes);
    for (int j = 0; j < 16; j++) {
        q[j] = (qs[j] & 0x0f) | (int)((qh >> j) & 1) << 4;
        q[j + 16] = (qs[j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4;
    }
}

static void q5_0_dequantize_portable(const uint8_t *b, float *out) {
    float d = half_to_float(load_u16(b));
    int q[32];
    five_bit_values_portable(b + 2, b + 6, q);
    for (int j = 0; j < 32; j++) out[j] = d * (float)(q[j] - 16);
}

static void q5_1_dequantize_portable(const uint8_t *b, float *out) {
    float d = half_to_float(load_u16(b)), m = half_to_float(load_u16(b + 2));
    int q[32];
    five_bit_values_portable(b + 4, b + 8, q);
    for (int j = 0; j < 32; j++) out[j] = d * (float)q[j] + m;
}

#ifdef TROVE_X86
/// The block's 32 values q_j (0…31) as bytes in element order.
AVX2 static inline __m256i five_bit_values(const uint8_t *qh_bytes, const uint8_t *qs) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)qs), mask = _mm_set1_epi8(0x0f);
    __m256i q = _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(bytes, 4), mask), _mm_and_si128(bytes, mask));
    // Bit j of qh into byte j: byte j/8 of qh copied to byte j, then tested against bit j%8.
    __m256i h = _mm256_shuffle_epi8(_mm256_set1_epi32((int)load_u32(qh_bytes)),
                                    _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
    __m256i bit = _mm256_set1_epi64x((long long)0x8040201008040201ULL);
    h = _mm256_cmpeq_epi8(_mm256_and_si256(h, bit), bit);
    return _mm256_or_si256(q, _mm256_and_si256(h, _mm256_set1_epi8(0x10)));
}

AVX2 static void q5_0_dequantize_avx2(const uint8_t *b, float *out) {
    __m256i q = _mm256_sub_epi8(five_bit_values(b + 2, b + 6), _mm256_set1_epi8(16));
    __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(b))), zero = _mm256_setzero_ps();
    store16_avx2(_mm256_castsi256_si128(q), d, zero, out);
    store16_avx2(_mm256_extracti128_si256(q, 1), d, zero, out + 16);
}

/// d·q + m is stored as d·q − (−m): the same rounding, one helper.
AVX2 static void q5_1_dequantize_avx2(const uint8_t *b, float *out) {
    __m256i q = five_bit_values(b + 4, b + 8);
    __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(b))), negm = _mm256_set1_ps(-_cvtsh_ss(load_u16(b + 2)));
    store16_avx2(_mm256_castsi256_si128(q), d, negm, out);
    store16_avx2(_mm256_extracti128_si256(q, 1), d, negm, out + 16);
}

AVX2 static float q5_0_dot_avx2(const uint8_t *row, const float *x, const float *sums, int blocks) {
    (void)sums;
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++, row += 22) {
        __m256i q = _mm256_sub_epi8(five_bit_values(row + 2, row + 6), _mm256_set1_epi8(16));
        acc = _mm256_fmadd_ps(dot32s_avx2(q, x + 32 * b), _mm256_set1_ps(_cvtsh_ss(load_u16(row))), acc);
    }
    return hsum256(acc);
}

AVX2 static float q5_1_dot_avx2(const uint8_t *row, const float *x, const float *sums, int blocks) {
    __m256 acc = _mm256_setzero_ps();
    float offsets = 0;
    for (int b = 0; b < blocks; b++, row += 24) {
        __m256i q = five_bit_values(row + 4, row + 8);
        acc = _mm256_fmadd_ps(dot32s_avx2(q, x + 32 * b), _mm256_set1_ps(_cvtsh_ss(load_u16(row))), acc);
        offsets += _cvtsh_ss(load_u16(row + 2)) * sums[b];
    }
    return hsum256(acc) + offsets;
}

AVX512 static void q5_0_dequantize_avx512(const uint8_t *b, float *out) {
    __m256i q = _mm256_sub_epi8(five_bit_values(b + 2, b + 6), _mm256_set1_epi8(16));
    __m512 d = _mm512_set1_ps(_cvtsh_ss(load_u16(b))), zero = _mm512_setzero_ps();
    store16_avx512(_mm256_castsi256_si128(q), d, zero, out);
    store16_avx512(_mm256_extracti128_si256(q, 1), d, zero, out + 16);
}

AVX512 static void q5_1_dequantize_avx512(const uint8_t *b, float *out) {
    __m256i q = five_bit_values(b + 4, b + 8);
    __m512 d = _mm512_set1_ps(_cvtsh_ss(load_u16(b))), negm = _mm512_set1_ps(-_cvtsh_ss(load_u16(b + 2)));
    store16_avx512(_mm256_castsi256_si128(q), d, negm, out);
    store16_avx512(_mm256_extracti128_si256(q, 1), d, negm, out + 16);
}

/// The block's values as two vectors of 16 int32 lanes (elements 0–15, 16–31): the nibbles widened,
/// the fifth bit applied through a lane mask straight from qh. `offset` is Q5_0's −16 (lanes whose
/// bit is clear lose 16, those with it set keep the nibble: q − 16 either way), else 0 (Q5_1: OR 16).
AVX512 __attribute__((always_inline)) static inline void five_bit_lanes_avx512(const uint8_t *qh_bytes, const uint8_t *qs, int offset,
                                                                             __m512i *q0, __m512i *q1) {
    __m128i bytes = _mm_loadu_si128((const __m128i *)qs), mask = _mm_set1_epi8(0x0f);
    __m512i lo = _mm512_cvtepu8_epi32(_mm_and_si128(bytes, mask)), hi = _mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(bytes, 4), mask));
    uint32_t qh = load_u32(qh_bytes);
    __m512i sixteen = _mm512_set1_epi32(16);
    if (offset) {
        *q0 = _mm512_mask_sub_epi32(lo, (__mmask16)~qh, lo, sixteen);
        *q1 = _mm512_mask_sub_epi32(hi, (__mmask16)~(qh >> 16), hi, sixteen);
    } else {
        *q0 = _mm512_mask_or_epi32(lo, (__mmask16)qh, lo, sixteen);
        *q1 = _mm512_mask_or_epi32(hi, (__mmask16)(qh >> 16), hi, sixteen);
    }
}

/// The block's Σ q·x in 16 lanes, before its scale d (`bytes` 22 for Q5_0, 24 for Q5_1).
AVX512 __attribute__((always_inline)) static inline __m512 five_bit_block_avx512(int bytes, const uint8_t *p, __m512 x0, __m512 x1) {
    __m512i q0, q1;
    five_bit_lanes_avx512(p + bytes - 20, p + bytes - 16, bytes == 22, &q0, &q1);
    return _mm512_fmadd_ps(_mm512_cvtepi32_ps(q1), x1, _mm512_mul_ps(_mm512_cvtepi32_ps(q0), x0));
}

/// `rows` (1 or 2) rows: Σ_b d_b·(Σ q·x) (+ Σ_b m_b·Σ x for Q5_1), each row on its own chain.
AVX512 __attribute__((always_inline)) static inline void five_bit_dot_avx512(int bytes, int rows, const uint8_t *r0, const uint8_t *r1,
                                                                           const float *x, const float *sums, int blocks, float *y) {
    __m512 a = _mm512_setzero_ps(), c = _mm512_setzero_ps();
    float ao = 0, co = 0;
    for (int b = 0; b < blocks; b++, r0 += bytes, r1 += bytes) {
        __m512 x0 = _mm512_loadu_ps(x + 32 * b), x1 = _mm512_loadu_ps(x + 32 * b + 16);
        a = _mm512_fmadd_ps(five_bit_block_avx512(bytes, r0, x0, x1), _mm512_set1_ps(_cvtsh_ss(load_u16(r0))), a);
        if (bytes == 24) ao += _cvtsh_ss(load_u16(r0 + 2)) * sums[b];
        if (rows == 2) {
            c = _mm512_fmadd_ps(five_bit_block_avx512(bytes, r1, x0, x1), _mm512_set1_ps(_cvtsh_ss(load_u16(r1))), c);
            if (bytes == 24) co += _cvtsh_ss(load_u16(r1 + 2)) * sums[b];
        }
    }
    y[0] = _mm512_reduce_add_ps(a) + ao;
    if (rows == 2) y[1] = _mm512_reduce_add_ps(c) + co;
}

AVX512 static float q5_0_dot_avx512(const uint8_t *row, const float *x, const float *sums, int blocks) {
    float y;
    five_bit_dot_avx512(22, 1, row, row, x, sums, blocks, &y);
    return y;
}
AVX512 static void q5_0_dot2_avx512(const uint8_t *r0, const uint8_t *r1, const float *x, const float *sums, int blocks, float y[2]) {
    five_bit_dot_avx512(22, 2, r0, r1, x, sums, blocks, y);
}
AVX512 static float q5_1_dot_avx512(const uint8_t *row, const float *x, const float *sums, int blocks) {
    float y;
    five_bit_dot_avx512(24, 1, row, row, x, sums, blocks, &y);
    return y;
}
AVX512 static void q5_1_dot2_avx512(const uint8_t *r0, const uint8_t *r1, const float *x, const float *sums, int blocks, float y[2]) {
    five_bit_dot_avx512(24, 2, r0, r1, x, sums, blocks, y);
}
#endif

const BlockKernels q5_0_kernels = {
    TROVE_Q5_0, 32, 22, 0, q5_0_dequantize_portable,
#ifdef TROVE_X86
    q5_0_dequantize_avx2, q5_0_dequantize_avx512, q5_0_dot_avx2, q5_0_dot_avx512, q5_0_dot2_avx512,
#endif
};

const BlockKernels q5_1_kernels = {
    TROVE_Q5_1, 32, 24, 32, q5_1_dequantize_portable,
#ifdef TROVE_X86
    q5_1_dequantize_avx2, q5_1_dequantize_avx512, q5_1_dot_avx2, q5_1_dot_avx512, q5_1_dot2_avx512,
#endif
};
