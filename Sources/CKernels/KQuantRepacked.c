// Q4_K and Q6_K weights repacked at load for the AVX-512 VNNI products with Q8_K activations
// (CKernels.h, trove_repack_q8_K): 16 rows interleaved, so that one vector holds the same four
// elements of 16 rows and vpdpbusd multiplies them by four activations broadcast to every lane.
// The group scales then meet 16 rows' sums lane by lane (vpmulld), with no shuffle per group: the
// per-element work of the row-major tiles (KQuantDotQ8K.c: unpack, vpermw, vpmaddubsw, vpdpwssd)
// falls to one mask and one vpdpbusd, and decoding runs at the memory's speed, not the core's.
// llama.cpp repacks its Q4_K tensors likewise (ggml-cpu repack.cpp, block_q4_Kx8).
//
// Each lane computes its row exactly as k_dot_portable does: the block's integers isum and msum
// (exact), then sum += (d·d_x)·isum − (dmin·d_x)·msum in float32, blocks in order. So a repacked
// product equals the portable one bit for bit, in decode (one token) as in prefill (four).
//
// A repacked row group (16 rows) is `blocks` super-blocks, one per 256 columns:
//   Q4_K, 2368 bytes: qs[32][16][4] (vector 8c + q: each row's qs bytes 32c + 4q … + 3, whose low
//         nibbles are elements 64c + 4q … and high nibbles 64c + 32 + 4q …), scales[8][16],
//         mins[8][16] (6-bit, one byte each), d[16], dmin[16] (f16)
//   Q6_K, 3360 bytes (= 16 × 210): 16 triples of vectors, in the order the kernel reads them (one
//         stream, which the hardware prefetcher follows): for h < 2, q < 8, each row's ql bytes
//         64h + 4q …, ql bytes 64h + 32 + 4q …, qh bytes 32h + 4q …; then scales[16][16] (int8), d[16] (f16)
#pragma STDC FP_CONTRACT OFF
#include "CKernels.h"
#include "KQuantLayout.h"

enum { RG = 16, Q4_K_RG_BYTES = 2368, Q6_K_RG_BYTES = 3360 };

static int rg_block_bytes(int type) { return type == TROVE_Q4_K ? Q4_K_RG_BYTES : type == TROVE_Q6_K ? Q6_K_RG_BYTES : 0; }

size_t trove_repacked_q8_K_bytes(int type, int rows, int K) {
    if (rg_block_bytes(type) == 0 || rows % RG != 0 || K % 256 != 0) return 0;
    return (size_t)(rows / RG) * (size_t)(K / 256) * (size_t)rg_block_bytes(type);
}

int trove_repack_q8_K(int type, const void *base, size_t row_bytes, int K, void *out, int group_begin, int group_end) {
    int blocks = K / 256, bytes = k_block_bytes(type), packed = rg_block_bytes(type);
    if (packed == 0) return -1;
    for (int g = group_begin; g < group_end; g++) {
        for (int b = 0; b < blocks; b++) {
            uint8_t *o = (uint8_t *)out + ((size_t)g * blocks + b) * packed;
            for (int r = 0; r < RG; r++) {
                const uint8_t *src = (const uint8_t *)base + (size_t)(g * RG + r) * row_bytes + (size_t)b * bytes;
                if (type == TROVE_Q4_K) {
                    for (int v = 0; v < 32; v++) memcpy(o + 64 * v + 4 * r, src + 16 + 4 * v, 4);
                    int sc[8], m[8];
                    scales_and_mins_k4(src + 4, sc, m);
                    for (int j = 0; j < 8; j++) { o[2048 + 16 * j + r] = (uint8_t)sc[j]; o[2176 + 16 * j + r] = (uint8_t)m[j]; }
                    memcpy(o + 2304 + 2 * r, src, 2);
                    memcpy(o + 2336 + 2 * r, src + 2, 2);
                } else {
                    for (int h = 0; h < 2; h++)
                        for (int q = 0; q < 8; q++) {   // the order the kernel reads them: one stream
                            uint8_t *v = o + 192 * (8 * h + q) + 4 * r;
                            memcpy(v, src + 64 * h + 4 * q, 4);
                            memcpy(v + 64, src + 64 * h + 32 + 4 * q, 4);
                            memcpy(v + 128, src + 128 + 32 * h + 4 * q, 4);
                        }
                    for (int j = 0; j < 16; j++) o[3072 + 16 * j + r] = src[192 + j];
                    memcpy(o + 3328 + 2 * r, src + 208, 2);
                }
            }
        }
    }
    return 0;
}

