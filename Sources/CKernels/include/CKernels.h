// CKernels: the quantized row kernels of Trove's decoder, in C because Swift 6.3's SIMD
// integer-to-float conversions do not lower to vector instructions (see Benchmarks/decoder).
//
// Each kernel has a portable C version and AVX2+FMA+F16C and AVX-512 versions chosen once at
// run time (__builtin_cpu_supports). All dequantise exactly (ggml's formulas) and accumulate
// in float32; the Swift scalar twins in Tensors/Quantized are the reference in tests.
#ifndef TROVE_CKERNELS_H
#define TROVE_CKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The quantized block types the kernels handle, by ggml type id.
enum {
    TROVE_Q4_0 = 2,
    TROVE_Q4_1 = 3,
    TROVE_Q5_0 = 6,
    TROVE_Q5_1 = 7,
    TROVE_Q8_0 = 8,
    TROVE_Q2_K = 10,
    TROVE_Q3_K = 11,
    TROVE_Q4_K = 12,
    TROVE_Q5_K = 13,
    TROVE_Q6_K = 14,
};

/// y[r - row_begin] = dot(row r, x) for r in [row_begin, row_end): rows of `columns` weights
/// (a multiple of the type's block: 32, or 256 for the K-quants) in `type`'s blocks, `row_bytes` apart from `base`. Returns 0, or -1 for
/// an unknown type.
int trove_matvec(int type, const void *base, size_t row_bytes, int columns,
                 const float *x, float *y, int row_begin, int row_end);

/// out[t·ldo + n] = Σ_k x[t·ldx + k] · W[n][k] for t < tokens and n in
/// [row_begin, row_end): the prefill product with a weight of `type` (0 = F32, or a block
/// type) whose rows of K weights are `row_bytes` apart. Each element is one sequential FMA chain
/// over k, so any split of the rows between threads gives the same result. Returns 0, or -1.
int trove_gemm_quantized(int type, const void *base, size_t row_bytes, int K,
                         const float *x, int ldx, int tokens, float *out, int ldo,
                         int row_begin, int row_end);

/// Dequantises `count` weights (a multiple of the type's block) of `type` at `blocks` into `out`.
/// Returns 0, or -1 for an unknown type.
int trove_dequantize(int type, const void *blocks, float *out, int count);

/// Which instruction set the kernels chose: 0 portable C, 2 AVX2, 5 AVX-512, 6 AVX-512 with VNNI.
int trove_kernel_level(void);

/// Forces a level (0, 2, 5 or 6, capped at what the CPU supports), for tests of each path.
void trove_set_kernel_level(int level);

/// Whether the CPU has the AVX-512 of level 5, whatever level a test forced: the encoder's
/// kernels choose by it (through trove_encoder_avx512), because their AVX-512 and fallback paths
/// round differently, and an embedding must not change while another test forces the decoder's level.
int trove_cpu_has_avx512(void);

// ---------------------------------------------------------------- 8-bit activations (Q8_K)
//
// What llama.cpp does at run time for the K-quants: the activation vector is quantised once per
// product to Q8_K (ggml's block_q8_K: float d, int8 qs[256], int16 bsums[16] = Σ of each 16 qs;
// x ≈ d·qs) and each weight row is multiplied in integer arithmetic, its group scales applied per
// group and d·d_x once per block. Faster, and no longer the exactly dequantised model: x is rounded.

/// Bytes of one Q8_K block (256 activations).
enum { TROVE_Q8_K_BLOCK_BYTES = 292 };

/// Quantises `count` floats (a multiple of 256) to Q8_K blocks at `out`, exactly as ggml's
/// quantize_row_q8_K_ref: per block d = max/−127 with max the element of largest |x|,
/// qs = nearest_int(x/d) (ties to even), bsums the sums of each 16 qs.
void trove_quantize_q8_K(const float *x, void *out, int count);

/// Whether `type` has the integer kernels (the K-quants Q2_K…Q6_K).
int trove_has_q8_K_kernels(int type);

/// y[r − row_begin] = Σ W[r]·x for r in [row_begin, row_end): trove_matvec with x given as
/// `columns` activations quantised by trove_quantize_q8_K. Returns 0, or -1 for a type without
/// integer kernels.
int trove_matvec_q8_K(int type, const void *base, size_t row_bytes, int columns,
                      const void *xq, float *y, int row_begin, int row_end);

