// The encoder's int8 linear layer:
//     out[t][n] = Σ_g (s_x[t][g] · s_w[n][g]) · Σ_{k∈g} qx[t][k]·qw[n][k] + b[n]
//
// Weights: int8 in [-127, 127] per output row n, one float scale per group of 64 along k
// (TROVE_I8_GROUP). Activations: the same per token row t, quantised when the layer runs
// (dynamic), one scale per group of 64 too: one scale per whole row let a few outlier features
// of MiniLM's activations flatten the rest (min cosine with fp32 0.985 on the reference texts,
// 0.997 with groups). Each group's dot product is exact in int32; groups are summed in float32,
// one fused multiply-add per group, g in order, so every level gives the same bits as the Swift
// scalar twin (Tensors/Int8Linear.swift).
//
// Layouts. Activations are stored offset by 128 (u = q + 128, in [1, 255]) because VNNI's
// vpdpbusd multiplies unsigned by signed bytes; Σ u·w = Σ q·w + 128·Σ w, and the last term is a
// per-row, per-group constant (`offsets`) subtracted before the scale. Weights are packed in
// panels of 32 rows: [K/4][32][4] bytes (the four k of one row side by side: one 32-bit lane of
// vpdpbusd), then the panel's scales [G][32] float and offsets [G][32] int32.
#include "CKernels.h"
#include "KernelCommon.h"
#include <math.h>
#include <stdlib.h>

enum { PANEL = 32, GROUP = TROVE_I8_GROUP, MR = 6 };
_Static_assert(PANEL == 32, "store_panel_avx512 stores panels of 32 columns");

static size_t panel_bytes(int K) { return (size_t)K * PANEL + (size_t)(K / GROUP) * PANEL * 8; }

size_t trove_i8_packed_bytes(int N, int K) { return (size_t)((N + PANEL - 1) / PANEL) * panel_bytes(K); }

void trove_i8_pack(const int8_t *q, const float *scales, int N, int K, void *packed) {
    int groups = K / GROUP;
    for (int p = 0; p < (N + PANEL - 1) / PANEL; p++) {
        uint8_t *panel = (uint8_t *)packed + (size_t)p * panel_bytes(K);
        int8_t *bytes = (int8_t *)panel;
        float *panel_scales = (float *)(panel + (size_t)K * PANEL);
        int32_t *offsets = (int32_t *)(panel_scales + groups * PANEL);
        for (int j = 0; j < PANEL; j++) {
            int n = p * PANEL + j;
            for (int k = 0; k < K; k++) bytes[((size_t)(k / 4) * PANEL + j) * 4 + k % 4] = n < N ? q[(size_t)n * K + k] : 0;
            for (int g = 0; g < groups; g++) {
                int32_t sum = 0;
                if (n < N) for (int k = g * GROUP; k < (g + 1) * GROUP; k++) sum += q[(size_t)n * K + k];
                panel_scales[g * PANEL + j] = n < N ? scales[(size_t)n * groups + g] : 0;
                offsets[g * PANEL + j] = 128 * sum;
            }
        }
    }
}

// ---------------------------------------------------------------- activations

/// One group of 64: s = max|x| / 127, u[k] = round_half_even(x[k] · (127 / max|x|)) + 128 (0 → all 128).
static float quantize_group_portable(const float *x, int K, uint8_t *u) {
    float top = 0;
    for (int k = 0; k < K; k++) top = fmaxf(top, fabsf(x[k]));
    if (top == 0) { memset(u, 128, (size_t)K); return 0; }
    float inverse = 127.0f / top;
    for (int k = 0; k < K; k++) {
        float r = nearbyintf(x[k] * inverse);
        r = fminf(fmaxf(r, -127.0f), 127.0f);
        u[k] = (uint8_t)((int)r + 128);
    }
    return top / 127.0f;
}

