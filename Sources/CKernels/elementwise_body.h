// The elementwise and row kernels, compiled once per instruction set: elementwise_<set>.c sets the
// target and BS_SUFFIX, then includes this file, so each copy is vectorised for its set and named
// after it (gelu_forward_avx2, …); kernels.c calls the copy the caller's instruction set names.
// Functions that sum let the compiler reorder their sums into vector lanes (`fp reassociate`): a
// different, not a worse, rounding, so copies for different sets may differ in the last bits there.
#include "CKernels.h"
#include "bf16_round.h"
#include "elementwise.h"
#include <math.h>
#include <string.h>

// exp(x) for x ≤ 0-ish ranges used here, branch-free so loops vectorise: x = n·ln2 + r, |r| ≤ ln2/2,
// e^r by a degree-6 polynomial (relative error ~2e-7), 2^n by building the exponent bits.
static inline float fast_exp(float x) {
    x = fminf(fmaxf(x, -87.0f), 88.0f);
    float n = __builtin_roundevenf(x * 1.44269504088896341f);
    float r = fmaf(n, -0.693359375f, x);
    r = fmaf(n, 2.12194440e-4f, r);
    float p = 1.0f / 720.0f;
    p = fmaf(p, r, 1.0f / 120.0f);
    p = fmaf(p, r, 1.0f / 24.0f);
    p = fmaf(p, r, 1.0f / 6.0f);
    p = fmaf(p, r, 0.5f);
    p = fmaf(p, r, 1.0f);
    p = fmaf(p, r, 1.0f);
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

// Φ(x) = ½(1 + erf(x/√2)) with Abramowitz–Stegun 7.1.26 for erf.
static inline float normal_cdf(float x) {
    float z = x * 0.70710678118654752f;
    float a = fabsf(z);
    float t = 1.0f / fmaf(0.3275911f, a, 1.0f);
    float poly = fmaf(fmaf(fmaf(fmaf(1.061405429f, t, -1.453152027f), t, 1.421413741f), t, -0.284496736f), t, 0.254829592f) * t;
    float erf_abs = 1.0f - poly * fast_exp(-a * a);
    float erf = copysignf(erf_abs, z);
    return 0.5f * (1.0f + erf);
}

// Elementwise loops whose output may be their input (in place) say so with `assume_safety`: element i
// reads only index i before writing it, so vector lanes are safe, but the compiler's run-time overlap
// check cannot tell that from a harmful overlap and would run the scalar loop whenever they alias — in
// the model they always do (dropout in place, GELU in place in inference, GELU's gradient over its
// upstream gradient).
#define ELEMENTWISE_IN_PLACE _Pragma("clang loop vectorize(assume_safety)")

void BS_FN(gelu_forward)(float *out, const float *inp, long count) {
    ELEMENTWISE_IN_PLACE
    for (long i = 0; i < count; i++) {
        float x = inp[i];
        out[i] = x * normal_cdf(x);
    }
}

void BS_FN(gelu_backward)(float *dinp, const float *dout, const float *inp, long count) {
    ELEMENTWISE_IN_PLACE
    for (long i = 0; i < count; i++) {
        float x = inp[i];
        float pdf = 0.39894228040143268f * fast_exp(-0.5f * x * x);
        dinp[i] = dout[i] * (normal_cdf(x) + x * pdf);
    }
}

void BS_FN(softmax_rows)(float *x, long rows, long width, long stride, float *log_sum_exp) {
#pragma clang fp reassociate(on)
    for (long r = 0; r < rows; r++) {
        float *p = x + r * stride;
        float maximum = -INFINITY;
        for (long j = 0; j < width; j++) maximum = fmaxf(maximum, p[j]);
        float sum = 0.0f;
        for (long j = 0; j < width; j++) {
            float e = fast_exp(p[j] - maximum);
            p[j] = e;
            sum += e;
        }
        float inverse = 1.0f / sum;
        for (long j = 0; j < width; j++) p[j] *= inverse;
        if (log_sum_exp) log_sum_exp[r] = maximum + logf(sum);
    }
}

void BS_FN(softmax_recompute_rows)(float *x, long rows, long width, long stride, const float *log_sum_exp) {
    for (long r = 0; r < rows; r++) {
        float *p = x + r * stride;
        float shift = log_sum_exp[r];
        for (long j = 0; j < width; j++) p[j] = fast_exp(p[j] - shift);
    }
}

void BS_FN(softmax_backward_rows)(float *dp, const float *p, long rows, long valid, long stride) {
#pragma clang fp reassociate(on)
    for (long r = 0; r < rows; r++) {
        const float *pr = p + r * stride;
        float *dr = dp + r * stride;
        float dot = 0.0f;
        for (long j = 0; j < valid; j++) dot += pr[j] * dr[j];
        for (long j = 0; j < valid; j++) dr[j] = pr[j] * (dr[j] - dot);
    }
}

void BS_FN(dropout)(float *x, const float *src, long count, uint64_t seed, uint64_t stream, long offset,
                       uint32_t threshold, float scale) {
    uint64_t base = seed ^ (stream * 0x9E3779B97F4A7C15ull);
    ELEMENTWISE_IN_PLACE
    for (long i = 0; i < count; i++) {
        // murmur3's 64-bit finaliser over a unique counter per (seed, stream, index).
        uint64_t z = base ^ ((uint64_t)(offset + i) * 0xBF58476D1CE4E5B9ull);
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDull;
        z = (z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53ull;
        z ^= z >> 33;
        x[i] = src[i] * ((uint32_t)(z >> 40) < threshold ? 0.0f : scale);
    }
}

double BS_FN(sum_squares)(const float *x, long count) {
#pragma clang fp reassociate(on)
    double total = 0.0;
    for (long start = 0; start < count; start += 4096) {
        long end = start + 4096 < count ? start + 4096 : count;
        float block = 0.0f;
        for (long i = start; i < end; i++) block += x[i] * x[i];
        total += block;
    }
    return total;
}

// Memory-bound (seven streams per parameter), so it makes one pass: clipping's scale and the zeroing of
// the gradient for the next accumulation happen here rather than in passes of their own. The square
// root is the elementwise builtin because sqrtf, which may set errno, keeps the loop scalar.
void BS_FN(adam_update)(float *restrict p, float *restrict g, float *restrict m, float *restrict v, long count,
                           float gradScale, float lr, float decay, float beta1, float beta2, float eps, float stepSize,
                           float correction2Root, int decoupled) {
    float keep = 1.0f - lr * decay, l2 = decoupled ? 0.0f : decay, shrink = decoupled ? keep : 1.0f;
    for (long i = 0; i < count; i++) {
        float grad = g[i] * gradScale + l2 * p[i];
        g[i] = 0.0f;
        float param = p[i] * shrink;
        float mi = m[i] + (grad - m[i]) * (1.0f - beta1);
        float vi = v[i] * beta2 + (1.0f - beta2) * grad * grad;
        m[i] = mi;
        v[i] = vi;
        p[i] = param - stepSize * mi / (__builtin_elementwise_sqrt(vi) / correction2Root + eps);
    }
}

void BS_FN(layernorm_forward)(float *out, float *mean, float *rstd, float *inp, const float *residual,
                                 long residual_stride, const float *weight, const float *bias, long rows, long c,
                                 float eps) {
#pragma clang fp reassociate(on)
    for (long r = 0; r < rows; r++) {
        float *x = inp + r * c;
        float *y = out + r * c;
        float sum = 0.0f, squares = 0.0f;
        if (residual) {
            const float *res = residual + r * residual_stride;
            for (long i = 0; i < c; i++) {
                x[i] += res[i];
                sum += x[i];
            }
        } else {
            for (long i = 0; i < c; i++) sum += x[i];
        }
        float m = sum / (float)c;
        for (long i = 0; i < c; i++) {
            float d = x[i] - m;
            squares += d * d;
        }
        float s = 1.0f / sqrtf(squares / (float)c + eps);
        for (long i = 0; i < c; i++) y[i] = (x[i] - m) * s * weight[i] + bias[i];
        mean[r] = m;
        rstd[r] = s;
    }
}

void BS_FN(layernorm_backward_input)(float *dinp, const float *dout, const float *inp, const float *weight,
                                        const float *mean, const float *rstd, long rows, long c) {
#pragma clang fp reassociate(on)
    for (long r = 0; r < rows; r++) {
        const float *x = inp + r * c, *dy = dout + r * c;
        float *dx = dinp + r * c;
        float m = mean[r], s = rstd[r];
        float sumD = 0.0f, sumDX = 0.0f;
        for (long i = 0; i < c; i++) {
            float dnorm = dy[i] * weight[i];
            sumD += dnorm;
            sumDX += dnorm * (x[i] - m) * s;
        }
        float meanD = sumD / (float)c, meanDX = sumDX / (float)c;
        for (long i = 0; i < c; i++) dx[i] = s * (dy[i] * weight[i] - meanD - (x[i] - m) * s * meanDX);
    }
}

void BS_FN(bf16_round)(float *dst, const float *src, long rows, long columns, long ld) {
    for (long r = 0; r < rows; r++) {
        const float *s = src + r * ld;
        float *d = dst + r * columns;
        for (long j = 0; j < columns; j++) d[j] = round_to_bf16(s[j]);
    }
}