/// out[t·ldo + n] = Σ W[n]·x_t for t < tokens and n in [row_begin, row_end), x_t the Q8_K row of
/// token t at xq + t·xq_stride bytes. Each element is computed exactly as trove_matvec_q8_K
/// computes it (the same operations, whatever the tiling), so prefill and decode agree and any
/// split of the rows between threads gives the same result. Returns 0, or -1.
int trove_gemm_q8_K(int type, const void *base, size_t row_bytes, int K,
                    const void *xq, size_t xq_stride, int tokens, float *out, int ldo,
                    int row_begin, int row_end);

// Q4_K and Q6_K repacked at load for AVX-512 VNNI (KQuantRepacked.c): 16 rows interleaved per
// group, so that vpdpbusd multiplies four elements of 16 rows at once. Each row's value equals
// trove_matvec_q8_K's portable path bit for bit (and the repacked prefill's), at any row split.

/// Bytes of `rows` × `K` weights of `type` repacked, or 0 when they cannot be (not Q4_K or Q6_K,
/// or rows not a multiple of 16).
size_t trove_repacked_q8_K_bytes(int type, int rows, int K);

/// Repacks row groups [group_begin, group_end) (16 rows each) of the row-major matrix at `base`
/// into `out` (trove_repacked_q8_K_bytes bytes for the whole matrix). Returns 0, or -1.
int trove_repack_q8_K(int type, const void *base, size_t row_bytes, int K, void *out, int group_begin, int group_end);

/// Whether the CPU (at the current kernel level) runs the repacked products (level 6: VNNI).
int trove_has_repacked_q8_K_kernels(void);

/// trove_matvec_q8_K on repacked weights: y[r − row_begin] for r in [row_begin, row_end).
/// Returns 0, or -1 when the level has no repacked kernels (then use the row-major weights).
int trove_matvec_q8_K_repacked(int type, const void *packed, int K, const void *xq, float *y, int row_begin, int row_end);

/// trove_gemm_q8_K on repacked weights: out[t·ldo + n] for n in [row_begin, row_end). Returns 0, or -1.
int trove_gemm_q8_K_repacked(int type, const void *packed, int K, const void *xq, size_t xq_stride, int tokens, float *out,
                             int ldo, int row_begin, int row_end);

// ---------------------------------------------------------------- the decode step's attention
// (DecoderAttention.c) over a float32 KV cache: rows of keys or values `stride` floats apart.

/// scores[t] = scale · q·k_t for t < count (hd floats each).
void trove_attention_scores_f32(const float *q, const float *keys, size_t stride, int count, int hd, float scale, float *scores);

/// out[i] = Σ_t p[t]·v_t[i] for i < hd, one fused multiply-add per position, positions in order.
void trove_attention_values_f32(const float *p, const float *values, size_t stride, int count, int hd, float *out);

// ---------------------------------------------------------------- the encoder's linear layers
// (EncoderInt8.c, EncoderBF16.c): out[t][n] = Σ_k x[t][k]·W[n][k] + bias[n] for many tokens,
// with W packed once at load time in panels of 32 rows. `accumulate` adds the result to `out`
// (a residual connection) instead of storing it. Rows [row_begin, row_end) are computed (row_begin
// a multiple of 32), so threads may split them; each element is computed by one thread.

#include <stdint.h>

/// Weights per scale of the int8 encoder weights (along k).
enum { TROVE_I8_GROUP = 64 };

/// Bytes of the packed int8 weights of [N, K] (K a multiple of TROVE_I8_GROUP).
size_t trove_i8_packed_bytes(int N, int K);

/// Packs int8 weights q [N, K] (values in [-127, 127]) with their scales [N, K/64] (w ≈ scale·q).
void trove_i8_pack(const int8_t *q, const float *scales, int N, int K, void *packed);

/// Quantises activation rows x [tokens, K] (row stride ldx) in groups of 64:
/// scales[t][g] = max|x[t][g·64 ..< (g+1)·64]| / 127, u[t][k] = round_half_even(x[t][k] / scales[t][g]) + 128,
/// so u is in [1, 255] (128 for a zero group). scales is [tokens, K/64].
void trove_i8_quantize_rows(const float *x, int ldx, int tokens, int K, uint8_t *u, float *scales);

