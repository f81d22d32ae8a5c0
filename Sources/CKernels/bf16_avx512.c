#include "CKernels.h"
#include "bf16_gemm.h"
#include "scratch.h"
#include <stdlib.h>
#include <string.h>

// out (+)= op(A) · op(B) (+ bias) with both operands rounded to bf16 and products summed in fp32, on
// `vdpbf16ps`: each 32-bit lane multiplies one pair of bf16 from each operand and adds both products to
// its fp32 lane, twice the FP32 FMA rate of these cores. Inference runs A · Wᵀ with W a linear layer's
// weight; training also runs dout · W and doutᵀ · inp, hence either operand read as stored or transposed.
// Operands are laid out for the instruction:
//   B, packed by the caller (once per model for inference's weights, per product in training): panels
//     of NR = 32 output columns; in a panel, for every pair of k, the 32 columns' two values side by
//     side (64 bf16 = two zmm), so one load feeds 16 lanes per zmm.
//   A, packed here: panels of MR = 12 rows; for every pair of k, the 12 rows' pairs as 32-bit words,
//     which the micro-kernel broadcasts to all lanes.
// The micro-kernel keeps a 12×32 tile of out in 24 zmm accumulators (with 2 for W and 1 broadcast, 27
// of the 32 registers): 24 independent chains cover vdpbf16ps's latency at its throughput. Loops follow
// the usual GEMM blocking: a block of KC k-values × MC rows of A, packed, stays in L2; each panel of W
// (KC/2 pairs × 64 bf16 = 24 KB) stays in L1 while every row panel of the block passes it.
// Only these functions need AVX-512 BF16; they are compiled for it alone, and callers choose them only
// where the CPU has it (Bf16Kernel), so the package builds and runs without special flags anywhere. On
// other CPUs bf16 products are FP32 products of operands rounded by bs_bf16_round (Bf16Gemm.swift).
#if defined(__x86_64__)
#include <immintrin.h>

#define BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

enum { MR = 12, NR = BF16_NR, KC = 384, MC = 16 * MR };

// dst[0..<k rounded up to even] = bf16(src[0..<k]), round to nearest even (vcvtne2ps2bf16), the odd
// tail's partner 0, so a pair past the end contributes nothing.
BF16_TARGET static void convert_row(uint16_t *dst, const float *src, long k) {
    long i = 0;
    for (; i + 32 <= k; i += 32) {
        __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + i + 16), _mm512_loadu_ps(src + i));
        _mm512_storeu_si512(dst + i, (__m512i)v);
    }
    long rest = k - i;
    if (rest > 0) {
        __mmask16 low = (__mmask16)(rest >= 16 ? 0xFFFF : (1u << rest) - 1);
        __mmask16 high = (__mmask16)(rest <= 16 ? 0 : (1u << (rest - 16)) - 1);
        __m512bh v = _mm512_cvtne2ps_pbh(_mm512_maskz_loadu_ps(high, src + i + 16), _mm512_maskz_loadu_ps(low, src + i));
        long even = (rest + 1) & ~1L;
        _mm512_mask_storeu_epi16(dst + i, (__mmask32)(even >= 32 ? 0xFFFFFFFFu : (1u << even) - 1), (__m512i)v);
    }
}

// 16 words of bf16 pairs: each word's low half is bf16(even[i]), its high half bf16(odd[i]), nearest even.
BF16_TARGET static __m512i pair_words(__m512 even, __m512 odd) {
    __m512i low = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(even));
    __m512i high = _mm512_cvtepu16_epi32((__m256i)_mm512_cvtneps_pbh(odd));
    return _mm512_or_si512(low, _mm512_slli_epi32(high, 16));
}

static __mmask16 first_lanes(long count) { return (__mmask16)(count >= 16 ? 0xFFFF : count <= 0 ? 0 : (1u << count) - 1); }

