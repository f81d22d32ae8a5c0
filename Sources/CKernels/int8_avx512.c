#include "CKernels.h"
#include "int8_gemm.h"
#include "scratch.h"
#include <string.h>

// The int8 GEMM on AVX-512 VNNI's `vpdpbusd`: each 32-bit lane multiplies four unsigned bytes of A by
// four signed bytes of W and adds the four products to its int32 lane, twice the bf16 rate and four
// times the FP32 FMA rate of these cores. The instruction takes A unsigned, so rows are stored as
// q + 128 in [1, 255]: Σ_k (q_a + 128)·q_w = Σ_k q_a·q_w + 128·Σ_k q_w, and the epilogue subtracts
// 128·Σ_k q_w (the packed weight's offsets). Sums are exact: |Σ| ≤ K·255·127 < 2³¹ for K below 66,000.
// Quantisation and output as int8_gemm.h states. A is quantised row by row into a block of MC rows,
// each row's quads read as the 32-bit words the micro-kernel broadcasts; a 12×32 tile of sums lives in
// 24 zmm registers over the whole of K: a panel of W for K = 1536 is 48 KB and streams from L2 at a
// fraction of its bandwidth.
#if defined(__x86_64__)
#include <immintrin.h>

#define INT8_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

enum { MR = 12, NR = INT8_NR, MC = 16 * MR };

static __mmask16 first_lanes(long count) { return (__mmask16)(count >= 16 ? 0xFFFF : count <= 0 ? 0 : (1u << count) - 1); }

INT8_TARGET static float max_abs(const float *x, long k) {
    __m512 m = _mm512_setzero_ps();
    for (long i = 0; i < k; i += 16) m = _mm512_max_ps(m, _mm512_abs_ps(_mm512_maskz_loadu_ps(first_lanes(k - i), x + i)));
    return _mm512_reduce_max_ps(m);
}

// dst[0..<k] = round(src · inverse) saturated to int8 (nearest even), plus `offset` (0, or 128 to make
// them unsigned); dst[k..<padded] = offset.
INT8_TARGET static void quantize_row(uint8_t *dst, const float *src, long k, long padded, float inverse, int offset) {
    __m512 scale = _mm512_set1_ps(inverse);
    __m128i shift = _mm_set1_epi8((char)offset);
    for (long i = 0; i < k; i += 16) {
        __mmask16 mask = first_lanes(k - i);
        __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(mask, src + i), scale));
        _mm_mask_storeu_epi8(dst + i, mask, _mm_add_epi8(_mm512_cvtsepi32_epi8(q), shift));
    }
    memset(dst + k, offset, (size_t)(padded - k));
}

// The tile of out (rows ≤ MR, columns ≤ NR) from a panel of quantised rows (`row_words` words apart)
// and a panel of W, over all kq quads; then the epilogue.
INT8_TARGET static void micro_kernel(long kq, const uint32_t *a, long row_words, const int8_t *w, float *out, long ldo,
                                     long rows, long columns, const float *row_scales, const float *scales,
                                     const int32_t *offsets, const float *bias) {
    __m512i acc[MR][2];
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_si512();
    for (long p = 0; p < kq; p++) {
        __m512i w0 = _mm512_load_si512(w), w1 = _mm512_load_si512(w + 64);
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            __m512i ar = _mm512_set1_epi32((int)a[r * row_words + p]);
            acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], ar, w0);
            acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], ar, w1);
        }
        w += 4 * NR;
    }
    __mmask16 mask0 = first_lanes(columns), mask1 = first_lanes(columns - 16);
    __m512 scale0 = _mm512_maskz_loadu_ps(mask0, scales), scale1 = _mm512_maskz_loadu_ps(mask1, scales + 16);
    __m512i offset0 = _mm512_maskz_loadu_epi32(mask0, offsets), offset1 = _mm512_maskz_loadu_epi32(mask1, offsets + 16);
    __m512 bias0 = _mm512_setzero_ps(), bias1 = _mm512_setzero_ps();
    if (bias) {
        bias0 = _mm512_maskz_loadu_ps(mask0, bias);
        bias1 = _mm512_maskz_loadu_ps(mask1, bias + 16);
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (r < rows) {
            __m512 row_scale = _mm512_set1_ps(row_scales[r]);
            __m512 sum0 = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][0], offset0));
            __m512 sum1 = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][1], offset1));
            _mm512_mask_storeu_ps(out + r * ldo, mask0, _mm512_fmadd_ps(sum0, _mm512_mul_ps(scale0, row_scale), bias0));
            _mm512_mask_storeu_ps(out + r * ldo + 16, mask1, _mm512_fmadd_ps(sum1, _mm512_mul_ps(scale1, row_scale), bias1));
        }
    }
}

INT8_TARGET void bs_int8_gemm_avx512_vnni(BS_INT8_GEMM_ARGS) {
    if (m <= 0 || column_end <= column_begin) return;
    long kq = int8_quads(k);
    // One block of MC quantised rows and their scales.
    uint32_t *block = bs_thread_scratch((size_t)MC * kq * 4 + MC * 4);
    float *row_scales = (float *)(block + MC * kq);
    for (long m0 = 0; m0 < m; m0 += MC) {
        long mc = m - m0 < MC ? m - m0 : MC;
        for (long r = 0; r < mc; r++) {
            const float *row = a + (m0 + r) * lda;
            float inverse;
            row_scales[r] = int8_row_scale(max_abs(row, k), &inverse);
            quantize_row((uint8_t *)(block + r * kq), row, k, kq * 4, inverse, 128);
        }
        for (long j = column_begin; j < column_end; j += NR) {
            const int8_t *w = packed + (j / NR) * kq * 4 * NR;
            long columns = column_end - j < NR ? column_end - j : NR;
            for (long r = 0; r < mc; r += MR) {
                micro_kernel(kq, block + r * kq, kq, w, out + (m0 + r) * ldo + j, ldo, mc - r < MR ? mc - r : MR, columns,
                             row_scales + r, scales + j, offsets + j, bias ? bias + j : NULL);
            }
        }
    }
}
#endif
