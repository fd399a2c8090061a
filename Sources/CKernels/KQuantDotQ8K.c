// K-quant × Q8_K integer products (CKernels.h): what llama.cpp's ggml_vec_dot_q*_K_q8_K compute.
//
// A weight is w = d·s_g·(u − o) − dmin·m_g, with u ≥ 0 the bits stored for the element, s_g and m_g
// its group's integer scale and minimum (groups of 16, or 32 for Q4_K/Q5_K) and o an offset (4 for
// Q3_K, 32 for Q6_K, else 0). With x ≈ d_x·q (Q8_K) and bsum_g = Σ_{e∈g} q_e, one block gives
//   d·d_x · Σ_g s_g·(Σ_{e∈g} u_e·q_e − o·bsum_g)  −  dmin·d_x · Σ_g m_g·bsum_g
// Both sums are exact integers (|u·q| ≤ 63·127), so every path (portable, AVX2, AVX-512, VNNI)
// computes the same two integers per block and they differ only in how the block floats are summed.
//
// The AVX paths compute tiles of up to 2 weight rows × 4 tokens: a row's unpacked bits are reused
// by every token, a token's activations by both rows. An element's operations do not depend on
// the tile it is in, so a product gives the same value in decode (1 token) and prefill.
#pragma STDC FP_CONTRACT OFF
#include "CKernels.h"
#include "KQuantLayout.h"
#include <math.h>

typedef struct { float d; int8_t qs[256]; int16_t bsums[16]; } BlockQ8K;
_Static_assert(sizeof(BlockQ8K) == TROVE_Q8_K_BLOCK_BYTES, "block_q8_K is 292 bytes");

int trove_has_q8_K_kernels(int type) { return type >= TROVE_Q2_K && type <= TROVE_Q6_K; }

/// ggml's nearest_int: round to nearest, ties to even, through the float adder (|f| < 2^22).
static inline int nearest_int(float f) {
    float v = f + 12582912.f;
    int32_t i;
    memcpy(&i, &v, 4);
    return (i & 0x007fffff) - 0x00400000;
}

#ifdef TROVE_X86
/// quantize_q8_K_portable in 16 lanes, bit for bit: the same product iscale·x, rounded to nearest
/// even by vcvtps2dq (the default MXCSR mode, as nearest_int), the same first element of largest |x|.
AVX512 static void quantize_q8_K_avx512(const float *x, BlockQ8K *y, int blocks) {
    for (int b = 0; b < blocks; b++, x += 256) {
        __m512 largest = _mm512_setzero_ps();
        for (int i = 0; i < 16; i++) largest = _mm512_max_ps(largest, _mm512_abs_ps(_mm512_loadu_ps(x + 16 * i)));
        float amax = _mm512_reduce_max_ps(largest);
        if (amax == 0) { memset(&y[b], 0, sizeof(BlockQ8K)); continue; }
        float max = 0;
        for (int i = 0; i < 16; i++) {
            __mmask16 at = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(x + 16 * i)), _mm512_set1_ps(amax), _CMP_EQ_OQ);
            if (at) { max = x[16 * i + __builtin_ctz(at)]; break; }
        }
        float iscale = -127.f / max;
        for (int i = 0; i < 16; i++) {
            __m512i v = _mm512_min_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(_mm512_set1_ps(iscale), _mm512_loadu_ps(x + 16 * i))), _mm512_set1_epi32(127));
            _mm_storeu_si128((__m128i *)(y[b].qs + 16 * i), _mm512_cvtsepi32_epi8(v));
            y[b].bsums[i] = (int16_t)_mm512_reduce_add_epi32(v);
        }
        y[b].d = 1 / iscale;
    }
}
#endif