#ifdef TROVE_X86
#define VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,fma,f16c")))
typedef struct { float d; int8_t qs[256]; int16_t bsums[16]; } BlockQ8K;

/// Four activations (one dword) in every lane.
VNNI static inline __m512i quad(const int8_t *q) { int32_t v; memcpy(&v, q, 4); return _mm512_set1_epi32(v); }

/// sum += (d·d_x)·isum − (dmin·d_x)·msum for 16 rows, in the operations of k_dot_portable.
VNNI static inline __m512 block_sum(__m512 sum, __m512 d, __m512 dmin, float dx, __m512i isum, __m512i msum, int has_min) {
    __m512 vdx = _mm512_set1_ps(dx);
    __m512 product = _mm512_mul_ps(_mm512_mul_ps(d, vdx), _mm512_cvtepi32_ps(isum));
    if (has_min) product = _mm512_sub_ps(product, _mm512_mul_ps(_mm512_mul_ps(dmin, vdx), _mm512_cvtepi32_ps(msum)));
    return _mm512_add_ps(sum, product);
}

/// 16 rows × N tokens (1…4) of Q4_K over `blocks` super-blocks: sum[t] lane r = row r · token t.
VNNI __attribute__((always_inline)) static inline void q4_k_rows16(int N, const uint8_t *w, const BlockQ8K *const x[4], int blocks,
                                                                 __m512 sum[4]) {
    const __m512i low = _mm512_set1_epi8(0x0f), high = _mm512_set1_epi8((char)0xf0);
    for (int t = 0; t < N; t++) sum[t] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++, w += Q4_K_RG_BYTES) {
        __m512i isum[4];
        for (int t = 0; t < N; t++) isum[t] = _mm512_setzero_si512();
        for (int c = 0; c < 4; c++) {
            __m512i accL[4], accH[4];
            for (int t = 0; t < N; t++) accL[t] = accH[t] = _mm512_setzero_si512();
            for (int q = 0; q < 8; q++) {
                __m512i v = _mm512_loadu_si512((const void *)(w + 64 * (8 * c + q)));
                __m512i u = _mm512_and_si512(v, low), u16 = _mm512_and_si512(v, high);   // u16 = 16·(high nibble)
                for (int t = 0; t < N; t++) {
                    accL[t] = _mm512_dpbusd_epi32(accL[t], u, quad(x[t][b].qs + 64 * c + 4 * q));
                    accH[t] = _mm512_dpbusd_epi32(accH[t], u16, quad(x[t][b].qs + 64 * c + 32 + 4 * q));
                }
            }
            __m512i sL = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(w + 2048 + 16 * (2 * c))));
            __m512i sH = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(w + 2048 + 16 * (2 * c + 1))));
            for (int t = 0; t < N; t++)
                isum[t] = _mm512_add_epi32(isum[t], _mm512_add_epi32(_mm512_mullo_epi32(accL[t], sL),
                                                                     _mm512_mullo_epi32(_mm512_srai_epi32(accH[t], 4), sH)));
        }
        __m512i msum[4];
        for (int t = 0; t < N; t++) msum[t] = _mm512_setzero_si512();
        for (int g = 0; g < 8; g++) {
            __m512i m = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(w + 2176 + 16 * g)));
            for (int t = 0; t < N; t++)
                msum[t] = _mm512_add_epi32(msum[t], _mm512_mullo_epi32(m, _mm512_set1_epi32(x[t][b].bsums[2 * g] + x[t][b].bsums[2 * g + 1])));
        }
        __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w + 2304)));
        __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w + 2336)));
        for (int t = 0; t < N; t++) sum[t] = block_sum(sum[t], d, dmin, x[t][b].d, isum[t], msum[t], 1);
    }
}

