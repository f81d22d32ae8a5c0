#ifndef BS_INT8_GEMM_H
#define BS_INT8_GEMM_H
// What the int8 GEMM's copies (int8_<set>.c) share: the packed weight layout and the quantisation every
// copy must reproduce bit for bit, so that all compute the same int32 sums and the same outputs.
//
// Weights, once per model (bs_int8_pack_weights): each output column j (a row of the checkpoint's
// weight) symmetric, q = round(w / s_j) in [-127, 127], s_j = max|w_j| / 127, in panels of NR = 32
// columns; in a panel, for every quad of k, the 32 columns' four bytes side by side (128 bytes).
// Activations, per call: each row i (a token) symmetric the same way, s_i = max|a_i| / 127 (1 for a
// row of zeros), q = round-to-nearest-even(a · (127 / max|a_i|)) saturated to int8; values past k in
// the last quad are 0.
// Output: out[i, j] = fma((float)Σ_k q_a·q_w, s_j · s_i, bias_j or 0): one exact int32 sum, one
// conversion, one product of the scales, one fused multiply-add.
#include <math.h>
#include <stdint.h>

enum { INT8_NR = 32 };

static inline long int8_quads(long k) { return (k + 3) / 4; }

// A row's scale from its largest magnitude (1 for a row of zeros), and the inverse its values are
// multiplied by before rounding (0 for a row of zeros): one formula for every copy.
static inline float int8_row_scale(float largest, float *inverse) {
    *inverse = largest > 0 ? 127 / largest : 0;
    return largest > 0 ? largest / 127 : 1;
}

// One value quantised: x · inverse rounded to nearest even (lrintf in the default rounding mode, as the
// vector conversions), saturated to int8. The vector copies use it for their scalar tails.
static inline int8_t int8_quantize(float x, float inverse) {
    long q = lrintf(x * inverse);
    return (int8_t)(q > 127 ? 127 : q < -128 ? -128 : q);
}

#define BS_INT8_GEMM_ARGS                                                                                 \
    float *out, long ldo, const float *a, long lda, const int8_t *packed, const float *scales,             \
        const int32_t *offsets, const float *bias, long m, long k, long column_begin, long column_end

void bs_int8_gemm_portable(BS_INT8_GEMM_ARGS);
#if defined(__x86_64__)
void bs_int8_gemm_avx2(BS_INT8_GEMM_ARGS);
void bs_int8_gemm_avx_vnni(BS_INT8_GEMM_ARGS);
void bs_int8_gemm_avx512_vnni(BS_INT8_GEMM_ARGS);
#elif defined(__aarch64__)
void bs_int8_gemm_neon(BS_INT8_GEMM_ARGS);
void bs_int8_gemm_neon_dotprod(BS_INT8_GEMM_ARGS);
void bs_int8_gemm_neon_i8mm(BS_INT8_GEMM_ARGS);
#endif

#endif
