// The K-quant block layouts (ggml's block_q2_K … block_q6_K) as small readers shared by the
// float kernels (KQuantKernels.c) and the integer ones (KQuantDotQ8K.c). Private to the target.
#ifndef TROVE_KQUANT_LAYOUT_H
#define TROVE_KQUANT_LAYOUT_H

#include "CKernels.h"
#include "KernelCommon.h"

/// Q4_K's and Q5_K's eight 6-bit scales and minimums packed in 12 bytes (ggml's get_scale_min_k4):
/// bytes 0–3 hold sc 0–3 (low 6 bits) and the top bits of sc 4–7, bytes 4–7 likewise m, bytes 8–11
/// the low nibbles of sc 4–7 (low) and m 4–7 (high).
static inline void scales_and_mins_k4(const uint8_t *s, int sc[8], int m[8]) {
    for (int i = 0; i < 4; i++) {
        sc[i] = s[i] & 63;
        m[i] = s[i + 4] & 63;
        sc[i + 4] = (s[i + 8] & 0x0f) | ((s[i] >> 2) & 0x30);
        m[i + 4] = (s[i + 8] >> 4) | ((s[i + 4] >> 2) & 0x30);
    }
}

/// Q3_K's sixteen 6-bit scales in 12 bytes: low nibbles in bytes 0–7 (scale i < 8 low, i ≥ 8
/// high nibble of byte i − 8), top two bits in bytes 8–11 (scale i: byte 8 + i%4, bits 2·(i/4)).
static inline int q3_k_scale(const uint8_t *s, int i) {
    int low = i < 8 ? s[i] & 0x0f : s[i - 8] >> 4;
    int high = (s[8 + i % 4] >> (2 * (i / 4))) & 3;
    return (low | high << 4) - 32;
}

static inline int group_size(int type) { return type == TROVE_Q4_K || type == TROVE_Q5_K ? 32 : 16; }

/// Element e's quantized value (with Q3_K's and Q6_K's offsets applied), straight from the layout.
static inline int k_value(int type, const uint8_t *b, int e) {
    int h = e / 128, k = (e % 128) / 32, j = e % 32;
    switch (type) {
    case TROVE_Q2_K: return (b[16 + 32 * h + j] >> (2 * k)) & 3;
    case TROVE_Q3_K: return ((b[32 + 32 * h + j] >> (2 * k)) & 3) - ((b[j] >> (4 * h + k)) & 1 ? 0 : 4);
    case TROVE_Q4_K: return (b[16 + 32 * (e / 64) + j] >> (e % 64 < 32 ? 0 : 4)) & 0x0f;
    case TROVE_Q5_K: return ((b[48 + 32 * (e / 64) + j] >> (e % 64 < 32 ? 0 : 4)) & 0x0f) | ((b[16 + j] >> (e / 32)) & 1) << 4;
    case TROVE_Q6_K:
        return (((b[64 * h + 32 * (k & 1) + j] >> (4 * (k >> 1))) & 0x0f) | ((b[128 + 32 * h + j] >> (2 * k)) & 3) << 4) - 32;
    }
    return 0;
}

/// Q4_K's/Q5_K's 6-bit scales (low 8 bytes) and minimums (high 8 bytes), unpacked four at a time
/// from the three 32-bit words of the 12 packed bytes (the byte-wise rule of scales_and_mins_k4).
static inline __attribute__((always_inline)) void scales_and_mins_k4_packed(const uint8_t *s, uint8_t out[16]) {
    uint32_t w0, w1, w2, v[4];
    memcpy(&w0, s, 4); memcpy(&w1, s + 4, 4); memcpy(&w2, s + 8, 4);
    v[0] = w0 & 0x3f3f3f3fu;                                              // sc 0–3
    v[1] = (w2 & 0x0f0f0f0fu) | ((w0 >> 2) & 0x30303030u);                // sc 4–7
    v[2] = w1 & 0x3f3f3f3fu;                                              // m 0–3
    v[3] = ((w2 >> 4) & 0x0f0f0f0fu) | ((w1 >> 2) & 0x30303030u);         // m 4–7
    memcpy(out, v, 16);
}

/// Bytes of one block of `type`.
static inline int k_block_bytes(int type) {
    return type == TROVE_Q2_K ? 84 : type == TROVE_Q3_K ? 110 : type == TROVE_Q4_K ? 144 : type == TROVE_Q5_K ? 176 : 210;
}

#ifdef TROVE_X86
/// The stored bits u of elements 32c ..< 32c + 32 (k_value without Q3_K's and Q6_K's offsets).
AVX2 __attribute__((always_inline)) static inline __m256i k_unsigned_avx2(int type, const uint8_t *b, int c) {
    const __m256i three = _mm256_set1_epi8(3), nibble = _mm256_set1_epi8(0x0f), one = _mm256_set1_epi8(1);
    int h = c / 4, k = c % 4;
    switch (type) {
    case TROVE_Q2_K:
        return _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(b + 16 + 32 * h)), 2 * k), three);
    case TROVE_Q3_K: {
        __m256i low = _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(b + 32 + 32 * h)), 2 * k), three);
        __m256i bit = _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)b), 4 * h + k), one);
        return _mm256_or_si256(low, _mm256_slli_epi16(bit, 2));
    }
    case TROVE_Q4_K:
        return _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(b + 16 + 32 * (c / 2))), 4 * (c & 1)), nibble);
    case TROVE_Q5_K: {
        __m256i low = _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(b + 48 + 32 * (c / 2))), 4 * (c & 1)), nibble);
        __m256i bit = _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(b + 16)), c), one);
        return _mm256_or_si256(low, _mm256_slli_epi16(bit, 4));
    }
    default: {   // Q6_K
        __m256i low = _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(b + 64 * h + 32 * (k & 1))), 4 * (k >> 1)), nibble);
        __m256i high = _mm256_and_si256(_mm256_srli_epi16(_mm256_loadu_si256((const __m256i *)(b + 128 + 32 * h)), 2 * k), three);
        return _mm256_or_si256(low, _mm256_slli_epi16(high, 4));
    }
    }
}
#endif

#endif
