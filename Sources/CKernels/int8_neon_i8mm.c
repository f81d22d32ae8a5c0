#include "CKernels.h"

// The int8 GEMM on NEON's matrix multiply (FEAT_I8MM: Graviton3 and 4, Neoverse V1/V2, Apple M2 and
// later): `smmla` adds to a 2×2 int32 tile the products of two rows × eight k of A and two columns ×
// eight k of W, twice `sdot`'s multiply-adds per instruction. It reads eight k per column where the
// packed weight holds quads, so each pair of quads is interleaved on the fly (`zip1`/`zip2` of two
// quads' registers give two columns' eight bytes each); A's rows are padded to whole pairs of quads.
// A tile of 4 rows × 16 columns keeps 16 accumulators of 2×2.
#if defined(__aarch64__)
#include "int8_neon.h"
#pragma clang attribute push(__attribute__((target("i8mm"))), apply_to = function)

enum { MR = 4 };

// Both row pairs' products with columns 8h..8h+7 over one pair of quads: `first` and `second` hold the
// two quads' bytes of those columns (two registers each, four columns apiece).
static inline void multiply_pair(int32x4_t acc[2][8], int h, int8x16_t a01, int8x16_t a23, const int32x4_t first[2],
                                 const int32x4_t second[2]) {
#pragma clang loop unroll(full)
    for (int half = 0; half < 2; half++) {
        int8x16_t lo = vreinterpretq_s8_s32(vzip1q_s32(first[half], second[half]));
        int8x16_t hi = vreinterpretq_s8_s32(vzip2q_s32(first[half], second[half]));
        int c = 4 * h + 2 * half;
        acc[0][c] = vmmlaq_s32(acc[0][c], a01, lo);
        acc[1][c] = vmmlaq_s32(acc[1][c], a23, lo);
        acc[0][c + 1] = vmmlaq_s32(acc[0][c + 1], a01, hi);
        acc[1][c + 1] = vmmlaq_s32(acc[1][c + 1], a23, hi);
    }
}

static void tile(long kq, const int8_t *a, long row_bytes, const int8_t *w, float *out, long ldo, long rows,
                 long columns, const float *row_scales, const float *scales, const float *bias) {
    // acc[row pair][column pair], lanes (r0 c0, r0 c1, r1 c0, r1 c1).
    int32x4_t acc[2][8];
    for (int i = 0; i < 2; i++) {
        for (int c = 0; c < 8; c++) acc[i][c] = vdupq_n_s32(0);
    }
    for (long p = 0; p < kq; p += 2) {
        int8x16_t a01 = vcombine_s8(vld1_s8(a + 4 * p), vld1_s8(a + row_bytes + 4 * p));
        int8x16_t a23 = vcombine_s8(vld1_s8(a + 2 * row_bytes + 4 * p), vld1_s8(a + 3 * row_bytes + 4 * p));
        int has_second = p + 1 < kq;  // an odd last quad pairs with zeros, as A's padding does
#pragma clang loop unroll(full)
        for (int h = 0; h < 2; h++) {
            const int32_t *first = (const int32_t *)(w + 32 * h), *second = first + INT8_NR;
            int32x4_t quad0[2] = {vld1q_s32(first), vld1q_s32(first + 4)};
            int32x4_t quad1[2] = {vdupq_n_s32(0), vdupq_n_s32(0)};
            if (has_second) {
                quad1[0] = vld1q_s32(second);
                quad1[1] = vld1q_s32(second + 4);
            }
            multiply_pair(acc, h, a01, a23, quad0, quad1);
        }
        w += 8 * INT8_NR;
    }
    for (int r = 0; r < rows; r++) {
        int32x4_t sums[4];
        for (int q = 0; q < 4; q++) {
            int32x4_t left = acc[r / 2][2 * q], right = acc[r / 2][2 * q + 1];
            sums[q] = r % 2 == 0 ? vcombine_s32(vget_low_s32(left), vget_low_s32(right))
                                 : vcombine_s32(vget_high_s32(left), vget_high_s32(right));
        }
        neon_store_row(out + r * ldo, sums, scales, row_scales[r], bias, columns);
    }
}

void bs_int8_gemm_neon_i8mm(BS_INT8_GEMM_ARGS) {
    neon_int8_gemm(out, ldo, a, lda, packed, scales, offsets, bias, m, k, column_begin, column_end, MR, tile);
}
#pragma clang attribute pop
#endif