#ifdef TROVE_X86
AVX512 static float quantize_group_avx512(const float *x, int K, uint8_t *u) {
    __m512 top = _mm512_setzero_ps();
    int k = 0;
    for (; k + 16 <= K; k += 16) top = _mm512_max_ps(top, _mm512_abs_ps(_mm512_loadu_ps(x + k)));
    float m = _mm512_reduce_max_ps(top);
    for (; k < K; k++) m = fmaxf(m, fabsf(x[k]));
    if (m == 0) { memset(u, 128, (size_t)K); return 0; }
    float inverse = 127.0f / m;
    __m512 v = _mm512_set1_ps(inverse), lo = _mm512_set1_ps(-127.0f), hi = _mm512_set1_ps(127.0f);
    __m512i offset = _mm512_set1_epi32(128);
    for (k = 0; k + 16 <= K; k += 16) {
        __m512 r = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_loadu_ps(x + k), v), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        r = _mm512_min_ps(_mm512_max_ps(r, lo), hi);
        _mm_storeu_si128((__m128i *)(u + k), _mm512_cvtepi32_epi8(_mm512_add_epi32(_mm512_cvtps_epi32(r), offset)));
    }
    for (; k < K; k++) {
        float r = fminf(fmaxf(nearbyintf(x[k] * inverse), -127.0f), 127.0f);
        u[k] = (uint8_t)((int)r + 128);
    }
    return m / 127.0f;
}
#endif

void trove_i8_quantize_rows(const float *x, int ldx, int tokens, int K, uint8_t *u, float *scales) {
    int groups = K / GROUP;
    for (int t = 0; t < tokens; t++)
        for (int g = 0; g < groups; g++) {
            const float *xg = x + (size_t)t * ldx + g * GROUP;
            uint8_t *ug = u + (size_t)t * K + g * GROUP;
#ifdef TROVE_X86
            if (trove_i8_level() >= 5) { scales[t * groups + g] = quantize_group_avx512(xg, GROUP, ug); continue; }
#endif
            scales[t * groups + g] = quantize_group_portable(xg, GROUP, ug);
        }
}

// ---------------------------------------------------------------- the product

/// out = r, or out += r, where r = acc + b.
static inline void store_portable(float *out, float acc, float bias, int accumulate) {
    float r = acc + bias;
    *out = accumulate ? *out + r : r;
}

static void panel_portable(const uint8_t *u, const float *sx, int tokens, int K, const uint8_t *panel,
                           int columns, const float *bias, float *out, int ldo, int accumulate) {
    int groups = K / GROUP;
    const int8_t *bytes = (const int8_t *)panel;
    const float *scales = (const float *)(panel + (size_t)K * PANEL);
    const int32_t *offsets = (const int32_t *)(scales + groups * PANEL);
    for (int t = 0; t < tokens; t++) {
        const uint8_t *row = u + (size_t)t * K;
        for (int j = 0; j < columns; j++) {
            float acc = 0;
            for (int g = 0; g < groups; g++) {
                int32_t sum = 0;
                for (int k = g * GROUP; k < (g + 1) * GROUP; k++) sum += row[k] * bytes[((size_t)(k / 4) * PANEL + j) * 4 + k % 4];
                acc = fmaf((float)(sum - offsets[g * PANEL + j]), sx[t * groups + g] * scales[g * PANEL + j], acc);
            }
            store_portable(out + (size_t)t * ldo + j, acc, bias ? bias[j] : 0, accumulate);
        }
    }
}

#ifdef TROVE_X86
#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma")))

/// `mr` tokens (≤ 6, constant after inlining) × 32 rows of the panel: per quad of k, two panel
/// loads, mr broadcasts, 2·mr vpdpbusd; per group of 64, the int32 sums become float32.
VNNI __attribute__((always_inline)) static inline void micro_vnni(int mr, const uint8_t *u, int K, const float *sx,
                                                                 const uint8_t *panel, int columns, const float *bias,
                                                                 float *out, int ldo, int accumulate) {
    int groups = K / GROUP;
    const float *scales = (const float *)(panel + (size_t)K * PANEL);
    const int32_t *offsets = (const int32_t *)(scales + groups * PANEL);
    __m512 f[MR][2];
    for (int i = 0; i < mr; i++) f[i][0] = f[i][1] = _mm512_setzero_ps();
    for (int g = 0; g < groups; g++) {
        __m512i s[MR][2];
        for (int i = 0; i < mr; i++) s[i][0] = s[i][1] = _mm512_setzero_si512();
        const uint8_t *w = panel + (size_t)g * GROUP * PANEL;
        for (int q = 0; q < GROUP / 4; q++) {
            __m512i b0 = _mm512_loadu_si512(w + q * 4 * PANEL), b1 = _mm512_loadu_si512(w + q * 4 * PANEL + 64);
            for (int i = 0; i < mr; i++) {
                int32_t a4;
                memcpy(&a4, u + (size_t)i * K + g * GROUP + 4 * q, 4);
                __m512i a = _mm512_set1_epi32(a4);
                s[i][0] = _mm512_dpbusd_epi32(s[i][0], a, b0);
                s[i][1] = _mm512_dpbusd_epi32(s[i][1], a, b1);
            }
        }
        __m512 c0 = _mm512_loadu_ps(scales + g * PANEL), c1 = _mm512_loadu_ps(scales + g * PANEL + 16);
        __m512i o0 = _mm512_loadu_si512(offsets + g * PANEL), o1 = _mm512_loadu_si512(offsets + g * PANEL + 16);
        for (int i = 0; i < mr; i++) {
            __m512 sxi = _mm512_set1_ps(sx[i * groups + g]);
            f[i][0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(s[i][0], o0)), _mm512_mul_ps(sxi, c0), f[i][0]);
            f[i][1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(s[i][1], o1)), _mm512_mul_ps(sxi, c1), f[i][1]);
        }
    }
    store_panel_avx512(f, mr, columns, bias, out, ldo, accumulate);
}