// ggml-quants.c quantize_row_q8_K_ref (iscale −127/max: ggml's note says −128 broke IQ2_XXS's AVX code).
void trove_quantize_q8_K(const float *x, void *out, int count) {
    BlockQ8K *y = out;
#ifdef TROVE_X86
    if (trove_kernel_level() >= 5) { quantize_q8_K_avx512(x, y, count / 256); return; }
#endif
    for (int b = 0; b < count / 256; b++, x += 256) {
        float max = 0, amax = 0;
        for (int j = 0; j < 256; j++) {
            float ax = fabsf(x[j]);
            if (ax > amax) { amax = ax; max = x[j]; }
        }
        if (amax == 0) { memset(&y[b], 0, sizeof(BlockQ8K)); continue; }
        float iscale = -127.f / max;
        for (int j = 0; j < 256; j++) {
            int v = nearest_int(iscale * x[j]);
            y[b].qs[j] = (int8_t)(v < 127 ? v : 127);
        }
        for (int g = 0; g < 16; g++) {
            int s = 0;
            for (int j = 0; j < 16; j++) s += y[b].qs[16 * g + j];
            y[b].bsums[g] = (int16_t)s;
        }
        y[b].d = 1 / iscale;
    }
}

// ---------------------------------------------------------------- portable C

/// One block's integer scales s_g and minimums m_g (0 where the type has none), d and dmin.
static void k_int_factors(int type, const uint8_t *b, int s[16], int m[16], float *d, float *dmin) {
    for (int g = 0; g < 16; g++) m[g] = 0;
    *dmin = 0;
    switch (type) {
    case TROVE_Q2_K:
        *d = half_to_float(load_u16(b + 80)); *dmin = half_to_float(load_u16(b + 82));
        for (int g = 0; g < 16; g++) { s[g] = b[g] & 15; m[g] = b[g] >> 4; }
        break;
    case TROVE_Q3_K:
        *d = half_to_float(load_u16(b + 108));
        for (int g = 0; g < 16; g++) s[g] = q3_k_scale(b + 96, g);
        break;
    case TROVE_Q4_K: case TROVE_Q5_K:
        *d = half_to_float(load_u16(b)); *dmin = half_to_float(load_u16(b + 2));
        scales_and_mins_k4(b + 4, s, m);
        break;
    default:
        *d = half_to_float(load_u16(b + 208));
        for (int g = 0; g < 16; g++) s[g] = (int8_t)b[192 + g];
    }
}

/// Σ over blocks of d·d_x·Σ_g s_g·Σ q·q_x − dmin·d_x·Σ_g m_g·bsum_g, blocks summed in order.
static float k_dot_portable(int type, const uint8_t *row, const BlockQ8K *x, int blocks) {
    int bytes = k_block_bytes(type), group = group_size(type);
    float sum = 0;
    for (int b = 0; b < blocks; b++, row += bytes, x++) {
        int s[16], m[16], isum = 0, msum = 0;
        float d, dmin;
        k_int_factors(type, row, s, m, &d, &dmin);
        for (int g = 0; g < 256 / group; g++) {
            int dot = 0;
            for (int e = g * group; e < (g + 1) * group; e++) dot += k_value(type, row, e) * x->qs[e];
            isum += s[g] * dot;
            msum += m[g] * (group == 16 ? x->bsums[g] : x->bsums[2 * g] + x->bsums[2 * g + 1]);
        }
        sum += (d * x->d) * (float)isum - (dmin * x->d) * (float)msum;
    }
    return sum;
}

#ifdef TROVE_X86
#define AVX512VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))

