// Quantized dot products and dequantisation (ggml block layouts, exact dequantisation).
// Q4_0: f16 d, 16 B nibbles, w = d*(q-8).  Q4_1: f16 d, f16 m, 16 B nibbles, w = d*q + m.
// Q8_0: f16 d, 32 int8, w = d*q. Nibbles: byte j holds element j (low) and j+16 (high).
// Q5_0, Q5_1 and the K-quants are handed to BlockKernels.c.
#include "CKernels.h"
#include "KernelCommon.h"
#include "BlockKernels.h"

// ---------------------------------------------------------------- portable C

static void dequantize_block_portable(int type, const uint8_t *b, float *out) {
    float d = half_to_float(load_u16(b));
    switch (type) {
    case TROVE_Q4_0:
        for (int j = 0; j < 16; j++) {
            out[j] = d * (float)((b[2 + j] & 0x0f) - 8);
            out[j + 16] = d * (float)((b[2 + j] >> 4) - 8);
        }
        break;
    case TROVE_Q4_1: {
        float m = half_to_float(load_u16(b + 2));
        for (int j = 0; j < 16; j++) {
            out[j] = d * (float)(b[4 + j] & 0x0f) + m;
            out[j + 16] = d * (float)(b[4 + j] >> 4) + m;
        }
        break;
    }
    case TROVE_Q8_0:
        for (int j = 0; j < 32; j++) out[j] = d * (float)(int8_t)b[2 + j];
        break;
    }
}

static size_t block_bytes(int type) {
    switch (type) {
    case TROVE_Q4_0: return 18;
    case TROVE_Q4_1: return 20;
    case TROVE_Q8_0: return 34;
    default: return 0;
    }
}

static float dot_portable(int type, const uint8_t *row, const float *x, int columns) {
    float w[32], acc[8] = {0};
    size_t bb = block_bytes(type);
    for (int b = 0; b < columns / 32; b++) {
        dequantize_block_portable(type, row + b * bb, w);
        for (int j = 0; j < 32; j++) acc[j & 7] += w[j] * x[32 * b + j];
    }
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

// ---------------------------------------------------------------- AVX2 + FMA + F16C

#ifdef TROVE_X86
/// The 32 weights of one block as four vectors of eight floats, elements 0-7, 8-15, 16-23, 24-31.
AVX2 static inline void block_avx2(int type, const uint8_t *b, __m256 w[4]) {
    __m256 d = _mm256_set1_ps(_cvtsh_ss(load_u16(b)));
    if (type == TROVE_Q8_0) {
        for (int k = 0; k < 4; k++) {
            __m256i q = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(b + 2 + 8 * k)));
            w[k] = _mm256_mul_ps(_mm256_cvtepi32_ps(q), d);
        }
        return;
    }
    const uint8_t *qs = b + (type == TROVE_Q4_1 ? 4 : 2);
    __m128i bytes = _mm_loadu_si128((const __m128i *)qs);
    __m128i mask = _mm_set1_epi8(0x0f);
    __m128i lo = _mm_and_si128(bytes, mask), hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), mask);
    __m256i q[4] = {
        _mm256_cvtepu8_epi32(lo), _mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)),
        _mm256_cvtepu8_epi32(hi), _mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8)),
    };
    if (type == TROVE_Q4_1) {
        __m256 m = _mm256_set1_ps(_cvtsh_ss(load_u16(b + 2)));
        for (int k = 0; k < 4; k++) w[k] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(q[k]), d, m);
    } else {
        __m256i eight = _mm256_set1_epi32(8);
        for (int k = 0; k < 4; k++) w[k] = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(q[k], eight)), d);
    }
}

