// GELU for the encoder's feed-forward layer, 16 floats at a time with AVX-512 (gelu_avx512_vector in
// KernelCommon.h): the formula of Tensors/GELU.swift (erf by Abramowitz & Stegun 7.1.26, absolute error ≤ 1.5e-7), which Swift
// vectorises to 8 lanes only (the package targets AVX2).
#include "CKernels.h"
#include "KernelCommon.h"

#ifdef TROVE_X86
AVX512 static void gelu_avx512(float *x, int count) {
    for (int i = 0; i < count; i += 16) {
        __mmask16 m = count - i >= 16 ? 0xffff : (__mmask16)((1u << (count - i)) - 1);
        _mm512_mask_storeu_ps(x + i, m, gelu_avx512_vector(_mm512_maskz_loadu_ps(m, x + i)));
    }
}
#endif

int trove_gelu_inplace(float *x, int count) {
#ifdef TROVE_X86
    if (trove_encoder_avx512()) { gelu_avx512(x, count); return 1; }
#endif
    (void)x; (void)count;
    return 0;
}
