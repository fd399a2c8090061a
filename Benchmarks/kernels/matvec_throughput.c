// Weights per second of CKernels' decode-path matvec (trove_matvec) for every block type, at each
// instruction-set level, on one thread: a 128 × 1536 matrix (in cache: the kernels' own speed) and
// a 1536 × 1536 one (L2/L3). Built and run by run.sh beside it; best of 30 runs.
#include "CKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static const struct { int type; const char *name; int block, bytes, half_fields[2]; } types[] = {
    {TROVE_Q4_0, "Q4_0", 32, 18, {0, -1}}, {TROVE_Q4_1, "Q4_1", 32, 20, {0, 2}}, {TROVE_Q8_0, "Q8_0", 32, 34, {0, -1}},
    {TROVE_Q5_0, "Q5_0", 32, 22, {0, -1}}, {TROVE_Q5_1, "Q5_1", 32, 24, {0, 2}},
    {TROVE_Q2_K, "Q2_K", 256, 84, {80, 82}}, {TROVE_Q3_K, "Q3_K", 256, 110, {108, -1}}, {TROVE_Q4_K, "Q4_K", 256, 144, {0, 2}},
    {TROVE_Q5_K, "Q5_K", 256, 176, {0, 2}}, {TROVE_Q6_K, "Q6_K", 256, 210, {208, -1}},
};

int main(void) {
    const int columns = 1536, shapes[] = {128, 1536};
    unsigned char *w = malloc((size_t)1536 * columns * 2);
    float *x = malloc(sizeof(float) * columns), *y = malloc(sizeof(float) * 1536);
    for (int i = 0; i < columns; i++) x[i] = (float)(i % 7) - 3;
    printf("%-6s %-5s %12s %12s   (G weights/s, one thread)\n", "level", "type", "128x1536", "1536x1536");
    for (int level = 0; level <= 5; level += level == 0 ? 2 : 3) {
        trove_set_kernel_level(level);
        if (trove_kernel_level() != level) continue;
        for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
            size_t row_bytes = (size_t)columns / types[t].block * types[t].bytes;
            // Random bytes are valid blocks once the f16 scales are finite (0x2000 ≈ 0.0078).
            for (size_t i = 0; i < row_bytes * 1536; i++) w[i] = (unsigned char)((i * 2654435761u) >> 13);
            for (size_t b = 0; b < row_bytes * 1536 / types[t].bytes; b++)
                for (int f = 0; f < 2 && types[t].half_fields[f] >= 0; f++) {
                    w[b * types[t].bytes + types[t].half_fields[f]] = 0;
                    w[b * types[t].bytes + types[t].half_fields[f] + 1] = 0x20;
                }
            printf("%-6d %-5s", level, types[t].name);
            for (int s = 0; s < 2; s++) {
                double best = 1e9;
                for (int rep = 0; rep < 30; rep++) {
                    double start = seconds();
                    trove_matvec(types[t].type, w, row_bytes, columns, x, y, 0, shapes[s]);
                    double elapsed = seconds() - start;
                    if (elapsed < best) best = elapsed;
                }
                printf(" %12.2f", (double)shapes[s] * columns / best / 1e9);
            }
            printf("\n");
        }
    }
    return 0;
}
