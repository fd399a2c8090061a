// The K-quants: ggml's super-blocks of 256 weights in groups of 16 or 32, each group with its
// own scale (and minimum), the scales themselves quantized against the block's f16 d (and dmin).
// Layouts (block_q*_K in ggml-common.h); element e of a block, groups g = e / group:
//   Q2_K  (84 B): scales[16], qs[64], f16 d, f16 dmin   q = (qs[32h+j] >> 2k) & 3,           w = d·(s_g & 15)·q − dmin·(s_g >> 4)
//   Q3_K (110 B): hmask[32], qs[64], scales[12], f16 d  q = ((qs[32h+j] >> 2k) & 3) − (bit 4h+k of hmask[j] ? 0 : 4),  w = d·(s_g − 32)·q
//   Q4_K (144 B): f16 d, f16 dmin, scales[12], qs[128]  q = nibble (e/32 even: low) of qs[32·(e/64) + e%32],  w = d·sc_g·q − dmin·m_g
//   Q5_K (176 B): as Q4_K with qh[32] before qs: bit e/32 of qh[e%32] is q's fifth bit
//   Q6_K (210 B): ql[128], qh[64], int8 scales[16], f16 d  q = (nibble of ql[64h+32(k&1)+j], shift 4(k>>1)) | ((qh[32h+j] >> 2k) & 3) << 4, w = d·s_g·(q − 32)
// where, for the 2-bit fields, e = 128h + 32k + j (h < 2, k < 4, j < 32). Groups: 16 elements for
// Q2_K, Q3_K, Q6_K; 32 for Q4_K and Q5_K. Each group's factors d·s and dmin·m are rounded to
// float first and w = (d·s)·q − (dmin·m) is then a product and a difference, as ggml's
// dequantize_row_q*_K and gguf-py compute it: the results are bit-identical to theirs.
#pragma STDC FP_CONTRACT OFF
#include "CKernels.h"
#include "BlockKernels.h"
#include "KQuantLayout.h"




/// The per-group factors of one block: dl[g] = d·scale_g and ml[g] = dmin·min_g (0 without minimums).
__attribute__((always_inline)) static inline void k_factors(int type, const uint8_t *b, float dl[16], float ml[16]) {
    switch (type) {
    case TROVE_Q2_K: {
        float d = half_to_float(load_u16(b + 80)), dmin = half_to_float(load_u16(b + 82));
        for (int g = 0; g < 16; g++) { dl[g] = d * (float)(b[g] & 0x0f); ml[g] = dmin * (float)(b[g] >> 4); }
        break;
    }
    case TROVE_Q3_K: {
        float d = half_to_float(load_u16(b + 108));
        for (int g = 0; g < 16; g++) { dl[g] = d * (float)q3_k_scale(b + 96, g); ml[g] = 0; }
        break;
    }
    case TROVE_Q4_K: case TROVE_Q5_K: {
        float d = half_to_float(load_u16(b)), dmin = half_to_float(load_u16(b + 2));
        int sc[8], m[8];
        scales_and_mins_k4(b + 4, sc, m);
        for (int g = 0; g < 8; g++) { dl[g] = d * (float)sc[g]; ml[g] = dmin * (float)m[g]; }
        break;
    }
    case TROVE_Q6_K: {
        float d = half_to_float(load_u16(b + 208));
        for (int g = 0; g < 16; g++) { dl[g] = d * (float)(int8_t)b[192 + g]; ml[g] = 0; }
        break;
    }
    }
}


__attribute__((always_inline)) static inline void k_dequantize_portable(int type, const uint8_t *b, float *out) {
    float dl[16], ml[16];
    k_factors(type, b, dl, ml);
    int group = group_size(type);
    for (int e = 0; e < 256; e++) out[e] = dl[e / group] * (float)k_value(type, b, e) - ml[e / group];
}

static void q2_k_dequantize_portable(const uint8_t *b, float *out) { k_dequantize_portable(TROVE_Q2_K, b, out); }
static void q3_k_dequantize_portable(const uint8_t *b, float *out) { k_dequantize_portable(TROVE_Q3_K, b, out); }
static void q4_k_dequantize_portable(const uint8_t *b, float *out) { k_dequantize_portable(TROVE_Q4_K, b, out); }
static void q5_k_dequantize_portable(const uint8_t *b, float *out) { k_dequantize_portable(TROVE_Q5_K, b, out); }
static void q6_k_dequantize_portable(const uint8_t *b, float *out) { k_dequantize_portable(TROVE_Q6_K, b, out); }

