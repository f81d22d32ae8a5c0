#include "CKernels.h"
#include "bf16_gemm.h"
#include "elementwise.h"
#include "scratch.h"

// Each entry point runs the copy of its kernel (elementwise_body.h) for the caller's instruction set:
// AVX-512 at that level, AVX2 + FMA at the AVX2 and AVX-VNNI levels, portable C below them and on
// other architectures. On arm64 the portable copy is the NEON copy at every level: Advanced SIMD is
// part of every ARMv8-A core, so the compiler's baseline vectorises these loops with it, and the
// higher Arm levels add only integer and bf16 dot products, which these kernels do not use.
#if defined(__x86_64__)
#define DISPATCH(isa, name, ...)                                                                       \
    ((isa) >= BS_ISA_AVX512 ? name##_avx512(__VA_ARGS__)                                              \
     : (isa) >= BS_ISA_AVX2 ? name##_avx2(__VA_ARGS__)                                                \
                            : name##_portable(__VA_ARGS__))
#else
#define DISPATCH(isa, name, ...) ((void)(isa), name##_portable(__VA_ARGS__))
#endif

void bs_gelu_forward(int isa, float *out, const float *inp, long count) {
    DISPATCH(isa, gelu_forward, out, inp, count);
}

void bs_gelu_backward(int isa, float *dinp, const float *dout, const float *inp, long count) {
    DISPATCH(isa, gelu_backward, dinp, dout, inp, count);
}

void bs_softmax_rows(int isa, float *x, long rows, long width, long stride, float *log_sum_exp) {
    DISPATCH(isa, softmax_rows, x, rows, width, stride, log_sum_exp);
}

void bs_softmax_recompute_rows(int isa, float *x, long rows, long width, long stride, const float *log_sum_exp) {
    DISPATCH(isa, softmax_recompute_rows, x, rows, width, stride, log_sum_exp);
}

void bs_softmax_backward_rows(int isa, float *dp, const float *p, long rows, long valid, long stride) {
    DISPATCH(isa, softmax_backward_rows, dp, p, rows, valid, stride);
}

void bs_dropout(int isa, float *x, const float *src, long count, uint64_t seed, uint64_t stream, long offset,
                uint32_t threshold, float scale) {
    DISPATCH(isa, dropout, x, src, count, seed, stream, offset, threshold, scale);
}

double bs_sum_squares(int isa, const float *x, long count) { return DISPATCH(isa, sum_squares, x, count); }

void bs_adam_update(int isa, float *p, float *g, float *m, float *v, long count, float gradScale, float lr,
                    float decay, float beta1, float beta2, float eps, float stepSize, float correction2Root,
                    int decoupled) {
    DISPATCH(isa, adam_update, p, g, m, v, count, gradScale, lr, decay, beta1, beta2, eps, stepSize, correction2Root,
             decoupled);
}

void bs_layernorm_forward(int isa, float *out, float *mean, float *rstd, float *inp, const float *residual,
                          long residual_stride, const float *weight, const float *bias, long rows, long c, float eps) {
    DISPATCH(isa, layernorm_forward, out, mean, rstd, inp, residual, residual_stride, weight, bias, rows, c, eps);
}

void bs_layernorm_backward_input(int isa, float *dinp, const float *dout, const float *inp, const float *weight,
                                 const float *mean, const float *rstd, long rows, long c) {
    DISPATCH(isa, layernorm_backward_input, dinp, dout, inp, weight, mean, rstd, rows, c);
}

void bs_bf16_round(int isa, float *dst, const float *src, long rows, long columns, long ld) {
    DISPATCH(isa, bf16_round, dst, src, rows, columns, ld);
}

const float *bs_bf16_round_operand(int isa, const float *src, long rows, long columns, long ld) {
    float *dst = bs_thread_operand_scratch((size_t)rows * (size_t)columns * sizeof(float));
    bs_bf16_round(isa, dst, src, rows, columns, ld);
    return dst;
}

long bs_bf16_packed_count(long n, long k) { return (n + BF16_NR - 1) / BF16_NR * BF16_NR * bf16_pairs(k) * 2; }
