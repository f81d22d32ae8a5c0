#include "CKernels.h"
#include "int8_gemm.h"

// The int8 GEMM on AVX-VNNI (Intel since Alder Lake, AMD since Zen 5): `vpdpbusd` on 256-bit registers,
// four unsigned bytes of A times four signed bytes of W into each int32 lane, with A stored as q + 128
// and the packed weight's offsets (128·Σ q_w) subtracted in the epilogue, as the AVX-512 copy does.
// A tile of 6 rows × 16 columns keeps 12 accumulators, 2 of W and 1 broadcast in the 16 ymm registers.
#if defined(__x86_64__)
// System and shared headers first, outside the target region: only our functions get the attribute.
#include "scratch.h"
#include <immintrin.h>
#include <math.h>
#include <string.h>
#pragma clang attribute push(__attribute__((target("avx2,fma,avxvnni"))), apply_to = function)
#include "int8_ymm.h"

enum { MR = 6 };

static void tile(long kq, const uint32_t *a, long row_words, const int8_t *w, float *out, long ldo, long rows,
                 long columns, const float *row_scales, const float *scales, const int32_t *offsets,
                 const float *bias) {
    __m256i acc[MR][2];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    for (long p = 0; p < kq; p++) {
        __m256i w0 = _mm256_loadu_si256((const __m256i *)w), w1 = _mm256_loadu_si256((const __m256i *)(w + 32));
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            __m256i ar = _mm256_set1_epi32((int)a[r * row_words + p]);
            acc[r][0] = _mm256_dpbusd_avx_epi32(acc[r][0], ar, w0);
            acc[r][1] = _mm256_dpbusd_avx_epi32(acc[r][1], ar, w1);
        }
        w += 4 * INT8_NR;
    }
    __m256i offset0 = _mm256_maskload_epi32(offsets, ymm_first_lanes(columns));
    __m256i offset1 = _mm256_maskload_epi32(offsets + 8, ymm_first_lanes(columns - 8));
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (r < rows) {
            ymm_store_row(out + r * ldo, _mm256_sub_epi32(acc[r][0], offset0), _mm256_sub_epi32(acc[r][1], offset1),
                          scales, row_scales[r], bias, columns);
        }
    }
}

void bs_int8_gemm_avx_vnni(BS_INT8_GEMM_ARGS) {
    ymm_int8_gemm(out, ldo, a, lda, packed, scales, offsets, bias, m, k, column_begin, column_end, MR, 128, tile);
}
#pragma clang attribute pop
#endif
