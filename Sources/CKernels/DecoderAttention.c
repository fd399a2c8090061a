// The decode step's attention over cached float32 keys and values (CKernels.h), for one query
// head: the two loops around the softmax, which in Swift cost a call and a horizontal sum per
// cached position (a quarter of a 1B model's step at 600 positions). AVX-512 when the kernel
// level has it, else plain C; each with the same result on every thread count (one head, one thread).
#include "CKernels.h"
#include "KernelCommon.h"
#include <math.h>

#ifdef TROVE_X86
AVX512 static void scores_avx512(const float *q, const float *keys, size_t stride, int count, int hd, float scale, float *scores) {
    for (int t = 0; t < count; t++) {
        const float *k = keys + (size_t)t * stride;
        __m512 acc = _mm512_mul_ps(_mm512_loadu_ps(q), _mm512_loadu_ps(k));
        for (int i = 16; i < hd; i += 16) acc = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), _mm512_loadu_ps(k + i), acc);
        scores[t] = _mm512_reduce_add_ps(acc) * scale;
    }
}

/// out = Σ_t p_t·v_t with out in registers (hd ≤ 256), one FMA per element and position, positions in order.
AVX512 static void values_avx512(const float *p, const float *values, size_t stride, int count, int hd, float *out) {
    __m512 acc[16];
    int n = hd / 16;
    for (int i = 0; i < n; i++) acc[i] = _mm512_setzero_ps();
    for (int t = 0; t < count; t++) {
        const float *v = values + (size_t)t * stride;
        __m512 w = _mm512_set1_ps(p[t]);
        for (int i = 0; i < n; i++) acc[i] = _mm512_fmadd_ps(w, _mm512_loadu_ps(v + 16 * i), acc[i]);
    }
    for (int i = 0; i < n; i++) _mm512_storeu_ps(out + 16 * i, acc[i]);
}
#endif

void trove_attention_scores_f32(const float *q, const float *keys, size_t stride, int count, int hd, float scale, float *scores) {
#ifdef TROVE_X86
    if (trove_kernel_level() >= 5 && hd % 16 == 0 && hd > 0) { scores_avx512(q, keys, stride, count, hd, scale, scores); return; }
#endif
    for (int t = 0; t < count; t++) {
        const float *k = keys + (size_t)t * stride;
        float sum = 0;
        for (int i = 0; i < hd; i++) sum += q[i] * k[i];
        scores[t] = sum * scale;
    }
}

void trove_attention_values_f32(const float *p, const float *values, size_t stride, int count, int hd, float *out) {
#ifdef TROVE_X86
    if (trove_kernel_level() >= 5 && hd % 16 == 0 && hd > 0 && hd <= 256) { values_avx512(p, values, stride, count, hd, out); return; }
#endif
    for (int i = 0; i < hd; i++) out[i] = 0;
    for (int t = 0; t < count; t++) {
        const float *v = values + (size_t)t * stride;
        for (int i = 0; i < hd; i++) out[i] = fmaf(p[t], v[i], out[i]);
    }
}
