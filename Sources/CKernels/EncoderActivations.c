// GELU for the encoder's feed-forward layer, 16 floats at a time with AVX-512: the formula of
// Tensors/GELU.swift (erf by Abramowitz & Stegun 7.1.26, absolute error ≤ 1.5e-7), which Swift
// vectorises to 8 lanes only (the package targets AVX2).
#include "CKernels.h"
#include "KernelCommon.h"

#ifdef TROVE_X86
AVX512 static void gelu_avx512(float *x, int count) {
    const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f);
    int i = 0;
    for (; i < count; i += 16) {
        __mmask16 m = count - i >= 16 ? 0xffff : (__mmask16)((1u << (count - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        __m512 z = _mm512_mul_ps(v, _mm512_set1_ps(0.7071067811865475f));          // x / √2
        __m512 a = _mm512_abs_ps(z);
        __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(a, _mm512_set1_ps(0.3275911f), one));
        __m512 p = _mm512_set1_ps(1.061405429f);
        p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-1.453152027f));
        p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(1.421413741f));
        p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(-0.284496736f));
        p = _mm512_fmadd_ps(p, t, _mm512_set1_ps(0.254829592f));
        p = _mm512_mul_ps(p, t);
        __m512 erf_abs = _mm512_fnmadd_ps(p, exp_avx512(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_mul_ps(a, a))), one);
        __m512 erf = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(erf_abs),
                                         _mm512_and_si512(_mm512_castps_si512(z), _mm512_set1_epi32((int)0x80000000))));
        _mm512_mask_storeu_ps(x + i, m, _mm512_mul_ps(_mm512_mul_ps(v, half), _mm512_add_ps(erf, one)));
    }
}
#endif

int trove_gelu_inplace(float *x, int count) {
#ifdef TROVE_X86
    if (trove_cpu_has_avx512()) { gelu_avx512(x, count); return 1; }
#endif
    (void)x; (void)count;
    return 0;
}
