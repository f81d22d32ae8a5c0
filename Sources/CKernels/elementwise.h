#ifndef BS_ELEMENTWISE_H
#define BS_ELEMENTWISE_H
// The per-instruction-set copies of the elementwise kernels (elementwise_body.h), for kernels.c.
#include <stdint.h>

#define BS_PASTE_(name, suffix) name##_##suffix
#define BS_PASTE(name, suffix) BS_PASTE_(name, suffix)

#define BS_ELEMENTWISE_PROTOTYPES(suffix)                                                                      \
    void BS_PASTE(gelu_forward, suffix)(float *out, const float *inp, long count);                             \
    void BS_PASTE(gelu_backward, suffix)(float *dinp, const float *dout, const float *inp, long count);        \
    void BS_PASTE(softmax_rows, suffix)(float *x, long rows, long width, long stride, float *log_sum_exp);     \
    void BS_PASTE(softmax_recompute_rows, suffix)(float *x, long rows, long width, long stride,                \
                                                  const float *log_sum_exp);                                    \
    void BS_PASTE(softmax_backward_rows, suffix)(float *dp, const float *p, long rows, long valid, long stride); \
    void BS_PASTE(dropout, suffix)(float *x, const float *src, long count, uint64_t seed, uint64_t stream,      \
                                   long offset, uint32_t threshold, float scale);                               \
    double BS_PASTE(sum_squares, suffix)(const float *x, long count);                                          \
    void BS_PASTE(adam_update, suffix)(float *p, float *g, float *m, float *v, long count, float gradScale,    \
                                       float lr, float decay, float beta1, float beta2, float eps,              \
                                       float stepSize, float correction2Root, int decoupled);                   \
    void BS_PASTE(layernorm_forward, suffix)(float *out, float *mean, float *rstd, float *inp,                 \
                                             const float *residual, long residual_stride, const float *weight,  \
                                             const float *bias, long rows, long c, float eps);                  \
    void BS_PASTE(layernorm_backward_input, suffix)(float *dinp, const float *dout, const float *inp,          \
                                                    const float *weight, const float *mean, const float *rstd,  \
                                                    long rows, long c);                                         \
    void BS_PASTE(bf16_round, suffix)(float *dst, const float *src, long rows, long columns, long ld);

BS_ELEMENTWISE_PROTOTYPES(portable)
#if defined(__x86_64__)
BS_ELEMENTWISE_PROTOTYPES(avx2)
BS_ELEMENTWISE_PROTOTYPES(avx512)
#endif

#ifdef BS_SUFFIX
#define BS_FN(name) BS_PASTE(name, BS_SUFFIX)
#endif

#endif