/// One block's scales as 16 int16 (Q4_K/Q5_K: the 8 scales in lanes 0–7), its minimums as 16
/// int16 lined up with Q8_K's 16 bsums (each 32-group's minimum twice), d and dmin.
AVX2 __attribute__((always_inline)) static inline void k_scales_avx2(int type, const uint8_t *b, __m256i *scales, __m256i *mins,
                                                                   float *d, float *dmin) {
    *mins = _mm256_setzero_si256();
    *dmin = 0;
    switch (type) {
    case TROVE_Q2_K: {
        __m128i s = _mm_loadu_si128((const __m128i *)b), nibble = _mm_set1_epi8(0x0f);
        *scales = _mm256_cvtepu8_epi16(_mm_and_si128(s, nibble));
        *mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(s, 4), nibble));
        *d = _cvtsh_ss(load_u16(b + 80)); *dmin = _cvtsh_ss(load_u16(b + 82));
        break;
    }
    case TROVE_Q3_K: {   // sixteen 6-bit scales from 12 bytes (the rule of q3_k_scale), minus 32
        uint8_t packed[16];
        uint32_t high, v[4];
        memcpy(packed, b + 96, 12);
        memcpy(&high, b + 104, 4);
        for (int k = 0; k < 4; k++) v[k] = ((high >> (2 * k)) & 0x03030303u) << 4;
        __m128i lows = _mm_loadl_epi64((const __m128i *)packed), nibble = _mm_set1_epi8(0x0f);
        __m128i low = _mm_unpacklo_epi64(_mm_and_si128(lows, nibble), _mm_and_si128(_mm_srli_epi16(lows, 4), nibble));
        *scales = _mm256_cvtepi8_epi16(_mm_sub_epi8(_mm_or_si128(low, _mm_loadu_si128((const __m128i *)v)), _mm_set1_epi8(32)));
        *d = _cvtsh_ss(load_u16(b + 108));
        break;
    }
    case TROVE_Q4_K: case TROVE_Q5_K: {   // scales_and_mins_k4_packed in lanes: no store-to-load round trip per block
        __m128i w = _mm_loadu_si128((const __m128i *)(b + 4));                // dwords w0, w1, w2 (and 4 bytes past the scales)
        __m128i p = _mm_shuffle_epi32(w, _MM_SHUFFLE(2, 1, 2, 0));             // w0, w2, w1, w2
        __m128i q = _mm_shuffle_epi32(w, _MM_SHUFFLE(1, 1, 0, 0));             // ·, w0, ·, w1
        __m128i low = _mm_and_si128(_mm_srlv_epi32(p, _mm_set_epi32(4, 0, 0, 0)), _mm_set_epi32(0x0f0f0f0f, 0x3f3f3f3f, 0x0f0f0f0f, 0x3f3f3f3f));
        __m128i high = _mm_and_si128(_mm_srli_epi32(q, 2), _mm_set_epi32(0x30303030, 0, 0x30303030, 0));
        __m128i v = _mm_or_si128(low, high);                                   // sc 0–3, sc 4–7, m 0–3, m 4–7
        *scales = _mm256_cvtepu8_epi16(v);
        *mins = _mm256_cvtepu8_epi16(_mm_unpackhi_epi8(v, v));
        *d = _cvtsh_ss(load_u16(b)); *dmin = _cvtsh_ss(load_u16(b + 2));
        break;
    }
    default:
        *scales = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(b + 192)));
        *d = _cvtsh_ss(load_u16(b + 208));
    }
}

/// log2 of the type's offset o (Q3_K 4, Q6_K 32), or 0 for none.
static inline int k_offset_shift(int type) { return type == TROVE_Q3_K ? 2 : type == TROVE_Q6_K ? 5 : 0; }
static inline int k_has_min(int type) { return type == TROVE_Q2_K || type == TROVE_Q4_K || type == TROVE_Q5_K; }