BF16_TARGET void bs_bf16_pack_b(uint16_t *packed, const float *b, long ldb, int transposed, long n, long k,
                                long panel_begin, long panel_end) {
    long kp = bf16_pairs(k);
    uint32_t *out = (uint32_t *)packed;
    uint32_t *row = transposed ? bs_thread_scratch((size_t)(kp + 16) * 4) : NULL;
    for (long panel = panel_begin; panel < panel_end && panel * NR < n; panel++) {
        uint32_t *base = out + panel * kp * NR;
        if (transposed) {
            // b is n × k: each of the panel's columns is a row of b, converted whole and spread out.
            for (long column = 0; column < NR; column++) {
                long j = panel * NR + column;
                if (j < n) {
                    convert_row((uint16_t *)row, b + j * ldb, k);
                } else {
                    memset(row, 0, (size_t)kp * 4);  // columns past n: zero, computed and never stored
                }
                for (long p = 0; p < kp; p++) base[p * NR + column] = row[p];
            }
        } else {
            // b is k × n: a pair of k is two rows of b, read 32 columns at a time.
            const float *first = b + panel * NR;
            __mmask16 mask0 = first_lanes(n - panel * NR), mask1 = first_lanes(n - panel * NR - 16);
            for (long p = 0; p < kp; p++) {
                const float *even = first + 2 * p * ldb, *odd = even + ldb;
                int has_odd = 2 * p + 1 < k;
                __m512 zero = _mm512_setzero_ps();
                _mm512_store_si512(base + p * NR, pair_words(_mm512_maskz_loadu_ps(mask0, even),
                                                             has_odd ? _mm512_maskz_loadu_ps(mask0, odd) : zero));
                _mm512_store_si512(base + p * NR + 16, pair_words(_mm512_maskz_loadu_ps(mask1, even + 16),
                                                                  has_odd ? _mm512_maskz_loadu_ps(mask1, odd + 16) : zero));
            }
        }
    }
}

// A panel comes in one of two layouts, whichever its source converts to without a transposition:
//   by rows: rows 0..<rows (≤ MR) of A's block (kc values from `a`, row stride lda), each converted in
//     place as kp words, ROW_WORDS apart;
//   by pairs (from op(A) = Aᵀ): for each pair, the MR rows' words side by side.
// Rows past `rows` are zero.
enum { ROW_WORDS = KC / 2 };

BF16_TARGET static void pack_a_panel(uint32_t *panel, const float *a, long lda, long rows, long kc) {
    for (long r = 0; r < MR; r++) {
        if (r < rows) {
            convert_row((uint16_t *)(panel + r * ROW_WORDS), a + r * lda, kc);
        } else {
            memset(panel + r * ROW_WORDS, 0, (size_t)bf16_pairs(kc) * 4);
        }
    }
}

// `a` is the block's first element of A (k × m, row stride lda), so a pair of k is two rows of A, of
// which the panel reads `rows` consecutive values.
BF16_TARGET static void pack_a_panel_transposed(uint32_t *panel, const float *a, long lda, long rows, long kc) {
    __mmask16 mask = first_lanes(rows);
    for (long p = 0; p < bf16_pairs(kc); p++) {
        const float *even = a + 2 * p * lda;
        __m512 odd = 2 * p + 1 < kc ? _mm512_maskz_loadu_ps(mask, even + lda) : _mm512_setzero_ps();
        _mm512_mask_storeu_epi32(panel + p * MR, (__mmask16)((1u << MR) - 1), pair_words(_mm512_maskz_loadu_ps(mask, even), odd));
    }
}

