#include "CKernels.h"
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

// The FMA throughput ceiling of one core, for the benchmark to state GEMM rates against. Each width
// gets its own function compiled for its instruction set (target_clones would pick only the best one,
// and the point is to measure each): some cores, such as this benchmark's Zen parts, run 512-bit FMAs
// at the 256-bit rate, so AVX-512 is not assumed to be twice AVX2. Twelve independent accumulators
// cover the FMA latency × the FMA ports of current x86 and Arm cores, so the loop is throughput-bound.

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

// Runs blocks of 1,000 iterations (12 FMAs each) until `seconds` have passed; returns GFLOP/s.
#define FMA_LOOP(vec, set1, fmadd, add, lanes)                                                     \
    vec x = set1(0.999f), y = set1(1e-7f);                                                         \
    vec a0 = set1(0), a1 = set1(0), a2 = set1(0), a3 = set1(0), a4 = set1(0), a5 = set1(0);        \
    vec a6 = set1(0), a7 = set1(0), a8 = set1(0), a9 = set1(0), a10 = set1(0), a11 = set1(0);      \
    long iterations = 0;                                                                           \
    double start = now_seconds(), elapsed;                                                         \
    do {                                                                                           \
        for (int i = 0; i < 1000; i++) {                                                           \
            a0 = fmadd(a0, x, y); a1 = fmadd(a1, x, y); a2 = fmadd(a2, x, y);                      \
            a3 = fmadd(a3, x, y); a4 = fmadd(a4, x, y); a5 = fmadd(a5, x, y);                      \
            a6 = fmadd(a6, x, y); a7 = fmadd(a7, x, y); a8 = fmadd(a8, x, y);                      \
            a9 = fmadd(a9, x, y); a10 = fmadd(a10, x, y); a11 = fmadd(a11, x, y);                  \
        }                                                                                          \
        iterations += 1000;                                                                        \
        elapsed = now_seconds() - start;                                                           \
    } while (elapsed < seconds);                                                                   \
    vec sum = add(add(add(a0, a1), add(a2, a3)), add(add(a4, a5), add(a6, a7)));                   \
    sum = add(sum, add(add(a8, a9), add(a10, a11)));                                               \
    float lanes_out[lanes];                                                                        \
    __builtin_memcpy(lanes_out, &sum, sizeof sum);                                                 \
    *sink = lanes_out[0]; /* keeps the loop from being removed */                                  \
    return 2.0 * 12 * (lanes) * (double)iterations / elapsed / 1e9;

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static double fma_peak_512(double seconds, volatile float *sink) {
    FMA_LOOP(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, 16)
}

__attribute__((target("avx2,fma"))) static double fma_peak_256(double seconds, volatile float *sink) {
    FMA_LOOP(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, 8)
}

double bs_fma_peak_gflops(int bits, double seconds) {
    volatile float sink;
    __builtin_cpu_init();
    if (bits == 512 && __builtin_cpu_supports("avx512f")) return fma_peak_512(seconds, &sink);
    if (bits == 256 && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return fma_peak_256(seconds, &sink);
    return 0;
}
#elif defined(__aarch64__)
// vfmaq_f32(acc, x, y) is acc + x·y where x86's fmadd(acc, x, y) is acc·x + y: either way one FMA
// per accumulator and step, each depending on the last.
static double fma_peak_128(double seconds, volatile float *sink) {
    FMA_LOOP(float32x4_t, vdupq_n_f32, vfmaq_f32, vaddq_f32, 4)
}

double bs_fma_peak_gflops(int bits, double seconds) {
    volatile float sink;
    return bits == 128 ? fma_peak_128(seconds, &sink) : 0;
}
#else
double bs_fma_peak_gflops(int bits, double seconds) {
    (void)bits;
    (void)seconds;
    return 0;
}
#endif
