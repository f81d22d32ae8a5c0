#include "CKernels.h"
#include "bf16_gemm.h"
#include "bf16_round.h"
#include "scratch.h"

// out (+)= op(A) · op(B) (+ bias) with both operands rounded to bf16, on Arm's FEAT_BF16 (Graviton3 and
// 4, Neoverse V1/V2, Apple M2 and later): `bfdot` adds to each fp32 lane one pair of bf16 products of a
// pair of W and a pair of A, the packed layout's words (bf16_gemm.h), so a register of W holds four
// columns' pairs and the lane form takes one row's pair from a register of A. Its arithmetic is not
// IEEE: without FEAT_EBF16 it flushes subnormals and rounds the pair's sum to odd before adding, so
// sums differ from AVX-512 BF16's and from the widened path's in their last bits, within the same
// bound (the tests state it). Operands are rounded to bf16 by bf16_round.h, nearest even, as on x86.
//   B, packed by bs_bf16_pack_b: plain C over the packed layout, once per weight for inference.
//   A, packed here: blocks of MC rows, in panels of MR = 4 rows holding, for every pair of k, the four
//     rows' words side by side: one load per pair feeds the lane form for all four rows.
// A tile of 4 rows × 16 columns keeps 16 accumulators over the whole of k; a block of A (MC rows) stays
// in L2 while each quarter panel of W passes it once.
#if defined(__aarch64__)
#include <arm_neon.h>
#include <string.h>

enum { MR = 4, NR = BF16_NR, MC = 64 };

// The packed word of a pair: bf16(even) in the low half, bf16(odd) in the high half.
static uint32_t pair_word(float even, float odd) { return (bf16_round_bits(even) >> 16) | bf16_round_bits(odd); }

void bs_bf16_pack_b(uint16_t *packed, const float *b, long ldb, int transposed, long n, long k, long panel_begin,
                    long panel_end) {
    long kp = bf16_pairs(k);
    uint32_t *words = (uint32_t *)packed;
    for (long panel = panel_begin; panel < panel_end && panel * NR < n; panel++) {
        uint32_t *base = words + panel * kp * NR;
        for (long column = 0; column < NR; column++) {
            long j = panel * NR + column;
            for (long p = 0; p < kp; p++) {
                float even = 0, odd = 0;
                if (j < n) {  // columns past n: zero, computed and never stored
                    even = transposed ? b[j * ldb + 2 * p] : b[2 * p * ldb + j];
                    if (2 * p + 1 < k) odd = transposed ? b[j * ldb + 2 * p + 1] : b[(2 * p + 1) * ldb + j];
                }
                base[p * NR + column] = pair_word(even, odd);
            }
        }
    }
}

// Rows 0..<rows of op(A) (MR rows; the others zero) into `panel`: word p·MR + r is row r's pair p.
// op(A)[r, k] is a[r·lda + k], or a[k·lda + r] when `transposed`.
static void pack_a_panel(uint32_t *panel, const float *a, long lda, int transposed, long rows, long k) {
    long kp = bf16_pairs(k);
    for (long r = 0; r < MR; r++) {
        for (long p = 0; p < kp; p++) {
            float even = 0, odd = 0;
            if (r < rows) {
                even = transposed ? a[2 * p * lda + r] : a[r * lda + 2 * p];
                if (2 * p + 1 < k) odd = transposed ? a[(2 * p + 1) * lda + r] : a[r * lda + 2 * p + 1];
            }
            panel[p * MR + r] = pair_word(even, odd);
        }
    }
}

#pragma clang attribute push(__attribute__((target("bf16"))), apply_to = function)

// Four fp32 of a tile's row, `columns` (≤ 4 are read) of them from `source`, the rest 0.
static inline float32x4_t load_partial(const float *source, long columns) {
    if (columns >= 4) return vld1q_f32(source);
    float lanes[4] = {0, 0, 0, 0};
    for (long c = 0; c < columns; c++) lanes[c] = source[c];
    return vld1q_f32(lanes);
}

static inline void store_partial(float *target, float32x4_t value, long columns) {
    if (columns >= 4) {
        vst1q_f32(target, value);
        return;
    }
    float lanes[4];
    vst1q_f32(lanes, value);
    for (long c = 0; c < columns; c++) target[c] = lanes[c];
}

// out tile (rows ≤ MR, columns ≤ 16, stride ldo) = start + Σ over kp pairs of the A panel × 16 columns of
// a W panel (pairs 2·NR bf16 apart), where start is the tile itself (`accumulate`), the bias, or 0.
static void tile(long kp, const uint32_t *a, const uint16_t *w, float *out, long ldo, long rows, long columns,
                 const float *bias, int accumulate) {
    float32x4_t acc[MR][4];
    for (int q = 0; q < 4; q++) {
        float32x4_t start = bias && !accumulate ? load_partial(bias + 4 * q, columns - 4 * q) : vdupq_n_f32(0);
        for (int r = 0; r < MR; r++) {
            acc[r][q] = accumulate && r < rows ? load_partial(out + r * ldo + 4 * q, columns - 4 * q) : start;
        }
    }
    for (long p = 0; p < kp; p++) {
        bfloat16x8_t rows_pair = vreinterpretq_bf16_u32(vld1q_u32(a + p * MR));
#pragma clang loop unroll(full)
        for (int q = 0; q < 4; q++) {
            bfloat16x8_t wq = vreinterpretq_bf16_u16(vld1q_u16(w + 8 * q));
            acc[0][q] = vbfdotq_laneq_f32(acc[0][q], wq, rows_pair, 0);
            acc[1][q] = vbfdotq_laneq_f32(acc[1][q], wq, rows_pair, 1);
            acc[2][q] = vbfdotq_laneq_f32(acc[2][q], wq, rows_pair, 2);
            acc[3][q] = vbfdotq_laneq_f32(acc[3][q], wq, rows_pair, 3);
        }
        w += 2 * NR;
    }
    for (int r = 0; r < rows; r++) {
        for (int q = 0; q < 4 && 4 * q < columns; q++) store_partial(out + r * ldo + 4 * q, acc[r][q], columns - 4 * q);
    }
}

void bs_bf16_gemm(float *out, long ldo, const float *a, long lda, int a_transposed, const uint16_t *packed,
                  const float *bias, long m, long k, long column_begin, long column_end, int accumulate) {
    if (m <= 0 || column_end <= column_begin) return;
    long kp = bf16_pairs(k);
    uint32_t *block = bs_thread_scratch((size_t)MC * kp * 4);
    for (long m0 = 0; m0 < m; m0 += MC) {
        long mc = m - m0 < MC ? m - m0 : MC;
        for (long r = 0; r < mc; r += MR) {
            const float *rows_start = a_transposed ? a + m0 + r : a + (m0 + r) * lda;
            pack_a_panel(block + r * kp, rows_start, lda, a_transposed, mc - r < MR ? mc - r : MR, k);
        }
        for (long j = column_begin; j < column_end; j += 16) {
            const uint16_t *w = packed + (j / NR) * kp * 2 * NR + (j % NR) * 2;
            long columns = column_end - j < 16 ? column_end - j : 16;
            for (long r = 0; r < mc; r += MR) {
                tile(kp, block + r * kp, w, out + (m0 + r) * ldo + j, ldo, mc - r < MR ? mc - r : MR, columns,
                     bias ? bias + j : NULL, accumulate);
            }
        }
    }
}
#pragma clang attribute pop
#endif