VNNI static void panel_vnni(const uint8_t *u, const float *sx, int tokens, int K, const uint8_t *panel,
                            int columns, const float *bias, float *out, int ldo, int accumulate) {
    int t = 0;
    for (; t + MR <= tokens; t += MR)
        micro_vnni(MR, u + (size_t)t * K, K, sx + t * (K / GROUP), panel, columns, bias, out + (size_t)t * ldo, ldo, accumulate);
    const uint8_t *ut = u + (size_t)t * K;
    const float *st = sx + t * (K / GROUP);
    float *ot = out + (size_t)t * ldo;
    switch (tokens - t) {   // the last 1–5 tokens, same sums
    case 5: micro_vnni(5, ut, K, st, panel, columns, bias, ot, ldo, accumulate); break;
    case 4: micro_vnni(4, ut, K, st, panel, columns, bias, ot, ldo, accumulate); break;
    case 3: micro_vnni(3, ut, K, st, panel, columns, bias, ot, ldo, accumulate); break;
    case 2: micro_vnni(2, ut, K, st, panel, columns, bias, ot, ldo, accumulate); break;
    case 1: micro_vnni(1, ut, K, st, panel, columns, bias, ot, ldo, accumulate); break;
    }
}

/// AVX2 has no u8×s8 → s32 instruction; vpmaddubsw (u8×s8 pairs → s16, saturating) then vpmaddwd
/// by ones. With u in [1, 255] a pair could reach 2·255·127 and saturate, so the sign trick of
/// ggml is used instead: |q_x| × (q_w with q_x's sign), both ≤ 127, a pair ≤ 32258. The packed
/// bytes hold u = q + 128: q = u ^ 0x80. The sum is then Σ q·w directly (no offsets), the same
/// int32 the other levels reach.
AVX2 __attribute__((always_inline)) static inline void micro_avx2(int mr, const uint8_t *u, int K, const float *sx,
                                                                 const uint8_t *panel, int columns, const float *bias,
                                                                 float *out, int ldo, int accumulate) {
    int groups = K / GROUP;
    const float *scales = (const float *)(panel + (size_t)K * PANEL);
    __m256i ones = _mm256_set1_epi16(1), flip = _mm256_set1_epi8((char)0x80);
    for (int half = 0; half < 2; half++) {      // 16 rows of the panel at a time: 2 × 8 lanes
        __m256 f[MR][2];
        for (int i = 0; i < mr; i++) f[i][0] = f[i][1] = _mm256_setzero_ps();
        for (int g = 0; g < groups; g++) {
            __m256i s[MR][2];
            for (int i = 0; i < mr; i++) s[i][0] = s[i][1] = _mm256_setzero_si256();
            const uint8_t *w = panel + (size_t)g * GROUP * PANEL + 64 * half;
            for (int q = 0; q < GROUP / 4; q++) {
                __m256i b0 = _mm256_loadu_si256((const __m256i *)(w + q * 4 * PANEL));
                __m256i b1 = _mm256_loadu_si256((const __m256i *)(w + q * 4 * PANEL + 32));
                for (int i = 0; i < mr; i++) {
                    int32_t a4;
                    memcpy(&a4, u + (size_t)i * K + g * GROUP + 4 * q, 4);
                    __m256i a = _mm256_xor_si256(_mm256_set1_epi32(a4), flip);
                    __m256i magnitude = _mm256_sign_epi8(a, a);
                    s[i][0] = _mm256_add_epi32(s[i][0], _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(b0, a)), ones));
                    s[i][1] = _mm256_add_epi32(s[i][1], _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(b1, a)), ones));
                }
            }
            __m256 c0 = _mm256_loadu_ps(scales + g * PANEL + 16 * half), c1 = _mm256_loadu_ps(scales + g * PANEL + 16 * half + 8);
            for (int i = 0; i < mr; i++) {
                __m256 sxi = _mm256_set1_ps(sx[i * groups + g]);
                f[i][0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[i][0]), _mm256_mul_ps(sxi, c0), f[i][0]);
                f[i][1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[i][1]), _mm256_mul_ps(sxi, c1), f[i][1]);
            }
        }
        for (int i = 0; i < mr; i++) {
            float acc[16];
            _mm256_storeu_ps(acc, f[i][0]);
            _mm256_storeu_ps(acc + 8, f[i][1]);
            for (int j = 16 * half; j < columns && j < 16 * half + 16; j++)
                store_portable(out + (size_t)i * ldo + j, acc[j - 16 * half], bias ? bias[j] : 0, accumulate);
        }
    }
}

