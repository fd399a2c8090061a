// Rows of the block types in BlockKernels.h: the decode-path matvec and dequantisation, through
// each type's kernels at the chosen instruction-set level.
#include "CKernels.h"
#include "BlockKernels.h"
#include <stdlib.h>

const BlockKernels *block_kernels(int type) {
    switch (type) {
    case TROVE_Q5_0: return &q5_0_kernels;
    case TROVE_Q5_1: return &q5_1_kernels;
    case TROVE_Q2_K: return &q2_k_kernels;
    case TROVE_Q3_K: return &q3_k_kernels;
    case TROVE_Q4_K: return &q4_k_kernels;
    case TROVE_Q5_K: return &q5_k_kernels;
    case TROVE_Q6_K: return &q6_k_kernels;
    default: return NULL;
    }
}

/// The portable dot: each block dequantised exactly, then multiplied in eight running sums.
static float dot_portable(const BlockKernels *k, const uint8_t *row, const float *x, int columns) {
    float w[256], acc[8] = {0};
    for (int b = 0; b < columns / k->block_size; b++) {
        k->dequantize_portable(row + (size_t)b * k->block_bytes, w);
        const float *xb = x + b * k->block_size;
        for (int j = 0; j < k->block_size; j++) acc[j & 7] += w[j] * xb[j];
    }
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
}

int block_kernels_matvec(const BlockKernels *k, const uint8_t *rows, size_t row_bytes, int columns,
                         const float *x, float *y, int row_begin, int row_end, int level) {
#ifdef TROVE_X86
    if (level >= 2) {
        // Σ x per group, once per call; groups are ≥ 16 elements, so 4096 cover rows of 65536.
        float stack[4096], *sums = stack;
        int groups = k->sum_group ? columns / k->sum_group : 0;
        if (groups > 4096 && !(sums = malloc(sizeof(float) * (size_t)groups))) return -1;
        if (groups) group_sums(x, columns, k->sum_group, sums);
        int blocks = columns / k->block_size;
        float (*dot)(const uint8_t *, const float *, const float *, int) = level >= 5 ? k->dot_avx512 : k->dot_avx2;
        int r = row_begin;
        if (level >= 5)
            for (; r + 2 <= row_end; r += 2) {
                prefetch_rows(rows, row_bytes, r + PREFETCH_DISTANCE, 2, row_end);
                k->dot2_avx512(rows + (size_t)r * row_bytes, rows + (size_t)(r + 1) * row_bytes, x, sums, blocks, y + (r - row_begin));
            }
        for (; r < row_end; r++) {
            prefetch_rows(rows, row_bytes, r + PREFETCH_DISTANCE, 1, row_end);
            y[r - row_begin] = dot(rows + (size_t)r * row_bytes, x, sums, blocks);
        }
        if (sums != stack) free(sums);
        return 0;
    }
#endif
    (void)level;
    for (int r = row_begin; r < row_end; r++) y[r - row_begin] = dot_portable(k, rows + (size_t)r * row_bytes, x, columns);
    return 0;
}

void block_kernels_dequantize(const BlockKernels *k, const uint8_t *blocks, float *out, int count, int level) {
    void (*dequantize)(const uint8_t *, float *) = k->dequantize_portable;
#ifdef TROVE_X86
    if (level >= 5) dequantize = k->dequantize_avx512;
    else if (level >= 2) dequantize = k->dequantize_avx2;
#endif
    (void)level;
    for (int b = 0; b < count / k->block_size; b++)
        dequantize(blocks + (size_t)b * k->block_bytes, out + (size_t)b * k->block_size);
}