/// One row × N tokens (1…4) with AVX2: 32 elements per step, maddubs then madd by the group scales.
AVX2 __attribute__((always_inline)) static inline void k_tile_avx2(int type, int R, int N, const uint8_t *const w[2],
                                                                 const BlockQ8K *const x[4], int blocks, float *out) {
    (void)R;
    const int bytes = k_block_bytes(type), wide = group_size(type) == 32, shift = k_offset_shift(type);
    __m256 acc[4];
    for (int t = 0; t < N; t++) acc[t] = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        const uint8_t *p = w[0] + (size_t)b * bytes;
        __m256i scales, mins, isum[4];
        float d, dmin;
        int16_t s[16];
        k_scales_avx2(type, p, &scales, &mins, &d, &dmin);
        _mm256_storeu_si256((__m256i *)s, scales);
        for (int t = 0; t < N; t++) isum[t] = _mm256_setzero_si256();
        for (int c = 0; c < 8; c++) {
            __m256i u = k_unsigned_avx2(type, p, c);
            __m256i sv = _mm256_set_m128i(_mm_set1_epi16(s[wide ? c : 2 * c + 1]), _mm_set1_epi16(s[wide ? c : 2 * c]));
            for (int t = 0; t < N; t++) {
                __m256i q = _mm256_loadu_si256((const __m256i *)(x[t][b].qs + 32 * c));
                isum[t] = _mm256_add_epi32(isum[t], _mm256_madd_epi16(_mm256_maddubs_epi16(u, q), sv));
            }
        }
        for (int t = 0; t < N; t++) {
            __m256i bs = _mm256_loadu_si256((const __m256i *)x[t][b].bsums);
            __m256i i = isum[t];
            if (shift) i = _mm256_sub_epi32(i, _mm256_slli_epi32(_mm256_madd_epi16(scales, bs), shift));
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(i), _mm256_set1_ps(d * x[t][b].d), acc[t]);
            if (k_has_min(type)) acc[t] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(_mm256_madd_epi16(mins, bs)), _mm256_set1_ps(dmin * x[t][b].d), acc[t]);
        }
    }
    for (int t = 0; t < N; t++) out[t] = hsum256(acc[t]);
}

/// Shift counts for the two 32-byte halves of a 64-byte vector (per 16-bit lane).
AVX512 static inline __m512i two_counts(int low, int high) {
    return _mm512_inserti64x4(_mm512_set1_epi16((short)low), _mm256_set1_epi16((short)high), 1);
}
AVX512 static inline __m512i broadcast32(const uint8_t *p) { return _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)p)); }

/// The stored bits u of elements 64j ..< 64j + 64 in element order: each half of the vector is
/// one 32-element run of the layout, shifted by its own count (vpsrlvw) and masked.
AVX512 __attribute__((always_inline)) static inline __m512i k_unsigned_avx512(int type, const uint8_t *b, int j) {
    const __m512i three = _mm512_set1_epi8(3), nibble = _mm512_set1_epi8(0x0f), one = _mm512_set1_epi8(1);
    int h = j / 2, k = 2 * (j % 2);
    switch (type) {
    case TROVE_Q2_K:
        return _mm512_and_si512(_mm512_srlv_epi16(broadcast32(b + 16 + 32 * h), two_counts(2 * k, 2 * k + 2)), three);
    case TROVE_Q3_K: {
        __m512i low = _mm512_and_si512(_mm512_srlv_epi16(broadcast32(b + 32 + 32 * h), two_counts(2 * k, 2 * k + 2)), three);
        __m512i bit = _mm512_and_si512(_mm512_srlv_epi16(broadcast32(b), two_counts(4 * h + k, 4 * h + k + 1)), one);
        return _mm512_or_si512(low, _mm512_slli_epi16(bit, 2));
    }
    case TROVE_Q4_K:
        return _mm512_and_si512(_mm512_srlv_epi16(broadcast32(b + 16 + 32 * j), two_counts(0, 4)), nibble);
    case TROVE_Q5_K: {
        __m512i low = _mm512_and_si512(_mm512_srlv_epi16(broadcast32(b + 48 + 32 * j), two_counts(0, 4)), nibble);
        __m512i bit = _mm512_and_si512(_mm512_srlv_epi16(broadcast32(b + 16), two_counts(2 * j, 2 * j + 1)), one);
        return _mm512_or_si512(low, _mm512_slli_epi16(bit, 4));
    }
    default: {
        __m512i low = _mm512_and_si512(_mm512_srli_epi16(_mm512_loadu_si512((const void *)(b + 64 * h)), 4 * (j % 2)), nibble);
        __m512i high = _mm512_and_si512(_mm512_srlv_epi16(broadcast32(b + 128 + 32 * h), two_counts(2 * k, 2 * k + 2)), three);
        return _mm512_or_si512(low, _mm512_slli_epi16(high, 4));
    }
    }
}