/// Σ_b d_b · (Σ_j q_bj · x_bj) + Σ_b m_b · (Σ_j x_bj): the block scale is applied once per
/// block to the lane sums instead of to every weight (w = d·q + m distributed over the sum),
/// which halves the multiplies; the sums are float32 and mathematically the exact dequantisation.
/// `xs` holds Σ_j x_bj per block (Q4_1 only).
AVX2 __attribute__((always_inline)) static inline float dot_avx2(int type, const uint8_t *row, const float *x, const float *xs, int columns) {
    __m256 acc = _mm256_setzero_ps();
    float offsets = 0;
    size_t bb = block_bytes(type);
    __m128i mask = _mm_set1_epi8(0x0f);
    for (int b = 0; b < columns / 32; b++) {
        const uint8_t *p = row + b * bb;
        const float *xb = x + 32 * b;
        __m256 q[4];
        if (type == TROVE_Q8_0) {
            for (int k = 0; k < 4; k++)
                q[k] = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(p + 2 + 8 * k))));
        } else {
            __m128i bytes = _mm_loadu_si128((const __m128i *)(p + (type == TROVE_Q4_1 ? 4 : 2)));
            __m128i lo = _mm_and_si128(bytes, mask), hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), mask);
            __m256i v[4] = {_mm256_cvtepu8_epi32(lo), _mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)),
                            _mm256_cvtepu8_epi32(hi), _mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8))};
            for (int k = 0; k < 4; k++) {
                if (type == TROVE_Q4_0) v[k] = _mm256_sub_epi32(v[k], _mm256_set1_epi32(8));
                q[k] = _mm256_cvtepi32_ps(v[k]);
            }
        }
        __m256 t = _mm256_mul_ps(q[0], _mm256_loadu_ps(xb));
        t = _mm256_fmadd_ps(q[1], _mm256_loadu_ps(xb + 8), t);
        t = _mm256_fmadd_ps(q[2], _mm256_loadu_ps(xb + 16), t);
        t = _mm256_fmadd_ps(q[3], _mm256_loadu_ps(xb + 24), t);
        acc = _mm256_fmadd_ps(t, _mm256_set1_ps(_cvtsh_ss(load_u16(p))), acc);
        if (type == TROVE_Q4_1) offsets += _cvtsh_ss(load_u16(p + 2)) * xs[b];
    }
    return hsum256(acc) + offsets;
}

AVX2 static void dequantize_avx2(int type, const uint8_t *blocks, float *out, int count) {
    size_t bb = block_bytes(type);
    for (int b = 0; b < count / 32; b++) {
        __m256 w[4];
        block_avx2(type, blocks + b * bb, w);
        for (int k = 0; k < 4; k++) _mm256_storeu_ps(out + 32 * b + 8 * k, w[k]);
    }
}

// ---------------------------------------------------------------- AVX-512

/// The 32 weights of one block as two vectors of sixteen floats, elements 0-15 and 16-31.
AVX512 static inline void block_avx512(int type, const uint8_t *b, __m512 w[2]) {
    __m512 d = _mm512_set1_ps(_cvtsh_ss(load_u16(b)));
    if (type == TROVE_Q8_0) {
        for (int k = 0; k < 2; k++) {
            __m512i q = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(b + 2 + 16 * k)));
            w[k] = _mm512_mul_ps(_mm512_cvtepi32_ps(q), d);
        }
        return;
    }
    const uint8_t *qs = b + (type == TROVE_Q4_1 ? 4 : 2);
    __m128i bytes = _mm_loadu_si128((const __m128i *)qs);
    __m128i mask = _mm_set1_epi8(0x0f);
    __m512i q0 = _mm512_cvtepu8_epi32(_mm_and_si128(bytes, mask));
    __m512i q1 = _mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(bytes, 4), mask));
    if (type == TROVE_Q4_1) {
        __m512 m = _mm512_set1_ps(_cvtsh_ss(load_u16(b + 2)));
        w[0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(q0), d, m);
        w[1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(q1), d, m);
    } else {
        __m512i eight = _mm512_set1_epi32(8);
        w[0] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(q0, eight)), d);
        w[1] = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(q1, eight)), d);
    }
}

/// The block's 32 quantized values times x, summed pairwise into 16 lanes: q[0:16]·x[0:16] +
/// q[16:32]·x[16:32] (q − 8 for Q4_0), before the block scale.
AVX512 __attribute__((always_inline)) static inline __m512 block_lanes_avx512(int type, const uint8_t *p, __m512 x0, __m512 x1) {
    __m512 q0, q1;
    if (type == TROVE_Q8_0) {
        q0 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(p + 2))));
        q1 = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(p + 18))));
    } else {
        __m128i mask = _mm_set1_epi8(0x0f);
        __m128i bytes = _mm_loadu_si128((const __m128i *)(p + (type == TROVE_Q4_1 ? 4 : 2)));
        __m512i v0 = _mm512_cvtepu8_epi32(_mm_and_si128(bytes, mask));
        __m512i v1 = _mm512_cvtepu8_epi32(_mm_and_si128(_mm_srli_epi16(bytes, 4), mask));
        if (type == TROVE_Q4_0) {
            v0 = _mm512_sub_epi32(v0, _mm512_set1_epi32(8));
            v1 = _mm512_sub_epi32(v1, _mm512_set1_epi32(8));
        }
        q0 = _mm512_cvtepi32_ps(v0);
        q1 = _mm512_cvtepi32_ps(v1);
    }
    return _mm512_fmadd_ps(q1, x1, _mm512_mul_ps(q0, x0));
}

