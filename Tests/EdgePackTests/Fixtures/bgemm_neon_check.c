// Checks the aarch64 binary GEMM (Sources/CEdgePackSys/bgemm_neon.c) against scalar popcounts,
// built with aarch64-linux-gnu-gcc and run under qemu-aarch64 by BGemmNeonTests. Shapes cover
// the 4×4 tile and its row and column edges, odd word counts, one word, rows over one 16-bit
// counting block (1022 chunks), and all-ones against all-zeros (every count at its maximum).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "edgepack_bgemm.h"

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }

static int check(long m, long n, long words, int saturate) {
    const long ldc = n + 3;   // rows of the result apart by more than n: nothing past n is written
    uint64_t *a = malloc(sizeof *a * (size_t)(m * words + 1)), *b = malloc(sizeof *b * (size_t)(n * words + 1));
    int32_t *c = malloc(sizeof *c * (size_t)(m * ldc));
    for (long i = 0; i < m * words; i++) a[i] = saturate ? ~0ull : next();
    for (long i = 0; i < n * words; i++) b[i] = saturate ? 0 : next();
    for (long i = 0; i < m * ldc; i++) c[i] = -7;
    ep_bgemm_popcount(a, m, b, n, words, c, ldc);
    int bad = 0;
    for (long i = 0; i < m && !bad; i++)
        for (long j = 0; j < ldc && !bad; j++) {
            long want = -7;
            if (j < n) {
                want = 0;
                for (long w = 0; w < words; w++) want += __builtin_popcountll(a[i * words + w] ^ b[j * words + w]);
            }
            if (c[i * ldc + j] != want) {
                printf("%ldx%ldx%ld words%s: counts[%ld][%ld] = %d, want %ld\n", m, n, words,
                       saturate ? " (all ones)" : "", i, j, c[i * ldc + j], want);
                bad = 1;
            }
        }
    free(a); free(b); free(c);
    return bad;
}

int main(void) {
    static const long shapes[][3] = {
        {1, 1, 1}, {4, 4, 1}, {1, 5, 1}, {4, 4, 2}, {4, 4, 3}, {4, 4, 4}, {4, 4, 5}, {5, 9, 10}, {7, 13, 16},
        {3, 7, 2}, {2, 3, 9}, {8, 8, 6}, {8, 5, 7}, {64, 49, 9}, {1, 67, 64}, {13, 4, 33},
        {4, 4, 2044}, {4, 4, 2045}, {5, 6, 2046}, {6, 7, 2047}, {3, 5, 3125}, {9, 4, 4096},
    };
    int failures = 0;
    long checked = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int saturate = 0; saturate < 2; saturate++) {
            failures += check(shapes[s][0], shapes[s][1], shapes[s][2], saturate);
            checked++;
        }
    printf("%ld cases, %d failed\n", checked, failures);
    return failures != 0;
}