/// vpermw indices that spread a block's int16 scales over the 32 products (pairs) of 64-element
/// chunk j: lane l takes group 4j + l/8 (16-groups) or 2j + l/16 (32-groups).
AVX512 static inline __m512i scale_index(int wide, int j) {
    const __m512i lane = _mm512_set_epi16(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
                                          15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    return wide ? _mm512_add_epi16(_mm512_set1_epi16((short)(2 * j)), _mm512_srli_epi16(lane, 4))
                : _mm512_add_epi16(_mm512_set1_epi16((short)(4 * j)), _mm512_srli_epi16(lane, 3));
}

// The AVX-512 tile, twice: madd then add (AVX-512BW), and vpdpwssd (AVX-512 VNNI).
#define TILE_NAME k_tile_avx512
#define TILE_TARGET AVX512
#define TILE_MADD(acc, p, s) _mm512_add_epi32(acc, _mm512_madd_epi16(p, s))
#include "KQuantTileAVX512.inc"
#undef TILE_NAME
#undef TILE_TARGET
#undef TILE_MADD
/// acc += pairs of p·s in one vpdpwssd. In asm because LLVM, reassociating the four adds of a
/// block, turned three of them back into vpmaddwd + vpaddd (measured: 30 vpdpwssd for 120 products).
AVX512VNNI static inline __m512i dpwssd(__m512i acc, __m512i p, __m512i s) {
    __asm__("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(p), "v"(s));
    return acc;
}
#define TILE_NAME k_tile_vnni
#define TILE_TARGET AVX512VNNI
#define TILE_MADD(acc, p, s) dpwssd(acc, p, s)
#include "KQuantTileAVX512.inc"

/// Rows [begin, end) × `tokens` tokens through TILE (rows in pairs when ROWS is 2, tokens in fours),
/// tokens taken in blocks whose activations stay in L2 while the rows stream past.
/// out[t·ldo + (r − begin)].
#define K_GEMM(NAME, TARGET, TILE, TYPE, ROWS)                                                                         \
    TARGET static void NAME(const uint8_t *base, size_t row_bytes, int blocks, const uint8_t *xq, size_t stride,       \
                            int tokens, float *out, int ldo, int begin, int end) {                                     \
        int token_block = (int)((256 * 1024) / ((size_t)blocks * TROVE_Q8_K_BLOCK_BYTES)) & ~3;                       \
        if (token_block < 4) token_block = 4;                                                                          \
        for (int t0 = 0; t0 < tokens; t0 += token_block) {                                                             \
            int t1 = tokens - t0 < token_block ? tokens : t0 + token_block;                                            \
            for (int r = begin; r < end; r += ROWS) {                                                                  \
                int R = end - r >= ROWS ? ROWS : 1;                                                                    \
                prefetch_rows(base, row_bytes, r + PREFETCH_DISTANCE, R, end);                                         \
                const uint8_t *w[2] = {base + (size_t)r * row_bytes, base + (size_t)(r + R - 1) * row_bytes};          \
                for (int t = t0; t < t1; t += 4) {                                                                     \
                    int N = t1 - t < 4 ? t1 - t : 4;                                                                   \
                    const BlockQ8K *x[4];                                                                              \
                    for (int i = 0; i < 4; i++) x[i] = (const BlockQ8K *)(xq + (size_t)(t + (i < N ? i : 0)) * stride);\
                    float o[8];                                                                                        \
                    switch ((R == 2 ? 4 : 0) + N - 1) {                                                                \
                    case 0: TILE(TYPE, 1, 1, w, x, blocks, o); break;                                                  \
                    case 1: TILE(TYPE, 1, 2, w, x, blocks, o); break;                                                  \
                    case 2: TILE(TYPE, 1, 3, w, x, blocks, o); break;                                                  \
                    case 3: TILE(TYPE, 1, 4, w, x, blocks, o); break;                                                  \
                    case 4: TILE(TYPE, 2, 1, w, x, blocks, o); break;                                                  \
                    case 5: TILE(TYPE, 2, 2, w, x, blocks, o); break;                                                  \
                    case 6: TILE(TYPE, 2, 3, w, x, blocks, o); break;                                                  \
                    default: TILE(TYPE, 2, 4, w, x, blocks, o); break;                                                 \
                    }                                                                                                  \
                    for (int i = 0; i < R; i++)                                                                        \
                        for (int j = 0; j < N; j++) out[(size_t)(t + j) * ldo + (r + i - begin)] = o[i * N + j];       \
                }                                                                                                      \
            }                                                                                                          \
        }                                                                                                              \
    }

typedef void (*GemmQ8K)(const uint8_t *, size_t, int, const uint8_t *, size_t, int, float *, int, int, int);

#define K_GEMM_LEVELS(name, TYPE)                                  \
    K_GEMM(name##_gemm_avx2, AVX2, k_tile_avx2, TYPE, 1)           \
    K_GEMM(name##_gemm_avx512, AVX512, k_tile_avx512, TYPE, 2)     \
    K_GEMM(name##_gemm_vnni, AVX512VNNI, k_tile_vnni, TYPE, 2)
K_GEMM_LEVELS(q2_k, TROVE_Q2_K)
K_GEMM_LEVELS(q3_k, TROVE_Q3_K)
K_GEMM_LEVELS(q4_k, TROVE_Q4_K)
K_GEMM_LEVELS(q5_k, TROVE_Q5_K)
K_GEMM_LEVELS(q6_k, TROVE_Q6_K)

static GemmQ8K gemm_for(int type, int level) {
    static const GemmQ8K table[5][3] = {
        {q2_k_gemm_avx2, q2_k_gemm_avx512, q2_k_gemm_vnni}, {q3_k_gemm_avx2, q3_k_gemm_avx512, q3_k_gemm_vnni},
        {q4_k_gemm_avx2, q4_k_gemm_avx512, q4_k_gemm_vnni}, {q5_k_gemm_avx2, q5_k_gemm_avx512, q5_k_gemm_vnni},
        {q6_k_gemm_avx2, q6_k_gemm_avx512, q6_k_gemm_vnni},
    };
    return level >= 2 ? table[type - TROVE_Q2_K][level >= 6 ? 2 : level >= 5 ? 1 : 0] : NULL;
}
#endif

/// The rows [begin, end) × tokens, out[t·ldo + (r − begin)], at the chosen level.
static void gemm_rows(int type, const uint8_t *base, size_t row_bytes, int blocks, const uint8_t *xq, size_t stride, int tokens,
                      float *out, int ldo, int begin, int end) {
#ifdef TROVE_X86
    GemmQ8K gemm = gemm_for(type, trove_kernel_level());
    if (gemm) { gemm(base, row_bytes, blocks, xq, stride, tokens, out, ldo, begin, end); return; }
#endif
    for (int r = begin; r < end; r++)
        for (int t = 0; t < tokens; t++)
            out[(size_t)t * ldo + (r - begin)] = k_dot_portable(type, base + (size_t)r * row_bytes, (const BlockQ8K *)(xq + (size_t)t * stride), blocks);
}

int trove_gemm_q8_K(int type, const void *base, size_t row_bytes, int K, const void *xq, size_t xq_stride, int tokens,
                    float *out, int ldo, int row_begin, int row_end) {
    if (!trove_has_q8_K_kernels(type)) return -1;
    gemm_rows(type, base, row_bytes, K / 256, xq, xq_stride, tokens, out + row_begin, ldo, row_begin, row_end);
    return 0;
}

int trove_matvec_q8_K(int type, const void *base, size_t row_bytes, int columns, const void *xq, float *y,
                      int row_begin, int row_end) {
    if (!trove_has_q8_K_kernels(type)) return -1;
    gemm_rows(type, base, row_bytes, columns / 256, xq, 0, 1, y, 0, row_begin, row_end);
    return 0;
}
