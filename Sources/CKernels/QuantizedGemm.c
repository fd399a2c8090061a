// Prefill matrix product: out[t][n] = Σ_k x[t][k] · W[n][k] for a quantized W, many tokens.
//
// Weight rows are dequantised 32 at a time (exactly, as trove_dequantize), transposed to a
// [K, 32] panel, and multiplied with a register-blocked micro-kernel (6 tokens × 32 columns on
// AVX-512, 6 × 16 on AVX2). Every output element is one sequential fused multiply-add chain
// over k, whatever the tiling or thread split, so results do not depend on the thread count.
#include "CKernels.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TROVE_X86 1
#endif

enum { PANEL = 32, MR = 6 };

/// The portable micro-kernel, also the remainder path: sequential fmaf over k, which is
/// bit-identical to one lane of a vector FMA chain.
static void tile_portable(const float *x, int ldx, int tokens, const float *panel, int K,
                          float *out, int ldo, int columns) {
    for (int t = 0; t < tokens; t++)
        for (int n = 0; n < columns; n++) {
            float acc = 0;
            for (int k = 0; k < K; k++) acc = fmaf(x[t * ldx + k], panel[k * PANEL + n], acc);
            out[t * ldo + n] = acc;
        }
}

#ifdef TROVE_X86
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,fma")))
#define AVX2 __attribute__((target("avx2,fma")))

/// `mr` tokens × 32 columns (mr ≤ 6, a constant after inlining): 2·mr accumulators; per k two
/// panel loads, mr broadcasts, 2·mr FMAs.
AVX512 __attribute__((always_inline)) static inline void micro_avx512(int mr, const float *x, int ldx, const float *panel, int K,
                                                                    float *out, int ldo, int columns) {
    __m512 c[MR][2];
    for (int i = 0; i < mr; i++) c[i][0] = c[i][1] = _mm512_setzero_ps();
    for (int k = 0; k < K; k++) {
        __m512 b0 = _mm512_loadu_ps(panel + k * PANEL), b1 = _mm512_loadu_ps(panel + k * PANEL + 16);
        for (int i = 0; i < mr; i++) {
            __m512 a = _mm512_set1_ps(x[i * ldx + k]);
            c[i][0] = _mm512_fmadd_ps(a, b0, c[i][0]);
            c[i][1] = _mm512_fmadd_ps(a, b1, c[i][1]);
        }
    }
    for (int i = 0; i < mr; i++) {
        float *o = out + i * ldo;
        if (columns == PANEL) {
            _mm512_storeu_ps(o, c[i][0]);
            _mm512_storeu_ps(o + 16, c[i][1]);
        } else {
            float tmp[PANEL];
            _mm512_storeu_ps(tmp, c[i][0]);
            _mm512_storeu_ps(tmp + 16, c[i][1]);
            memcpy(o, tmp, sizeof(float) * columns);
        }
    }
}

AVX512 static void tile_avx512(const float *x, int ldx, int tokens, const float *panel, int K,
                               float *out, int ldo, int columns) {
    int t = 0;
    for (; t + MR <= tokens; t += MR) micro_avx512(MR, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns);
    switch (tokens - t) {   // the last 1–5 tokens, still vectorised (same FMA chains)
    case 5: micro_avx512(5, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 4: micro_avx512(4, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 3: micro_avx512(3, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 2: micro_avx512(2, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 1: micro_avx512(1, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    }
}

/// `mr` tokens × 16 columns (half a panel) with AVX2.
AVX2 __attribute__((always_inline)) static inline void micro_avx2(int mr, const float *x, int ldx, const float *panel, int K,
                                                                float *out, int ldo, int columns) {
    for (int half = 0; half < 2; half++) {
        __m256 c[MR][2];
        for (int i = 0; i < mr; i++) c[i][0] = c[i][1] = _mm256_setzero_ps();
        const float *p = panel + 16 * half;
        for (int k = 0; k < K; k++) {
            __m256 b0 = _mm256_loadu_ps(p + k * PANEL), b1 = _mm256_loadu_ps(p + k * PANEL + 8);
            for (int i = 0; i < mr; i++) {
                __m256 a = _mm256_set1_ps(x[i * ldx + k]);
                c[i][0] = _mm256_fmadd_ps(a, b0, c[i][0]);
                c[i][1] = _mm256_fmadd_ps(a, b1, c[i][1]);
            }
        }
        for (int i = 0; i < mr; i++) {
            float tmp[16];
            _mm256_storeu_ps(tmp, c[i][0]);
            _mm256_storeu_ps(tmp + 8, c[i][1]);
            int first = 16 * half, count = columns - first < 16 ? columns - first : 16;
            if (count > 0) memcpy(out + i * ldo + first, tmp, sizeof(float) * count);
        }
    }
}

AVX2 static void tile_avx2(const float *x, int ldx, int tokens, const float *panel, int K,
                           float *out, int ldo, int columns) {
    int t = 0;
    for (; t + MR <= tokens; t += MR) micro_avx2(MR, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns);
    switch (tokens - t) {
    case 5: micro_avx2(5, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 4: micro_avx2(4, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 3: micro_avx2(3, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 2: micro_avx2(2, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    case 1: micro_avx2(1, x + t * ldx, ldx, panel, K, out + t * ldo, ldo, columns); break;
    }
}
#endif

int trove_gemm_quantized(int type, const void *base, size_t row_bytes, int K,
                         const float *x, int ldx, int tokens, float *out, int ldo,
                         int row_begin, int row_end) {
    float *rows = malloc(sizeof(float) * PANEL * (size_t)K * 2);
    if (!rows) return -1;
    float *panel = rows + PANEL * (size_t)K;
    int level = trove_kernel_level();
    for (int n0 = row_begin; n0 < row_end; n0 += PANEL) {
        int columns = row_end - n0 < PANEL ? row_end - n0 : PANEL;
        for (int j = 0; j < columns; j++) {
            const uint8_t *src = (const uint8_t *)base + (size_t)(n0 + j) * row_bytes;
            if (type == 0) memcpy(rows + (size_t)j * K, src, sizeof(float) * K);
            else if (trove_dequantize(type, src, rows + (size_t)j * K, K) != 0) { free(rows); return -1; }
        }
        // [columns, K] → [K, PANEL], zero-padded past `columns`.
        for (int k = 0; k < K; k++) {
            float *dst = panel + (size_t)k * PANEL;
            for (int j = 0; j < columns; j++) dst[j] = rows[(size_t)j * K + k];
            for (int j = columns; j < PANEL; j++) dst[j] = 0;
        }
        float *o = out + n0;
#ifdef TROVE_X86
        if (level >= 5) { tile_avx512(x, ldx, tokens, panel, K, o, ldo, columns); continue; }
        if (level >= 2) { tile_avx2(x, ldx, tokens, panel, K, o, ldo, columns); continue; }
#endif
        tile_portable(x, ldx, tokens, panel, K, o, ldo, columns);
    }
    free(rows);
    return 0;
}
