// The encoder's bf16 linear layer: out[t][n] = Σ_k bf16(x[t][k]) · bf16(W[n][k]) + b[n], products
// exact and summed in float32 (AVX-512 BF16 vdpbf16ps: two products per 32-bit lane).
//
// bf16 is float32's upper half (8 exponent bits, 7 mantissa bits): conversion rounds to nearest
// even, as vcvtneps2bf16 does. Weights are packed in panels of 32 rows, [K/2][32][2] halves (the
// two k of one row side by side: one lane of vdpbf16ps). The portable path gives the same products
// summed in another order (vdpbf16ps's own order is the hardware's): it is for CPUs without
// AVX-512 BF16 and for tests, which compare both with the Swift twin within a rounding bound.
#include "CKernels.h"
#include "KernelCommon.h"
#include <math.h>

enum { PANEL = 32, MR = 6 };
_Static_assert(PANEL == 32, "store_panel_avx512 stores panels of 32 columns");

/// float32 → bf16, round to nearest even; NaN stays NaN; subnormals become signed zero (as the
/// AVX-512 BF16 conversions do).
static inline uint16_t bf16_from_float(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7f800000) == 0) return (uint16_t)((bits >> 16) & 0x8000);
    if ((bits & 0x7fffffff) > 0x7f800000) return (uint16_t)((bits >> 16) | 0x40);
    return (uint16_t)((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

static inline float float_from_bf16(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

size_t trove_bf16_packed_bytes(int N, int K) { return (size_t)((N + PANEL - 1) / PANEL) * PANEL * (size_t)K * 2; }

void trove_bf16_pack(const float *w, int N, int K, void *packed) {
    uint16_t *out = packed;
    for (int p = 0; p < (N + PANEL - 1) / PANEL; p++) {
        uint16_t *panel = out + (size_t)p * PANEL * K;
        for (int j = 0; j < PANEL; j++) {
            int n = p * PANEL + j;
            for (int k = 0; k < K; k++)
                panel[((size_t)(k / 2) * PANEL + j) * 2 + k % 2] = n < N ? bf16_from_float(w[(size_t)n * K + k]) : 0;
        }
    }
}

#ifdef TROVE_X86
#define BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16,fma")))

BF16 static void convert_row_bf16(const float *x, int K, uint16_t *h) {
    int k = 0;
    for (; k + 32 <= K; k += 32) {
        __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + k + 16), _mm512_loadu_ps(x + k));
        _mm512_storeu_si512(h + k, (__m512i)v);
    }
    for (; k < K; k++) h[k] = bf16_from_float(x[k]);
}
#endif

void trove_bf16_convert_rows(const float *x, int ldx, int tokens, int K, uint16_t *h) {
#ifdef TROVE_X86
    if (trove_bf16_level() >= 5) {
        for (int t = 0; t < tokens; t++) convert_row_bf16(x + (size_t)t * ldx, K, h + (size_t)t * K);
        return;
    }
#endif
    for (int t = 0; t < tokens; t++)
        for (int k = 0; k < K; k++) h[(size_t)t * K + k] = bf16_from_float(x[(size_t)t * ldx + k]);
}

static void panel_portable(const uint16_t *h, int tokens, int K, const uint16_t *panel, int columns,
                           const float *bias, float *out, int ldo, int accumulate) {
    for (int t = 0; t < tokens; t++) {
        const uint16_t *row = h + (size_t)t * K;
        for (int j = 0; j < columns; j++) {
            float acc = 0;
            for (int k = 0; k < K; k++) acc += float_from_bf16(row[k]) * float_from_bf16(panel[((size_t)(k / 2) * PANEL + j) * 2 + k % 2]);
            float r = acc + (bias ? bias[j] : 0);
            float *o = out + (size_t)t * ldo + j;
            *o = accumulate ? *o + r : r;
        }
    }
}

#ifdef TROVE_X86
/// `mr` tokens (≤ 6) × 32 rows: per pair of k, two panel loads, mr broadcasts, 2·mr vdpbf16ps.
BF16 __attribute__((always_inline)) static inline void micro_bf16(int mr, const uint16_t *h, int K, const uint16_t *panel,
                                                                 int columns, const float *bias, float *out, int ldo, int accumulate) {
    __m512 c[MR][2];
    for (int i = 0; i < mr; i++) c[i][0] = c[i][1] = _mm512_setzero_ps();
    for (int p = 0; p < K / 2; p++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(panel + (size_t)p * 2 * PANEL);
        __m512bh b1 = (__m512bh)_mm512_loadu_si512(panel + (size_t)p * 2 * PANEL + 32);
        for (int i = 0; i < mr; i++) {
            int32_t a2;
            memcpy(&a2, h + (size_t)i * K + 2 * p, 4);
            __m512bh a = (__m512bh)_mm512_set1_epi32(a2);
            c[i][0] = _mm512_dpbf16_ps(c[i][0], a, b0);
            c[i][1] = _mm512_dpbf16_ps(c[i][1], a, b1);
        }
    }
    store_panel_avx512(c, mr, columns, bias, out, ldo, accumulate);
}

BF16 static void panel_bf16(const uint16_t *h, int tokens, int K, const uint16_t *panel, int columns,
                            const float *bias, float *out, int ldo, int accumulate) {
    int t = 0;
    for (; t + MR <= tokens; t += MR) micro_bf16(MR, h + (size_t)t * K, K, panel, columns, bias, out + (size_t)t * ldo, ldo, accumulate);
    const uint16_t *ht = h + (size_t)t * K;
    float *ot = out + (size_t)t * ldo;
    switch (tokens - t) {
    case 5: micro_bf16(5, ht, K, panel, columns, bias, ot, ldo, accumulate); break;
    case 4: micro_bf16(4, ht, K, panel, columns, bias, ot, ldo, accumulate); break;
    case 3: micro_bf16(3, ht, K, panel, columns, bias, ot, ldo, accumulate); break;
    case 2: micro_bf16(2, ht, K, panel, columns, bias, ot, ldo, accumulate); break;
    case 1: micro_bf16(1, ht, K, panel, columns, bias, ot, ldo, accumulate); break;
    }
}
#endif

enum { TOKEN_BLOCK = 96 };

void trove_bf16_gemm(const void *packed, int N, int K, const uint16_t *h, int tokens,
                     const float *bias, float *out, int ldo, int accumulate, int row_begin, int row_end) {
    (void)N;
    int level = trove_bf16_level();
    for (int t0 = 0; t0 < tokens; t0 += TOKEN_BLOCK) {
        int count = tokens - t0 < TOKEN_BLOCK ? tokens - t0 : TOKEN_BLOCK;
        const uint16_t *ht = h + (size_t)t0 * K;
        for (int n0 = row_begin; n0 < row_end; n0 += PANEL) {
            int columns = row_end - n0 < PANEL ? row_end - n0 : PANEL;
            const uint16_t *panel = (const uint16_t *)packed + (size_t)(n0 / PANEL) * PANEL * K;
            const float *b = bias ? bias + n0 : NULL;
            float *o = out + (size_t)t0 * ldo + n0;
#ifdef TROVE_X86
            if (level >= 5) { panel_bf16(ht, count, K, panel, columns, b, o, ldo, accumulate); continue; }
#endif
            panel_portable(ht, count, K, panel, columns, b, o, ldo, accumulate);
        }
    }
}

static int supported_bf16_level(void) {
#ifdef TROVE_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bf16")) return 5;
#endif
    return 0;
}

static int chosen_bf16_level = -1;

int trove_bf16_level(void) {
    if (chosen_bf16_level < 0) chosen_bf16_level = supported_bf16_level();
    return chosen_bf16_level;
}

int trove_bf16_hardware(void) { return supported_bf16_level() >= 5; }

void trove_set_bf16_level(int level) {
    chosen_bf16_level = level >= 5 && supported_bf16_level() >= 5 ? 5 : 0;
}