#ifdef TROVE_X86

/// k_factors with vector conversions and products (the same float products, so the same bits).
AVX2 __attribute__((always_inline)) static inline void k_factors_avx2(int type, const uint8_t *b, float dl[16], float ml[16]) {
    switch (type) {
    case TROVE_Q2_K: {
        __m128i s = _mm_loadu_si128((const __m128i *)b), nibble = _mm_set1_epi8(0x0f);
        __m128i sc = _mm_and_si128(s, nibble), m = _mm_and_si128(_mm_srli_epi16(s, 4), nibble);
        __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(b + 80))), dmin = _mm256_set1_ps(_cvtsh_ss(load_u16(b + 82)));
        _mm256_storeu_ps(dl, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(sc))));
        _mm256_storeu_ps(dl + 8, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(sc, 8)))));
        _mm256_storeu_ps(ml, _mm256_mul_ps(dmin, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(m))));
        _mm256_storeu_ps(ml + 8, _mm256_mul_ps(dmin, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(m, 8)))));
        break;
    }
    case TROVE_Q4_K: case TROVE_Q5_K: {
        uint8_t packed[16];
        scales_and_mins_k4_packed(b + 4, packed);
        __m128i v = _mm_loadu_si128((const __m128i *)packed);
        _mm256_storeu_ps(dl, _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b))), _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(v))));
        _mm256_storeu_ps(ml, _mm256_mul_ps(_mm256_set1_ps(_cvtsh_ss(load_u16(b + 2))), _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(v, 8)))));
        break;
    }
    case TROVE_Q6_K: {
        __m128i s = _mm_loadu_si128((const __m128i *)(b + 192));
        __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(b + 208)));
        _mm256_storeu_ps(dl, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(s))));
        _mm256_storeu_ps(dl + 8, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(s, 8)))));
        _mm256_storeu_ps(ml, _mm256_setzero_ps());
        _mm256_storeu_ps(ml + 8, _mm256_setzero_ps());
        break;
    }
    default: {   // Q3_K: sixteen 6-bit scales from 12 bytes (the rule of q3_k_scale), then d·(s − 32)
        uint8_t packed[16];
        uint32_t high, v[4];
        memcpy(packed, b + 96, 12);
        memcpy(&high, b + 104, 4);
        for (int k = 0; k < 4; k++) v[k] = ((high >> (2 * k)) & 0x03030303u) << 4;   // top bits of scales 4k…4k+3
        __m128i lows = _mm_loadl_epi64((const __m128i *)packed), nibble = _mm_set1_epi8(0x0f);
        __m128i low = _mm_unpacklo_epi64(_mm_and_si128(lows, nibble), _mm_and_si128(_mm_srli_epi16(lows, 4), nibble));
        __m128i scales = _mm_sub_epi8(_mm_or_si128(low, _mm_loadu_si128((const __m128i *)v)), _mm_set1_epi8(32));
        __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(b + 108)));
        _mm256_storeu_ps(dl, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(scales))));
        _mm256_storeu_ps(dl + 8, _mm256_mul_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(scales, 8)))));
        _mm256_storeu_ps(ml, _mm256_setzero_ps());
        _mm256_storeu_ps(ml + 8, _mm256_setzero_ps());
    }
    }
}

/// Σ_g ml_g · sums_g over one block's groups (8 or 16), in 8 lanes added to `acc`.
AVX2 __attribute__((always_inline)) static inline __m256 k_offsets_avx2(int groups, const float *ml, const float *sums, __m256 acc) {
    acc = _mm256_fmadd_ps(_mm256_loadu_ps(ml), _mm256_loadu_ps(sums), acc);
    if (groups == 16) acc = _mm256_fmadd_ps(_mm256_loadu_ps(ml + 8), _mm256_loadu_ps(sums + 8), acc);
    return acc;
}

/// The 32 values of elements 32c ..< 32c + 32 as signed bytes (the vector form of k_value): the
/// stored bits (KQuantLayout.h) less Q3_K's and Q6_K's offsets.
AVX2 __attribute__((always_inline)) static inline __m256i k_values_avx2(int type, const uint8_t *b, int c) {
    __m256i u = k_unsigned_avx2(type, b, c);
    if (type == TROVE_Q3_K) return _mm256_sub_epi8(u, _mm256_set1_epi8(4));
    if (type == TROVE_Q6_K) return _mm256_sub_epi8(u, _mm256_set1_epi8(32));
    return u;
}