/// 16 rows × N tokens of Q6_K: u = low nibble | 2 high bits << 4, offset 32 taken off per group
/// through the activations' block sums (Σ_e (u_e − 32)·q_e = Σ u·q − 32·bsum_g).
VNNI __attribute__((always_inline)) static inline void q6_k_rows16(int N, const uint8_t *w, const BlockQ8K *const x[4], int blocks,
                                                                 __m512 sum[4]) {
    const __m512i nibble = _mm512_set1_epi8(0x0f), two = _mm512_set1_epi8(0x30);
    for (int t = 0; t < N; t++) sum[t] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++, w += Q6_K_RG_BYTES) {
        __m512i isum[4];
        for (int t = 0; t < N; t++) isum[t] = _mm512_setzero_si512();
        for (int h = 0; h < 2; h++) {
            for (int half = 0; half < 2; half++) {          // quads 4·half … 4·half + 3: groups 8h + 2k + half
                __m512i acc[4][4];
                for (int k = 0; k < 4; k++)
                    for (int t = 0; t < N; t++) acc[k][t] = _mm512_setzero_si512();
                for (int q = 4 * half; q < 4 * half + 4; q++) {
                    const uint8_t *v = w + 192 * (8 * h + q);
                    __m512i ql0 = _mm512_loadu_si512((const void *)v), ql1 = _mm512_loadu_si512((const void *)(v + 64));
                    __m512i qh = _mm512_loadu_si512((const void *)(v + 128));
                    __m512i u[4];
                    u[0] = _mm512_or_si512(_mm512_and_si512(ql0, nibble), _mm512_and_si512(_mm512_slli_epi16(qh, 4), two));
                    u[1] = _mm512_or_si512(_mm512_and_si512(ql1, nibble), _mm512_and_si512(_mm512_slli_epi16(qh, 2), two));
                    u[2] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql0, 4), nibble), _mm512_and_si512(qh, two));
                    u[3] = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(ql1, 4), nibble), _mm512_and_si512(_mm512_srli_epi16(qh, 2), two));
                    for (int k = 0; k < 4; k++)
                        for (int t = 0; t < N; t++)
                            acc[k][t] = _mm512_dpbusd_epi32(acc[k][t], u[k], quad(x[t][b].qs + 128 * h + 32 * k + 4 * q));
                }
                for (int k = 0; k < 4; k++) {
                    int g = 8 * h + 2 * k + half;
                    __m512i s = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(w + 3072 + 16 * g)));
                    for (int t = 0; t < N; t++) {
                        __m512i dot = _mm512_sub_epi32(acc[k][t], _mm512_set1_epi32(32 * x[t][b].bsums[g]));
                        isum[t] = _mm512_add_epi32(isum[t], _mm512_mullo_epi32(dot, s));
                    }
                }
            }
        }
        __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w + 3328)));
        for (int t = 0; t < N; t++) sum[t] = block_sum(sum[t], d, d, x[t][b].d, isum[t], isum[t], 0);
    }
}

