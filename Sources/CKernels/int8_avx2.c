#include "CKernels.h"
#include "int8_gemm.h"

// The int8 GEMM on AVX2 alone (Haswell and later, AMD Zen 1–3). `vpmaddubsw` multiplies unsigned bytes
// by signed bytes and adds adjacent pairs into int16 with saturation: with A stored as q + 128 a pair
// reaches 2·255·127 and saturates. The sign trick avoids it: with A signed, |a| (≤ 127) is the unsigned
// operand and w with a's sign (`vpsignb`) the signed one, so a pair is at most 2·127·127 = 32,258 and
// exact; `vpmaddwd` by ones then adds pairs of pairs into int32. The sums equal the other copies'.
// A tile of 4 rows × 16 columns: 8 accumulators, 2 of W, the broadcast, its absolute value, the ones
// and a temporary in the 16 ymm registers.
#if defined(__x86_64__)
// System and shared headers first, outside the target region: only our functions get the attribute.
#include "scratch.h"
#include <immintrin.h>
#include <math.h>
#include <string.h>
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#include "int8_ymm.h"

enum { MR = 4 };

static void tile(long kq, const uint32_t *a, long row_words, const int8_t *w, float *out, long ldo, long rows,
                 long columns, const float *row_scales, const float *scales, const int32_t *offsets,
                 const float *bias) {
    (void)offsets;
    __m256i acc[MR][2];
    __m256i ones = _mm256_set1_epi16(1);
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    for (long p = 0; p < kq; p++) {
        __m256i w0 = _mm256_loadu_si256((const __m256i *)w), w1 = _mm256_loadu_si256((const __m256i *)(w + 32));
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            __m256i ar = _mm256_set1_epi32((int)a[r * row_words + p]);
            __m256i magnitude = _mm256_abs_epi8(ar);
            __m256i t0 = _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(w0, ar)), ones);
            __m256i t1 = _mm256_madd_epi16(_mm256_maddubs_epi16(magnitude, _mm256_sign_epi8(w1, ar)), ones);
            acc[r][0] = _mm256_add_epi32(acc[r][0], t0);
            acc[r][1] = _mm256_add_epi32(acc[r][1], t1);
        }
        w += 4 * INT8_NR;
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (r < rows) {
            ymm_store_row(out + r * ldo, acc[r][0], acc[r][1], scales, row_scales[r], bias, columns);
        }
    }
}

void bs_int8_gemm_avx2(BS_INT8_GEMM_ARGS) {
    ymm_int8_gemm(out, ldo, a, lda, packed, scales, offsets, bias, m, k, column_begin, column_end, MR, 0, tile);
}
#pragma clang attribute pop
#endif
