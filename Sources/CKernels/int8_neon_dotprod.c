#include "CKernels.h"

// The int8 GEMM on NEON's dot product (FEAT_DotProd: Graviton2, Neoverse N1, Apple M1): `sdot` adds to
// each int32 lane the four products of a signed quad of W and a signed quad of A, the layout the packed
// weight already has, so a register of W (four columns' quads) meets a row's quad broadcast to every
// lane. A tile of 4 rows × 16 columns keeps 16 accumulators.
#if defined(__aarch64__)
#include "int8_neon.h"
#pragma clang attribute push(__attribute__((target("dotprod"))), apply_to = function)

enum { MR = 4 };

static void tile(long kq, const int8_t *a, long row_bytes, const int8_t *w, float *out, long ldo, long rows,
                 long columns, const float *row_scales, const float *scales, const float *bias) {
    int32x4_t acc[MR][4];
    for (int r = 0; r < MR; r++) {
        for (int q = 0; q < 4; q++) acc[r][q] = vdupq_n_s32(0);
    }
    for (long p = 0; p < kq; p++) {
        int8x16_t wv[4];
        for (int q = 0; q < 4; q++) wv[q] = vld1q_s8(w + 16 * q);
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            int8x16_t ar = neon_broadcast_quad(a + r * row_bytes, p);
#pragma clang loop unroll(full)
            for (int q = 0; q < 4; q++) acc[r][q] = vdotq_s32(acc[r][q], wv[q], ar);
        }
        w += 4 * INT8_NR;
    }
    for (int r = 0; r < rows; r++) neon_store_row(out + r * ldo, acc[r], scales, row_scales[r], bias, columns);
}

void bs_int8_gemm_neon_dotprod(BS_INT8_GEMM_ARGS) {
    neon_int8_gemm(out, ldo, a, lda, packed, scales, offsets, bias, m, k, column_begin, column_end, MR, tile);
}
#pragma clang attribute pop
#endif
