// The encoder's float32 linear layer on AVX-512: out[t][n] = Σ_k x[t][k]·W[n][k] + b[n], exact
// float32 (one fused multiply-add chain per element, k in order), with the weights packed once at
// load instead of OpenBLAS packing them on every call.
//
// Why not sgemm: OpenBLAS 0.3.21's SkylakeX sgemm reached about 100 GFLOP/s per core on Zen 5
// (the FMA peak measured there is about 117) and copies both operands into its panel layout on
// every call (4% of the encoder's time). The weights never change, so they are packed at load:
// panels of 48 rows, [K][48] floats (three vectors per k). A micro-kernel of 8 tokens × 48 outputs
// keeps 24 sums in registers; per k it loads three weight vectors and broadcasts 8 activations.
// Tokens go in blocks whose activations stay in L2 while every panel passes over them.
//
// Every element is the same chain whatever the tiling: c = fma(x[t][0], W[n][0], 0), then
// c = fma(x[t][k], W[n][k], c) for k = 1 ..< K, then c + b[n] (then + out when accumulating).
// So the result does not depend on the thread count, the batch or the position of the token in
// it, and the portable path (fmaf) and the Swift scalar twin give the same bits.
//
// The feed-forward layer's GELU can run on the sums before they are stored (`gelu`): one pass
// over the [tokens, 1536] activations instead of two. Its AVX-512 formula is EncoderActivations.c's,
// so the bits are those of the product followed by trove_gelu_inplace.
#include "CKernels.h"
#include "KernelCommon.h"
#include <math.h>

enum { PANEL = 48, MR = 8, BLOCK_FLOATS = 64 * 1024 };

size_t trove_f32_packed_bytes(int N, int K) { return (size_t)((N + PANEL - 1) / PANEL) * PANEL * (size_t)K * 4; }

int trove_f32_panel_rows(void) { return PANEL; }

void trove_f32_pack(const float *w, int N, int K, void *packed) {
    float *out = packed;
    for (int p = 0; p < (N + PANEL - 1) / PANEL; p++) {
        float *panel = out + (size_t)p * PANEL * K;
        for (int k = 0; k < K; k++)
            for (int j = 0; j < PANEL; j++) {
                int n = p * PANEL + j;
                panel[(size_t)k * PANEL + j] = n < N ? w[(size_t)n * K + k] : 0;
            }
    }
}

/// GELU (erf by Abramowitz & Stegun 7.1.26) of one float: Tensors/GELU.swift's formula, for the
/// portable path.
static float gelu_portable(float x) {
    float z = x * 0.7071067811865475f, a = fabsf(z);
    float t = 1 / (a * 0.3275911f + 1);
    float p = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
    float erf_abs = 1 - p * expf(-(a * a));
    return x * 0.5f * (copysignf(erf_abs, z) + 1);
}

static void panel_portable(const float *x, int ldx, int tokens, int K, const float *panel, int columns,
                           const float *bias, float *out, int ldo, int accumulate, int gelu) {
    for (int t = 0; t < tokens; t++)
        for (int j = 0; j < columns; j++) {
            float c = 0;
            for (int k = 0; k < K; k++) c = fmaf(x[(size_t)t * ldx + k], panel[(size_t)k * PANEL + j], c);
            float r = c + (bias ? bias[j] : 0);
            if (gelu) r = gelu_portable(r);
            float *o = out + (size_t)t * ldo + j;
            *o = accumulate ? *o + r : r;
        }
}