// out tile (rows ≤ MR, columns ≤ NR, stride ldo) = start + Σ over kp pairs of a-panel × w-panel, where
// start is the tile itself (a later block of k, or a caller accumulating), the bias, or 0. Row r's word
// of pair p is at a[r·row_step + p·pair_step]; callers pass constants, so the broadcasts' addresses are
// fixed offsets from one pointer.
BF16_TARGET static inline __attribute__((always_inline)) void
micro_kernel(long kp, const uint32_t *a, long row_step, long pair_step, const uint16_t *w, float *out, long ldo, long rows,
             long columns, const float *bias, int accumulate) {
    __mmask16 mask0 = (__mmask16)(columns >= 16 ? 0xFFFF : (1u << columns) - 1);
    __mmask16 mask1 = (__mmask16)(columns <= 16 ? 0 : columns >= 32 ? 0xFFFF : (1u << (columns - 16)) - 1);
    __m512 acc[MR][2];
    __m512 start0 = _mm512_setzero_ps(), start1 = _mm512_setzero_ps();
    if (bias && !accumulate) {
        start0 = _mm512_maskz_loadu_ps(mask0, bias);
        start1 = _mm512_maskz_loadu_ps(mask1, bias + 16);
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (accumulate && r < rows) {
            acc[r][0] = _mm512_maskz_loadu_ps(mask0, out + r * ldo);
            acc[r][1] = _mm512_maskz_loadu_ps(mask1, out + r * ldo + 16);
        } else {
            acc[r][0] = start0;
            acc[r][1] = start1;
        }
    }
    for (long p = 0; p < kp; p++) {
        __m512bh w0 = (__m512bh)_mm512_load_si512(w), w1 = (__m512bh)_mm512_load_si512(w + 32);
#pragma clang loop unroll(full)
        for (int r = 0; r < MR; r++) {
            __m512bh ar = (__m512bh)_mm512_set1_epi32((int)a[r * row_step]);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], ar, w0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], ar, w1);
        }
        a += pair_step;
        w += 2 * NR;
    }
#pragma clang loop unroll(full)
    for (int r = 0; r < MR; r++) {
        if (r < rows) {
            _mm512_mask_storeu_ps(out + r * ldo, mask0, acc[r][0]);
            _mm512_mask_storeu_ps(out + r * ldo + 16, mask1, acc[r][1]);
        }
    }
}

BF16_TARGET void bs_bf16_gemm(float *out, long ldo, const float *a, long lda, int a_transposed, const uint16_t *packed,
                              const float *bias, long m, long k, long column_begin, long column_end, int accumulate) {
    if (m <= 0 || column_end <= column_begin) return;
    long kp_total = bf16_pairs(k);
    // Scratch for one packed block of A, a panel every MR · ROW_WORDS words (either layout fits).
    uint32_t *block = bs_thread_scratch((size_t)MC * ROW_WORDS * 4);
    // k blocks inside row blocks: a row block's tile of out (MC × the columns) stays in L2 between
    // the k blocks that add to it, instead of coming back from memory for each.
    for (long m0 = 0; m0 < m; m0 += MC) {
        long mc = m - m0 < MC ? m - m0 : MC;
        for (long k0 = 0; k0 < k; k0 += KC) {
            long kc = k - k0 < KC ? k - k0 : KC, kp = bf16_pairs(kc);
            for (long r = 0; r < mc; r += MR) {
                long rows = mc - r < MR ? mc - r : MR;
                if (a_transposed) {
                    pack_a_panel_transposed(block + r * ROW_WORDS, a + k0 * lda + m0 + r, lda, rows, kc);
                } else {
                    pack_a_panel(block + r * ROW_WORDS, a + (m0 + r) * lda + k0, lda, rows, kc);
                }
            }
            for (long j = column_begin; j < column_end; j += NR) {
                const uint16_t *w = packed + (j / NR) * kp_total * 2 * NR + (k0 / 2) * 2 * NR;
                long columns = column_end - j < NR ? column_end - j : NR;
                for (long r = 0; r < mc; r += MR) {
                    const uint32_t *panel = block + r * ROW_WORDS;
                    float *tile = out + (m0 + r) * ldo + j;
                    long rows = mc - r < MR ? mc - r : MR;
                    const float *tile_bias = bias ? bias + j : NULL;
                    if (a_transposed) {
                        micro_kernel(kp, panel, 1, MR, w, tile, ldo, rows, columns, tile_bias, accumulate || k0 > 0);
                    } else {
                        micro_kernel(kp, panel, ROW_WORDS, 1, w, tile, ldo, rows, columns, tile_bias, accumulate || k0 > 0);
                    }
                }
            }
        }
    }
}
#endif
