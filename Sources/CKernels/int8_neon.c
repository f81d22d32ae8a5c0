#include "CKernels.h"

// The int8 GEMM on plain NEON (every ARMv8-A core, e.g. Cortex-A72 and Graviton1, which lack SDOT):
// `smull` multiplies eight int8 pairs into int16 and `sadalp` adds neighbouring products into int32
// lanes. A register of W holds four columns' quads; against a row's quad broadcast, the low half's
// products are columns 0 and 1, whose pairs `sadalp` sums into lanes (c0 k0+k1, c0 k2+k3, c1 …), so each
// four columns keep two accumulators, added pairwise (`addp`) at the end. A tile of 2 rows × 16 columns
// keeps 16 accumulators. Products fit int16 (|q| ≤ 127) and sums are exact as on every copy.
#if defined(__aarch64__)
#include "int8_neon.h"

enum { MR = 2 };

static void tile(long kq, const int8_t *a, long row_bytes, const int8_t *w, float *out, long ldo, long rows,
                 long columns, const float *row_scales, const float *scales, const float *bias) {
    int32x4_t acc[MR][8];
    for (int r = 0; r < MR; r++) {
        for (int i = 0; i < 8; i++) acc[r][i] = vdupq_n_s32(0);
    }
    for (long p = 0; p < kq; p++) {
        int8x16_t wv[4];
        for (int q = 0; q < 4; q++) wv[q] = vld1q_s8(w + 16 * q);
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            int8x16_t ar = neon_broadcast_quad(a + r * row_bytes, p);
#pragma clang loop unroll(full)
            for (int q = 0; q < 4; q++) {
                acc[r][2 * q] = vpadalq_s16(acc[r][2 * q], vmull_s8(vget_low_s8(wv[q]), vget_low_s8(ar)));
                acc[r][2 * q + 1] = vpadalq_s16(acc[r][2 * q + 1], vmull_high_s8(wv[q], ar));
            }
        }
        w += 4 * INT8_NR;
    }
    for (int r = 0; r < rows; r++) {
        int32x4_t sums[4];
        for (int q = 0; q < 4; q++) sums[q] = vpaddq_s32(acc[r][2 * q], acc[r][2 * q + 1]);
        neon_store_row(out + r * ldo, sums, scales, row_scales[r], bias, columns);
    }
}

void bs_int8_gemm_neon(BS_INT8_GEMM_ARGS) {
    neon_int8_gemm(out, ldo, a, lda, packed, scales, offsets, bias, m, k, column_begin, column_end, MR, tile);
}
#endif
