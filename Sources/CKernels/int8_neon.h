#ifndef BS_INT8_NEON_H
#define BS_INT8_NEON_H
// Row quantisation, the output epilogue and the blocking on NEON, for the three arm64 copies of the int8
// GEMM (int8_neon*.c). Same arithmetic as int8_gemm.h states: the products are signed × signed, so the
// rows stay int8 (no +128 and no offsets, unlike x86's `vpdpbusd`) and the int32 sums are the same
// exact sums. Conversions round to nearest even (`fcvtns`, as lrintf) and saturate (`sqxtn`), as
// int8_quantize does; the epilogue is one conversion, one product of the scales and one fused
// multiply-add, as in every copy.
#include "int8_gemm.h"
#include "scratch.h"
#include <arm_neon.h>
#include <math.h>
#include <string.h>

static inline float neon_max_abs(const float *x, long k) {
    float32x4_t m = vdupq_n_f32(0);
    long i = 0;
    for (; i + 4 <= k; i += 4) m = vmaxq_f32(m, vabsq_f32(vld1q_f32(x + i)));
    float largest = vmaxvq_f32(m);
    for (; i < k; i++) largest = fmaxf(largest, fabsf(x[i]));
    return largest;
}

// dst[0..<k] = round(src · 127 / max|src|) saturated to int8; dst[k..<padded] = 0. Returns the row's scale.
static inline float neon_quantize_row(int8_t *dst, const float *src, long k, long padded) {
    float inverse, row_scale = int8_row_scale(neon_max_abs(src, k), &inverse);
    float32x4_t scale = vdupq_n_f32(inverse);
    long i = 0;
    for (; i + 8 <= k; i += 8) {
        int32x4_t q0 = vcvtnq_s32_f32(vmulq_f32(vld1q_f32(src + i), scale));
        int32x4_t q1 = vcvtnq_s32_f32(vmulq_f32(vld1q_f32(src + i + 4), scale));
        vst1_s8(dst + i, vqmovn_s16(vcombine_s16(vqmovn_s32(q0), vqmovn_s32(q1))));
    }
    for (; i < k; i++) dst[i] = int8_quantize(src[i], inverse);
    memset(dst + k, 0, (size_t)(padded - k));
    return row_scale;
}

// out[0..<columns] (at most 4 are written) = fma((float)sums, scales · row_scale, bias or 0).
static inline void neon_store_outputs(float *out, int32x4_t sums, const float *scales, float row_scale,
                                      const float *bias, long columns) {
    if (columns >= 4) {
        float32x4_t start = bias ? vld1q_f32(bias) : vdupq_n_f32(0);
        vst1q_f32(out, vfmaq_f32(start, vcvtq_f32_s32(sums), vmulq_n_f32(vld1q_f32(scales), row_scale)));
        return;
    }
    int32_t lanes[4];
    vst1q_s32(lanes, sums);
    for (long c = 0; c < columns; c++) out[c] = fmaf((float)lanes[c], scales[c] * row_scale, bias ? bias[c] : 0.0f);
}

// One row of a tile: out[0..<columns] (≤ 16) from four registers of sums, four columns each.
static inline void neon_store_row(float *out, const int32x4_t sums[4], const float *scales, float row_scale,
                                  const float *bias, long columns) {
    for (int q = 0; q < 4 && 4 * q < columns; q++) {
        neon_store_outputs(out + 4 * q, sums[q], scales + 4 * q, row_scale, bias ? bias + 4 * q : NULL, columns - 4 * q);
    }
}

// A tile of out (rows ≤ the copy's MR, columns ≤ 16) from the copy's MR quantised rows (`row_bytes`
// apart, rows past `rows` read but not stored) and 16 columns of a panel of W (quads 4·INT8_NR bytes
// apart), over kq quads.
typedef void (*neon_int8_tile)(long kq, const int8_t *a, long row_bytes, const int8_t *w, float *out, long ldo,
                               long rows, long columns, const float *row_scales, const float *scales,
                               const float *bias);

enum { NEON_MC = 192 };

// The blocking the copies share: MC rows of A quantised at a time, each padded with zeros to a whole
// pair of quads (8 bytes, what `smmla` reads), then for each quarter panel of 16 columns, tiles of `mr`
// rows. MC is a multiple of every copy's MR, so a last short tile's extra rows lie inside the block.
static inline __attribute__((always_inline)) void neon_int8_gemm(BS_INT8_GEMM_ARGS, long mr, neon_int8_tile tile) {
    (void)offsets;
    if (m <= 0 || column_end <= column_begin) return;
    long kq = int8_quads(k), row_bytes = (kq + 1) / 2 * 8;
    int8_t *block = bs_thread_scratch((size_t)NEON_MC * row_bytes + NEON_MC * sizeof(float));
    float *row_scales = (float *)(block + NEON_MC * row_bytes);
    for (long m0 = 0; m0 < m; m0 += NEON_MC) {
        long mc = m - m0 < NEON_MC ? m - m0 : NEON_MC;
        for (long r = 0; r < mc; r++) {
            row_scales[r] = neon_quantize_row(block + r * row_bytes, a + (m0 + r) * lda, k, row_bytes);
        }
        for (long j = column_begin; j < column_end; j += 16) {
            const int8_t *w = packed + (j / INT8_NR) * kq * 4 * INT8_NR + (j % INT8_NR) * 4;
            long columns = column_end - j < 16 ? column_end - j : 16;
            for (long r = 0; r < mc; r += mr) {
                tile(kq, block + r * row_bytes, row_bytes, w, out + (m0 + r) * ldo + j, ldo, mc - r < mr ? mc - r : mr,
                     columns, row_scales + r, scales + j, bias ? bias + j : NULL);
            }
        }
    }
}

// A row's quad p, four bytes, in every 32-bit lane.
static inline int8x16_t neon_broadcast_quad(const int8_t *row, long p) {
    int32_t word;
    memcpy(&word, row + 4 * p, sizeof word);
    return vreinterpretq_s8_s32(vdupq_n_s32(word));
}

#endif