AVX2 static void panel_avx2(const uint8_t *u, const float *sx, int tokens, int K, const uint8_t *panel,
                            int columns, const float *bias, float *out, int ldo, int accumulate) {
    int t = 0;
    for (; t + 4 <= tokens; t += 4)
        micro_avx2(4, u + (size_t)t * K, K, sx + t * (K / GROUP), panel, columns, bias, out + (size_t)t * ldo, ldo, accumulate);
    for (; t < tokens; t++)
        micro_avx2(1, u + (size_t)t * K, K, sx + t * (K / GROUP), panel, columns, bias, out + (size_t)t * ldo, ldo, accumulate);
}
#endif

/// Tokens are taken this many at a time for all panels of the call: their bytes (TOKEN_BLOCK · K)
/// stay in L2 while the weights stream past.
enum { TOKEN_BLOCK = 96 };

void trove_i8_gemm(const void *packed, int N, int K, const uint8_t *u, const float *sx, int tokens,
                   const float *bias, float *out, int ldo, int accumulate, int row_begin, int row_end) {
    (void)N;
    int level = trove_i8_level();
    for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
        int count = tokens - t0 < TOKEN_BLOCK ? tokens - t0 : TOKEN_BLOCK;
        const uint8_t *ut = u + (size_t)t0 * K;
        for (int n0 = row_begin; n0 < row_end; n0 += PANEL) {
            int columns = row_end - n0 < PANEL ? row_end - n0 : PANEL;
            const uint8_t *panel = (const uint8_t *)packed + (size_t)(n0 / PANEL) * panel_bytes(K);
            const float *b = bias ? bias + n0 : NULL;
            float *o = out + (size_t)t0 * ldo + n0;
#ifdef TROVE_X86
            const float *st = sx + (size_t)t0 * (K / GROUP);
            if (level >= 5) { panel_vnni(ut, st, count, K, panel, columns, b, o, ldo, accumulate); continue; }
            if (level >= 2) { panel_avx2(ut, st, count, K, panel, columns, b, o, ldo, accumulate); continue; }
#endif
            panel_portable(ut, sx + (size_t)t0 * (K / GROUP), count, K, panel, columns, b, o, ldo, accumulate);
        }
    }
}

// ---------------------------------------------------------------- dispatch

static int supported_i8_level(void) {
#ifdef TROVE_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("fma")) return 5;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 2;
#endif
    return 0;
}

static int chosen_i8_level = -1;

int trove_i8_level(void) {
    if (chosen_i8_level < 0) chosen_i8_level = supported_i8_level();
    return chosen_i8_level;
}

void trove_set_i8_level(int level) {
    int top = supported_i8_level();
    chosen_i8_level = level >= 5 && top >= 5 ? 5 : level >= 2 && top >= 2 ? 2 : 0;
}