/// Rows [begin, end) × tokens from the repacked groups: whole groups computed, only the asked
/// rows stored (a lane's value does not depend on the other lanes, so any split agrees).
/// out[t·ldo + (r − begin)]. Tokens in blocks whose activations stay in L2 while the groups pass.
/// No software prefetch: the groups are one sequential stream, which the hardware prefetcher
/// follows; prefetching ahead (into L1 or L2, a group or 4-150 KB ahead) measured 1.3-1.6× slower.
#define REPACKED_GEMM(NAME, KERNEL, BYTES)                                                                          \
    VNNI static void NAME(const uint8_t *packed, int blocks, const uint8_t *xq, size_t stride, int tokens, float *out, \
                          int ldo, int begin, int end) {                                                            \
        size_t group_bytes = (size_t)blocks * BYTES;                                                                \
        int token_block = (int)((256 * 1024) / ((size_t)blocks * TROVE_Q8_K_BLOCK_BYTES)) & ~3;                    \
        if (token_block < 4) token_block = 4;                                                                       \
        for (int t0 = 0; t0 < tokens; t0 += token_block) {                                                          \
            int t1 = tokens - t0 < token_block ? tokens : t0 + token_block;                                         \
            for (int g = begin / RG; g * RG < end; g++) {                                                           \
                const uint8_t *w = packed + (size_t)g * group_bytes;                                                \
                int lo = g * RG < begin ? begin - g * RG : 0, hi = (g + 1) * RG > end ? end - g * RG : RG;           \
                for (int t = t0; t < t1; t += 4) {                                                                  \
                    int N = t1 - t < 4 ? t1 - t : 4;                                                                \
                    const BlockQ8K *x[4];                                                                           \
                    for (int i = 0; i < 4; i++) x[i] = (const BlockQ8K *)(xq + (size_t)(t + (i < N ? i : 0)) * stride); \
                    __m512 sum[4];                                                                                  \
                    switch (N) {                                                                                    \
                    case 1: KERNEL(1, w, x, blocks, sum); break;                                                    \
                    case 2: KERNEL(2, w, x, blocks, sum); break;                                                    \
                    case 3: KERNEL(3, w, x, blocks, sum); break;                                                    \
                    default: KERNEL(4, w, x, blocks, sum); break;                                                   \
                    }                                                                                               \
                    for (int j = 0; j < N; j++) {                                                                   \
                        float lanes[RG];                                                                            \
                        _mm512_storeu_ps(lanes, sum[j]);                                                            \
                        for (int i = lo; i < hi; i++) out[(size_t)(t + j) * ldo + (g * RG + i - begin)] = lanes[i];  \
                    }                                                                                               \
                }                                                                                                   \
            }                                                                                                       \
        }                                                                                                           \
    }
REPACKED_GEMM(q4_k_repacked_gemm, q4_k_rows16, Q4_K_RG_BYTES)
REPACKED_GEMM(q6_k_repacked_gemm, q6_k_rows16, Q6_K_RG_BYTES)
#endif

int trove_has_repacked_q8_K_kernels(void) {
#ifdef TROVE_X86
    return trove_kernel_level() >= 6;
#else
    return 0;
#endif
}

int trove_gemm_q8_K_repacked(int type, const void *packed, int K, const void *xq, size_t xq_stride, int tokens, float *out,
                             int ldo, int row_begin, int row_end) {
#ifdef TROVE_X86
    if (trove_kernel_level() >= 6 && row_begin < row_end) {
        if (type == TROVE_Q4_K) { q4_k_repacked_gemm(packed, K / 256, xq, xq_stride, tokens, out + row_begin, ldo, row_begin, row_end); return 0; }
        if (type == TROVE_Q6_K) { q6_k_repacked_gemm(packed, K / 256, xq, xq_stride, tokens, out + row_begin, ldo, row_begin, row_end); return 0; }
    }
#endif
    (void)type; (void)packed; (void)K; (void)xq; (void)xq_stride; (void)tokens; (void)out; (void)ldo; (void)row_begin; (void)row_end;
    return -1;
}

int trove_matvec_q8_K_repacked(int type, const void *packed, int K, const void *xq, float *y, int row_begin, int row_end) {
#ifdef TROVE_X86
    if (trove_kernel_level() >= 6 && row_begin < row_end) {
        if (type == TROVE_Q4_K) { q4_k_repacked_gemm(packed, K / 256, xq, 0, 1, y, 0, row_begin, row_end); return 0; }
        if (type == TROVE_Q6_K) { q6_k_repacked_gemm(packed, K / 256, xq, 0, 1, y, 0, row_begin, row_end); return 0; }
    }
#endif
    (void)type; (void)packed; (void)K; (void)xq; (void)y; (void)row_begin; (void)row_end;
    return -1;
}