AVX2 __attribute__((always_inline)) static inline void k_dequantize_avx2(int type, const uint8_t *b, float *out) {
    float dl[16], ml[16];
    k_factors_avx2(type, b, dl, ml);
    int wide = group_size(type) == 32;
    for (int c = 0; c < 8; c++) {
        __m256i q = k_values_avx2(type, b, c);
        int g0 = wide ? c : 2 * c, g1 = wide ? c : 2 * c + 1;
        store16_avx2(_mm256_castsi256_si128(q), _mm256_set1_ps(dl[g0]), _mm256_set1_ps(ml[g0]), out + 32 * c);
        store16_avx2(_mm256_extracti128_si256(q, 1), _mm256_set1_ps(dl[g1]), _mm256_set1_ps(ml[g1]), out + 32 * c + 16);
    }
}

/// Σ_g dl_g·(Σ_j q_j x_j) − Σ_g ml_g·(Σ_j x_j) over `blocks` blocks; `sums` are Σ x per group.
AVX2 __attribute__((always_inline)) static inline float k_dot_avx2(int type, const uint8_t *row, const float *x, const float *sums, int blocks) {
    int bytes = type == TROVE_Q2_K ? 84 : type == TROVE_Q3_K ? 110 : type == TROVE_Q4_K ? 144 : type == TROVE_Q5_K ? 176 : 210;
    int wide = group_size(type) == 32, has_min = type == TROVE_Q2_K || type == TROVE_Q4_K || type == TROVE_Q5_K;
    __m256 acc = _mm256_setzero_ps();
    __m256 offsets = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++, row += bytes, x += 256) {
        float dl[16], ml[16];
        k_factors_avx2(type, row, dl, ml);
        for (int c = 0; c < 8; c++) {
            __m256i q = k_values_avx2(type, row, c);
            if (wide) {
                acc = _mm256_fmadd_ps(dot32s_avx2(q, x + 32 * c), _mm256_set1_ps(dl[c]), acc);
            } else {
                acc = _mm256_fmadd_ps(dot16s_avx2(_mm256_castsi256_si128(q), x + 32 * c), _mm256_set1_ps(dl[2 * c]), acc);
                acc = _mm256_fmadd_ps(dot16s_avx2(_mm256_extracti128_si256(q, 1), x + 32 * c + 16), _mm256_set1_ps(dl[2 * c + 1]), acc);
            }
        }
        if (has_min) offsets = k_offsets_avx2(wide ? 8 : 16, ml, sums + b * (wide ? 8 : 16), offsets);
    }
    return hsum256(acc) - hsum256(offsets);
}

AVX512 __attribute__((always_inline)) static inline void k_dequantize_avx512(int type, const uint8_t *b, float *out) {
    float dl[16], ml[16];
    k_factors_avx2(type, b, dl, ml);
    int wide = group_size(type) == 32;
    for (int c = 0; c < 8; c++) {
        __m256i q = k_values_avx2(type, b, c);
        int g0 = wide ? c : 2 * c, g1 = wide ? c : 2 * c + 1;
        store16_avx512(_mm256_castsi256_si128(q), _mm512_set1_ps(dl[g0]), _mm512_set1_ps(ml[g0]), out + 32 * c);
        store16_avx512(_mm256_extracti128_si256(q, 1), _mm512_set1_ps(dl[g1]), _mm512_set1_ps(ml[g1]), out + 32 * c + 16);
    }
}

/// One block's Σ_g dl_g·(Σ q·x) in 16 lanes, added to `acc`; its Σ ml·Σx added to `offsets`.
AVX512 __attribute__((always_inline)) static inline __m512 k_block_avx512(int type, const uint8_t *p, const float *x, const float *sums,
                                                                        __m512 acc, __m256 *offsets) {
    int wide = group_size(type) == 32, has_min = type == TROVE_Q2_K || type == TROVE_Q4_K || type == TROVE_Q5_K;
    float dl[16], ml[16];
    k_factors_avx2(type, p, dl, ml);
    for (int c = 0; c < 8; c++) {
        __m256i q = k_values_avx2(type, p, c);
        if (wide) {
            acc = _mm512_fmadd_ps(dot32s_avx512(q, x + 32 * c), _mm512_set1_ps(dl[c]), acc);
        } else {
            acc = _mm512_fmadd_ps(dot16s_avx512(_mm256_castsi256_si128(q), x + 32 * c), _mm512_set1_ps(dl[2 * c]), acc);
            acc = _mm512_fmadd_ps(dot16s_avx512(_mm256_extracti128_si256(q, 1), x + 32 * c + 16), _mm512_set1_ps(dl[2 * c + 1]), acc);
        }
    }
    if (has_min) *offsets = k_offsets_avx2(wide ? 8 : 16, ml, sums, *offsets);
    return acc;
}