/// One row: Σ_b d_b · lanes_b + Σ_b m_b · xs_b (see dot_avx2).
AVX512 __attribute__((always_inline)) static inline float dot_avx512(int type, const uint8_t *row, const float *x, const float *xs, int columns) {
    __m512 acc = _mm512_setzero_ps();
    float offsets = 0;
    size_t bb = block_bytes(type);
    for (int b = 0; b < columns / 32; b++) {
        const uint8_t *p = row + b * bb;
        __m512 t = block_lanes_avx512(type, p, _mm512_loadu_ps(x + 32 * b), _mm512_loadu_ps(x + 32 * b + 16));
        acc = _mm512_fmadd_ps(t, _mm512_set1_ps(_cvtsh_ss(load_u16(p))), acc);
        if (type == TROVE_Q4_1) offsets += _cvtsh_ss(load_u16(p + 2)) * xs[b];
    }
    return _mm512_reduce_add_ps(acc) + offsets;
}

/// Two rows at once sharing the loads of x; each row's arithmetic is exactly dot_avx512's.
AVX512 __attribute__((always_inline)) static inline void dot2_avx512(int type, const uint8_t *r0, const uint8_t *r1, const float *x,
                                                                   const float *xs, int columns, float *y) {
    __m512 a = _mm512_setzero_ps(), c = _mm512_setzero_ps();
    float ao = 0, co = 0;
    size_t bb = block_bytes(type);
    for (int b = 0; b < columns / 32; b++) {
        const uint8_t *p = r0 + b * bb, *q = r1 + b * bb;
        __m512 x0 = _mm512_loadu_ps(x + 32 * b), x1 = _mm512_loadu_ps(x + 32 * b + 16);
        a = _mm512_fmadd_ps(block_lanes_avx512(type, p, x0, x1), _mm512_set1_ps(_cvtsh_ss(load_u16(p))), a);
        c = _mm512_fmadd_ps(block_lanes_avx512(type, q, x0, x1), _mm512_set1_ps(_cvtsh_ss(load_u16(q))), c);
        if (type == TROVE_Q4_1) {
            ao += _cvtsh_ss(load_u16(p + 2)) * xs[b];
            co += _cvtsh_ss(load_u16(q + 2)) * xs[b];
        }
    }
    y[0] = _mm512_reduce_add_ps(a) + ao;
    y[1] = _mm512_reduce_add_ps(c) + co;
}

/// Rows [begin, end) of one type, specialised per type by the constant `type`.
AVX512 __attribute__((always_inline)) static inline void matvec_avx512(int type, const uint8_t *rows, size_t row_bytes, int columns,
                                                                     const float *x, const float *xs, float *y, int begin, int end) {
    int r = begin;
    for (; r + 2 <= end; r += 2) {
        prefetch_rows(rows, row_bytes, r + PREFETCH_DISTANCE, 2, end);
        dot2_avx512(type, rows + r * row_bytes, rows + (r + 1) * row_bytes, x, xs, columns, y + (r - begin));
    }
    for (; r < end; r++) y[r - begin] = dot_avx512(type, rows + r * row_bytes, x, xs, columns);
}

AVX512 static void matvec_q4_0_avx512(const uint8_t *rows, size_t rb, int n, const float *x, const float *xs, float *y, int b, int e) {
    matvec_avx512(TROVE_Q4_0, rows, rb, n, x, xs, y, b, e);
}
AVX512 static void matvec_q4_1_avx512(const uint8_t *rows, size_t rb, int n, const float *x, const float *xs, float *y, int b, int e) {
    matvec_avx512(TROVE_Q4_1, rows, rb, n, x, xs, y, b, e);
}
AVX512 static void matvec_q8_0_avx512(const uint8_t *rows, size_t rb, int n, const float *x, const float *xs, float *y, int b, int e) {
    matvec_avx512(TROVE_Q8_0, rows, rb, n, x, xs, y, b, e);
}
AVX2 static void matvec_avx2(int type, const uint8_t *rows, size_t rb, int n, const float *x, const float *xs, float *y, int b, int e) {
    switch (type) {
    case TROVE_Q4_0:
        for (int r = b; r < e; r++) { prefetch_rows(rows, rb, r + PREFETCH_DISTANCE, 1, e); y[r - b] = dot_avx2(TROVE_Q4_0, rows + r * rb, x, xs, n); }
        break;
    case TROVE_Q4_1:
        for (int r = b; r < e; r++) { prefetch_rows(rows, rb, r + PREFETCH_DISTANCE, 1, e); y[r - b] = dot_avx2(TROVE_Q4_1, rows + r * rb, x, xs, n); }
        break;
    case TROVE_Q8_0:
        for (int r = b; r < e; r++) { prefetch_rows(rows, rb, r + PREFETCH_DISTANCE, 1, e); y[r - b] = dot_avx2(TROVE_Q8_0, rows + r * rb, x, xs, n); }
        break;
    }
}