/// out[t][n] (+)= Σ_g (sx[t][g] · s_w[n][g]) · Σ_{k∈g} (u[t][k] − 128)·q[n][k] + bias[n] (bias may be NULL).
void trove_i8_gemm(const void *packed, int N, int K, const uint8_t *u, const float *sx, int tokens,
                   const float *bias, float *out, int ldo, int accumulate, int row_begin, int row_end);

/// 0 portable C, 2 AVX2 (vpmaddubsw), 5 AVX-512 VNNI (vpdpbusd).
int trove_i8_level(void);
/// Forces an int8 level (capped at what the CPU supports), for tests of each path.
void trove_set_i8_level(int level);

/// Bytes of the packed bf16 weights of [N, K] (K even).
size_t trove_bf16_packed_bytes(int N, int K);
/// Rounds W [N, K] to bf16 (nearest even) and packs it.
void trove_bf16_pack(const float *w, int N, int K, void *packed);
/// Rounds activation rows x [tokens, K] (row stride ldx) to bf16 (nearest even) into h [tokens, K].
void trove_bf16_convert_rows(const float *x, int ldx, int tokens, int K, uint16_t *h);
/// out[t][n] (+)= Σ_k h[t][k]·W[n][k] + bias[n], products exact, sums float32.
void trove_bf16_gemm(const void *packed, int N, int K, const uint16_t *h, int tokens,
                     const float *bias, float *out, int ldo, int accumulate, int row_begin, int row_end);
/// 0 portable C, 5 AVX-512 BF16 (vdpbf16ps).
int trove_bf16_level(void);
/// 1 when the CPU has AVX-512 BF16.
int trove_bf16_hardware(void);
/// Forces a bf16 level (capped at what the CPU supports), for tests of each path.
void trove_set_bf16_level(int level);

/// Bytes of the packed float32 weights of [N, K] (EncoderF32.c: panels of trove_f32_panel_rows() rows).
size_t trove_f32_packed_bytes(int N, int K);
/// Rows of W per panel (48): a split of the rows between threads starts on a multiple of it.
int trove_f32_panel_rows(void);
/// Packs W [N, K] (row-major, PyTorch's [out, in]) into panels, [K][48] floats each, zero-padded.
void trove_f32_pack(const float *w, int N, int K, void *packed);
/// out[t·ldo + n] (+)= (Σ_k x[t·ldx + k]·W[n][k]) + bias[n] for n in [row_begin, row_end) (row_begin a
/// multiple of the panel rows; bias may be NULL): one fmaf chain per element, k in order, so any
/// split or batch gives the same bits, and level 0 gives level 5's (without `gelu`). With `gelu`, GELU of that is
/// stored instead (not with `accumulate`): at level 5 the bits of trove_gelu_inplace after the
/// product. level: 5 AVX-512, else portable C.
void trove_f32_gemm(const void *packed, int N, int K, const float *x, int ldx, int tokens,
                    const float *bias, float *out, int ldo, int accumulate, int gelu, int row_begin, int row_end, int level);
/// Whether the encoder's AVX-512 kernels run (fp32 linear layers, fused attention, GELU): the CPU
/// has AVX-512 (trove_cpu_has_avx512) and trove_encoder_disable_avx512 was not called.
int trove_encoder_avx512(void);
/// Makes the encoder take its AVX2 paths (OpenBLAS sgemm, sgemm attention, 8-lane GELU) from now
/// on, for measuring an AVX2-only CPU on an AVX-512 one (EncoderBench --kernels avx2). Call it
/// before loading a model: layers already packed for AVX-512 stay so.
void trove_encoder_disable_avx512(void);

/// GELU (erf form, Abramowitz & Stegun 7.1.26) of `count` floats in place with AVX-512 (EncoderActivations.c).
/// Returns 1, or 0 without touching x where AVX-512 is not available (the caller's own loop runs).
int trove_gelu_inplace(float *x, int count);

/// Floats of scratch `trove_attention_head` needs for n tokens and head size d.
size_t trove_attention_scratch_floats(int n, int d);
/// One head of self-attention over n tokens, float32: out[i] = Σ_j softmax_j(q_i·k_j · scale) · v_j,
/// where q_i, k_i, v_i are d floats at q, k, v + i·stride and out[i] is d floats at out + i·ldo
/// (EncoderAttention.c: fused AVX-512 for d = 32, portable C otherwise).
void trove_attention_head(const float *q, const float *k, const float *v, int stride, int n, int d, float scale,
                          float *out, int ldo, float *scratch);

#ifdef __cplusplus
}
#endif

#endif
