// What every kernel file of CKernels shares: half-precision loads, the instruction-set
// attributes, prefetching and horizontal sums. Private to the target (not in include/).
#ifndef TROVE_KERNEL_COMMON_H
#define TROVE_KERNEL_COMMON_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TROVE_X86 1
#endif

/// An IEEE half widened to float, exactly (subnormals included), without F16C.
static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
    if (exponent == 0) {
        if (mantissa == 0) { bits = sign; }
        else {                                   // subnormal: normalise
            exponent = 127 - 15 + 1;
            while (!(mantissa & 0x400)) { mantissa <<= 1; exponent--; }
            bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline uint16_t load_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t load_u32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

/// Σ_j x[j] over consecutive groups of `group` floats: sums[g] = Σ x[g·group ..< (g+1)·group].
/// The kernels that subtract a per-group minimum (w = d·q − m) need Σ x once per row, not per weight.
static inline void group_sums(const float *x, int columns, int group, float *sums) {
    for (int g = 0; g < columns / group; g++) {
        float s = 0;
        for (int j = 0; j < group; j++) s += x[g * group + j];
        sums[g] = s;
    }
}

#ifdef TROVE_X86
#define AVX2 __attribute__((target("avx2,fma,f16c")))
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,fma,f16c")))

/// Rows this far ahead are requested into cache while the current ones are multiplied: the
/// hardware prefetcher alone left the 30 MB Q8_0 logits matrix at ~7 GB/s (4–5× slower).
enum { PREFETCH_DISTANCE = 8 };

static inline void prefetch_rows(const uint8_t *rows, size_t row_bytes, int first, int count, int end) {
    if (first + count > end) return;
    const char *p = (const char *)rows + (size_t)first * row_bytes;
    for (size_t offset = 0; offset < (size_t)count * row_bytes; offset += 64) _mm_prefetch(p + offset, _MM_HINT_T0);
}

/// The end of the encoder's AVX-512 panel kernels (EncoderInt8.c, EncoderBF16.c): `rows` rows of 32
/// sums (two vectors each) plus `bias` (may be NULL), stored to `out` (rows `ldo` floats apart) or
/// added to it when `accumulate` (a residual connection); a last panel narrower than 32 (`columns`)
/// goes through a buffer. Only avx512f, so that kernels with any AVX-512 extension can inline it.
__attribute__((target("avx512f"))) static inline void store_panel_avx512(__m512 (*sums)[2], int rows, int columns,
                                                                          const float *bias, float *out, int ldo,
                                                                          int accumulate) {
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (bias) {
        __mmask16 m0 = columns >= 16 ? 0xffff : (__mmask16)((1u << columns) - 1);
        __mmask16 m1 = columns >= 32 ? 0xffff : columns <= 16 ? 0 : (__mmask16)((1u << (columns - 16)) - 1);
        bias0 = _mm512_maskz_loadu_ps(m0, bias);
        bias1 = _mm512_maskz_loadu_ps(m1, bias + 16);
    }
    for (int i = 0; i < rows; i++) {
        __m512 r0 = _mm512_add_ps(sums[i][0], bias0), r1 = _mm512_add_ps(sums[i][1], bias1);
        float *o = out + (size_t)i * ldo;
        if (columns == 32) {
            if (accumulate) { r0 = _mm512_add_ps(_mm512_loadu_ps(o), r0); r1 = _mm512_add_ps(_mm512_loadu_ps(o + 16), r1); }
            _mm512_storeu_ps(o, r0);
            _mm512_storeu_ps(o + 16, r1);
        } else {
            float tmp[32];
            _mm512_storeu_ps(tmp, r0);
            _mm512_storeu_ps(tmp + 16, r1);
            for (int j = 0; j < columns; j++) o[j] = accumulate ? o[j] + tmp[j] : tmp[j];
        }
    }
}

/// e^x (for x ≤ 88), relative error < 2e-7: 2^(x·log2 e) split as 2^m · 2^f with
/// f in [-0.5, 0.5], a degree-6 polynomial for 2^f (Cephes' expf coefficients on x·ln 2), m into
/// the exponent bits; below -87 the result is 0.
AVX512 static inline __m512 exp_avx512(__m512 x) {
    x = _mm512_max_ps(x, _mm512_set1_ps(-87.3f));
    __m512 m = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(m, _mm512_set1_ps(0.693359375f), x);           // x − m·ln2, in two parts
    r = _mm512_fnmadd_ps(m, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, m);
}

/// GELU (erf form) of 16 floats: x/2 · (1 + erf(x/√2)), erf by Abramowitz & Stegun 7.1.26 (absolute
/// error ≤ 1.5e-7), the formula of Tensors/GELU.swift. EncoderActivations.c runs it over a buffer;
/// EncoderF32.c on the feed-forward product's sums before they are stored.
AVX512 static inline __m512 gelu_avx512_vector(__m512 v) {
    const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f);
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
    return _mm512_mul_ps(_mm512_mul_ps(v, half), _mm512_add_ps(erf, one));
}

AVX2 static inline float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
#endif

#endif