AVX512 static void dequantize_avx512(int type, const uint8_t *blocks, float *out, int count) {
    size_t bb = block_bytes(type);
    for (int b = 0; b < count / 32; b++) {
        __m512 w[2];
        block_avx512(type, blocks + b * bb, w);
        _mm512_storeu_ps(out + 32 * b, w[0]);
        _mm512_storeu_ps(out + 32 * b + 16, w[1]);
    }
}
#endif

// ---------------------------------------------------------------- dispatch

static int supported_level(void) {
#ifdef TROVE_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) return __builtin_cpu_supports("avx512vnni") ? 6 : 5;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) return 2;
#endif
    return 0;
}

static int chosen_level = -1;

int trove_kernel_level(void) {
    if (chosen_level < 0) chosen_level = supported_level();
    return chosen_level;
}

int trove_cpu_has_avx512(void) {
    static int supported = -1;
    if (supported < 0) supported = supported_level() >= 5;
    return supported;
}

void trove_set_kernel_level(int level) {
    int top = supported_level();
    chosen_level = level >= 6 && top >= 6 ? 6 : level >= 5 && top >= 5 ? 5 : level >= 2 && top >= 2 ? 2 : 0;
}

int trove_matvec(int type, const void *base, size_t row_bytes, int columns,
                 const float *x, float *y, int row_begin, int row_end) {
    const BlockKernels *other = block_kernels(type);
    if (other) return block_kernels_matvec(other, base, row_bytes, columns, x, y, row_begin, row_end, trove_kernel_level());
    if (block_bytes(type) == 0) return -1;
    const uint8_t *rows = (const uint8_t *)base;
    int level = trove_kernel_level();
#ifdef TROVE_X86
    if (level >= 2) {
        // Σ_j x_bj per block, for Q4_1's m_b term (columns ≤ 32 · 1024 here; larger rows fall back).
        float xs[1024];
        if (columns / 32 <= 1024) {
            for (int b = 0; type == TROVE_Q4_1 && b < columns / 32; b++) {
                float s = 0;
                for (int j = 0; j < 32; j++) s += x[32 * b + j];
                xs[b] = s;
            }
            if (level >= 5) {
                switch (type) {
                case TROVE_Q4_0: matvec_q4_0_avx512(rows, row_bytes, columns, x, xs, y, row_begin, row_end); break;
                case TROVE_Q4_1: matvec_q4_1_avx512(rows, row_bytes, columns, x, xs, y, row_begin, row_end); break;
                case TROVE_Q8_0: matvec_q8_0_avx512(rows, row_bytes, columns, x, xs, y, row_begin, row_end); break;
                }
            } else {
                matvec_avx2(type, rows, row_bytes, columns, x, xs, y, row_begin, row_end);
            }
            return 0;
        }
    }
#endif
    for (int r = row_begin; r < row_end; r++) y[r - row_begin] = dot_portable(type, rows + r * row_bytes, x, columns);
    return 0;
}

int trove_dequantize(int type, const void *blocks, float *out, int count) {
    const BlockKernels *other = block_kernels(type);
    if (other) { block_kernels_dequantize(other, blocks, out, count, trove_kernel_level()); return 0; }
    size_t bb = block_bytes(type);
    if (bb == 0) return -1;
    int level = trove_kernel_level();
#ifdef TROVE_X86
    if (level >= 5) { dequantize_avx512(type, (const uint8_t *)blocks, out, count); return 0; }
    if (level >= 2) { dequantize_avx2(type, (const uint8_t *)blocks, out, count); return 0; }
#endif
    for (int b = 0; b < count / 32; b++) dequantize_block_portable(type, (const uint8_t *)blocks + b * bb, out + 32 * b);
    return 0;
}