#ifdef TROVE_X86
/// `mr` tokens (≤ 8) × 48 outputs of one panel: per k, three panel loads, mr broadcasts, 3·mr FMAs.
AVX512 __attribute__((always_inline)) static inline void micro_f32(int mr, const float *x, int ldx, int K, const float *panel,
                                                                  int columns, const float *bias, float *out, int ldo, int accumulate, int gelu) {
    __m512 c[MR][3];
    for (int i = 0; i < mr; i++) c[i][0] = c[i][1] = c[i][2] = _mm512_setzero_ps();
    for (int k = 0; k < K; k++) {
        __m512 b0 = _mm512_load_ps(panel + (size_t)k * PANEL), b1 = _mm512_load_ps(panel + (size_t)k * PANEL + 16),
               b2 = _mm512_load_ps(panel + (size_t)k * PANEL + 32);
        for (int i = 0; i < mr; i++) {
            __m512 a = _mm512_set1_ps(x[(size_t)i * ldx + k]);
            c[i][0] = _mm512_fmadd_ps(a, b0, c[i][0]);
            c[i][1] = _mm512_fmadd_ps(a, b1, c[i][1]);
            c[i][2] = _mm512_fmadd_ps(a, b2, c[i][2]);
        }
    }
    __mmask16 m[3];
    for (int v = 0; v < 3; v++) {
        int left = columns - 16 * v;
        m[v] = left >= 16 ? 0xffff : left <= 0 ? 0 : (__mmask16)((1u << left) - 1);
    }
    __m512 b[3];
    for (int v = 0; v < 3; v++) b[v] = bias ? _mm512_maskz_loadu_ps(m[v], bias + 16 * v) : _mm512_setzero_ps();
    for (int i = 0; i < mr; i++) {
        float *o = out + (size_t)i * ldo;
        for (int v = 0; v < 3; v++) {
            __m512 r = _mm512_add_ps(c[i][v], b[v]);
            if (gelu) r = gelu_avx512_vector(r);
            if (accumulate) r = _mm512_add_ps(_mm512_maskz_loadu_ps(m[v], o + 16 * v), r);
            _mm512_mask_storeu_ps(o + 16 * v, m[v], r);
        }
    }
}

AVX512 static void panel_avx512(const float *x, int ldx, int tokens, int K, const float *panel, int columns,
                                const float *bias, float *out, int ldo, int accumulate, int gelu) {
    int t = 0;
    for (; t + MR <= tokens; t += MR)
        micro_f32(MR, x + (size_t)t * ldx, ldx, K, panel, columns, bias, out + (size_t)t * ldo, ldo, accumulate, gelu);
    const float *xt = x + (size_t)t * ldx;
    float *ot = out + (size_t)t * ldo;
    switch (tokens - t) {
    case 7: micro_f32(7, xt, ldx, K, panel, columns, bias, ot, ldo, accumulate, gelu); break;
    case 6: micro_f32(6, xt, ldx, K, panel, columns, bias, ot, ldo, accumulate, gelu); break;
    case 5: micro_f32(5, xt, ldx, K, panel, columns, bias, ot, ldo, accumulate, gelu); break;
    case 4: micro_f32(4, xt, ldx, K, panel, columns, bias, ot, ldo, accumulate, gelu); break;
    case 3: micro_f32(3, xt, ldx, K, panel, columns, bias, ot, ldo, accumulate, gelu); break;
    case 2: micro_f32(2, xt, ldx, K, panel, columns, bias, ot, ldo, accumulate, gelu); break;
    case 1: micro_f32(1, xt, ldx, K, panel, columns, bias, ot, ldo, accumulate, gelu); break;
    }
}
#endif

void trove_f32_gemm(const void *packed, int N, int K, const float *x, int ldx, int tokens,
                    const float *bias, float *out, int ldo, int accumulate, int gelu, int row_begin, int row_end, int level) {
    (void)N;
    // About 256 KB of activations per token block (168 tokens of 384, 40 of 1536): they stay in L2
    // while each panel (72 KB for K = 384) streams past them.
    int block = BLOCK_FLOATS / (K > 0 ? K : 1);
    block = block < MR ? MR : block / MR * MR;
    for (int t0 = 0; t0 < tokens; t0 += block) {
        int count = tokens - t0 < block ? tokens - t0 : block;
        const float *xt = x + (size_t)t0 * ldx;
        for (int n0 = row_begin; n0 < row_end; n0 += PANEL) {
            int columns = row_end - n0 < PANEL ? row_end - n0 : PANEL;
            const float *panel = (const float *)packed + (size_t)(n0 / PANEL) * PANEL * K;
            const float *b = bias ? bias + n0 : NULL;
            float *o = out + (size_t)t0 * ldo + n0;
#ifdef TROVE_X86
            if (level >= 5) { panel_avx512(xt, ldx, count, K, panel, columns, b, o, ldo, accumulate, gelu); continue; }
#endif
            panel_portable(xt, ldx, count, K, panel, columns, b, o, ldo, accumulate, gelu);
        }
    }
}

static int encoder_avx512_disabled = 0;

int trove_encoder_avx512(void) { return !encoder_avx512_disabled && trove_cpu_has_avx512(); }

void trove_encoder_disable_avx512(void) { encoder_avx512_disabled = 1; }