/// `rows` (1 or 2) rows of `blocks` blocks, each row on its own chains (see k_dot_avx2).
AVX512 __attribute__((always_inline)) static inline void k_dot_avx512(int type, int rows, const uint8_t *r0, const uint8_t *r1,
                                                                    const float *x, const float *sums, int blocks, float *y) {
    int bytes = type == TROVE_Q2_K ? 84 : type == TROVE_Q3_K ? 110 : type == TROVE_Q4_K ? 144 : type == TROVE_Q5_K ? 176 : 210;
    int groups = group_size(type) == 32 ? 8 : 16;
    __m512 a = _mm512_setzero_ps(), c = _mm512_setzero_ps();
    __m256 ao = _mm256_setzero_ps(), co = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++, r0 += bytes, r1 += bytes, x += 256) {
        a = k_block_avx512(type, r0, x, sums + b * groups, a, &ao);
        if (rows == 2) c = k_block_avx512(type, r1, x, sums + b * groups, c, &co);
    }
    y[0] = _mm512_reduce_add_ps(a) - hsum256(ao);
    if (rows == 2) y[1] = _mm512_reduce_add_ps(c) - hsum256(co);
}

#define K_QUANT_ENTRY_POINTS(name, TYPE)                                                                              \
    AVX2 static void name##_dequantize_avx2(const uint8_t *b, float *out) { k_dequantize_avx2(TYPE, b, out); }         \
    AVX512 static void name##_dequantize_avx512(const uint8_t *b, float *out) { k_dequantize_avx512(TYPE, b, out); }   \
    AVX2 static float name##_dot_avx2(const uint8_t *r, const float *x, const float *s, int n) { return k_dot_avx2(TYPE, r, x, s, n); } \
    AVX512 static float name##_dot_avx512(const uint8_t *r, const float *x, const float *s, int n) {                   \
        float y;                                                                                                      \
        k_dot_avx512(TYPE, 1, r, r, x, s, n, &y);                                                                     \
        return y;                                                                                                     \
    }                                                                                                                 \
    AVX512 static void name##_dot2_avx512(const uint8_t *r0, const uint8_t *r1, const float *x, const float *s, int n, float y[2]) { \
        k_dot_avx512(TYPE, 2, r0, r1, x, s, n, y);                                                                    \
    }
K_QUANT_ENTRY_POINTS(q2_k, TROVE_Q2_K)
K_QUANT_ENTRY_POINTS(q3_k, TROVE_Q3_K)
K_QUANT_ENTRY_POINTS(q4_k, TROVE_Q4_K)
K_QUANT_ENTRY_POINTS(q5_k, TROVE_Q5_K)
K_QUANT_ENTRY_POINTS(q6_k, TROVE_Q6_K)
#define K_QUANT_SIMD(name) name##_dequantize_avx2, name##_dequantize_avx512, name##_dot_avx2, name##_dot_avx512, name##_dot2_avx512,
#else
#define K_QUANT_SIMD(name)
#endif

// type, block size, bytes, group over which Σ x is needed (0: no minimum term), kernels.
const BlockKernels q2_k_kernels = { TROVE_Q2_K, 256, 84, 16, q2_k_dequantize_portable, K_QUANT_SIMD(q2_k) };
const BlockKernels q3_k_kernels = { TROVE_Q3_K, 256, 110, 0, q3_k_dequantize_portable, K_QUANT_SIMD(q3_k) };
const BlockKernels q4_k_kernels = { TROVE_Q4_K, 256, 144, 32, q4_k_dequantize_portable, K_QUANT_SIMD(q4_k) };
const BlockKernels q5_k_kernels = { TROVE_Q5_K, 256, 176, 32, q5_k_dequantize_portable, K_QUANT_SIMD(q5_k) };
const BlockKernels q6_k_kernels = { TROVE_Q6_K, 256, 210, 0, q6_k_dequantize_portable, K_QUANT_SIMD(q6_k) };
