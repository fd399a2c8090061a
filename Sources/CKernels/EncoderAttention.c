// The encoder's attention for one (text, head), float32, in one pass per block of query rows:
//
//     S = Q·Kᵀ · scale   [n, n]      P = softmax(S) by rows      O = P·V   [n, d]
//
// Two OpenBLAS calls per (text, head) with a softmax between them spent much of their time outside
// the multiplications (packing small operands, the threading check, S written and read back).
// Here K is packed once per head as Kᵀ [d][n] and V as [n][d], both contiguous (32 KB each for
// n = 256, d = 32: they stay in L1/L2), then for each block of 8 query rows the scores of all keys,
// their softmax and the product with V run while the block is in registers and L1. The output is
// scaled by 1/Σ once instead of P being normalised.
#include "CKernels.h"
#include "KernelCommon.h"
#include <math.h>

enum { ROWS = 8 };

static void head_portable(const float *q, const float *k, const float *v, int stride, int n, int d, float scale,
                          float *out, int ldo, float *scores) {
    for (int i = 0; i < n; i++) {
        float top = -INFINITY;
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int c = 0; c < d; c++) s += q[(size_t)i * stride + c] * k[(size_t)j * stride + c];
            scores[j] = s * scale;
            top = fmaxf(top, scores[j]);
        }
        float sum = 0;
        for (int j = 0; j < n; j++) { scores[j] = expf(scores[j] - top); sum += scores[j]; }
        float inverse = 1 / sum;
        for (int c = 0; c < d; c++) {
            float o = 0;
            for (int j = 0; j < n; j++) o += scores[j] * v[(size_t)j * stride + c];
            out[(size_t)i * ldo + c] = o * inverse;
        }
    }
}

#ifdef TROVE_X86
/// `rows` query rows (≤ 8) against all n keys: scores, softmax, ·V. kt is [d][np] (np = n rounded up
/// to 16, padded with zeros), vp is [n][d] with d = 32; s is [rows][np].
AVX512 __attribute__((always_inline)) static inline void block_avx512(int rows, const float *q, int stride, const float *kt,
                                                                     const float *vp, int n, int np, float scale,
                                                                     float *out, int ldo, float *s) {
    enum { D = 32 };
    __mmask16 tail = (n & 15) ? (__mmask16)((1u << (n & 15)) - 1) : 0xffff;
    __m512 top[ROWS];
    for (int i = 0; i < rows; i++) top[i] = _mm512_set1_ps(-INFINITY);
    for (int j0 = 0; j0 < np; j0 += 16) {
        __m512 acc[ROWS];
        for (int i = 0; i < rows; i++) acc[i] = _mm512_setzero_ps();
        for (int c = 0; c < D; c++) {
            __m512 b = _mm512_loadu_ps(kt + (size_t)c * np + j0);
            for (int i = 0; i < rows; i++) acc[i] = _mm512_fmadd_ps(_mm512_set1_ps(q[(size_t)i * stride + c]), b, acc[i]);
        }
        __mmask16 valid = j0 + 16 <= n ? 0xffff : tail;
        for (int i = 0; i < rows; i++) {
            __m512 v = _mm512_mask_blend_ps(valid, _mm512_set1_ps(-INFINITY), _mm512_mul_ps(acc[i], _mm512_set1_ps(scale)));
            _mm512_storeu_ps(s + (size_t)i * np + j0, v);
            top[i] = _mm512_max_ps(top[i], v);
        }
    }
    float inverse[ROWS];
    for (int i = 0; i < rows; i++) {
        __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(top[i])), sum = _mm512_setzero_ps();
        float *row = s + (size_t)i * np;
        for (int j0 = 0; j0 < np; j0 += 16) {
            __m512 e = exp_avx512(_mm512_sub_ps(_mm512_loadu_ps(row + j0), m));   // −∞ → 0
            _mm512_storeu_ps(row + j0, e);
            sum = _mm512_add_ps(sum, e);
        }
        inverse[i] = 1 / _mm512_reduce_add_ps(sum);
    }
    __m512 o[ROWS][2];
    for (int i = 0; i < rows; i++) o[i][0] = o[i][1] = _mm512_setzero_ps();
    for (int j = 0; j < n; j++) {
        __m512 b0 = _mm512_loadu_ps(vp + (size_t)j * D), b1 = _mm512_loadu_ps(vp + (size_t)j * D + 16);
        for (int i = 0; i < rows; i++) {
            __m512 p = _mm512_set1_ps(s[(size_t)i * np + j]);
            o[i][0] = _mm512_fmadd_ps(p, b0, o[i][0]);
            o[i][1] = _mm512_fmadd_ps(p, b1, o[i][1]);
        }
    }
    for (int i = 0; i < rows; i++) {
        __m512 w = _mm512_set1_ps(inverse[i]);
        _mm512_storeu_ps(out + (size_t)i * ldo, _mm512_mul_ps(o[i][0], w));
        _mm512_storeu_ps(out + (size_t)i * ldo + 16, _mm512_mul_ps(o[i][1], w));
    }
}

AVX512 static void head_avx512(const float *q, const float *k, const float *v, int stride, int n, float scale,
                               float *out, int ldo, float *scratch) {
    enum { D = 32 };
    int np = (n + 15) & ~15;
    float *kt = scratch, *vp = kt + (size_t)D * np, *s = vp + (size_t)D * n;
    for (int j = 0; j < np; j++)
        for (int c = 0; c < D; c++) kt[(size_t)c * np + j] = j < n ? k[(size_t)j * stride + c] : 0;
    for (int j = 0; j < n; j++) memcpy(vp + (size_t)j * D, v + (size_t)j * stride, sizeof(float) * D);
    int i = 0;
    for (; i + ROWS <= n; i += ROWS) block_avx512(ROWS, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s);
    switch (n - i) {
    case 7: block_avx512(7, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s); break;
    case 6: block_avx512(6, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s); break;
    case 5: block_avx512(5, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s); break;
    case 4: block_avx512(4, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s); break;
    case 3: block_avx512(3, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s); break;
    case 2: block_avx512(2, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s); break;
    case 1: block_avx512(1, q + (size_t)i * stride, stride, kt, vp, n, np, scale, out + (size_t)i * ldo, ldo, s); break;
    }
}
#endif

size_t trove_attention_scratch_floats(int n, int d) {
    size_t np = (size_t)((n + 15) & ~15);
    return (size_t)d * np + (size_t)d * n + ROWS * np + np;
}

void trove_attention_head(const float *q, const float *k, const float *v, int stride, int n, int d, float scale,
                          float *out, int ldo, float *scratch) {
#ifdef TROVE_X86
    if (d == 32 && trove_encoder_avx512()) { head_avx512(q, k, v, stride, n, scale, out, ldo, scratch); return; }
#endif
    head_portable(q, k, v, stride, n, d, scale, out, ldo, scratch);
}
