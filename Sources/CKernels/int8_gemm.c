#include "CKernels.h"
#include "int8_gemm.h"
#include "scratch.h"
#include <math.h>
#include <string.h>

// The int8 GEMM's entry points: packing (shared by every copy, run once per model), the choice of
// copy, and the portable copy, which also documents the arithmetic the vector copies reproduce.

long bs_int8_packed_count(long n, long k) { return (n + INT8_NR - 1) / INT8_NR * INT8_NR * int8_quads(k) * 4; }

// The scale of x's k values and the inverse it gives (int8_row_scale).
static float row_scale(const float *x, long k, float *inverse) {
    float largest = 0;
    for (long i = 0; i < k; i++) largest = fmaxf(largest, fabsf(x[i]));
    return int8_row_scale(largest, inverse);
}

// dst[0..<k] = src quantised (int8_quantize); dst[k..<padded] = 0.
static void quantize_row(int8_t *dst, const float *src, long k, long padded, float inverse) {
    for (long i = 0; i < k; i++) dst[i] = int8_quantize(src[i], inverse);
    memset(dst + k, 0, (size_t)(padded - k));
}

void bs_int8_pack_weights(int8_t *packed, float *scales, int32_t *offsets, const float *w, long n, long k) {
    long kq = int8_quads(k);
    int8_t *row = bs_thread_scratch((size_t)kq * 4);
    for (long panel = 0; panel * INT8_NR < n; panel++) {
        int8_t *base = packed + panel * kq * 4 * INT8_NR;
        for (long column = 0; column < INT8_NR; column++) {
            long j = panel * INT8_NR + column;
            if (j < n) {
                float inverse;
                scales[j] = row_scale(w + j * k, k, &inverse);
                quantize_row(row, w + j * k, k, kq * 4, inverse);
                int32_t sum = 0;
                for (long i = 0; i < k; i++) sum += row[i];
                offsets[j] = 128 * sum;
            } else {
                memset(row, 0, (size_t)kq * 4);  // columns past n: zero, computed and never stored
            }
            for (long p = 0; p < kq; p++) memcpy(base + (p * INT8_NR + column) * 4, row + p * 4, 4);
        }
    }
}

// Σ_i a[i]·w[i] over n int8 values in int32: a dot product compilers vectorise for any target.
static int32_t dot(const int8_t *a, const int8_t *w, long n) {
    int32_t sum = 0;
    for (long i = 0; i < n; i++) sum += (int32_t)a[i] * (int32_t)w[i];
    return sum;
}

// Rows of A a block at a time; each panel of W is first unpacked into its 32 columns' contiguous k
// values, so every output is one contiguous dot product.
enum { PORTABLE_MC = 64 };

void bs_int8_gemm_portable(BS_INT8_GEMM_ARGS) {
    (void)offsets;
    if (m <= 0 || column_end <= column_begin) return;
    long kq = int8_quads(k), padded = kq * 4;
    size_t block_bytes = (size_t)PORTABLE_MC * padded, column_bytes = (size_t)INT8_NR * padded;
    int8_t *block = bs_thread_scratch(block_bytes + column_bytes + PORTABLE_MC * sizeof(float));
    int8_t *columns_k = block + block_bytes;
    float *row_scales = (float *)(columns_k + column_bytes);
    for (long m0 = 0; m0 < m; m0 += PORTABLE_MC) {
        long mc = m - m0 < PORTABLE_MC ? m - m0 : PORTABLE_MC;
        for (long r = 0; r < mc; r++) {
            float inverse;
            row_scales[r] = row_scale(a + (m0 + r) * lda, k, &inverse);
            quantize_row(block + r * padded, a + (m0 + r) * lda, k, padded, inverse);
        }
        for (long j = column_begin; j < column_end; j += INT8_NR) {
            const int8_t *w = packed + (j / INT8_NR) * padded * INT8_NR;
            long columns = column_end - j < INT8_NR ? column_end - j : INT8_NR;
            for (long c = 0; c < columns; c++) {
                for (long p = 0; p < kq; p++) memcpy(columns_k + c * padded + p * 4, w + (p * INT8_NR + c) * 4, 4);
            }
            for (long r = 0; r < mc; r++) {
                float *o = out + (m0 + r) * ldo + j;
                for (long c = 0; c < columns; c++) {
                    int32_t sum = dot(block + r * padded, columns_k + c * padded, padded);
                    o[c] = fmaf((float)sum, scales[j + c] * row_scales[r], bias ? bias[j + c] : 0.0f);
                }
            }
        }
    }
}

void bs_int8_gemm(int kernel, BS_INT8_GEMM_ARGS) {
    void (*copy)(BS_INT8_GEMM_ARGS) = bs_int8_gemm_portable;
    switch (kernel) {
#if defined(__x86_64__)
    case BS_ISA_AVX512: copy = bs_int8_gemm_avx512_vnni; break;
    case BS_ISA_AVX_VNNI: copy = bs_int8_gemm_avx_vnni; break;
    case BS_ISA_AVX2: copy = bs_int8_gemm_avx2; break;
#elif defined(__aarch64__)
    case BS_ISA_NEON_I8MM: copy = bs_int8_gemm_neon_i8mm; break;
    case BS_ISA_NEON_DOTPROD: copy = bs_int8_gemm_neon_dotprod; break;
    case BS_ISA_NEON: copy = bs_int8_gemm_neon; break;
#endif
    }
    copy(out, ldo, a, lda, packed, scales, offsets, bias, m, k, column_begin, column_end);
}
