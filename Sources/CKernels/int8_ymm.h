#ifndef BS_INT8_YMM_H
#define BS_INT8_YMM_H
// Row quantisation and the output epilogue on 256-bit registers, for the AVX2 and AVX-VNNI copies of
// the int8 GEMM (included inside their target regions). Same arithmetic as int8_gemm.h states; the
// scalar tails use int8_quantize, which rounds as the vector conversion does (nearest even).
#include "int8_gemm.h"
#include "scratch.h"
#include <immintrin.h>
#include <math.h>
#include <string.h>

static float ymm_max_abs(const float *x, long k) {
    __m256 sign = _mm256_set1_ps(-0.0f), m = _mm256_setzero_ps();
    long i = 0;
    for (; i + 8 <= k; i += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)));
    float lanes[8];
    _mm256_storeu_ps(lanes, m);
    float largest = 0;
    for (int l = 0; l < 8; l++) largest = fmaxf(largest, lanes[l]);
    for (; i < k; i++) largest = fmaxf(largest, fabsf(x[i]));
    return largest;
}

// dst[0..<k] = round(src · 127 / max|src|) saturated to int8, plus `offset` (0, or 128 for unsigned
// bytes); dst[k..<padded] = offset. Returns the row's scale.
static float ymm_quantize_row(uint8_t *dst, const float *src, long k, long padded, int offset) {
    float inverse, row_scale = int8_row_scale(ymm_max_abs(src, k), &inverse);
    __m256 scale = _mm256_set1_ps(inverse);
    __m128i shift = _mm_set1_epi8((char)offset);
    long i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256i q = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(src + i), scale));
        __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
        __m128i bytes = _mm_add_epi8(_mm_packs_epi16(words, words), shift);
        _mm_storel_epi64((__m128i *)(dst + i), bytes);
    }
    for (; i < k; i++) dst[i] = (uint8_t)(int8_quantize(src[i], inverse) + offset);
    memset(dst + k, offset, (size_t)(padded - k));
    return row_scale;
}

// Lanes below `count` (0 to 8) set, for masked loads and stores.
static __m256i ymm_first_lanes(long count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)(count < 0 ? 0 : count > 8 ? 8 : count)),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// out[0..<columns] (≤ 8) = fma((float)sums, scales · row_scale, bias or 0).
static inline void ymm_store_outputs(float *out, __m256i sums, const float *scales, float row_scale, const float *bias,
                                     long columns) {
    __m256i mask = ymm_first_lanes(columns);
    __m256 scale = _mm256_mul_ps(_mm256_maskload_ps(scales, mask), _mm256_set1_ps(row_scale));
    __m256 start = bias ? _mm256_maskload_ps(bias, mask) : _mm256_setzero_ps();
    _mm256_maskstore_ps(out, mask, _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), scale, start));
}

#endif

// One row of a tile: out[0..<columns] (≤ 16) from two registers of sums.
static inline void ymm_store_row(float *out, __m256i sums0, __m256i sums1, const float *scales, float row_scale,
                                 const float *bias, long columns) {
    ymm_store_outputs(out, sums0, scales, row_scale, bias, columns);
    ymm_store_outputs(out + 8, sums1, scales + 8, row_scale, bias ? bias + 8 : NULL, columns - 8);
}

// A tile of out (rows ≤ the copy's MR, columns ≤ 16) from `rows` quantised rows (`row_words` words
// apart) and 16 columns of a panel of W (quads 4·INT8_NR bytes apart), over kq quads.
typedef void (*ymm_int8_tile)(long kq, const uint32_t *a, long row_words, const int8_t *w, float *out, long ldo,
                              long rows, long columns, const float *row_scales, const float *scales,
                              const int32_t *offsets, const float *bias);

enum { YMM_MC = 192 };

// The blocking both 256-bit copies share: MC rows of A quantised at a time (with `offset` added), then
// for each half panel of 16 columns, tiles of `mr` rows.
static inline __attribute__((always_inline)) void ymm_int8_gemm(BS_INT8_GEMM_ARGS, long mr, int offset,
                                                                 ymm_int8_tile tile) {
    if (m <= 0 || column_end <= column_begin) return;
    long kq = int8_quads(k);
    uint32_t *block = bs_thread_scratch((size_t)YMM_MC * kq * 4 + YMM_MC * sizeof(float));
    float *row_scales = (float *)(block + YMM_MC * kq);
    for (long m0 = 0; m0 < m; m0 += YMM_MC) {
        long mc = m - m0 < YMM_MC ? m - m0 : YMM_MC;
        for (long r = 0; r < mc; r++) {
            row_scales[r] = ymm_quantize_row((uint8_t *)(block + r * kq), a + (m0 + r) * lda, k, kq * 4, offset);
        }
        for (long j = column_begin; j < column_end; j += 16) {
            const int8_t *w = packed + (j / INT8_NR) * kq * 4 * INT8_NR + (j % INT8_NR) * 4;
            long columns = column_end - j < 16 ? column_end - j : 16;
            for (long r = 0; r < mc; r += mr) {
                tile(kq, block + r * kq, kq, w, out + (m0 + r) * ldo + j, ldo, mc - r < mr ? mc - r : mr, columns,
                     row_scales + r, scales + j, offsets + j, bias ? bias + j : NULL);
            }
        }
    }
}
